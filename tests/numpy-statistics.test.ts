/**
 * np statistics: average, cov, corrcoef, median, quantile/percentile (and their nan forms),
 * nanmean/nansum/nanmax/nanmin/nanvar/nanstd, interp, searchsorted, histogram, bincount, unique.
 * Values against NumPy 2.4 in float64 (tests/numpy-statistics-refs.ts), JAX's documented
 * behaviour where it differs from NumPy, gradients against central differences, vmap against a
 * loop, jit against eager, and the typed errors for bad input.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  checkGrads,
  config,
  ConcretizationError,
  DTypeError,
  grad,
  jit,
  numpy as np,
  ShapeError,
  vmap,
  type Array as NdArray,
} from "../src/index.js";
import { OptionError } from "../src/core/options.js";
import { R } from "./numpy-statistics-refs.js";

type Nested = number | null | readonly Nested[];
const flat = (x: Nested): number[] =>
  Array.isArray(x) ? x.flatMap((v: Nested) => flat(v)) : [x === null ? NaN : (x as number)];
const shapeOf = (x: Nested): number[] =>
  Array.isArray(x) ? [x.length, ...(x.length > 0 ? shapeOf(x[0] as Nested) : [])] : [];
const f64 = (x: Nested): NdArray => np.array(flat(x), "float64").reshape(shapeOf(x));

/**
 * float64 results against NumPy's: each is a handful of sums, products and one division of
 * values of order 1, so 1e-12 relative (plus 1e-13 absolute for results near 0) is ~10⁴ ulps of
 * headroom for a different summation order, and far below any algorithmic error.
 */
const TOL = { rtol: 1e-12, atol: 1e-13 };
function close(actual: NdArray, expected: Nested, tol = TOL): void {
  expect(actual.shape, "shape").toEqual(shapeOf(expected));
  const a = Array.from(actual.dataSync() as ArrayLike<number>);
  const bad: string[] = [];
  flat(expected).forEach((e, i) => {
    const ok = Number.isNaN(e) ? Number.isNaN(a[i]) : Math.abs(a[i] - e) <= tol.atol + tol.rtol * Math.abs(e);
    if (!ok) bad.push(`[${i}] got ${a[i]}, expected ${e}`);
  });
  expect(bad, actual.toString()).toEqual([]);
}
const vals = (a: NdArray): number[] => Array.from(a.dataSync() as ArrayLike<number>);

beforeEach(() => config.update("enableX64", true));
afterEach(() => config.update("enableX64", false));

const A = () => f64(R.A);
const B = () => f64(R.B);
const An = () => f64(R.An);

describe("quantile, percentile, median", () => {
  it("linear quantiles along an axis, with a vector q (q's axis first)", () => {
    close(np.quantile(A(), [0.1, 0.5, 0.93], 1), R.quantile_lin_A_q);
  });
  it("methods linear, lower, higher, midpoint", () => {
    for (const m of ["linear", "lower", "higher", "midpoint"] as const) {
      close(np.quantile(A(), 0.37, { axis: 0, method: m }), R.quantile_methods[m]);
    }
  });
  it("nearest follows JAX: a tie (weight 0.5) goes to the lower neighbour", () => {
    const x = f64([4, 1, 3, 2]);
    expect(vals(np.quantile(x, [0.5, 0.6, 0.4], { method: "nearest" }))).toEqual([2, 3, 2]);
  });
  it("several axes, keepdims, percentile, median", () => {
    close(np.quantile(B(), 0.3, { axis: [0, 2] }), R.quantile_B_axes);
    close(np.quantile(B(), [0.3, 0.8], [0, 2], null, false, "linear", true), R.quantile_B_axes_kd);
    close(np.percentile(B(), 62.5), R.percentile_B);
    close(np.median(B(), 2), R.median_B_ax2);
    close(np.median(B(), { axis: -1, keepdims: true }), R.median_B_kd);
    expect(np.median(B(), { keepdims: true }).shape).toEqual([1, 1, 1]);
  });
  it("a NaN makes the quantile NaN; the nan forms skip NaNs (NaN for an all-NaN slice)", () => {
    expect(vals(np.median(An(), 1)).map(Number.isNaN)).toEqual([true, false, true]);
    close(np.nanquantile(An(), 0.4, 1), R.nanquantile);
    close(np.nanmedian(An(), 1), R.nanmedian);
    close(np.nanpercentile(An(), [20, 70], 1), R.nanpercentile);
  });
  it("float32 in, float32 out; integers as the default float", () => {
    config.update("enableX64", false);
    const y = np.median(np.array([3, 1, 2, 10], "float32"));
    expect([y.dtype, y.item()]).toEqual(["float32", 2.5]);
    expect(np.quantile(np.array([1, 2, 3, 4], "int32"), 0.25).dtype).toBe("float32");
  });
  it("gradients: linear interpolation between the two order statistics", () => {
    const x = f64([0.3, -1.2, 2.5, 0.9, 1.7, -0.4]);
    checkGrads((v: NdArray) => np.quantile(v, [0.2, 0.75]), [x], 2);
    checkGrads((v: NdArray) => np.median(v.reshape([2, 3]), 1), [x], 1);
    checkGrads((v: NdArray) => np.percentile(v, 33, { method: "midpoint" }), [x], 1);
  });
  it("vmap matches a loop; jit matches eager", () => {
    const b = B();
    const f = (v: NdArray) => np.quantile(v, [0.25, 0.9], { axis: 1 });
    const batched = vmap(f)(b);
    for (let i = 0; i < 2; i++) expect(vals(batched.get(i))).toEqual(vals(f(b.get(i))));
    expect(vals(jit(f)(b.get(0)))).toEqual(vals(f(b.get(0))));
    expect(vals(jit((v: NdArray) => np.nanmedian(v, 1))(An()))).toEqual(vals(np.nanmedian(An(), 1)));
  });
  it("bad input: typed errors", () => {
    expect(() => np.quantile(A(), [[0.5]])).toThrow(ShapeError);
    expect(() => np.quantile(A(), 0.5, { method: "inverted_cdf" as never })).toThrow(OptionError);
    expect(() => np.median(np.zeros([0]))).toThrow(/empty axis/);
    expect(() => np.median(A(), 2)).toThrow(/out of bounds|axis/);
  });
});

describe("average, cov, corrcoef", () => {
  it("average: weights along an axis, full weights, returned, keepdims", () => {
    close(np.average(A(), 1, [0.5, 1.0, 2.0, 0.25, 3.0]), R.avg_w_ax1);
    close(np.average(A(), { weights: np.abs(A()) }), R.avg_w_full);
    const [avg, wsum] = np.average(A(), { axis: 0, returned: true });
    close(avg, R.avg_ret[0]);
    close(wsum, R.avg_ret[1]);
    close(np.average(B(), [0, 2], null, false, true), R.avg_kd);
  });
  it("cov: rowvar, bias, ddof, y, fweights, aweights", () => {
    close(np.cov(A()), R.cov_A);
    close(np.cov(A().T, { rowvar: false, bias: true }), R.cov_A_T_bias);
    close(np.cov(A(), { ddof: 2 }), R.cov_A_ddof2);
    close(np.cov(A().get(0), A().get(np.slice(1, null))), R.cov_A_y);
    const fw = np.array([1, 2, 1, 3, 1], "int32");
    const aw = [0.5, 1, 2, 1, 0.25];
    close(np.cov(A(), { fweights: fw }), R.cov_fw);
    close(np.cov(A(), { aweights: aw }), R.cov_aw);
    close(np.cov(A(), null, true, false, null, fw, aw), R.cov_fw_aw);
    close(np.cov(A(), { fweights: fw, aweights: aw, bias: true }), R.cov_fw_aw_bias);
    expect(np.cov([1, 2, 4]).shape).toEqual([]);
  });
  it("corrcoef: matrix, x with y, rowvar; a single variable gives c / c", () => {
    close(np.corrcoef(A()), R.corrcoef_A);
    close(np.corrcoef(A().get(0), A().get(1)), R.corrcoef_xy);
    close(np.corrcoef(A().T, { rowvar: false }), R.corrcoef_T);
    expect(np.corrcoef([1, 2, 4]).item()).toBe(1);
    expect(Number.isNaN(np.corrcoef([2, 2, 2]).item())).toBe(true);
  });
  it("gradients of average, cov and corrcoef", () => {
    const x = A();
    checkGrads((v: NdArray, w: NdArray) => np.average(v, { axis: 1, weights: w }), [x, f64([1, 2, 0.5, 1.5, 3])], 2);
    checkGrads((v: NdArray) => np.cov(v), [x], 2);
    checkGrads((v: NdArray) => np.corrcoef(v), [x], 1);
  });
  it("vmap and jit", () => {
    const b = B();
    const batched = vmap((v: NdArray) => np.cov(v))(b);
    for (let i = 0; i < 2; i++) close(batched.get(i), np.cov(b.get(i)).tolist() as Nested);
    expect(vals(jit((v: NdArray) => np.corrcoef(v))(A()))).toEqual(vals(np.corrcoef(A())));
  });
  it("bad input: typed errors in JAX's words", () => {
    expect(() => np.average(A(), { weights: [1, 2] })).toThrow(/Axis must be specified/);
    expect(() => np.average(A(), { axis: 1, weights: [1, 2] })).toThrow(/Length of weights not compatible/);
    expect(() => np.average(A(), { axis: [0, 1], weights: [1, 2, 3, 4, 5] })).toThrow(/Single axis expected/);
    expect(() => np.cov(B())).toThrow(ShapeError);
    expect(() => np.cov(A(), { fweights: [1.5, 1, 1, 1, 1] })).toThrow(DTypeError);
    expect(() => np.cov(A(), { aweights: [1, 1] })).toThrow(/incompatible numbers of samples/);
    expect(() => np.cov(A(), [1, 2])).toThrow(ShapeError);
  });
});

describe("nanmean, nansum, nanmax, nanmin, nanvar, nanstd", () => {
  it("values against NumPy (all-NaN slices: NaN, sum 0)", () => {
    close(np.nanmean(An(), 1), R.nanmean);
    close(np.nanmean(An()), R.nanmean_all);
    close(np.nansum(An(), 0), R.nansum0);
    close(np.nanmax(An(), 1), R.nanmax1);
    close(np.nanmin(An(), { axis: 0 }), R.nanmin0);
    close(np.nanstd(An(), 1), R.nanstd1);
    close(np.nanstd(An(), { axis: 1, ddof: 1 }), R.nanstd1_ddof1);
    close(np.nanvar(An(), 0, null, null, 0, true), R.nanvar0_kd);
    expect(np.nansum(An(), 1).get(2).item()).toBe(0);
  });
  it("options pass through: initial, where, dtype; integers are their plain reductions", () => {
    expect(np.nanmax(An(), { axis: 1, initial: 5 }).tolist()).toEqual([5, 5, 5]);
    expect(np.nansum([1, NaN, 2], { initial: 10 }).item()).toBe(13);
    expect(np.nanmean([1, NaN, 3, 100], { where: [true, true, true, false] }).item()).toBe(2);
    expect(np.nanmean(np.array([1, 2], "int32")).dtype).toBe("float64");
    expect(np.nanmax(np.array([1, 7, 2], "int32")).item()).toBe(7);
    expect(() => np.nanmax([1, NaN], { where: [true, false] })).toThrow(/initial/);
  });
  it("gradients flow only to the non-NaN entries", () => {
    const x = f64([
      [0.5, NaN, -1.5],
      [2.0, 0.25, NaN],
    ]);
    const g = (f: (v: NdArray) => NdArray) => {
      const gf = jit((v: NdArray) => np.sum(f(v)));
      return vals(np.asarray(gradOf(gf, x)));
    };
    expect(g((v) => np.nansum(v, 1))).toEqual([1, 0, 1, 1, 1, 0]);
    expect(g((v) => np.nanmean(v, 1))).toEqual([0.5, 0, 0.5, 0.5, 0.5, 0]);
    const clean = f64([
      [0.5, 1.25, -1.5],
      [2.0, 0.25, 0.75],
    ]);
    checkGrads((v: NdArray) => np.nanstd(v, 1), [clean], 2);
    checkGrads((v: NdArray) => np.nanmean(v, 0), [clean], 1);
  });
  it("vmap and jit", () => {
    const x = An();
    const f = (v: NdArray) => np.nanstd(v);
    expect(vals(vmap(f)(x))).toEqual([0, 1, 2].map((i) => f(x.get(i)).item()));
    expect(vals(jit((v: NdArray) => np.nanmax(v, 0))(x))).toEqual(vals(np.nanmax(x, 0)));
  });
});

function gradOf(f: (v: NdArray) => NdArray, x: NdArray): NdArray {
  return grad(f)(x) as NdArray;
}

describe("interp", () => {
  const xp = [0.0, 1.0, 1.5, 3.0, 4.0];
  const fp = [1.0, -2.0, 0.5, 3.0, 2.0];
  const xq = [-1.0, 0.0, 0.3, 1.25, 2.0, 3.0, 3.9, 4.0, 5.5];
  it("values, left/right, period", () => {
    close(np.interp(f64(xq), f64(xp), f64(fp)), R.interp);
    close(np.interp(f64(xq), f64(xp), f64(fp), -10, 10), R.interp_lr);
    close(
      np.interp(f64([-180, -45, 0, 45, 200, 400]), f64([-170, -10, 10, 170]), f64([1, 2, 3, 4]), { period: 360 }),
      R.interp_period,
    );
  });
  it("repeated xp (a zero-width segment) gives fp[i-1] and no NaN gradient", () => {
    const f = (x: NdArray) => np.interp(x, f64([0, 1, 1, 2]), f64([0, 1, 5, 6]));
    expect(vals(f(f64([0.5, 1, 1.5])))).toEqual([0.5, 5, 5.5]);
    expect(vals(gradOf((x) => np.sum(f(x)), f64([0.5, 1.5])))).toEqual([1, 1]);
  });
  it("gradients in x and fp", () => {
    checkGrads((x: NdArray, f: NdArray) => np.interp(x, f64(xp), f), [f64([0.2, 1.2, 2.2, 3.3]), f64(fp)], 1);
  });
  it("vmap over x and over fp; jit", () => {
    const xs = f64([
      [0.2, 1.2],
      [2.2, 3.3],
    ]);
    const fps = f64([fp, fp.map((v) => 2 * v)]);
    const out = vmap((x: NdArray, f: NdArray) => np.interp(x, f64(xp), f))(xs, fps);
    for (let i = 0; i < 2; i++) expect(vals(out.get(i))).toEqual(vals(np.interp(xs.get(i), f64(xp), fps.get(i))));
    expect(vals(jit((x: NdArray) => np.interp(x, f64(xp), f64(fp)))(f64(xq)))).toEqual(
      vals(np.interp(f64(xq), f64(xp), f64(fp))),
    );
  });
  it("bad input", () => {
    expect(() => np.interp(1, [[1, 2]], [1, 2])).toThrow(/one-dimensional/);
    expect(() => np.interp(1, [1, 2, 3], [1, 2])).toThrow(/same length/);
    expect(() => np.interp(1, [1, 2], [1, 2], { period: 0 })).toThrow(/non-zero/);
  });
});

describe("searchsorted", () => {
  const a = [1.0, 2.0, 2.0, 3.5, 7.0];
  const v = [
    [0.0, 1.0, 2.0],
    [2.5, 7.0, 8.0],
  ];
  it("left, right, sorter; int32 results of v's shape", () => {
    const left = np.searchsorted(f64(a), f64(v));
    expect(left.dtype).toBe("int32");
    expect(left.tolist()).toEqual(R.ss_left);
    expect(np.searchsorted(f64(a), f64(v), "right").tolist()).toEqual(R.ss_right);
    const u = f64([3.5, 1.0, 7.0, 2.0, 2.0]);
    expect(np.searchsorted(u, f64(v), { sorter: np.argsort(u) }).tolist()).toEqual(R.ss_sorter);
    expect(np.searchsorted(f64(a), 2, { side: "right", method: "compare_all" }).item()).toBe(3);
  });
  it("NaNs sort last; empty a gives 0; every length up to 9 against a linear scan", () => {
    expect(np.searchsorted([1, 2, NaN], [NaN, 3]).tolist()).toEqual([2, 2]);
    expect(np.searchsorted(np.zeros([0]), [1, 2]).tolist()).toEqual([0, 0]);
    for (let n = 1; n <= 9; n++) {
      const xs = Array.from({ length: n }, (_, i) => Math.floor(i / 2));
      const qs = [-1, 0, 0.5, 1, 2, 3, 4, 5];
      for (const side of ["left", "right"] as const) {
        const want = qs.map((q) => xs.filter((x) => (side === "left" ? x < q : x <= q)).length);
        expect(np.searchsorted(xs, qs, side).tolist()).toEqual(want);
      }
    }
  });
  it("vmap over v and over a; jit", () => {
    const as = f64([a, a.map((x) => x * 2)]);
    const out = vmap((s: NdArray) => np.searchsorted(s, f64([2, 5])))(as);
    expect(out.tolist()).toEqual([
      [1, 4],
      [0, 3],
    ]);
    expect(jit((q: NdArray) => np.searchsorted(f64(a), q))(f64(v)).tolist()).toEqual(R.ss_left);
  });
  it("bad input", () => {
    expect(() => np.searchsorted([[1, 2]], 1)).toThrow(/1-dimensional/);
    expect(() => np.searchsorted([1, 2], 1, { side: "middle" as never })).toThrow(OptionError);
    expect(() => np.searchsorted([1, 2], 1, { sorter: [0.5, 1] })).toThrow(ShapeError);
  });
});

describe("histogram, histogramBinEdges", () => {
  it("int bins, range, edges, weights, density", () => {
    const x = f64(R.hx);
    const check = (out: [NdArray, NdArray], ref: readonly [Nested, Nested]) => {
      close(out[0], ref[0]);
      close(out[1], ref[1]);
    };
    check(np.histogram(x, 5), R.hist5 as never);
    check(np.histogram(x, 4, [-1, 1]), R.hist_range as never);
    check(np.histogram(x, { bins: [-2, -0.5, 0, 0.3, 2] }), R.hist_edges as never);
    check(np.histogram(x, 3, null, np.abs(x), true), R.hist_wd as never);
    check(np.histogram(x, { bins: 6, density: true }), R.hist_d as never);
    close(np.histogramBinEdges(x, 5), R.hist5[1] as Nested);
  });
  it("counts take the weights' dtype (int32 for int data, as JAX); a constant array widens by ±0.5", () => {
    const [c, e] = np.histogram(np.array([1, 2, 2, 5], "int32"), 2);
    expect([c.dtype, c.tolist(), e.tolist()]).toEqual(["int32", [3, 1], [1, 3, 5]]);
    expect(np.histogram([3, 3], 2)[1].tolist()).toEqual([2.5, 3, 3.5]);
  });
  it("jit and vmap (edges computed from traced min and max)", () => {
    const x = f64(R.hx);
    const [c, e] = jit((v: NdArray) => np.histogram(v, 5))(x);
    close(c, R.hist5[0] as Nested);
    close(e, R.hist5[1] as Nested);
    const rows = x.reshape([4, 6]);
    const [cs] = vmap((v: NdArray) => np.histogram(v, 3, [-2, 2]))(rows);
    for (let i = 0; i < 4; i++) expect(cs.get(i).tolist()).toEqual(np.histogram(rows.get(i), 3, [-2, 2])[0].tolist());
  });
  it("bad input", () => {
    expect(() => np.histogram([1, 2], { weights: [1] })).toThrow(/same shape/);
    expect(() => np.histogram([1, 2], { range: [1, 2, 3] })).toThrow(/range/);
    expect(() => np.histogram([1, 2], 0)).toThrow(OptionError);
    expect(() => np.histogram([1, 2], { bins: [[1, 2]] })).toThrow(ShapeError);
  });
});

describe("bincount", () => {
  const x = () => np.array([0, 1, 1, 3, 2, 1, 7], "int32");
  it("counts, weights, minlength, length; negatives in bin 0 as JAX", () => {
    expect(np.bincount(x()).tolist()).toEqual([1, 3, 1, 1, 0, 0, 0, 1]);
    expect(np.bincount(x()).dtype).toBe("int32");
    const w = f64([0.5, 1, 2, 3, 4, 5, 6]);
    expect(np.bincount(x(), w).tolist()).toEqual([0.5, 8, 4, 3, 0, 0, 0, 6]);
    expect(np.bincount(x(), { minlength: 10 }).shape).toEqual([10]);
    expect(np.bincount(x(), { length: 3 }).tolist()).toEqual([1, 3, 1]);
    expect(np.bincount(np.array([-2, 1], "int32")).tolist()).toEqual([1, 1]);
    expect(np.bincount(np.zeros([0], "int32")).shape).toEqual([0]);
  });
  it("traceable with length; a gradient in the weights", () => {
    expect(jit((v: NdArray) => np.bincount(v, { length: 4 }))(x()).tolist()).toEqual([1, 3, 1, 1]);
    const xs = np.array(
      [
        [0, 1],
        [2, 2],
      ],
      "int32",
    );
    expect(vmap((v: NdArray) => np.bincount(v, { length: 3 }))(xs).tolist()).toEqual([
      [1, 1, 0],
      [0, 0, 2],
    ]);
    const g = grad((w: NdArray) => np.sum(np.multiply(np.bincount(x(), w), f64([1, 2, 3, 4, 5, 6, 7, 8]))))(
      f64([1, 1, 1, 1, 1, 1, 1]),
    ) as NdArray;
    expect(g.tolist()).toEqual([1, 2, 2, 4, 3, 2, 8]);
  });
  it("bad input", () => {
    expect(() => np.bincount([0.5, 1])).toThrow(DTypeError);
    expect(() => np.bincount(np.array([[1]], "int32"))).toThrow(/1-dimensional/);
    expect(() => np.bincount(x(), [1, 2])).toThrow(/shape of weights/);
    expect(() => jit((v: NdArray) => np.bincount(v))(x())).toThrow(ConcretizationError);
    expect(() => jit((v: NdArray) => np.bincount(v))(x())).toThrow(/length/);
  });
});

describe("unique", () => {
  it("values, index, inverse (input's shape), counts; NaNs merged (equalNan)", () => {
    const x = f64([
      [3, 1, 3],
      [NaN, 2, NaN],
    ]);
    const [u, idx, inv, cnt] = np.unique(x, true, true, true) as NdArray[];
    expect(flat(u.tolist() as Nested).map(String)).toEqual(["1", "2", "3", "NaN"]);
    expect(idx.tolist()).toEqual([1, 4, 0, 3]);
    expect(inv.tolist()).toEqual([
      [2, 0, 2],
      [3, 1, 3],
    ]);
    expect(cnt.tolist()).toEqual([1, 1, 2, 2]);
    expect((np.unique([NaN, NaN], { equalNan: false }) as NdArray).shape).toEqual([2]);
  });
  it("size and fillValue pad (or cut) so that it traces", () => {
    const x = np.array([3, 1, 3, 2], "int32");
    const [u, i, c] = np.unique(x, { size: 5, fillValue: -1, returnIndex: true, returnCounts: true }) as NdArray[];
    expect([u.tolist(), i.tolist(), c.tolist()]).toEqual([
      [1, 2, 3, -1, -1],
      [1, 3, 0, 1, 1],
      [1, 1, 2, 0, 0],
    ]);
    expect((np.unique(x, { size: 5 }) as NdArray).tolist()).toEqual([1, 2, 3, 1, 1]);
    expect((np.unique(x, { size: 2, returnCounts: true }) as NdArray[]).map((a) => a.tolist())).toEqual([
      [1, 2],
      [1, 1],
    ]);
    const f = jit((v: NdArray) => np.unique(v, { size: 4, fillValue: 0, returnInverse: true }) as NdArray[]);
    expect(f(x).map((a) => a.tolist())).toEqual([
      [1, 2, 3, 0],
      [2, 0, 2, 1],
    ]);
    const rows = np.array(
      [
        [1, 1, 2],
        [5, 4, 5],
      ],
      "int32",
    );
    expect(vmap((v: NdArray) => np.unique(v, { size: 3, fillValue: 0 }) as NdArray)(rows).tolist()).toEqual([
      [1, 2, 0],
      [4, 5, 0],
    ]);
  });
  it("along an axis: unique rows, sorted lexicographically", () => {
    const m = np.array(
      [
        [1, 0, 2],
        [0, 1, 1],
        [1, 0, 2],
        [0, 1, 0],
      ],
      "int32",
    );
    const [u, inv, cnt] = np.unique(m, { axis: 0, returnInverse: true, returnCounts: true }) as NdArray[];
    expect(u.tolist()).toEqual([
      [0, 1, 0],
      [0, 1, 1],
      [1, 0, 2],
    ]);
    expect(inv.tolist()).toEqual([2, 1, 2, 0]);
    expect(cnt.tolist()).toEqual([1, 1, 2]);
    expect((np.unique(m, { axis: 1 }) as NdArray).tolist()).toEqual([
      [0, 1, 2],
      [1, 0, 1],
      [0, 1, 2],
      [1, 0, 0],
    ]);
  });
  it("empty input; bad input", () => {
    expect((np.unique(np.zeros([0])) as NdArray).shape).toEqual([0]);
    expect((np.unique(np.zeros([0]), { size: 2, fillValue: 7 }) as NdArray).tolist()).toEqual([7, 7]);
    expect(() => jit((v: NdArray) => np.unique(v) as NdArray)(np.array([1, 2]))).toThrow(ConcretizationError);
    expect(() => jit((v: NdArray) => np.unique(v) as NdArray)(np.array([1, 2]))).toThrow(/size/);
    expect(() => np.unique([1, 2], { axis: 3 })).toThrow(/axis/);
    expect(() => np.unique([1, 2], { size: -1 })).toThrow(OptionError);
  });
});

describe("digitize", () => {
  const x = [0.2, 6.4, 3.0, 1.6, 4, 10, -1, 11];
  it("increasing and decreasing bins, right (NumPy's values)", () => {
    expect(np.digitize(f64(x), f64([0, 1, 2.5, 4, 10])).tolist()).toEqual([1, 4, 3, 2, 4, 5, 0, 5]);
    expect(np.digitize(f64(x), f64([0, 1, 2.5, 4, 10]), true).tolist()).toEqual([1, 4, 3, 2, 3, 4, 0, 5]);
    expect(np.digitize(f64(x), f64([10, 4, 2.5, 1, 0])).tolist()).toEqual([4, 1, 2, 3, 1, 0, 5, 0]);
    expect(np.digitize(f64(x), f64([10, 4, 2.5, 1, 0]), { right: true }).tolist()).toEqual([4, 1, 2, 3, 2, 1, 5, 0]);
    expect(np.digitize(f64(x), np.zeros([0], "float64")).tolist()).toEqual(x.map(() => 0));
  });
  it("jit and vmap; bad input", () => {
    const bins = f64([0, 1, 2.5, 4, 10]);
    expect(jit((v: NdArray) => np.digitize(v, bins))(f64(x)).tolist()).toEqual([1, 4, 3, 2, 4, 5, 0, 5]);
    const rows = f64([x.slice(0, 4), x.slice(4)]);
    expect(vmap((v: NdArray) => np.digitize(v, bins))(rows).tolist()).toEqual([
      [1, 4, 3, 2],
      [4, 5, 0, 5],
    ]);
    expect(() => np.digitize(f64(x), [[1, 2]])).toThrow(/1-dimensional/);
  });
});

describe("float32 (the default dtype) keeps its dtype and float32 accuracy", () => {
  it("results are float32 and within float32 rounding of the float64 references", () => {
    config.update("enableX64", false);
    const a = np.array(flat(R.A), "float32").reshape([3, 5]);
    const an = np.array(flat(R.An), "float32").reshape([3, 5]);
    // Inputs rounded to float32 (2⁻²⁴ relative) and a few float32 operations: 1e-5 relative is ~100 ulps.
    const tol = { rtol: 1e-5, atol: 1e-6 };
    const cases: [NdArray, Nested][] = [
      [np.quantile(a, [0.1, 0.5, 0.93], 1), R.quantile_lin_A_q],
      [np.cov(a), R.cov_A],
      [np.corrcoef(a), R.corrcoef_A],
      [np.average(a, 1, [0.5, 1.0, 2.0, 0.25, 3.0]), R.avg_w_ax1],
      [np.nanstd(an, 1), R.nanstd1],
      [np.nanmean(an, 1), R.nanmean],
      [np.nanquantile(an, 0.4, 1), R.nanquantile],
    ];
    for (const [got, want] of cases) {
      expect(got.dtype).toBe("float32");
      close(got, want, tol);
    }
    const [c, e] = np.histogram(np.array(R.hx, "float32"), 5);
    expect([c.dtype, e.dtype]).toEqual(["float32", "float32"]);
    expect(np.interp(np.array([0.5], "float32"), [0, 1], [0, 2]).dtype).toBe("float32");
  });
});
