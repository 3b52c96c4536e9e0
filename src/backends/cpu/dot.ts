/** The cpu dot_general: both operands to [batch, rows, k] / [batch, k, cols], then a row-at-a-time triple loop in float64. */
import type { NdArray } from "../../core/array.js";
import { outputBuffer } from "../../core/buffers.js";
import { transposeData } from "./structural.js";
import type { RoutineOf } from "../../kernel/routines.js";
import type { CpuRoutines } from "./table.js";

/** The axes of an operand of `ndim` axes that are neither contracted nor batched, in order. */
export const freeAxes = (ndim: number, contracting: number[], batch: number[]): number[] =>
  Array.from({ length: ndim }, (_, i) => i).filter((i) => !contracting.includes(i) && !batch.includes(i));

/** A dot_general as a batch of B products of [M, K] by [K, N], and the free axes of each operand. */
export function dotLayout(
  { contracting: [lc, rc], batch: [lb, rb] }: RoutineOf<"dot_general">,
  l: NdArray,
  r: NdArray,
) {
  const lFree = freeAxes(l.ndim, lc, lb);
  const rFree = freeAxes(r.ndim, rc, rb);
  const size = (x: NdArray, axes: number[]) => axes.reduce((a, i) => a * x.aval.shape[i], 1);
  return { B: size(l, lb), M: size(l, lFree), K: size(l, lc), N: size(r, rFree), lFree, rFree };
}

export const dotRoutines: Pick<CpuRoutines, "dot_general"> = {
  dot_general(routine, [l, r]) {
    const {
      contracting: [lc, rc],
      batch: [lb, rb],
    } = routine;
    const { B, M, K, N, lFree, rFree } = dotLayout(routine, l, r);
    const out = outputBuffer(l.dtype, B * M * N); // every element is written below
    const a = transposeData(l._data!, l.aval.shape, [...lb, ...lFree, ...lc], l.dtype);
    const b = transposeData(r._data!, r.aval.shape, [...rb, ...rc, ...rFree], r.dtype);
    const row = new Float64Array(N);
    for (let bi = 0; bi < B; bi++) {
      for (let i = 0; i < M; i++) {
        row.fill(0);
        const aOff = bi * M * K + i * K;
        for (let k = 0; k < K; k++) {
          const aik = a[aOff + k];
          const bOff = bi * K * N + k * N;
          for (let j = 0; j < N; j++) row[j] += aik * b[bOff + j];
        }
        const oOff = bi * M * N + i * N;
        for (let j = 0; j < N; j++) out[oOff + j] = row[j];
      }
    }
    return [out];
  },
};
