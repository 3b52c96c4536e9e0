/**
 * cholesky, lu and triangular_solve on the cpu, batched over leading axes. Every
 * matrix is copied into float64, factored or solved there, and rounded once on
 * store (float32 results are float64 results rounded). Operands are row-major
 * and contiguous; the batch is the product of the leading axes.
 */
import type { DType, TypedArray } from "../../core/dtypes.js";
import { outputBuffer } from "../../core/buffers.js";
import type { CpuRoutines } from "./table.js";

const batchOf = (shape: readonly number[], tail: number): number =>
  shape.slice(0, shape.length - tail).reduce((a, b) => a * b, 1);

/**
 * Cholesky–Banachiewicz on the lower triangle (the upper one is never read):
 * L[j,j] = √(A[j,j] − Σₖ L[j,k]²), L[i,j] = (A[i,j] − Σₖ L[i,k]L[j,k]) / L[j,j].
 * A matrix that is not positive definite gives NaN everywhere, as JAX's
 * lowering does when potrf reports failure.
 */
function choleskyInto(src: TypedArray, off: number, n: number, out: TypedArray): void {
  const L = new Float64Array(n * n);
  let ok = true;
  for (let j = 0; j < n && ok; j++) {
    let s = Number(src[off + j * n + j]);
    for (let k = 0; k < j; k++) s -= L[j * n + k] * L[j * n + k];
    if (!(s > 0)) {
      ok = false;
      break;
    }
    const d = Math.sqrt(s);
    L[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = Number(src[off + i * n + j]);
      for (let k = 0; k < j; k++) t -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = t / d;
    }
  }
  for (let i = 0; i < n * n; i++) out[off + i] = ok ? L[i] : NaN;
}

/**
 * Gaussian elimination with partial pivoting (LAPACK's getrf): at step j the row
 * with the largest |A[i,j]|, i ≥ j (the first of equals; never a NaN after the first, as
 * reference LAPACK's idamax), is swapped into row j;
 * the column below the pivot is divided by it (skipped for a zero pivot, as getrf
 * does), and the trailing block gets A[i,c] −= A[i,j]·A[j,c].
 */
function luInto(
  src: TypedArray,
  off: number,
  m: number,
  n: number,
  out: TypedArray,
  piv: TypedArray,
  pivOff: number,
  perm: TypedArray,
  permOff: number,
): void {
  const A = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) A[i] = Number(src[off + i]);
  const p = new Int32Array(m);
  for (let i = 0; i < m; i++) p[i] = i;
  const k = Math.min(m, n);
  for (let j = 0; j < k; j++) {
    let best = j;
    let bestAbs = Math.abs(A[j * n + j]);
    for (let i = j + 1; i < m; i++) {
      const v = Math.abs(A[i * n + j]);
      if (v > bestAbs) {
        best = i;
        bestAbs = v;
      }
    }
    piv[pivOff + j] = best;
    if (best !== j) {
      for (let c = 0; c < n; c++) {
        const t = A[j * n + c];
        A[j * n + c] = A[best * n + c];
        A[best * n + c] = t;
      }
      const t = p[j];
      p[j] = p[best];
      p[best] = t;
    }
    const d = A[j * n + j];
    if (d !== 0) for (let i = j + 1; i < m; i++) A[i * n + j] /= d;
    for (let i = j + 1; i < m; i++) {
      const l = A[i * n + j];
      if (l === 0) continue;
      for (let c = j + 1; c < n; c++) A[i * n + c] -= l * A[j * n + c];
    }
  }
  for (let i = 0; i < m * n; i++) out[off + i] = A[i];
  for (let i = 0; i < m; i++) perm[permOff + i] = p[i];
}

interface SolveParams {
  leftSide: boolean;
  lower: boolean;
  transposeA: boolean;
  unitDiagonal: boolean;
}

/**
 * Solves op(A)·X = B (left) or X·op(A) = B (right), op(A) = A or Aᵀ, reading only
 * A's `lower` (or upper) triangle. Both become M·x = b for each right-hand side
 * (B's columns on the left, its rows on the right, where M = op(A)ᵀ), solved by
 * forward substitution when M is lower triangular and backward otherwise.
 */
function solveInto(
  a: TypedArray,
  aOff: number,
  b: TypedArray,
  bOff: number,
  rows: number,
  cols: number,
  p: SolveParams,
  out: TypedArray,
): void {
  const m = p.leftSide ? rows : cols; // A is m×m
  const nrhs = p.leftSide ? cols : rows;
  const direct = p.leftSide !== p.transposeA; // M[i,j] = A[i,j], else A[j,i]
  const mLower = direct ? p.lower : !p.lower;
  const M = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const [r, c] = direct ? [i, j] : [j, i];
      const inTriangle = p.lower ? c <= r : c >= r;
      M[i * m + j] = inTriangle ? Number(a[aOff + r * m + c]) : 0;
    }
    if (p.unitDiagonal) M[i * m + i] = 1;
  }
  // Right-hand side k, element i: B[i,k] (left) or B[k,i] (right).
  const at = p.leftSide ? (i: number, k: number) => i * cols + k : (i: number, k: number) => k * cols + i;
  const x = new Float64Array(m);
  for (let k = 0; k < nrhs; k++) {
    for (let i = 0; i < m; i++) x[i] = Number(b[bOff + at(i, k)]);
    if (mLower) {
      for (let i = 0; i < m; i++) {
        let s = x[i];
        for (let j = 0; j < i; j++) s -= M[i * m + j] * x[j];
        x[i] = s / M[i * m + i];
      }
    } else {
      for (let i = m - 1; i >= 0; i--) {
        let s = x[i];
        for (let j = i + 1; j < m; j++) s -= M[i * m + j] * x[j];
        x[i] = s / M[i * m + i];
      }
    }
    for (let i = 0; i < m; i++) out[bOff + at(i, k)] = x[i];
  }
}

const fresh = (dtype: DType, size: number): TypedArray => outputBuffer(dtype, size);

export const linalgSolveRoutines: Pick<CpuRoutines, "cholesky" | "lu" | "triangular_solve"> = {
  cholesky(_r, [x]) {
    const shape = x.aval.shape;
    const n = shape[shape.length - 1];
    const out = fresh(x.dtype, x.aval.size);
    const batch = batchOf(shape, 2);
    for (let bi = 0; bi < batch; bi++) choleskyInto(x._data!, bi * n * n, n, out);
    return [out];
  },
  lu(_r, [x]) {
    const shape = x.aval.shape;
    const m = shape[shape.length - 2];
    const n = shape[shape.length - 1];
    const k = Math.min(m, n);
    const batch = batchOf(shape, 2);
    const out = fresh(x.dtype, x.aval.size);
    const piv = fresh("int32", batch * k);
    const perm = fresh("int32", batch * m);
    for (let bi = 0; bi < batch; bi++) luInto(x._data!, bi * m * n, m, n, out, piv, bi * k, perm, bi * m);
    return [out, piv, perm];
  },
  triangular_solve(r, [a, b]) {
    const shape = b.aval.shape;
    const rows = shape[shape.length - 2];
    const cols = shape[shape.length - 1];
    const m = r.leftSide ? rows : cols;
    const batch = batchOf(shape, 2);
    const out = fresh(b.dtype, b.aval.size);
    for (let bi = 0; bi < batch; bi++) {
      solveInto(a._data!, bi * m * m, b._data!, bi * rows * cols, rows, cols, r, out);
    }
    return [out];
  },
};
