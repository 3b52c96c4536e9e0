/** Discrete samplers, as JAX computes them: randint, bernoulli, categorical. */
import type { ArrayLike, NdArray } from "../core/array.js";
import { isFloat, type DType } from "../core/dtypes.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { defineOptions, describeValue, is, oneOf, orNull, type OptArgs } from "../core/options.js";
import { fromValues } from "../primitives/as-array.js";
import { argmax } from "../numpy/reductions.js";
import { moveaxis } from "../numpy/shape.js";
import * as ew from "../primitives/elementwise.js";
import { iota } from "../primitives/iota.js";
import { normalizeAxis, range } from "../primitives/shapes.js";
import { sliceAxis } from "../primitives/slicing.js";
import { sort } from "../primitives/sort.js";
import { reshape, transpose } from "../primitives/structural.js";
import { neg } from "../primitives/unary.js";
import { arrayArg, checkKey, checkParamShapes, checkShape, intDType, opt } from "./args.js";
import { randomBits32 } from "./bits.js";
import { gumbelIn, uniformIn } from "./continuous.js";
import { split } from "./keys.js";

const c = ew.scalarLike;
const LIMITS = { int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1] } as const;

/**
 * An integer bound: floats are truncated (JAX's astype(int)). A JS number is
 * an int32 (a uint32 from 2^31 to 2^32 - 1); beyond, or NaN/±Infinity, it is
 * an error, as JAX's "Python int too large to convert to int32".
 */
function intBound(name: string, x: unknown): NdArray {
  if (typeof x === "number") {
    const v = Math.trunc(x);
    if (!Number.isFinite(v) || v < LIMITS.int32[0] || v > LIMITS.uint32[1]) {
      throw new DTypeError(
        `[random.randint] ${name} too large to convert to an integer: got ${describeValue(x)}, ` +
          `expected a number in [-2^31, 2^32) (int32, or uint32 above 2^31 - 1).`,
      );
    }
    return fromValues([v], [], v > LIMITS.int32[1] ? "uint32" : "int32");
  }
  const a = arrayArg("randint", name, x);
  return a.dtype === "int32" || a.dtype === "uint32" ? a : ew.convert(a, "int32");
}

/** JAX's `_convert_and_clip_integer`: clip into the range both dtypes share, then convert. */
function convertAndClip(x: NdArray, dtype: "int32" | "uint32"): NdArray {
  const from = x.dtype as "int32" | "uint32";
  const lo = Math.max(LIMITS[dtype][0], LIMITS[from][0]);
  const hi = Math.min(LIMITS[dtype][1], LIMITS[from][1]);
  return ew.convert(ew.min(ew.max(x, c(lo, x)), c(hi, x)), dtype);
}

const toRank = (x: NdArray, n: number): NdArray =>
  x.ndim >= n ? x : reshape(x, [...new Array<number>(n - x.ndim).fill(1), ...x.aval.shape]);

/** Options of `random.randint` (JAX: dtype; out_sharding keyword-only). */
export interface RandintOptions {
  /** An integer dtype: "int32" (default, also null) or "uint32". */
  dtype?: DType | null;
  /** JAX's `out_sharding`: only null (one device). */
  outSharding?: null;
}

const randintOptions = defineOptions("random.randint", { dtype: opt.dtype, outSharding: opt.outSharding }, ["dtype"]);

/**
 * `jax.random.randint(key, shape, minval, maxval, dtype="int32")`: integers
 * uniform on [minval, maxval) (a span maxval ≤ minval gives minval). JAX's
 * algorithm: two 32-bit draws h, l from split(key), and
 * minval + ((h mod s)·(2³² mod s) + l mod s) mod s in uint32 arithmetic,
 * with 2³² mod s computed as ((2¹⁶ mod s)² mod s), wrapping as JAX's does.
 *
 * @example
 * random.randint(key, [6], 0, 10); // i32[6] in [0, 10)
 */
export function randint(
  key: NdArray,
  shape: readonly number[],
  minval: ArrayLike,
  maxval: ArrayLike,
  ...args: OptArgs<[DType | null], RandintOptions>
): NdArray {
  const o = randintOptions.parse(args);
  checkKey("randint", key);
  const dtype = intDType("randint", o.dtype);
  const s = checkShape("randint", shape);
  let lo = intBound("minval", minval);
  let hi = intBound("maxval", maxval);
  checkParamShapes("randint", s, lo.aval.shape, hi.aval.shape);
  // maxval beyond dtype's range (uint32 bound for an int32 draw) makes the span one larger.
  const dtypeMax = Math.min(LIMITS[dtype][1], LIMITS[hi.dtype as "int32" | "uint32"][1]);
  const hiOutOfRange = ew.gt(hi, c(dtypeMax, hi));
  lo = toRank(convertAndClip(lo, dtype), s.length);
  hi = toRank(convertAndClip(hi, dtype), s.length);
  const keys = split(key);
  const higher = randomBits32(keyRow(keys, 0), s);
  const lower = randomBits32(keyRow(keys, 1), s);
  let span = ew.convert(ew.sub(hi, lo), "uint32");
  span = ew.selectN(ew.le(hi, lo), [span, c(1, span)]);
  span = ew.selectN(ew.and(toRank(hiOutOfRange, s.length), ew.gt(hi, lo)), [span, ew.add(span, c(1, span))]);
  let multiplier = ew.rem(c(2 ** 16, span), span);
  multiplier = ew.rem(ew.mul(multiplier, multiplier), span);
  const offset = ew.rem(ew.add(ew.mul(ew.rem(higher, span), multiplier), ew.rem(lower, span)), span);
  return ew.add(lo, ew.convert(offset, dtype));
}

/** Row i of a stack of keys. */
export function keyRow(keys: NdArray, i: number): NdArray {
  return reshape(sliceAxis(keys, 0, i, i + 1), [2]);
}

/** Options of `random.bernoulli` (JAX: p, shape, mode; out_sharding keyword-only). */
export interface BernoulliOptions {
  /** The probability of true, a float array or JS number broadcast to shape. Default 0.5. */
  p?: ArrayLike;
  /** The result shape; null or absent: p's shape. */
  shape?: readonly number[] | null;
  /** "low" (default): one uniform per draw; "high": two, for correct draws at p below ~1e-7. */
  mode?: "low" | "high";
  /** JAX's `out_sharding`: only null (one device). */
  outSharding?: null;
}

const bernoulliOptions = defineOptions(
  "random.bernoulli",
  { p: opt.array, shape: orNull(opt.shape), mode: oneOf("low", "high"), outSharding: opt.outSharding },
  ["p", "shape", "mode"],
);

/**
 * `jax.random.bernoulli(key, p=0.5, shape, mode="low")`: booleans, true with probability p,
 * as u < p with u uniform on [0, 1) in p's float dtype. The shape defaults to p's.
 *
 * @example
 * random.bernoulli(key, 0.3, [5]);
 */
export function bernoulli(
  key: NdArray,
  ...args: OptArgs<[ArrayLike, readonly number[] | null, "low" | "high"], BernoulliOptions>
): NdArray {
  const o = bernoulliOptions.parse(args);
  checkKey("bernoulli", key);
  const p = arrayArg("bernoulli", "p", o.p ?? 0.5);
  if (!isFloat(p.dtype)) {
    throw new DTypeError(
      `[random.bernoulli] the probability p must be a float: got ${p.aval.str()}, expected a float array or JS number.`,
    );
  }
  const dtype = p.dtype as "float32" | "float64";
  let shape = p.aval.shape.slice();
  if (o.shape !== undefined && o.shape !== null) {
    shape = checkShape("bernoulli", o.shape);
    checkParamShapes("bernoulli", shape, p.aval.shape);
  }
  if (o.mode !== "high") return ew.lt(uniformIn("bernoulli", key, shape, dtype, 0, 1), p);
  // u1 + 2^-nmant·u2 < p, written u2·2^-nmant < p - u1.
  const both = uniformIn("bernoulli", key, [2, ...shape], dtype, 0, 1);
  const u1 = reshape(sliceAxis(both, 0, 0, 1), shape);
  const u2 = reshape(sliceAxis(both, 0, 1, 2), shape);
  return ew.lt(ew.mul(u2, c(dtype === "float32" ? 2 ** -23 : 2 ** -52, u2)), ew.sub(p, u1));
}

/** Options of `random.categorical` (JAX: axis, shape, replace, mode; out_sharding keyword-only). */
export interface CategoricalOptions {
  /** The axis of logits that holds the categories. Default -1. */
  axis?: number;
  /** The result shape; null or absent: logits' shape without axis. Leading extra axes are more draws. */
  shape?: readonly number[] | null;
  /** Draw with replacement (default true); without, each distribution's draws are distinct. */
  replace?: boolean;
  /** "low" (default, also null) or "high": the Gumbel draws' range, as in gumbel. */
  mode?: "low" | "high" | null;
  /** JAX's `out_sharding`: only null (one device). */
  outSharding?: null;
}

const categoricalOptions = defineOptions(
  "random.categorical",
  { axis: is.axis, shape: orNull(opt.shape), replace: is.bool, mode: opt.mode, outSharding: opt.outSharding },
  ["axis", "shape", "replace", "mode"],
);

/**
 * `jax.random.categorical(key, logits, axis=-1, shape, replace=true)`: indices
 * drawn with probabilities softmax(logits) along `axis`. With replacement, the
 * Gumbel-max trick: argmax(logits + gumbel). Without, Gumbel top-k: the k
 * largest of logits + gumbel, k the number of draws per distribution. The shape
 * defaults to logits' shape without `axis`; leading extra axes are more draws.
 *
 * @example
 * random.categorical(key, np.log(np.array([0.2, 0.8])), { shape: [10] });
 */
export function categorical(
  key: NdArray,
  logits: ArrayLike,
  ...args: OptArgs<[number, readonly number[] | null, boolean, "low" | "high" | null], CategoricalOptions>
): NdArray {
  const o = categoricalOptions.parse(args);
  checkKey("categorical", key);
  const l = arrayArg("categorical", "logits", logits);
  if (!isFloat(l.dtype)) {
    throw new DTypeError(
      `[random.categorical] logits must be floats: got ${l.aval.str()}, expected a float array. Convert with .astype("float32").`,
    );
  }
  const axis = normalizeAxis("random.categorical", o.axis ?? -1, l.ndim);
  const batch = l.aval.shape.filter((_, i) => i !== axis);
  const shape = o.shape === undefined || o.shape === null ? batch : checkShape("categorical", o.shape);
  checkParamShapes("categorical", shape, batch);
  const prefix = shape.slice(0, shape.length - batch.length);
  const dtype = l.dtype as "float32" | "float64";
  if (o.replace ?? true) {
    const drawShape = [...prefix, ...shape.slice(prefix.length)];
    drawShape.splice(prefix.length + axis, 0, l.aval.shape[axis]);
    const g = gumbelIn(key, drawShape, dtype, o.mode);
    const scores = ew.add(g, toRank(l, drawShape.length));
    return argmax(scores, prefix.length + axis);
  }
  return withoutReplacement(key, l, axis, shape, prefix, o.mode);
}

/** Gumbel top-k over the logits; the k draws of each distribution go to the leading axes. */
function withoutReplacement(
  key: NdArray,
  l: NdArray,
  axis: number,
  shape: number[],
  prefix: number[],
  mode: "low" | "high" | null | undefined,
): NdArray {
  const k = prefix.reduce((a, b) => a * b, 1);
  const n = l.aval.shape[axis];
  if (k > n) {
    throw new ShapeError(
      `[random.categorical] cannot draw more samples without replacement than there are categories: ` +
        `got ${k} draws (shape prefix [${prefix.join(", ")}]), expected at most ${n}.`,
    );
  }
  const scores = moveaxis(
    ew.add(l, gumbelIn(key, l.aval.shape.slice(), l.dtype as "float32" | "float64", mode)),
    axis,
    -1,
  );
  const idx = topKIndices(scores, k);
  // indices: batch + [k] → [k] + batch → shape.
  const nd = idx.ndim;
  return reshape(transpose(idx, [nd - 1, ...range(nd - 1)]), shape);
}

/**
 * Indices of the k largest values along the last axis, largest first, ties to
 * the lower index (as `lax.top_k`): a stable ascending sort of -x with an iota.
 */
export function topKIndices(x: NdArray, k: number): NdArray {
  const last = x.ndim - 1;
  const [, idx] = sort([neg(x), iota("int32", x.aval.shape.slice(), last)], { dimension: last, numKeys: 1 });
  return sliceAxis(idx, last, 0, k);
}
