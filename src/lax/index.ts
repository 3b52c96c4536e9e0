/** `cotangent.lax`: JAX's `jax.lax` primitives and a few composites. */
import type { NdArray, ArrayLike } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { asArray } from "../numpy/convert.js";
import * as ew from "../primitives/elementwise.js";
import * as st from "../primitives/structural.js";
import * as sl from "../primitives/slicing.js";
import * as cum from "../primitives/cumulative.js";
import { sort as sortPrim } from "../primitives/sort.js";
import { dotGeneral as dotGeneralPrim } from "../primitives/dot.js";
import { iota as iotaPrim } from "../primitives/iota.js";
import { reduceSum as reduceSumPrim } from "../primitives/reduce.js";
import { stopGradient as stopGradientPrim } from "../primitives/stop-gradient.js";

export {
  add,
  sub,
  mul,
  div,
  rem,
  pow,
  max,
  min,
  atan2,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  selectN,
  convert as convertElementType,
} from "../primitives/elementwise.js";
export {
  neg,
  sin,
  cos,
  tan,
  asin,
  acos,
  atan,
  sinh,
  cosh,
  tanh,
  asinh,
  acosh,
  atanh,
  exp,
  exp2,
  log,
  log1p,
  expm1,
  sqrt,
  rsqrt,
  cbrt,
  abs,
  sign,
  floor,
  ceil,
  round,
  erf,
  erfc,
  erfInv,
  lgamma,
  digamma,
  logistic,
  isFinite,
  polygamma,
} from "../primitives/unary.js";
export { full } from "./creation.js";

const arr = (x: ArrayLike): NdArray => asArray(x);

/** `lax.stop_gradient`: the identity, with zero derivative. */
export const stopGradient = (x: ArrayLike): NdArray => stopGradientPrim(arr(x));
/** `lax.select(pred, onTrue, onFalse)`. */
export const select = (pred: ArrayLike, onTrue: ArrayLike, onFalse: ArrayLike): NdArray =>
  ew.selectN(arr(pred), [arr(onFalse), arr(onTrue)]);
export const reshape = (x: ArrayLike, newSizes: readonly number[]): NdArray => st.reshape(arr(x), newSizes);
export const transpose = (x: ArrayLike, permutation: readonly number[]): NdArray => st.transpose(arr(x), permutation);
export const broadcastInDim = (x: ArrayLike, shape: readonly number[], broadcastDimensions: number[]): NdArray =>
  st.broadcastInDim(arr(x), shape, broadcastDimensions);
/** `lax.dot_general(lhs, rhs, ((lc, rc), (lb, rb)))`. */
export const dotGeneral = (
  lhs: ArrayLike,
  rhs: ArrayLike,
  dimensionNumbers: [[number[], number[]], [number[], number[]]],
): NdArray => dotGeneralPrim(arr(lhs), arr(rhs), { contracting: dimensionNumbers[0], batch: dimensionNumbers[1] });
export const iota = (dtype: DType, size: number): NdArray => iotaPrim(dtype, [size], 0);
export const reduceSum = (x: ArrayLike, axes: number[]): NdArray => reduceSumPrim(arr(x), axes);
export const slice = (x: ArrayLike, startIndices: number[], limitIndices: number[], strides?: number[]): NdArray =>
  sl.slice(arr(x), { startIndices, limitIndices, strides: strides ?? startIndices.map(() => 1) });
export const sliceInDim = (x: ArrayLike, start: number, limit: number, stride = 1, axis = 0): NdArray =>
  sl.sliceAxis(arr(x), axis, start, limit, stride);
/** `lax.pad(x, value, [[lo, hi, interior], ...])`. */
export const pad = (x: ArrayLike, paddingValue: ArrayLike, config: [number, number, number][]): NdArray => {
  const a = arr(x);
  return sl.pad(a, asArray(paddingValue, a.dtype), config);
};
export const concatenate = (xs: ArrayLike[], dimension: number): NdArray => sl.concatenate(xs.map(arr), dimension);
export const rev = (x: ArrayLike, dimensions: number[]): NdArray => sl.rev(arr(x), dimensions);
export const cumsum = (x: ArrayLike, axis = 0, reverse = false): NdArray => cum.cumsum(arr(x), axis, reverse);
export const cumprod = (x: ArrayLike, axis = 0, reverse = false): NdArray => cum.cumprod(arr(x), axis, reverse);
export const cummax = (x: ArrayLike, axis = 0, reverse = false): NdArray => cum.cummax(arr(x), axis, reverse);
export const cummin = (x: ArrayLike, axis = 0, reverse = false): NdArray => cum.cummin(arr(x), axis, reverse);
/** `lax.sort(operands, dimension, num_keys)`: sorts every operand by the first `numKeys`. */
export const sort = (operands: ArrayLike[], dimension = -1, numKeys = 1): NdArray[] => {
  const xs = operands.map(arr);
  const d = dimension < 0 ? dimension + xs[0].ndim : dimension;
  return sortPrim(xs, { dimension: d, numKeys });
};
/** `lax.integer_pow(x, y)` for a static integer y. */
export const integerPow = (x: ArrayLike, y: number): NdArray => {
  const a = arr(x);
  let out: NdArray | null = null;
  let base = a;
  for (let n = Math.abs(y); n > 0; n >>= 1) {
    if (n & 1) out = out ? ew.mul(out, base) : base;
    if (n > 1) base = ew.mul(base, base);
  }
  const pos = out ?? ew.scalarLike(1, a);
  return y < 0 ? ew.div(ew.scalarLike(1, a), pos) : pos;
};

export { cond, switchCase as switch, whileLoop, foriLoop, scan, map, type ScanOptions } from "../control/api.js";
