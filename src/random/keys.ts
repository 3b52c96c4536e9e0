/**
 * Keys: making them from seeds, splitting them, folding data into them. A key
 * is JAX's legacy threefry key, a uint32 array of shape [2].
 *
 * JAX's `jax.random.key(seed)` returns a typed scalar key (dtype `key<fry>`);
 * here `key` returns its raw form, the uint32[2] array of `jax.random.PRNGKey`
 * (what `jax.random.key_data` would give). Both work with every sampler.
 */
import { NdArray } from "../core/array.js";
import { config } from "../core/config.js";
import { ArgumentTypeError, DTypeError, ShapeError } from "../core/errors.js";
import { check, defineOptions, describeValue, noExtraArgs, oneOf, orNull, type OptArgs } from "../core/options.js";
import { fromValues } from "../primitives/as-array.js";
import { convert } from "../primitives/elementwise.js";
import { concatenate } from "../primitives/slicing.js";
import { reshape } from "../primitives/structural.js";
import { threefry2x32 } from "../primitives/threefry.js";
import { checkCount, checkKey, checkShape } from "./args.js";
import { counters, keyWords, stackLast } from "./bits.js";

const u32 = (v: number): NdArray => fromValues([v >>> 0], [], "uint32");

/** The one PRNG implementation there is. */
const implCheck = orNull(oneOf("threefry2x32"));

/** Options of `random.PRNGKey` (JAX: `impl` is keyword-only). */
export interface PRNGKeyOptions {
  /** The PRNG implementation: only "threefry2x32" (JAX's default) exists here; null means the default. */
  impl?: "threefry2x32" | null;
}

/** Options of `random.key` (JAX: `impl` and `dtype` are keyword-only; give at most one). */
export interface KeyOptions extends PRNGKeyOptions {
  /** The key dtype, named by its implementation: only "threefry2x32"; null means the default. */
  dtype?: "threefry2x32" | null;
}

/** Options of `random.split`. */
export interface SplitOptions {
  /** How many keys (a count), or the shape of the array of keys. Default 2. */
  num?: number | readonly number[];
}

const prngKeyOptions = defineOptions("random.PRNGKey", { impl: implCheck }, []);
const keyOptions = defineOptions("random.key", { impl: implCheck, dtype: implCheck }, []);
const splitOptions = defineOptions(
  "random.split",
  {
    num: check<number | readonly number[]>(
      "a non-negative integer or a shape (an array of non-negative integers)",
      (v) => typeof v === "number" || Array.isArray(v),
    ),
  },
  ["num"],
);

/** A seed: a JS integer or bigint in int64's range, or an integer scalar array. */
export type Seed = number | bigint | NdArray;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * `jax.random.PRNGKey(seed, *, impl)`: the raw threefry key of an int64 seed,
 * [seed >> 32, seed & 0xFFFFFFFF]. Without enableX64 JAX makes the seed an
 * int32 (wrapping), so the key is [0, seed mod 2³²]; with enableX64 the seed
 * is an int64. As JAX, a seed outside int64's range is an error; a JS number
 * is any integer in that range (above 2^53 it is the integer the double holds),
 * a bigint is exact.
 *
 * @example
 * random.PRNGKey(0); // u32[2] [0, 0]
 * random.PRNGKey(-1); // [0, 4294967295] (with enableX64: [4294967295, 4294967295])
 */
export function PRNGKey(seed: Seed, ...args: OptArgs<[], PRNGKeyOptions>): NdArray {
  prngKeyOptions.parse(args);
  return seedKey("PRNGKey", seed);
}

/**
 * `jax.random.key(seed, *, impl, dtype)`, in its raw uint32[2] form (the same
 * array as PRNGKey(seed)).
 *
 * @example
 * const k = random.key(42);
 */
export function key(seed: Seed, ...args: OptArgs<[], KeyOptions>): NdArray {
  const o = keyOptions.parse(args);
  if (o.impl != null && o.dtype != null) {
    throw new ArgumentTypeError(
      `[random.key] Cannot specify both \`impl\` and \`dtype\` arguments to jax.random.key: got impl and dtype, expected one of them.`,
    );
  }
  return seedKey("key", seed);
}

function seedKey(op: string, seed: Seed): NdArray {
  if (seed instanceof NdArray) return keyFromArray(op, seed);
  let big: bigint;
  if (typeof seed === "bigint") big = seed;
  else if (typeof seed === "number" && Number.isInteger(seed)) big = BigInt(seed);
  else {
    throw new DTypeError(
      `[random.${op}] PRNG key seed must be an integer: got ${describeValue(seed)}, expected an integer number, ` +
        `a bigint, or an integer scalar array.`,
    );
  }
  if (big < INT64_MIN || big > INT64_MAX) {
    throw new DTypeError(
      `[random.${op}] seed too large to convert to int64: got ${big}, expected a 64-bit integer seed in [-2^63, 2^63).`,
    );
  }
  const bits = BigInt.asUintN(64, big);
  const hi = config.read("enableX64") ? Number(bits >> 32n) : 0;
  return fromValues([hi, Number(bits & 0xffffffffn)], [2], "uint32");
}

/** A traced or concrete integer scalar seed: int32 and uint32 have no high word. */
function keyFromArray(op: string, seed: NdArray): NdArray {
  if (seed.ndim !== 0) {
    throw new ShapeError(
      `[random.${op}] ${op} accepts a scalar seed, but was given an array of shape ${seed.aval.str()}: ` +
        `expected a scalar. Use vmap to make several keys.`,
    );
  }
  if (seed.dtype !== "int32" && seed.dtype !== "uint32") {
    throw new DTypeError(
      `[random.${op}] PRNG key seed must be an integer: got ${seed.aval.str()}, expected an int32 or uint32 scalar.`,
    );
  }
  return concatenate([reshape(u32(0), [1]), reshape(convert(seed, "uint32"), [1])], 0);
}

/**
 * `jax.random.key_data(keys)`: keys are already their data; checks that `keys`
 * is a key or an array of keys (uint32 with a last axis of 2) and returns it.
 *
 * @example
 * random.keyData(random.key(0)); // [0, 0]
 */
export function keyData(keys: NdArray, ...rest: []): NdArray {
  noExtraArgs("random.keyData", rest);
  if (keys instanceof NdArray && keys.dtype === "uint32" && keys.ndim >= 1 && keys.shape[keys.ndim - 1] === 2) {
    return keys;
  }
  const got = keys instanceof NdArray ? keys.aval.str() : describeValue(keys);
  throw new DTypeError(
    `[random.keyData] keys must be a key or an array of keys: got ${got}, expected a uint32 array of shape [..., 2].`,
  );
}

/**
 * `jax.random.split(key, num=2)`: `num` new keys (a count or a shape), stacked
 * along a leading axis: u32[num, 2]. With JAX's default
 * `jax_threefry_partitionable=True`, key i is threefry2x32(key, (0, i)).
 *
 * @example
 * const [k1, k2] = [random.split(key).get(0), random.split(key).get(1)];
 * random.split(key, 3); // u32[3, 2]
 * random.split(key, { num: [2, 2] }); // u32[2, 2, 2]
 */
export function split(k: NdArray, ...args: OptArgs<[number | readonly number[]], SplitOptions>): NdArray {
  const num = splitOptions.parse(args).num ?? 2;
  const [k0, k1] = keyWords(checkKey("split", k));
  const shape = typeof num === "number" ? [checkCount("split", "num", num)] : checkShape("split", num);
  const [hi, lo] = counters(shape);
  return stackLast(threefry2x32(k0, k1, hi, lo));
}

/**
 * `jax.random.fold_in(key, data)`: a new key that depends on key and a 32-bit
 * integer, threefry2x32(key, (0, data)).
 *
 * @example
 * const stepKey = random.foldIn(key, step);
 */
export function foldIn(k: NdArray, data: number | NdArray, ...rest: []): NdArray {
  noExtraArgs("random.foldIn", rest);
  const [k0, k1] = keyWords(checkKey("foldIn", k));
  return stackLast(threefry2x32(k0, k1, u32(0), dataWord(data)));
}

/** A 32-bit word: JS integers in [-2^31, 2^32) wrap to uint32 (beyond, JAX overflows), int scalars convert. */
function dataWord(data: number | NdArray): NdArray {
  if (typeof data === "number" && Number.isInteger(data)) {
    if (data < -(2 ** 31) || data >= 2 ** 32) {
      throw new DTypeError(
        `[random.foldIn] data too large to convert to uint32: got ${data}, expected an integer in [-2^31, 2^32).`,
      );
    }
    return u32(data);
  }
  if (data instanceof NdArray && data.ndim === 0 && (data.dtype === "int32" || data.dtype === "uint32")) {
    return convert(data, "uint32");
  }
  if (data instanceof NdArray && data.ndim !== 0) {
    throw new ShapeError(
      `[random.foldIn] fold_in accepts a scalar, but was given an array of shape ${data.aval.str()}: expected a scalar. ` +
        `Use vmap for batching.`,
    );
  }
  const got = data instanceof NdArray ? data.aval.str() : describeValue(data);
  throw new DTypeError(
    `[random.foldIn] data must be an integer scalar: got ${got}, expected a whole number or an int32/uint32 scalar.`,
  );
}
