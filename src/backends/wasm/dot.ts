/**
 * dot_general on wasm: float32 and float64 products of at least
 * `wasmThresholds.matmul` multiply-adds run as one (batched) gemm call on
 * strided views of the operands; everything else is left to the cpu.
 */
import type { ShapedArray } from "../../core/aval.js";
import { stridesOf } from "../../core/aval.js";
import { NdArray } from "../../core/array.js";
import type { DType } from "../../core/dtypes.js";
import { allocOutput, WasmBuffer } from "./buffer.js";
import type { RoutineOf } from "../../kernel/routines.js";
import { dotLayout } from "../cpu/dot.js";
import { transposeData } from "../cpu/structural.js";
import { wasmThresholds } from "./routines.js";
import { dgemm, sgemm, wasmGemmAvailable, type MatrixView } from "./gemm.js";

/** The product by gemm, or null (other dtypes, too small, no wasm threads pool) for the cpu's loop. */
export function wasmDotGeneral(r: RoutineOf<"dot_general">, xs: NdArray[], outs: ShapedArray[]): NdArray[] | null {
  const [l, rhs] = xs;
  const [lc, rc] = r.contracting;
  const [lb, rb] = r.batch;
  if (l.dtype !== "float32" && l.dtype !== "float64") return null;
  const { B, M, K, N, lFree, rFree } = dotLayout(r, l, rhs);
  if (M * N * K < wasmThresholds.matmul || !wasmGemmAvailable()) return null;
  const out = allocOutput(l.dtype, B * M * N); // every element is written by gemm
  const a = viewsOf(l, l.dtype, lb, lFree, lc);
  const b = viewsOf(rhs, l.dtype, rb, rc, rFree);
  // One call for the whole batch: views of batch element t are at a constant stride.
  const batched = (v: (b: number) => MatrixView) => ({ ...v(0), batchStride: v(1).offset - v(0).offset });
  // float64 is multiplied in float64 throughout (elements, products and sums).
  const gemm = l.dtype === "float64" ? dgemm : sgemm;
  const target = out instanceof WasmBuffer ? out : (out.readSync() as Float32Array | Float64Array);
  gemm(batched(a), batched(b), M, K, N, target, 0, B);
  return [new NdArray(outs[0], out)];
}

/**
 * The operand as one strided matrix per batch element: rows over `rowAxes`,
 * columns over `colAxes` (each group flattened). When a group of axes cannot be
 * flattened into one stride, the operand is first transposed into that layout.
 */
function viewsOf(
  x: NdArray,
  dtype: DType,
  batchAxes: number[],
  rowAxes: number[],
  colAxes: number[],
): (b: number) => MatrixView {
  const shape = x.aval.shape;
  const strides = stridesOf(shape);
  const bs = mergedStride(shape, strides, batchAxes);
  const rs = mergedStride(shape, strides, rowAxes);
  const cs = mergedStride(shape, strides, colAxes);
  if (bs !== null && rs !== null && cs !== null) {
    // Inside a program, operands of the product's dtype are read in the pool's memory (copied there once).
    const resident = (x.dtype === dtype && WasmBuffer.inputOf(x._buffer!)) || undefined;
    const data = resident ? new Float32Array(0) : (x._data as Float32Array);
    return (b) => ({ data, offset: b * bs, rowStride: rs, colStride: cs, resident });
  }
  const data = transposeData(x._data!, x.aval.shape, [...batchAxes, ...rowAxes, ...colAxes], x.dtype) as Float32Array;
  const rows = rowAxes.reduce((n, i) => n * shape[i], 1);
  const cols = colAxes.reduce((n, i) => n * shape[i], 1);
  return (b) => ({ data, offset: b * rows * cols, rowStride: cols, colStride: 1 });
}

/** The stride of a group of axes read as one flattened axis, or null if they do not flatten in place. */
function mergedStride(shape: readonly number[], strides: number[], axes: number[]): number | null {
  const live = axes.filter((a) => shape[a] !== 1);
  if (live.length === 0) return 0;
  for (let j = 0; j + 1 < live.length; j++) {
    if (strides[live[j]] !== shape[live[j + 1]] * strides[live[j + 1]]) return null;
  }
  return strides[live[live.length - 1]];
}
