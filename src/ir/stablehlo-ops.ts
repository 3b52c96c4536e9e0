/**
 * StableHLO lowerings shared by several primitives: reduce_window (windowed reductions and
 * the cumulative reductions, as JAX lowers them for CPU and GPU), and sort with JAX's comparator.
 */
import { ShapedArray } from "../core/aval.js";
import { isFloat } from "../core/dtypes.js";
import type { StableHloEmitter } from "./stablehlo-emit.js";
import { reduceIdentity, type ReduceKind } from "./stablehlo-reduce.js";
import { i64Array } from "./stablehlo-text.js";

/** The window of a reduce_window, per axis. */
export interface WindowSpec {
  dimensions: readonly number[];
  strides: readonly number[];
  /** [low, high] per axis. */
  padding: readonly (readonly [number, number])[];
  baseDilations?: readonly number[];
  windowDilations?: readonly number[];
}

/** `dense<[[lo, hi], ...]> : tensor<Nx2xi64>`: reduce_window's padding attribute. */
export function paddingAttr(padding: readonly (readonly [number, number])[]): string {
  const rows = padding.map(([lo, hi]) => `[${lo}, ${hi}]`).join(", ");
  return padding.length === 0 ? "dense<> : tensor<0x2xi64>" : `dense<[${rows}]> : tensor<${padding.length}x2xi64>`;
}

/** `stablehlo.reduce_window` (generic form) of `xs` with `inits`, the body given the accumulators and elements. */
export function reduceWindow(
  c: StableHloEmitter,
  xs: string[],
  inits: string[],
  avals: ShapedArray[],
  outAvals: ShapedArray[],
  w: WindowSpec,
  body: (acc: string[], x: string[]) => string[],
): string[] {
  const scalars = avals.map((a) => a.withShape([]));
  const attrs = [
    ...(w.baseDilations && w.baseDilations.some((d) => d !== 1)
      ? [`base_dilations = ${i64Array(w.baseDilations)}`]
      : []),
    `padding = ${paddingAttr(w.padding)}`,
    `window_dimensions = ${i64Array(w.dimensions)}`,
    ...(w.windowDilations && w.windowDilations.some((d) => d !== 1)
      ? [`window_dilations = ${i64Array(w.windowDilations)}`]
      : []),
    `window_strides = ${i64Array(w.strides)}`,
  ].join(", ");
  const n = xs.length;
  return c.generic("stablehlo.reduce_window", [...xs, ...inits], [...avals, ...scalars], outAvals, attrs, [
    () => c.region([...scalars, ...scalars], scalars, (args) => body(args.slice(0, n), args.slice(n))),
  ]);
}

const MONOID_OP: Record<ReduceKind, string> = {
  sum: "add",
  prod: "multiply",
  max: "maximum",
  min: "minimum",
  and: "and",
  or: "or",
};

/** A reduce_window with a monoid's op and identity. */
export function monoidWindow(
  c: StableHloEmitter,
  kind: ReduceKind,
  x: string,
  a: ShapedArray,
  out: ShapedArray,
  w: WindowSpec,
): string {
  const scalar = a.withShape([]).withWeak(false);
  const init = c.constant(reduceIdentity(kind, a.dtype), scalar);
  return reduceWindow(c, [x], [init], [a], [out], w, ([acc], [y]) => [c.binary(MONOID_OP[kind], acc, y, scalar)])[0];
}

/**
 * cumsum/cumprod/cummax/cummin along `axis`: a reduce_window whose window spans the axis,
 * padded by n-1 before (JAX's `cumred_reduce_window_impl`); reversed scans reverse around it.
 */
export function lowerCumulative(
  c: StableHloEmitter,
  kind: ReduceKind,
  x: string,
  axis: number,
  reverse: boolean,
): string {
  const a = c.inAvals[0];
  const n = a.shape[axis];
  const dims = a.shape.map((_, i) => (i === axis ? n : 1));
  const w: WindowSpec = {
    dimensions: dims,
    strides: a.shape.map(() => 1),
    padding: a.shape.map((_, i) => (i === axis ? [Math.max(n - 1, 0), 0] : [0, 0]) as [number, number]),
  };
  const rev = (v: string) => c.op(`stablehlo.reverse ${v}, dims = [${axis}] : ${c.type(a)}`)[0];
  const y = monoidWindow(c, kind, reverse ? rev(x) : x, a, a, w);
  return reverse ? rev(y) : y;
}

/**
 * `stablehlo.sort` of `xs` along `dimension`, ordered by the first `numKeys` lexicographically,
 * stable. Floats compare in total order after -0 → 0 and NaN → one NaN, so NaNs sort last
 * (JAX's `_sort_lt_comparator`).
 */
export function lowerSort(c: StableHloEmitter, xs: string[], dimension: number, numKeys: number): string[] {
  const avals = c.inAvals.map((a) => a.withWeak(false));
  const scalars = avals.map((a) => a.withShape([]));
  const bool = new ShapedArray([], "bool");
  const pairAvals = scalars.flatMap((s) => [s, s]);
  const canon = (v: string, s: ShapedArray): string => {
    if (!isFloat(s.dtype)) return v;
    const zero = c.constant(0, s);
    const noNegZero = c.select(c.compare("EQ", v, zero, s), zero, v, s);
    const nan = c.constant(NaN, s);
    return c.select(c.compare("NE", v, v, s), nan, noNegZero, s);
  };
  const cmp = (dir: string, a: string, b: string, s: ShapedArray): string => {
    if (!isFloat(s.dtype)) return c.compare(dir, a, b, s);
    const out = new ShapedArray([], "bool");
    return c.op(`stablehlo.compare  ${dir}, ${a}, ${b},  TOTALORDER : ${c.fnType([s, s], [out])}`)[0];
  };
  return c.generic("stablehlo.sort", xs, avals, avals, `dimension = ${dimension} : i64, is_stable = true`, [
    () =>
      c.region(pairAvals, [bool], (args) => {
        let p: string | null = null;
        for (let k = numKeys - 1; k >= 0; k--) {
          const s = scalars[k];
          const x = canon(args[2 * k], s);
          const y = canon(args[2 * k + 1], s);
          const lt = cmp("LT", x, y, s);
          p = p === null ? lt : c.binary("or", lt, c.binary("and", cmp("EQ", x, y, s), p, bool), bool);
        }
        return [p!];
      }),
  ]);
}
