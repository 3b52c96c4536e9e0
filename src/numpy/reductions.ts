/** NumPy reductions: sum, mean, prod, max, min, var, std, argmax, argmin, all, any, cumsum, cumprod. */
import type { NdArray, ArrayLike } from "../core/array.js";
import { ShapeError, ArgumentTypeError } from "../core/errors.js";
import { defaultFloat, isFloat, type DType } from "../core/dtypes.js";
import { defineOptions, is, orNull, type OptArgs } from "../core/options.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import * as red from "../primitives/reduce.js";
import * as cum from "../primitives/cumulative.js";
import { bind1 } from "../core/trace.js";
import { normalizeAxes, normalizeAxis, range, broadcastShapes } from "../primitives/shapes.js";
import { reshape, broadcastTo } from "../primitives/structural.js";
import { asArray } from "../primitives/as-array.js";

/** An axis, a list of axes, or null (every axis). */
export type AxisArg = number | readonly number[] | null | undefined;

/** Options of `np.sum` and `np.prod` (JAX's order: axis, dtype, out, keepdims, initial, where, promoteIntegers). */
export interface ReduceOptions {
  /** The axis or axes to reduce; null or absent: all of them. */
  axis?: AxisArg;
  /** The dtype to accumulate and return in. */
  dtype?: DType | null;
  /** JAX's `out`: must be null. */
  out?: null;
  /** Keep the reduced axes as length-1 axes. */
  keepdims?: boolean;
  /** A starting value, included in the reduction. */
  initial?: number | null;
  /** A boolean mask: only elements where it is true take part. */
  where?: ArrayLike | null;
  /** Sum bools and narrow integers in the default integer dtype (JAX's default: true). */
  promoteIntegers?: boolean;
}
type SumPositional = [AxisArg, (DType | null)?, null?, boolean?, (number | null)?, (ArrayLike | null)?, boolean?];
/** `np.sum`'s optional parameters: positional in JAX's order, or a trailing {@link ReduceOptions}. */
export type SumArgs = OptArgs<SumPositional, ReduceOptions>;

const axisCheck = orNull(is.axes);
const maskCheck = orNull(is.arrayLike);
const sumChecks = {
  axis: axisCheck,
  dtype: orNull(is.dtype),
  out: is.none,
  keepdims: is.bool,
  initial: orNull(is.numberOrNaN),
  where: maskCheck,
  promoteIntegers: is.bool,
};
const sumOrder = ["axis", "dtype", "out", "keepdims", "initial", "where", "promoteIntegers"] as const;
const sumOptions = defineOptions("sum", sumChecks, sumOrder);
const prodOptions = defineOptions("prod", sumChecks, sumOrder);

/** Options of `np.max` / `np.min` (JAX: axis, out, keepdims, initial, where). */
export type ExtremeOptions = Omit<ReduceOptions, "dtype" | "promoteIntegers">;
/**
 * `np.max` / `np.min`'s optional parameters: positional in JAX's order (axis, out, keepdims, initial, where), or a trailing {@link ExtremeOptions}.
 */
export type ExtremeArgs = OptArgs<[AxisArg, null?, boolean?, (number | null)?, (ArrayLike | null)?], ExtremeOptions>;
const extremeChecks = {
  axis: axisCheck,
  out: is.none,
  keepdims: is.bool,
  initial: sumChecks.initial,
  where: maskCheck,
};
const extremeOrder = ["axis", "out", "keepdims", "initial", "where"] as const;
const extremeOptions = {
  max: defineOptions("max", extremeChecks, extremeOrder),
  min: defineOptions("min", extremeChecks, extremeOrder),
};

/** Options of `np.mean` (JAX: axis, dtype, out, keepdims; where is keyword-only). */
export type MeanOptions = Omit<ReduceOptions, "initial" | "promoteIntegers">;
/**
 * `np.mean`'s optional parameters: positional in JAX's order (axis, dtype, out, keepdims), or a trailing {@link MeanOptions}.
 */
export type MeanArgs = OptArgs<[AxisArg, (DType | null)?, null?, boolean?], MeanOptions>;
const meanOptions = defineOptions(
  "mean",
  { axis: axisCheck, dtype: sumChecks.dtype, out: is.none, keepdims: is.bool, where: maskCheck },
  ["axis", "dtype", "out", "keepdims"],
);

/** Options of `np.var` / `np.std` (JAX: axis, dtype, out, ddof, keepdims; where, correction keyword-only). */
export interface VarOptions extends MeanOptions {
  /** Delta degrees of freedom: the divisor is N - ddof. */
  ddof?: number;
  /** The same as ddof (the Array API's name); give one of them. */
  correction?: number | null;
}
type VarArgs = OptArgs<[AxisArg, (DType | null)?, null?, number?, boolean?], VarOptions>;
const varChecks = {
  axis: axisCheck,
  dtype: sumChecks.dtype,
  out: is.none,
  ddof: is.number,
  keepdims: is.bool,
  where: maskCheck,
  correction: orNull(is.number),
};
const varOrder = ["axis", "dtype", "out", "ddof", "keepdims"] as const;
const varOptions = { var: defineOptions("var", varChecks, varOrder), std: defineOptions("std", varChecks, varOrder) };

/** Options of `np.all` / `np.any` (JAX: axis, out, keepdims; where keyword-only). */
export type LogicalOptions = Pick<ReduceOptions, "axis" | "out" | "keepdims" | "where">;
type LogicalArgs = OptArgs<[AxisArg, null?, boolean?], LogicalOptions>;
const logicalChecks = { axis: axisCheck, out: is.none, keepdims: is.bool, where: maskCheck };
const logicalOptions = {
  all: defineOptions("all", logicalChecks, ["axis", "out", "keepdims"]),
  any: defineOptions("any", logicalChecks, ["axis", "out", "keepdims"]),
};

function reducedAxes(op: string, x: NdArray, axis: AxisArg): number[] {
  if (axis === null || axis === undefined) return range(x.ndim);
  return normalizeAxes(op, typeof axis === "number" ? [axis] : axis, x.ndim);
}

function keep(y: NdArray, x: NdArray, axes: number[], keepdims: boolean | undefined): NdArray {
  if (!keepdims) return y;
  return reshape(
    y,
    x.aval.shape.map((n, i) => (axes.includes(i) ? 1 : n)),
  );
}

/** The mask `where` as a bool array of x's shape (it must broadcast to x's shape). */
function maskFor(op: string, x: NdArray, where: ArrayLike): NdArray {
  const m0 = asArray(where, undefined, op);
  const m = m0.dtype === "bool" ? m0 : ew.ne(m0, ew.scalarLike(0, m0));
  const shape = broadcastShapes(op, m.aval.shape, x.aval.shape);
  if (shape.length !== x.ndim || shape.some((n, i) => n !== x.aval.shape[i])) {
    throw new ShapeError(
      `[${op}] where mask of shape ${m.aval.str()} does not broadcast to the input's shape ${x.aval.str()}: ` +
        `expected a mask that broadcasts to it.`,
    );
  }
  return m.ndim === x.ndim && m.aval.shape.every((n, i) => n === x.aval.shape[i]) ? m : broadcastTo(m, x.aval.shape);
}

/** x where the mask is true, the reduction's identity elsewhere. */
function masked(x: NdArray, mask: NdArray, identity: number): NdArray {
  return ew.selectN(
    mask,
    [ew.scalarLike(identity, x), x].map((v) => (v.ndim === x.ndim ? v : broadcastTo(v, x.aval.shape))),
  );
}

/** The accumulation dtype: JAX sums bools (and, with promoteIntegers, narrow ints) in the default int. */
function accumulationInput(x: NdArray, dtype: DType | null | undefined, promote: boolean | undefined): NdArray {
  if (dtype) return x.dtype === dtype ? x : ew.convert(x, dtype);
  return x.dtype === "bool" && promote !== false ? ew.convert(x, "int32") : x;
}

/**
 * `jnp.sum(a, axis, dtype, out, keepdims, initial, where, promote_integers)`.
 *
 * @example
 * np.sum(np.array([[1, 2], [3, 4]])); // 10
 * np.sum(np.array([[1, 2], [3, 4]]), { axis: 0 }); // [4, 6]
 * np.sum(np.array([[1, 2], [3, 4]]), 1, null, null, true); // [[3], [7]]: axis, dtype, out, keepdims
 */
export function sum(x: ArrayLike, ...args: SumArgs): NdArray {
  return additive("sum", sumOptions.parse(args), x);
}

/**
 * `jnp.prod(a, axis, dtype, out, keepdims, initial, where, promote_integers)`.
 *
 * @example
 * np.prod(np.array([1, 2, 3, 4])); // 24
 * np.prod(np.array([[1, 2], [3, 4]]), { axis: 1 }); // [2, 12]
 */
export function prod(x: ArrayLike, ...args: SumArgs): NdArray {
  return additive("prod", prodOptions.parse(args), x);
}

function additive(op: "sum" | "prod", o: ReduceOptions, x: ArrayLike): NdArray {
  const a = asArray(x, undefined, op);
  const axes = reducedAxes(op, a, o.axis);
  let input = accumulationInput(a, o.dtype, o.promoteIntegers);
  const identity = op === "sum" ? 0 : 1;
  if (o.where !== undefined && o.where !== null) input = masked(input, maskFor(op, input, o.where), identity);
  let y = op === "sum" ? red.reduceSum(input, axes) : axes.length ? bind1(red.reduceProdP, [input], { axes }) : input;
  if (o.initial !== undefined && o.initial !== null) {
    const init = ew.scalarLike(o.initial, y);
    y = op === "sum" ? ew.add(y, init) : ew.mul(y, init);
  }
  if (a.dtype === "bool" && o.promoteIntegers === false && !o.dtype) y = ew.ne(y, ew.scalarLike(0, y));
  return keep(y, input, axes, o.keepdims);
}

function extreme(op: "max" | "min", x: ArrayLike, args: readonly unknown[]): NdArray {
  const o = extremeOptions[op].parse(args);
  const a = asArray(x, undefined, op);
  const axes = reducedAxes(op, a, o.axis);
  const hasInitial = o.initial !== undefined && o.initial !== null;
  if (o.where !== undefined && o.where !== null && !hasInitial) {
    throw new ArgumentTypeError(
      `[${op}] reduction operation ${op} does not have an identity, so to use a where mask one has to specify 'initial'.`,
    );
  }
  if (a.size === 0 && axes.some((i) => a.aval.shape[i] === 0) && !hasInitial) {
    throw new ShapeError(
      `[${op}] zero-size array to reduction operation ${op} which has no identity: got ${a.aval.str()}, expected a non-empty array ` +
        `(or give initial).`,
    );
  }
  const prim = op === "max" ? red.reduceMaxP : red.reduceMinP;
  let input = a;
  if (hasInitial && o.where !== undefined && o.where !== null) input = masked(a, maskFor(op, a, o.where), o.initial!);
  let y = axes.length ? bind1(prim, [input], { axes }) : input;
  if (hasInitial) y = (op === "max" ? ew.max : ew.min)(y, ew.scalarLike(o.initial!, y));
  return keep(y, a, axes, o.keepdims);
}

/**
 * `jnp.max(a, axis, out, keepdims, initial, where)`.
 *
 * @example
 * np.max(np.array([[1, 5], [3, 2]])); // 5
 * np.max(np.array([[1, 5], [3, 2]]), { axis: 0 }); // [3, 5]
 */
export const max = (x: ArrayLike, ...args: ExtremeArgs): NdArray => extreme("max", x, args);
/**
 * `jnp.min(a, axis, out, keepdims, initial, where)`.
 *
 * @example
 * np.min(np.array([[1, 5], [3, 2]]), { axis: 1, keepdims: true }); // [[1], [2]]
 */
export const min = (x: ArrayLike, ...args: ExtremeArgs): NdArray => extreme("min", x, args);
/**
 * `jnp.amax`, the same as {@link max}.
 *
 * @example
 * np.amax(np.array([1, 7, 3])); // 7
 */
export const amax = max;
/**
 * `jnp.amin`, the same as {@link min}.
 *
 * @example
 * np.amin(np.array([1, 7, 3])); // 1
 */
export const amin = min;

function count(x: NdArray, axes: number[]): number {
  return axes.reduce((n, i) => n * x.aval.shape[i], 1);
}

/** The float dtype a mean is computed in: the input's, the default float for ints, or `dtype`. */
function floatInput(op: string, x: ArrayLike, dtype: DType | null | undefined): NdArray {
  const a = asArray(x, undefined, op);
  const d = dtype ?? (isFloat(a.dtype) ? a.dtype : defaultFloat());
  return a.dtype === d ? a : ew.convert(a, d);
}

/** Σ x / N over the axes, N counting only the masked-in elements when a mask is given. */
function meanOf(a: NdArray, axes: number[], mask: NdArray | null): NdArray {
  if (!mask) {
    const s = red.reduceSum(a, axes);
    return ew.div(s, ew.scalarLike(count(a, axes), s));
  }
  const s = red.reduceSum(masked(a, mask, 0), axes);
  return ew.div(s, ew.convert(red.reduceSum(ew.convert(mask, "int32"), axes), s.dtype));
}

/**
 * `jnp.mean(a, axis, dtype, out, keepdims, *, where)`: in the input's float dtype (ints average as the default float).
 *
 * @example
 * np.mean(np.array([1, 2, 3, 4])); // 2.5
 * np.mean(np.array([[1, 2], [3, 4]]), { axis: 0 }); // [2, 3]
 */
export function mean(x: ArrayLike, ...args: MeanArgs): NdArray {
  const o = meanOptions.parse(args);
  const a = floatInput("mean", x, o.dtype);
  const axes = reducedAxes("mean", a, o.axis);
  const mask = o.where !== undefined && o.where !== null ? maskFor("mean", a, o.where) : null;
  return keep(meanOf(a, axes, mask), a, axes, o.keepdims);
}

/** var = Σ |x − mean(x)|² / (N − ddof) */
function varianceOf(op: "var" | "std", x: ArrayLike, args: readonly unknown[]): NdArray {
  const o = varOptions[op].parse(args);
  if (o.ddof !== undefined && o.correction !== undefined && o.correction !== null) {
    throw new ArgumentTypeError(`[${op}] ddof and correction can't be provided simultaneously: give one of them.`);
  }
  const ddof = o.correction ?? o.ddof ?? 0;
  const a = floatInput(op, x, o.dtype);
  const axes = reducedAxes(op, a, o.axis);
  const mask = o.where !== undefined && o.where !== null ? maskFor(op, a, o.where) : null;
  const centered = ew.sub(a, keep(meanOf(a, axes, mask), a, axes, true));
  const squares = ew.mul(centered, centered);
  const sq = red.reduceSum(mask ? masked(squares, mask, 0) : squares, axes);
  const n = mask
    ? ew.convert(red.reduceSum(ew.convert(mask, "int32"), axes), sq.dtype)
    : ew.scalarLike(count(a, axes), sq);
  const v = ew.div(sq, ew.sub(n, ew.scalarLike(ddof, sq)));
  return keep(op === "std" ? un.sqrt(v) : v, a, axes, o.keepdims);
}

/**
 * `jnp.var(a, axis, dtype, out, ddof, keepdims, *, where, correction)`.
 *
 * The same function as `np.var` (`var` is a reserved word in JavaScript declarations).
 *
 * @example
 * np.variance(np.array([1, 2, 3, 4])); // 1.25
 * np.variance(np.array([1, 2, 3, 4]), { ddof: 1 }); // 1.6666666
 */
export function variance(x: ArrayLike, ...args: VarArgs): NdArray {
  return varianceOf("var", x, args);
}
export { variance as var };

/**
 * `jnp.std(a, axis, dtype, out, ddof, keepdims, *, where, correction)`: √var.
 *
 * @example
 * np.std(np.array([1, 2, 3, 4])); // 1.118034
 */
export function std(x: ArrayLike, ...args: VarArgs): NdArray {
  return varianceOf("std", x, args);
}

/** Options of `np.argmax` / `np.argmin` (JAX: axis, out, keepdims). */
export interface ArgOptions {
  /** The axis to search along; null or absent: the flattened array. */
  axis?: number | null;
  /** JAX's `out`: must be null. */
  out?: null;
  /** Keep the reduced axis as a length-1 axis. */
  keepdims?: boolean | null;
}
type ArgArgs = OptArgs<[(number | null)?, null?, (boolean | null)?], ArgOptions>;
const argChecks = { axis: orNull(is.axis), out: is.none, keepdims: orNull(is.bool) };
const argOptions = {
  argmax: defineOptions("argmax", argChecks, ["axis", "out", "keepdims"]),
  argmin: defineOptions("argmin", argChecks, ["axis", "out", "keepdims"]),
};

function argExtreme(op: "argmax" | "argmin", x: ArrayLike, args: readonly unknown[]): NdArray {
  const o = argOptions[op].parse(args);
  const a = asArray(x, undefined, op);
  const flat = o.axis === null || o.axis === undefined;
  const input = flat ? reshape(a, [a.size]) : a;
  const axis = flat ? 0 : normalizeAxis(op, o.axis!, a.ndim);
  if (input.aval.shape[axis] === 0)
    throw new ShapeError(
      `[${op}] attempt to get ${op} of an empty sequence: got ${a.aval.str()}, expected a non-empty axis.`,
    );
  const prim = op === "argmax" ? red.argmaxP : red.argminP;
  const out = bind1(prim, [input], { axes: [axis], indexDtype: "int32" });
  if (!o.keepdims) return out;
  return reshape(
    out,
    a.aval.shape.map((n, i) => (flat || i === axis ? 1 : n)),
  );
}

/**
 * `jnp.argmax(a, axis, out, keepdims)`: int32 indices of the largest values (the first on ties).
 *
 * @example
 * np.argmax(np.array([1, 7, 3, 7])); // 1
 * np.argmax(np.array([[1, 5], [3, 2]]), { axis: 1 }); // [1, 0]
 */
export const argmax = (x: ArrayLike, ...args: ArgArgs): NdArray => argExtreme("argmax", x, args);
/**
 * `jnp.argmin(a, axis, out, keepdims)`: int32 indices of the smallest values (the first on ties).
 *
 * @example
 * np.argmin(np.array([4, 1, 3])); // 1
 */
export const argmin = (x: ArrayLike, ...args: ArgArgs): NdArray => argExtreme("argmin", x, args);

function logical(op: "all" | "any", x: ArrayLike, args: readonly unknown[]): NdArray {
  const o = logicalOptions[op].parse(args);
  const a0 = asArray(x, undefined, op);
  let a = a0.dtype === "bool" ? a0 : ew.ne(a0, ew.scalarLike(0, a0));
  const axes = reducedAxes(op, a, o.axis);
  if (o.where !== undefined && o.where !== null) a = masked(a, maskFor(op, a, o.where), op === "all" ? 1 : 0);
  const prim = op === "all" ? red.reduceAndP : red.reduceOrP;
  return keep(axes.length ? bind1(prim, [a], { axes }) : a, a, axes, o.keepdims);
}

/**
 * `jnp.all(a, axis, out, keepdims, *, where)`.
 *
 * @example
 * np.all(np.array([true, false])); // false
 * np.all(np.array([[1, 0], [1, 1]]), { axis: 1 }); // [false, true]
 */
export const all = (x: ArrayLike, ...args: LogicalArgs): NdArray => logical("all", x, args);
/**
 * `jnp.any(a, axis, out, keepdims, *, where)`.
 *
 * @example
 * np.any(np.array([0, 0, 2])); // true
 */
export const any = (x: ArrayLike, ...args: LogicalArgs): NdArray => logical("any", x, args);

/** Options of `np.cumsum` / `np.cumprod` (JAX: axis, dtype, out). */
export interface CumulativeOptions {
  /** The axis to accumulate along; null or absent: the flattened array. */
  axis?: number | null;
  /** The dtype to accumulate and return in. */
  dtype?: DType | null;
  /** JAX's `out`: must be null. */
  out?: null;
}
type CumulativeArgs = OptArgs<[(number | null)?, (DType | null)?, null?], CumulativeOptions>;
const cumulativeChecks = { axis: orNull(is.axis), dtype: orNull(is.dtype), out: is.none };
const cumulativeOptions = {
  cumsum: defineOptions("cumsum", cumulativeChecks, ["axis", "dtype", "out"]),
  cumprod: defineOptions("cumprod", cumulativeChecks, ["axis", "dtype", "out"]),
};

function cumulative(op: "cumsum" | "cumprod", x: ArrayLike, args: readonly unknown[]): NdArray {
  const o = cumulativeOptions[op].parse(args);
  const a0 = asArray(x, undefined, op);
  const flat = o.axis === null || o.axis === undefined;
  const a = accumulationInput(flat ? reshape(a0, [a0.size]) : a0, o.dtype, true);
  const axis = flat ? 0 : normalizeAxis(op, o.axis!, a.ndim);
  return op === "cumsum" ? cum.cumsum(a, axis) : cum.cumprod(a, axis);
}

/**
 * `jnp.cumsum(a, axis, dtype, out)`: flattened when axis is null or absent.
 *
 * @example
 * np.cumsum(np.array([1, 2, 3])); // [1, 3, 6]
 * np.cumsum(np.array([[1, 2], [3, 4]]), { axis: 0 }); // [[1, 2], [4, 6]]
 */
export const cumsum = (x: ArrayLike, ...args: CumulativeArgs): NdArray => cumulative("cumsum", x, args);
/**
 * `jnp.cumprod(a, axis, dtype, out)`: flattened when axis is null or absent.
 *
 * @example
 * np.cumprod(np.array([1, 2, 3, 4])); // [1, 2, 6, 24]
 */
export const cumprod = (x: ArrayLike, ...args: CumulativeArgs): NdArray => cumulative("cumprod", x, args);
