/** Helpers for batching rules: moving, adding and aligning batch axes. */
import "./hooks.js";
import type { NdArray } from "../core/array.js";
import type { BatchDim } from "../core/primitive.js";
import { broadcastInDim, reshape, transpose } from "./structural.js";
import { range } from "./shapes.js";

/** Moves axis `from` of `x` to position `to`. */
export function moveAxis(x: NdArray, from: number, to: number): NdArray {
  if (from === to) return x;
  const perm = range(x.ndim).filter((a) => a !== from);
  perm.splice(to, 0, from);
  return transpose(x, perm);
}

/** `x` with its batch axis first; an unbatched `x` is broadcast to `size` along a new first axis. */
export function batchFirst(x: NdArray, dim: BatchDim, size: number): NdArray {
  if (dim === null)
    return broadcastInDim(
      x,
      [size, ...x.aval.shape],
      range(x.ndim).map((i) => i + 1),
    );
  return moveAxis(x, dim, 0);
}

/** `x` with its batch axis at `to` (broadcasting an unbatched `x`). */
export function batchTo(x: NdArray, dim: BatchDim, to: number, size: number): NdArray {
  return moveAxis(batchFirst(x, dim, size), 0, to);
}

/**
 * Aligns operands of an elementwise (broadcasting) operation: batched ones get
 * their batch axis first, then size-1 axes so that every batched operand has
 * rank `1 + r`, where r is the largest per-example rank. Unbatched operands are
 * left alone: NumPy broadcasting aligns them from the right.
 */
export function alignElementwise(args: NdArray[], dims: BatchDim[]): NdArray[] {
  const rank = Math.max(...args.map((a, i) => a.ndim - (dims[i] === null ? 0 : 1)));
  return args.map((a, i) => {
    const d = dims[i];
    if (d === null) return a;
    const moved = moveAxis(a, d, 0);
    const missing = rank - (moved.ndim - 1);
    if (missing === 0) return moved;
    const shape = moved.aval.shape;
    return reshape(moved, [shape[0], ...new Array<number>(missing).fill(1), ...shape.slice(1)]);
  });
}
