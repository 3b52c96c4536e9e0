/**
 * The spectral factorizations on the cpu, batched over leading axes, computed in
 * float64 whatever the dtype (float32 results are rounded once at the end):
 *
 * - qr: Householder QR as LAPACK's geqrf + orgqr (dlarfg's reflector convention,
 *   so Q and R carry the same signs as NumPy's);
 * - eigh: cyclic Jacobi rotations on the symmetric matrix read from one triangle,
 *   eigenvalues sorted ascending (as LAPACK's syevd);
 * - svd: one-sided (Hestenes) Jacobi on the matrix itself (or its transpose when
 *   it is wide), which keeps high relative accuracy for small singular values;
 *   singular values descending, U completed to an orthonormal basis where needed.
 *
 * Every loop of rotations stops after a fixed number of sweeps, so NaN or ±∞ in
 * the input give NaN out, never a hang.
 */
import { outputBuffer } from "../../core/buffers.js";
import type { DType, TypedArray } from "../../core/dtypes.js";
import type { CpuRoutines } from "./table.js";

const EPS = 2 ** -52;
const MAX_SWEEPS = 80;

/** A fresh output buffer holding `values` (rounded to the dtype). */
function emit(dtype: DType, values: Float64Array): TypedArray {
  const out = outputBuffer(dtype, values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

/** Matrix `b` of a batch of row-major [rows, cols] matrices, as float64. */
function matrixAt(src: TypedArray, b: number, rows: number, cols: number): Float64Array {
  const size = rows * cols;
  const a = new Float64Array(size);
  for (let i = 0; i < size; i++) a[i] = src[b * size + i];
  return a;
}

// --- QR ---------------------------------------------------------------------------------

/**
 * Householder QR of a row-major m×n matrix (overwritten: R above the diagonal,
 * reflectors below). dlarfg: H = I − τ v vᵀ with v₀ = 1, β = −sign(α)·‖x‖, τ = (β − α)/β;
 * no reflection (τ = 0) when the entries below the diagonal are already zero.
 */
function householder(a: Float64Array, m: number, n: number): Float64Array {
  const k = Math.min(m, n);
  const tau = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let xnorm2 = 0;
    for (let i = j + 1; i < m; i++) xnorm2 += a[i * n + j] * a[i * n + j];
    if (xnorm2 === 0) continue;
    const alpha = a[j * n + j];
    const norm = Math.hypot(alpha, Math.sqrt(xnorm2));
    const beta = alpha >= 0 ? -norm : norm;
    tau[j] = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) a[i * n + j] *= scale;
    a[j * n + j] = beta;
    // A[j:, j+1:] −= τ v (vᵀ A[j:, j+1:])
    for (let c = j + 1; c < n; c++) {
      let w = a[j * n + c];
      for (let i = j + 1; i < m; i++) w += a[i * n + j] * a[i * n + c];
      w *= tau[j];
      a[j * n + c] -= w;
      for (let i = j + 1; i < m; i++) a[i * n + c] -= w * a[i * n + j];
    }
  }
  return tau;
}

/** Q (m × qc) = H₀ H₁ … H_{k−1} applied to the first qc columns of the identity (orgqr). */
function formQ(a: Float64Array, tau: Float64Array, m: number, n: number, qc: number): Float64Array {
  const q = new Float64Array(m * qc);
  for (let i = 0; i < Math.min(m, qc); i++) q[i * qc + i] = 1;
  for (let j = tau.length - 1; j >= 0; j--) {
    const t = tau[j];
    if (t === 0) continue;
    for (let c = 0; c < qc; c++) {
      let w = q[j * qc + c];
      for (let i = j + 1; i < m; i++) w += a[i * n + j] * q[i * qc + c];
      w *= t;
      q[j * qc + c] -= w;
      for (let i = j + 1; i < m; i++) q[i * qc + c] -= w * a[i * n + j];
    }
  }
  return q;
}

// --- eigh -------------------------------------------------------------------------------

/**
 * Cyclic Jacobi on the symmetric n×n matrix `a` (full storage, overwritten):
 * each rotation zeroes a[p][q] (Golub & Van Loan, sym.schur2: t = tan θ with
 * θ = (a_qq − a_pp) / 2a_pq, a_pp −= t a_pq, a_qq += t a_pq). An off-diagonal
 * entry below ε·√|a_pp a_qq| is set to zero (relative accuracy of the eigenvalues).
 * Returns the eigenvectors as the columns of a row-major n×n matrix.
 */
function jacobiEigen(a: Float64Array, n: number): Float64Array {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        if (Math.abs(apq) <= EPS * Math.sqrt(Math.abs(app)) * Math.sqrt(Math.abs(aqq))) {
          a[p * n + q] = a[q * n + p] = 0;
          continue;
        }
        rotated = true;
        const theta = (aqq - app) / (2 * apq);
        const t =
          Math.abs(theta) > 1e150
            ? 1 / (2 * theta)
            : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          if (k === p || k === q) continue;
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = a[p * n + k] = c * akp - s * akq;
          a[k * n + q] = a[q * n + k] = s * akp + c * akq;
        }
        a[p * n + p] = app - t * apq;
        a[q * n + q] = aqq + t * apq;
        a[p * n + q] = a[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
    if (!rotated) break;
  }
  return v;
}

/** Column order that sorts `keys` (ascending, NaN last; stable). */
function sortOrder(keys: Float64Array, descending: boolean): number[] {
  const idx = Array.from({ length: keys.length }, (_, i) => i);
  const key = (i: number) => (Number.isNaN(keys[i]) ? Infinity : descending ? -keys[i] : keys[i]);
  return idx.sort(
    (i, j) => key(i) - key(j) || (Number.isNaN(keys[i]) ? 1 : 0) - (Number.isNaN(keys[j]) ? 1 : 0) || i - j,
  );
}

// --- SVD --------------------------------------------------------------------------------

/**
 * One-sided Jacobi on the columns of a tall m×n matrix (m ≥ n), stored as n
 * columns: rotations of column pairs until every pair is orthogonal to ε
 * relative to their norms (|a_pᵀa_q| ≤ ε‖a_p‖‖a_q‖); V accumulates the rotations.
 * Afterwards σ_j = ‖a_j‖ and u_j = a_j / σ_j.
 */
function oneSidedJacobi(cols: Float64Array[], m: number, n: number): Float64Array[] {
  const v = Array.from({ length: n }, (_, j) => {
    const c = new Float64Array(n);
    c[j] = 1;
    return c;
  });
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const ap = cols[p];
        const aq = cols[q];
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          alpha += ap[i] * ap[i];
          beta += aq[i] * aq[i];
          gamma += ap[i] * aq[i];
        }
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t =
          Math.abs(zeta) > 1e150
            ? 1 / (2 * zeta)
            : (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let i = 0; i < m; i++) {
          const x = ap[i];
          const y = aq[i];
          ap[i] = c * x - s * y;
          aq[i] = s * x + c * y;
        }
        const vp = v[p];
        const vq = v[q];
        for (let i = 0; i < n; i++) {
          const x = vp[i];
          const y = vq[i];
          vp[i] = c * x - s * y;
          vq[i] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  return v;
}

/**
 * Fills the null slots of `basis` (length `size` vectors) with unit vectors orthogonal
 * to every other: for each, the standard basis vector with the largest residual after
 * two rounds of Gram–Schmidt.
 */
function completeBasis(basis: (Float64Array | null)[], size: number): Float64Array[] {
  for (let slot = 0; slot < basis.length; slot++) {
    if (basis[slot] !== null) continue;
    let best: Float64Array | null = null;
    let bestNorm = -1;
    for (let e = 0; e < size; e++) {
      const r = new Float64Array(size);
      r[e] = 1;
      for (let round = 0; round < 2; round++) {
        for (const b of basis) {
          if (b === null) continue;
          let d = 0;
          for (let i = 0; i < size; i++) d += b[i] * r[i];
          for (let i = 0; i < size; i++) r[i] -= d * b[i];
        }
      }
      let nrm = 0;
      for (let i = 0; i < size; i++) nrm += r[i] * r[i];
      if (nrm > bestNorm) {
        bestNorm = nrm;
        best = r;
      }
      if (nrm > 0.5) break;
    }
    // NaN in the basis (a NaN input) leaves no candidate: the completion is NaN too, as LAPACK's.
    if (best === null) {
      basis[slot] = new Float64Array(size).fill(NaN);
      continue;
    }
    const nrm = Math.sqrt(bestNorm);
    for (let i = 0; i < size; i++) best[i] /= nrm;
    basis[slot] = best;
  }
  return basis as Float64Array[];
}

/**
 * SVD of a row-major m×n matrix: [s (k), U (m × uc) row-major, Vᵀ (vr × n) row-major],
 * k = min(m, n), uc = vr = k (reduced) or m and n (full).
 */
function svdMatrix(a: Float64Array, m: number, n: number, full: boolean): [Float64Array, Float64Array, Float64Array] {
  const wide = m < n;
  // Work on the tall one: B = A (m ≥ n) or Aᵀ; B = U_B Σ V_Bᵀ.
  const [bm, bn] = wide ? [n, m] : [m, n];
  const cols = Array.from({ length: bn }, (_, j) => {
    const c = new Float64Array(bm);
    for (let i = 0; i < bm; i++) c[i] = wide ? a[j * n + i] : a[i * n + j];
    return c;
  });
  const vb = oneSidedJacobi(cols, bm, bn);
  const norms = new Float64Array(bn);
  for (let j = 0; j < bn; j++) {
    let s = 0;
    for (let i = 0; i < bm; i++) s += cols[j][i] * cols[j][i];
    norms[j] = Math.sqrt(s);
  }
  const order = sortOrder(norms, true);
  const k = bn;
  const s = new Float64Array(k);
  const ub: (Float64Array | null)[] = new Array<Float64Array | null>(full ? bm : k).fill(null);
  const vbs: Float64Array[] = [];
  order.forEach((j, r) => {
    s[r] = norms[j];
    vbs.push(vb[j]);
    if (norms[j] > 0 || Number.isNaN(norms[j])) ub[r] = cols[j].map((x) => x / norms[j]);
  });
  const ubFull = completeBasis(ub, bm);
  // U_B: columns ubFull (bm each); V_B: columns vbs (bn each).
  const [uCols, vCols] = wide ? [vbs, ubFull] : [ubFull, vbs];
  const uc = uCols.length;
  const u = new Float64Array(m * uc);
  for (let c = 0; c < uc; c++) for (let i = 0; i < m; i++) u[i * uc + c] = uCols[c][i];
  const vr = vCols.length;
  const vt = new Float64Array(vr * n);
  for (let r = 0; r < vr; r++) for (let i = 0; i < n; i++) vt[r * n + i] = vCols[r][i];
  return [s, u, vt];
}

/** The number of matrices in a batch of shape [..., m, n]. */
function batchCount(shape: readonly number[]): number {
  return shape.slice(0, -2).reduce((p, d) => p * d, 1);
}

// --- the routines -----------------------------------------------------------------------

export const linalgSpectralRoutines: Pick<CpuRoutines, "qr" | "eigh" | "svd"> = {
  qr: ({ fullMatrices }, [x], [qAval, rAval]) => {
    const [m, n] = x.aval.shape.slice(-2);
    const count = batchCount(x.aval.shape);
    const qc = fullMatrices ? m : Math.min(m, n);
    const rr = qc;
    const q = new Float64Array(qAval.size);
    const r = new Float64Array(rAval.size);
    for (let b = 0; b < count; b++) {
      const a = matrixAt(x._data!, b, m, n);
      const tau = householder(a, m, n);
      q.set(formQ(a, tau, m, n, qc), b * m * qc);
      for (let i = 0; i < rr; i++) for (let j = i; j < n; j++) r[b * rr * n + i * n + j] = a[i * n + j];
    }
    return [emit(qAval.dtype, q), emit(rAval.dtype, r)];
  },
  eigh: ({ lower, sortEigenvalues }, [x], [vAval, wAval]) => {
    const n = x.aval.shape[x.ndim - 1];
    const count = batchCount(x.aval.shape);
    const vOut = new Float64Array(vAval.size);
    const wOut = new Float64Array(wAval.size);
    for (let b = 0; b < count; b++) {
      const src = matrixAt(x._data!, b, n, n);
      const a = new Float64Array(n * n);
      // Only the named triangle is read.
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          const val = lower ? src[i * n + j] : src[j * n + i];
          a[i * n + j] = a[j * n + i] = val;
        }
      }
      const v = jacobiEigen(a, n);
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) w[i] = a[i * n + i];
      const order = sortEigenvalues ? sortOrder(w, false) : Array.from({ length: n }, (_, i) => i);
      order.forEach((j, c) => {
        wOut[b * n + c] = w[j];
        for (let i = 0; i < n; i++) vOut[b * n * n + i * n + c] = v[i * n + j];
      });
    }
    return [emit(vAval.dtype, vOut), emit(wAval.dtype, wOut)];
  },
  svd: ({ fullMatrices, computeUv }, [x], outs) => {
    const [m, n] = x.aval.shape.slice(-2);
    const sAval = outs[0];
    const k = Math.min(m, n);
    const count = batchCount(x.aval.shape);
    const full = fullMatrices && computeUv;
    const uc = full ? m : k;
    const vr = full ? n : k;
    const sOut = new Float64Array(sAval.size);
    const uOut = new Float64Array(computeUv ? outs[1].size : 0);
    const vOut = new Float64Array(computeUv ? outs[2].size : 0);
    for (let b = 0; b < count; b++) {
      const a = matrixAt(x._data!, b, m, n);
      const [s, u, vt] = svdMatrix(a, m, n, full);
      sOut.set(s, b * k);
      if (computeUv) {
        uOut.set(u, b * m * uc);
        vOut.set(vt, b * vr * n);
      }
    }
    const res = [emit(sAval.dtype, sOut)];
    if (computeUv) res.push(emit(outs[1].dtype, uOut), emit(outs[2].dtype, vOut));
    return res;
  },
};
