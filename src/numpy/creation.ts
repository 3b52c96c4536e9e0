/** Array creation: array, zeros, ones, full, arange, linspace, eye, *Like, dtype constructors, constants. */
import type { Shape } from "../core/aval.js";
import { NdArray, type ArrayLike } from "../core/array.js";
import { checkDType, defaultFloat, type DType } from "../core/dtypes.js";
import { ShapeError } from "../core/errors.js";
import { full as laxFull } from "../lax/creation.js";
import { iota } from "../primitives/iota.js";
import * as ew from "../primitives/elementwise.js";
import * as st from "../primitives/structural.js";
import { asArray, fromValues } from "./convert.js";
import { parseOptional } from "./options.js";

function checkShape(op: string, shape: Shape | number): number[] {
  const s = typeof shape === "number" ? [shape] : [...shape];
  if (s.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`[${op}] invalid shape ${JSON.stringify(shape)}: expected non-negative integers.`);
  }
  return s;
}

/** `jnp.array(x, dtype)`: always a new (strongly typed) array. */
export function array(x: ArrayLike, dtype?: DType): NdArray {
  const a = asArray(x, dtype === undefined ? undefined : checkDType("array", dtype), "array");
  if (dtype === undefined && a.weakType && !(x instanceof NdArray)) return fromValues(a._data!, [], a.dtype, false);
  return a;
}

export { asArray as asarray };

/** A bool fill is stored as 0/1: any non-zero number (NaN too) is true, as in NumPy. */
const fillFor = (d: DType, v: number | boolean): number | boolean => (d === "bool" ? v !== 0 && v !== false : v);

export function full(shape: Shape | number, fillValue: number | boolean, dtype?: DType): NdArray {
  const d = dtype ? checkDType("full", dtype) : typeof fillValue === "boolean" ? "bool" : defaultFloat();
  return laxFull(checkShape("full", shape), fillFor(d, fillValue), d);
}

export const zeros = (shape: Shape | number, dtype?: DType): NdArray => full(shape, 0, dtype ?? defaultFloat());
export const ones = (shape: Shape | number, dtype?: DType): NdArray => full(shape, 1, dtype ?? defaultFloat());
export const empty = zeros;

export function fullLike(x: ArrayLike, fillValue: number | boolean, dtype?: DType): NdArray {
  const a = asArray(x);
  const d = dtype ?? a.dtype;
  return laxFull(a.aval.shape, fillFor(d, fillValue), d, dtype === undefined && a.weakType);
}
export const zerosLike = (x: ArrayLike, dtype?: DType): NdArray => fullLike(x, 0, dtype);
export const onesLike = (x: ArrayLike, dtype?: DType): NdArray => fullLike(x, 1, dtype);

/**
 * `jnp.arange(stop)`, `arange(start, stop, step)`: int32 when every argument
 * is a whole number, the default float otherwise (or `dtype`).
 */
export function arange(
  start: number,
  stop?: number | { dtype?: DType } | null,
  step?: number | { dtype?: DType } | null,
  dtype?: DType,
): NdArray {
  // A trailing options object may stand in the stop or the step position.
  if (typeof stop === "object" && stop !== null) {
    dtype = stop.dtype;
    stop = undefined;
  }
  if (typeof step === "object" && step !== null) {
    dtype = step.dtype;
    step = undefined;
  }
  const [lo, hi, inc] = stop === undefined || stop === null ? [0, start, 1] : [start, stop, step ?? 1];
  if (inc === 0) throw new ShapeError(`[arange] step must not be zero: got step 0.`);
  const allInt = [lo, hi, inc].every(Number.isInteger);
  const d = dtype ?? (allInt ? "int32" : defaultFloat());
  const n = Math.max(0, Math.ceil((hi - lo) / inc));
  if (lo === 0 && inc === 1) return iota(d, [n], 0);
  return fromValues(
    Array.from({ length: n }, (_, i) => lo + i * inc),
    [n],
    d,
  );
}

export interface LinspaceOptions {
  endpoint?: boolean;
  dtype?: DType;
}

/** `jnp.linspace(start, stop, num=50, endpoint=True)`. */
export function linspace(
  start: number,
  stop: number,
  ...args: [number?, LinspaceOptions?] | [LinspaceOptions]
): NdArray {
  const o = parseOptional<{ num: number } & LinspaceOptions>(["num"], args);
  const num = o.num ?? 50;
  if (!Number.isInteger(num) || num < 0)
    throw new ShapeError(`[linspace] number of samples must be a non-negative integer: got ${num}.`);
  const endpoint = o.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const values = Array.from({ length: num }, (_, i) =>
    endpoint && i === num - 1 && num > 1 ? stop : start + i * step,
  );
  return fromValues(values, [num], o.dtype ?? defaultFloat());
}

/** `jnp.eye(N, M, k)`: ones on the k-th diagonal. */
export function eye(n: number, m?: number | null, k = 0, dtype?: DType): NdArray {
  const cols = m ?? n;
  const rows = iota("int32", [n, cols], 0);
  const colsIdx = iota("int32", [n, cols], 1);
  const onDiag = ew.eq(ew.add(rows, ew.scalarLike(k, rows)), colsIdx);
  return ew.convert(onDiag, dtype ?? defaultFloat());
}

export const identity = (n: number, dtype?: DType): NdArray => eye(n, n, 0, dtype);

/** `jnp.diag`: a vector's diagonal matrix, or a matrix's diagonal. */
export function diag(x: ArrayLike, k = 0): NdArray {
  const a = asArray(x);
  if (a.ndim === 1) {
    // out[i, j] = v[j - k] on the k-th diagonal: a padded row broadcast down, masked by eye.
    const n = a.size + Math.abs(k);
    const row = st.reshape(a, [1, a.size]);
    const padded = k >= 0 ? padRow(row, k, 0) : padRow(row, 0, -k);
    return ew.mul(eye(n, n, k, a.dtype), st.broadcastTo(padded, [n, n]));
  }
  throw new ShapeError(`[diag] input must be 1-D: got ${a.aval.str()}. For the diagonal of a matrix use np.diagonal.`);
}

import { pad as padPrim } from "../primitives/slicing.js";
function padRow(row: NdArray, lo: number, hi: number): NdArray {
  return padPrim(row, ew.scalarLike(0, row), [
    [0, 0, 0],
    [lo, hi, 0],
  ]);
}

// --- dtype constructors (np.float32(2.0), np.int32(3)) ---
const ctor =
  (d: DType) =>
  (x: ArrayLike): NdArray =>
    asArray(x, d);
export const float32 = ctor("float32");
export const float64 = ctor("float64");
export const int32 = ctor("int32");
export const uint32 = ctor("uint32");
export const bool_ = ctor("bool");

export const pi = Math.PI;
export const e = Math.E;
export const inf = Infinity;
export const nan = NaN;
export const newaxis = null;
