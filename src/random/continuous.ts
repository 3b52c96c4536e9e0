/**
 * Continuous samplers, each JAX's algorithm step for step: uniform, normal,
 * truncatedNormal, exponential, gumbel. Optional arguments are positional, in
 * JAX's order, or in a trailing options object.
 */
import type { ArrayLike, NdArray } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { DTypeError } from "../core/errors.js";
import { asArray, fromValues } from "../numpy/convert.js";
import { parseOptional } from "../numpy/options.js";
import { add, convert, div, ge, max, min, mul, scalarLike, selectN, sub } from "../primitives/elementwise.js";
import { broadcastShapes } from "../primitives/shapes.js";
import { sliceAxis } from "../primitives/slicing.js";
import { stopGradient } from "../primitives/stop-gradient.js";
import { reshape } from "../primitives/structural.js";
import { erf, erfInv, log, log1p, neg } from "../primitives/unary.js";
import { checkKey, checkParamShapes, checkShape, floatDType, type OptionalArgs } from "./args.js";
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
function param(x: ArrayLike, dtype: DType): NdArray {
  return typeof x === "number" ? fromValues([x], [], dtype) : convert(asArray(x), dtype);
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
  const lo = param(minval, dtype);
  const hi = param(maxval, dtype);
  checkParamShapes(op, shape, lo.aval.shape, hi.aval.shape);
  const [loR, hiR] = [toRank(lo, shape.length), toRank(hi, shape.length)];
  const u = unitFloats(key, shape, dtype);
  return max(loR, add(mul(u, sub(hiR, loR)), loR));
}

export interface UniformOptions {
  shape?: readonly number[];
  dtype?: DType;
  minval?: ArrayLike;
  maxval?: ArrayLike;
}

/** `jax.random.uniform(key, shape=[], dtype, minval=0, maxval=1)`: floats uniform on [minval, maxval). */
export function uniform(
  key: NdArray,
  ...args: OptionalArgs<
    [readonly number[] | undefined, DType | null | undefined, ArrayLike | undefined, ArrayLike | undefined],
    UniformOptions
  >
): NdArray {
  const o = parseOptional<UniformOptions>(["shape", "dtype", "minval", "maxval"], args);
  checkKey("uniform", key);
  const dtype = floatDType("uniform", o.dtype) as FloatDType;
  return uniformIn("uniform", key, checkShape("uniform", o.shape ?? []), dtype, o.minval ?? 0, o.maxval ?? 1);
}

export interface SampleOptions {
  shape?: readonly number[];
  dtype?: DType;
}

type SampleArgs = OptionalArgs<[readonly number[] | undefined, DType | null | undefined], SampleOptions>;

function sampleArgs(op: string, key: NdArray, args: SampleArgs): [number[], FloatDType] {
  const o = parseOptional<SampleOptions>(["shape", "dtype"], args);
  checkKey(op, key);
  return [checkShape(op, o.shape ?? []), floatDType(op, o.dtype) as FloatDType];
}

/** The float just above -1, nextafter(-1, 0), in each dtype. */
const ABOVE_MINUS_ONE = { float32: -(1 - 2 ** -24), float64: -(1 - 2 ** -53) };

/**
 * `jax.random.normal(key, shape=[], dtype)`: standard normal draws by inverse
 * transform, √2·erf⁻¹(u) with u uniform on (-1, 1) (lower end nextafter(-1, 0)).
 */
export function normal(key: NdArray, ...args: SampleArgs): NdArray {
  const [shape, dtype] = sampleArgs("normal", key, args);
  const u = uniformIn("normal", key, shape, dtype, ABOVE_MINUS_ONE[dtype], 1);
  return mul(c(Math.SQRT2, u), erfInv(u));
}

/** `jax.random.exponential(key, shape=[], dtype)`: -log1p(-u), u uniform on [0, 1). */
export function exponential(key: NdArray, ...args: SampleArgs): NdArray {
  const [shape, dtype] = sampleArgs("exponential", key, args);
  const u = uniformIn("exponential", key, shape, dtype, 0, 1);
  return neg(log1p(neg(u)));
}

export interface GumbelOptions extends SampleOptions {
  /** "low" (default): one uniform per draw; "high": two, for a larger range of logits. */
  mode?: "low" | "high";
}

/**
 * `jax.random.gumbel(key, shape=[], dtype, mode="low")`: -log(-log(u)). "low":
 * u uniform on [tiny, 1); "high": u from two uniforms (the second refining the
 * low end), then -log(-log1p(-x)) with x = 1 - u.
 */
export function gumbel(
  key: NdArray,
  ...args: OptionalArgs<
    [readonly number[] | undefined, DType | null | undefined, "low" | "high" | undefined],
    GumbelOptions
  >
): NdArray {
  const o = parseOptional<GumbelOptions>(["shape", "dtype", "mode"], args);
  checkKey("gumbel", key);
  return gumbelIn(
    key,
    checkShape("gumbel", o.shape ?? []),
    floatDType("gumbel", o.dtype) as FloatDType,
    o.mode ?? "low",
  );
}

export function gumbelIn(key: NdArray, shape: number[], dtype: FloatDType, mode: unknown): NdArray {
  const { nmant, tiny } = FINFO[dtype];
  if (mode === "low" || mode === undefined || mode === null) {
    const u = uniformIn("gumbel", key, shape, dtype, tiny, 1);
    return neg(log(neg(log(u))));
  }
  if (mode !== "high") {
    throw new DTypeError(`[random.gumbel] unknown mode: got ${JSON.stringify(mode)}, expected "low" or "high".`);
  }
  const both = uniformIn("gumbel", key, [2, ...shape], dtype, 0, 1);
  const high = reshape(sliceAxis(both, 0, 0, 1), shape);
  const low = reshape(sliceAxis(both, 0, 1, 2), shape);
  // x = high where high ≥ 0.5, else high + 2^-nmant·low + max(2^-(2·nmant+1), tiny).
  const refined = add(add(high, mul(c(2 ** -nmant, low), low)), c(Math.max(2 ** -(2 * nmant + 1), tiny), low));
  const x = selectN(ge(high, c(0.5, high)), [refined, high]);
  return neg(log(neg(log1p(neg(x)))));
}

export type TruncatedNormalOptions = SampleOptions;

/**
 * `jax.random.truncated_normal(key, lower, upper, shape, dtype)`: normal draws
 * on the open interval (lower, upper), by inverse transform:
 * √2·erf⁻¹(u) with u uniform on [erf(lower/√2), erf(upper/√2)), clipped to
 * [nextafter(lower, ∞), nextafter(upper, -∞)] against rounding. The shape
 * defaults to the broadcast shape of lower and upper.
 */
export function truncatedNormal(
  key: NdArray,
  lower: ArrayLike,
  upper: ArrayLike,
  ...args: OptionalArgs<[readonly number[] | null | undefined, DType | null | undefined], TruncatedNormalOptions>
): NdArray {
  const o = parseOptional<TruncatedNormalOptions>(["shape", "dtype"], args);
  checkKey("truncatedNormal", key);
  const dtype = floatDType("truncatedNormal", o.dtype) as FloatDType;
  const lo = param(lower, dtype);
  const hi = param(upper, dtype);
  const shape =
    o.shape === undefined || o.shape === null
      ? broadcastShapes("random.truncatedNormal", lo.aval.shape, hi.aval.shape)
      : checkShape("truncatedNormal", o.shape);
  const sqrt2 = c(Math.SQRT2, lo);
  const u = uniformIn("truncatedNormal", key, shape, dtype, erf(div(lo, sqrt2)), erf(div(hi, sqrt2)));
  const out = mul(sqrt2, erfInv(u));
  return min(max(out, nextAfter(stopGradient(lo), 1)), nextAfter(stopGradient(hi), -1));
}
