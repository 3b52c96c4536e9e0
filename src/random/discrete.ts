/** Discrete samplers, as JAX computes them: randint, bernoulli, categorical. */
import type { ArrayLike, NdArray } from "../core/array.js";
import { isFloat } from "../core/dtypes.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { asArray, fromValues } from "../numpy/convert.js";
import { parseOptional } from "../numpy/options.js";
import { argmax } from "../numpy/reductions.js";
import { moveaxis } from "../numpy/shape.js";
import * as ew from "../primitives/elementwise.js";
import { iota } from "../primitives/iota.js";
import { normalizeAxis, range } from "../primitives/shapes.js";
import { sliceAxis } from "../primitives/slicing.js";
import { sort } from "../primitives/sort.js";
import { reshape, transpose } from "../primitives/structural.js";
import { neg } from "../primitives/unary.js";
import { checkKey, checkParamShapes, checkShape, intDType, type OptionalArgs } from "./args.js";
import { randomBits32 } from "./bits.js";
import { gumbelIn, uniformIn } from "./continuous.js";
import { split } from "./keys.js";

const c = ew.scalarLike;
const LIMITS = { int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1] } as const;

/** An integer bound: floats are truncated (JAX's astype(int)); JS numbers become int32. */
function intBound(x: ArrayLike): NdArray {
  if (typeof x === "number") return fromValues([Math.trunc(x)], [], "int32");
  const a = asArray(x);
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

export interface RandintOptions {
  dtype?: "int32" | "uint32";
}

/**
 * `jax.random.randint(key, shape, minval, maxval, dtype="int32")`: integers
 * uniform on [minval, maxval) (a span maxval ≤ minval gives minval). JAX's
 * algorithm: two 32-bit draws h, l from split(key), and
 * minval + ((h mod s)·(2³² mod s) + l mod s) mod s in uint32 arithmetic,
 * with 2³² mod s computed as ((2¹⁶ mod s)² mod s), wrapping as JAX's does.
 */
export function randint(
  key: NdArray,
  shape: readonly number[],
  minval: ArrayLike,
  maxval: ArrayLike,
  ...args: OptionalArgs<["int32" | "uint32" | null | undefined], RandintOptions>
): NdArray {
  const o = parseOptional<RandintOptions>(["dtype"], args);
  checkKey("randint", key);
  const dtype = intDType("randint", o.dtype);
  const s = checkShape("randint", shape);
  let lo = intBound(minval);
  let hi = intBound(maxval);
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

export interface BernoulliOptions {
  p?: ArrayLike;
  shape?: readonly number[] | null;
  /** "low" (default): one uniform per draw; "high": two, for correct draws at p below ~1e-7. */
  mode?: "low" | "high";
}

/**
 * `jax.random.bernoulli(key, p=0.5, shape)`: booleans, true with probability p,
 * as u < p with u uniform on [0, 1) in p's float dtype. The shape defaults to p's.
 */
export function bernoulli(
  key: NdArray,
  ...args: OptionalArgs<
    [ArrayLike | undefined, readonly number[] | null | undefined, "low" | "high" | undefined],
    BernoulliOptions
  >
): NdArray {
  const o = parseOptional<BernoulliOptions>(["p", "shape", "mode"], args);
  checkKey("bernoulli", key);
  const p = asArray(o.p ?? 0.5);
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
  const mode = o.mode ?? "low";
  if (mode === "low") return ew.lt(uniformIn("bernoulli", key, shape, dtype, 0, 1), p);
  if (mode !== "high")
    throw new DTypeError(`[random.bernoulli] unknown mode: got ${JSON.stringify(mode)}, expected "low" or "high".`);
  // u1 + 2^-nmant·u2 < p, written u2·2^-nmant < p - u1.
  const both = uniformIn("bernoulli", key, [2, ...shape], dtype, 0, 1);
  const u1 = reshape(sliceAxis(both, 0, 0, 1), shape);
  const u2 = reshape(sliceAxis(both, 0, 1, 2), shape);
  return ew.lt(ew.mul(u2, c(dtype === "float32" ? 2 ** -23 : 2 ** -52, u2)), ew.sub(p, u1));
}

export interface CategoricalOptions {
  axis?: number;
  shape?: readonly number[] | null;
  replace?: boolean;
  mode?: "low" | "high";
}

/**
 * `jax.random.categorical(key, logits, axis=-1, shape, replace=true)`: indices
 * drawn with probabilities softmax(logits) along `axis`. With replacement, the
 * Gumbel-max trick: argmax(logits + gumbel). Without, Gumbel top-k: the k
 * largest of logits + gumbel, k the number of draws per distribution. The shape
 * defaults to logits' shape without `axis`; leading extra axes are more draws.
 */
export function categorical(
  key: NdArray,
  logits: ArrayLike,
  ...args: OptionalArgs<
    [number | undefined, readonly number[] | null | undefined, boolean | undefined, "low" | "high" | undefined],
    CategoricalOptions
  >
): NdArray {
  const o = parseOptional<CategoricalOptions>(["axis", "shape", "replace", "mode"], args);
  checkKey("categorical", key);
  const l = asArray(logits);
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
  mode: unknown,
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
