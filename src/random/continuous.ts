/**
 * Continuous samplers, each JAX's algorithm step for step: uniform, normal,
 * truncatedNormal, exponential, gumbel. Optional arguments are positional, in
 * JAX's order, or in a trailing options object.
 */
import type { ArrayLike, NdArray } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { defineOptions, orNull, type OptArgs } from "../core/options.js";
import { asArray, fromValues } from "../primitives/as-array.js";
import { add, convert, div, ge, max, min, mul, scalarLike, selectN, sub } from "../primitives/elementwise.js";
import { broadcastShapes } from "../primitives/shapes.js";
import { sliceAxis } from "../primitives/slicing.js";
import { stopGradient } from "../primitives/stop-gradient.js";
import { reshape } from "../primitives/structural.js";
import { erf, erfInv, log, log1p, neg } from "../primitives/unary.js";
import { arrayArg, checkKey, checkParamShapes, checkShape, floatDType, opt } from "./args.js";
import { unitFloats } from "./bits.js";
import { nextAfter } from "./float-bits.js";

type FloatDType = "float32" | "float64";
const c = scalarLike;

/** Mantissa bits and smallest normal of each float dtype (`jnp.finfo(dtype).nmant`, `.tiny`). */
const FINFO = { float32: { nmant: 23, tiny: 2 ** -126 }, float64: { nmant: 52, tiny: 2 ** -1022 } };

/**
 * A distribution parameter converted to `dtype` (a strong type, as
 * lax.convert_element_type). A JS number goes straight to `dtype`, without
 * passing through the default float (2^-1022 must survive as a float64).
 */
function param(op: string, x: ArrayLike, dtype: DType): NdArray {
  return typeof x === "number" ? fromValues([x], [], dtype) : convert(asArray(x, undefined, `random.${op}`), dtype);
}

/** `lax.broadcast_to_rank`: leading axes of size 1 up to rank `n`. */
function toRank(x: NdArray, n: number): NdArray {
  const missing = n - x.ndim;
  return missing <= 0 ? x : reshape(x, [...new Array<number>(missing).fill(1), ...x.aval.shape]);
}

/**
 * JAX's `_uniform`: max(minval, u·(maxval - minval) + minval) with u uniform on
 * [0, 1). (XLA's CPU compiler contracts u·s + minval into one FMA; here it
 * rounds twice, which can differ by an ulp when u·s is inexact, i.e. when the
 * range is not a power of two.)
 */
export function uniformIn(
  op: string,
  key: NdArray,
  shape: number[],
  dtype: FloatDType,
  minval: ArrayLike,
  maxval: ArrayLike,
): NdArray {
  const lo = param(op, minval, dtype);
  const hi = param(op, maxval, dtype);
  checkParamShapes(op, shape, lo.aval.shape, hi.aval.shape);
  const [loR, hiR] = [toRank(lo, shape.length), toRank(hi, shape.length)];
  const u = unitFloats(key, shape, dtype);
  return max(loR, add(mul(u, sub(hiR, loR)), loR));
}

/** Options of `random.uniform` (JAX: shape, dtype, minval, maxval; out_sharding keyword-only). */
export interface UniformOptions {
  /** The result shape (default []: a scalar). */
  shape?: readonly number[];
  /** A float dtype (default: the default float, float64 under enableX64). */
  dtype?: DType | null;
  /** The lower bound (inclusive), broadcast to shape. Default 0. */
  minval?: ArrayLike;
  /** The upper bound (exclusive), broadcast to shape. Default 1. */
  maxval?: ArrayLike;
  /** JAX's `out_sharding`: only null (one device). */
  outSharding?: null;
}

const uniformOptions = defineOptions(
  "random.uniform",
  { shape: opt.shape, dtype: opt.dtype, minval: opt.array, maxval: opt.array, outSharding: opt.outSharding },
  ["shape", "dtype", "minval", "maxval"],
);

/**
 * `jax.random.uniform(key, shape=[], dtype, minval=0, maxval=1)`: floats uniform on [minval, maxval).
 *
 * @example
 * random.uniform(key, [3], { minval: -1, maxval: 1 });
 * random.uniform(key, [3], null, -1, 1); // the same, positionally
 */
export function uniform(
  key: NdArray,
  ...args: OptArgs<[readonly number[], DType | null, ArrayLike, ArrayLike], UniformOptions>
): NdArray {
  const o = uniformOptions.parse(args);
  checkKey("uniform", key);
  const dtype = floatDType("uniform", o.dtype);
  return uniformIn("uniform", key, checkShape("uniform", o.shape ?? []), dtype, o.minval ?? 0, o.maxval ?? 1);
}

/** Options of `random.normal` and `random.exponential` (JAX: shape, dtype; out_sharding keyword-only). */
export interface SampleOptions {
  /** The result shape (default []: a scalar). */
  shape?: readonly number[];
  /** A float dtype (default: the default float, float64 under enableX64). */
  dtype?: DType | null;
  /** JAX's `out_sharding`: only null (one device). */
  outSharding?: null;
}

type SampleArgs = OptArgs<[readonly number[], DType | null], SampleOptions>;
const sampleChecks = { shape: opt.shape, dtype: opt.dtype, outSharding: opt.outSharding };
const sampleOptions = {
  normal: defineOptions("random.normal", sampleChecks, ["shape", "dtype"]),
  exponential: defineOptions("random.exponential", sampleChecks, ["shape", "dtype"]),
};

function sampleArgs(op: "normal" | "exponential", key: NdArray, args: SampleArgs): [number[], FloatDType] {
  const o = sampleOptions[op].parse(args);
  checkKey(op, key);
  return [checkShape(op, o.shape ?? []), floatDType(op, o.dtype)];
}

/** The float just above -1, nextafter(-1, 0), in each dtype. */
const ABOVE_MINUS_ONE = { float32: -(1 - 2 ** -24), float64: -(1 - 2 ** -53) };

/**
 * `jax.random.normal(key, shape=[], dtype)`: standard normal draws by inverse
 * transform, √2·erf⁻¹(u) with u uniform on (-1, 1) (lower end nextafter(-1, 0)).
 *
 * @example
 * const x = random.normal(random.key(0), [1000]);
 * np.mean(x).item(); // close to 0
 * random.normal(random.key(1), [2, 3], { dtype: "float32" }).shape; // [2, 3]
 */
export function normal(key: NdArray, ...args: SampleArgs): NdArray {
  const [shape, dtype] = sampleArgs("normal", key, args);
  const u = uniformIn("normal", key, shape, dtype, ABOVE_MINUS_ONE[dtype], 1);
  return mul(c(Math.SQRT2, u), erfInv(u));
}

/**
 * `jax.random.exponential(key, shape=[], dtype)`: -log1p(-u), u uniform on [0, 1).
 *
 * @example
 * random.exponential(random.key(0), [3]).shape; // [3]
 */
export function exponential(key: NdArray, ...args: SampleArgs): NdArray {
  const [shape, dtype] = sampleArgs("exponential", key, args);
  const u = uniformIn("exponential", key, shape, dtype, 0, 1);
  return neg(log1p(neg(u)));
}

/** Options of `random.gumbel` (JAX: shape, dtype, mode; out_sharding keyword-only). */
export interface GumbelOptions extends SampleOptions {
  /** "low" (default, also null): one uniform per draw; "high": two, for a larger range of logits. */
  mode?: "low" | "high" | null;
}

const gumbelOptions = defineOptions("random.gumbel", { ...sampleChecks, mode: opt.mode }, ["shape", "dtype", "mode"]);

/**
 * `jax.random.gumbel(key, shape=[], dtype, mode="low")`: -log(-log(u)). "low":
 * u uniform on [tiny, 1); "high": u from two uniforms (the second refining the
 * low end), then -log(-log1p(-x)) with x = 1 - u.
 *
 * @example
 * random.gumbel(key, [3], { mode: "high" });
 */
export function gumbel(
  key: NdArray,
  ...args: OptArgs<[readonly number[], DType | null, "low" | "high" | null], GumbelOptions>
): NdArray {
  const o = gumbelOptions.parse(args);
  checkKey("gumbel", key);
  return gumbelIn(key, checkShape("gumbel", o.shape ?? []), floatDType("gumbel", o.dtype), o.mode ?? "low");
}

/** Gumbel draws; `mode` was checked by the caller's options ("low", "high", null or absent). */
export function gumbelIn(
  key: NdArray,
  shape: number[],
  dtype: FloatDType,
  mode: "low" | "high" | null | undefined,
): NdArray {
  const { nmant, tiny } = FINFO[dtype];
  if (mode !== "high") {
    const u = uniformIn("gumbel", key, shape, dtype, tiny, 1);
    return neg(log(neg(log(u))));
  }
  const both = uniformIn("gumbel", key, [2, ...shape], dtype, 0, 1);
  const high = reshape(sliceAxis(both, 0, 0, 1), shape);
  const low = reshape(sliceAxis(both, 0, 1, 2), shape);
  // x = high where high ≥ 0.5, else high + 2^-nmant·low + max(2^-(2·nmant+1), tiny).
  const refined = add(add(high, mul(c(2 ** -nmant, low), low)), c(Math.max(2 ** -(2 * nmant + 1), tiny), low));
  const x = selectN(ge(high, c(0.5, high)), [refined, high]);
  return neg(log(neg(log1p(neg(x)))));
}

/** Options of `random.truncatedNormal` (JAX: shape, dtype; out_sharding keyword-only). */
export interface TruncatedNormalOptions {
  /** The result shape; null or absent: the broadcast shape of lower and upper. */
  shape?: readonly number[] | null;
  /** A float dtype (default: the default float, float64 under enableX64). */
  dtype?: DType | null;
  /** JAX's `out_sharding`: only null (one device). */
  outSharding?: null;
}

const truncatedNormalOptions = defineOptions(
  "random.truncatedNormal",
  { shape: orNull(opt.shape), dtype: opt.dtype, outSharding: opt.outSharding },
  ["shape", "dtype"],
);

/**
 * `jax.random.truncated_normal(key, lower, upper, shape, dtype)`: normal draws
 * on the open interval (lower, upper), by inverse transform:
 * √2·erf⁻¹(u) with u uniform on [erf(lower/√2), erf(upper/√2)), clipped to
 * [nextafter(lower, ∞), nextafter(upper, -∞)] against rounding. The shape
 * defaults to the broadcast shape of lower and upper.
 *
 * @example
 * random.truncatedNormal(key, -2, 2, [5]);
 */
export function truncatedNormal(
  key: NdArray,
  lower: ArrayLike,
  upper: ArrayLike,
  ...args: OptArgs<[readonly number[] | null, DType | null], TruncatedNormalOptions>
): NdArray {
  const o = truncatedNormalOptions.parse(args);
  checkKey("truncatedNormal", key);
  const dtype = floatDType("truncatedNormal", o.dtype);
  const lo = param("truncatedNormal", checkedArrayLike("truncatedNormal", "lower", lower), dtype);
  const hi = param("truncatedNormal", checkedArrayLike("truncatedNormal", "upper", upper), dtype);
  const shape =
    o.shape === undefined || o.shape === null
      ? broadcastShapes("random.truncatedNormal", lo.aval.shape, hi.aval.shape)
      : checkShape("truncatedNormal", o.shape);
  const sqrt2 = c(Math.SQRT2, lo);
  const u = uniformIn("truncatedNormal", key, shape, dtype, erf(div(lo, sqrt2)), erf(div(hi, sqrt2)));
  const out = mul(sqrt2, erfInv(u));
  return min(max(out, nextAfter(stopGradient(lo), 1)), nextAfter(stopGradient(hi), -1));
}

/** A required array-like argument, checked (a JS number stays a number for {@link param}). */
function checkedArrayLike(op: string, name: string, x: unknown): ArrayLike {
  return typeof x === "number" ? x : arrayArg(op, name, x);
}
