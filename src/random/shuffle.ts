/** Sampling by shuffling: permutation and choice, as JAX's `_shuffle` and `choice`. */
import { NdArray, type ArrayLike } from "../core/array.js";
import { isFloat, isInteger } from "../core/dtypes.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { defineOptions, describeValue, is, orNull, type OptArgs } from "../core/options.js";
import { fromValues } from "../primitives/as-array.js";
import { takeAxis } from "../primitives/take.js";
import { cumsum } from "../primitives/cumulative.js";
import * as ew from "../primitives/elementwise.js";
import { iota } from "../primitives/iota.js";
import { reduceSum } from "../primitives/reduce.js";
import { normalizeAxis } from "../primitives/shapes.js";
import { sliceAxis } from "../primitives/slicing.js";
import { sort } from "../primitives/sort.js";
import { broadcastTo, reshape } from "../primitives/structural.js";
import { log } from "../primitives/unary.js";
import { arrayArg, checkKey, checkShape, opt } from "./args.js";
import { randomBits32 } from "./bits.js";
import { gumbelIn, uniformIn } from "./continuous.js";
import { keyRow, randint, topKIndices } from "./discrete.js";
import { split } from "./keys.js";

/**
 * JAX's `_shuffle`: sorts x along `axis` by fresh random 32-bit keys, in
 * ⌈3·ln(size)/ln(2³²-1)⌉ rounds (one round below ~1600 elements), each with
 * a new subkey: key, subkey = split(key). Repeated rounds make ties in the
 * sort keys harmless (tjablin's analysis, as in TensorFlow's random_ops).
 */
function shuffle(key: NdArray, x: NdArray, axis: number): NdArray {
  const rounds = Math.ceil((3 * Math.log(Math.max(1, x.size))) / Math.log(2 ** 32 - 1));
  for (let r = 0; r < rounds; r++) {
    const keys = split(key);
    key = keyRow(keys, 0);
    const sortKeys = randomBits32(keyRow(keys, 1), x.aval.shape.slice());
    x = sort([sortKeys, x], { dimension: axis, numKeys: 1 })[1];
  }
  return x;
}

/** The integer n of `permutation(key, n)` / `choice(key, n)`, from a JS number or a concrete integer scalar. */
function concreteCount(op: string, a: number | NdArray): number {
  const value = a instanceof NdArray ? (isInteger(a.dtype) ? Number(a.concrete(`random.${op}`).item()) : NaN) : a;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new DTypeError(
      `[random.${op}] a scalar argument must be a non-negative integer: got ${a instanceof NdArray ? a.aval.str() : describeValue(a)}, ` +
        `expected an integer n (meaning arange(n)) or an array of at least one dimension.`,
    );
  }
  if (value >= 2 ** 32) {
    throw new ShapeError(
      `[random.${op}] too many values in one draw: got ${value}, expected fewer than 2^32. Split the key and draw in parts.`,
    );
  }
  return value;
}

/** Options of `random.permutation` (JAX: axis, independent; out_sharding keyword-only). */
export interface PermutationOptions {
  /** The axis to shuffle along. Default 0. */
  axis?: number;
  /** Shuffle each slice along `axis` independently (default: one permutation for all). */
  independent?: boolean;
  /** JAX's `out_sharding`: only null (one device). */
  outSharding?: null;
}

const permutationOptions = defineOptions(
  "random.permutation",
  { axis: is.axis, independent: is.bool, outSharding: opt.outSharding },
  ["axis", "independent"],
);

/** x along `axis` in the order of `idx` (in range by construction); an empty axis stays as it is. */
function takeRows(x: NdArray, idx: NdArray, axis: number): NdArray {
  return x.aval.shape[axis] === 0 ? x : takeAxis(x, idx, axis, "clip");
}

/**
 * `jax.random.permutation(key, x, axis=0, independent=false)`: a shuffled
 * arange(x) for an integer x, else x shuffled along `axis`.
 *
 * @example
 * random.permutation(key, 5); // a permutation of [0, 1, 2, 3, 4]
 * random.permutation(key, x, { axis: 1, independent: true });
 */
export function permutation(
  key: NdArray,
  x: number | ArrayLike,
  ...args: OptArgs<[number, boolean], PermutationOptions>
): NdArray {
  const o = permutationOptions.parse(args);
  checkKey("permutation", key);
  if (typeof x === "number" || (x instanceof NdArray && x.ndim === 0)) {
    const n = concreteCount("permutation", x as number | NdArray);
    normalizeAxis("random.permutation", o.axis ?? 0, 1);
    return shuffle(key, iota("int32", [n], 0), 0);
  }
  const arr = arrayArg("permutation", "x", x);
  const axis = normalizeAxis("random.permutation", o.axis ?? 0, arr.ndim);
  if (o.independent || arr.ndim === 1) return shuffle(key, arr, axis);
  const order = shuffle(key, iota("int32", [arr.aval.shape[axis]], 0), 0);
  return takeRows(arr, order, axis);
}

/** Options of `random.choice` (JAX: shape, replace, p, axis, mode; all positional). */
export interface ChoiceOptions {
  /** The shape of the draws (default []: one draw). */
  shape?: readonly number[];
  /** Draw with replacement (default true). */
  replace?: boolean;
  /** Probabilities of the entries (a 1-D array of a's length along axis); null or absent: uniform. */
  p?: ArrayLike | null;
  /** The axis of `a` to choose along. Default 0. */
  axis?: number;
  /** "low" (default, also null) or "high": the Gumbel draws' range when p is given without replacement. */
  mode?: "low" | "high" | null;
}

const choiceOptions = defineOptions(
  "random.choice",
  { shape: opt.shape, replace: is.bool, p: orNull(opt.array), axis: is.axis, mode: opt.mode },
  ["shape", "replace", "p", "axis", "mode"],
);

/**
 * `jax.random.choice(key, a, shape=[], replace=true, p, axis=0, mode)`: entries of a
 * (or of arange(a) for an integer a) drawn with or without replacement,
 * uniformly or with probabilities p.
 *
 * @example
 * random.choice(key, 5, [3], false); // 3 distinct values of arange(5)
 * random.choice(key, np.array([10, 20, 30]), [4], { p: np.array([0.2, 0.3, 0.5]) });
 */
export function choice(
  key: NdArray,
  a: number | ArrayLike,
  ...args: OptArgs<[readonly number[], boolean, ArrayLike | null, number, "low" | "high" | null], ChoiceOptions>
): NdArray {
  const o = choiceOptions.parse(args);
  checkKey("choice", key);
  const shape = checkShape("choice", o.shape ?? []);
  const scalar = typeof a === "number" || (a instanceof NdArray && a.ndim === 0);
  const arr = scalar ? null : arrayArg("choice", "a", a);
  const axis = arr ? normalizeAxis("random.choice", o.axis ?? 0, arr.ndim) : 0;
  const n = arr ? arr.aval.shape[axis] : concreteCount("choice", a as number | NdArray);
  const draws = shape.reduce((x, y) => x * y, 1);
  if (draws === 0) return broadcastTo(fromValues([0], [], arr ? arr.dtype : "int32"), shape);
  if (n <= 0)
    throw new ShapeError(
      `[random.choice] nothing to choose from: got a population of size 0, expected at least 1 unless shape has no elements.`,
    );
  const replace = o.replace ?? true;
  if (!replace && draws > n) {
    throw new ShapeError(
      `[random.choice] cannot take a larger sample than the population without replacement: got ${draws} draws ` +
        `from ${n} entries with replace=false, expected at most ${n} draws. Pass replace: true or a smaller shape.`,
    );
  }
  let result: NdArray;
  if (o.p === undefined || o.p === null) {
    if (replace) {
      const ind = randint(key, shape, 0, n);
      result = arr ? takeRows(arr, ind, axis) : ind;
    } else {
      result = sliceAxis(permutation(key, arr ?? n, { axis }), axis, 0, draws);
    }
  } else {
    const ind = weightedIndices(key, o.p, n, shape, draws, replace, o.mode);
    result = arr ? takeRows(arr, ind, axis) : ind;
  }
  const outShape = arr ? [...arr.aval.shape.slice(0, axis), ...shape, ...arr.aval.shape.slice(axis + 1)] : shape;
  return reshape(result, outShape);
}

/**
 * Indices drawn with probabilities p. With replacement: inverse transform on
 * the cumulative sums, the first i with cumsum(p)[i] ≥ cumsum(p)[-1]·(1 - u)
 * (searchsorted, left side). Without: Gumbel top-k of log(p) + gumbel.
 */
function weightedIndices(
  key: NdArray,
  pIn: ArrayLike,
  n: number,
  shape: number[],
  draws: number,
  replace: boolean,
  mode: "low" | "high" | null | undefined,
): NdArray {
  let p = arrayArg("choice", "p", pIn);
  if (!isFloat(p.dtype)) p = ew.convert(p, "float32");
  if (p.ndim !== 1 || p.aval.shape[0] !== n) {
    throw new ShapeError(
      `[random.choice] p must be a 1-D vector with one probability per entry: got p of shape ${p.aval.str()}, ` +
        `expected [${n}] (the size of a along axis).`,
    );
  }
  const dtype = p.dtype as "float32" | "float64";
  if (!replace) return topKIndices(ew.add(gumbelIn(key, [n], dtype, mode), log(p)), draws);
  const cdf = cumsum(p, 0);
  const total = reshape(sliceAxis(cdf, 0, n - 1, n), []);
  const u = uniformIn("choice", key, shape, dtype, 0, 1);
  const r = ew.mul(total, ew.sub(ew.scalarLike(1, u), u));
  // searchsorted(cdf, r, side="left") = #{i : cdf[i] < r} for a non-decreasing cdf.
  const below = ew.lt(cdf, reshape(r, [...shape, 1]));
  return reduceSum(ew.convert(below, "int32"), [shape.length]);
}
