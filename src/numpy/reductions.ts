/** NumPy reductions: sum, mean, prod, max, min, var, std, argmax, argmin, all, any, cumsum, cumprod. */
import type { NdArray, ArrayLike } from "../core/array.js";
import { ShapeError } from "../core/errors.js";
import { defaultFloat, isFloat, type DType } from "../core/dtypes.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import * as red from "../primitives/reduce.js";
import * as cum from "../primitives/cumulative.js";
import { bind1 } from "../core/trace.js";
import { normalizeAxes, normalizeAxis, range } from "../primitives/shapes.js";
import { reshape } from "../primitives/structural.js";
import { asArray } from "./convert.js";
import { parseOptional } from "./options.js";

export type AxisArg = number | readonly number[] | null | undefined;

export interface ReduceOptions {
  axis?: AxisArg;
  keepdims?: boolean;
  dtype?: DType;
}

/** Positional `(axis, keepdims)` or `{ axis, keepdims, dtype }`. */
type ReduceArgs = [AxisArg?, (ReduceOptions | boolean)?] | [ReduceOptions];

function parse(op: string, x: NdArray, args: readonly unknown[]): { axes: number[]; keepdims: boolean; dtype?: DType } {
  const o = parseOptional<ReduceOptions>(["axis", "keepdims"], args);
  const axis = o.axis;
  const axes =
    axis === null || axis === undefined
      ? range(x.ndim)
      : normalizeAxes(op, typeof axis === "number" ? [axis] : axis, x.ndim);
  return { axes, keepdims: o.keepdims ?? false, dtype: o.dtype };
}

function keep(y: NdArray, x: NdArray, axes: number[], keepdims: boolean): NdArray {
  if (!keepdims) return y;
  return reshape(
    y,
    x.aval.shape.map((n, i) => (axes.includes(i) ? 1 : n)),
  );
}

/** Bools sum as int32, as in NumPy. */
function sumInput(x: NdArray, dtype?: DType): NdArray {
  if (dtype) return x.dtype === dtype ? x : ew.convert(x, dtype);
  return x.dtype === "bool" ? ew.convert(x, "int32") : x;
}

export function sum(x: ArrayLike, ...args: ReduceArgs): NdArray {
  const a = asArray(x);
  const { axes, keepdims, dtype } = parse("sum", a, args);
  const input = sumInput(a, dtype);
  return keep(red.reduceSum(input, axes), input, axes, keepdims);
}

export function prod(x: ArrayLike, ...args: ReduceArgs): NdArray {
  const a = asArray(x);
  const { axes, keepdims, dtype } = parse("prod", a, args);
  const input = sumInput(a, dtype);
  return keep(axes.length ? bind1(red.reduceProdP, [input], { axes }) : input, input, axes, keepdims);
}

function extreme(op: "max" | "min", x: ArrayLike, args: readonly unknown[]): NdArray {
  const a = asArray(x);
  const { axes, keepdims } = parse(op, a, args);
  if (a.size === 0 && axes.length > 0) {
    throw new ShapeError(
      `[${op}] zero-size array to reduction operation ${op} which has no identity: got ${a.aval.str()}, expected a non-empty array.`,
    );
  }
  const prim = op === "max" ? red.reduceMaxP : red.reduceMinP;
  return keep(axes.length ? bind1(prim, [a], { axes }) : a, a, axes, keepdims);
}

export const max = (x: ArrayLike, ...args: ReduceArgs): NdArray => extreme("max", x, args);
export const min = (x: ArrayLike, ...args: ReduceArgs): NdArray => extreme("min", x, args);
export const amax = max;
export const amin = min;

function count(x: NdArray, axes: number[]): number {
  return axes.reduce((n, i) => n * x.aval.shape[i], 1);
}

/** Mean in the input's float dtype (integers average as the default float). */
export function mean(x: ArrayLike, ...args: ReduceArgs): NdArray {
  const a0 = asArray(x);
  const a = isFloat(a0.dtype) ? a0 : ew.convert(a0, defaultFloat());
  const { axes, keepdims } = parse("mean", a, args);
  const s = red.reduceSum(a, axes);
  return keep(ew.div(s, ew.scalarLike(count(a, axes), s)), a, axes, keepdims);
}

export interface VarOptions extends ReduceOptions {
  ddof?: number;
}

/** var = mean(|x - mean(x)|²) · N / (N - ddof) */
export function variance(x: ArrayLike, ...args: [AxisArg?, VarOptions?] | [VarOptions]): NdArray {
  const a0 = asArray(x);
  const a = isFloat(a0.dtype) ? a0 : ew.convert(a0, defaultFloat());
  const o = parseOptional<VarOptions>(["axis"], args);
  const { axes, keepdims } = parse("var", a, [o.axis, { keepdims: o.keepdims }]);
  const centered = ew.sub(a, mean(a, { axis: axes, keepdims: true }));
  const sq = red.reduceSum(ew.mul(centered, centered), axes);
  const n = count(a, axes) - (o.ddof ?? 0);
  return keep(ew.div(sq, ew.scalarLike(n, sq)), a, axes, keepdims);
}
export { variance as var };

export function std(x: ArrayLike, ...args: [AxisArg?, VarOptions?] | [VarOptions]): NdArray {
  return un.sqrt(variance(x, ...args));
}

function argExtreme(op: "argmax" | "argmin", x: ArrayLike, args: readonly unknown[]): NdArray {
  const a = asArray(x);
  const o = parseOptional<{ axis: number | null; keepdims: boolean }>(["axis", "keepdims"], args);
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
  return flat
    ? reshape(
        out,
        a.aval.shape.map(() => 1),
      )
    : reshape(
        out,
        a.aval.shape.map((n, i) => (i === axis ? 1 : n)),
      );
}

interface ArgOptions {
  axis?: number | null;
  keepdims?: boolean;
}
/** Positional `(axis, keepdims)` or `{ axis, keepdims }`. */
type ArgArgs = [(number | null)?, (ArgOptions | boolean)?] | [ArgOptions];

export const argmax = (x: ArrayLike, ...args: ArgArgs): NdArray => argExtreme("argmax", x, args);
export const argmin = (x: ArrayLike, ...args: ArgArgs): NdArray => argExtreme("argmin", x, args);

function logical(op: "all" | "any", x: ArrayLike, args: readonly unknown[]): NdArray {
  const a0 = asArray(x);
  const a = a0.dtype === "bool" ? a0 : ew.ne(a0, ew.scalarLike(0, a0));
  const { axes, keepdims } = parse(op, a, args);
  const prim = op === "all" ? red.reduceAndP : red.reduceOrP;
  return keep(axes.length ? bind1(prim, [a], { axes }) : a, a, axes, keepdims);
}

export const all = (x: ArrayLike, ...args: ReduceArgs): NdArray => logical("all", x, args);
export const any = (x: ArrayLike, ...args: ReduceArgs): NdArray => logical("any", x, args);

function cumulative(
  op: string,
  f: (x: NdArray, axis: number) => NdArray,
  x: ArrayLike,
  args: readonly unknown[],
): NdArray {
  const a0 = asArray(x);
  const o = parseOptional<{ axis: number | null; dtype: DType }>(["axis", "dtype"], args);
  const a = sumInput(o.axis === null || o.axis === undefined ? reshape(a0, [a0.size]) : a0, o.dtype);
  const axis = o.axis === null || o.axis === undefined ? 0 : normalizeAxis(op, o.axis, a.ndim);
  return f(a, axis);
}

interface CumulativeOptions {
  axis?: number | null;
  dtype?: DType;
}
/** Positional `axis` or `{ axis, dtype }`. */
type CumulativeArgs = [(number | null)?, CumulativeOptions?] | [CumulativeOptions];

/** Cumulative sum along `axis` (flattened when axis is null or omitted). */
export const cumsum = (x: ArrayLike, ...args: CumulativeArgs): NdArray =>
  cumulative("cumsum", (a, ax) => cum.cumsum(a, ax), x, args);
export const cumprod = (x: ArrayLike, ...args: CumulativeArgs): NdArray =>
  cumulative("cumprod", (a, ax) => cum.cumprod(a, ax), x, args);
