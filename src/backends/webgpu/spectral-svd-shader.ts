/**
 * The WGSL of the GPU SVD (spectral-svd.ts): one-sided (Hestenes) Jacobi on the
 * columns of B = A (m ≥ n) or Aᵀ (m < n), bm × bn with bm ≥ bn, one workgroup per
 * matrix, in storage memory. Steps, separated by barriers:
 *
 * 1. Scale B by the power of two 2⁻ᵉ that brings max|a| into [½, 1) (exact), so that
 *    the sums of squares neither overflow nor underflow; σ is scaled back at the end.
 * 2. Sweeps of the round-robin ordering of spectral-common.ts. A round computes, for
 *    its bn/2 disjoint column pairs, α = ‖b_p‖², β = ‖b_q‖², γ = b_pᵀb_q (threads per
 *    pair sum strided parts, one thread adds them); rotates pairs with
 *    |γ| > √bm·ε·√α·√β (LAPACK sgesvj's tolerance: the float32 dot product itself
 *    errs by about that much) by the rotation that makes them orthogonal (ζ = (β−α)/2γ,
 *    t = tan θ, as the cpu), columns of B and of V_B alike.
 * 3. σ_j = ‖b_j‖, ranked descending with NaN last (ties by index, the cpu's stable
 *    order); s, the columns b_j/σ_j of U_B and those of V_B are written in that order.
 * 4. The slots of U_B left empty (σ = 0, or the columns beyond min(m, n) of
 *    full_matrices) are completed as the cpu's completeBasis does: for each, the first
 *    standard basis vector eₑ whose residual against every other vector Q of the basis
 *    has ‖r‖² > ½ (else the largest), after two rounds of Gram–Schmidt, normalised.
 *    All candidates are weighed at once by ‖r‖² = 1 − Σₜ Q[e][t]² (its value in exact
 *    arithmetic; the cpu tries them one by one), and each round is classical
 *    Gram–Schmidt (all projections at once, parallel over rows): the cpu's vectors up
 *    to rounding.
 *
 * U_B and V_B are written through strides, so the same code serves A (U_B is U, V_B
 * is V = (Vᵀ)ᵀ) and Aᵀ (U_B is V, V_B is U).
 */
import { EPS_F32, MAX_SPECTRAL, SPECTRAL_PRELUDE } from "./spectral-common.js";

/** Uniform words of the shader, in order. */
export const SVD_UNIFORMS = [
  "count",
  "bm",
  "bn",
  "wide",
  "computeUv",
  "ubCount",
  "urs",
  "ucs",
  "vrs",
  "vcs",
  "maxSweeps",
] as const;

const PAIRS = MAX_SPECTRAL / 2;

/** The shader for workgroups of `wg` threads. */
export function svdShader(wg: number): string {
  const u = (name: (typeof SVD_UNIFORMS)[number]) => `uget(${SVD_UNIFORMS.indexOf(name)}u)`;
  return `${uniformLines(u)}${SPECTRAL_PRELUDE}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> W: array<f32>;
@group(0) @binding(3) var<storage, read_write> VB: array<f32>;
@group(0) @binding(4) var<storage, read_write> sOut: array<f32>;
@group(0) @binding(5) var<storage, read_write> ubOut: array<f32>;
@group(0) @binding(6) var<storage, read_write> vbOut: array<f32>;
// Partial sums α, β, γ of a round (also the scratch of the max and norm reductions).
var<workgroup> pa: array<f32, ${PAIRS}>;
var<workgroup> pb: array<f32, ${PAIRS}>;
var<workgroup> pg: array<f32, ${PAIRS}>;
var<workgroup> rot: array<vec2<f32>, ${PAIRS}>;
var<workgroup> rank: array<u32, ${MAX_SPECTRAL}>;
var<workgroup> changed: atomic<u32>;
var<workgroup> flag: u32;
var<workgroup> bestE: u32;

fn sync() { storageBarrier(); workgroupBarrier(); }

// The max (op 0) or sum (op 1) of pa[0..${wg}) into pa[0], by one thread (few barriers compile fast).
fn reduce_pa(lid: u32, op: u32) {
  workgroupBarrier();
  if (lid == 0u) {
    var acc = pa[0];
    for (var i = 1u; i < ${wg}u; i++) { acc = select(max(acc, pa[i]), acc + pa[i], op == 1u); }
    pa[0] = acc;
  }
  workgroupBarrier();
}

fn ub_at(b: u32, i: u32, t: u32) -> u32 { return b * bm() * ubCount() + i * urs() + t * ucs(); }

// The residual r of eₑ against every other column of U_B (empty ones are zero): two rounds of classical
// Gram–Schmidt, r in W[rBase..], the projections in W[dBase..]; returns ‖r‖².
fn residual(b: u32, e: u32, lid: u32, dBase: u32, rBase: u32) -> f32 {
  let m = bm(); let slots = ubCount();
  for (var i = lid; i < m; i += ${wg}u) {
    var r = select(0.0, 1.0, i == e);
    for (var t = 0u; t < slots; t++) { r -= ubOut[ub_at(b, i, t)] * ubOut[ub_at(b, e, t)]; }
    W[rBase + i] = r;
  }
  storageBarrier();
  for (var t = lid; t < slots; t += ${wg}u) {
    var d = 0.0;
    for (var i = 0u; i < m; i++) { d += ubOut[ub_at(b, i, t)] * W[rBase + i]; }
    W[dBase + t] = d;
  }
  storageBarrier();
  var part = 0.0;
  for (var i = lid; i < m; i += ${wg}u) {
    var r = W[rBase + i];
    for (var t = 0u; t < slots; t++) { r -= ubOut[ub_at(b, i, t)] * W[dBase + t]; }
    W[rBase + i] = r;
    part += r * r;
  }
  pa[lid] = part;
  reduce_pa(lid, 1u);
  let total = pa[0];
  return total;
}

@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid3: vec3u) {
  let b = wid.x + wid.y * nwg.x;
  if (b >= count()) { return; }
  let lid = lid3.x;
  let m = bm(); let n = bn(); let uv = computeUv() != 0u;
  let wBase = b * m * max(n, 2u);
  let vBase = b * n * n;
  // 1. The scale 2⁻ᵉ with max|a| = f·2ᵉ, f in [½, 1).
  var big = 0.0;
  for (var e = lid; e < m * n; e += ${wg}u) { big = max(big, abs(x[b * m * n + e])); }
  pa[lid] = big;
  reduce_pa(lid, 0u);
  big = pa[0];
  var scale = 1.0;
  if (big > 0.0 && big < f_inf()) { scale = ldexp(1.0, -clamp(frexp(big).exp, -125, 125)); }
  workgroupBarrier();
  // W holds B by columns: W[j·bm + i] = B[i][j]; V_B = I.
  for (var e = lid; e < m * n; e += ${wg}u) {
    let j = e / m; let i = e % m;
    W[wBase + e] = scale * select(x[b * m * n + i * n + j], x[b * m * n + e], wide() != 0u);
  }
  if (uv) { for (var e = lid; e < n * n; e += ${wg}u) { VB[vBase + e] = select(0.0, 1.0, e / n == e % n); } }
  // 2. Sweeps.
  let N = n + (n & 1u);
  let half = N / 2u;
  let tp = max(1u, ${wg}u / max(half, 1u));
  let tol = ${EPS_F32} * sqrt(f32(m));
  for (var sweep = 0u; sweep < maxSweeps(); sweep++) {
    if (lid == 0u) { atomicStore(&changed, 0u); }
    sync();
    for (var r = 0u; r + 1u < N; r++) {
      for (var e = lid; e < half * tp; e += ${wg}u) {
        let pq = round_pair(r, e / tp, N);
        var al = 0.0; var be = 0.0; var ga = 0.0;
        if (pq.y < n) {
          for (var i = e % tp; i < m; i += tp) {
            let xp = W[wBase + pq.x * m + i]; let xq = W[wBase + pq.y * m + i];
            al += xp * xp; be += xq * xq; ga += xp * xq;
          }
        }
        pa[e] = al; pb[e] = be; pg[e] = ga;
      }
      workgroupBarrier();
      for (var k = lid; k < half; k += ${wg}u) {
        var al = 0.0; var be = 0.0; var ga = 0.0;
        for (var l = 0u; l < tp; l++) { al += pa[k * tp + l]; be += pb[k * tp + l]; ga += pg[k * tp + l]; }
        var cs = vec2<f32>(1.0, 0.0);
        if (round_pair(r, k, N).y < n && ga != 0.0 && !(abs(ga) <= tol * sqrt(al) * sqrt(be))) {
          let t = jacobi_tan((be - al) / (2.0 * ga));
          let c = 1.0 / sqrt(1.0 + t * t);
          cs = vec2<f32>(c, t * c);
          atomicOr(&changed, 1u);
        }
        rot[k] = cs;
      }
      workgroupBarrier();
      for (var e = lid; e < half * m; e += ${wg}u) {
        let k = e / m; let i = e % m; let cs = rot[k];
        if (cs.y != 0.0) {
          let pq = round_pair(r, k, N);
          let xp = W[wBase + pq.x * m + i]; let xq = W[wBase + pq.y * m + i];
          W[wBase + pq.x * m + i] = cs.x * xp - cs.y * xq;
          W[wBase + pq.y * m + i] = cs.y * xp + cs.x * xq;
        }
      }
      if (uv) {
        for (var e = lid; e < half * n; e += ${wg}u) {
          let k = e / n; let i = e % n; let cs = rot[k];
          if (cs.y != 0.0) {
            let pq = round_pair(r, k, N);
            let vp = VB[vBase + pq.x * n + i]; let vq = VB[vBase + pq.y * n + i];
            VB[vBase + pq.x * n + i] = cs.x * vp - cs.y * vq;
            VB[vBase + pq.y * n + i] = cs.y * vp + cs.x * vq;
          }
        }
      }
      storageBarrier();
    }
    if (lid == 0u) { flag = atomicLoad(&changed); }
    if (workgroupUniformLoad(&flag) == 0u) { break; }
  }
  // 3. σ (scaled) by column, ranks descending (NaN last); U_B's and V_B's columns in that order.
  for (var j = lid; j < n; j += ${wg}u) {
    var ss = 0.0;
    for (var i = 0u; i < m; i++) { let v = W[wBase + j * m + i]; ss += v * v; }
    sOut[b * n + j] = sqrt(ss);
  }
  storageBarrier();
  for (var j = lid; j < n; j += ${wg}u) {
    let sj = sOut[b * n + j];
    var pos = 0u;
    for (var i = 0u; i < n; i++) { if (i != j && before_desc(sOut[b * n + i], i, sj, j)) { pos++; } }
    rank[j] = pos;
  }
  workgroupBarrier();
  if (uv) {
    for (var e = lid; e < m * n; e += ${wg}u) {
      let j = e / m; let i = e % m; let sj = sOut[b * n + j];
      let filled = sj > 0.0 || f_isnan(sj);
      ubOut[ub_at(b, i, rank[j])] = select(0.0, W[wBase + e] / sj, filled);
    }
    // Empty slots are zero, so that projections on every column of U_B leave them out.
    for (var e = lid; e < m * (ubCount() - n); e += ${wg}u) { ubOut[ub_at(b, e % m, n + e / m)] = 0.0; }
    for (var e = lid; e < n * n; e += ${wg}u) {
      let j = e / n; let i = e % n;
      vbOut[vBase + i * vrs() + rank[j] * vcs()] = VB[vBase + e];
    }
  }
  storageBarrier();
  for (var j = lid; j < n; j += ${wg}u) { W[wBase + j] = sOut[b * n + j]; }
  storageBarrier();
  for (var j = lid; j < n; j += ${wg}u) { sOut[b * n + rank[j]] = W[wBase + j] / scale; }
  storageBarrier();
  if (!uv) { return; }
  // 4. The empty slots of U_B: completeBasis.
  for (var s = 0u; s < ubCount(); s++) {
    if (lid == 0u) {
      var empty = s >= n;
      if (!empty) { let sv = sOut[b * n + s]; empty = !(sv > 0.0 || f_isnan(sv)); }
      flag = select(0u, 1u, empty);
    }
    if (workgroupUniformLoad(&flag) == 0u) { continue; }
    // Candidates at once: ‖r_e‖² = 1 − Σ_t Q[e][t]² over the basis (exact arithmetic); the first above ½, else the largest.
    var good = 0xffffffffu; var bv = -1.0; var bi = 0u;
    for (var e = lid; e < m; e += ${wg}u) {
      var q2 = 0.0;
      for (var t = 0u; t < ubCount(); t++) { let q = ubOut[ub_at(b, e, t)]; q2 += q * q; }
      let res = 1.0 - q2;
      if (res > 0.5 && e < good) { good = e; }
      if (res > bv) { bv = res; bi = e; }
    }
    pa[lid] = bv; rank[lid] = bi; rank[${wg}u + lid] = good;
    workgroupBarrier();
    if (lid == 0u) {
      var bestV = pa[0]; var bestI = rank[0]; var first = rank[${wg}u];
      for (var l = 1u; l < ${wg}u; l++) {
        if (pa[l] > bestV || (pa[l] == bestV && rank[l] < bestI)) { bestV = pa[l]; bestI = rank[l]; }
        first = min(first, rank[${wg}u + l]);
      }
      bestE = select(bestI, first, first != 0xffffffffu);
    }
    let inv = 1.0 / sqrt(residual(b, workgroupUniformLoad(&bestE), lid, wBase, wBase + m));
    for (var i = lid; i < m; i += ${wg}u) { ubOut[ub_at(b, i, s)] = W[wBase + m + i] * inv; }
    storageBarrier();
  }
}
`;
}

function uniformLines(u: (name: (typeof SVD_UNIFORMS)[number]) => string): string {
  const words = SVD_UNIFORMS.length;
  const rows = Math.ceil(words / 4);
  const getters = SVD_UNIFORMS.map((name) => `fn ${name}() -> u32 { return ${u(name)}; }`).join("\n");
  return (
    `struct U { v: array<vec4<u32>, ${rows}> }\n@group(0) @binding(0) var<uniform> u: U;\n` +
    `fn uget(i: u32) -> u32 { return u.v[i / 4u][i % 4u]; }\n${getters}\n`
  );
}
