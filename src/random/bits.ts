/**
 * Random bits, as JAX's `_threefry_random_bits_partitionable` (the default
 * since `jax_threefry_partitionable` became True): element i of a draw of
 * shape s (row-major) enciphers the 64-bit counter i, split in words (hi, lo):
 * (y0, y1) = threefry2x32(key, (i >> 32, i & 0xFFFFFFFF)). 32-bit draws are
 * y0 ^ y1; 64-bit draws are the pair (y0 high, y1 low).
 */
import type { NdArray } from "../core/array.js";
import { shapeSize } from "../core/aval.js";
import { SHORT_NAME, type DType } from "../core/dtypes.js";
import { defineOptions, type OptArgs } from "../core/options.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { fromValues } from "../primitives/as-array.js";
import { bitcast } from "../primitives/bitcast.js";
import { or, scalarLike, shiftLeft, shiftRightLogical, sub, xor } from "../primitives/elementwise.js";
import { iota } from "../primitives/iota.js";
import { concatenate, sliceAxis } from "../primitives/slicing.js";
import { reshape } from "../primitives/structural.js";
import { threefry2x32 } from "../primitives/threefry.js";
import { checkKey, checkShape, opt } from "./args.js";

/** The two words of a key as uint32 scalars. */
export function keyWords(key: NdArray): [NdArray, NdArray] {
  return [reshape(sliceAxis(key, 0, 0, 1), []), reshape(sliceAxis(key, 0, 1, 2), [])];
}

/** JAX's `iota_2x32_shape`: the row-major position of each element as (hi, lo) words. */
export function counters(shape: number[]): [NdArray, NdArray] {
  const n = shapeSize(shape);
  if (n >= 2 ** 32) {
    throw new ShapeError(
      `[random] too many values in one draw: got ${n}, expected fewer than 2^32. Split the key and draw in parts.`,
    );
  }
  // Below 2^32 elements the high word is 0 everywhere: a scalar broadcasts.
  return [fromValues([0], [], "uint32"), reshape(iota("uint32", [n], 0), shape)];
}

/** Stacks same-shaped arrays along a new last axis. */
export function stackLast(xs: NdArray[]): NdArray {
  const shape = xs[0].aval.shape;
  return concatenate(
    xs.map((x) => reshape(x, [...shape, 1])),
    shape.length,
  );
}

/** The two enciphered words (y0, y1) of every counter of `shape`. */
export function blocks(key: NdArray, shape: number[]): [NdArray, NdArray] {
  const [k0, k1] = keyWords(key);
  const [hi, lo] = counters(shape);
  const [y0, y1] = threefry2x32(k0, k1, hi, lo);
  return [y0, y1];
}

/** 32 random bits per element: y0 ^ y1. */
export function randomBits32(key: NdArray, shape: number[]): NdArray {
  const [y0, y1] = blocks(key, shape);
  return xor(y0, y1);
}

/**
 * Floats uniform on [0, 1), from the top mantissa bits of the random bits with
 * the exponent of 1: bitcast((bits >> (width - nmant)) | bits(1.0)) - 1, as
 * JAX's `_uniform`. float32: 23 of 32 bits; float64: 52 of 64, built from the
 * two words (y0 = high, y1 = low) of the 64-bit draw.
 */
export function unitFloats(key: NdArray, shape: number[], dtype: "float32" | "float64"): NdArray {
  const c = (v: number, like: NdArray) => scalarLike(v, like);
  let floats: NdArray;
  if (dtype === "float32") {
    const bits = randomBits32(key, shape);
    floats = bitcast(or(shiftRightLogical(bits, c(9, bits)), c(0x3f800000, bits)), "float32");
  } else {
    // (hi:lo) >> 12 | 0x3FF0000000000000, one 32-bit word at a time.
    const [hi, lo] = blocks(key, shape);
    const newHi = or(shiftRightLogical(hi, c(12, hi)), c(0x3ff00000, hi));
    const newLo = or(shiftLeft(hi, c(20, hi)), shiftRightLogical(lo, c(12, lo)));
    floats = bitcast(stackLast([newLo, newHi]), "float64");
  }
  return sub(floats, c(1, floats));
}

/** Options of `random.bits` (JAX: shape, dtype; out_sharding keyword-only). */
export interface BitsOptions {
  /** The result shape (default []: a scalar). */
  shape?: readonly number[];
  /** An unsigned integer dtype: only "uint32" here; null means the default. */
  dtype?: DType | null;
  /** JAX's `out_sharding`: only null (one device). */
  outSharding?: null;
}

const bitsOptions = defineOptions("random.bits", { shape: opt.shape, dtype: opt.dtype, outSharding: opt.outSharding }, [
  "shape",
  "dtype",
]);

/**
 * `jax.random.bits(key, shape=[], dtype=None)`: uniform random uint32
 * values. (JAX's 8-, 16- and 64-bit widths need dtypes this library does not
 * have; under enableX64 JAX defaults to uint64, here it stays uint32.)
 *
 * @example
 * random.bits(key, [4]); // u32[4]
 */
export function bits(key: NdArray, ...args: OptArgs<[readonly number[], DType | null], BitsOptions>): NdArray {
  const o = bitsOptions.parse(args);
  checkKey("bits", key);
  if (o.dtype != null && o.dtype !== "uint32") {
    throw new DTypeError(
      `[random.bits] dtype argument to \`bits\` must be an unsigned int dtype: got ${SHORT_NAME[o.dtype]}, expected "uint32".`,
    );
  }
  return randomBits32(key, checkShape("bits", o.shape ?? []));
}
