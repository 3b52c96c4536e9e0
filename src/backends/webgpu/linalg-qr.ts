/**
 * qr on the GPU in float32, one workgroup per matrix, as the cpu routine
 * (backends/cpu/linalg-spectral.ts): Householder reflectors in LAPACK's
 * geqrf/dlarfg convention (β = −sign(α)·‖x‖, τ = (β − α)/β, v₀ = 1, no reflection
 * when the entries below the diagonal are already zero), then Q = H₀ H₁ … H_{k−1}
 * applied to the first qc columns of the identity (orgqr). Same signs as cpu
 * and NumPy; values within float32's backward error of Householder QR.
 *
 * Step j: ‖A[j+1:, j]‖ by a workgroup reduction of (scale, ssq) pairs (LAPACK
 * dnrm2's scaled sum of squares: Σx² = scale²·ssq, no overflow or underflow of
 * the squares), thread 0 forms β, τ and the scale of v; then each thread takes
 * whole columns c > j: w = τ·(A[j,c] + Σ v_i A[i,c]), A[:,c] −= w·v.
 */
import type { ShapedArray } from "../../core/aval.js";
import { allocGpu, type WebGpuBuffer } from "./buffer.js";
import { uniformDecl } from "./device.js";
import { BARRIER, WG, dispatchGroups, matrices, perWorkgroup } from "./linalg-wgsl.js";
import { FLOAT_PRELUDE } from "./wgsl-math.js";

/** Uniform words: m, n, qc (Q's columns and R's rows: m full, k reduced), batch. */
const QR = `${uniformDecl(4)}${FLOAT_PRELUDE}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> a: array<f32>;
@group(0) @binding(3) var<storage, read_write> tau: array<f32>;
@group(0) @binding(4) var<storage, read_write> q: array<f32>;
@group(0) @binding(5) var<storage, read_write> r: array<f32>;
var<workgroup> redS: array<f32, ${WG}>;
var<workgroup> redQ: array<f32, ${WG}>;
var<workgroup> tauJ: f32;
var<workgroup> scaleJ: f32;
${perWorkgroup(3)}
  let m = uget(0u); let n = uget(1u); let qc = uget(2u); let k = min(m, n);
  let base = g * m * n; let tb = g * k; let qb = g * m * qc; let rb = g * qc * n;
  for (var e = t; e < m * n; e += ${WG}u) { a[base + e] = x[base + e]; }
  ${BARRIER}
  for (var j = 0u; j < k; j++) {
    // This thread's share of ‖A[j+1:, j]‖ as (scale, ssq); a NaN makes ssq NaN.
    var sc = 0.0; var sq = 0.0;
    for (var i = j + 1u + t; i < m; i += ${WG}u) {
      let v = abs(a[base + i * n + j]);
      if (v > sc) { sq = 1.0 + sq * (sc / v) * (sc / v); sc = v; }
      else if (v > 0.0 || f_isnan(v)) { sq = sq + (v / sc) * (v / sc); }
    }
    redS[t] = sc; redQ[t] = sq;
    workgroupBarrier();
    for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
      if (t < s) {
        let s1 = redS[t]; let s2 = redS[t + s];
        let h = max(s1, s2);
        if (h > 0.0) { redQ[t] = redQ[t] * (s1 / h) * (s1 / h) + redQ[t + s] * (s2 / h) * (s2 / h); }
        else { redQ[t] = redQ[t] + redQ[t + s]; }
        redS[t] = h;
      }
      workgroupBarrier();
    }
    if (t == 0u) {
      let xn = redS[0] * sqrt(redQ[0]);
      var tj = 0.0; var sj = 1.0;
      if (!(xn == 0.0) || f_isnan(xn)) {
        let alpha = a[base + j * n + j];
        // hypot(α, ‖x‖) without overflow.
        let h = max(abs(alpha), xn);
        var norm = h * sqrt((alpha / h) * (alpha / h) + (xn / h) * (xn / h));
        if (h == f_inf()) { norm = h; }
        var beta = norm;
        if (alpha >= 0.0) { beta = -norm; }
        tj = (beta - alpha) / beta;
        sj = 1.0 / (alpha - beta);
        a[base + j * n + j] = beta;
      }
      tauJ = tj; scaleJ = sj;
      tau[tb + j] = tj;
    }
    ${BARRIER}
    let tj = tauJ; let sj = scaleJ;
    if (tj != 0.0 || f_isnan(tj)) {
      for (var i = j + 1u + t; i < m; i += ${WG}u) { a[base + i * n + j] = a[base + i * n + j] * sj; }
    }
    ${BARRIER}
    if (tj != 0.0 || f_isnan(tj)) {
      for (var c = j + 1u + t; c < n; c += ${WG}u) {
        var w = a[base + j * n + c];
        for (var i = j + 1u; i < m; i++) { w = w + a[base + i * n + j] * a[base + i * n + c]; }
        w = w * tj;
        a[base + j * n + c] = a[base + j * n + c] - w;
        for (var i = j + 1u; i < m; i++) { a[base + i * n + c] = a[base + i * n + c] - w * a[base + i * n + j]; }
      }
    }
    ${BARRIER}
  }
  // R: A's upper triangle (rows past n are zero); Q starts as the identity's first qc columns.
  for (var e = t; e < qc * n; e += ${WG}u) {
    let i = e / n; let c = e % n;
    if (c >= i) { r[rb + e] = a[base + i * n + c]; } else { r[rb + e] = 0.0; }
  }
  for (var e = t; e < m * qc; e += ${WG}u) { q[qb + e] = select(0.0, 1.0, e / qc == e % qc); }
  ${BARRIER}
  for (var jj = 0u; jj < k; jj++) {
    let j = k - 1u - jj;
    let tj = tau[tb + j];
    if (tj != 0.0 || f_isnan(tj)) {
      for (var c = t; c < qc; c += ${WG}u) {
        var w = q[qb + j * qc + c];
        for (var i = j + 1u; i < m; i++) { w = w + a[base + i * n + j] * q[qb + i * qc + c]; }
        w = w * tj;
        q[qb + j * qc + c] = q[qb + j * qc + c] - w;
        for (var i = j + 1u; i < m; i++) { q[qb + i * qc + c] = q[qb + i * qc + c] - w * a[base + i * n + j]; }
      }
    }
    ${BARRIER}
  }
}
`;

export function qr(fullMatrices: boolean, x: WebGpuBuffer, xa: ShapedArray): WebGpuBuffer[] | null {
  if (xa.dtype !== "float32") return null;
  const [batch, m, n] = matrices(xa);
  const k = Math.min(m, n);
  const qc = fullMatrices ? m : k;
  const q = allocGpu("float32", batch * m * qc, "qr");
  const r = allocGpu("float32", batch * qc * n, "qr");
  if (batch * m * Math.max(n, qc) === 0) return [q, r];
  const work = allocGpu("float32", xa.size, "qr");
  const tau = allocGpu("float32", batch * k, "qr");
  dispatchGroups(QR, [m, n, qc, batch], [x.gpu], [work.gpu, tau.gpu, q.gpu, r.gpu], batch);
  // Back to the pool: the queue runs the recorded dispatch before any later use of them.
  work.dispose();
  tau.dispose();
  return [q, r];
}
