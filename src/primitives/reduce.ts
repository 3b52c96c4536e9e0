/**
 * Reductions over a set of axes: reduce_sum, reduce_max, reduce_min,
 * reduce_prod, reduce_and, reduce_or, and argmax / argmin over one axis.
 */
import { ShapedArray } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { definePrimitive, type Primitive } from "../core/primitive.js";
import { bind1, currentTrace, type MaybeZero } from "../core/trace.js";
import type { Reducer } from "../kernel/routines.js";
import { moveAxis } from "./batching.js";
import { broadcastInDim, reshape } from "./structural.js";
import { convert, div, eq, mul } from "./elementwise.js";
import { range } from "./shapes.js";
import { jvpFlat } from "../interpreters/jvp.js";
import { sliceAxis, padAxis } from "./slicing.js";
import { lowerArgReduce, lowerReduce } from "../ir/stablehlo-reduce.js";

interface AxesParams {
  axes: number[];
}

function reducedShape(shape: readonly number[], axes: number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

function reduceAval([x]: ShapedArray[], { axes }: AxesParams, dtype?: DType): ShapedArray {
  return new ShapedArray(reducedShape(x.shape, axes), dtype ?? x.dtype, dtype ? false : x.weakType);
}

/** The routine folding `reducer` over the params' axes. */
const reduceLowering =
  (reducer: Reducer) =>
  (_avals: ShapedArray[], { axes }: AxesParams) =>
    ({ name: "reduce", reducer, axes }) as const;

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
  lower: reduceLowering("sum"),
  jvp: ([x], [t], p) => [reduceSum(x, p.axes), reduceSum(t as NdArray, p.axes)],
  transpose: (ct, [x], { axes }) => [expandBack(ct, x.aval.shape, axes)],
  vmap: (a, d, p) => vmapReduce(reduceSumP)(a, d, p),
  printParams: ({ axes }) => ({ axes, out_sharding: null }),
  stablehlo: (c, [x], { axes }) => lowerReduce(c, "sum", x, axes),
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
  lower: reduceLowering("max"),
  jvp: (xs, ts, p) => chooserJvp(reduceMaxP)(xs, ts, p),
  vmap: (a, d, p) => vmapReduce(reduceMaxP)(a, d, p),
  printParams: ({ axes }) => ({ axes, out_sharding: null }),
  stablehlo: (c, [x], { axes }) => lowerReduce(c, "max", x, axes),
});

export const reduceMinP: Primitive = definePrimitive<AxesParams>({
  name: "reduce_min",
  abstractEval: (avals, p) => reduceAval(avals, p),
  lower: reduceLowering("min"),
  jvp: (xs, ts, p) => chooserJvp(reduceMinP)(xs, ts, p),
  vmap: (a, d, p) => vmapReduce(reduceMinP)(a, d, p),
  printParams: ({ axes }) => ({ axes, out_sharding: null }),
  stablehlo: (c, [x], { axes }) => lowerReduce(c, "min", x, axes),
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
  lower: reduceLowering("prod"),
  jvp: ([x], [t], { axes }) => {
    const ans = bind1(reduceProdP as Primitive, [x], { axes });
    const [, [tOut]] = jvpFlat(([y]) => [prodComposite(y, axes)], [x], [t], currentTrace());
    return [ans, tOut];
  },
  vmap: (a, d, p) => vmapReduce(reduceProdP)(a, d, p),
  printParams: ({ axes }) => ({ axes, out_sharding: null }),
  stablehlo: (c, [x], { axes }) => lowerReduce(c, "prod", x, axes),
});

export const reduceAndP: Primitive = definePrimitive<AxesParams>({
  name: "reduce_and",
  abstractEval: (avals, p) => reduceAval(avals, p),
  lower: reduceLowering("and"),
  jvp: "zero",
  vmap: (a, d, p) => vmapReduce(reduceAndP)(a, d, p),
  stablehlo: (c, [x], { axes }) => lowerReduce(c, "and", x, axes),
});

export const reduceOrP: Primitive = definePrimitive<AxesParams>({
  name: "reduce_or",
  abstractEval: (avals, p) => reduceAval(avals, p),
  lower: reduceLowering("or"),
  jvp: "zero",
  vmap: (a, d, p) => vmapReduce(reduceOrP)(a, d, p),
  stablehlo: (c, [x], { axes }) => lowerReduce(c, "or", x, axes),
});

// --- argmax / argmin ---------------------------------------------------------

interface ArgParams {
  axes: number[];
  indexDtype: DType;
}

function defineArg(name: "argmax" | "argmin"): Primitive {
  const prim: Primitive = definePrimitive<ArgParams>({
    name,
    abstractEval: ([x], p) => reduceAval([x], p, p.indexDtype),
    lower: (_avals, { axes }) => ({ name: "argreduce", which: name, axis: axes[0] }),
    jvp: "zero",
    vmap: ([x], [d], p) => [bind1(prim as Primitive, [moveAxis(x, d!, 0)], { ...p, axes: [p.axes[0] + 1] }), 0],
    printParams: ({ axes, indexDtype }) => ({ axes, index_dtype: indexDtype }),
    stablehlo: (c, [x], { axes }) => lowerArgReduce(c, name, x, axes[0]),
  });
  return prim;
}

export const argmaxP = defineArg("argmax");
export const argminP = defineArg("argmin");
