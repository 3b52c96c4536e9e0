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

/**
 * out[i] = src[base + offset(i)] for every row-major position i of `shape`,
 * where offset(i) = Σ index_d · strides[d]. The innermost axis is a plain loop
 * (no per-element callback): the copy behind transposes, broadcasts and slices.
 */
export function copyStrided(
  src: ArrayLike<number>,
  base: number,
  strides: readonly number[],
  shape: Shape,
  out: { [i: number]: number },
): void {
  const nd = shape.length;
  if (nd === 0) {
    out[0] = src[base];
    return;
  }
  const inner = shape[nd - 1];
  const innerStride = strides[nd - 1];
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  if (rows === 0 || inner === 0) return;
  const counter = new Array<number>(nd - 1).fill(0);
  let offset = base;
  let o = 0;
  for (let r = 0; r < rows; r++) {
    if (innerStride === 1) for (let j = 0; j < inner; j++) out[o++] = src[offset + j];
    else for (let j = 0, p = offset; j < inner; j++, p += innerStride) out[o++] = src[p];
    for (let d = nd - 2; d >= 0; d--) {
      counter[d]++;
      offset += strides[d];
      if (counter[d] < shape[d]) break;
      offset -= strides[d] * shape[d];
      counter[d] = 0;
    }
  }
}
