/** Cpu routines that fold along axes: reductions, argmax/argmin, cumulative scans and the stable sort. */
import { shapeSize, stridesOf } from "../../core/aval.js";
import type { NdArray } from "../../core/array.js";
import { allocate, type DType, type TypedArray } from "../../core/dtypes.js";
import type { CumulativeOp, Reducer } from "../../kernel/routines.js";
import { copyStrided } from "./strided.js";
import type { CpuRoutines } from "./table.js";

/** The sum's combine, recognised by identity so the sum loop can inline it. */
const ADD = (a: number, b: number): number => a + b;

/** Each reducer's starting value and combine (a NaN wins max and min, as in NumPy). */
const REDUCERS: Record<Reducer, [number, (a: number, b: number) => number]> = {
  sum: [0, ADD],
  max: [-Infinity, (a, b) => (b > a || b !== b ? b : a)],
  min: [Infinity, (a, b) => (b < a || b !== b ? b : a)],
  prod: [1, (a, b) => a * b],
  and: [1, (a, b) => (a && b ? 1 : 0)],
  or: [0, (a, b) => (a || b ? 1 : 0)],
};

/** Folds `combine` over `axes`, starting from `init`, in float64; `n` results of `dtype`. */
function reduceKernel(
  x: NdArray,
  axes: number[],
  init: number,
  combine: (a: number, b: number) => number,
  dtype: DType,
  n: number,
): TypedArray {
  const shape = x.aval.shape;
  const acc = new Float64Array(n).fill(init);
  // View the input as [outer, R, inner] with the reduced axes as the middle block
  // (moving them last first when they are not adjacent), then run plain loops.
  const sorted = [...axes].sort((a, b) => a - b);
  const adjacent = sorted.every((a, i) => i === 0 || a === sorted[i - 1] + 1);
  let src = x._data!;
  let outer: number, r: number, inner: number;
  const size = (from: number, to: number) => shape.slice(from, to).reduce((a, b) => a * b, 1);
  if (sorted.length === 0) [outer, r, inner] = [x.size, 1, 1];
  else if (adjacent) {
    outer = size(0, sorted[0]);
    r = size(sorted[0], sorted[sorted.length - 1] + 1);
    inner = size(sorted[sorted.length - 1] + 1, shape.length);
  } else {
    const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const perm = [...kept, ...sorted];
    const moved = allocate(x.dtype, x.size);
    const strides = stridesOf(shape);
    copyStrided(
      src,
      0,
      perm.map((p) => strides[p]),
      perm.map((p) => shape[p]),
      moved,
    );
    src = moved;
    [outer, r, inner] = [n, x.size / Math.max(n, 1), 1];
  }
  if (combine === ADD && inner === 1) {
    // Reducing trailing axes: one running sum per output.
    for (let o = 0; o < outer; o++) {
      let sum = 0;
      for (let k = o * r, end = k + r; k < end; k++) sum += src[k];
      acc[o] = sum;
    }
  } else if (combine === ADD) {
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < r; k++) {
        const base = (o * r + k) * inner;
        for (let i = 0; i < inner; i++) acc[o * inner + i] += src[base + i];
      }
    }
  } else {
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < r; k++) {
        const base = (o * r + k) * inner;
        for (let i = 0; i < inner; i++) acc[o * inner + i] = combine(acc[o * inner + i], src[base + i]);
      }
    }
  }
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++) out[i] = acc[i];
  return out;
}

/** Index of the first extreme value along one axis; a NaN counts as the extreme, as in NumPy. */
function argKernel(x: NdArray, axis: number, better: (a: number, b: number) => boolean, dtype: DType): TypedArray {
  const shape = x.aval.shape;
  const n = shape[axis];
  const inner = stridesOf(shape)[axis];
  const outer = x.size / (n * inner || 1);
  const out = allocate(dtype, outer * inner);
  const src = x._data!;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = 0;
      let bestVal = src[o * n * inner + i];
      for (let k = 1; k < n && bestVal === bestVal; k++) {
        const v = src[o * n * inner + k * inner + i];
        if (better(v, bestVal) || v !== v) {
          best = k;
          bestVal = v;
        }
      }
      out[o * inner + i] = best;
    }
  }
  return out;
}

const BETTER = {
  argmax: (a: number, b: number) => a > b,
  argmin: (a: number, b: number) => a < b,
};

/** Each scan's combine (a NaN propagates through cummax and cummin). */
const SCANS: Record<CumulativeOp, (a: number, b: number) => number> = {
  cumsum: (a, b) => a + b,
  cumprod: (a, b) => a * b,
  cummax: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  cummin: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
};

function cumKernel(x: NdArray, axis: number, reverse: boolean, combine: (a: number, b: number) => number): TypedArray {
  const shape = x.aval.shape;
  const n = shape[axis];
  const inner = stridesOf(shape)[axis];
  const outer = n === 0 ? 0 : x.size / (n * inner);
  const src = x._data!;
  const out = allocate(x.dtype, src.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = NaN;
      for (let s = 0; s < n; s++) {
        const k = reverse ? n - 1 - s : s;
        const at = o * n * inner + k * inner + i;
        acc = s === 0 ? src[at] : combine(acc, src[at]);
        out[at] = acc;
      }
    }
  }
  return out;
}

/** Total order with NaN last and -0 before +0 (as a stable sort on floats in NumPy). */
function compare(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKernel(xs: NdArray[], dimension: number, numKeys: number): TypedArray[] {
  const shape = xs[0].aval.shape;
  const n = shape[dimension];
  const inner = stridesOf(shape)[dimension];
  const outer = n === 0 ? 0 : xs[0].size / (n * inner);
  const srcs = xs.map((x) => x._data!);
  const outs = xs.map((x) => allocate(x.dtype, x.size));
  const order = new Array<number>(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number) => o * n * inner + k * inner + i;
      for (let k = 0; k < n; k++) order[k] = k;
      order.sort((p, q) => {
        for (let key = 0; key < numKeys; key++) {
          const c = compare(srcs[key][at(p)], srcs[key][at(q)]);
          if (c !== 0) return c;
        }
        return p - q;
      });
      for (let k = 0; k < n; k++) srcs.forEach((s, j) => (outs[j][at(k)] = s[at(order[k])]));
    }
  }
  return outs;
}

export const reduceRoutines: Pick<CpuRoutines, "reduce" | "argreduce" | "cumulative" | "sort"> = {
  reduce: ({ reducer, axes }, [x], [o]) => {
    const [init, combine] = REDUCERS[reducer];
    return [reduceKernel(x, axes, init, combine, o.dtype, shapeSize(o.shape))];
  },
  argreduce: ({ which, axis }, [x], [o]) => [argKernel(x, axis, BETTER[which], o.dtype)],
  cumulative: ({ op, axis, reverse }, [x]) => [cumKernel(x, axis, reverse, SCANS[op])],
  sort: ({ dimension, numKeys }, xs) => sortKernel(xs, dimension, numKeys),
};
