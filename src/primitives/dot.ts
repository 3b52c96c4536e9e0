/**
 * dot_general: contraction over paired axes with batch axes, as XLA's DotGeneral.
 * Output axes: batch axes, then lhs free axes, then rhs free axes.
 */
import { ShapedArray, shapeStr, stridesOf } from "../core/aval.js";
import { hostArray, NdArray } from "../core/array.js";
import { outputBuffer } from "../core/buffers.js";
import { config } from "../core/config.js";
import { dgemm, sgemm, wasmGemmAvailable, type MatrixView } from "../backends/wasm/gemm.js";
import { wasmThresholds } from "../backends/dispatch.js";
import { ShapeError, DTypeError } from "../core/errors.js";
import { definePrimitive, UndefinedPrimal, type Primitive } from "../core/primitive.js";
import { bind1, Zero, type MaybeZero } from "../core/trace.js";
import { moveAxis } from "./batching.js";
import { add } from "./elementwise.js";
import { transpose, transposeP } from "./structural.js";
import { range } from "./shapes.js";

export interface DotParams {
  /** [lhs contracting axes, rhs contracting axes] */
  contracting: [number[], number[]];
  /** [lhs batch axes, rhs batch axes] */
  batch: [number[], number[]];
}

const freeAxes = (ndim: number, contracting: number[], batch: number[]): number[] =>
  range(ndim).filter((i) => !contracting.includes(i) && !batch.includes(i));

export const dotGeneralP: Primitive = definePrimitive<DotParams>({
  name: "dot_general",
  abstractEval([l, r], { contracting: [lc, rc], batch: [lb, rb] }) {
    if (l.dtype !== r.dtype) {
      throw new DTypeError(
        `[dot_general] operands must share a dtype: got ${l.str()} and ${r.str()}, expected equal dtypes.`,
      );
    }
    const pairsOk = (a: number[], b: number[]) =>
      a.length === b.length && a.every((i, k) => l.shape[i] === r.shape[b[k]]);
    if (!pairsOk(lc, rc) || !pairsOk(lb, rb)) {
      throw new ShapeError(
        `[dot_general] contracting or batch axes do not match: got ${l.str()} and ${r.str()} with contracting ` +
          `${shapeStr(lc)}/${shapeStr(rc)} and batch ${shapeStr(lb)}/${shapeStr(rb)}, expected paired axes of equal size.`,
      );
    }
    const shape = [
      ...lb.map((i) => l.shape[i]),
      ...freeAxes(l.ndim, lc, lb).map((i) => l.shape[i]),
      ...freeAxes(r.ndim, rc, rb).map((i) => r.shape[i]),
    ];
    return new ShapedArray(shape, l.dtype, l.weakType && r.weakType);
  },
  impl: ([l, r], p) => dotKernel(l, r, p),
  jvp([l, r], [tl, tr], p) {
    const out = dotGeneral(l, r, p);
    let t: MaybeZero = new Zero(out.aval);
    if (!(tl instanceof Zero)) t = dotGeneral(tl, r, p);
    if (!(tr instanceof Zero)) {
      const term = dotGeneral(l, tr, p);
      t = t instanceof Zero ? term : add(t, term);
    }
    return [out, t];
  },
  transpose(ct, [l, r], p) {
    if (l instanceof UndefinedPrimal && r instanceof UndefinedPrimal) {
      throw new Error("[transpose] dot_general of two tangents is not linear");
    }
    if (l instanceof UndefinedPrimal) return [transposeLhs(ct, r as NdArray, l.aval.ndim, p), null];
    return [null, transposeRhs(ct, l as NdArray, (r as UndefinedPrimal).aval.ndim, p)];
  },
  vmap([l, r], [dl, dr], p) {
    const [lc, rc] = p.contracting;
    const [lb, rb] = p.batch;
    const shift = (axes: number[]) => axes.map((a) => a + 1);
    if (dl !== null && dr !== null) {
      const out = dotGeneral(moveAxis(l, dl, 0), moveAxis(r, dr, 0), {
        contracting: [shift(lc), shift(rc)],
        batch: [
          [0, ...shift(lb)],
          [0, ...shift(rb)],
        ],
      });
      return [out, 0];
    }
    if (dl !== null) {
      const lm = moveAxis(l, dl, 0);
      const out = dotGeneral(lm, r, { contracting: [shift(lc), rc], batch: [shift(lb), rb] });
      return [out, lb.length]; // axis 0 is the first lhs free axis
    }
    const rm = moveAxis(r, dr!, 0);
    const out = dotGeneral(l, rm, { contracting: [lc, shift(rc)], batch: [lb, shift(rb)] });
    return [out, lb.length + freeAxes(l.ndim, lc, lb).length];
  },
  printParams: ({ contracting, batch }) => ({
    dimension_numbers: [
      [contracting[0], contracting[1]],
      [batch[0], batch[1]],
    ],
    precision: null,
    preferred_element_type: null,
  }),
});

export function dotGeneral(l: NdArray, r: NdArray, p: DotParams): NdArray {
  return bind1(dotGeneralP as Primitive, [l, r], p as never);
}

/**
 * ct_lhs = dot_general(ct, rhs) contracting rhs's free axes, then permuted back
 * into lhs's axis order (batch, free, contracting positions).
 */
function transposeLhs(ct: NdArray, r: NdArray, lNdim: number, p: DotParams): NdArray {
  const [lc, rc] = p.contracting;
  const [lb, rb] = p.batch;
  const nb = lb.length;
  const lFree = freeAxes(lNdim, lc, lb);
  const rFree = freeAxes(r.ndim, rc, rb);
  const ctRFree = rFree.map((_, k) => nb + lFree.length + k);
  const res = dotGeneral(ct, r, { contracting: [ctRFree, rFree], batch: [range(nb), rb] });
  // res axes: batch (lb order), lhs free, then r's remaining axes = rc sorted ascending.
  const rcSorted = [...rc].sort((a, b) => a - b);
  const resAxisOfL = new Array<number>(lNdim);
  lb.forEach((a, k) => (resAxisOfL[a] = k));
  lFree.forEach((a, k) => (resAxisOfL[a] = nb + k));
  rcSorted.forEach((ra, k) => (resAxisOfL[lc[rc.indexOf(ra)]] = nb + lFree.length + k));
  return transpose(res, resAxisOfL);
}

function transposeRhs(ct: NdArray, l: NdArray, rNdim: number, p: DotParams): NdArray {
  const [lc, rc] = p.contracting;
  const [lb, rb] = p.batch;
  const nb = lb.length;
  const lFree = freeAxes(l.ndim, lc, lb);
  const rFree = freeAxes(rNdim, rc, rb);
  const ctLFree = lFree.map((_, k) => nb + k);
  const res = dotGeneral(ct, l, { contracting: [ctLFree, lFree], batch: [range(nb), lb] });
  // res axes: batch (rb order), rhs free, then l's remaining axes = lc sorted ascending.
  const lcSorted = [...lc].sort((a, b) => a - b);
  const resAxisOfR = new Array<number>(rNdim);
  rb.forEach((a, k) => (resAxisOfR[a] = k));
  rFree.forEach((a, k) => (resAxisOfR[a] = nb + k));
  lcSorted.forEach((la, k) => (resAxisOfR[rc[lc.indexOf(la)]] = nb + rFree.length + k));
  return transpose(res, resAxisOfR);
}

/** Reference kernel: both operands to [batch, rows, k] / [batch, k, cols], then a blocked triple loop. */
function dotKernel(l: NdArray, r: NdArray, p: DotParams): NdArray {
  const [lc, rc] = p.contracting;
  const [lb, rb] = p.batch;
  const lFree = freeAxes(l.ndim, lc, lb);
  const rFree = freeAxes(r.ndim, rc, rb);
  const size = (x: NdArray, axes: number[]) => axes.reduce((a, i) => a * x.aval.shape[i], 1);
  const B = size(l, lb);
  const M = size(l, lFree);
  const K = size(l, lc);
  const N = size(r, rFree);
  const out = outputBuffer(l.dtype, B * M * N); // every element is written below
  const float = l.dtype === "float32" || l.dtype === "float64";
  if (float && M * N * K >= wasmThresholds.matmul && useWasm()) {
    const a = viewsOf(l, lb, lFree, lc);
    const b = viewsOf(r, rb, rc, rFree);
    // One call for the whole batch: views of batch element t are at a constant stride.
    const batched = (v: (b: number) => MatrixView) => ({ ...v(0), batchStride: v(1).offset - v(0).offset });
    // float64 is multiplied in float64 throughout (elements, products and sums).
    const gemm = l.dtype === "float64" ? dgemm : sgemm;
    gemm(batched(a), batched(b), M, K, N, out as Float32Array | Float64Array, 0, B);
    return hostArray(new ShapedArray(outShape(l, r, lb, lFree, rFree), l.dtype, l.weakType && r.weakType), out);
  }
  // Kernels run below every trace: call the transpose kernel directly, not through bind.
  const a = transposeP.rules.impl!([l], { permutation: [...lb, ...lFree, ...lc] })[0]._data!;
  const b = transposeP.rules.impl!([r], { permutation: [...rb, ...rc, ...rFree] })[0]._data!;
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
  return hostArray(new ShapedArray(outShape(l, r, lb, lFree, rFree), l.dtype, l.weakType && r.weakType), out);
}

/**
 * The operand as one strided matrix per batch element: rows over `rowAxes`,
 * columns over `colAxes` (each group flattened). When a group of axes cannot be
 * flattened into one stride, the operand is first transposed into that layout.
 */
function viewsOf(x: NdArray, batchAxes: number[], rowAxes: number[], colAxes: number[]): (b: number) => MatrixView {
  const shape = x.aval.shape;
  const strides = stridesOf(shape);
  const bs = mergedStride(shape, strides, batchAxes);
  const rs = mergedStride(shape, strides, rowAxes);
  const cs = mergedStride(shape, strides, colAxes);
  if (bs !== null && rs !== null && cs !== null) {
    const data = x._data as Float32Array;
    return (b) => ({ data, offset: b * bs, rowStride: rs, colStride: cs });
  }
  const t = transposeP.rules.impl!([x], { permutation: [...batchAxes, ...rowAxes, ...colAxes] })[0];
  const rows = rowAxes.reduce((n, i) => n * shape[i], 1);
  const cols = colAxes.reduce((n, i) => n * shape[i], 1);
  const data = t._data as Float32Array;
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

function outShape(l: NdArray, r: NdArray, lb: number[], lFree: number[], rFree: number[]): number[] {
  return [
    ...lb.map((i) => l.aval.shape[i]),
    ...lFree.map((i) => l.aval.shape[i]),
    ...rFree.map((i) => r.aval.shape[i]),
  ];
}

function useWasm(): boolean {
  return config.values.platform === "wasm" && wasmGemmAvailable();
}
