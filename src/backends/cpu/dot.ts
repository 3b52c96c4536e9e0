/** The cpu dot_general: both operands to [batch, rows, k] / [batch, k, cols], then a blocked triple loop. */
import { stridesOf } from "../../core/aval.js";
import type { NdArray } from "../../core/array.js";
import { outputBuffer } from "../../core/buffers.js";
import { allocate, type TypedArray } from "../../core/dtypes.js";
import { copyStrided } from "./strided.js";
import type { CpuRoutines } from "./table.js";

/** The axes of an operand of `ndim` axes that are neither contracted nor batched, in order. */
export const freeAxes = (ndim: number, contracting: number[], batch: number[]): number[] =>
  Array.from({ length: ndim }, (_, i) => i).filter((i) => !contracting.includes(i) && !batch.includes(i));

/** The values of `x` with its axes permuted (out axis i is x's axis permutation[i]). */
export function transposeHost(x: NdArray, permutation: number[]): TypedArray {
  const shape = x.aval.shape;
  const inStrides = stridesOf(shape);
  const src = x._data!;
  const out = allocate(x.dtype, src.length);
  copyStrided(
    src,
    0,
    permutation.map((p) => inStrides[p]),
    permutation.map((p) => shape[p]),
    out,
  );
  return out;
}

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
    const a = transposeHost(l, [...lb, ...lFree, ...lc]);
    const b = transposeHost(r, [...rb, ...rc, ...rFree]);
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
