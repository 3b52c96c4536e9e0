/**
 * Searching, counting and binning as jax.numpy writes them: searchsorted (a binary search of a
 * fixed number of steps, so it traces), interp, histogram, bincount (a scatter-add) and unique.
 */
import { NdArray, type ArrayLike } from "../core/array.js";
import { ArgumentTypeError, ConcretizationError, DTypeError, ShapeError } from "../core/errors.js";
import { isFloat, isInteger, type DType } from "../core/dtypes.js";
import { check, defineOptions, either, is, oneOf, orNull, type OptArgs } from "../core/options.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import * as st from "../primitives/structural.js";
import { bind1 } from "../core/trace.js";
import { reduceSum, reduceOrP } from "../primitives/reduce.js";
import { sliceAxis, concatenate, rev } from "../primitives/slicing.js";
import { sort as sortPrim } from "../primitives/sort.js";
import { takeAxis } from "../primitives/take.js";
import { iota } from "../primitives/iota.js";
import { scatter } from "../primitives/indexing.js";
import { cumsum } from "../primitives/cumulative.js";
import { normalizeAxis } from "../primitives/shapes.js";
import { checkSize, fillValueFor, fullConst, scalar } from "../primitives/constants.js";
import { asArray, promoteOperands, promoteToFloat } from "../primitives/as-array.js";
import { linspace } from "./creation.js";
import { max, min } from "./reductions.js";
import { where } from "./math.js";

const k = (v: number, like: NdArray): NdArray => ew.scalarLike(v, like);
const bcast = (x: NdArray, shape: readonly number[]): NdArray =>
  x.ndim === shape.length && x.aval.shape.every((n, i) => n === shape[i]) ? x : st.broadcastTo(x, shape);
const select = (c: NdArray, onFalse: NdArray, onTrue: NdArray): NdArray => {
  const shape = c.aval.shape;
  return ew.selectN(bcast(c, shape), [bcast(onFalse, shape), bcast(onTrue, shape)]);
};

// --- searchsorted ------------------------------------------------------------------------

/** x < y in the order sort uses (NaNs last). */
function ltTotal(x: NdArray, y: NdArray): NdArray {
  if (!isFloat(x.dtype)) return ew.lt(x, y);
  return ew.or(ew.lt(x, y), ew.and(ew.eq(x, x), ew.ne(y, y)));
}

/** The insertion points of v in the sorted 1-D a: ⌈log₂(n + 1)⌉ halvings of [low, high] (JAX's "scan" method). */
function search(a: NdArray, v: NdArray, side: "left" | "right"): NdArray {
  const n = a.aval.shape[0];
  const shape = v.aval.shape.slice();
  let low = fullConst(shape, 0, "int32");
  let high = fullConst(shape, n, "int32");
  const levels = Math.ceil(Math.log2(n + 1));
  for (let i = 0; i < levels; i++) {
    const mid = ew.shiftRightLogical(ew.add(low, high), k(1, low));
    const at = takeAxis(a, mid, 0, "clip");
    // left: go left when v ≤ a[mid]; right: when v < a[mid].
    const goLeft = side === "left" ? un.not(ltTotal(at, v)) : ltTotal(v, at);
    [low, high] = [select(goLeft, mid, low), select(goLeft, high, mid)];
  }
  return high;
}

/** Options of `np.searchsorted` (JAX: side, sorter; method keyword-only). */
export interface SearchsortedOptions {
  /** "left" (default): the first suitable index; "right": the last. */
  side?: "left" | "right";
  /** Integer indices that sort a (a need not be sorted then). */
  sorter?: ArrayLike | null;
  /** JAX's algorithm choice ("scan", "scan_unrolled", "sort", "compare_all"): all give the same result here. */
  method?: "scan" | "scan_unrolled" | "sort" | "compare_all";
}
const searchsortedOptions = defineOptions(
  "searchsorted",
  {
    side: oneOf("left", "right"),
    sorter: orNull(is.arrayLike),
    method: oneOf("scan", "scan_unrolled", "sort", "compare_all"),
  },
  ["side", "sorter"],
);

/**
 * `jnp.searchsorted(a, v, side='left', sorter=None, *, method='scan')`: int32 indices where the
 * elements of v would be inserted into the sorted 1-D a to keep it sorted.
 * @example np.searchsorted(np.array([1, 2, 3, 4, 5]), np.array([3, 6, 0])); // [2, 5, 0]
 */
export function searchsorted(
  a: ArrayLike,
  v: ArrayLike,
  ...args: OptArgs<["left" | "right", ArrayLike | null], SearchsortedOptions>
): NdArray {
  const o = searchsortedOptions.parse(args);
  let [sa, sv] = promoteOperands("searchsorted", [a, v]);
  if (sa.ndim !== 1) throw new ShapeError(`[searchsorted] a should be 1-dimensional: got ${sa.aval.str()}.`);
  if (o.sorter !== null && o.sorter !== undefined) {
    const s = sorterArray(o.sorter);
    if (!isInteger(s.dtype) || s.ndim !== 1 || s.aval.shape[0] !== sa.aval.shape[0]) {
      throw new ShapeError(
        `[searchsorted] sorter must be integer indices of a's length: got ${s.aval.str()}, expected an integer [${sa.aval.shape[0]}] array.`,
      );
    }
    if (sa.size > 0) sa = takeAxis(sa, s, 0, "clip");
  }
  if (sv.weakType && !sa.weakType) sv = ew.convert(sv, sa.dtype);
  return search(sa, sv, o.side ?? "left");
}

/** Sorter indices: an integer Array, or JS whole numbers (taken as int32). */
function sorterArray(v: ArrayLike): NdArray {
  if (v instanceof NdArray) return v;
  const whole = (x: unknown): boolean =>
    Array.isArray(x) ? x.every(whole) : typeof x === "number" && Number.isInteger(x) && Math.abs(x) < 2 ** 31;
  return asArray(v, whole(v) ? "int32" : undefined, "searchsorted");
}

/** Options of `np.digitize` (JAX: right; method keyword-only). */
export interface DigitizeOptions {
  /** Whether a bin includes its right edge instead of its left one (default false). */
  right?: boolean;
  /** JAX's searchsorted algorithm choice: all give the same result here. */
  method?: "scan" | "scan_unrolled" | "sort" | "compare_all" | null;
}
const digitizeOptions = defineOptions(
  "digitize",
  { right: is.bool, method: orNull(oneOf("scan", "scan_unrolled", "sort", "compare_all")) },
  ["right"],
);

/**
 * `jnp.digitize(x, bins, right=False, *, method=None)`: int32 indices of the bins (1-D, increasing or
 * decreasing) each value of x falls in; 0 below the first edge, len(bins) past the last.
 * @example np.digitize(np.array([0.2, 6.4, 3.0, 1.6]), np.array([0, 1, 2.5, 4, 10])); // [1, 4, 3, 2]
 */
export function digitize(x: ArrayLike, bins: ArrayLike, ...args: OptArgs<[boolean], DigitizeOptions>): NdArray {
  const o = digitizeOptions.parse(args);
  const [x0, b] = promoteOperands("digitize", [x, bins]);
  if (b.ndim !== 1)
    throw new ShapeError(`[digitize] digitize: bins must be a 1-dimensional array; got ${b.aval.str()}.`);
  const n = b.aval.shape[0];
  if (n === 0) return fullConst(x0.aval.shape.slice(), 0, "int32");
  const xs = x0.weakType && !b.weakType ? ew.convert(x0, b.dtype) : x0;
  const side = o.right ? "left" : "right";
  // Decreasing bins: search the reversed edges and count from the end.
  const increasing = ew.ge(st.reshape(sliceAxis(b, 0, n - 1, n), []), st.reshape(sliceAxis(b, 0, 0, 1), []));
  const up = search(b, xs, side);
  const down = ew.sub(k(n, up), search(rev(b, [0]), xs, side));
  return select(st.broadcastTo(increasing, up.aval.shape), down, up);
}

// --- interp -------------------------------------------------------------------------------

/** Options of `np.interp` (JAX: left, right, period). */
export interface InterpOptions {
  /** The value below xp[0] (default fp[0]). */
  left?: ArrayLike | null;
  /** The value above xp[-1] (default fp[-1]). */
  right?: ArrayLike | null;
  /** The period of x for periodic data (left and right are then unused). */
  period?: ArrayLike | null;
}
const interpOptions = defineOptions(
  "interp",
  { left: orNull(is.arrayLike), right: orNull(is.arrayLike), period: orNull(is.arrayLike) },
  ["left", "right", "period"],
);

/**
 * `jnp.interp(x, xp, fp, left=None, right=None, period=None)`: piecewise-linear interpolation of
 * the points (xp, fp) (xp increasing) at x.
 * @example np.interp(np.array([0, 1.5, 5]), np.array([1, 2, 3]), np.array([10, 20, 30])); // [10, 15, 30]
 */
export function interp(
  x: ArrayLike,
  xp: ArrayLike,
  fp: ArrayLike,
  ...args: OptArgs<[ArrayLike | null, ArrayLike | null, ArrayLike | null], InterpOptions>
): NdArray {
  const o = interpOptions.parse(args);
  let [xa, xpa, fpa] = promoteToFloat("interp", [x, xp, fp]);
  if (xpa.ndim !== 1 || fpa.ndim !== 1) {
    throw new ShapeError(`[interp] xp and fp must be one-dimensional: got ${xpa.aval.str()} and ${fpa.aval.str()}.`);
  }
  if (xpa.aval.shape[0] !== fpa.aval.shape[0]) {
    throw new ShapeError(
      `[interp] xp and fp must be of the same length: got ${xpa.aval.shape[0]} and ${fpa.aval.shape[0]}.`,
    );
  }
  if (xpa.aval.shape[0] === 0) throw new ShapeError(`[interp] xp and fp must not be empty: got ${xpa.aval.str()}.`);
  if (o.period !== null && o.period !== undefined) {
    const p0 = asArray(o.period, undefined, "interp");
    if (p0.ndim !== 0) throw new ShapeError(`[interp] period must be a scalar: got ${p0.aval.str()}.`);
    const period = un.abs(ew.convert(p0, xa.dtype));
    const pc = readScalarIfConcrete(period);
    if (pc === 0) throw new ArgumentTypeError(`[interp] period must be a non-zero value: got 0.`);
    xa = floorMod(xa, period);
    const xpm = floorMod(xpa, period);
    [xpa, fpa] = sortPrim([xpm, fpa], { dimension: 0, numKeys: 1 });
    const m = xpa.aval.shape[0];
    const first = (v: NdArray) => sliceAxis(v, 0, 0, 1);
    const lastOf = (v: NdArray) => sliceAxis(v, 0, m - 1, m);
    xpa = concatenate([ew.sub(lastOf(xpa), period), xpa, ew.add(first(xpa), period)], 0);
    fpa = concatenate([lastOf(fpa), fpa, first(fpa)], 0);
  }
  const m = xpa.aval.shape[0];
  // i: the segment [xp[i-1], xp[i]] holding x, clipped into [1, m - 1].
  const i0 = search(xpa, xa, "right");
  const i = ew.max(k(1, i0), ew.min(i0, k(Math.max(m - 1, 1), i0)));
  const im1 = ew.sub(i, k(1, i));
  const at = (v: NdArray, idx: NdArray) => takeAxis(v, idx, 0, "clip");
  const fLo = at(fpa, im1);
  const df = ew.sub(at(fpa, i), fLo);
  const dx = ew.sub(at(xpa, i), at(xpa, im1));
  const delta = ew.sub(xa, at(xpa, im1));
  // A zero-width segment gives fp[i-1] (and no NaN gradient): |dx| ≤ spacing(eps).
  const eps = xa.dtype === "float64" ? 2 ** -104 : 2 ** -46;
  const dx0 = ew.le(un.abs(dx), k(eps, dx));
  let f = select(dx0, ew.add(fLo, ew.mul(ew.div(delta, select(dx0, dx, k(1, dx))), df)), fLo);
  if (o.period === null || o.period === undefined) {
    const xp0 = st.reshape(sliceAxis(xpa, 0, 0, 1), []);
    const xpN = st.reshape(sliceAxis(xpa, 0, m - 1, m), []);
    const leftV = o.left === null || o.left === undefined ? st.reshape(sliceAxis(fpa, 0, 0, 1), []) : o.left;
    const rightV = o.right === null || o.right === undefined ? st.reshape(sliceAxis(fpa, 0, m - 1, m), []) : o.right;
    f = where(ew.lt(xa, xp0), leftV, f);
    f = where(ew.gt(xa, xpN), rightV, f);
  }
  return f;
}

/** x mod p with the sign of p (Python's %). */
function floorMod(x: NdArray, p: NdArray): NdArray {
  const r = ew.rem(x, p);
  const fix = ew.and(ew.ne(r, k(0, r)), ew.ne(ew.lt(r, k(0, r)), ew.lt(p, k(0, p))));
  return select(fix, r, ew.add(r, p));
}

function readScalarIfConcrete(x: NdArray): number | null {
  try {
    return x.concrete("interp").dataSync()[0] as number;
  } catch (e) {
    if (e instanceof ConcretizationError) return null;
    throw e;
  }
}

// --- histogram ------------------------------------------------------------------------------

/** A histogram's range: [lower, upper] (numbers or scalar arrays). */
export type HistogramRange = readonly [ArrayLike, ArrayLike] | ArrayLike;

/** Options of `np.histogramBinEdges` (JAX: bins, range, weights). */
export interface HistogramBinEdgesOptions {
  /** The number of equal-width bins (default 10), or the bin edges (1-D, increasing). */
  bins?: number | ArrayLike;
  /** The lower and upper edges of the bins (default: a's min and max). */
  range?: HistogramRange | null;
  /** Unused by the edges (accepted as JAX does). */
  weights?: ArrayLike | null;
}
/** Options of `np.histogram` (JAX: bins, range, weights, density). */
export interface HistogramOptions extends HistogramBinEdgesOptions {
  /** Return a probability density (counts / bin width / total) instead of counts. */
  density?: boolean | null;
}
const binsCheck = check<number | ArrayLike>(
  "a positive integer (the number of bins) or a 1-D array of bin edges",
  (v) => (typeof v === "number" ? is.positiveInt.test(v) : typeof v !== "boolean" && is.arrayLike.test(v)),
);
const rangeCheck = orNull(is.arrayLike);
const histogramOptions = defineOptions(
  "histogram",
  { bins: binsCheck, range: rangeCheck, weights: orNull(is.arrayLike), density: orNull(is.bool) },
  ["bins", "range", "weights", "density"],
);
const binEdgesOptions = defineOptions(
  "histogramBinEdges",
  { bins: binsCheck, range: rangeCheck, weights: orNull(is.arrayLike) },
  ["bins", "range", "weights"],
);

function binEdges(op: string, a: NdArray, bins: number | ArrayLike, range: HistogramRange | null | undefined): NdArray {
  const dtype: DType = isFloat(a.dtype) ? a.dtype : promoteToFloat(op, [a])[0].dtype;
  if (typeof bins !== "number") {
    const e = asArray(bins, undefined, op);
    if (e.ndim !== 1 || e.size === 0) {
      throw new ShapeError(
        `[${op}] bins must be a positive integer or a non-empty 1-D array of edges: got ${e.aval.str()}.`,
      );
    }
    return e.dtype === dtype ? e : ew.convert(e, dtype);
  }
  checkSize(op, [bins + 1], dtype);
  let lo: NdArray;
  let hi: NdArray;
  if (range === null || range === undefined) {
    if (a.size === 0) {
      lo = scalar(0, dtype);
      hi = scalar(1, dtype);
    } else {
      lo = ew.convert(min(a), dtype);
      hi = ew.convert(max(a), dtype);
    }
  } else {
    const r = asArray(range as ArrayLike, dtype, op);
    if (r.ndim !== 1 || r.aval.shape[0] !== 2) {
      throw new ShapeError(`[${op}] range must be either null or a sequence of two scalars: got ${r.aval.str()}.`);
    }
    const rr = r.dtype === dtype ? r : ew.convert(r, dtype);
    lo = st.reshape(sliceAxis(rr, 0, 0, 1), []);
    hi = st.reshape(sliceAxis(rr, 0, 1, 2), []);
  }
  // An empty range widens to [lo − 0.5, hi + 0.5].
  const same = ew.eq(lo, hi);
  lo = select(same, lo, ew.sub(lo, k(0.5, lo)));
  hi = select(same, hi, ew.add(hi, k(0.5, hi)));
  return linspace(lo, hi, bins + 1, { dtype });
}

/**
 * `jnp.histogram_bin_edges(a, bins=10, range=None, weights=None)`: the edges {@link histogram} uses.
 * @example np.histogramBinEdges(np.array([1, 2, 3]), 2); // [1, 2, 3]
 */
export function histogramBinEdges(
  a: ArrayLike,
  ...args: OptArgs<[number | ArrayLike, HistogramRange | null, ArrayLike | null], HistogramBinEdgesOptions>
): NdArray {
  const o = binEdgesOptions.parse(args);
  const x = asArray(a, undefined, "histogramBinEdges");
  return binEdges("histogramBinEdges", st.reshape(x, [x.size]), o.bins ?? 10, o.range);
}

/**
 * `jnp.histogram(a, bins=10, range=None, weights=None, density=None)`: `[counts, binEdges]`; the
 * last bin includes its right edge, values outside the range are not counted.
 * @example const [counts, edges] = np.histogram(np.array([1, 2, 1]), { bins: 2 }); // [2, 1], [1, 1.5, 2]
 */
export function histogram(
  a: ArrayLike,
  ...args: OptArgs<[number | ArrayLike, HistogramRange | null, ArrayLike | null, boolean | null], HistogramOptions>
): [NdArray, NdArray] {
  const o = histogramOptions.parse(args);
  const x0 = asArray(a, undefined, "histogram");
  let w: NdArray | null = null;
  if (o.weights !== null && o.weights !== undefined) {
    w = asArray(o.weights, undefined, "histogram");
    if (w.ndim !== x0.ndim || w.aval.shape.some((n, i) => n !== x0.aval.shape[i])) {
      throw new ShapeError(
        `[histogram] weights should have the same shape as a: got ${w.aval.str()} and ${x0.aval.str()}.`,
      );
    }
    w = st.reshape(w, [w.size]);
  }
  const x = st.reshape(x0, [x0.size]);
  const edges = binEdges("histogram", x, o.bins ?? 10, o.range);
  const ne = edges.aval.shape[0];
  const [xe, ee] = promoteOperands("histogram", [x, edges]);
  let idx = search(ee, xe, "right");
  // The last bin is closed: a == edges[-1] counts in it.
  idx = select(ew.eq(xe, st.reshape(sliceAxis(ee, 0, ne - 1, ne), [])), idx, k(ne - 1, idx));
  const weights = w ?? fullConst([x.size], 1, x.dtype);
  const zero = fullConst([ne], 0, weights.dtype);
  const full = scatter(zero, st.reshape(idx, [x.size, 1]), weights, [0], "add");
  let counts = sliceAxis(full, 0, 1, ne);
  if (o.density) {
    const c = isFloat(counts.dtype) ? counts : ew.convert(counts, edges.dtype);
    const widths = ew.sub(sliceAxis(edges, 0, 1, ne), sliceAxis(edges, 0, 0, ne - 1));
    counts = ew.div(ew.div(c, widths), reduceSum(c, [0]));
  }
  return [counts, edges];
}

// --- bincount -------------------------------------------------------------------------------

/** Options of `np.bincount` (JAX: weights, minlength; length keyword-only). */
export interface BincountOptions {
  /** A weight per element of x (default: each counts 1). */
  weights?: ArrayLike | null;
  /** The least number of bins (default 0). */
  minlength?: number;
  /** The exact number of bins: needed under jit, where max(x) is not known; larger values are dropped. */
  length?: number | null;
}
const bincountOptions = defineOptions(
  "bincount",
  { weights: orNull(is.arrayLike), minlength: is.nonNegativeInt, length: orNull(is.nonNegativeInt) },
  ["weights", "minlength"],
);

/**
 * `jnp.bincount(x, weights=None, minlength=0, *, length=None)`: counts[i] = Σ over x == i of the
 * weights (1 each by default). Negative values count in bin 0, as in JAX.
 * @example np.bincount(np.array([0, 1, 1, 3], "int32")); // [1, 2, 0, 1]
 */
export function bincount(x: ArrayLike, ...args: OptArgs<[ArrayLike | null, number], BincountOptions>): NdArray {
  const o = bincountOptions.parse(args);
  const xa = asArray(x, undefined, "bincount");
  if (!isInteger(xa.dtype)) {
    throw new DTypeError(`[bincount] x argument to bincount must have an integer type; got ${xa.aval.str()}.`);
  }
  if (xa.ndim !== 1) throw new ShapeError(`[bincount] only 1-dimensional input supported: got ${xa.aval.str()}.`);
  const minlength = o.minlength ?? 0;
  let length = o.length;
  if (length === null || length === undefined) {
    let c: NdArray;
    try {
      c = xa.concrete("bincount");
    } catch (e) {
      if (!(e instanceof ConcretizationError)) throw e;
      throw new ConcretizationError(
        `[bincount] the number of bins depends on the values of x: got a traced ${xa.aval.str()}. ` +
          `To avoid this error, pass a static length: np.bincount(x, { length }).`,
      );
    }
    const vals = c.dataSync();
    let top = -1;
    for (const v of vals) top = Math.max(top, Number(v));
    length = Math.max(minlength, xa.size ? top + 1 : 0);
  }
  let wa: NdArray;
  if (o.weights === null || o.weights === undefined) wa = fullConst([xa.size], 1, "int32");
  else {
    wa = asArray(o.weights, undefined, "bincount");
    if (wa.ndim !== 1 || wa.aval.shape[0] !== xa.size) {
      throw new ShapeError(
        `[bincount] shape of weights must match shape of x: got ${wa.aval.str()} and ${xa.aval.str()}.`,
      );
    }
  }
  checkSize("bincount", [length], wa.dtype);
  const idx = xa.dtype === "int32" ? ew.max(xa, k(0, xa)) : xa;
  return scatter(fullConst([length], 0, wa.dtype), st.reshape(idx, [xa.size, 1]), wa, [0], "add");
}

// --- unique ---------------------------------------------------------------------------------

/** Options of `np.unique` (JAX: return_index, return_inverse, return_counts, axis; the rest keyword-only). */
export interface UniqueOptions {
  /** Also return the index of each unique value's first occurrence. */
  returnIndex?: boolean;
  /** Also return, per element, the index of its unique value. */
  returnInverse?: boolean;
  /** Also return how often each unique value occurs. */
  returnCounts?: boolean;
  /** The axis whose slices are compared (null: the flattened array). */
  axis?: number | null;
  /** NaNs count as one value (default true). */
  equalNan?: boolean;
  /** A static number of results, so unique can be traced: padded with fillValue, or cut. */
  size?: number | null;
  /** The padding value with size (default: the smallest unique value). */
  fillValue?: number | boolean | null;
  /** Accepted for compatibility: the values are always sorted. */
  sorted?: boolean;
}
const uniqueOptions = defineOptions(
  "unique",
  {
    returnIndex: is.bool,
    returnInverse: is.bool,
    returnCounts: is.bool,
    axis: orNull(is.axis),
    equalNan: is.bool,
    size: orNull(is.nonNegativeInt),
    fillValue: orNull(either(is.numberOrNaN, is.bool)),
    sorted: check<boolean>("true (the values are always sorted)", (v) => v === true),
  },
  ["returnIndex", "returnInverse", "returnCounts", "axis"],
);

/**
 * `jnp.unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *,
 * equal_nan=True, size=None, fill_value=None, sorted=True)`: the sorted unique values, and with
 * any of the `return*` flags a JS array `[values, index?, inverse?, counts?]`. Give `size` to use it under jit.
 * @example
 * np.unique(np.array([3, 1, 3, 2])); // [1, 2, 3]
 * const [u, counts] = np.unique(x, { returnCounts: true, size: 4, fillValue: 0 });
 */
export function unique(
  ar: ArrayLike,
  ...args: OptArgs<[boolean, boolean, boolean, number | null], UniqueOptions>
): NdArray | NdArray[] {
  const o = uniqueOptions.parse(args);
  const a0 = asArray(ar, undefined, "unique");
  const flat = o.axis === null || o.axis === undefined;
  const a = flat ? st.reshape(a0, [a0.size]) : a0;
  const axis = flat ? 0 : normalizeAxis("unique", o.axis!, a.ndim);
  const others = a.aval.shape.map((_, i) => i).filter((i) => i !== axis);
  const moved = axis === 0 ? a : st.transpose(a, [axis, ...others]);
  const n = moved.aval.shape[0];
  const rest = moved.aval.shape.slice(1);
  const m = rest.reduce((p, v) => p * v, 1);
  const size = o.size ?? null;
  if (size !== null) checkSize("unique", [size + 1], a.dtype);
  const returns = [o.returnIndex, o.returnInverse, o.returnCounts].filter(Boolean).length;
  const restore = (r: NdArray) => {
    if (axis === 0) return r;
    const perm = a.aval.shape.map((_, i) => i);
    perm.splice(0, 1);
    perm.splice(axis, 0, 0);
    return st.transpose(r, perm);
  };
  const fill = o.fillValue === null || o.fillValue === undefined ? null : fillValueFor("unique", o.fillValue, a.dtype);
  if (a.size === 0 || m === 0) return emptyUnique(a, moved, n, size, fill, o, restore, returns);

  // Sort the slices lexicographically (first element the primary key) and mark where each new value starts.
  const rows = st.reshape(moved, [n, m]);
  const cols = Array.from({ length: m }, (_, j) => st.reshape(sliceAxis(rows, 1, j, j + 1), [n]));
  const perm = sortPrim([...cols, iota("int32", [n], 0)], { dimension: 0, numKeys: m })[m];
  const aux = takeAxis(moved, perm, 0, "clip");
  const auxRows = st.reshape(aux, [n, m]);
  const later = sliceAxis(auxRows, 0, 1, n);
  const earlier = sliceAxis(auxRows, 0, 0, n - 1);
  let neq = ew.ne(later, earlier);
  if (isFloat(a.dtype) && o.equalNan !== false) {
    neq = ew.and(neq, un.not(ew.and(ew.ne(later, later), ew.ne(earlier, earlier))));
  }
  const starts = bind1(reduceOrP, [neq], { axes: [1] });
  const mask = concatenate([fullConst([1], 1, "bool"), starts], 0);

  let ind: NdArray;
  if (size === null) ind = concreteIndices(mask);
  else ind = firstTrue(mask, size);
  let result = takeAxis(aux, ind, 0, "clip");
  const total = reduceSum(ew.convert(mask, "int32"), [0]);
  if (size !== null && fill !== null) {
    const valid = ew.lt(iota("int32", [size], 0), total);
    const shape = result.aval.shape.slice();
    result = select(
      st.broadcastInDim(valid, shape, [0]),
      fullConst(shape, fill, result.dtype, result.weakType),
      result,
    );
  }
  const out: NdArray[] = [restore(result)];
  if (o.returnIndex) out.push(takeAxis(perm, ind, 0, "clip"));
  if (o.returnInverse) {
    const imask = ew.sub(cumsum(ew.convert(mask, "int32"), 0), k(1, total));
    let inv = scatter(fullConst([n], 0, "int32"), st.reshape(perm, [n, 1]), imask, [0], "set");
    if (flat) inv = st.reshape(inv, a0.aval.shape.slice());
    out.push(inv);
  }
  if (o.returnCounts) {
    // Differences of consecutive start positions, the last one closed by n.
    let idx: NdArray;
    if (size === null) idx = concatenate([ind, fullConst([1], n, "int32")], 0);
    else {
      const s = firstTrue(mask, size + 1);
      const tail = sliceAxis(s, 0, 1, size + 1);
      idx = concatenate([sliceAxis(s, 0, 0, 1), select(ew.ne(tail, k(0, tail)), k(n, tail), tail)], 0);
    }
    const len = idx.aval.shape[0];
    out.push(ew.sub(sliceAxis(idx, 0, 1, len), sliceAxis(idx, 0, 0, len - 1)));
  }
  return returns === 0 ? out[0] : out;
}

/** The positions of the true entries of a concrete mask (unique without size needs the values). */
function concreteIndices(mask: NdArray): NdArray {
  let c: NdArray;
  try {
    c = mask.concrete("unique");
  } catch (e) {
    if (!(e instanceof ConcretizationError)) throw e;
    throw new ConcretizationError(
      `[unique] the number of unique values depends on the data: got a traced array. ` +
        `To use jnp.unique under jit or vmap, give a static size (and a fillValue for the padding): np.unique(x, { size }).`,
    );
  }
  const v = c.dataSync();
  const idx: number[] = [];
  v.forEach((b, i) => {
    if (b) idx.push(i);
  });
  return asArray(idx, "int32");
}

/** The first `size` positions of the true entries of a 1-D mask, padded with 0 (np.nonzero(mask, size=size)). */
function firstTrue(mask: NdArray, size: number): NdArray {
  const n = mask.aval.shape[0];
  const count = cumsum(ew.convert(mask, "int32"), 0);
  const slot = select(mask, fullConst([n], size, "int32"), ew.sub(count, k(1, count)));
  return scatter(fullConst([size], 0, "int32"), st.reshape(slot, [n, 1]), iota("int32", [n], 0), [0], "set");
}

function emptyUnique(
  a: NdArray,
  moved: NdArray,
  n: number,
  size: number | null,
  fill: number | null,
  o: UniqueOptions,
  restore: (r: NdArray) => NdArray,
  returns: number,
): NdArray | NdArray[] {
  let result = moved;
  if (size !== null && fill !== null) result = fullConst([size, ...moved.aval.shape.slice(1)], fill, a.dtype);
  const out: NdArray[] = [restore(result)];
  if (o.returnIndex) out.push(iota("int32", [n], 0));
  if (o.returnInverse) out.push(fullConst([n], 0, "int32"));
  if (o.returnCounts) out.push(n ? fullConst([1], n, "int32") : fullConst([0], 0, "int32"));
  return returns === 0 ? out[0] : out;
}
