/**
 * cholesky and lu on the GPU in float32, one workgroup per matrix of the batch,
 * with the cpu routines' conventions (backends/cpu/linalg-solve.ts): the same
 * right-looking order of updates, the same pivot rule, the same NaN behaviour.
 * The cpu works in float64 and rounds once; here every step rounds to float32,
 * so values agree within float32's backward error (a small multiple of
 * n·ε·‖A‖, ε = 2⁻²⁴), and pivots agree wherever float32 rounding does not
 * reorder two candidates of a column.
 */
import type { ShapedArray } from "../../core/aval.js";
import { allocGpu, type WebGpuBuffer } from "./buffer.js";
import { uniformDecl } from "./device.js";
import { BARRIER, WG, dispatchGroups, matrices, perWorkgroup } from "./linalg-wgsl.js";
import { FLOAT_PRELUDE } from "./wgsl-math.js";

/**
 * Cholesky–Banachiewicz, right-looking: at step j, d = √A[j,j], the column below
 * is divided by d, and the trailing lower triangle gets A[i,c] −= L[i,j]·L[c,j]
 * (c ≤ i), so every entry subtracts its products in the cpu's order k = 0, 1, ….
 * Only the lower triangle is read (the upper one is zeroed first). A diagonal
 * that is not > 0 (or NaN) marks the matrix, and a marked matrix is NaN
 * everywhere at the end, as on cpu.
 *
 * The trailing triangle's element e (of r(r+1)/2) is row p = ⌊(√(8e+1) − 1)/2⌋,
 * column q = e − p(p+1)/2, the float square root corrected by one either way.
 * Uniform words: n, batch.
 */
const CHOLESKY = `${uniformDecl(2)}${FLOAT_PRELUDE}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> l: array<f32>;
var<workgroup> bad: u32;
${perWorkgroup(1)}
  let n = uget(0u);
  let base = g * n * n;
  for (var e = t; e < n * n; e += ${WG}u) {
    if (e % n <= e / n) { l[base + e] = x[base + e]; } else { l[base + e] = 0.0; }
  }
  if (t == 0u) { bad = 0u; }
  ${BARRIER}
  for (var j = 0u; j < n; j++) {
    let s = l[base + j * n + j];
    let d = sqrt(s);
    if (t == 0u && (!(s > 0.0) || f_isnan(s))) { bad = 1u; }
    for (var i = j + 1u + t; i < n; i += ${WG}u) { l[base + i * n + j] = l[base + i * n + j] / d; }
    ${BARRIER}
    if (t == 0u) { l[base + j * n + j] = d; }
    let r = n - j - 1u;
    for (var e = t; e < r * (r + 1u) / 2u; e += ${WG}u) {
      var p = u32((sqrt(8.0 * f32(e) + 1.0) - 1.0) * 0.5);
      if (p * (p + 1u) / 2u > e) { p -= 1u; }
      if ((p + 1u) * (p + 2u) / 2u <= e) { p += 1u; }
      let i = j + 1u + p;
      let c = j + 1u + e - p * (p + 1u) / 2u;
      l[base + i * n + c] = l[base + i * n + c] - l[base + i * n + j] * l[base + c * n + j];
    }
    ${BARRIER}
  }
  if (bad != 0u) {
    for (var e = t; e < n * n; e += ${WG}u) { l[base + e] = f_nan(); }
  }
}
`;

export function cholesky(x: WebGpuBuffer, xa: ShapedArray): WebGpuBuffer[] | null {
  if (xa.dtype !== "float32") return null;
  const [batch, n] = matrices(xa);
  const out = allocGpu("float32", xa.size, "cholesky");
  if (n > 0) dispatchGroups(CHOLESKY, [n, batch], [x.gpu], [out.gpu], batch);
  return [out];
}

/**
 * Gaussian elimination with partial pivoting (getrf), right-looking, as on cpu.
 * Step j: (1) the pivot: the largest |A[i,j]|, i ≥ j, the first of equals, NaN
 * never chosen (and j itself when A[j,j] is NaN), as reference LAPACK's idamax;
 * each thread keeps the first maximum of its rows, then a tree keeps the larger
 * value or, on ties, the smaller row; (2) rows j and p swap, and so do the
 * permutation's entries; (3) the column below the pivot is divided by it
 * (skipped for a zero pivot); (4) A[i,c] −= A[i,j]·A[j,c] on the trailing block,
 * skipped where A[i,j] is 0 (as cpu: 0·∞ never makes a NaN). NaN ≠ 0 is spelled
 * out with f_isnan: drivers may compile `!=` as an ordered comparison.
 * Uniform words: m, n, batch.
 */
const LU = `${uniformDecl(3)}${FLOAT_PRELUDE}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> a: array<f32>;
@group(0) @binding(3) var<storage, read_write> piv: array<i32>;
@group(0) @binding(4) var<storage, read_write> perm: array<i32>;
var<workgroup> bestV: array<f32, ${WG}>;
var<workgroup> bestI: array<u32, ${WG}>;
${perWorkgroup(2)}
  let m = uget(0u); let n = uget(1u); let k = min(m, n);
  let base = g * m * n;
  for (var e = t; e < m * n; e += ${WG}u) { a[base + e] = x[base + e]; }
  for (var i = t; i < m; i += ${WG}u) { perm[g * m + i] = i32(i); }
  ${BARRIER}
  for (var j = 0u; j < k; j++) {
    var bv = -1.0;
    var bi = 0xffffffffu;
    for (var i = j + t; i < m; i += ${WG}u) {
      let v = abs(a[base + i * n + j]);
      if (!f_isnan(v) && v > bv) { bv = v; bi = i; }
    }
    bestV[t] = bv; bestI[t] = bi;
    workgroupBarrier();
    for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
      if (t < s) {
        let v = bestV[t + s]; let i = bestI[t + s];
        if (v > bestV[t] || (v == bestV[t] && i < bestI[t])) { bestV[t] = v; bestI[t] = i; }
      }
      workgroupBarrier();
    }
    var p = bestI[0];
    if (p == 0xffffffffu || f_isnan(a[base + j * n + j])) { p = j; }
    ${BARRIER}
    if (t == 0u) {
      piv[g * k + j] = i32(p);
      if (p != j) { let q = perm[g * m + j]; perm[g * m + j] = perm[g * m + p]; perm[g * m + p] = q; }
    }
    if (p != j) {
      for (var c = t; c < n; c += ${WG}u) {
        let v = a[base + j * n + c]; a[base + j * n + c] = a[base + p * n + c]; a[base + p * n + c] = v;
      }
    }
    ${BARRIER}
    let d = a[base + j * n + j];
    if (d != 0.0 || f_isnan(d)) {
      for (var i = j + 1u + t; i < m; i += ${WG}u) { a[base + i * n + j] = a[base + i * n + j] / d; }
    }
    ${BARRIER}
    let rows = m - j - 1u; let cols = n - j - 1u;
    for (var e = t; e < rows * cols; e += ${WG}u) {
      let i = j + 1u + e / cols; let c = j + 1u + e % cols;
      let f = a[base + i * n + j];
      if (f != 0.0 || f_isnan(f)) { a[base + i * n + c] = a[base + i * n + c] - f * a[base + j * n + c]; }
    }
    ${BARRIER}
  }
}
`;

export function lu(x: WebGpuBuffer, xa: ShapedArray): WebGpuBuffer[] | null {
  if (xa.dtype !== "float32") return null;
  const [batch, m, n] = matrices(xa);
  const out = allocGpu("float32", xa.size, "lu");
  const piv = allocGpu("int32", batch * Math.min(m, n), "lu");
  const perm = allocGpu("int32", batch * m, "lu");
  if (m > 0) dispatchGroups(LU, [m, n, batch], [x.gpu], [out.gpu, piv.gpu, perm.gpu], batch);
  return [out, piv, perm];
}
