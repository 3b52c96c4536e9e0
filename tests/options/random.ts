/** Option cases for `random`: every sampler in JAX's positional order and as a trailing object. */
import { numpy as np, random } from "../../src/index.js";
import type { NoOptionsEntry, OptionTableEntry } from "./table.js";

const key = random.key(0);
const logits = np.array([
  [0.1, 0.5, 0.2],
  [1, 2, 3],
]);
const rows = np.arange(6).reshape([2, 3]);
const sharding = [{ outSharding: null }];

export const randomOptionEntries: OptionTableEntry[] = [
  {
    op: "random.PRNGKey",
    call: (...o) => (random.PRNGKey as (...a: unknown[]) => unknown)(7, ...o),
    cases: [],
    keywordOnly: [{ impl: "threefry2x32" }, { impl: null }],
  },
  {
    op: "random.key",
    call: (...o) => (random.key as (...a: unknown[]) => unknown)(7, ...o),
    cases: [],
    keywordOnly: [{ impl: "threefry2x32" }, { dtype: "threefry2x32" }, { impl: null, dtype: null }],
  },
  {
    op: "random.split",
    call: (...o) => (random.split as (...a: unknown[]) => unknown)(key, ...o),
    cases: [
      { positional: [3], object: { num: 3 } },
      { positional: [[2, 2]], object: { num: [2, 2] } },
      { positional: [0], object: { num: 0 } },
    ],
  },
  {
    op: "random.bits",
    call: (...o) => (random.bits as (...a: unknown[]) => unknown)(key, ...o),
    cases: [
      { positional: [[3]], object: { shape: [3] } },
      { positional: [[2], "uint32"], object: { shape: [2], dtype: "uint32" }, mixed: [[[2]], { dtype: "uint32" }] },
    ],
    keywordOnly: sharding,
  },
  {
    op: "random.uniform",
    call: (...o) => (random.uniform as (...a: unknown[]) => unknown)(key, ...o),
    cases: [
      { positional: [[3]], object: { shape: [3] } },
      { positional: [[2], "float64"], object: { shape: [2], dtype: "float64" } },
      {
        positional: [[3], null, -1, 2],
        object: { shape: [3], minval: -1, maxval: 2 },
        mixed: [[[3], null], { minval: -1, maxval: 2 }],
      },
      { positional: [[2, 2], undefined, np.array([0, 10])], object: { shape: [2, 2], minval: np.array([0, 10]) } },
    ],
    keywordOnly: sharding,
  },
  ...(["normal", "exponential"] as const).map((name): OptionTableEntry => ({
    op: `random.${name}`,
    call: (...o) => (random[name] as (...a: unknown[]) => unknown)(key, ...o),
    cases: [
      { positional: [[4]], object: { shape: [4] } },
      { positional: [[2], "float64"], object: { shape: [2], dtype: "float64" }, mixed: [[[2]], { dtype: "float64" }] },
    ],
    keywordOnly: sharding,
  })),
  {
    op: "random.gumbel",
    call: (...o) => (random.gumbel as (...a: unknown[]) => unknown)(key, ...o),
    cases: [
      { positional: [[3]], object: { shape: [3] } },
      { positional: [[3], "float32", "high"], object: { shape: [3], dtype: "float32", mode: "high" } },
      { positional: [[3], null, null], object: { shape: [3], mode: null } },
    ],
    keywordOnly: sharding,
  },
  {
    op: "random.truncatedNormal",
    call: (...o) => (random.truncatedNormal as (...a: unknown[]) => unknown)(key, -1, 2, ...o),
    cases: [
      { positional: [[5]], object: { shape: [5] } },
      { positional: [null, "float64"], object: { shape: null, dtype: "float64" } },
    ],
    keywordOnly: sharding,
  },
  {
    op: "random.randint",
    call: (...o) => (random.randint as (...a: unknown[]) => unknown)(key, [5], 0, 10, ...o),
    cases: [
      { positional: ["uint32"], object: { dtype: "uint32" } },
      { positional: [null], object: { dtype: null } },
    ],
    keywordOnly: sharding,
  },
  {
    op: "random.bernoulli",
    call: (...o) => (random.bernoulli as (...a: unknown[]) => unknown)(key, ...o),
    cases: [
      { positional: [0.3], object: { p: 0.3 } },
      { positional: [0.3, [6]], object: { p: 0.3, shape: [6] }, mixed: [[0.3], { shape: [6] }] },
      { positional: [np.array([0.1, 0.9]), null, "high"], object: { p: np.array([0.1, 0.9]), mode: "high" } },
    ],
    keywordOnly: sharding,
  },
  {
    op: "random.categorical",
    call: (...o) => (random.categorical as (...a: unknown[]) => unknown)(key, logits, ...o),
    cases: [
      { positional: [0], object: { axis: 0 } },
      { positional: [-1, [4, 2]], object: { shape: [4, 2] } },
      { positional: [-1, [2, 2], false], object: { shape: [2, 2], replace: false } },
      { positional: [-1, null, true, "high"], object: { mode: "high" } },
    ],
    keywordOnly: sharding,
  },
  {
    op: "random.choice",
    call: (...o) => (random.choice as (...a: unknown[]) => unknown)(key, 5, ...o),
    cases: [
      { positional: [[3]], object: { shape: [3] } },
      { positional: [[3], false], object: { shape: [3], replace: false } },
      {
        positional: [[4], true, np.array([0.1, 0.2, 0.3, 0.2, 0.2])],
        object: { shape: [4], p: np.array([0.1, 0.2, 0.3, 0.2, 0.2]) },
      },
      {
        positional: [[2], false, np.array([0.1, 0.2, 0.3, 0.2, 0.2]), 0, "high"],
        object: { shape: [2], replace: false, p: np.array([0.1, 0.2, 0.3, 0.2, 0.2]), axis: 0, mode: "high" },
      },
    ],
  },
  {
    op: "random.permutation",
    call: (...o) => (random.permutation as (...a: unknown[]) => unknown)(key, rows, ...o),
    cases: [
      { positional: [1], object: { axis: 1 } },
      { positional: [1, true], object: { axis: 1, independent: true }, mixed: [[1], { independent: true }] },
    ],
    keywordOnly: sharding,
  },
];

export const randomNoOptions: NoOptionsEntry[] = [
  { name: "random.foldIn", args: [key, 3] },
  { name: "random.keyData", args: [key] },
];
