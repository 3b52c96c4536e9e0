/**
 * eigh on the GPU in float32: parallel cyclic Jacobi, one workgroup per matrix of
 * the batch, working in storage memory (so n is not bounded by the 16 KiB of
 * workgroup memory, only by MAX_SPECTRAL: the rotations of one round and the
 * sort's ranks live there).
 *
 * A sweep is N−1 rounds (N = n rounded up to even) of the round-robin "circle"
 * ordering: round r pairs (N−1, r) and ((r+k) mod (N−1), (r−k) mod (N−1)) for
 * k = 1 … N/2−1, so every pair (p, q) meets once a sweep and the N/2 pairs of a
 * round are disjoint (an index n, when n is odd, sits the round out). Disjoint
 * rotations commute, so a round applies all of them at once, A ← JᵀAJ, in three
 * phases separated by barriers: (1) one thread per pair computes its rotation
 * from a_pp, a_qq, a_pq (Golub & Van Loan's sym.schur2, as the cpu: t = tan θ,
 * θ = (a_qq − a_pp)/2a_pq, c = 1/√(1+t²), s = t·c); (2) the rows p, q of every
 * pair rotate; (3) the columns p, q of A and of V rotate, and each 2×2 block
 * takes its exact values a_pp − t·a_pq, a_qq + t·a_pq and 0 off the diagonal.
 *
 * A pair with |a_pq| ≤ ε·√|a_pp|·√|a_qq| (ε = 2⁻²³) is not rotated and a_pq is
 * set to 0, the cpu's test for relative accuracy; the sweeps stop after one
 * that rotated nothing, or after MAX_SWEEPS (NaN or ±∞ in the input: NaN out,
 * never a hang). Jacobi converges quadratically, so a handful of sweeps reach
 * the test; the rotations of the last sweeps are at the rounding level, so a
 * capped result is as accurate as a converged one.
 *
 * Last, the eigenvalues diag(A) are ranked (ascending, NaN last, ties by index:
 * the cpu's stable order) and eigenvalues and eigenvector columns are written in
 * that order. Eigenvectors are unique up to sign (the cpu normalises no sign
 * either): columns agree with the cpu's up to sign, and for repeated eigenvalues
 * up to a rotation within their eigenspace.
 */
import type { ShapedArray } from "../../core/aval.js";
import type { RoutineOf } from "../../kernel/routines.js";
import { allocGpu, type WebGpuBuffer } from "./buffer.js";
import { dispatch, spread, uniformDecl } from "./device.js";
import {
  EPS_F32,
  MAX_SPECTRAL,
  MAX_SWEEPS,
  spectralSizeCheck,
  SPECTRAL_PRELUDE,
  workgroupSize,
} from "./spectral-common.js";

/** Uniform words: n, count (matrices), lower, sort, max sweeps. */
function eighShader(wg: number): string {
  return `${uniformDecl(5)}${SPECTRAL_PRELUDE}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> A: array<f32>;
@group(0) @binding(3) var<storage, read_write> V: array<f32>;
@group(0) @binding(4) var<storage, read_write> vOut: array<f32>;
@group(0) @binding(5) var<storage, read_write> wOut: array<f32>;
// Per pair of the round: c, s and the new a_pp − t·a_pq, a_qq + t·a_pq (s = 0: not rotated).
var<workgroup> rot: array<vec4<f32>, ${MAX_SPECTRAL / 2}>;
var<workgroup> rank: array<u32, ${MAX_SPECTRAL}>;
var<workgroup> changed: atomic<u32>;
var<workgroup> flag: u32;

fn sync() { storageBarrier(); workgroupBarrier(); }

@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid3: vec3u) {
  let b = wid.x + wid.y * nwg.x;
  let n = uget(0u);
  if (b >= uget(1u)) { return; }
  let lid = lid3.x;
  let lower = uget(2u) != 0u;
  let base = b * n * n;
  // The symmetric matrix read from one triangle; V = I.
  for (var e = lid; e < n * n; e += ${wg}u) {
    let i = e / n; let j = e % n;
    let mine = select(i <= j, i >= j, lower);
    A[base + e] = select(x[base + j * n + i], x[base + e], mine);
    V[base + e] = select(0.0, 1.0, i == j);
  }
  let N = n + (n & 1u);
  let half = N / 2u;
  for (var sweep = 0u; sweep < uget(4u); sweep++) {
    if (lid == 0u) { atomicStore(&changed, 0u); }
    sync();
    for (var r = 0u; r + 1u < N; r++) {
      for (var k = lid; k < half; k += ${wg}u) {
        let pq = round_pair(r, k, N);
        var cs = vec4<f32>(1.0, 0.0, 0.0, 0.0);
        if (pq.y < n) {
          let p = pq.x; let q = pq.y;
          let apq = A[base + p * n + q];
          let app = A[base + p * n + p]; let aqq = A[base + q * n + q];
          if (apq != 0.0 && !(abs(apq) <= ${EPS_F32} * sqrt(abs(app)) * sqrt(abs(aqq)))) {
            let t = jacobi_tan((aqq - app) / (2.0 * apq));
            let c = 1.0 / sqrt(1.0 + t * t);
            cs = vec4<f32>(c, t * c, app - t * apq, aqq + t * apq);
            atomicOr(&changed, 1u);
          } else {
            A[base + p * n + q] = 0.0; A[base + q * n + p] = 0.0;
          }
        }
        rot[k] = cs;
      }
      workgroupBarrier();
      // Rows p, q of A ← Jᵀ A.
      for (var e = lid; e < half * n; e += ${wg}u) {
        let k = e / n; let j = e % n; let cs = rot[k];
        if (cs.y != 0.0) {
          let pq = round_pair(r, k, N);
          let ap = A[base + pq.x * n + j]; let aq = A[base + pq.y * n + j];
          A[base + pq.x * n + j] = cs.x * ap - cs.y * aq;
          A[base + pq.y * n + j] = cs.y * ap + cs.x * aq;
        }
      }
      storageBarrier();
      // Columns p, q of A ← A J (the 2×2 block exactly) and of V ← V J.
      for (var e = lid; e < half * n; e += ${wg}u) {
        let k = e / n; let i = e % n; let cs = rot[k];
        if (cs.y != 0.0) {
          let pq = round_pair(r, k, N); let p = pq.x; let q = pq.y;
          if (i == p) {
            A[base + p * n + p] = cs.z;
            A[base + p * n + q] = 0.0;
          } else if (i == q) {
            A[base + q * n + q] = cs.w;
            A[base + q * n + p] = 0.0;
          } else {
            let ap = A[base + i * n + p]; let aq = A[base + i * n + q];
            A[base + i * n + p] = cs.x * ap - cs.y * aq;
            A[base + i * n + q] = cs.y * ap + cs.x * aq;
          }
          let vp = V[base + i * n + p]; let vq = V[base + i * n + q];
          V[base + i * n + p] = cs.x * vp - cs.y * vq;
          V[base + i * n + q] = cs.y * vp + cs.x * vq;
        }
      }
      storageBarrier();
    }
    if (lid == 0u) { flag = atomicLoad(&changed); }
    if (workgroupUniformLoad(&flag) == 0u) { break; }
  }
  // Ranks: ascending, NaN last, ties by index (or the Jacobi order when not sorting).
  for (var j = lid; j < n; j += ${wg}u) {
    let wj = A[base + j * n + j];
    var pos = j;
    if (uget(3u) != 0u) {
      pos = 0u;
      for (var i = 0u; i < n; i++) {
        if (i != j && before_asc(A[base + i * n + i], i, wj, j)) { pos++; }
      }
    }
    rank[j] = pos;
    wOut[b * n + pos] = wj;
  }
  workgroupBarrier();
  for (var e = lid; e < n * n; e += ${wg}u) {
    let i = e / n; let j = e % n;
    vOut[base + i * n + rank[j]] = V[base + e];
  }
}
`;
}

/** eigh of a batch of float32 [..., n, n] on the GPU: [v, w]. */
export function eigh(
  { lower, sortEigenvalues }: RoutineOf<"eigh">,
  [x]: WebGpuBuffer[],
  [xAval]: ShapedArray[],
): WebGpuBuffer[] | null {
  if (xAval.dtype !== "float32") return null;
  const n = xAval.shape[xAval.ndim - 1];
  spectralSizeCheck("eigh", n);
  const count = n === 0 ? 0 : xAval.size / (n * n);
  const vOut = allocGpu("float32", xAval.size, "eigh");
  const wOut = allocGpu("float32", count * n, "eigh");
  if (count === 0) return [vOut, wOut];
  const work = allocGpu("float32", xAval.size, "eigh");
  const vWork = allocGpu("float32", xAval.size, "eigh");
  const wg = workgroupSize(n);
  dispatch(
    eighShader(wg),
    [n, count, lower ? 1 : 0, sortEigenvalues ? 1 : 0, MAX_SWEEPS],
    [x.gpu],
    [work.gpu, vWork.gpu, vOut.gpu, wOut.gpu],
    spread(count),
  );
  work.dispose();
  vWork.dispose();
  return [vOut, wOut];
}
