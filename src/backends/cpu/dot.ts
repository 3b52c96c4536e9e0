/** The cpu dot_general: both operands to [batch, rows, k] / [batch, k, cols], then a row-at-a-time triple loop in float64. */
import type { NdArray } from "../../core/array.js";
import { outputBuffer } from "../../core/buffers.js";
import { transposeData } from "./structural.js";
import type { CpuRoutines } from "./table.js";

/** The axes of an operand of `ndim` axes that are neither contracted nor batched, in order. */
export const freeAxes = (ndim: number, contracting: number[], batch: number[]): number[] =>
  Array.from({ length: ndim }, (_, i) => i).filter((i) => !contracting.includes(i) && !batch.includes(i));

export const dotRoutines: Pick<CpuRoutines, "dot_general"> = {
  dot_general({ contracting: [lc, rc], batch: [lb, rb] }, [l, r]) {
    const lFree = freeAxes(l.ndim, lc, lb);
    const rFree = freeAxes(r.ndim, rc, rb);
    const size = (x: NdArray, axes: number[]) => axes.reduce((a, i) => a * x.aval.shape[i], 1);
    const B = size(l, lb);
    const M = size(l, lFree);
    const K = size(l, lc);
    const N = size(r, rFree);
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
