/** Option cases for numpy's statistics: averages, covariances, quantiles, nan-reductions, searching and counting. */
import { numpy as np } from "../../src/index.js";
import type { OptionTableEntry } from "./table.js";

const x = np.array([
  [1.5, -2, 3, 0.25],
  [4, NaN, -6, 2],
]);
const clean = np.array([
  [1.5, -2, 3, 0.25],
  [4, 5, -6, 2],
]);
const mask = np.array([
  [true, false, true, true],
  [true, true, false, true],
]);
const ints = np.array([0, 1, 1, 3, 2], "int32");
const F = np as unknown as Record<string, (...a: unknown[]) => unknown>;
const call =
  (f: (...a: unknown[]) => unknown, ...required: unknown[]) =>
  (...o: unknown[]) =>
    f(...required, ...o);

const quantileLike = (op: "quantile" | "percentile" | "nanquantile" | "nanpercentile"): OptionTableEntry => ({
  op,
  call: call(F[op], x, op.endsWith("percentile") ? [25, 50] : [0.25, 0.5]),
  cases: [
    { positional: [1], object: { axis: 1 } },
    { positional: [[0, 1], null], object: { axis: [0, 1], out: null } },
    { positional: [0, null, true, "lower"], object: { axis: 0, overwriteInput: true, method: "lower" } },
    {
      positional: [1, null, false, "midpoint", true],
      object: { axis: 1, method: "midpoint", keepdims: true },
      mixed: [[1], { method: "midpoint", keepdims: true }],
    },
  ],
});

const medianLike = (op: "median" | "nanmedian"): OptionTableEntry => ({
  op,
  call: call(F[op], x),
  cases: [
    { positional: [1], object: { axis: 1 } },
    { positional: [0, null, true, true], object: { axis: 0, out: null, overwriteInput: true, keepdims: true } },
  ],
});

const nanExtreme = (op: "nanmax" | "nanmin"): OptionTableEntry => ({
  op,
  call: call(F[op], x),
  cases: [
    { positional: [1], object: { axis: 1 } },
    { positional: [0, null, true], object: { axis: 0, out: null, keepdims: true } },
    { positional: [1, null, false, 0, mask], object: { axis: 1, initial: 0, where: mask } },
  ],
});

const nanVar = (op: "nanvar" | "nanstd"): OptionTableEntry => ({
  op,
  call: call(F[op], x),
  cases: [
    { positional: [1], object: { axis: 1 } },
    {
      positional: [0, "float32", null, 1, true],
      object: { axis: 0, dtype: "float32", out: null, ddof: 1, keepdims: true },
    },
    { positional: [1, null, null, 0, false, mask], object: { axis: 1, where: mask } },
  ],
  keywordOnly: [{ axis: 1, correction: 1 }],
});

export const statisticsOptions: OptionTableEntry[] = [
  ...(["quantile", "percentile", "nanquantile", "nanpercentile"] as const).map(quantileLike),
  ...(["median", "nanmedian"] as const).map(medianLike),
  ...(["nanmax", "nanmin"] as const).map(nanExtreme),
  ...(["nanvar", "nanstd"] as const).map(nanVar),
  {
    op: "average",
    call: call(np.average as never, clean),
    cases: [
      { positional: [1], object: { axis: 1 } },
      { positional: [1, [1, 2, 3, 4]], object: { axis: 1, weights: [1, 2, 3, 4] } },
      {
        positional: [0, null, true, true],
        object: { axis: 0, returned: true, keepdims: true },
        mixed: [[0], { returned: true, keepdims: true }],
      },
    ],
  },
  {
    op: "cov",
    call: call(np.cov as never, clean),
    cases: [
      { positional: [[1, 2, 3, 4]], object: { y: [1, 2, 3, 4] } },
      { positional: [null, false], object: { rowvar: false } },
      { positional: [null, true, true], object: { bias: true } },
      { positional: [null, true, false, 2], object: { ddof: 2 } },
      {
        positional: [null, true, false, null, np.array([1, 2, 1, 1], "int32"), [0.5, 1, 1, 2]],
        object: { fweights: np.array([1, 2, 1, 1], "int32"), aweights: [0.5, 1, 1, 2] },
      },
    ],
  },
  {
    op: "corrcoef",
    call: call(np.corrcoef as never, clean),
    cases: [
      { positional: [[1, 2, 3, 4]], object: { y: [1, 2, 3, 4] } },
      { positional: [null, false], object: { rowvar: false } },
    ],
  },
  {
    op: "nansum",
    call: call(np.nansum as never, x),
    cases: [
      { positional: [1], object: { axis: 1 } },
      { positional: [0, "float32", null, true], object: { axis: 0, dtype: "float32", out: null, keepdims: true } },
      { positional: [null, null, null, false, 10, mask], object: { initial: 10, where: mask } },
    ],
  },
  {
    op: "nanmean",
    call: call(np.nanmean as never, x),
    cases: [
      { positional: [1], object: { axis: 1 } },
      { positional: [0, "float32", null, true], object: { axis: 0, dtype: "float32", out: null, keepdims: true } },
      { positional: [1, null, null, false, mask], object: { axis: 1, where: mask } },
    ],
  },
  {
    op: "searchsorted",
    call: call(np.searchsorted as never, [1, 2, 2, 4], [0, 2, 3, 5]),
    cases: [
      { positional: ["right"], object: { side: "right" } },
      { positional: ["left", [0, 1, 2, 3]], object: { side: "left", sorter: [0, 1, 2, 3] } },
    ],
    keywordOnly: [{ method: "sort" }, { method: "compare_all", side: "right" }],
  },
  {
    op: "digitize",
    call: call(np.digitize as never, [0.5, 2, 3.5], [0, 1, 2, 3]),
    cases: [{ positional: [true], object: { right: true } }],
    keywordOnly: [{ method: "scan" }, { method: null, right: false }],
  },
  {
    op: "interp",
    call: call(np.interp as never, [-1, 0.5, 2.5, 9], [0, 1, 2, 3], [5, 1, 4, 2]),
    cases: [
      { positional: [-10], object: { left: -10 } },
      { positional: [null, 10], object: { right: 10 } },
      { positional: [null, null, 4], object: { period: 4 } },
    ],
  },
  {
    op: "histogram",
    call: call(np.histogram as never, clean),
    cases: [
      { positional: [3], object: { bins: 3 } },
      { positional: [[-6, 0, 5]], object: { bins: [-6, 0, 5] } },
      { positional: [4, [-2, 2]], object: { bins: 4, range: [-2, 2] } },
      { positional: [2, null, clean, true], object: { bins: 2, weights: clean, density: true } },
    ],
  },
  {
    op: "histogramBinEdges",
    call: call(np.histogramBinEdges as never, clean),
    cases: [
      { positional: [3], object: { bins: 3 } },
      { positional: [4, [-2, 2], clean], object: { bins: 4, range: [-2, 2], weights: clean } },
    ],
  },
  {
    op: "bincount",
    call: call(np.bincount as never, ints),
    cases: [
      { positional: [[1, 2, 3, 4, 5]], object: { weights: [1, 2, 3, 4, 5] } },
      { positional: [null, 7], object: { minlength: 7 } },
    ],
    keywordOnly: [{ length: 2 }, { length: 6, minlength: 0 }],
  },
  {
    op: "unique",
    call: call(np.unique as never, np.array([3, 1, 3, 2, 1], "int32")),
    cases: [
      { positional: [true], object: { returnIndex: true } },
      { positional: [false, true, true], object: { returnInverse: true, returnCounts: true } },
      { positional: [false, false, false, 0], object: { axis: 0 } },
    ],
    keywordOnly: [{ size: 5, fillValue: -1 }, { equalNan: false, sorted: true }, { size: 2 }],
  },
];
