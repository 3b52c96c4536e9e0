/** Option cases for `lax` (elementwise, shapes, slicing, cumulative, sort) and the control-flow API. */
import { lax, numpy as np } from "../../src/index.js";
import type { Array as NdArray } from "../../src/index.js";
import type { NoOptionsEntry, OptionTableEntry } from "./table.js";

const x = np.array([
  [1, -2.5, 3],
  [4, 0.5, -6],
]);
const v = np.array([0.5, 1.5, 2.5, -0.5, -2.5]);
const ints = np.array([3, 1, 2, 1], "int32");
const vals = np.array([10, 20, 30, 40]);
const add1 = (c: NdArray, e: NdArray) => [np.add(c, e), np.multiply(c, 2)] as const;

export const laxOptions: OptionTableEntry[] = [
  {
    op: "lax.round",
    call: (...o) => (lax.round as (...a: unknown[]) => unknown)(v, ...o),
    cases: [
      { positional: [0], object: { roundingMethod: 0 } },
      { positional: [1], object: { roundingMethod: 1 } },
      { positional: ["TO_NEAREST_EVEN"], object: { roundingMethod: "TO_NEAREST_EVEN" } },
      { positional: ["AWAY_FROM_ZERO"], object: { roundingMethod: "AWAY_FROM_ZERO" } },
    ],
  },
  {
    op: "lax.full",
    call: (...o) => (lax.full as (...a: unknown[]) => unknown)([2, 2], 3, ...o),
    cases: [
      { positional: ["int32"], object: { dtype: "int32" } },
      { positional: [null], object: { dtype: null } },
    ],
  },
  {
    op: "lax.reshape",
    call: (...o) => (lax.reshape as (...a: unknown[]) => unknown)(x, [3, 2], ...o),
    cases: [
      { positional: [[1, 0]], object: { dimensions: [1, 0] } },
      { positional: [null], object: { dimensions: null } },
    ],
  },
  {
    op: "lax.dotGeneral",
    call: (...o) =>
      (lax.dotGeneral as (...a: unknown[]) => unknown)(
        x,
        x,
        [
          [[1], [1]],
          [[], []],
        ],
        ...o,
      ),
    cases: [
      { positional: ["HIGHEST"], object: { precision: "HIGHEST" } },
      { positional: [["HIGH", "DEFAULT"]], object: { precision: ["HIGH", "DEFAULT"] } },
      {
        positional: [null, "float64"],
        object: { preferredElementType: "float64" },
        mixed: [[null], { preferredElementType: "float64" }],
      },
    ],
  },
  {
    op: "lax.slice",
    call: (...o) => (lax.slice as (...a: unknown[]) => unknown)(x, [0, 0], [2, 3], ...o),
    cases: [
      { positional: [[1, 2]], object: { strides: [1, 2] } },
      { positional: [null], object: { strides: null } },
    ],
  },
  {
    op: "lax.sliceInDim",
    call: (...o) => (lax.sliceInDim as (...a: unknown[]) => unknown)(x, 0, null, ...o),
    cases: [
      { positional: [2], object: { stride: 2 } },
      { positional: [2, 1], object: { stride: 2, axis: 1 }, mixed: [[2], { axis: 1 }] },
      { positional: [undefined, -1], object: { axis: -1 } },
    ],
  },
  ...(["cumsum", "cumprod", "cummax", "cummin"] as const).map((name): OptionTableEntry => ({
    op: `lax.${name}`,
    call: (...o) => (lax[name] as (...a: unknown[]) => unknown)(x, ...o),
    cases: [
      { positional: [1], object: { axis: 1 } },
      { positional: [-1, true], object: { axis: -1, reverse: true }, mixed: [[-1], { reverse: true }] },
      { positional: [undefined, true], object: { reverse: true } },
    ],
  })),
  {
    op: "lax.sort",
    call: (...o) => (lax.sort as (...a: unknown[]) => unknown)([ints, vals], ...o),
    cases: [
      { positional: [0], object: { dimension: 0 } },
      { positional: [-1, false], object: { dimension: -1, isStable: false } },
      { positional: [0, true, 2], object: { dimension: 0, isStable: true, numKeys: 2 }, mixed: [[0], { numKeys: 2 }] },
    ],
  },
  {
    op: "lax.scan",
    call: (...o) => (lax.scan as (...a: unknown[]) => unknown)(add1, np.array(0), ...o),
    cases: [
      { positional: [vals], object: { xs: vals } },
      {
        positional: [vals, 4, true],
        object: { xs: vals, length: 4, reverse: true },
        mixed: [[vals], { reverse: true }],
      },
      { positional: [vals, 4], object: { xs: vals, length: 4 } },
      { positional: [vals, null, false, 2], object: { xs: vals, unroll: 2 } },
      { positional: [vals, undefined, undefined, true], object: { xs: vals, unroll: true } },
    ],
  },
  {
    op: "lax.foriLoop",
    call: (...o) =>
      (lax.foriLoop as (...a: unknown[]) => unknown)(0, 3, (i: NdArray, c: NdArray) => np.add(c, i), np.array(1), ...o),
    cases: [],
    keywordOnly: [{ unroll: 2 }, { unroll: true }, { unroll: null }],
  },
  {
    op: "lax.map",
    call: (...o) => (lax.map as (...a: unknown[]) => unknown)((r: NdArray) => np.sum(r), x, ...o),
    cases: [],
    keywordOnly: [{ batchSize: 1 }, { batchSize: 5 }, { batchSize: null }],
  },
];

const unaryNames = [
  "neg",
  "sin",
  "cos",
  "tan",
  "asin",
  "acos",
  "atan",
  "sinh",
  "cosh",
  "tanh",
  "asinh",
  "atanh",
  "exp",
  "exp2",
  "log",
  "log1p",
  "expm1",
  "sqrt",
  "rsqrt",
  "cbrt",
  "abs",
  "sign",
  "floor",
  "ceil",
  "erf",
  "erfc",
  "erfInv",
  "lgamma",
  "digamma",
  "logistic",
  "isFinite",
  "stopGradient",
];
const binaryNames = [
  "add",
  "sub",
  "mul",
  "div",
  "rem",
  "pow",
  "max",
  "min",
  "atan2",
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
];
const half = np.array([0.25, 0.5]);
const pos = np.array([1.5, 2]);

export const laxNoOptions: NoOptionsEntry[] = [
  ...unaryNames.map((n) => ({ name: `lax.${n}`, args: [half] })),
  { name: "lax.acosh", args: [pos] },
  ...binaryNames.map((n) => ({ name: `lax.${n}`, args: [half, pos] })),
  { name: "lax.polygamma", args: [1, pos] },
  { name: "lax.integerPow", args: [pos, 3] },
  { name: "lax.convertElementType", args: [pos, "int32"] },
  { name: "lax.select", args: [np.array([true, false]), half, pos] },
  {
    name: "lax.selectN",
    args: [np.array([1, 0], "int32"), half, pos],
    variadic: "select_n(which, *cases): cases are data",
  },
  { name: "lax.transpose", args: [x, [1, 0]] },
  { name: "lax.broadcastInDim", args: [half, [3, 2], [1]] },
  { name: "lax.reduceSum", args: [x, [0]] },
  { name: "lax.iota", args: ["int32", 4] },
  { name: "lax.pad", args: [half, 0, [[1, -1, 1]]] },
  { name: "lax.concatenate", args: [[half, pos], 0] },
  { name: "lax.rev", args: [x, [1]] },
  { name: "lax.whileLoop", args: [(c: NdArray) => np.less(c, 3), (c: NdArray) => np.add(c, 1), np.array(0)] },
  {
    name: "lax.cond",
    args: [true, (a: NdArray) => a, (a: NdArray) => np.negative(a), half],
    variadic: "cond(pred, true_fun, false_fun, *operands): operands are data",
  },
  {
    name: "lax.switch",
    args: [1, [(a: NdArray) => a, (a: NdArray) => np.negative(a)], half],
    variadic: "switch(index, branches, *operands): operands are data",
  },
];
