/**
 * NumPy statistics, as jax.numpy writes them: average, cov, corrcoef here; quantiles and the
 * NaN-ignoring reductions in statistics-quantile.ts and statistics-nan.ts; searching, counting
 * and binning in statistics-search.ts. All composites of existing primitives.
 */
import type { NdArray, ArrayLike } from "../core/array.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { isInteger } from "../core/dtypes.js";
import { defineOptions, is, orNull, type OptArgs } from "../core/options.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import * as st from "../primitives/structural.js";
import { reduceSum } from "../primitives/reduce.js";
import { sliceAxis } from "../primitives/slicing.js";
import { normalizeAxes, normalizeAxis, range } from "../primitives/shapes.js";
import { asArray, promoteToFloat } from "../primitives/as-array.js";
import { mean, sum, type AxisArg } from "./reductions.js";
import { concatenate } from "./shape.js";
import { matmul, diagonal } from "./linalg.js";
import { clip } from "./math.js";

export * from "./statistics-quantile.js";
export * from "./statistics-nan.js";
export * from "./statistics-search.js";

// --- average -------------------------------------------------------------------------

/** Options of `np.average` (JAX: axis, weights, returned, keepdims). */
export interface AverageOptions {
  /** The axis or axes to average over; null or absent: all of them. */
  axis?: AxisArg;
  /** Weights of a's shape, or 1-D along `axis`; null: all ones. */
  weights?: ArrayLike | null;
  /** Also return the sum of the weights, broadcast to the average's shape. */
  returned?: boolean;
  /** Keep the reduced axes as length-1 axes. */
  keepdims?: boolean;
}
const averageOptions = defineOptions(
  "average",
  { axis: orNull(is.axes), weights: orNull(is.arrayLike), returned: is.bool, keepdims: is.bool },
  ["axis", "weights", "returned", "keepdims"],
);

/**
 * `jnp.average(a, axis=None, weights=None, returned=False, keepdims=False)`:
 * Σ a·w / Σ w over the axes; with `returned`, `[average, Σ w]`.
 * @example
 * np.average(np.array([1, 2, 3, 4]), { weights: np.array([4, 3, 2, 1]) }); // 2
 * const [avg, wsum] = np.average(x, { axis: 0, returned: true });
 */
export function average(a: ArrayLike, options: AverageOptions & { returned: true }): [NdArray, NdArray];
export function average(
  a: ArrayLike,
  axis: AxisArg,
  weights: ArrayLike | null | undefined,
  returned: true,
  keepdims?: boolean,
): [NdArray, NdArray];
export function average(
  a: ArrayLike,
  ...args: OptArgs<[AxisArg, ArrayLike | null, false, boolean], AverageOptions & { returned?: false }>
): NdArray;
export function average(
  a: ArrayLike,
  ...args: OptArgs<[AxisArg, ArrayLike | null, boolean, boolean], AverageOptions>
): NdArray | [NdArray, NdArray];
export function average(a: ArrayLike, ...args: unknown[]): NdArray | [NdArray, NdArray] {
  const o = averageOptions.parse(args);
  const [avg, wsum] = averageImpl("average", a, o.axis, o.weights, o.keepdims ?? false);
  if (!o.returned) return avg;
  return [avg, sameShape(wsum, avg) ? wsum : st.broadcastTo(wsum, avg.aval.shape)];
}

const sameShape = (x: NdArray, y: NdArray): boolean =>
  x.ndim === y.ndim && x.aval.shape.every((n, i) => n === y.aval.shape[i]);

/** [Σ a·w / Σ w, Σ w] over the axes (w = 1 without weights). */
function averageImpl(
  op: string,
  x: ArrayLike,
  axis: AxisArg,
  weights: ArrayLike | null | undefined,
  keepdims: boolean,
): [NdArray, NdArray] {
  if (weights === null || weights === undefined) {
    const [a] = promoteToFloat(op, [x]);
    const avg = mean(a, axis ?? null, null, null, keepdims);
    const axes = axis === null || axis === undefined ? range(a.ndim) : normalizeAxes(op, axisList(axis), a.ndim);
    const n = axes.reduce((p, i) => p * a.aval.shape[i], 1);
    return [avg, st.broadcastTo(ew.scalarLike(n, avg), avg.aval.shape)];
  }
  const [a, w0] = promoteToFloat(op, [x, weights]);
  let w = w0;
  if (!sameShape(a, w)) {
    if (w.ndim !== 1) {
      throw new ShapeError(
        `[${op}] 1D weights expected when shapes of a and weights differ: got a ${a.aval.str()} and weights ${w.aval.str()}.`,
      );
    }
    if (axis === null || axis === undefined) {
      throw new ShapeError(
        `[${op}] Axis must be specified when shapes of a and weights differ: got a ${a.aval.str()} and weights ${w.aval.str()}.`,
      );
    }
    if (typeof axis !== "number") {
      throw new ShapeError(`[${op}] Single axis expected when shapes of a and weights differ: got axis [${axis}].`);
    }
    const ax = normalizeAxis(op, axis, a.ndim);
    if (w.aval.shape[0] !== a.aval.shape[ax]) {
      throw new ShapeError(
        `[${op}] Length of weights not compatible with specified axis: got ${w.aval.shape[0]} weights, expected ${a.aval.shape[ax]} (axis ${ax} of ${a.aval.str()}).`,
      );
    }
    w = st.reshape(
      w,
      a.aval.shape.map((n, i) => (i === ax ? n : 1)),
    );
  }
  const wsum = sum(w, axis ?? null, null, null, keepdims);
  const wa = sameShape(a, w) ? w : st.broadcastTo(w, a.aval.shape);
  const avg = ew.div(sum(ew.mul(a, wa), axis ?? null, null, null, keepdims), wsum);
  return [avg, wsum];
}

const axisList = (axis: number | readonly number[]): number[] => (typeof axis === "number" ? [axis] : [...axis]);

// --- cov, corrcoef ---------------------------------------------------------------------

/** Options of `np.cov` (JAX: y, rowvar, bias, ddof, fweights, aweights). */
export interface CovOptions {
  /** A second set of variables, stacked under m's. */
  y?: ArrayLike | null;
  /** Each row is a variable and each column an observation (default true); false: the transpose. */
  rowvar?: boolean;
  /** Normalize by N (true) rather than N - 1 (default false). */
  bias?: boolean;
  /** Delta degrees of freedom: overrides bias (null: 1, or 0 with bias). */
  ddof?: number | null;
  /** Integer frequency weights, one per observation. */
  fweights?: ArrayLike | null;
  /** Observation weights, one per observation. */
  aweights?: ArrayLike | null;
}
const covChecks = {
  y: orNull(is.arrayLike),
  rowvar: is.bool,
  bias: is.bool,
  ddof: orNull(is.int),
  fweights: orNull(is.arrayLike),
  aweights: orNull(is.arrayLike),
};
const covOptions = defineOptions("cov", covChecks, ["y", "rowvar", "bias", "ddof", "fweights", "aweights"]);

/** The variables as rows of a 2-D float array: m's, then y's. */
function variables(op: string, m: ArrayLike, y: ArrayLike | null | undefined, rowvar: boolean): NdArray {
  const given = y === null || y === undefined ? [m] : [m, y];
  const parts = promoteToFloat(op, given).map((v, i) => {
    if (v.ndim > 2) {
      throw new ShapeError(
        `[${op}] ${i === 0 ? "m" : "y"} has more than 2 dimensions: got ${v.aval.str()}, expected at most 2.`,
      );
    }
    let x = v.ndim === 2 ? v : st.reshape(v, [1, v.size]);
    if (!rowvar && x.aval.shape[0] !== 1) x = st.transpose(x, [1, 0]);
    return x;
  });
  if (parts.length === 2 && parts[0].aval.shape[1] !== parts[1].aval.shape[1]) {
    throw new ShapeError(
      `[${op}] m and y must have the same number of observations: got ${parts[0].aval.str()} and ${parts[1].aval.str()} (as rows of variables).`,
    );
  }
  return parts.length === 1 ? parts[0] : concatenate(parts, 0);
}

/** A 1-D weight per observation, made non-negative as JAX does (NumPy would raise on negative ones). */
function observationWeights(op: string, name: string, w: ArrayLike, n: number, like: NdArray): NdArray {
  const a = asArray(w, undefined, op);
  if (a.ndim !== 1)
    throw new ShapeError(`[${op}] cannot handle multidimensional ${name}: got ${a.aval.str()}, expected 1-D.`);
  if (a.aval.shape[0] !== n) {
    throw new ShapeError(`[${op}] incompatible numbers of samples and ${name}: got ${a.aval.shape[0]}, expected ${n}.`);
  }
  if (name === "fweights" && !isInteger(a.dtype)) {
    throw new DTypeError(`[${op}] fweights must be integer: got ${a.aval.str()}.`);
  }
  return un.abs(ew.convert(a, like.dtype));
}

/**
 * `jnp.cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None)`:
 * the covariance matrix of the variables (rows of m, then of y), squeezed (one variable gives a scalar).
 * @example np.cov(np.array([[0, 1, 2], [2, 1, 0]])); // [[1, -1], [-1, 1]]
 */
export function cov(
  m: ArrayLike,
  ...args: OptArgs<[ArrayLike | null, boolean, boolean, number | null, ArrayLike | null, ArrayLike | null], CovOptions>
): NdArray {
  return covImpl("cov", m, covOptions.parse(args));
}

function covImpl(op: string, m: ArrayLike, o: CovOptions): NdArray {
  const X0 = variables(op, m, o.y, o.rowvar ?? true);
  if (X0.aval.shape[0] === 0) return st.reshape(X0, [0, 0]);
  const n = X0.aval.shape[1];
  const ddof = o.ddof ?? (o.bias ? 0 : 1);
  let w: NdArray | null = null;
  let aw: NdArray | null = null;
  if (o.fweights !== null && o.fweights !== undefined) w = observationWeights(op, "fweights", o.fweights, n, X0);
  if (o.aweights !== null && o.aweights !== undefined) {
    aw = observationWeights(op, "aweights", o.aweights, n, X0);
    w = w === null ? aw : ew.mul(w, aw);
  }
  const [avg, wsums] = averageImpl(op, X0, 1, w, false);
  const wsum = st.reshape(sliceAxis(wsums, 0, 0, 1), []);
  // f: the normalization (N - ddof, or its weighted form).
  let f: NdArray;
  if (w === null) f = ew.scalarLike(n - ddof, X0);
  else if (ddof === 0) f = wsum;
  else if (aw === null) f = ew.sub(wsum, ew.scalarLike(ddof, wsum));
  else f = ew.sub(wsum, ew.div(ew.mul(ew.scalarLike(ddof, wsum), reduceSum(ew.mul(w, aw), [0])), wsum));
  const X = ew.sub(X0, st.reshape(avg, [avg.size, 1]));
  const XT = st.transpose(w === null ? X : ew.mul(X, st.reshape(w, [1, n])), [1, 0]);
  const c = ew.div(matmul(X, XT), f);
  return c.aval.shape[0] === 1 ? st.reshape(c, []) : c;
}

/** Options of `np.corrcoef` (JAX: y, rowvar). */
export type CorrcoefOptions = Pick<CovOptions, "y" | "rowvar">;
const corrcoefOptions = defineOptions("corrcoef", { y: covChecks.y, rowvar: covChecks.rowvar }, ["y", "rowvar"]);

/**
 * `jnp.corrcoef(x, y=None, rowvar=True)`: Pearson correlation coefficients, cov / (σᵢ σⱼ),
 * clipped to [-1, 1]; one variable gives c / c (1, or NaN for a constant variable).
 * @example np.corrcoef(np.array([[1, 2, 3], [3, 1, 2]])); // [[1, -0.5], [-0.5, 1]]
 */
export function corrcoef(x: ArrayLike, ...args: OptArgs<[ArrayLike | null, boolean], CorrcoefOptions>): NdArray {
  const o = corrcoefOptions.parse(args);
  const c = covImpl("corrcoef", x, o);
  if (c.ndim === 0) return ew.div(c, c);
  const sd = un.sqrt(diagonal(c));
  const n = sd.size;
  const r = ew.div(ew.div(c, st.reshape(sd, [n, 1])), st.reshape(sd, [1, n]));
  return clip(r, -1, 1);
}
