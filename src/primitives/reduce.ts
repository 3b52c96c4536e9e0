/**
 * Reductions over a set of axes: reduce_sum, reduce_max, reduce_min,
 * reduce_prod, reduce_and, reduce_or, and argmax / argmin over one axis.
 */
import { ShapedArray, stridesOf } from "../core/aval.js";
import { hostArray, NdArray } from "../core/array.js";
import { allocate, type DType } from "../core/dtypes.js";
import { definePrimitive, type Primitive } from "../core/primitive.js";
import { bind1, currentTrace, type MaybeZero } from "../core/trace.js";
import { copyStrided } from "../backends/cpu/strided.js";
import { wasmReduce } from "../backends/dispatch.js";
import { moveAxis } from "./batching.js";
import { broadcastInDim, reshape } from "./structural.js";
import { convert, div, eq, mul } from "./elementwise.js";
import { range } from "./shapes.js";
import { jvpFlat } from "../interpreters/jvp.js";
import { sliceAxis, padAxis } from "./slicing.js";

interface AxesParams {
  axes: number[];
}

function reducedShape(shape: readonly number[], axes: number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

function reduceAval([x]: ShapedArray[], { axes }: AxesParams, dtype?: DType): ShapedArray {
  return new ShapedArray(reducedShape(x.shape, axes), dtype ?? x.dtype, dtype ? false : x.weakType);
}

/** Folds `combine` over `axes`, starting from `init`, in float64. */
function reduceKernel(
  x: NdArray,
  axes: number[],
  init: number,
  combine: (a: number, b: number) => number,
  dtype: DType = x.dtype,
): NdArray {
  const shape = x.aval.shape;
  const outShape = reducedShape(shape, axes);
  const n = outShape.reduce((a, b) => a * b, 1);
  const acc = new Float64Array(n).fill(init);
  // View the input as [outer, R, inner] with the reduced axes as the middle block
  // (moving them last first when they are not adjacent), then run plain loops.
  const sorted = [...axes].sort((a, b) => a - b);
  const adjacent = sorted.every((a, i) => i === 0 || a === sorted[i - 1] + 1);
  let src = x._data!;
  let outer: number, r: number, inner: number;
  const size = (from: number, to: number, sh: readonly number[]) => sh.slice(from, to).reduce((a, b) => a * b, 1);
  if (sorted.length === 0) [outer, r, inner] = [x.size, 1, 1];
  else if (adjacent) {
    outer = size(0, sorted[0], shape);
    r = size(sorted[0], sorted[sorted.length - 1] + 1, shape);
    inner = size(sorted[sorted.length - 1] + 1, shape.length, shape);
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
  return hostArray(new ShapedArray(outShape, dtype, dtype === x.dtype && x.weakType), out);
}

/** The sum's combine, recognised by identity so the sum loop can inline it. */
const ADD = (a: number, b: number): number => a + b;

/** Batching for reductions: batch axis first, reduced axes shifted by one. */
function vmapReduce(prim: Primitive) {
  return ([x]: NdArray[], [d]: (number | null)[], p: AxesParams): [NdArray, number] => [
    bind1(prim as Primitive, [moveAxis(x, d!, 0)], { ...p, axes: p.axes.map((a) => a + 1) }),
    0,
  ];
}

/** The output broadcast back to the input's shape (kept axes in place). */
function expandBack(y: NdArray, shape: readonly number[], axes: number[]): NdArray {
  const kept = range(shape.length).filter((i) => !axes.includes(i));
  return broadcastInDim(y, shape, kept);
}

export const reduceSumP: Primitive = definePrimitive<AxesParams>({
  name: "reduce_sum",
  abstractEval: (avals, p) => reduceAval(avals, p),
  impl: ([x], { axes }) => wasmReduce("sum", x, axes) ?? reduceKernel(x, axes, 0, ADD),
  jvp: ([x], [t], p) => [reduceSum(x, p.axes), reduceSum(t as NdArray, p.axes)],
  transpose: (ct, [x], { axes }) => [expandBack(ct, x.aval.shape, axes)],
  vmap: (a, d, p) => vmapReduce(reduceSumP)(a, d, p),
  printParams: ({ axes }) => ({ axes, out_sharding: null }),
});

export function reduceSum(x: NdArray, axes: number[]): NdArray {
  if (axes.length === 0) return x;
  return bind1(reduceSumP, [x], { axes: [...axes].sort((a, b) => a - b) });
}

/**
 * d max = Σ t·[x = max] / #[x = max]: ties share the derivative equally, as in JAX.
 */
function chooserJvp(prim: Primitive) {
  return ([x]: NdArray[], [t]: MaybeZero[], p: AxesParams): [NdArray, MaybeZero] => {
    const ans = bind1(prim as Primitive, [x], p);
    const where = convert(eq(x, expandBack(ans, x.aval.shape, p.axes)), x.dtype);
    const counts = reduceSum(where, p.axes);
    return [ans, div(reduceSum(mul(t as NdArray, where), p.axes), counts)];
  };
}

export const reduceMaxP: Primitive = definePrimitive<AxesParams>({
  name: "reduce_max",
  abstractEval: (avals, p) => reduceAval(avals, p),
  impl: ([x], { axes }) =>
    wasmReduce("max", x, axes) ?? reduceKernel(x, axes, -Infinity, (a, b) => (b > a || b !== b ? b : a)),
  jvp: (xs, ts, p) => chooserJvp(reduceMaxP)(xs, ts, p),
  vmap: (a, d, p) => vmapReduce(reduceMaxP)(a, d, p),
  printParams: ({ axes }) => ({ axes, out_sharding: null }),
});

export const reduceMinP: Primitive = definePrimitive<AxesParams>({
  name: "reduce_min",
  abstractEval: (avals, p) => reduceAval(avals, p),
  impl: ([x], { axes }) => reduceKernel(x, axes, Infinity, (a, b) => (b < a || b !== b ? b : a)),
  jvp: (xs, ts, p) => chooserJvp(reduceMinP)(xs, ts, p),
  vmap: (a, d, p) => vmapReduce(reduceMinP)(a, d, p),
  printParams: ({ axes }) => ({ axes, out_sharding: null }),
});

/**
 * Product over one axis as a tree of pairwise products (the axis halves, padded
 * with a one when odd). Built from differentiable primitives, so its JVP is
 * exact even where some factors are zero.
 */
function prodTree(x: NdArray, axis: number): NdArray {
  let y = x;
  while (y.aval.shape[axis] > 1) {
    const n = y.aval.shape[axis];
    if (n % 2 === 1) y = padAxis(y, axis, 0, 1, 1);
    const half = y.aval.shape[axis] / 2;
    y = mul(sliceAxis(y, axis, 0, half), sliceAxis(y, axis, half, 2 * half));
  }
  return reshape(
    y,
    y.aval.shape.filter((_, i) => i !== axis),
  );
}

function prodComposite(x: NdArray, axes: number[]): NdArray {
  // Move reduced axes last and flatten them into one axis.
  const kept = range(x.ndim).filter((i) => !axes.includes(i));
  const moved = kept.length ? transposeTo(x, [...kept, ...axes]) : x;
  const keptShape = kept.map((i) => x.aval.shape[i]);
  const n = axes.reduce((a, i) => a * x.aval.shape[i], 1);
  return prodTree(reshape(moved, [...keptShape, n]), keptShape.length);
}

import { transpose as transposeTo } from "./structural.js";

export const reduceProdP: Primitive = definePrimitive<AxesParams>({
  name: "reduce_prod",
  abstractEval: (avals, p) => reduceAval(avals, p),
  impl: ([x], { axes }) => reduceKernel(x, axes, 1, (a, b) => a * b),
  jvp: ([x], [t], { axes }) => {
    const ans = bind1(reduceProdP as Primitive, [x], { axes });
    const [, [tOut]] = jvpFlat(([y]) => [prodComposite(y, axes)], [x], [t], currentTrace());
    return [ans, tOut];
  },
  vmap: (a, d, p) => vmapReduce(reduceProdP)(a, d, p),
  printParams: ({ axes }) => ({ axes, out_sharding: null }),
});

export const reduceAndP: Primitive = definePrimitive<AxesParams>({
  name: "reduce_and",
  abstractEval: (avals, p) => reduceAval(avals, p),
  impl: ([x], { axes }) => reduceKernel(x, axes, 1, (a, b) => (a && b ? 1 : 0)),
  jvp: "nondifferentiable",
  vmap: (a, d, p) => vmapReduce(reduceAndP)(a, d, p),
});

export const reduceOrP: Primitive = definePrimitive<AxesParams>({
  name: "reduce_or",
  abstractEval: (avals, p) => reduceAval(avals, p),
  impl: ([x], { axes }) => reduceKernel(x, axes, 0, (a, b) => (a || b ? 1 : 0)),
  jvp: "nondifferentiable",
  vmap: (a, d, p) => vmapReduce(reduceOrP)(a, d, p),
});

// --- argmax / argmin ---------------------------------------------------------

interface ArgParams {
  axes: number[];
  indexDtype: DType;
}

/** Index of the first extreme value along one axis; a NaN counts as the extreme, as in NumPy. */
function argKernel(x: NdArray, axis: number, better: (a: number, b: number) => boolean): NdArray {
  const shape = x.aval.shape;
  const n = shape[axis];
  const inner = stridesOf(shape)[axis];
  const outer = x.size / (n * inner || 1);
  const out = new Int32Array(outer * inner);
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
  return hostArray(new ShapedArray(reducedShape(shape, [axis]), "int32"), out);
}

function defineArg(name: string, better: (a: number, b: number) => boolean): Primitive {
  const prim: Primitive = definePrimitive<ArgParams>({
    name,
    abstractEval: ([x], p) => reduceAval([x], p, p.indexDtype),
    impl: ([x], { axes }) => argKernel(x, axes[0], better),
    jvp: "nondifferentiable",
    vmap: ([x], [d], p) => [bind1(prim as Primitive, [moveAxis(x, d!, 0)], { ...p, axes: [p.axes[0] + 1] }), 0],
    printParams: ({ axes, indexDtype }) => ({ axes, index_dtype: indexDtype }),
  });
  return prim;
}

export const argmaxP = defineArg("argmax", (a, b) => a > b);
export const argminP = defineArg("argmin", (a, b) => a < b);
