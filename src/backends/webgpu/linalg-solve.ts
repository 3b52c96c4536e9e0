/**
 * triangular_solve on the GPU in float32, batched, with the cpu routine's
 * conventions (backends/cpu/linalg-solve.ts): only A's named triangle is read
 * (its diagonal not at all when unitDiagonal), a zero diagonal gives ±∞/NaN.
 *
 * Every case is C·x = b for each right-hand side, C = op(A) (left side) or
 * op(A)ᵀ (right side, Xᵀ's columns): C[r,i] is A[r,i] or A[i,r], and C is lower
 * (forward substitution) or upper (backward). Strides in uniforms say which, so
 * one pipeline serves all sixteen option sets.
 *
 * One workgroup per matrix and block of `ch` right-hand sides (ch a power of two
 * up to 32): thread t works on right-hand side t % ch and rows t / ch, t / ch +
 * WG / ch, …. Step s (unknown i = the s-th in substitution order, its value x_i
 * in shared memory) subtracts C[r,i]·x_i from every later row r; the thread that
 * updates the next row also divides it by its diagonal and shares it, so each
 * step needs one barrier (shared values alternate between two halves of `xs`).
 */
import type { ShapedArray } from "../../core/aval.js";
import type { RoutineOf } from "../../kernel/routines.js";
import { allocGpu, type WebGpuBuffer } from "./buffer.js";
import { uniformDecl } from "./device.js";
import { BARRIER, WG, dispatchGroups, matrices, perWorkgroup } from "./linalg-wgsl.js";

/**
 * Uniform words: 0 m, 1 right-hand sides, 2 blocks of them per matrix, 3 workgroups,
 * 4 forward, 5 unit diagonal, 6/7 A's strides of C's row and column index,
 * 8/9 b's strides of the unknown and of the right-hand side, 10 b's matrix size, 11 ch.
 */
const SOLVE = `${uniformDecl(12)}
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
var<workgroup> xs: array<f32, ${2 * WG}>;
fn row(s: u32) -> u32 { if (uget(4u) != 0u) { return s; } return uget(0u) - 1u - s; }
${perWorkgroup(3)}
  let m = uget(0u); let nrhs = uget(1u); let blocks = uget(2u);
  let unit = uget(5u) != 0u;
  let aR = uget(6u); let aI = uget(7u); let bI = uget(8u); let bK = uget(9u);
  let ch = uget(11u);
  let mat = g / blocks;
  let kk = t % ch; let lane = t / ch; let lanes = ${WG}u / ch;
  let k = (g % blocks) * ch + kk;
  let live = k < nrhs;
  let aBase = mat * m * m;
  let bBase = mat * uget(10u) + k * bK;
  if (live) {
    for (var i = lane; i < m; i += lanes) { out[bBase + i * bI] = b[bBase + i * bI]; }
  }
  ${BARRIER}
  if (live && lane == 0u && m > 0u) {
    let i = row(0u);
    var v = out[bBase + i * bI];
    if (!unit) { v = v / a[aBase + i * (m + 1u)]; }
    out[bBase + i * bI] = v;
    xs[kk] = v;
  }
  ${BARRIER}
  for (var s = 0u; s + 1u < m; s++) {
    let i = row(s);
    let cur = (s & 1u) * ${WG}u;
    let xi = xs[cur + kk];
    if (live) {
      for (var q = lane; q < m - 1u - s; q += lanes) {
        let r = row(s + 1u + q);
        var v = out[bBase + r * bI] - a[aBase + r * aR + i * aI] * xi;
        if (q == 0u) {
          if (!unit) { v = v / a[aBase + r * (m + 1u)]; }
          xs[${WG}u - cur + kk] = v;
        }
        out[bBase + r * bI] = v;
      }
    }
    ${BARRIER}
  }
}
`;

/** Right-hand sides per workgroup: the next power of two ≥ nrhs, at most 32 (at least 8 rows in flight). */
const blockWidth = (nrhs: number): number => Math.min(32, 2 ** Math.ceil(Math.log2(Math.max(1, nrhs))));

export function triangularSolve(
  r: RoutineOf<"triangular_solve">,
  a: WebGpuBuffer,
  b: WebGpuBuffer,
  ba: ShapedArray,
): WebGpuBuffer[] | null {
  if (ba.dtype !== "float32") return null;
  const [batch, rows, cols] = matrices(ba);
  const m = r.leftSide ? rows : cols;
  const nrhs = r.leftSide ? cols : rows;
  const direct = r.leftSide !== r.transposeA; // C[r,i] = A[r,i], else A[i,r]
  const forward = direct ? r.lower : !r.lower;
  const [bI, bK] = r.leftSide ? [cols, 1] : [1, cols];
  const ch = blockWidth(nrhs);
  const blocks = Math.ceil(nrhs / ch);
  const groups = batch * blocks;
  const out = allocGpu("float32", ba.size, "triangular_solve");
  const u = [
    m,
    nrhs,
    blocks,
    groups,
    +forward,
    +r.unitDiagonal,
    direct ? m : 1,
    direct ? 1 : m,
    bI,
    bK,
    rows * cols,
    ch,
  ];
  if (m > 0 && nrhs > 0) dispatchGroups(SOLVE, u, [a.gpu, b.gpu], [out.gpu], groups);
  return [out];
}
