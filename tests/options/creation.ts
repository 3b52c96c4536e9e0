/** Option cases for numpy array creation and conversion. */
import { numpy as np } from "../../src/index.js";
import type { NoOptionsEntry, OptionTableEntry } from "./table.js";

const data = [
  [1.5, -2, 3],
  [4, 5, -6],
];
const x = np.array(data);
const ints = np.arange(6).reshape([2, 3]);
const callOf =
  (f: unknown, ...required: unknown[]) =>
  (...o: unknown[]) =>
    (f as (...a: unknown[]) => unknown)(...required, ...o);

const shapeFn = (op: "zeros" | "ones" | "empty"): OptionTableEntry => ({
  op,
  call: callOf(np[op], [2, 3]),
  cases: [
    { positional: ["int32"], object: { dtype: "int32" } },
    { positional: [null], object: { dtype: null } },
  ],
});

const likeFn = (op: "zerosLike" | "onesLike"): OptionTableEntry => ({
  op,
  call: callOf(np[op], ints),
  cases: [
    { positional: ["float32"], object: { dtype: "float32" } },
    { positional: [null, [3, 2]], object: { shape: [3, 2] }, mixed: [[null], { shape: [3, 2] }] },
    { positional: ["bool", 4], object: { dtype: "bool", shape: 4 } },
  ],
});

export const creationOptions: OptionTableEntry[] = [
  {
    op: "array",
    call: callOf(np.array, data),
    cases: [
      { positional: ["int32"], object: { dtype: "int32" } },
      { positional: [null, false], object: { copy: false } },
      { positional: [null, true, "K"], object: { order: "K" } },
      { positional: [null, true, null, 3], object: { ndmin: 3 }, mixed: [[null, true], { ndmin: 3 }] },
    ],
  },
  {
    op: "asarray",
    call: callOf(np.asarray, data),
    cases: [
      { positional: ["int32"], object: { dtype: "int32" } },
      { positional: [null, "K"], object: { order: "K" }, mixed: [[null], { order: "K" }] },
    ],
    keywordOnly: [{ copy: true }, { dtype: "float32", copy: false }, { copy: null }],
  },
  shapeFn("zeros"),
  shapeFn("ones"),
  shapeFn("empty"),
  {
    op: "full",
    call: callOf(np.full, [2, 2], 2.5),
    cases: [
      { positional: ["int32"], object: { dtype: "int32" } },
      { positional: [null], object: { dtype: null } },
    ],
  },
  likeFn("zerosLike"),
  likeFn("onesLike"),
  {
    op: "fullLike",
    call: callOf(np.fullLike, ints, 7),
    cases: [
      { positional: ["float32"], object: { dtype: "float32" } },
      { positional: [null, [3]], object: { shape: [3] } },
    ],
  },
  {
    op: "arange",
    call: callOf(np.arange, 1),
    cases: [
      { positional: [5], object: { stop: 5 } },
      { positional: [10, 3], object: { stop: 10, step: 3 }, mixed: [[10], { step: 3 }] },
      { positional: [null, null, "float32"], object: { dtype: "float32" } },
      { positional: [2, 0.25, "float64"], object: { stop: 2, step: 0.25, dtype: "float64" } },
    ],
  },
  {
    op: "linspace",
    call: callOf(np.linspace, 0, [1, 2]),
    cases: [
      { positional: [5], object: { num: 5 } },
      { positional: [4, false], object: { num: 4, endpoint: false } },
      { positional: [3, true, true], object: { num: 3, retstep: true }, mixed: [[3], { retstep: true }] },
      { positional: [3, true, false, "int32"], object: { num: 3, dtype: "int32" } },
      { positional: [3, true, false, null, 1], object: { num: 3, axis: 1 } },
      { positional: [3, true, false, null, -1], object: { num: 3, axis: -1 } },
    ],
  },
  {
    op: "eye",
    call: callOf(np.eye, 3),
    cases: [
      { positional: [4], object: { M: 4 } },
      { positional: [null, 1], object: { k: 1 } },
      {
        positional: [2, -1, "int32"],
        object: { M: 2, k: -1, dtype: "int32" },
        mixed: [[2], { k: -1, dtype: "int32" }],
      },
    ],
  },
  {
    op: "identity",
    call: callOf(np.identity, 2),
    cases: [
      { positional: ["bool"], object: { dtype: "bool" } },
      { positional: [null], object: { dtype: null } },
    ],
  },
  {
    op: "diag",
    call: callOf(np.diag, x),
    cases: [
      { positional: [1], object: { k: 1 } },
      { positional: [-1], object: { k: -1 } },
    ],
  },
  {
    // The same registration, through a 1-D input (a diagonal matrix).
    op: "diag",
    call: callOf(np.diag, [1, 2, 3]),
    cases: [
      { positional: [2], object: { k: 2 } },
      { positional: [-1], object: { k: -1 } },
    ],
  },
];

export const creationNoOptions: NoOptionsEntry[] = [
  { name: "float32", args: [1.5] },
  { name: "float64", args: [[0.1, 2]] },
  { name: "int32", args: [3.7] },
  { name: "uint32", args: [5] },
  { name: "bool_", args: [2] },
];

/** `np.asArray`, the camelCase spelling of `np.asarray`: the same options, checked by the same parser. */
export const asArrayEntries: OptionTableEntry[] = [
  {
    op: "asarray",
    exportName: "asArray",
    call: (...o) => (np.asArray as (...a: unknown[]) => unknown)([1, 2], ...o),
    cases: [{ positional: ["int32", "K"], object: { dtype: "int32", order: "K" } }],
    keywordOnly: [{ copy: true }],
  },
];
