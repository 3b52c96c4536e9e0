/** Option cases for numpy's elementwise math, products (linalg), indexing and `.at[]` updates. */
import { numpy as np } from "../../src/index.js";
import type { NoOptionsEntry, OptionTableEntry } from "./table.js";

const x = np.array([1.25, -2.5, 3.75, NaN, Infinity, -Infinity]);
const M = np.array([
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 10],
]);
const A = np.reshape(np.arange(24), [2, 3, 4]);
const v = np.array([1, -2, 3]);
const ints = np.array([1, 2], "int32");
const cond = np.array([true, false, true]);

const call =
  (f: (...a: unknown[]) => unknown, ...required: unknown[]) =>
  (...o: unknown[]) =>
    f(...required, ...o);
const F = np as unknown as Record<string, (...a: unknown[]) => unknown>;

const dotLike = (op: "matmul" | "dot" | "inner" | "vdot"): OptionTableEntry => ({
  op,
  call: call(F[op], ints, ints),
  cases: [],
  keywordOnly: [{ precision: "highest" }, { precision: ["high", null] }, { preferredElementType: "float32" }],
});

const updates = (["set", "add", "subtract", "mul", "divide", "power", "min", "max"] as const).map(
  (m): OptionTableEntry => ({
    op: `at.${m}`,
    call: (...o) =>
      (np.arange(5).astype("float32").at([1, 7]) as unknown as Record<string, (...a: unknown[]) => unknown>)[m](
        2,
        ...o,
      ),
    cases: [],
    keywordOnly: [
      { mode: "clip" },
      { mode: "drop", indicesAreSorted: true },
      { uniqueIndices: true, mode: null },
      { wrapNegativeIndices: false },
    ],
  }),
);

export const mathOptions: OptionTableEntry[] = [
  ...(["round", "around"] as const).map((op): OptionTableEntry => ({
    op,
    call: call(F[op], x),
    cases: [
      { positional: [1], object: { decimals: 1 } },
      { positional: [-1, null], object: { decimals: -1, out: null }, mixed: [[-1], { out: null }] },
    ],
  })),
  {
    op: "clip",
    call: call(np.clip as never, x),
    cases: [
      { positional: [0], object: { min: 0 } },
      { positional: [null, 1], object: { max: 1 } },
      {
        positional: [-1, [1, 2, 3, 4, 5, 6]],
        object: { min: -1, max: [1, 2, 3, 4, 5, 6] },
        mixed: [[-1], { max: [1, 2, 3, 4, 5, 6] }],
      },
    ],
  },
  {
    op: "nanToNum",
    call: call(np.nanToNum as never, x),
    cases: [
      { positional: [true], object: { copy: true } },
      { positional: [true, 5], object: { nan: 5 } },
      {
        positional: [undefined, 0, 9, -9],
        object: { posinf: 9, neginf: -9 },
        mixed: [[true, 0], { posinf: 9, neginf: -9 }],
      },
      { positional: [false, 0, null, null], object: { copy: false, posinf: null, neginf: null } },
    ],
  },
  {
    op: "where",
    call: call(np.where as never, cond),
    cases: [
      { positional: [1, 0], object: { x: 1, y: 0 }, mixed: [[1], { y: 0 }] },
      { positional: [null, null], object: { x: null, y: null } },
    ],
    keywordOnly: [{ size: 3 }, { size: 4, fillValue: 7 }, { size: 1, fillValue: [2] }],
  },
  dotLike("matmul"),
  dotLike("dot"),
  dotLike("inner"),
  dotLike("vdot"),
  {
    op: "tensordot",
    call: call(np.tensordot as never, M, M),
    cases: [
      { positional: [1], object: { axes: 1 } },
      { positional: [[[0], [1]]], object: { axes: [[0], [1]] } },
      { positional: [[1, 0]], object: { axes: [1, 0] } },
    ],
    keywordOnly: [{ axes: 2, precision: "default", preferredElementType: "float64" }],
  },
  {
    op: "outer",
    call: call(np.outer as never, v, v),
    cases: [{ positional: [null], object: { out: null } }],
  },
  {
    op: "einsum",
    call: call(np.einsum as never, "ij,jk->ik", M, M),
    cases: [],
    keywordOnly: [
      { out: null },
      { optimize: "greedy" },
      { optimize: false },
      { precision: "highest", preferredElementType: "float64" },
    ],
  },
  {
    op: "linalg.norm",
    call: call(np.linalg.norm as never, M),
    cases: [
      { positional: [1], object: { ord: 1 } },
      { positional: ["fro"], object: { ord: "fro" } },
      { positional: [Infinity, 1], object: { ord: Infinity, axis: 1 } },
      { positional: [3, [0]], object: { ord: 3, axis: [0] } },
      {
        positional: [null, [1, 0], true],
        object: { axis: [1, 0], keepdims: true },
        mixed: [[null], { axis: [1, 0], keepdims: true }],
      },
    ],
  },
  {
    op: "diagonal",
    call: call(np.diagonal as never, A),
    cases: [
      { positional: [1], object: { offset: 1 } },
      { positional: [-1, 1, 2], object: { offset: -1, axis1: 1, axis2: 2 }, mixed: [[-1], { axis1: 1, axis2: 2 }] },
      { positional: [0, 2, 0], object: { axis1: 2, axis2: 0 } },
    ],
  },
  {
    op: "trace",
    call: call(np.trace as never, A),
    cases: [
      { positional: [1], object: { offset: 1 } },
      { positional: [0, 1, 2], object: { axis1: 1, axis2: 2 } },
      {
        positional: [0, 0, 1, "float32", null],
        object: { dtype: "float32", out: null },
        mixed: [[0, 0, 1], { dtype: "float32" }],
      },
    ],
  },
  {
    op: "slice",
    call: (...o) => np.arange(6).get(np.slice(...(o as [])) as never),
    cases: [
      { positional: [1], object: { start: 1 } },
      { positional: [null, 4], object: { stop: 4 } },
      { positional: [5, 0, -2], object: { start: 5, stop: 0, step: -2 }, mixed: [[5], { stop: 0, step: -2 }] },
    ],
  },
  {
    op: "at.get",
    call: (...o) =>
      np
        .arange(5)
        .astype("float32")
        .at([1, 7, -1])
        .get(...(o as [])),
    cases: [],
    keywordOnly: [
      { mode: "clip" },
      { mode: "fill", fillValue: -1 },
      { mode: "fill", fillValue: true },
      { mode: "promise_in_bounds", indicesAreSorted: false, uniqueIndices: true },
      { wrapNegativeIndices: false, mode: "drop" },
    ],
  },
  ...updates,
];

const unaryNames = [
  "negative",
  "positive",
  "abs",
  "sign",
  "square",
  "reciprocal",
  "sin",
  "cos",
  "tan",
  "arcsin",
  "arccos",
  "arctan",
  "sinh",
  "cosh",
  "tanh",
  "arcsinh",
  "arccosh",
  "arctanh",
  "exp",
  "exp2",
  "expm1",
  "log",
  "log1p",
  "log2",
  "log10",
  "sqrt",
  "cbrt",
  "rsqrt",
  "floor",
  "ceil",
  "trunc",
  "rint",
  "logicalNot",
  "bitwiseNot",
  "isfinite",
  "isnan",
  "isinf",
  "isposinf",
  "isneginf",
  "signbit",
];
const binaryNames = [
  "add",
  "subtract",
  "multiply",
  "divide",
  "floorDivide",
  "remainder",
  "fmod",
  "power",
  "maximum",
  "minimum",
  "arctan2",
  "logaddexp",
  "hypot",
  "equal",
  "notEqual",
  "less",
  "lessEqual",
  "greater",
  "greaterEqual",
  "logicalAnd",
  "logicalOr",
  "logicalXor",
  "bitwiseAnd",
  "bitwiseOr",
  "bitwiseXor",
  "leftShift",
  "rightShift",
  "copysign",
];
const intOnly = new Set(["bitwiseNot", "bitwiseAnd", "bitwiseOr", "bitwiseXor", "leftShift", "rightShift"]);

export const mathNoOptions: NoOptionsEntry[] = [
  ...unaryNames.map((name) => ({ name, args: [intOnly.has(name) ? ints : np.array([0.5, 2])] })),
  ...binaryNames.map((name) => ({ name, args: intOnly.has(name) ? [ints, ints] : [np.array([0.5, 2]), 3] })),
];
