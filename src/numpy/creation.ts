/**
 * Array creation: array, asarray, zeros, ones, empty, full, *Like, arange, linspace, eye,
 * identity, diag, the dtype constructors and the constants. Every optional parameter is
 * positional in JAX's order or, camelCased, in a trailing options object.
 */
import { shapeStr, type Shape } from "../core/aval.js";
import { retype, NdArray, type ArrayLike, readValues } from "../core/array.js";
import { defaultFloat, isFloat, resultType, type DType } from "../core/dtypes.js";
import { ArgumentTypeError, AxisError, ShapeError } from "../core/errors.js";
import {
  check,
  defineOptions,
  describeValue,
  is,
  noExtraArgs,
  OptionError,
  orNull,
  type OptArgs,
  type OptionParser,
} from "../core/options.js";
import { allocating, canonicalizeShape, checkDim, fillValueFor, fullConst, scalar } from "../primitives/constants.js";
import { iota } from "../primitives/iota.js";
import * as ew from "../primitives/elementwise.js";
import * as st from "../primitives/structural.js";
import { floor } from "../primitives/unary.js";
import { concatenate, pad as padPrim } from "../primitives/slicing.js";
import { broadcastShapes } from "../primitives/shapes.js";
import { asArray, copyArray, orderCheck, type ArrayObject } from "../primitives/as-array.js";
import { diagonal } from "./linalg.js";

export { asarray, type AsarrayOptions, type AsarrayArgs, type ArrayObject } from "../primitives/as-array.js";

/** A shape: a non-negative integer or an array of them. */
export type ShapeArg = Shape | number;

const dtypeCheck = orNull(is.dtype);
const shapeCheck = orNull(is.shape);

// --- array ------------------------------------------------------------------------------------

/** The most dimensions `ndmin` may ask for (NumPy's limit). */
const MAX_NDMIN = 64;

/** Options of `np.array` (JAX: dtype, copy, order, ndmin). */
export interface ArrayOptions {
  /** The dtype of the result; null or absent: inferred from the input. */
  dtype?: DType | null;
  /** Always a new array (the default, as in JAX); false returns an input Array of the right dtype as it is. */
  copy?: boolean;
  /** JAX's memory order: only "K" (or null). */
  order?: "K" | null;
  /** The least number of dimensions of the result: length-1 axes are added in front. */
  ndmin?: number;
}
/** `np.array`'s optional parameters: positional (dtype, copy, order, ndmin) or a trailing {@link ArrayOptions}. */
export type ArrayArgs = OptArgs<[DType | null, boolean?, ("K" | null)?, number?], ArrayOptions>;

const arrayOptions = defineOptions(
  "array",
  {
    dtype: dtypeCheck,
    copy: is.bool,
    order: orderCheck,
    ndmin: check<number>(
      `a non-negative integer (at most ${MAX_NDMIN})`,
      (v) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= MAX_NDMIN,
    ),
  },
  ["dtype", "copy", "order", "ndmin"],
);

/**
 * `jnp.array(object, dtype=None, copy=True, order="K", ndmin=0)`: a new array.
 * Nested JS arrays are float by default (bool when all booleans), typed arrays keep
 * their element type (Float32Array → float32, Float64Array → float64, Int32Array → int32,
 * Uint32Array → uint32, the narrower integer arrays → int32), and a list of Arrays is stacked.
 * A JS number gives a strongly typed scalar (unlike `np.asarray`, which keeps it weak).
 *
 * @example
 * np.array([[1, 2], [3, 4]]);              // f32[2,2]
 * np.array(labels, { dtype: "int32" });
 * np.array([1, 2], "float32", true, "K", 3); // f32[1,1,2]
 */
export function array(object: ArrayObject, ...args: ArrayArgs): NdArray {
  const o = arrayOptions.parse(args);
  let out = asArray(object, o.dtype ?? undefined, "array");
  // A JS number becomes a strong scalar; an Array keeps its weak type, as in JAX.
  if (o.dtype == null && out.weakType && !(object instanceof NdArray)) {
    out = retype(out, out.aval.withWeak(false));
  }
  if (out === object && o.copy !== false) out = copyArray(out);
  const ndmin = o.ndmin ?? 0;
  if (ndmin > out.ndim) out = st.reshape(out, [...new Array<number>(ndmin - out.ndim).fill(1), ...out.aval.shape]);
  return out;
}

// --- zeros, ones, empty, full ----------------------------------------------------------------

/** Options of `np.zeros`, `np.ones`, `np.empty` (JAX: dtype). */
export interface ZerosOptions {
  /** The dtype; null or absent: the default float (float32, or float64 with enableX64). */
  dtype?: DType | null;
}
/** The optional parameters of `np.zeros` / `np.ones` / `np.empty`. */
export type ZerosArgs = OptArgs<[DType | null], ZerosOptions>;

const zerosOptions = defineOptions("zeros", { dtype: dtypeCheck }, ["dtype"]);
const onesOptions = defineOptions("ones", { dtype: dtypeCheck }, ["dtype"]);
const emptyOptions = defineOptions("empty", { dtype: dtypeCheck }, ["dtype"]);

/** JAX's message for `zeros(2, 3)` meant as `zeros((2, 3))`. */
function forgotShapeArray(op: string, shape: unknown, args: readonly unknown[]): void {
  if (typeof shape === "number" && typeof args[0] === "number") {
    throw new OptionError(
      `[${op}] option "dtype" must be a dtype: got number ${args[0]}. Did you accidentally write np.${op}(${shape}, ${args[0]}) ` +
        `when you meant np.${op}([${shape}, ${args[0]}]), with the shape as one array?`,
    );
  }
}

function constant(
  op: string,
  parser: OptionParser<{ dtype: typeof dtypeCheck }>,
  shape: unknown,
  value: number,
  args: unknown[],
) {
  forgotShapeArray(op, shape, args);
  const o = parser.parse(args);
  const s = canonicalizeShape(op, shape);
  const d = o.dtype ?? defaultFloat();
  return allocating(op, s, d, () => fullConst(s, value, d));
}

/**
 * `jnp.zeros(shape, dtype=None)`.
 *
 * @example
 * np.zeros([2, 3]);                     // f32[2,3]
 * np.zeros(4, { dtype: "int32" });
 */
export function zeros(shape: ShapeArg, ...args: ZerosArgs): NdArray {
  return constant("zeros", zerosOptions, shape, 0, args);
}

/**
 * `jnp.ones(shape, dtype=None)`.
 *
 * @example
 * np.ones([2, 2], "int32");
 */
export function ones(shape: ShapeArg, ...args: ZerosArgs): NdArray {
  return constant("ones", onesOptions, shape, 1, args);
}

/**
 * `jnp.empty(shape, dtype=None)`: filled with zeros (arrays are never uninitialised here).
 *
 * @example
 * np.empty([3], { dtype: "float32" });
 */
export function empty(shape: ShapeArg, ...args: ZerosArgs): NdArray {
  return constant("empty", emptyOptions, shape, 0, args);
}

/** What a fill value may be: a number, a boolean, or anything array-like (broadcast to the shape). */
export type FillValue = ArrayObject;

/**
 * `shape` filled with `fill`. A scalar fill takes `dtype`, else `like`'s dtype and weak type,
 * else its own (a JS number: weak default float; a boolean: bool; a 0-d Array: its own).
 * An array fill is broadcast (as JAX's `broadcast_to(asarray(fill, dtype), shape)`).
 */
function fillArray(op: string, s: number[], fill: unknown, dtype: DType | null, like: NdArray | null): NdArray {
  if (typeof fill === "number" || typeof fill === "boolean") {
    const d = dtype ?? like?.dtype ?? (typeof fill === "boolean" ? "bool" : defaultFloat());
    const weak = dtype === null && (like ? like.weakType : typeof fill === "number");
    const v = fillValueFor(op, fill, d);
    return allocating(op, s, d, () => fullConst(s, v, d, weak));
  }
  if (!(fill instanceof NdArray || Array.isArray(fill) || ArrayBuffer.isView(fill))) {
    throw new ArgumentTypeError(
      `[${op}] fill_value must be a number, a boolean or an array: got ${describeValue(fill)}.` +
        (typeof fill === "string" && fill.trim() !== "" && !Number.isNaN(Number(fill))
          ? ` Convert it with Number(${JSON.stringify(fill)}).`
          : ""),
    );
  }
  let a = asArray(fill, undefined, op);
  if (a.ndim === 0) {
    const d = dtype ?? like?.dtype ?? a.dtype;
    const weak = dtype === null && (like ? like.weakType : a.weakType);
    return allocating(op, s, d, () => {
      const c = a.dtype === d && a.weakType === weak ? a : ew.convert(a, d, weak);
      return s.length === 0 ? c : st.broadcastInDim(c, s, []);
    });
  }
  const d = dtype ?? like?.dtype ?? null;
  if (d !== null && a.dtype !== d) a = ew.convert(a, d);
  const fs = a.aval.shape;
  const fits = fs.length <= s.length && fs.every((n, i) => n === 1 || n === s[s.length - fs.length + i]);
  if (!fits) {
    throw new ShapeError(
      `[${op}] incompatible shapes for broadcasting: got fill_value of shape ${shapeStr(fs)} and requested shape ` +
        `${shapeStr(s)}, expected fill_value's sizes to equal the shape's or be 1, aligned from the right.`,
    );
  }
  return allocating(op, s, a.dtype, () => st.broadcastTo(a, s));
}

/** Options of `np.full` (JAX: dtype). */
export interface FullOptions {
  /** The dtype; null or absent: the fill value's (a JS number: the default float, weakly typed). */
  dtype?: DType | null;
}
const fullOptions = defineOptions("full", { dtype: dtypeCheck }, ["dtype"]);

/**
 * `jnp.full(shape, fill_value, dtype=None)`: `fill_value` may be a scalar or an array
 * broadcast to `shape`.
 *
 * @example
 * np.full([2, 3], 7, "int32");
 * np.full([2, 3], np.arange(3));        // each row [0, 1, 2]
 */
export function full(shape: ShapeArg, fillValue: FillValue, ...args: OptArgs<[DType | null], FullOptions>): NdArray {
  const o = fullOptions.parse(args);
  return fillArray("full", canonicalizeShape("full", shape), fillValue, o.dtype ?? null, null);
}

// --- *Like -------------------------------------------------------------------------------------

/** Options of `np.zerosLike`, `np.onesLike`, `np.fullLike` (JAX: dtype, shape). */
export interface LikeOptions {
  /** The dtype; null or absent: the array's (weak type included). */
  dtype?: DType | null;
  /** The shape; null or absent: the array's. */
  shape?: ShapeArg | null;
}
/** The optional parameters of the `*Like` functions. */
export type LikeArgs = OptArgs<[DType | null, (ShapeArg | null)?], LikeOptions>;

const likeChecks = { dtype: dtypeCheck, shape: shapeCheck };
const likeOptions = {
  zerosLike: defineOptions("zerosLike", likeChecks, ["dtype", "shape"]),
  onesLike: defineOptions("onesLike", likeChecks, ["dtype", "shape"]),
  fullLike: defineOptions("fullLike", likeChecks, ["dtype", "shape"]),
};

function like(op: keyof typeof likeOptions, a: ArrayLike, fill: unknown, args: unknown[]): NdArray {
  const o = likeOptions[op].parse(args);
  const x = asArray(a, undefined, op);
  const s = o.shape == null ? [...x.aval.shape] : canonicalizeShape(op, o.shape);
  return fillArray(op, s, fill, o.dtype ?? null, x);
}

/**
 * `jnp.zeros_like(a, dtype=None, shape=None)`.
 *
 * @example
 * np.zerosLike(x);
 * np.zerosLike(x, { shape: [2, 3] });
 */
export function zerosLike(a: ArrayLike, ...args: LikeArgs): NdArray {
  return like("zerosLike", a, 0, args);
}

/**
 * `jnp.ones_like(a, dtype=None, shape=None)`.
 *
 * @example
 * np.onesLike(x, "int32");
 */
export function onesLike(a: ArrayLike, ...args: LikeArgs): NdArray {
  return like("onesLike", a, 1, args);
}

/**
 * `jnp.full_like(a, fill_value, dtype=None, shape=None)`: the fill may be an array, broadcast.
 *
 * @example
 * np.fullLike(x, 2.5);
 * np.fullLike(x, 0, { dtype: "int32", shape: [4] });
 */
export function fullLike(a: ArrayLike, fillValue: FillValue, ...args: LikeArgs): NdArray {
  return like("fullLike", a, fillValue, args);
}

// --- arange ----------------------------------------------------------------------------------

/** A finite JS number or a 0-d Array (read as its value). */
type Bound = number | NdArray;
const boundCheck = check<Bound>(
  "a finite number or a 0-d Array",
  (v) => (typeof v === "number" && Number.isFinite(v)) || (v instanceof NdArray && v.ndim === 0),
);

/** Options of `np.arange` (JAX: stop, step, dtype after start). */
export interface ArangeOptions {
  /** The end (excluded); null or absent: `start` is the end and the start is 0. */
  stop?: Bound | null;
  /** The spacing; null or absent: 1. Must not be 0. */
  step?: Bound | null;
  /** The dtype; null or absent: int32 when every bound is a whole number (or an integer Array), else the default float. */
  dtype?: DType | null;
}
const arangeOptions = defineOptions(
  "arange",
  { stop: orNull(boundCheck), step: orNull(boundCheck), dtype: dtypeCheck },
  ["stop", "step", "dtype"],
);

function boundValue(name: string, v: Bound): { value: number; dtype: DType; weak: boolean } {
  if (v instanceof NdArray) {
    const c = v.concrete(`arange argument '${name}'`);
    return { value: Number(readValues(c)[0]), dtype: c.dtype, weak: c.weakType };
  }
  return { value: v, dtype: Number.isInteger(v) ? "int32" : defaultFloat(), weak: true };
}

/**
 * `jnp.arange(start, stop=None, step=None, dtype=None)`: `arange(stop)`, `arange(start, stop)`,
 * `arange(start, stop, step)`; the options object may follow any of them.
 * Values are `start + i·step` computed in the result dtype, as JAX computes them.
 *
 * @example
 * np.arange(5);                          // int32 [0, 1, 2, 3, 4]
 * np.arange(0, 1, 0.25);                 // float32
 * np.arange(5, { dtype: "float32" });
 */
export function arange(
  start: Bound,
  ...args: OptArgs<[Bound | null, (Bound | null)?, (DType | null)?], ArangeOptions>
): NdArray {
  const o = arangeOptions.parse(args);
  const hasStop = o.stop !== undefined && o.stop !== null;
  const startName = hasStop ? "start" : "stop";
  if (!boundCheck.test(start)) {
    throw new ArgumentTypeError(
      `[arange] ${startName} must be ${boundCheck.expected}: got ${describeValue(start)}.` +
        (typeof start === "number" ? " NaN and infinite bounds give no finite length." : ""),
    );
  }
  const bounds = [boundValue(startName, start)];
  if (hasStop) bounds.push(boundValue("stop", o.stop!));
  if (o.step != null) bounds.push(boundValue("step", o.step));
  const dtype = o.dtype ?? resultType(bounds.map((b) => ({ dtype: b.dtype, weak: b.weak }))).dtype;
  const [lo, hi] = hasStop ? [bounds[0].value, bounds[1].value] : [0, bounds[0].value];
  const step = o.step != null ? bounds[bounds.length - 1].value : null;
  if (step === 0) throw new ShapeError(`[arange] step must not be zero: got step 0, expected a non-zero number.`);
  const n = Math.max(0, Math.ceil((hi - lo) / (step ?? 1)));
  if (!Number.isFinite(n)) {
    throw new ShapeError(`[arange] the length is not finite: got start ${lo}, stop ${hi}, step ${step ?? 1}.`);
  }
  return allocating("arange", [n], dtype, () => {
    if (step !== null) {
      // JAX: convert(start) + convert(step) * iota, in the result dtype.
      return ew.add(scalar(lo, dtype), ew.mul(scalar(step, dtype), iota(dtype, [n], 0)));
    }
    if (lo === 0) return iota(dtype, [n], 0);
    return ew.add(scalar(lo, dtype), iota(dtype, [n], 0));
  });
}

// --- linspace -------------------------------------------------------------------------------

/** Options of `np.linspace` (JAX: num, endpoint, retstep, dtype, axis). */
export interface LinspaceOptions {
  /** The number of samples (default 50). */
  num?: number;
  /** Include `stop` as the last sample (default true). */
  endpoint?: boolean;
  /** Return `[samples, step]` instead of the samples alone (default false). */
  retstep?: boolean;
  /** The dtype; null or absent: the default float (or float64 bounds' float64). Integer dtypes floor. */
  dtype?: DType | null;
  /** Where the sample axis goes when start/stop are arrays (default 0). */
  axis?: number;
}
const linspaceOptions = defineOptions(
  "linspace",
  { num: is.nonNegativeInt, endpoint: is.bool, retstep: is.bool, dtype: dtypeCheck, axis: is.axis },
  ["num", "endpoint", "retstep", "dtype", "axis"],
);
type LinspacePositional<R> = [number, boolean?, R?, (DType | null)?, number?];

/**
 * `jnp.linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0)`.
 * `start` and `stop` may be arrays (the samples run along `axis`); with `retstep` the result
 * is `[samples, step]`. Computed as JAX does: `start·(1 − t) + stop·t`, `t = i / div`, so both
 * ends are exact and it is differentiable in `start` and `stop`.
 *
 * @example
 * np.linspace(0, 1, 5);                          // [0, 0.25, 0.5, 0.75, 1]
 * const [xs, dx] = np.linspace(0, 1, { num: 5, retstep: true });
 */
export function linspace(
  start: ArrayLike,
  stop: ArrayLike,
  ...args: OptArgs<LinspacePositional<false>, LinspaceOptions & { retstep?: false }>
): NdArray;
export function linspace(
  start: ArrayLike,
  stop: ArrayLike,
  ...args:
    | [number, boolean, true, (DType | null)?, number?]
    | [number, boolean, true, LinspaceOptions]
    | [LinspaceOptions & { retstep: true }]
    | [number, LinspaceOptions & { retstep: true }]
    | [number, boolean, LinspaceOptions & { retstep: true }]
): [NdArray, NdArray];
export function linspace(
  start: ArrayLike,
  stop: ArrayLike,
  ...args: OptArgs<LinspacePositional<boolean>, LinspaceOptions>
): NdArray | [NdArray, NdArray];
export function linspace(start: ArrayLike, stop: ArrayLike, ...args: unknown[]): NdArray | [NdArray, NdArray] {
  const o = linspaceOptions.parse(args);
  const num = o.num ?? 50;
  const endpoint = o.endpoint ?? true;
  const a0 = asArray(start, undefined, "linspace");
  const b0 = asArray(stop, undefined, "linspace");
  const rt = resultType([
    { dtype: a0.dtype, weak: a0.weakType },
    { dtype: b0.dtype, weak: b0.weakType },
  ]).dtype;
  const dtype = o.dtype ?? (isFloat(rt) ? rt : defaultFloat());
  const cd = isFloat(dtype) ? dtype : defaultFloat();
  const bs = broadcastShapes("linspace", a0.aval.shape, b0.aval.shape);
  const lo = st.broadcastTo(ew.convert(a0, cd), bs);
  const hi = st.broadcastTo(ew.convert(b0, cd), bs);
  const axisIn = o.axis ?? 0;
  const axis = axisIn < 0 ? bs.length + axisIn + 1 : axisIn;
  if (axis < 0 || axis > bs.length) {
    throw new AxisError(
      `[linspace] axis ${axisIn} is out of bounds for a result of rank ${bs.length + 1}: expected an axis in ` +
        `[${-(bs.length + 1)}, ${bs.length}].`,
    );
  }
  const withAxis = (n: number): number[] => [...bs.slice(0, axis), n, ...bs.slice(axis)];
  const outShape = withAxis(num);
  return allocating("linspace", outShape, dtype, () => {
    const div = endpoint ? num - 1 : num;
    let out: NdArray;
    let delta: NdArray;
    if (num > 1) {
      const d = scalar(div, cd);
      delta = ew.div(ew.sub(hi, lo), d);
      const t = st.reshape(
        ew.div(iota(cd, [div], 0), d),
        withAxis(div).map((n, i) => (i === axis ? n : 1)),
      );
      out = ew.add(
        ew.mul(st.reshape(lo, withAxis(1)), ew.sub(scalar(1, cd), t)),
        ew.mul(st.reshape(hi, withAxis(1)), t),
      );
      if (endpoint) out = concatenate([out, st.reshape(hi, withAxis(1))], axis);
    } else if (num === 1) {
      delta = endpoint ? scalar(NaN, cd) : ew.sub(hi, lo);
      out = st.reshape(lo, withAxis(1));
    } else {
      delta = scalar(NaN, cd);
      out = fullConst(outShape, 0, cd);
    }
    if (!isFloat(dtype)) out = floor(out);
    const result = out.dtype === dtype ? out : ew.convert(out, dtype);
    return o.retstep ? ([result, delta] as [NdArray, NdArray]) : result;
  });
}

// --- eye, identity, diag -------------------------------------------------------------------------

/** Options of `np.eye` (JAX: M, k, dtype; `M` keeps JAX's capital). */
export interface EyeOptions {
  /** The number of columns (JAX's `M`); null or absent: N. */
  M?: number | null;
  /** The diagonal: 0 the main one, positive above, negative below. */
  k?: number;
  /** The dtype; null or absent: the default float. */
  dtype?: DType | null;
}
const eyeOptions = defineOptions("eye", { M: orNull(is.nonNegativeInt), k: is.int, dtype: dtypeCheck }, [
  "M",
  "k",
  "dtype",
]);

/** Ones where `col - row == k`, zeros elsewhere. */
function eyeMatrix(op: string, n: number, m: number, k: number, dtype: DType): NdArray {
  return allocating(op, [n, m], dtype, () => {
    // Offsets beyond the matrix give no ones: clamp so that k fits in int32.
    const kk = Math.max(-n, Math.min(m, k));
    const rows = iota("int32", [n, m], 0);
    const cols = iota("int32", [n, m], 1);
    return ew.convert(ew.eq(ew.add(rows, scalar(kk, "int32")), cols), dtype);
  });
}

/**
 * `jnp.eye(N, M=None, k=0, dtype=None)`: ones on the k-th diagonal of an N×M matrix.
 *
 * @example
 * np.eye(3);
 * np.eye(2, 3, 1);
 * np.eye(2, { M: 3, dtype: "int32" });
 */
export function eye(N: number, ...args: OptArgs<[number | null, number?, (DType | null)?], EyeOptions>): NdArray {
  const o = eyeOptions.parse(args);
  const n = checkDim("eye", N, "N");
  return eyeMatrix("eye", n, o.M ?? n, o.k ?? 0, o.dtype ?? defaultFloat());
}

/** Options of `np.identity` (JAX: dtype). */
export interface IdentityOptions {
  /** The dtype; null or absent: the default float. */
  dtype?: DType | null;
}
const identityOptions = defineOptions("identity", { dtype: dtypeCheck }, ["dtype"]);

/**
 * `jnp.identity(n, dtype=None)`: the n×n identity matrix.
 *
 * @example
 * np.identity(2, "int32");
 */
export function identity(n: number, ...args: OptArgs<[DType | null], IdentityOptions>): NdArray {
  const o = identityOptions.parse(args);
  const d = checkDim("identity", n, "n");
  return eyeMatrix("identity", d, d, 0, o.dtype ?? defaultFloat());
}

/** Options of `np.diag` (JAX: k). */
export interface DiagOptions {
  /** The diagonal: 0 the main one, positive above, negative below. */
  k?: number;
}
const diagOptions = defineOptions("diag", { k: is.int }, ["k"]);

/**
 * `jnp.diag(v, k=0)`: a 1-D array's diagonal matrix, or a 2-D array's k-th diagonal.
 *
 * @example
 * np.diag([1, 2]);                  // [[1, 0], [0, 2]]
 * np.diag(np.eye(3), { k: 1 });     // [0, 0]
 */
export function diag(v: ArrayLike, ...args: OptArgs<[number], DiagOptions>): NdArray {
  const o = diagOptions.parse(args);
  const k = o.k ?? 0;
  const a = asArray(v, undefined, "diag");
  if (a.ndim === 2) return diagonal(a, k);
  if (a.ndim !== 1) {
    throw new ShapeError(`[diag] diag input must be 1d or 2d: got ${a.aval.str()}.`);
  }
  // out[i, j] = v[i - max(0, -k)] where j - i = k: v padded, as a column, selected by eye.
  const n = a.size + Math.abs(k);
  return allocating("diag", [n, n], a.dtype, () => {
    const zero = scalar(0, a.dtype, a.weakType);
    const col = st.reshape(padPrim(a, zero, [[Math.max(0, -k), Math.max(0, k), 0]]), [n, 1]);
    const mask = eyeMatrix("diag", n, n, k, "bool");
    return ew.selectN(mask, [st.broadcastTo(zero, [n, n]), st.broadcastTo(col, [n, n])]);
  });
}

// --- dtype constructors (np.float32(2.0), np.int32(3)) -----------------------------------------

const ctor =
  (d: DType, name: string) =>
  (x: ArrayObject, ...rest: []): NdArray => {
    noExtraArgs(name, rest);
    return asArray(x, d, name);
  };
/** `jnp.float32(x)`: `x` as a float32 array. @example np.float32(2.5) */
export const float32 = ctor("float32", "float32");
/** `jnp.float64(x)`: `x` as a float64 array (the JS number exactly). @example np.float64(0.1) */
export const float64 = ctor("float64", "float64");
/** `jnp.int32(x)`: `x` as an int32 array (truncated toward zero). @example np.int32(3.7) */
export const int32 = ctor("int32", "int32");
/** `jnp.uint32(x)`: `x` as a uint32 array. @example np.uint32(5) */
export const uint32 = ctor("uint32", "uint32");
/** `jnp.bool_(x)`: `x` as a bool array (non-zero is true). @example np.bool_(2) */
export const bool_ = ctor("bool", "bool_");

/**
 * `jnp.pi`: π as a JS number (a weakly typed scalar where an array is expected).
 */
export const pi = Math.PI;
/**
 * `jnp.e`: Euler's number as a JS number.
 */
export const e = Math.E;
/**
 * `jnp.inf`: positive infinity (`Infinity`).
 */
export const inf = Infinity;
/**
 * `jnp.nan`: not a number (`NaN`).
 */
export const nan = NaN;
/**
 * `jnp.newaxis`: `null`, which inserts a length-1 axis in `x.get(...)`, e.g. `x.get(np.newaxis, "...")`.
 */
export const newaxis = null;
