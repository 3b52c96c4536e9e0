/**
 * Constant arrays: scalars, and full arrays as a broadcast scalar (as JAX stages them);
 * and the checks every creation function shares: shapes, sizes, allocation.
 */
import { upload } from "../backends/api.js";
import "./hooks.js";
import { ShapedArray, type Shape } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { allocate, itemsize, type DType } from "../core/dtypes.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { describeValue } from "../core/options.js";
import { broadcastInDim } from "./structural.js";

// --- shapes ---------------------------------------------------------------------------------------

/** The most elements one array may hold: a JS typed array's length limit. */
export const MAX_ELEMENTS = 2 ** 32 - 1;

function dimHint(d: unknown): string {
  if (typeof d === "bigint") return ` Write ${d} instead of ${d}n: dimensions are JS numbers.`;
  if (typeof d === "string" && d.trim() !== "" && Number.isInteger(Number(d)))
    return ` Convert it with Number(${JSON.stringify(d)}).`;
  if (typeof d === "number" && Number.isNaN(d)) return " A NaN dimension usually comes from arithmetic on undefined.";
  if (typeof d === "number" && !Number.isFinite(d)) return " Dimensions must be finite.";
  if (typeof d === "number" && d < 0) return " Negative dimensions are not allowed.";
  if (typeof d === "number") return " Round it first, e.g. Math.floor(d).";
  if (d instanceof NdArray) return " Pass a JS number, e.g. x.item().";
  return "";
}

/**
 * A shape given as a number or an array of numbers, checked: every dimension a
 * non-negative integer (JAX: "Shapes must be 1D sequences of concrete values of integer type").
 */
export function canonicalizeShape(op: string, shape: unknown, what = "shape"): number[] {
  const dims = typeof shape === "number" ? [shape] : Array.isArray(shape) ? (shape as unknown[]) : null;
  if (dims === null) {
    throw new ShapeError(
      `[${op}] invalid ${what}: got ${describeValue(shape)}, expected a non-negative integer or an array of ` +
        `non-negative integers, such as [2, 3].${dimHint(shape)}`,
    );
  }
  dims.forEach((d, i) => {
    if (!(typeof d === "number" && Number.isInteger(d) && d >= 0)) {
      throw new ShapeError(
        `[${op}] invalid ${what}: got ${describeValue(d)} as dimension ${i}${Array.isArray(shape) ? ` of ${describeValue(shape)}` : ""}, ` +
          `expected a non-negative integer.${dimHint(d)}`,
      );
    }
  });
  return [...(dims as number[])];
}

/** A dimension (eye's N, identity's n), checked as {@link canonicalizeShape} checks one. */
export function checkDim(op: string, d: unknown, name: string): number {
  if (typeof d === "number" && Number.isInteger(d) && d >= 0) return d;
  throw new ShapeError(`[${op}] ${name} must be a non-negative integer: got ${describeValue(d)}.${dimHint(d)}`);
}

function formatBytes(n: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toPrecision(3)} ${units[i]}`;
}

/** Refuses a shape whose element count no typed array can hold (overflow-safe: a zero dimension wins). */
export function checkSize(op: string, shape: Shape, dtype: DType): void {
  if (shape.some((d) => d === 0)) return;
  let n = 1;
  for (const d of shape) n *= d;
  if (n > MAX_ELEMENTS) {
    throw new ShapeError(
      `[${op}] array is too large to allocate: got shape [${shape.join(", ")}] (${n.toExponential(3)} elements, ` +
        `${formatBytes(n * itemsize(dtype))} of ${dtype}), expected at most ${MAX_ELEMENTS} elements (the length limit ` +
        `of a JS typed array).`,
    );
  }
}

/**
 * Runs `make` for an array of `shape`, after {@link checkSize}; an allocation the JS engine refuses
 * (out of memory) becomes a ShapeError instead of an untyped RangeError.
 */
export function allocating<T>(op: string, shape: Shape, dtype: DType, make: () => T): T {
  checkSize(op, shape, dtype);
  try {
    return make();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const n = shape.reduce((a, b) => a * b, 1);
    throw new ShapeError(
      `[${op}] array is too large to allocate: got shape [${shape.join(", ")}] (${n} elements, ` +
        `${formatBytes(n * itemsize(dtype))} of ${dtype}), and the JS engine refused the memory (${e.message}). ` +
        `Expected an array that fits in memory.`,
    );
  }
}

// --- constants ------------------------------------------------------------------------------------

const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/**
 * A JS fill value as stored in `dtype`: bools are `v != 0` (NaN is true, as in NumPy), integers
 * truncate toward zero; NaN, ±Infinity and out-of-range values for an integer dtype are a DTypeError.
 */
export function fillValueFor(op: string, v: number | boolean, dtype: DType): number {
  const x = typeof v === "boolean" ? Number(v) : v;
  if (dtype === "bool") return x !== 0 ? 1 : 0;
  const range = INT_RANGE[dtype];
  if (!range) return x;
  const t = Math.trunc(x);
  if (!(t >= range[0] && t <= range[1])) {
    throw new DTypeError(
      `[${op}] cannot convert the fill value ${x} to ${dtype}: expected a finite number in [${range[0]}, ${range[1]}]. ` +
        `Use a float dtype for NaN and infinities.`,
    );
  }
  return t;
}

/** A concrete 0-d array. */
export function scalar(value: number | boolean, dtype: DType, weak = false): NdArray {
  const data = allocate(dtype, 1);
  data[0] = dtype === "bool" ? (value !== 0 && value !== false ? 1 : 0) : Number(value);
  return upload(new ShapedArray([], dtype, weak), data);
}

/** @internal A constant array: `value` broadcast to `shape` (no checks: the library's own calls). */
export function fullConst(shape: Shape, value: number | boolean, dtype: DType, weak = false): NdArray {
  const s = scalar(value, dtype, weak);
  return shape.length === 0 ? s : broadcastInDim(s, shape, []);
}

export function fullAval(aval: ShapedArray, value: number): NdArray {
  return fullConst(aval.shape, value, aval.dtype, aval.weakType);
}
