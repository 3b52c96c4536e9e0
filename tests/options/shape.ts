/** Option cases for numpy's shape functions, take/takeAlongAxis and sort/argsort. */
import { numpy as np } from "../../src/index.js";
import type { NoOptionsEntry, OptionTableEntry } from "./table.js";

const M = np.array([
  [3, 1, 2],
  [6, 5, 4],
]);
const A = np.reshape(np.arange(24), [2, 3, 4]);
const v = np.array([1, 2, 3]);
const idx = np.array([2, -1, 5, 0], "int32");
const F = np as unknown as Record<string, (...a: unknown[]) => unknown>;
const call =
  (op: string, ...required: unknown[]) =>
  (...o: unknown[]) =>
    F[op](...required, ...o);

export const shapeCases: OptionTableEntry[] = [
  {
    op: "reshape",
    call: call("reshape", M, [3, 2]),
    cases: [
      { positional: ["F"], object: { order: "F" } },
      { positional: ["C"], object: { order: "C" } },
    ],
    keywordOnly: [{ copy: true }, { order: "F", copy: null }],
  },
  { op: "ravel", call: call("ravel", M), cases: [{ positional: ["F"], object: { order: "F" } }] },
  {
    op: "transpose",
    call: call("transpose", A),
    cases: [
      { positional: [[1, 0, 2]], object: { axes: [1, 0, 2] } },
      { positional: [null], object: { axes: null } },
    ],
  },
  {
    op: "squeeze",
    call: call("squeeze", np.zeros([1, 3, 1])),
    cases: [
      { positional: [0], object: { axis: 0 } },
      { positional: [[0, -1]], object: { axis: [0, -1] } },
    ],
  },
  {
    op: "concatenate",
    call: call("concatenate", [M, M]),
    cases: [
      { positional: [1], object: { axis: 1 } },
      { positional: [null, "int32"], object: { axis: null, dtype: "int32" }, mixed: [[null], { dtype: "int32" }] },
    ],
  },
  {
    op: "stack",
    call: call("stack", [v, v]),
    cases: [
      { positional: [-1], object: { axis: -1 } },
      { positional: [1, null, "int32"], object: { axis: 1, out: null, dtype: "int32" } },
    ],
  },
  { op: "vstack", call: call("vstack", [v, v]), cases: [{ positional: ["int32"], object: { dtype: "int32" } }] },
  { op: "hstack", call: call("hstack", [v, v]), cases: [{ positional: ["int32"], object: { dtype: "int32" } }] },
  { op: "split", call: call("split", M, 3), cases: [{ positional: [1], object: { axis: 1 } }] },
  {
    op: "flip",
    call: call("flip", M),
    cases: [
      { positional: [1], object: { axis: 1 } },
      { positional: [[0, 1]], object: { axis: [0, 1] } },
    ],
  },
  {
    op: "repeat",
    call: call("repeat", M, 2),
    cases: [{ positional: [0], object: { axis: 0 } }],
    keywordOnly: [{ axis: 1, totalRepeatLength: 4 }, { totalRepeatLength: 2 }],
  },
  {
    op: "pad",
    call: call("pad", v, [2, 3]),
    cases: [
      { positional: ["reflect"], object: { mode: "reflect" } },
      { positional: ["wrap"], object: { mode: "wrap" } },
    ],
    keywordOnly: [
      { constantValues: 7 },
      { mode: "constant", constantValues: [1, 9] },
      { mode: "maximum", statLength: 2 },
      { mode: "linear_ramp", endValues: [0, 10] },
      { mode: "reflect", reflectType: "odd" },
    ],
  },
  {
    op: "take",
    call: call("take", M, idx),
    cases: [
      { positional: [1], object: { axis: 1 } },
      { positional: [1, null, "clip"], object: { axis: 1, out: null, mode: "clip" } },
      { positional: [null, null, "wrap"], object: { mode: "wrap" } },
      {
        positional: [0, null, "fill", true, true, -7],
        object: { axis: 0, mode: "fill", uniqueIndices: true, indicesAreSorted: true, fillValue: -7 },
        mixed: [[0], { fillValue: -7, uniqueIndices: true, indicesAreSorted: true }],
      },
    ],
  },
  {
    op: "takeAlongAxis",
    call: call("takeAlongAxis", M, np.array([[0, 5, -1]], "int32")),
    cases: [
      { positional: [1], object: { axis: 1 } },
      { positional: [0, "clip"], object: { axis: 0, mode: "clip" } },
      { positional: [1, "fill", 9], object: { axis: 1, mode: "fill", fillValue: 9 } },
    ],
  },
  {
    op: "sort",
    call: call("sort", M),
    cases: [
      { positional: [0], object: { axis: 0 } },
      { positional: [null], object: { axis: null } },
    ],
    keywordOnly: [
      { axis: 0, descending: true, stable: false },
      { kind: null, order: null },
    ],
  },
  {
    op: "argsort",
    call: call("argsort", M),
    cases: [{ positional: [0], object: { axis: 0 } }],
    keywordOnly: [{ descending: true, stable: true, kind: null, order: null }, { dtype: "uint32" }],
  },
];

export const shapeNoOptions: NoOptionsEntry[] = [
  { name: "swapaxes", args: [A, 0, 2] },
  { name: "moveaxis", args: [A, 0, -1] },
  { name: "expandDims", args: [M, 0] },
  { name: "broadcastTo", args: [v, [2, 3]] },
  { name: "tile", args: [v, [2, 1]] },
  { name: "broadcastArrays", args: [M, v], variadic: "its arguments are the arrays to broadcast" },
  { name: "atleast1d", args: [1, v], variadic: "its arguments are the arrays to promote" },
  { name: "atleast2d", args: [1, v], variadic: "its arguments are the arrays to promote" },
];
