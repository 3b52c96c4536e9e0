/** Primitives that move data without arithmetic: reshape, broadcast_in_dim, transpose. */
import { ShapedArray, shapeSize, shapesEqual, shapeStr, type Shape } from "../core/aval.js";
import { retype, NdArray } from "../core/array.js";
import { ShapeError } from "../core/errors.js";
import { definePrimitive } from "../core/primitive.js";
import { bind1, Zero } from "../core/trace.js";
import type { Routine } from "../kernel/routines.js";
import { moveAxis } from "./batching.js";
import { reduceSum } from "./reduce.js";
import { invertPerm, range } from "./shapes.js";

// --- reshape ---------------------------------------------------------------

interface ReshapeParams {
  newSizes: number[];
}

export const reshapeP = definePrimitive<ReshapeParams>({
  name: "reshape",
  abstractEval([x], { newSizes }) {
    if (shapeSize(newSizes) !== x.size) {
      throw new ShapeError(
        `[reshape] cannot reshape an array of size ${x.size} into shape ${shapeStr(newSizes)}: got ${x.str()}, ` +
          `expected a shape with ${x.size} elements. Use -1 for one axis to infer its size.`,
      );
    }
    return new ShapedArray(newSizes, x.dtype, x.weakType);
  },
  // Arrays are immutable, so a reshape shares the buffer.
  impl: ([x], { newSizes }) => retype(x, new ShapedArray(newSizes, x.dtype, x.weakType)),
  jvp: ([x], [t], p) => [reshape(x, p.newSizes), t instanceof Zero ? t : reshape(t, p.newSizes)],
  transpose: (ct, [x]) => [reshape(ct, x.aval.shape)],
  vmap: ([x], [d], { newSizes }) => {
    const moved = moveAxis(x, d!, 0);
    return [reshape(moved, [moved.aval.shape[0], ...newSizes]), 0];
  },
  printParams: ({ newSizes }) => ({ dimensions: null, new_sizes: newSizes }),
  stablehlo: (c, [x]) => c.op(`stablehlo.reshape ${x} : ${c.fnType(c.inAvals, c.outAvals)}`)[0],
});

export function reshape(x: NdArray, shape: Shape): NdArray {
  if (shapesEqual(x.aval.shape, shape)) return x;
  return bind1(reshapeP, [x], { newSizes: [...shape] });
}

// --- broadcast_in_dim -------------------------------------------------------

interface BroadcastParams {
  shape: number[];
  broadcastDimensions: number[];
}

export const broadcastInDimP = definePrimitive<BroadcastParams>({
  name: "broadcast_in_dim",
  abstractEval([x], { shape, broadcastDimensions: bd }) {
    const ok =
      bd.length === x.ndim && bd.every((o, i) => o < shape.length && (x.shape[i] === 1 || x.shape[i] === shape[o]));
    if (!ok) {
      throw new ShapeError(
        `[broadcast_in_dim] cannot broadcast ${x.str()} to shape ${shapeStr(shape)} along dimensions ${shapeStr(bd)}: ` +
          `expected each operand axis to be 1 or equal to the output axis it maps to.`,
      );
    }
    return new ShapedArray(shape, x.dtype, x.weakType);
  },
  lower: (_avals, { broadcastDimensions }): Routine => ({ name: "broadcast_in_dim", broadcastDimensions }),
  jvp: ([x], [t], p) => [
    broadcastInDim(x, p.shape, p.broadcastDimensions),
    t instanceof Zero
      ? new Zero(new ShapedArray(p.shape, t.aval.dtype, t.aval.weakType))
      : broadcastInDim(t, p.shape, p.broadcastDimensions),
  ],
  transpose(ct, [x], { shape, broadcastDimensions: bd }) {
    const xShape = x.aval.shape;
    const summed = range(shape.length).filter((o) => {
      const i = bd.indexOf(o);
      return i < 0 || (xShape[i] === 1 && shape[o] !== 1);
    });
    return [reshape(reduceSum(ct, summed), xShape)];
  },
  vmap([x], [d], { shape, broadcastDimensions: bd }, size) {
    const moved = moveAxis(x, d!, 0);
    return [broadcastInDim(moved, [size, ...shape], [0, ...bd.map((o) => o + 1)]), 0];
  },
  printParams: ({ shape, broadcastDimensions }) => ({
    broadcast_dimensions: broadcastDimensions,
    shape,
    sharding: null,
  }),
  stablehlo: (c, [x], { broadcastDimensions }) => c.broadcastInDim(x, c.inAvals[0], c.outAvals[0], broadcastDimensions),
});

export function broadcastInDim(x: NdArray, shape: Shape, broadcastDimensions: number[]): NdArray {
  if (shapesEqual(x.aval.shape, shape) && broadcastDimensions.every((d, i) => d === i)) return x;
  return bind1(broadcastInDimP, [x], { shape: [...shape], broadcastDimensions });
}

/** NumPy-style broadcast of `x` to `shape` (aligned from the right). */
export function broadcastTo(x: NdArray, shape: Shape): NdArray {
  const offset = shape.length - x.ndim;
  return broadcastInDim(
    x,
    shape,
    range(x.ndim).map((i) => i + offset),
  );
}

// --- transpose -------------------------------------------------------------

interface TransposeParams {
  permutation: number[];
}

export const transposeP = definePrimitive<TransposeParams>({
  name: "transpose",
  abstractEval([x], { permutation }) {
    const sorted = [...permutation].sort((a, b) => a - b);
    if (permutation.length !== x.ndim || sorted.some((a, i) => a !== i)) {
      throw new ShapeError(
        `[transpose] permutation ${shapeStr(permutation)} does not fit ${x.str()}: expected a permutation of ${shapeStr(range(x.ndim))}.`,
      );
    }
    return new ShapedArray(
      permutation.map((p) => x.shape[p]),
      x.dtype,
      x.weakType,
    );
  },
  lower: (_avals, { permutation }): Routine => ({ name: "transpose", permutation }),
  jvp: ([x], [t], p) => [
    transpose(x, p.permutation),
    t instanceof Zero ? new Zero(transposeAval(t.aval, p.permutation)) : transpose(t, p.permutation),
  ],
  transpose: (ct, _args, { permutation }) => [transpose(ct, invertPerm(permutation))],
  vmap([x], [d], { permutation }) {
    return [transpose(moveAxis(x, d!, 0), [0, ...permutation.map((p) => p + 1)]), 0];
  },
  stablehlo: (c, [x], { permutation }) => c.transpose(x, c.inAvals[0], permutation),
});

function transposeAval(a: ShapedArray, perm: number[]): ShapedArray {
  return new ShapedArray(
    perm.map((p) => a.shape[p]),
    a.dtype,
    a.weakType,
  );
}

export function transpose(x: NdArray, permutation: readonly number[]): NdArray {
  if (permutation.every((p, i) => p === i)) return x;
  return bind1(transposeP, [x], { permutation: [...permutation] });
}
