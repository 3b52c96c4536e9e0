/**
 * Order statistics as jax.numpy computes them: sort along the axis, then read the two
 * neighbours of the fractional position q·(n − 1) and combine them by `method`.
 */
import type { NdArray, ArrayLike } from "../core/array.js";
import { ArgumentTypeError, ShapeError } from "../core/errors.js";
import { defaultFloat, isFloat } from "../core/dtypes.js";
import { defineOptions, is, orNull, check, type OptArgs } from "../core/options.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import * as st from "../primitives/structural.js";
import * as red from "../primitives/reduce.js";
import { bind1 } from "../core/trace.js";
import { sort as sortPrim } from "../primitives/sort.js";
import { takeAxis } from "../primitives/take.js";
import { iota } from "../primitives/iota.js";
import { normalizeAxes, range } from "../primitives/shapes.js";
import { asArray } from "../primitives/as-array.js";
import type { AxisArg } from "./reductions.js";

/** How a quantile between two data points is read (JAX's methods). */
export type QuantileMethod = "linear" | "lower" | "higher" | "midpoint" | "nearest";
const METHODS: readonly QuantileMethod[] = ["linear", "lower", "higher", "midpoint", "nearest"];

/** Options of `np.quantile` / `np.percentile` (JAX: axis, out, overwrite_input, method, keepdims). */
export interface QuantileOptions {
  /** The axis or axes to reduce; null or absent: the flattened array. */
  axis?: AxisArg;
  /** JAX's `out`: must be null. */
  out?: null;
  /** Accepted and ignored (JAX arrays are immutable). */
  overwriteInput?: boolean;
  /** "linear" (default), "lower", "higher", "midpoint" or "nearest" (ties go to the lower neighbour, as in JAX). */
  method?: QuantileMethod;
  /** Keep the reduced axes as length-1 axes. */
  keepdims?: boolean;
}
const quantileChecks = {
  axis: orNull(is.axes),
  out: is.none,
  overwriteInput: is.bool,
  method: check<QuantileMethod>(
    `one of ${METHODS.map((m) => JSON.stringify(m)).join(", ")} (the methods JAX implements)`,
    (v) => METHODS.includes(v as QuantileMethod),
  ),
  keepdims: is.bool,
};
const quantileOrder = ["axis", "out", "overwriteInput", "method", "keepdims"] as const;
const quantileOptions = {
  quantile: defineOptions("quantile", quantileChecks, quantileOrder),
  percentile: defineOptions("percentile", quantileChecks, quantileOrder),
  nanquantile: defineOptions("nanquantile", quantileChecks, quantileOrder),
  nanpercentile: defineOptions("nanpercentile", quantileChecks, quantileOrder),
};
type QuantileArgs = OptArgs<[AxisArg, null, boolean, QuantileMethod, boolean], QuantileOptions>;

/** Options of `np.median` (JAX: axis, out, overwrite_input, keepdims). */
export type MedianOptions = Omit<QuantileOptions, "method">;
const medianChecks = {
  axis: quantileChecks.axis,
  out: is.none,
  overwriteInput: is.bool,
  keepdims: is.bool,
};
const medianOptions = {
  median: defineOptions("median", medianChecks, ["axis", "out", "overwriteInput", "keepdims"]),
  nanmedian: defineOptions("nanmedian", medianChecks, ["axis", "out", "overwriteInput", "keepdims"]),
};
type MedianArgs = OptArgs<[AxisArg, null, boolean, boolean], MedianOptions>;

/** x in its float dtype (ints and bools as the default float). */
function floatOf(op: string, x: ArrayLike): NdArray {
  const a = asArray(x, undefined, op);
  return isFloat(a.dtype) ? a : ew.convert(a, defaultFloat());
}

/**
 * The data with the reduced axes merged into the last one: [kept..., n], and the shape the result
 * takes with keepdims (reduced axes as 1).
 */
function gatherAxes(op: string, a: NdArray, axis: AxisArg): [NdArray, number[]] {
  const axes =
    axis === null || axis === undefined
      ? range(a.ndim)
      : normalizeAxes(op, typeof axis === "number" ? [axis] : axis, a.ndim);
  if (new Set(axes).size !== axes.length) throw new ArgumentTypeError(`[${op}] repeated axis: got [${axes}].`);
  const kept = range(a.ndim).filter((i) => !axes.includes(i));
  const keptShape = kept.map((i) => a.aval.shape[i]);
  const n = axes.reduce((p, i) => p * a.aval.shape[i], 1);
  const moved = st.transpose(a, [...kept, ...axes]);
  const keepShape = a.aval.shape.map((m, i) => (axes.includes(i) ? 1 : m));
  return [st.reshape(moved, [...keptShape, n]), keepShape];
}

function quantileImpl(
  op: string,
  x: ArrayLike,
  q: ArrayLike,
  o: QuantileOptions,
  scale: number,
  squashNans: boolean,
): NdArray {
  const a0 = floatOf(op, x);
  let qa = asArray(q, undefined, op);
  qa = isFloat(qa.dtype) ? (qa.dtype === a0.dtype ? qa : ew.convert(qa, a0.dtype)) : ew.convert(qa, a0.dtype);
  if (qa.ndim > 1) throw new ShapeError(`[${op}] q must be have rank <= 1, got shape [${qa.aval.shape}].`);
  if (scale !== 1) qa = ew.div(qa, ew.scalarLike(scale, qa));
  const [a1, keepShape] = gatherAxes(op, a0, o.axis);
  const last = a1.ndim - 1;
  const n = a1.aval.shape[last];
  if (n === 0) {
    throw new ShapeError(
      `[${op}] cannot take a quantile of an empty axis: got ${a0.aval.str()}, expected data on the reduced axes.`,
    );
  }
  const batch = a1.aval.shape.slice(0, last);
  let a = a1;
  const nan = ew.scalarLike(NaN, a);
  const isnan = ew.ne(a, a);
  let count: NdArray; // the number of values that take part, per position: [batch..., 1]
  if (squashNans) {
    count = st.reshape(red.reduceSum(ew.convert(ew.eq(a, a), a.dtype), [last]), [...batch, 1]);
  } else {
    // One NaN makes the whole quantile NaN.
    const anyNan = st.reshape(bind1(red.reduceOrP, [isnan], { axes: [last] }), [...batch, 1]);
    a = ew.selectN(st.broadcastTo(anyNan, a.aval.shape), [a, st.broadcastTo(nan, a.aval.shape)]);
    count = st.broadcastTo(ew.scalarLike(n, a), [...batch, 1]);
  }
  a = sortPrim([a], { dimension: last, numKeys: 1 })[0];
  // position = q·(count − 1), between the neighbours low = ⌊position⌋ and high = ⌈position⌉.
  const k = qa.size;
  const qRow = st.reshape(qa, [...batch.map(() => 1), k]);
  const top = ew.sub(count, ew.scalarLike(1, count));
  const pos = ew.mul(qRow, top);
  const lowF = un.floor(pos);
  const highF = un.ceil(pos);
  const highWeight = ew.sub(pos, lowF);
  const lowWeight = ew.sub(ew.scalarLike(1, highWeight), highWeight);
  const zero = ew.scalarLike(0, pos);
  const clampIdx = (i: NdArray) => ew.convert(ew.max(zero, ew.min(i, top)), "int32");
  const idxShape = [...batch, k];
  const lowValue = readAt(a, st.broadcastTo(clampIdx(lowF), idxShape));
  const highValue = readAt(a, st.broadcastTo(clampIdx(highF), idxShape));
  const method = o.method ?? "linear";
  let r: NdArray;
  if (method === "linear") r = ew.add(ew.mul(lowValue, lowWeight), ew.mul(highValue, highWeight));
  else if (method === "lower") r = lowValue;
  else if (method === "higher") r = highValue;
  else if (method === "nearest") {
    const pred = st.broadcastTo(ew.le(highWeight, ew.scalarLike(0.5, highWeight)), idxShape);
    r = ew.selectN(pred, [highValue, lowValue]);
  } else r = ew.mul(ew.add(lowValue, highValue), ew.scalarLike(0.5, lowValue));
  if (!sameShape(r.aval.shape, idxShape)) r = st.broadcastTo(r, idxShape);
  // The q axis comes first, then the kept axes (or every axis, reduced ones as 1, with keepdims).
  const outRest = o.keepdims ? keepShape : batch;
  if (qa.ndim === 0) return st.reshape(r, outRest);
  const qFirst = st.transpose(r, [batch.length, ...range(batch.length)]);
  return st.reshape(qFirst, [k, ...outRest]);
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((n, i) => n === b[i]);

/** out[..., j] = a[..., idx[..., j]] (indices already in range). */
function readAt(a: NdArray, idx: NdArray): NdArray {
  const last = a.ndim - 1;
  if (last === 0) return takeAxis(a, idx, 0, "clip");
  // Gather along the last axis, batch positions by their own index.
  const batch = a.aval.shape.slice(0, last);
  const m = batch.reduce((p, x) => p * x, 1);
  const n = a.aval.shape[last];
  const k = idx.aval.shape[last];
  const flatIdx = ew.add(
    st.reshape(idx, [m, k]),
    st.broadcastTo(st.reshape(ew.mul(iotaInt(m), ew.scalarLike(n, iotaInt(m))), [m, 1]), [m, k]),
  );
  return st.reshape(takeAxis(st.reshape(a, [m * n]), flatIdx, 0, "clip"), [...batch, k]);
}

const iotaInt = (m: number): NdArray => iota("int32", [m], 0);

/**
 * `jnp.quantile(a, q, axis=None, out=None, overwrite_input=False, method='linear', keepdims=False)`:
 * the q-th quantiles (q in [0, 1], a scalar or 1-D; a 1-D q gives a leading axis). NaN where the data hold a NaN.
 * @example np.quantile(np.array([1, 2, 3, 4]), 0.25); // 1.75
 */
export function quantile(a: ArrayLike, q: ArrayLike, ...args: QuantileArgs): NdArray {
  return quantileImpl("quantile", a, q, quantileOptions.quantile.parse(args), 1, false);
}

/**
 * `jnp.percentile(a, q, axis=None, out=None, overwrite_input=False, method='linear', keepdims=False)`:
 * {@link quantile} with q in percent.
 * @example np.percentile(np.array([1, 2, 3, 4]), 50); // 2.5
 */
export function percentile(a: ArrayLike, q: ArrayLike, ...args: QuantileArgs): NdArray {
  return quantileImpl("percentile", a, q, quantileOptions.percentile.parse(args), 100, false);
}

/**
 * `jnp.nanquantile(a, q, axis=None, out=None, overwrite_input=False, method='linear', keepdims=False)`:
 * {@link quantile} ignoring NaNs (NaN where a slice is all NaN).
 * @example np.nanquantile(np.array([1, NaN, 3]), 0.5); // 2
 */
export function nanquantile(a: ArrayLike, q: ArrayLike, ...args: QuantileArgs): NdArray {
  return quantileImpl("nanquantile", a, q, quantileOptions.nanquantile.parse(args), 1, true);
}

/**
 * `jnp.nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method='linear', keepdims=False)`:
 * {@link percentile} ignoring NaNs.
 * @example np.nanpercentile(np.array([1, NaN, 3]), 50); // 2
 */
export function nanpercentile(a: ArrayLike, q: ArrayLike, ...args: QuantileArgs): NdArray {
  return quantileImpl("nanpercentile", a, q, quantileOptions.nanpercentile.parse(args), 100, true);
}

/**
 * `jnp.median(a, axis=None, out=None, overwrite_input=False, keepdims=False)`: the 0.5 quantile
 * by the midpoint of the two middle values.
 * @example np.median(np.array([[10, 7, 4], [3, 2, 1]])); // 3.5
 */
export function median(a: ArrayLike, ...args: MedianArgs): NdArray {
  const o = medianOptions.median.parse(args);
  return quantileImpl("median", a, 0.5, { ...o, method: "midpoint" }, 1, false);
}

/**
 * `jnp.nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False)`: {@link median} ignoring NaNs.
 * @example np.nanmedian(np.array([1, NaN, 3, 4])); // 3
 */
export function nanmedian(a: ArrayLike, ...args: MedianArgs): NdArray {
  const o = medianOptions.nanmedian.parse(args);
  return quantileImpl("nanmedian", a, 0.5, { ...o, method: "midpoint" }, 1, true);
}
