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
import { DTypeError, ShapeError } from "../core/errors.js";
import { describe, fromValues } from "../numpy/convert.js";
import { convert } from "../primitives/elementwise.js";
import { concatenate } from "../primitives/slicing.js";
import { reshape } from "../primitives/structural.js";
import { threefry2x32 } from "../primitives/threefry.js";
import { checkCount, checkKey, checkShape } from "./args.js";
import { counters, keyWords, stackLast } from "./bits.js";

const u32 = (v: number): NdArray => fromValues([v >>> 0], [], "uint32");

/**
 * `jax.random.PRNGKey(seed)`: [seed >> 32, seed & 0xFFFFFFFF]. Without
 * enableX64 JAX first makes the seed an int32 (wrapping), so the high word is
 * 0 and the low word is the seed mod 2³²; with enableX64 the seed is an int64.
 */
export function PRNGKey(seed: number | NdArray): NdArray {
  if (seed instanceof NdArray) return keyFromArray(seed);
  if (typeof seed !== "number" || !Number.isSafeInteger(seed)) {
    throw new DTypeError(
      `[random.PRNGKey] a seed must be an integer: got ${describe(seed)}, expected a whole number with |seed| < 2^53 ` +
        `(or an int32/uint32 scalar array).`,
    );
  }
  const hi = config.read("enableX64") ? Math.floor(seed / 2 ** 32) : 0;
  return fromValues([hi >>> 0, seed >>> 0], [2], "uint32");
}

/** A traced or concrete integer scalar seed: int32 and uint32 have no high word. */
function keyFromArray(seed: NdArray): NdArray {
  if (seed.ndim !== 0) {
    throw new ShapeError(
      `[random.PRNGKey] a seed must be a scalar: got ${seed.aval.str()}, expected a scalar. Use vmap to make several keys.`,
    );
  }
  if (seed.dtype !== "int32" && seed.dtype !== "uint32") {
    throw new DTypeError(
      `[random.PRNGKey] a seed must be an integer: got ${seed.aval.str()}, expected an int32 or uint32 scalar.`,
    );
  }
  return concatenate([reshape(u32(0), [1]), reshape(convert(seed, "uint32"), [1])], 0);
}

/** `jax.random.key(seed)`, in its raw uint32[2] form (the same array as PRNGKey(seed)). */
export function key(seed: number | NdArray): NdArray {
  return PRNGKey(seed);
}

/** `jax.random.key_data(key)`: keys are already their data; checks and returns it. */
export function keyData(k: NdArray): NdArray {
  return checkKey("keyData", k);
}

/**
 * `jax.random.split(key, num)`: `num` new keys (a count or a shape), stacked
 * along a leading axis: u32[num, 2]. With JAX's default
 * `jax_threefry_partitionable=True`, key i is threefry2x32(key, (0, i)).
 */
export function split(k: NdArray, num: number | readonly number[] = 2): NdArray {
  const [k0, k1] = keyWords(checkKey("split", k));
  const shape = typeof num === "number" ? [checkCount("split", "num", num)] : checkShape("split", num);
  const [hi, lo] = counters(shape);
  return stackLast(threefry2x32(k0, k1, hi, lo));
}

/**
 * `jax.random.fold_in(key, data)`: a new key that depends on key and a 32-bit
 * integer, threefry2x32(key, (0, data)).
 */
export function foldIn(k: NdArray, data: number | NdArray): NdArray {
  const [k0, k1] = keyWords(checkKey("foldIn", k));
  return stackLast(threefry2x32(k0, k1, u32(0), dataWord(data)));
}

function dataWord(data: number | NdArray): NdArray {
  if (typeof data === "number" && Number.isSafeInteger(data)) return u32(data);
  if (data instanceof NdArray && data.ndim === 0 && (data.dtype === "int32" || data.dtype === "uint32")) {
    return convert(data, "uint32");
  }
  const got = data instanceof NdArray ? data.aval.str() : describe(data);
  throw new DTypeError(
    `[random.foldIn] data must be an integer scalar: got ${got}, expected a whole number or an int32/uint32 scalar. ` +
      `Use vmap to fold in several values.`,
  );
}
