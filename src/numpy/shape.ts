/**
 * NumPy's shape functions, as compositions of primitives: reshape, transpose,
 * joining and splitting, tile/repeat, take and takeAlongAxis, sort and argsort.
 * pad. Every optional parameter follows
 * JAX's order or a trailing options object (core/options.ts).
 */
import { shapeStr, type Shape } from "../core/aval.js";
import { NdArray, type ArrayLike, readValues } from "../core/array.js";
import { isInteger, type DType } from "../core/dtypes.js";
import { ArgumentTypeError, AxisError, ConcretizationError, DTypeError, ShapeError } from "../core/errors.js";
import {
  check,
  defineOptions,
  describeValue,
  either,
  is,
  noExtraArgs,
  oneOf,
  orNull,
  type OptArgs,
} from "../core/options.js";
import * as st from "../primitives/structural.js";
import * as sl from "../primitives/slicing.js";
import { sort as sortPrim } from "../primitives/sort.js";
import { iota } from "../primitives/iota.js";
import { normalizeIndex, takeAxis, takeAlongAxis as takeAlong } from "../primitives/take.js";
import { floor, roundEven } from "../primitives/unary.js";
import * as ew from "../primitives/elementwise.js";
import { reduceSum } from "../primitives/reduce.js";
import { cumsum } from "../primitives/cumulative.js";
import { broadcastShapes, normalizeAxes, normalizeAxis, range } from "../primitives/shapes.js";
import { checkSize, fillValueFor } from "../primitives/constants.js";
import { asArray, promoteOperands } from "../primitives/as-array.js";
import { IndexError } from "./indexing.js";

// --- argument checks ---------------------------------------------------------------

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/** A shape argument as a list: integers ≥ 0 (≥ -1 where `unknown` allows one inferred size). */
function shapeArg(op: string, name: string, v: unknown, unknown = false): number[] {
  const dims = typeof v === "number" ? [v] : Array.isArray(v) ? (v as unknown[]) : null;
  if (dims === null || dims.some((d) => !isInt(d))) {
    throw new ArgumentTypeError(
      `[${op}] ${name} must be an integer or an array of integers: got ${describeValue(v)}, expected e.g. [2, 3].`,
    );
  }
  const s = dims as number[];
  if (s.some((d) => d < (unknown ? -1 : 0))) {
    throw new ShapeError(
      `[${op}] ${name} must have non-negative sizes${unknown ? " (or one -1)" : ""}: got ${shapeStr(s)}.`,
    );
  }
  return s;
}

/** A required axis argument (or list of them): integers, else a typed error naming the parameter. */
function axisArg(op: string, name: string, v: unknown): number[] {
  if (isInt(v)) return [v];
  if (Array.isArray(v) && v.every(isInt)) return v as number[];
  if (typeof v === "number") {
    throw new AxisError(`[${op}] ${name} must be an integer: got ${v}, expected an integer axis.`);
  }
  const hint =
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? ` ${name} is a required argument: give it positionally, np.${op}(x, ${JSON.stringify(Object.values(v)[0] ?? 0)}).`
      : "";
  throw new ArgumentTypeError(
    `[${op}] ${name} must be an integer axis or an array of integer axes: got ${describeValue(v)}.${hint}`,
  );
}

/** A JS array of array-likes (or one Array, taken along its first axis as JAX does). */
function arrayList(op: string, arrays: unknown): ArrayLike[] | NdArray {
  if (arrays instanceof NdArray) return arrays;
  if (!Array.isArray(arrays)) {
    throw new ArgumentTypeError(
      `[${op}] arrays must be a JS array of arrays: got ${describeValue(arrays)}, expected e.g. [x, y].`,
    );
  }
  if (arrays.length === 0) throw new ShapeError(`[${op}] need at least one array to ${op}: got none.`);
  return arrays as ArrayLike[];
}

const dtypeCheck = orNull(is.dtype);

// --- reshape, ravel, transpose ----------------------------------------------------------

/** Memory order of a reshape: row-major ("C") or column-major ("F"). JAX supports no other. */
export type Order = "C" | "F";
const orderCheck = check<Order>('"C" or "F" (JAX does not support "A" or "K")', (v) => v === "C" || v === "F");

/** Options of `np.reshape` (JAX: order, then keyword-only copy). */
export interface ReshapeOptions {
  /** "C" (default): read and write in row-major order; "F": column-major. */
  order?: Order;
  /** Unused, as in JAX (a reshape always gives a new array value). */
  copy?: boolean | null;
}
const reshapeOptions = defineOptions("reshape", { order: orderCheck, copy: orNull(is.bool) }, ["order"]);

/**
 * `jnp.reshape(a, shape, order="C", *, copy=None)`: one entry of `shape` may be -1.
 * @example np.reshape(np.arange(6), [2, -1]) // shape [2, 3]
 */
export function reshape(x: ArrayLike, shape: Shape | number, ...args: OptArgs<[Order], ReshapeOptions>): NdArray {
  const o = reshapeOptions.parse(args);
  const a = asArray(x, undefined, "reshape");
  const s = shapeArg("reshape", "shape", shape, true);
  const unknown = s.filter((d) => d === -1).length;
  if (unknown > 1)
    throw new ShapeError(
      `[reshape] can only specify one unknown dimension: got ${shapeStr(s)}, expected at most one -1.`,
    );
  const known = s.filter((d) => d !== -1).reduce((p, q) => p * q, 1);
  if (unknown === 1) {
    if (known === 0 || a.size % known !== 0) throw sizeMismatch(a, s);
    s[s.indexOf(-1)] = a.size / known;
  } else if (known !== a.size) throw sizeMismatch(a, s);
  if (o.order === "F") {
    // Column-major: reverse the axes, reshape row-major to the reversed shape, reverse back.
    const r = st.reshape(st.transpose(a, range(a.ndim).reverse()), [...s].reverse());
    return st.transpose(r, range(s.length).reverse());
  }
  return st.reshape(a, s);
}

function sizeMismatch(a: NdArray, s: number[]): ShapeError {
  return new ShapeError(
    `[reshape] cannot reshape array of shape ${shapeStr(a.aval.shape)} (size ${a.size}) into shape ${shapeStr(s)}: ` +
      `got ${a.aval.str()}, expected a shape with ${a.size} elements.`,
  );
}

/** Options of `np.ravel` (JAX: order). */
export interface RavelOptions {
  /** "C" (default) or "F". */
  order?: Order;
}
const ravelOptions = defineOptions("ravel", { order: orderCheck }, ["order"]);

/** `jnp.ravel(a, order="C")`: the array as 1-D. @example np.ravel(np.zeros([2, 3])) // shape [6] */
export function ravel(x: ArrayLike, ...args: OptArgs<[Order], RavelOptions>): NdArray {
  const o = ravelOptions.parse(args);
  const a = asArray(x, undefined, "ravel");
  if (o.order === "F") return st.reshape(st.transpose(a, range(a.ndim).reverse()), [a.size]);
  return st.reshape(a, [a.size]);
}

/** Options of `np.transpose` (JAX: axes). */
export interface TransposeOptions {
  /** A permutation of the axes; null or absent reverses them. */
  axes?: readonly number[] | null;
}
const transposeOptions = defineOptions(
  "transpose",
  { axes: orNull(check<readonly number[]>("an array of integer axes", (v) => Array.isArray(v) && v.every(isInt))) },
  ["axes"],
);

/** `jnp.transpose(a, axes=None)`: reverses the axes by default. @example np.transpose(x, [1, 0, 2]) */
export function transpose(x: ArrayLike, ...args: OptArgs<[readonly number[] | null], TransposeOptions>): NdArray {
  const { axes } = transposeOptions.parse(args);
  const a = asArray(x, undefined, "transpose");
  if (axes === null || axes === undefined) return st.transpose(a, range(a.ndim).reverse());
  if (axes.length !== a.ndim) {
    throw new AxisError(
      `[transpose] axes don't match array: got ${shapeStr(axes)} for ${a.aval.str()}, expected a permutation of ${a.ndim} axes.`,
    );
  }
  return st.transpose(a, normalizeAxes("transpose", axes, a.ndim));
}

/** `jnp.swapaxes(a, axis1, axis2)`. @example np.swapaxes(np.zeros([2, 3]), 0, 1) // shape [3, 2] */
export function swapaxes(x: ArrayLike, axis1: number, axis2: number, ...rest: []): NdArray {
  noExtraArgs("swapaxes", rest);
  const a = asArray(x, undefined, "swapaxes");
  const perm = range(a.ndim);
  const i = normalizeAxis("swapaxes", axisArg("swapaxes", "axis1", axis1)[0], a.ndim);
  const j = normalizeAxis("swapaxes", axisArg("swapaxes", "axis2", axis2)[0], a.ndim);
  [perm[i], perm[j]] = [perm[j], perm[i]];
  return st.transpose(a, perm);
}

/** `jnp.moveaxis(a, source, destination)`. @example np.moveaxis(np.zeros([2, 3, 4]), 0, -1) // shape [3, 4, 2] */
export function moveaxis(
  x: ArrayLike,
  source: number | readonly number[],
  destination: number | readonly number[],
  ...rest: []
): NdArray {
  noExtraArgs("moveaxis", rest);
  const a = asArray(x, undefined, "moveaxis");
  const src = normalizeAxes("moveaxis", axisArg("moveaxis", "source", source), a.ndim);
  const dst = normalizeAxes("moveaxis", axisArg("moveaxis", "destination", destination), a.ndim);
  if (src.length !== dst.length)
    throw new AxisError(
      `[moveaxis] Inconsistent number of elements: got ${src.length} source axes and ${dst.length} destination axes, expected as many of each.`,
    );
  const restAxes = range(a.ndim).filter((i) => !src.includes(i));
  const perm = new Array<number>(a.ndim);
  dst.forEach((d, k) => (perm[d] = src[k]));
  let r = 0;
  for (let i = 0; i < a.ndim; i++) if (perm[i] === undefined) perm[i] = restAxes[r++];
  return st.transpose(a, perm);
}

/** `jnp.expand_dims(a, axis)`: inserts length-1 axes. @example np.expandDims(np.zeros([3]), 0) // shape [1, 3] */
export function expandDims(x: ArrayLike, axis: number | readonly number[], ...rest: []): NdArray {
  noExtraArgs("expandDims", rest);
  const a = asArray(x, undefined, "expandDims");
  const axes = axisArg("expandDims", "axis", axis);
  const nd = a.ndim + axes.length;
  const norm = normalizeAxes("expandDims", axes, nd);
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < nd; i++) shape.push(norm.includes(i) ? 1 : a.aval.shape[k++]);
  return st.reshape(a, shape);
}

/** An axis, several axes, or null. */
export type Axes = number | readonly number[] | null;
/** Options with one optional axis or list of axes (squeeze, flip). */
export interface AxesOptions {
  /** The axis or axes; null or absent: all of them. */
  axis?: Axes;
}
const axesCheck = orNull(is.axes);
const squeezeOptions = defineOptions("squeeze", { axis: axesCheck }, ["axis"]);

/** `jnp.squeeze(a, axis=None)`: removes length-1 axes. @example np.squeeze(np.zeros([1, 3, 1]), 0) // shape [3, 1] */
export function squeeze(x: ArrayLike, ...args: OptArgs<[Axes], AxesOptions>): NdArray {
  const { axis } = squeezeOptions.parse(args);
  const a = asArray(x, undefined, "squeeze");
  const shape = a.aval.shape;
  const axes =
    axis === null || axis === undefined
      ? range(a.ndim).filter((i) => shape[i] === 1)
      : normalizeAxes("squeeze", typeof axis === "number" ? [axis] : axis, a.ndim);
  for (const i of axes) {
    if (shape[i] !== 1) {
      throw new ShapeError(
        `[squeeze] cannot select an axis to squeeze out which has size not equal to one: got axis ${i} of size ${shape[i]} in ${a.aval.str()}, expected size 1.`,
      );
    }
  }
  return st.reshape(
    a,
    shape.filter((_, i) => !axes.includes(i)),
  );
}

/** `jnp.broadcast_to(array, shape)`. @example np.broadcastTo(np.array([1, 2]), [3, 2]) */
export function broadcastTo(x: ArrayLike, shape: Shape | number, ...rest: []): NdArray {
  noExtraArgs("broadcastTo", rest);
  const a = asArray(x, undefined, "broadcastTo");
  const s = shapeArg("broadcastTo", "shape", shape);
  checkSize("broadcastTo", s, a.dtype);
  const out = s.length >= a.ndim ? broadcastShapes("broadcastTo", a.aval.shape, s) : null;
  if (out === null || out.length !== s.length || out.some((n, i) => n !== s[i])) {
    throw new ShapeError(
      `[broadcastTo] cannot broadcast ${a.aval.str()} to shape ${shapeStr(s)}: expected each axis of the input to be 1 or equal to the target, aligned from the right.`,
    );
  }
  return st.broadcastTo(a, s);
}

/**
 * `jnp.broadcast_arrays(*args)`: every argument broadcast to their common shape.
 *
 * @example
 * const [a, b] = np.broadcastArrays(np.array([1, 2, 3]), np.array([[1], [2]]));
 * a.shape; // [2, 3]
 */
export function broadcastArrays(...xs: ArrayLike[]): NdArray[] {
  const arrays = xs.map((x) => asArray(x, undefined, "broadcastArrays"));
  const shape = broadcastShapes("broadcastArrays", ...arrays.map((a) => a.aval.shape));
  return arrays.map((a) => st.broadcastTo(a, shape));
}

// --- joining and splitting -------------------------------------------------------------

/** Options of `np.concatenate` (JAX: axis, dtype). */
export interface ConcatenateOptions {
  /** The axis to join along (default 0); null flattens every input first. */
  axis?: number | null;
  /** The result's dtype (default: the inputs' promoted dtype). */
  dtype?: DType | null;
}
const concatenateOptions = defineOptions("concatenate", { axis: orNull(is.axis), dtype: dtypeCheck }, [
  "axis",
  "dtype",
]);

function joinOperands(op: string, arrays: readonly ArrayLike[], dtype: DType | null | undefined): NdArray[] {
  const xs = promoteOperands(op, [...arrays]);
  return dtype ? xs.map((a) => (a.dtype === dtype ? a : ew.convert(a, dtype))) : xs;
}

/**
 * `jnp.concatenate(arrays, axis=0, dtype=None)`. One Array is taken as the list of its rows.
 * @example np.concatenate([x, y], 1)
 */
export function concatenate(
  arrays: readonly ArrayLike[] | NdArray,
  ...args: OptArgs<[number | null, DType | null], ConcatenateOptions>
): NdArray {
  const o = concatenateOptions.parse(args);
  const list = arrayList("concatenate", arrays);
  const axis = o.axis === undefined ? 0 : o.axis;
  if (list instanceof NdArray) {
    // The rows of one array, joined: move the row axis next to `axis` and merge the two.
    let a = o.dtype && list.dtype !== o.dtype ? ew.convert(list, o.dtype) : list;
    if (a.ndim === 0)
      throw new ShapeError(`[concatenate] Zero-dimensional arrays cannot be concatenated: got ${a.aval.str()}.`);
    if (axis === null) return st.reshape(a, [a.size]);
    const ax = normalizeAxis("concatenate", axis, a.ndim - 1);
    a = moveaxis(a, 0, ax);
    const s = a.aval.shape;
    return st.reshape(a, [...s.slice(0, ax), s[ax] * s[ax + 1], ...s.slice(ax + 2)]);
  }
  let xs = joinOperands("concatenate", list, o.dtype);
  if (axis === null) xs = xs.map((a) => st.reshape(a, [a.size]));
  if (xs.some((a) => a.ndim === 0)) {
    throw new ShapeError(
      `[concatenate] Zero-dimensional arrays cannot be concatenated: got ${xs.map((a) => a.aval.str()).join(", ")}.`,
    );
  }
  const ax = normalizeAxis("concatenate", axis ?? 0, xs[0].ndim);
  const s0 = xs[0].aval.shape;
  if (xs.some((a) => a.ndim !== s0.length || a.aval.shape.some((n, i) => i !== ax && n !== s0[i]))) {
    throw new ShapeError(
      `[concatenate] all input arrays must have the same shape except on axis ${ax}: got ${xs.map((a) => a.aval.str()).join(", ")}.`,
    );
  }
  return sl.concatenate(xs, ax);
}

/** Options of `np.stack` (JAX: axis, out, dtype). */
export interface StackOptions {
  /** Where the new axis goes (default 0). */
  axis?: number;
  /** JAX's `out`: must be null. */
  out?: null;
  /** The result's dtype (default: the inputs' promoted dtype). */
  dtype?: DType | null;
}
const stackOptions = defineOptions("stack", { axis: is.axis, out: is.none, dtype: dtypeCheck }, [
  "axis",
  "out",
  "dtype",
]);

/** `jnp.stack(arrays, axis=0, out=None, dtype=None)`: joins along a new axis. @example np.stack([x, y], -1) */
export function stack(
  arrays: readonly ArrayLike[] | NdArray,
  ...args: OptArgs<[number, null, DType | null], StackOptions>
): NdArray {
  const o = stackOptions.parse(args);
  const list = arrayList("stack", arrays);
  if (list instanceof NdArray) {
    if (list.ndim === 0)
      throw new ShapeError(`[stack] need at least one array to stack: got a scalar ${list.aval.str()}.`);
    const a = o.dtype && list.dtype !== o.dtype ? ew.convert(list, o.dtype) : list;
    return moveaxis(a, 0, normalizeAxis("stack", o.axis ?? 0, a.ndim));
  }
  const xs = joinOperands("stack", list, o.dtype);
  const s0 = xs[0].aval.shape;
  if (xs.some((a) => a.ndim !== s0.length || a.aval.shape.some((n, i) => n !== s0[i]))) {
    throw new ShapeError(
      `[stack] all input arrays must have the same shape: got ${xs.map((a) => a.aval.str()).join(", ")}.`,
    );
  }
  const ax = normalizeAxis("stack", o.axis ?? 0, s0.length + 1);
  const shape = [...s0.slice(0, ax), 1, ...s0.slice(ax)];
  return sl.concatenate(
    xs.map((a) => st.reshape(a, shape)),
    ax,
  );
}

/** Options of `np.vstack` / `np.hstack` (JAX: dtype). */
export interface StackDtypeOptions {
  /** The result's dtype (default: the inputs' promoted dtype). */
  dtype?: DType | null;
}
const vstackOptions = defineOptions("vstack", { dtype: dtypeCheck }, ["dtype"]);
const hstackOptions = defineOptions("hstack", { dtype: dtypeCheck }, ["dtype"]);

function rows(op: string, tup: readonly ArrayLike[] | NdArray): NdArray[] {
  const list = arrayList(op, tup);
  if (list instanceof NdArray) {
    if (list.ndim === 0)
      throw new ShapeError(`[${op}] need a list of arrays or an array of rank ≥ 1: got ${list.aval.str()}.`);
    return range(list.aval.shape[0]).map((i) => st.reshape(sl.sliceAxis(list, 0, i, i + 1), list.aval.shape.slice(1)));
  }
  return list.map((a) => asArray(a, undefined, op));
}

/** `jnp.vstack(tup, dtype=None)`: rows stacked (1-D inputs become rows). @example np.vstack([[1, 2], [3, 4]]) */
export function vstack(
  tup: readonly ArrayLike[] | NdArray,
  ...args: OptArgs<[DType | null], StackDtypeOptions>
): NdArray {
  const { dtype } = vstackOptions.parse(args);
  const xs = rows("vstack", tup).map((x) => (x.ndim < 2 ? st.reshape(x, [1, x.size]) : x));
  return concatenate(xs, 0, dtype ?? null);
}

/** `jnp.hstack(tup, dtype=None)`: joined along axis 1 (axis 0 for 1-D inputs). @example np.hstack([x, y]) */
export function hstack(
  tup: readonly ArrayLike[] | NdArray,
  ...args: OptArgs<[DType | null], StackDtypeOptions>
): NdArray {
  const { dtype } = hstackOptions.parse(args);
  const xs = rows("hstack", tup).map((x) => (x.ndim === 0 ? st.reshape(x, [1]) : x));
  if (xs.length === 0) throw new ShapeError(`[hstack] need at least one array to concatenate: got none.`);
  return concatenate(xs, xs[0].ndim === 1 ? 0 : 1, dtype ?? null);
}

/** Options of `np.split` (JAX: axis). */
export interface SplitOptions {
  /** The axis to split (default 0). */
  axis?: number;
}
const splitOptions = defineOptions("split", { axis: is.axis }, ["axis"]);

/** Concrete integers from a number, a JS array or a concrete Array. */
function concreteInts(op: string, name: string, v: unknown): number | number[] {
  if (v instanceof NdArray) {
    const c = v.concrete(`${op} ${name}`);
    if (!isInteger(c.dtype)) throw new DTypeError(`[${op}] ${name} must be integers: got ${c.aval.str()}.`);
    const vals = Array.from(readValues(c));
    return c.ndim === 0 ? vals[0] : vals;
  }
  if (isInt(v)) return v;
  if (Array.isArray(v) && v.every(isInt)) return v as number[];
  throw new ArgumentTypeError(`[${op}] ${name} must be an integer or an array of integers: got ${describeValue(v)}.`);
}

/**
 * `jnp.split(ary, indices_or_sections, axis=0)`: equal sections, or pieces cut at the given indices.
 * @example np.split(np.arange(6), 3) // three arrays of 2; np.split(x, [1, 4])
 */
export function split(
  x: ArrayLike,
  indicesOrSections: number | readonly number[] | NdArray,
  ...args: OptArgs<[number], SplitOptions>
): NdArray[] {
  const o = splitOptions.parse(args);
  const a = asArray(x, undefined, "split");
  const ax = normalizeAxis("split", o.axis ?? 0, a.ndim);
  const n = a.aval.shape[ax];
  const spec = concreteInts("split", "indices_or_sections", indicesOrSections);
  let cuts: number[];
  if (typeof spec === "number") {
    if (spec <= 0) {
      throw new ShapeError(`[split] number of sections must be larger than 0: got ${spec}.`);
    }
    if (spec > Math.max(n, 2 ** 20)) {
      throw new ShapeError(
        `[split] too many sections: got ${spec} for an axis of size ${n}, expected at most ${Math.max(n, 2 ** 20)}.`,
      );
    }
    if (n % spec !== 0) {
      throw new ShapeError(
        `[split] array split does not result in an equal division: got ${n} elements on axis ${ax} and ${spec} sections, expected a divisor of ${n}.`,
      );
    }
    const step = n / spec;
    cuts = range(spec - 1).map((i) => (i + 1) * step);
  } else if (spec.length > 2 ** 20) {
    throw new ShapeError(`[split] too many split indices: got ${spec.length}, expected at most ${2 ** 20}.`);
  } else cuts = spec;
  const bounds = [0, ...cuts.map((c) => Math.min(Math.max(c < 0 ? c + n : c, 0), n)), n];
  return range(bounds.length - 1).map((i) => sl.sliceAxis(a, ax, bounds[i], Math.max(bounds[i], bounds[i + 1])));
}

const flipOptions = defineOptions("flip", { axis: axesCheck }, ["axis"]);

/** `jnp.flip(m, axis=None)`: reversed along the axes (all by default). @example np.flip(x, 1) */
export function flip(x: ArrayLike, ...args: OptArgs<[Axes], AxesOptions>): NdArray {
  const { axis } = flipOptions.parse(args);
  const a = asArray(x, undefined, "flip");
  const axes =
    axis === null || axis === undefined
      ? range(a.ndim)
      : normalizeAxes("flip", typeof axis === "number" ? [axis] : axis, a.ndim);
  return sl.rev(a, axes);
}

/** `jnp.tile(A, reps)`: A repeated reps[i] times along each axis. @example np.tile(np.array([1, 2]), 2) // [1, 2, 1, 2] */
export function tile(x: ArrayLike, reps: number | readonly number[], ...rest: []): NdArray {
  noExtraArgs("tile", rest);
  let a = asArray(x, undefined, "tile");
  const r = shapeArg("tile", "reps", reps);
  const nd = Math.max(a.ndim, r.length);
  a = st.reshape(a, [...new Array<number>(nd - a.ndim).fill(1), ...a.aval.shape]);
  const full = [...new Array<number>(nd - r.length).fill(1), ...r];
  // Broadcast to [r0, n0, r1, n1, ...] then merge pairs.
  const shape = a.aval.shape;
  checkSize(
    "tile",
    shape.map((n, i) => n * full[i]),
    a.dtype,
  );
  const interleaved = shape.flatMap((n, i) => [full[i], n]);
  const b = st.broadcastInDim(
    a,
    interleaved,
    range(nd).map((i) => 2 * i + 1),
  );
  return st.reshape(
    b,
    shape.map((n, i) => n * full[i]),
  );
}

/** Options of `np.repeat` (JAX: axis; total_repeat_length keyword-only). */
export interface RepeatOptions {
  /** The axis to repeat along; null (default) flattens first. */
  axis?: number | null;
  /**
   * The output length along the axis, which makes the shape static (needed under jit
   * when `repeats` is traced): longer results are cut, shorter ones continue with the last element.
   */
  totalRepeatLength?: number | null;
}
const repeatOptions = defineOptions("repeat", { axis: orNull(is.axis), totalRepeatLength: orNull(is.nonNegativeInt) }, [
  "axis",
]);

/**
 * `jnp.repeat(a, repeats, axis=None, *, total_repeat_length=None)`: each element repeated,
 * a whole number of times or a per-element count.
 * @example np.repeat(np.array([1, 2]), [1, 3]) // [1, 2, 2, 2]
 */
export function repeat(
  x: ArrayLike,
  repeats: number | readonly number[] | NdArray,
  ...args: OptArgs<[number | null], RepeatOptions>
): NdArray {
  const o = repeatOptions.parse(args);
  let a = asArray(x, undefined, "repeat");
  let axis = o.axis ?? null;
  if (axis === null) {
    a = st.reshape(a, [a.size]);
    axis = 0;
  }
  const ax = normalizeAxis("repeat", axis, a.ndim);
  const n = a.aval.shape[ax];
  const total = o.totalRepeatLength ?? null;
  if (repeats instanceof NdArray && concreteValue(repeats, "repeat") === null) {
    if (total === null) {
      throw new ConcretizationError(
        `[repeat] When jit-compiling np.repeat, the total number of repeats must be static: got a traced ` +
          `${repeats.aval.str()}. To fix this, either specify a static value for repeats, or pass a static ` +
          `value in { totalRepeatLength }.`,
      );
    }
    return repeatTraced(a, repeats, ax, total);
  }
  const spec = concreteInts("repeat", "repeats", repeats);
  const counts = typeof spec === "number" ? null : spec;
  if ((typeof spec === "number" ? [spec] : spec).some((r) => r < 0)) {
    throw new ShapeError(`[repeat] repeats may not contain negative values: got ${JSON.stringify(spec)}.`);
  }
  if (typeof spec === "number" && total === null) {
    const shape = a.aval.shape;
    checkSize(
      "repeat",
      shape.map((m, i) => (i === ax ? m * spec : m)),
      a.dtype,
    );
    const expanded = st.broadcastInDim(
      a,
      [...shape.slice(0, ax + 1), spec, ...shape.slice(ax + 1)],
      range(a.ndim).map((i) => (i <= ax ? i : i + 1)),
    );
    return st.reshape(
      expanded,
      shape.map((m, i) => (i === ax ? m * spec : m)),
    );
  }
  const per =
    counts === null
      ? new Array<number>(n).fill(spec as number)
      : counts.length === 1
        ? new Array<number>(n).fill(counts[0])
        : counts;
  if (per.length !== n)
    throw new ShapeError(
      `[repeat] repeats has ${per.length} entries: expected one per element (${n}) on axis ${ax}, or a single count.`,
    );
  const count = total ?? per.reduce((p, q) => p + q, 0);
  checkSize(
    "repeat",
    a.aval.shape.map((m, i) => (i === ax ? count : m)),
    a.dtype,
  );
  let idx = per.flatMap((r, i) => new Array<number>(r).fill(i));
  if (total !== null) {
    // JAX: cut to total_repeat_length, or continue with the last element.
    idx = idx.length >= total ? idx.slice(0, total) : [...idx, ...new Array<number>(total - idx.length).fill(n - 1)];
  }
  if (idx.length > 0 && n === 0) throw new IndexError(`[repeat] cannot repeat elements of an empty axis.`);
  return takeAxis(a, asArray(idx, "int32"), ax, "clip");
}

/** The value behind an array, or null for a tracer without one (under jit or vmap). */
function concreteValue(x: NdArray, op: string): NdArray | null {
  try {
    return x.concrete(op);
  } catch (e) {
    if (e instanceof ConcretizationError) return null;
    throw e;
  }
}

/** Per-element repeats known only at run time, with a static total (JAX's cumsum construction). */
function repeatTraced(a: NdArray, repeats: NdArray, ax: number, total: number): NdArray {
  const n = a.aval.shape[ax];
  if (!isInteger(repeats.dtype)) throw new DTypeError(`[repeat] repeats must be integers: got ${repeats.aval.str()}.`);
  if (n === 0 && total > 0) throw new IndexError(`[repeat] cannot repeat elements of an empty axis.`);
  if (repeats.size !== 1 && repeats.size !== n) {
    throw new ShapeError(
      `[repeat] repeats has ${repeats.size} entries: expected one per element (${n}) on axis ${ax}, or a single count.`,
    );
  }
  checkSize("repeat", [total, n], "int32");
  checkSize(
    "repeat",
    a.aval.shape.map((m, i) => (i === ax ? total : m)),
    a.dtype,
  );
  const r = st.broadcastTo(st.reshape(repeats, [repeats.size]), [n]);
  const ri = r.dtype === "int32" ? r : ew.convert(r, "int32");
  // start[k] = Σ_{j<k} r[j]; output position p reads element #{k : start[k] ≤ p} − 1, at most n − 1.
  const starts = ew.sub(cumsum(ri, 0), ri);
  const started = ew.le(st.broadcastTo(starts, [total, n]), iota("int32", [total, n], 0));
  const count = reduceSum(ew.convert(started, "int32"), [1]);
  const idx = ew.min(ew.sub(count, ew.scalarLike(1, count)), ew.scalarLike(Math.max(n - 1, 0), count));
  return takeAxis(a, idx, ax, "clip");
}

// --- pad ---------------------------------------------------------------------------

/** JAX's padding modes (a callable mode is not supported). */
export type PadMode =
  | "constant"
  | "edge"
  | "reflect"
  | "symmetric"
  | "wrap"
  | "linear_ramp"
  | "maximum"
  | "minimum"
  | "mean"
  | "median"
  | "empty";
const PAD_MODES: readonly PadMode[] = [
  "constant",
  "edge",
  "reflect",
  "symmetric",
  "wrap",
  "linear_ramp",
  "maximum",
  "minimum",
  "mean",
  "median",
  "empty",
];

/** A per-axis pair spec: n, [n], [before, after], [[before, after]], or one [before, after] per axis. */
export type PadWidth = number | readonly number[] | readonly (readonly number[])[];

/** Options of `np.pad` (JAX: mode, then the mode's keyword arguments). */
export interface PadOptions {
  /** How to fill the padding (default "constant"). */
  mode?: PadMode;
  /** mode "constant": the value(s), a scalar or [before, after] pairs as for padWidth (default 0). */
  constantValues?: ArrayLike;
  /** modes "maximum", "minimum", "mean", "median": how many edge values the statistic uses (default: all). */
  statLength?: PadWidth | null;
  /** mode "linear_ramp": the values the ramps start from, as for padWidth (default 0). */
  endValues?: PadWidth;
  /** modes "reflect", "symmetric": "even" (default) mirrors; "odd" reflects about the edge value (2·edge − x). */
  reflectType?: "even" | "odd";
}

const pairsCheck = check<PadWidth>(
  "a number, [before, after], or one [before, after] per axis",
  (v) =>
    typeof v === "number" ||
    (Array.isArray(v) &&
      (v.every((e) => typeof e === "number") ||
        v.every((e) => Array.isArray(e) && e.every((f) => typeof f === "number")))),
);
const padOptions = defineOptions(
  "pad",
  {
    mode: check<PadMode>(`one of ${PAD_MODES.map((m) => JSON.stringify(m)).join(", ")}`, (v) =>
      PAD_MODES.includes(v as PadMode),
    ),
    constantValues: is.arrayLike,
    statLength: orNull(pairsCheck),
    endValues: pairsCheck,
    reflectType: oneOf("even", "odd"),
  },
  ["mode"],
);
const PAD_KWARGS: Record<PadMode, string[]> = {
  constant: ["constantValues"],
  edge: [],
  wrap: [],
  empty: [],
  reflect: ["reflectType"],
  symmetric: ["reflectType"],
  linear_ramp: ["endValues"],
  maximum: ["statLength"],
  minimum: ["statLength"],
  mean: ["statLength"],
  median: ["statLength"],
};

/** JAX's `_broadcast_to_pairs`: shapes (), (1,), (2,), (1, 2) or (nd, 2) become nd pairs. */
function toPairs(name: string, v: PadWidth, nd: number): [number, number][] {
  const bad = (): ShapeError =>
    new ShapeError(
      `[pad] ${name} ${JSON.stringify(v)} has an unsupported shape for an array of rank ${nd}: ` +
        `expected a number, [n], [before, after], [[before, after]] or ${nd} pairs [before, after].`,
    );
  if (typeof v === "number") return range(nd).map(() => [v, v]);
  if (v.length > 0 && v.every((e) => typeof e === "number")) {
    const w = v as readonly number[];
    if (w.length === 1) return range(nd).map(() => [w[0], w[0]]);
    if (w.length === 2) return range(nd).map(() => [w[0], w[1]]);
    throw bad();
  }
  const w = v as readonly (readonly number[])[];
  if (w.length === 0 || w.some((p) => p.length !== 2)) throw bad();
  if (w.length === 1) return range(nd).map(() => [w[0][0], w[0][1]]);
  if (w.length === nd) return w.map((p) => [p[0], p[1]]);
  throw bad();
}

/**
 * `jnp.pad(array, pad_width, mode="constant", **kwargs)`.
 * @example np.pad(np.array([1, 2, 3]), [2, 1], "reflect") // [3, 2, 1, 2, 3, 2]
 * @example np.pad(x, 1, { constantValues: -1 })
 */
export function pad(x: ArrayLike, padWidth: PadWidth, ...args: OptArgs<[PadMode], PadOptions>): NdArray {
  const o = padOptions.parse(args);
  const mode = o.mode ?? "constant";
  const extra = (Object.keys(o) as (keyof PadOptions)[]).filter((k) => k !== "mode" && !PAD_KWARGS[mode].includes(k));
  if (extra.length > 0) {
    throw new ArgumentTypeError(
      `[pad] unsupported keyword arguments for mode '${mode}': got ${extra.join(", ")}, expected ` +
        `${PAD_KWARGS[mode].length ? PAD_KWARGS[mode].join(", ") : "none"}.`,
    );
  }
  const a = asArray(x, undefined, "pad");
  if (!pairsCheck.test(padWidth)) {
    throw new ArgumentTypeError(`[pad] pad_width must be ${pairsCheck.expected}: got ${describeValue(padWidth)}.`);
  }
  const flatW = (typeof padWidth === "number" ? [padWidth] : (padWidth as unknown[]).flat()) as number[];
  if (flatW.some((w) => !Number.isInteger(w))) {
    throw new ArgumentTypeError(`[pad] pad_width must be of integral type: got ${JSON.stringify(padWidth)}.`);
  }
  if (flatW.some((w) => w < 0)) {
    throw new ShapeError(`[pad] index can't contain negative values: got pad_width ${JSON.stringify(padWidth)}.`);
  }
  if (a.ndim === 0) return a;
  const widths = toPairs("pad_width", padWidth, a.ndim);
  checkSize(
    "pad",
    a.aval.shape.map((n, i) => n + widths[i][0] + widths[i][1]),
    a.dtype,
  );
  if (mode !== "constant" && mode !== "empty") {
    widths.forEach(([lo, hi], i) => {
      if (a.aval.shape[i] === 0 && (lo > 0 || hi > 0)) {
        throw new ShapeError(`[pad] Cannot apply '${mode}' padding to empty axis: got axis ${i} of ${a.aval.str()}.`);
      }
    });
  }
  switch (mode) {
    case "constant":
      return padConstant(a, widths, o.constantValues ?? 0);
    case "empty":
      return sl.pad(
        a,
        ew.scalarLike(0, a),
        widths.map(([lo, hi]) => [lo, hi, 0]),
      );
    case "edge":
      return perAxis(a, widths, (y, i, lo, hi) =>
        joinAxis(y, i, [repeatSlice(y, i, 0, lo), y, repeatSlice(y, i, -1, hi)]),
      );
    case "wrap":
      return perAxis(a, widths, padWrap);
    case "reflect":
    case "symmetric":
      return perAxis(a, widths, (y, i, lo, hi) => padReflect(y, i, lo, hi, mode, o.reflectType ?? "even"));
    case "linear_ramp": {
      const ends = toPairs("end_values", o.endValues ?? 0, a.ndim);
      return perAxis(a, widths, (y, i, lo, hi) =>
        joinAxis(y, i, [ramp(y, i, ends[i][0], 0, lo), y, sl.rev(ramp(y, i, ends[i][1], -1, hi), [i])]),
      );
    }
    default: {
      const lengths =
        o.statLength === null || o.statLength === undefined ? null : toPairs("stat_length", o.statLength, a.ndim);
      if (lengths && lengths.flat().some((l) => !Number.isInteger(l) || l < 0)) {
        throw new ShapeError(`[pad] stat_length must be non-negative integers: got ${JSON.stringify(o.statLength)}.`);
      }
      if (lengths && lengths.flat().some((l) => l === 0)) {
        throw new ShapeError(
          `[pad] stat_length of 0 yields no value for padding: got ${JSON.stringify(o.statLength)}.`,
        );
      }
      return perAxis(a, widths, (y, i, lo, hi) => {
        const n = y.aval.shape[i];
        const before = padStat(lengths ? sl.sliceAxis(y, i, 0, Math.min(lengths[i][0], n)) : y, i, mode, a);
        const after = lengths ? padStat(sl.sliceAxis(y, i, n - Math.min(lengths[i][1], n), n), i, mode, a) : before;
        return joinAxis(y, i, [repeatAlong(before, i, lo), y, repeatAlong(after, i, hi)]);
      });
    }
  }
}

type AxisPadder = (y: NdArray, axis: number, lo: number, hi: number) => NdArray;

function perAxis(a: NdArray, widths: [number, number][], f: AxisPadder): NdArray {
  let y = a;
  widths.forEach(([lo, hi], i) => {
    if (lo > 0 || hi > 0) y = f(y, i, lo, hi);
  });
  return y;
}

/** Concatenates the non-empty pieces along an axis. */
function joinAxis(like: NdArray, axis: number, parts: NdArray[]): NdArray {
  const kept = parts.filter((p) => p.aval.shape[axis] > 0);
  return kept.length === 0 ? like : sl.concatenate(kept, axis);
}

/** A size-1 slice repeated `count` times along `axis`. */
function repeatAlong(x: NdArray, axis: number, count: number): NdArray {
  return st.broadcastTo(
    x,
    x.aval.shape.map((n, i) => (i === axis ? count : n)),
  );
}

/** The first (at 0) or last (at -1) slice along `axis`, repeated `count` times. */
function repeatSlice(y: NdArray, axis: number, at: 0 | -1, count: number): NdArray {
  const n = y.aval.shape[axis];
  return repeatAlong(at === 0 ? sl.sliceAxis(y, axis, 0, 1) : sl.sliceAxis(y, axis, n - 1, n), axis, count);
}

function padConstant(a: NdArray, widths: [number, number][], values: ArrayLike): NdArray {
  const c =
    typeof values === "number"
      ? ew.scalarLike(values, a)
      : ew.convert(asArray(values, undefined, "pad"), a.dtype, a.weakType);
  const config = widths.map(([lo, hi]): [number, number, number] => [lo, hi, 0]);
  if (c.ndim === 0 || (c.ndim === 1 && c.size === 1)) return sl.pad(a, st.reshape(c, []), config);
  const nd = a.ndim;
  const fits =
    c.ndim <= 2 && c.aval.shape[c.ndim - 1] === 2 && (c.ndim === 1 || c.aval.shape[0] === 1 || c.aval.shape[0] === nd);
  if (!fits) {
    throw new ShapeError(
      `[pad] constant_values has unsupported shape ${shapeStr(c.aval.shape)}: expected a scalar, [before, after], ` +
        `[[before, after]] or ${nd} pairs.`,
    );
  }
  const pairs = st.broadcastTo(c, [nd, 2]);
  const at = (i: number, j: number) =>
    st.reshape(sl.slice(pairs, { startIndices: [i, j], limitIndices: [i + 1, j + 1], strides: [1, 1] }), []);
  let y = a;
  widths.forEach(([lo, hi], i) => {
    const cfg = (l: number, h: number) =>
      range(nd).map((k): [number, number, number] => (k === i ? [l, h, 0] : [0, 0, 0]));
    if (lo > 0) y = sl.pad(y, at(i, 0), cfg(lo, 0));
    if (hi > 0) y = sl.pad(y, at(i, 1), cfg(0, hi));
  });
  return y;
}

/** NumPy's "wrap": whole copies of the axis, then the remainders (JAX's construction). */
function padWrap(y: NdArray, axis: number, lo: number, hi: number): NdArray {
  const n = y.aval.shape[axis];
  const parts: NdArray[] = [];
  if (lo % n > 0) parts.push(sl.sliceAxis(y, axis, n - (lo % n), n));
  for (let k = 0; k < Math.floor(lo / n) + Math.floor(hi / n) + 1; k++) parts.push(y);
  if (hi % n > 0) parts.push(sl.sliceAxis(y, axis, 0, hi % n));
  return joinAxis(y, axis, parts);
}

/** "reflect" / "symmetric", in rounds as NumPy and JAX pad; "odd" reflects about the edge value. */
function padReflect(y: NdArray, axis: number, lo: number, hi: number, mode: string, type: "even" | "odd"): NdArray {
  const size = y.aval.shape[axis];
  const offset = mode === "reflect" && size > 1 ? 1 : 0;
  const build = (arr: NdArray, padding: number, before: boolean): NdArray => {
    const len0 = arr.aval.shape[axis];
    let edge = before ? sl.sliceAxis(arr, axis, 0, 1) : sl.sliceAxis(arr, axis, len0 - 1, len0);
    while (padding > 0) {
      const cur = Math.min(padding, size - offset);
      padding -= cur;
      const len = arr.aval.shape[axis];
      const start = before ? offset : len - (cur + offset);
      const stop = before ? offset + cur : mode === "symmetric" || size === 1 ? len : len - 1;
      let piece = sl.rev(sl.sliceAxis(arr, axis, start, stop), [axis]);
      if (type === "odd") {
        // 2·edge − x, with the edge broadcast along the axis.
        const e = repeatAlong(edge, axis, piece.aval.shape[axis]);
        piece = ew.sub(ew.add(e, e), piece);
        const m = piece.aval.shape[axis];
        if (size > 1) edge = before ? sl.sliceAxis(piece, axis, 0, 1) : sl.sliceAxis(piece, axis, m - 1, m);
      }
      arr = sl.concatenate(before ? [piece, arr] : [arr, piece], axis);
    }
    return arr;
  };
  return build(build(y, lo, true), hi, false);
}

/**
 * `linspace(end, edge, num, endpoint=False)` along `axis`, in y's dtype (floored for integers),
 * from the end value toward the first (at 0) or last (at -1) slice of y.
 */
function ramp(y: NdArray, axis: number, end: number, at: 0 | -1, num: number): NdArray {
  const n = y.aval.shape[axis];
  const edgeX = at === 0 ? sl.sliceAxis(y, axis, 0, 1) : sl.sliceAxis(y, axis, n - 1, n);
  const comp: DType = y.dtype === "float64" ? "float64" : "float32";
  const edge = ew.convert(edgeX, comp);
  const shape = y.aval.shape.map((m, i) => (i === axis ? num : m));
  if (num === 0) return st.broadcastInDim(ew.scalarLike(0, y), shape, []);
  // start·(1 − t) + stop·t with t = k / num, k = 0 … num − 1.
  const t = ew.div(iota(comp, shape, axis), st.broadcastInDim(ew.scalarLike(num, edge), shape, []));
  const full = (v: number) => st.broadcastInDim(ew.scalarLike(v, edge), shape, []);
  const out = ew.add(ew.mul(full(end), ew.sub(full(1), t)), ew.mul(repeatAlong(edge, axis, num), t));
  const rounded = isInteger(y.dtype) || y.dtype === "bool" ? floor(out) : out;
  return ew.convert(rounded, y.dtype, y.weakType);
}

/** A statistic of x along `axis` (kept as a length-1 axis), in the padded array's dtype. */
function padStat(x: NdArray, axis: number, mode: PadMode, like: NdArray): NdArray {
  const comp: DType = x.dtype === "float64" ? "float64" : "float32";
  let s: NdArray;
  if (mode === "maximum" || mode === "minimum") {
    const sorted = sortPrim([x], { dimension: axis, numKeys: 1 })[0];
    const n = x.aval.shape[axis];
    // NaN sorts last: the maximum is NaN if any is; the minimum is NaN too (NumPy's propagation).
    const last = sl.sliceAxis(sorted, axis, n - 1, n);
    if (mode === "maximum") s = last;
    else {
      const first = sl.sliceAxis(sorted, axis, 0, 1);
      s = ew.selectN(ew.ne(last, last), [first, last]);
    }
    return s;
  }
  const xf = ew.convert(x, comp);
  const n = x.aval.shape[axis];
  if (mode === "mean") {
    s = ew.div(reduceKeep(xf, axis), st.broadcastTo(ew.scalarLike(n, xf), reduceKeepShape(xf, axis)));
  } else {
    const sorted = sortPrim([xf], { dimension: axis, numKeys: 1 })[0];
    const lo = sl.sliceAxis(sorted, axis, (n - 1) >> 1, ((n - 1) >> 1) + 1);
    const hi = sl.sliceAxis(sorted, axis, n >> 1, (n >> 1) + 1);
    const last = sl.sliceAxis(sorted, axis, n - 1, n);
    const mid = ew.div(ew.add(lo, hi), st.broadcastTo(ew.scalarLike(2, lo), lo.aval.shape));
    s = ew.selectN(ew.ne(last, last), [mid, last]);
  }
  if (isInteger(like.dtype) || like.dtype === "bool") s = roundEven(s);
  return ew.convert(s, like.dtype, like.weakType);
}

function reduceKeepShape(x: NdArray, axis: number): number[] {
  return x.aval.shape.map((n, i) => (i === axis ? 1 : n));
}

function reduceKeep(x: NdArray, axis: number): NdArray {
  return st.reshape(reduceSum(x, [axis]), reduceKeepShape(x, axis));
}

// --- take, takeAlongAxis ------------------------------------------------------------

/** An index array: integer Arrays as they are, JS integers as int32; anything else a typed error. */
function indexArray(op: string, indices: unknown): NdArray {
  if (indices instanceof NdArray) {
    if (isInteger(indices.dtype)) return indices;
    // np.array([[1], [0]]) is float32 here (int32 in JAX): a concrete float array of whole numbers is taken as int32.
    const c = indices.dtype === "bool" ? null : concreteValue(indices, op);
    if (c === null || !Array.from(readValues(c)).every((v) => Number.isInteger(v) && Math.abs(v) < 2 ** 31)) {
      throw new DTypeError(
        `[${op}] indices must be of integer type: got ${indices.aval.str()}${c ? " with non-integer values" : ""}, ` +
          `expected int32 or uint32 indices. Convert them with x.astype("int32").`,
      );
    }
    return ew.convert(c, "int32");
  }
  const flat =
    typeof indices === "number" || typeof indices === "boolean"
      ? [indices]
      : Array.isArray(indices)
        ? (indices as unknown[]).flat(Infinity)
        : null;
  const notIndex = (v: unknown) => typeof v !== "number" || !Number.isInteger(v) || Math.abs(v) >= 2 ** 31;
  if (flat !== null && flat.some(notIndex)) {
    const bad = flat.find(notIndex);
    throw new DTypeError(
      `[${op}] indices must be int32 integers: got ${describeValue(bad)} in ${describeValue(indices)}, expected integers in [-2³¹, 2³¹).`,
    );
  }
  const idx = asArray(indices, "int32", op);
  if (!isInteger(idx.dtype)) throw new DTypeError(`[${op}] indices must be of integer type: got ${idx.aval.str()}.`);
  return idx;
}

/** What an out-of-range index of np.take gives. */
export type TakeModeName = "fill" | "clip" | "wrap";

/** Options of `np.take` (JAX: axis, out, mode, unique_indices, indices_are_sorted, fill_value). */
export interface TakeOptions {
  /** The axis to take along; null (default) flattens first. */
  axis?: number | null;
  /** JAX's `out`: must be null. */
  out?: null;
  /**
   * Out-of-range indices: "fill" (default; indices in [-n, n) count from the end, others read
   * `fillValue`), "clip" (clamped into [0, n-1]) or "wrap" (modulo n). JAX does not support "raise".
   */
  mode?: TakeModeName | null;
  /** A promise that the indices are unique (unused: a hint for XLA in JAX). */
  uniqueIndices?: boolean;
  /** A promise that the indices are sorted (unused: a hint for XLA in JAX). */
  indicesAreSorted?: boolean;
  /** The value read at out-of-range indices in "fill" mode (default NaN; for ints the most negative; true for bools). */
  fillValue?: number | boolean | null;
}
const fillValueCheck = orNull(either(is.numberOrNaN, is.bool));
const takeOptions = defineOptions(
  "take",
  {
    axis: orNull(is.axis),
    out: is.none,
    mode: orNull(
      check<TakeModeName>('"fill", "clip" or "wrap" (JAX does not support "raise")', (v) =>
        ["fill", "clip", "wrap"].includes(v as string),
      ),
    ),
    uniqueIndices: is.bool,
    indicesAreSorted: is.bool,
    fillValue: fillValueCheck,
  },
  ["axis", "out", "mode", "uniqueIndices", "indicesAreSorted", "fillValue"],
);

const fillNumber = (op: string, v: number | boolean | null | undefined, dtype: DType): number | undefined =>
  v === null || v === undefined ? undefined : fillValueFor(op, v, dtype);

/** Zeros of x's dtype and weak type in a shape. */
function zerosOf(x: NdArray, shape: number[]): NdArray {
  return st.broadcastInDim(ew.convert(ew.scalarLike(0, x), x.dtype, x.weakType), shape, []);
}

/**
 * `jnp.take(a, indices, axis=None, out=None, mode=None, unique_indices=False, indices_are_sorted=False, fill_value=None)`.
 * As in JAX, out-of-range indices fill with NaN (mode "fill") unless `mode` says "clip" or "wrap".
 * @example np.take(np.array([10, 20, 30]), [2, -1, 5]) // [30, 30, NaN]
 */
export function take(
  x: ArrayLike,
  indices: ArrayLike,
  ...args: OptArgs<[number | null, null, TakeModeName | null, boolean, boolean, number | boolean | null], TakeOptions>
): NdArray {
  const o = takeOptions.parse(args);
  let a = asArray(x, undefined, "take");
  const idx = indexArray("take", indices);
  if (o.axis === null || o.axis === undefined) a = st.reshape(a, [a.size]);
  const ax = normalizeAxis("take", o.axis ?? 0, a.ndim);
  const s = a.aval.shape;
  const outShape = [...s.slice(0, ax), ...idx.aval.shape, ...s.slice(ax + 1)];
  if (s[ax] === 0 && idx.size !== 0) {
    throw new IndexError(
      `[take] Cannot do a non-empty jnp.take() from an empty axis: got ${a.aval.str()}, axis ${ax}.`,
    );
  }
  checkSize("take", outShape, a.dtype);
  if (idx.size === 0) return zerosOf(a, outShape);
  return takeAxis(a, idx, ax, o.mode ?? "fill", fillNumber("take", o.fillValue, a.dtype));
}

/** Out-of-range indices of takeAlongAxis ("promise_in_bounds" behaves as "clip"). */
export type TakeAlongMode = "fill" | "clip" | "promise_in_bounds";

/** Options of `np.takeAlongAxis` (JAX: axis, mode, fill_value). */
export interface TakeAlongAxisOptions {
  /** The axis to take along (default -1); null flattens the array (indices must be 1-D). */
  axis?: number | null;
  /** Out-of-range indices: "fill" (default) reads `fillValue`, "clip" clamps. */
  mode?: TakeAlongMode | null;
  /** The value read at out-of-range indices in "fill" mode (default as for np.take). */
  fillValue?: number | boolean | null;
}
const takeAlongOptions = defineOptions(
  "takeAlongAxis",
  {
    axis: orNull(is.axis),
    mode: orNull(oneOf("fill", "clip", "promise_in_bounds")),
    fillValue: fillValueCheck,
  },
  ["axis", "mode", "fillValue"],
);

/**
 * `jnp.take_along_axis(arr, indices, axis=-1, mode=None, fill_value=None)`: indices of x's
 * rank, broadcast against x on the other axes; out-of-range ones fill with NaN by default.
 * @example np.takeAlongAxis(x, np.argsort(x, 1), 1) // x sorted along axis 1
 */
export function takeAlongAxis(
  x: ArrayLike,
  indices: ArrayLike,
  ...args: OptArgs<[number | null, TakeAlongMode | null, number | boolean | null], TakeAlongAxisOptions>
): NdArray {
  const o = takeAlongOptions.parse(args);
  let a = asArray(x, undefined, "takeAlongAxis");
  const idx = indexArray("takeAlongAxis", indices);
  let axis = o.axis === undefined ? -1 : o.axis;
  if (axis === null) {
    if (idx.ndim !== 1) {
      throw new ShapeError(
        `[takeAlongAxis] take_along_axis indices must be 1D if axis=None, got shape ${shapeStr(idx.aval.shape)}.`,
      );
    }
    a = st.reshape(a, [a.size]);
    axis = 0;
  }
  if (idx.ndim !== a.ndim) {
    throw new ShapeError(
      `[takeAlongAxis] indices and arr must have the same number of dimensions; ${idx.ndim} vs. ${a.ndim}: got ${idx.aval.str()} and ${a.aval.str()}.`,
    );
  }
  const ax = normalizeAxis("takeAlongAxis", axis, a.ndim);
  const n = a.aval.shape[ax];
  const outShape = broadcastShapes(
    "takeAlongAxis",
    idx.aval.shape,
    a.aval.shape.map((m, i) => (i === ax ? 1 : m)),
  );
  checkSize("takeAlongAxis", outShape, a.dtype);
  if (n === 0) return zerosOf(a, outShape);
  const full = st.broadcastTo(idx, outShape);
  const xs = st.broadcastTo(
    a,
    outShape.map((m, i) => (i === ax ? n : m)),
  );
  const mode = o.mode ?? "fill";
  if (mode === "fill") return takeAlong(xs, full, ax, "fill", fillNumber("takeAlongAxis", o.fillValue, a.dtype));
  return takeAlong(xs, normalizeIndex(full, n), ax, "clip");
}

// --- sort, argsort -------------------------------------------------------------------

/** Options of `np.sort` (JAX: axis; kind, order, stable, descending keyword-only). */
export interface SortOptions {
  /** The axis to sort along (default -1); null sorts the flattened array. */
  axis?: number | null;
  /** Not supported by JAX: must be null (use `stable`). */
  kind?: null;
  /** Not supported by JAX: must be null. */
  order?: null;
  /** Use a stable sort (default true; the sort is always stable here). */
  stable?: boolean;
  /** Sort in descending order (default false); NaNs then come first. */
  descending?: boolean;
}
const sortChecks = {
  axis: orNull(is.axis),
  kind: check<null>(
    "null ('kind' is not supported: use stable=true or stable=false to specify sort stability)",
    (v) => v === null,
  ),
  order: check<null>("null ('order' is not supported by JAX's sort)", (v) => v === null),
  stable: is.bool,
  descending: is.bool,
};
const sortOptions = defineOptions("sort", sortChecks, ["axis"]);

/** Flattens for a null axis; the normalized axis otherwise (a 0-d array has none: AxisError). */
function sortAxis(op: string, x: ArrayLike, axis: number | null | undefined): [NdArray, number] {
  const a = asArray(x, undefined, op);
  if (axis === null) return [st.reshape(a, [a.size]), 0];
  return [a, normalizeAxis(op, axis ?? -1, a.ndim)];
}

/**
 * `jnp.sort(a, axis=-1, *, kind=None, order=None, stable=True, descending=False)`; NaNs sort last.
 * @example np.sort(np.array([3, 1, 2])) // [1, 2, 3]; np.sort(x, { descending: true })
 */
export function sort(x: ArrayLike, ...args: OptArgs<[number | null], SortOptions>): NdArray {
  const o = sortOptions.parse(args);
  const [a, ax] = sortAxis("sort", x, o.axis);
  const sorted = sortPrim([a], { dimension: ax, numKeys: 1 })[0];
  return o.descending ? sl.rev(sorted, [ax]) : sorted;
}

/** Options of `np.argsort`: those of np.sort, and the indices' dtype. */
export interface ArgsortOptions extends SortOptions {
  /** The dtype of the indices (default int32; an integer dtype). */
  dtype?: DType | null;
}
const argsortOptions = defineOptions("argsort", { ...sortChecks, dtype: dtypeCheck }, ["axis"]);

/**
 * `jnp.argsort(a, axis=-1, *, kind=None, order=None, stable=True, descending=False, dtype=None)`:
 * the permutation a stable sort applies (equal elements keep their order, also when descending).
 * @example np.argsort(np.array([2, 1, 2, 0])) // [3, 1, 0, 2]
 */
export function argsort(x: ArrayLike, ...args: OptArgs<[number | null], ArgsortOptions>): NdArray {
  const o = argsortOptions.parse(args);
  if (o.dtype && !isInteger(o.dtype)) {
    throw new DTypeError(
      `[argsort] dtype must be an integer dtype for indices: got ${o.dtype}, expected int32 or uint32.`,
    );
  }
  const [a0, ax] = sortAxis("argsort", x, o.axis);
  let a = a0;
  let ids = iota("int32", a.aval.shape.slice(), ax);
  // Descending and stable: sort the reversed array, reverse the result (JAX's construction).
  if (o.descending) [a, ids] = [sl.rev(a, [ax]), sl.rev(ids, [ax])];
  let out = sortPrim([a, ids], { dimension: ax, numKeys: 1 })[1];
  if (o.descending) out = sl.rev(out, [ax]);
  return o.dtype && o.dtype !== "int32" ? ew.convert(out, o.dtype) : out;
}

// --- atleast1d, atleast2d -------------------------------------------------------------

/**
 * `jnp.atleast_1d(*arys)`: one array gives one result, several (or none) a JS array of them.
 *
 * @example
 * np.atleast1d(5).shape; // [1]
 */
export function atleast1d(): NdArray[];
export function atleast1d(x: ArrayLike): NdArray;
export function atleast1d(x: ArrayLike, y: ArrayLike, ...arys: ArrayLike[]): NdArray[];
export function atleast1d(...arys: ArrayLike[]): NdArray | NdArray[] {
  const out = arys.map((x) => {
    const a = asArray(x, undefined, "atleast1d");
    return a.ndim >= 1 ? a : st.reshape(a, [1]);
  });
  return out.length === 1 ? out[0] : out;
}

/**
 * `jnp.atleast_2d(*arys)`: scalars become [1, 1], 1-D arrays [1, n].
 *
 * @example
 * np.atleast2d(np.array([1, 2])).shape; // [1, 2]
 */
export function atleast2d(): NdArray[];
export function atleast2d(x: ArrayLike): NdArray;
export function atleast2d(x: ArrayLike, y: ArrayLike, ...arys: ArrayLike[]): NdArray[];
export function atleast2d(...arys: ArrayLike[]): NdArray | NdArray[] {
  const out = arys.map((x) => {
    const a = asArray(x, undefined, "atleast2d");
    return a.ndim >= 2 ? a : st.reshape(a, a.ndim === 0 ? [1, 1] : [1, a.size]);
  });
  return out.length === 1 ? out[0] : out;
}
