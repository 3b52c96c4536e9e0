/** Index arithmetic shared by the CPU kernels: broadcasting strides and an odometer. */
import type { Shape } from "../../core/aval.js";
import { stridesOf } from "../../core/aval.js";

/** Strides of `shape` read as if broadcast to `outShape` (0 on broadcast axes). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = stridesOf(shape);
  const out = new Array<number>(outShape.length).fill(0);
  const offset = outShape.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[offset + i] = shape[i] === 1 ? 0 : strides[i];
  return out;
}

/**
 * Calls `visit(outIndex, offsets)` for every position of `outShape` in
 * row-major order, where offsets[k] is the flat position in operand k read
 * with `strides[k]`. The innermost loop is the hot path.
 */
export function forEachStrided(
  outShape: Shape,
  strides: number[][],
  visit: (outIndex: number, offsets: number[]) => void,
): void {
  const nd = outShape.length;
  const k = strides.length;
  const offsets = new Array<number>(k).fill(0);
  const size = outShape.reduce((a, b) => a * b, 1);
  if (size === 0) return;
  const counter = new Array<number>(nd).fill(0);
  for (let i = 0; i < size; i++) {
    visit(i, offsets);
    for (let d = nd - 1; d >= 0; d--) {
      counter[d]++;
      for (let j = 0; j < k; j++) offsets[j] += strides[j][d];
      if (counter[d] < outShape[d]) break;
      for (let j = 0; j < k; j++) offsets[j] -= strides[j][d] * outShape[d];
      counter[d] = 0;
    }
  }
}
