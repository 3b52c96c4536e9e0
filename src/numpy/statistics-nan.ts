/**
 * Reductions that ignore NaNs, as jax.numpy writes them: NaNs are replaced by the reduction's
 * identity, and the counts exclude them.
 */
import type { NdArray, ArrayLike } from "../core/array.js";
import { ArgumentTypeError } from "../core/errors.js";
import { defaultFloat, isFloat, type DType } from "../core/dtypes.js";
import { defineOptions, is, orNull, type OptArgs } from "../core/options.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import * as st from "../primitives/structural.js";
import { asArray } from "../primitives/as-array.js";
import { sum, max, min, all, mean, type AxisArg, type ReduceOptions, type VarOptions } from "./reductions.js";
import { where } from "./math.js";

const axisCheck = orNull(is.axes);
const dtypeCheck = orNull(is.dtype);
const maskCheck = orNull(is.arrayLike);

const nansumOptions = defineOptions(
  "nansum",
  {
    axis: axisCheck,
    dtype: dtypeCheck,
    out: is.none,
    keepdims: is.bool,
    initial: orNull(is.numberOrNaN),
    where: maskCheck,
  },
  ["axis", "dtype", "out", "keepdims", "initial", "where"],
);

/** Options of `np.nansum` (JAX: axis, dtype, out, keepdims, initial, where). */
export type NansumOptions = Omit<ReduceOptions, "promoteIntegers">;

/** NaN → `fill` (float arrays only: other dtypes hold no NaN). */
function squash(a: NdArray, fill: number): NdArray {
  if (!isFloat(a.dtype)) return a;
  return ew.selectN(ew.ne(a, a), [a, st.broadcastTo(ew.scalarLike(fill, a), a.aval.shape)]);
}

/**
 * `jnp.nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None)`:
 * the sum with NaNs counted as zero.
 * @example np.nansum(np.array([1, NaN, 3])); // 4
 */
export function nansum(
  a: ArrayLike,
  ...args: OptArgs<[AxisArg, DType | null, null, boolean, number | null, ArrayLike | null], NansumOptions>
): NdArray {
  const o = nansumOptions.parse(args);
  return sum(squash(asArray(a, undefined, "nansum"), 0), { ...o });
}

/** Options of `np.nanmax` / `np.nanmin` (JAX: axis, out, keepdims, initial, where). */
export type NanExtremeOptions = Omit<ReduceOptions, "dtype" | "promoteIntegers">;
const extremeChecks = {
  axis: axisCheck,
  out: is.none,
  keepdims: is.bool,
  initial: orNull(is.numberOrNaN),
  where: maskCheck,
};
const extremeOrder = ["axis", "out", "keepdims", "initial", "where"] as const;
const extremeOptions = {
  nanmax: defineOptions("nanmax", extremeChecks, extremeOrder),
  nanmin: defineOptions("nanmin", extremeChecks, extremeOrder),
};
type ExtremeArgs = OptArgs<[AxisArg, null, boolean, number | null, ArrayLike | null], NanExtremeOptions>;

function nanExtreme(op: "nanmax" | "nanmin", x: ArrayLike, args: readonly unknown[]): NdArray {
  const o = extremeOptions[op].parse(args);
  const a = asArray(x, undefined, op);
  const f = op === "nanmax" ? max : min;
  if (o.where !== undefined && o.where !== null && (o.initial === undefined || o.initial === null)) {
    throw new ArgumentTypeError(
      `[${op}] reduction operation ${op} does not have an identity, so to use a where mask one has to specify 'initial'.`,
    );
  }
  const out = f(squash(a, op === "nanmax" ? -Infinity : Infinity), { ...o });
  if (!isFloat(a.dtype) || (o.initial !== undefined && o.initial !== null)) return out;
  // A slice of NaNs only gives NaN (JAX's nan_if_all_nan).
  const allNan = all(ew.ne(a, a), { axis: o.axis, keepdims: o.keepdims });
  return where(allNan, NaN, out);
}

/**
 * `jnp.nanmax(a, axis=None, out=None, keepdims=False, initial=None, where=None)`: the maximum
 * ignoring NaNs (NaN for a slice of NaNs only).
 * @example np.nanmax(np.array([1, NaN, 3])); // 3
 */
export const nanmax = (a: ArrayLike, ...args: ExtremeArgs): NdArray => nanExtreme("nanmax", a, args);

/**
 * `jnp.nanmin(a, axis=None, out=None, keepdims=False, initial=None, where=None)`: the minimum
 * ignoring NaNs (NaN for a slice of NaNs only).
 * @example np.nanmin(np.array([1, NaN, 3])); // 1
 */
export const nanmin = (a: ArrayLike, ...args: ExtremeArgs): NdArray => nanExtreme("nanmin", a, args);

/** Options of `np.nanmean` (JAX: axis, dtype, out, keepdims, where). */
export type NanmeanOptions = Omit<ReduceOptions, "initial" | "promoteIntegers">;
const nanmeanOptions = defineOptions(
  "nanmean",
  { axis: axisCheck, dtype: dtypeCheck, out: is.none, keepdims: is.bool, where: maskCheck },
  ["axis", "dtype", "out", "keepdims", "where"],
);

/** Counts of the non-NaN (and masked-in) elements over the axes, in `dtype`. */
function counts(
  a: NdArray,
  axis: AxisArg,
  keepdims: boolean | undefined,
  where: ArrayLike | null | undefined,
  dtype: DType,
): NdArray {
  const c = sum(ew.eq(a, a), { axis, keepdims, where: where ?? null, dtype: "int32" });
  return ew.convert(c, dtype);
}

/**
 * `jnp.nanmean(a, axis=None, dtype=None, out=None, keepdims=False, where=None)`: the mean of the
 * non-NaN values (NaN for a slice of NaNs only).
 * @example np.nanmean(np.array([1, NaN, 3])); // 2
 */
export function nanmean(
  a: ArrayLike,
  ...args: OptArgs<[AxisArg, DType | null, null, boolean, ArrayLike | null], NanmeanOptions>
): NdArray {
  const o = nanmeanOptions.parse(args);
  const x = asArray(a, undefined, "nanmean");
  if (!isFloat(x.dtype)) return mean(x, { ...o });
  const d = o.dtype && isFloat(o.dtype) ? o.dtype : x.dtype;
  const xs = x.dtype === d ? x : ew.convert(x, d);
  const s = sum(squash(xs, 0), { axis: o.axis, keepdims: o.keepdims, where: o.where ?? null });
  return ew.div(s, counts(xs, o.axis, o.keepdims, o.where, d));
}

/** Options of `np.nanvar` / `np.nanstd` (JAX: axis, dtype, out, ddof, keepdims, where, correction). */
export type NanvarOptions = VarOptions;
const nanvarChecks = {
  axis: axisCheck,
  dtype: dtypeCheck,
  out: is.none,
  ddof: is.number,
  keepdims: is.bool,
  where: maskCheck,
  correction: orNull(is.number),
};
const nanvarOrder = ["axis", "dtype", "out", "ddof", "keepdims", "where"] as const;
const nanvarOptions = {
  nanvar: defineOptions("nanvar", nanvarChecks, nanvarOrder),
  nanstd: defineOptions("nanstd", nanvarChecks, nanvarOrder),
};
type NanvarArgs = OptArgs<[AxisArg, DType | null, null, number, boolean, ArrayLike | null], NanvarOptions>;

/** Σ (x − nanmean)² over the non-NaN x, / (count − ddof); NaN where count − ddof ≤ 0 (JAX's nanvar). */
function nanvarImpl(op: "nanvar" | "nanstd", x: ArrayLike, args: readonly unknown[]): NdArray {
  const o = nanvarOptions[op].parse(args);
  if (o.ddof !== undefined && o.correction !== undefined && o.correction !== null) {
    throw new ArgumentTypeError(`[${op}] ddof and correction can't be provided simultaneously: give one of them.`);
  }
  const ddof = o.correction ?? o.ddof ?? 0;
  const a0 = asArray(x, undefined, op);
  const d = o.dtype && isFloat(o.dtype) ? o.dtype : isFloat(a0.dtype) ? a0.dtype : defaultFloat();
  const a = a0.dtype === d ? a0 : ew.convert(a0, d);
  const where = o.where ?? null;
  const m = nanmean(a, { axis: o.axis, keepdims: true, where });
  const centered = squash(ew.sub(a, m), 0);
  const sq = sum(ew.mul(centered, centered), { axis: o.axis, keepdims: o.keepdims, where });
  const n = ew.sub(counts(a, o.axis, o.keepdims, where, d), ew.scalarLike(ddof, sq));
  const bad = ew.le(n, ew.scalarLike(0, n));
  const v = where_(bad, NaN, ew.div(sq, where_(bad, 1, n)));
  return op === "nanstd" ? un.sqrt(v) : v;
}
const where_ = (c: NdArray, x: number, y: NdArray): NdArray => where(c, x, y);

/**
 * `jnp.nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None, correction=None)`:
 * the variance of the non-NaN values.
 * @example np.nanvar(np.array([1, NaN, 3])); // 1
 */
export const nanvar = (a: ArrayLike, ...args: NanvarArgs): NdArray => nanvarImpl("nanvar", a, args);

/**
 * `jnp.nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None, correction=None)`:
 * the standard deviation of the non-NaN values, √nanvar.
 * @example np.nanstd(np.array([1, NaN, 3])); // 1
 */
export const nanstd = (a: ArrayLike, ...args: NanvarArgs): NdArray => nanvarImpl("nanstd", a, args);
