/** Option cases for numpy's everyday helpers (src/numpy/extras.ts) and `lax.fullLike`. */
import { lax, numpy as np } from "../../src/index.js";
import type { NoOptionsEntry, OptionTableEntry } from "./table.js";

const A = np.reshape(np.arange(12, { dtype: "float32" }), [3, 4]);
const v = np.array([1, 4, 9, 16]);
const u3 = np.array([
  [1, 2, 3],
  [4, 5, 6],
]);

const call =
  (f: unknown, ...required: unknown[]) =>
  (...o: unknown[]) =>
    (f as (...a: unknown[]) => unknown)(...required, ...o);

export const extrasOptions: OptionTableEntry[] = [
  {
    op: "roll",
    call: call(np.roll, A, 1),
    cases: [
      { positional: [1], object: { axis: 1 } },
      { positional: [null], object: { axis: null } },
      { positional: [[0, 1]], object: { axis: [0, 1] } },
    ],
  },
  ...(["tril", "triu"] as const).map((op): OptionTableEntry => ({
    op,
    call: call(np[op], A),
    cases: [
      { positional: [1], object: { k: 1 } },
      { positional: [-2], object: { k: -2 } },
    ],
  })),
  {
    op: "diff",
    call: call(np.diff, np.reshape(v, [2, 2])),
    cases: [
      { positional: [2], object: { n: 2 } },
      { positional: [1, 0], object: { n: 1, axis: 0 }, mixed: [[1], { axis: 0 }] },
      {
        positional: [1, -1, 0, [[5], [6]]],
        object: { prepend: 0, append: [[5], [6]] },
        mixed: [[1, -1], { prepend: 0, append: [[5], [6]] }],
      },
      { positional: [1, -1, null, null], object: { append: null, prepend: null } },
    ],
  },
  {
    op: "cross",
    call: call(np.cross, u3, np.array([0, 1, 0])),
    cases: [
      { positional: [-1, -1, 0], object: { axisc: 0 } },
      { positional: [1, 0], object: { axisa: 1, axisb: 0 } },
      { positional: [-1, -1, -1, -1], object: { axis: -1 }, mixed: [[-1], { axis: -1 }] },
      { positional: [-1, -1, -1, null], object: { axis: null } },
    ],
  },
  {
    // The inputs are variadic, so a stray positional is one more (bad) input, not "too many arguments";
    // unknown option keys are refused (tested in tests/numpy-extras.test.ts).
    op: "meshgrid",
    trailingData: true,
    call: call(np.meshgrid, np.array([1, 2, 3]), np.array([4, 5])),
    cases: [],
    keywordOnly: [{ indexing: "ij" }, { indexing: "xy", sparse: true }, { copy: false }],
  },
  {
    op: "trapezoid",
    call: call(np.trapezoid, A),
    cases: [
      { positional: [np.array([0, 1, 3, 4])], object: { x: np.array([0, 1, 3, 4]) } },
      { positional: [null, 0.5], object: { x: null, dx: 0.5 }, mixed: [[null], { dx: 0.5 }] },
      { positional: [undefined, 2, 0], object: { dx: 2, axis: 0 } },
    ],
  },
  {
    op: "polyval",
    call: call(np.polyval, v, np.array([0.5, 2])),
    cases: [],
    keywordOnly: [{ unroll: 4 }, { unroll: true }],
  },
  ...(["isclose", "allclose"] as const).map((op): OptionTableEntry => ({
    op,
    call: call(np[op], np.array([1, 1.05, NaN]), np.array([1, 1, NaN])),
    cases: [
      { positional: [0.1], object: { rtol: 0.1 } },
      { positional: [0, 0.06], object: { rtol: 0, atol: 0.06 } },
      { positional: [undefined, undefined, true], object: { equalNan: true } },
    ],
  })),
  {
    op: "countNonzero",
    call: call(
      np.countNonzero,
      np.array([
        [0, 1],
        [2, 3],
      ]),
    ),
    cases: [
      { positional: [0], object: { axis: 0 } },
      { positional: [null, true], object: { axis: null, keepdims: true }, mixed: [[null], { keepdims: true }] },
    ],
  },
  {
    op: "lax.fullLike",
    call: call(lax.fullLike, A, 2),
    cases: [
      { positional: ["int32"], object: { dtype: "int32" } },
      { positional: [null, [2, 2]], object: { dtype: null, shape: [2, 2] }, mixed: [[null], { shape: [2, 2] }] },
      { positional: [undefined, 3], object: { shape: 3 } },
    ],
  },
];

export const extrasNoOptions: NoOptionsEntry[] = [
  { name: "sinc", args: [v] },
  { name: "kron", args: [v, v] },
  { name: "ndim", args: [A] },
  { name: "isscalar", args: [1] },
];
