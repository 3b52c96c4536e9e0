/** Option cases for `tree`: isLeaf positionally or in an object, and the functions without options. */
import { tree } from "../../src/index.js";
import type { NoOptionsEntry, OptionTableEntry } from "./table.js";

const t = [1, [2, 3], { a: [4, 5] }];
const isPair = (x: unknown) => Array.isArray(x) && x.length === 2;

const flattenLike = (name: "flatten" | "leaves" | "structure"): OptionTableEntry => ({
  op: `tree.${name}`,
  call: (...o) => (tree[name] as (...a: unknown[]) => unknown)(t, ...o),
  cases: [
    { positional: [isPair], object: { isLeaf: isPair } },
    { positional: [null], object: { isLeaf: null } },
  ],
});

export const treeOptionEntries: OptionTableEntry[] = [
  flattenLike("flatten"),
  flattenLike("leaves"),
  flattenLike("structure"),
  {
    // Its further trees are data: a trailing object is options only when all its keys are options.
    op: "tree.map",
    trailingData: true,
    call: (...o) => (tree.map as (...a: unknown[]) => unknown)((x: unknown) => [x], t, ...o),
    cases: [],
    keywordOnly: [{ isLeaf: isPair }, { isLeaf: null }],
  },
  {
    op: "tree.all",
    call: (...o) => (tree.all as (...a: unknown[]) => unknown)([true, { a: 1 }, [[1, 0]]], ...o),
    cases: [],
    keywordOnly: [{ isLeaf: isPair }],
  },
  {
    op: "tree.reduce",
    call: (...o) => (tree.reduce as (...a: unknown[]) => unknown)((n: number) => n + 1, t, ...o),
    cases: [
      { positional: [10], object: { initializer: 10 } },
      { positional: [0, isPair], object: { initializer: 0, isLeaf: isPair }, mixed: [[0], { isLeaf: isPair }] },
    ],
  },
];

class Box {
  constructor(readonly v: unknown) {}
}
const outer = tree.structure([0, 0]);
const inner = tree.structure({ a: 0, b: 0 });

export const treeNoOptions: NoOptionsEntry[] = [
  { name: "tree.unflatten", args: [tree.structure([0, [0]]), [1, 2]] },
  {
    name: "tree.transpose",
    args: [
      outer,
      inner,
      [
        { a: 1, b: 2 },
        { a: 3, b: 4 },
      ],
    ],
  },
  {
    name: "tree.registerNode",
    args: [Box, { flatten: (b: Box) => [[b.v], null], unflatten: (_: null, [v]: unknown[]) => new Box(v) }],
  },
];
