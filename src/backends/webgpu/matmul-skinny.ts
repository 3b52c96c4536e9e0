/**
 * The matrix product for skinny and small results (matrix–vector, a few
 * columns or rows, or less than one 64×64 tile), where a tile would leave
 * almost every thread idle. The product is seen as rows × columns with at most
 * 8 columns per workgroup (the caller swaps the operands, C^T = B^T A^T, when
 * the result has fewer rows than columns).
 *
 * A workgroup of 256 threads computes R = 256 / L rows × 8 columns: the L
 * threads of one row split K between them (thread `lane` takes k = lane,
 * lane + L, ...), each keeping 8 partial sums, then halve their partials in
 * shared memory (the reduction of reduce-shader.ts). L, a power of two, grows
 * with K so a short K still fills the workgroup with rows.
 */
const WG = 256;
/** Columns per workgroup. */
export const COLS = 8;

/** Uniform words: rows, columns, K; a's batch, row, depth strides; b's batch, depth, column strides; out's batch, row, column strides; L. */
export const SKINNY_WORDS = 13;

/** Threads per row for a depth of K: about 4 products each, at most the whole workgroup. */
export function lanesFor(K: number): number {
  let L = 1;
  while (L < WG && L * 4 < K) L *= 2;
  return L;
}

export function skinnyShader(t: string): string {
  return `struct U { v: array<vec4<u32>, ${Math.ceil(SKINNY_WORDS / 4)}> }
@group(0) @binding(0) var<uniform> u: U;
fn uget(i: u32) -> u32 { return u.v[i / 4u][i % 4u]; }
@group(0) @binding(1) var<storage, read> a: array<${t}>;
@group(0) @binding(2) var<storage, read> b: array<${t}>;
@group(0) @binding(3) var<storage, read_write> out: array<${t}>;
var<workgroup> sh: array<array<${t}, ${WG}>, ${COLS}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let M = uget(0u); let N = uget(1u); let K = uget(2u); let L = uget(12u);
  let t = lid.x; let lane = t % L;
  let m = wid.x * (${WG}u / L) + t / L;
  let n0 = wid.y * ${COLS}u; let batch = wid.z;
  let nc = min(${COLS}u, N - n0);
  var acc: array<${t}, ${COLS}>;
  for (var j = 0u; j < ${COLS}u; j++) { acc[j] = ${t}(0); }
  if (m < M) {
    let aRow = batch * uget(3u) + m * uget(4u);
    let bCol = batch * uget(6u) + n0 * uget(8u);
    for (var k = lane; k < K; k += L) {
      let av = a[aRow + k * uget(5u)];
      let bk = bCol + k * uget(7u);
      for (var j = 0u; j < nc; j++) { acc[j] += av * b[bk + j * uget(8u)]; }
    }
  }
  for (var j = 0u; j < ${COLS}u; j++) { sh[j][t] = acc[j]; }
  workgroupBarrier();
  for (var w = L / 2u; w > 0u; w = w / 2u) {
    if (lane < w) { for (var j = 0u; j < nc; j++) { sh[j][t] += sh[j][t + w]; } }
    workgroupBarrier();
  }
  if (lane == 0u && m < M) {
    let o = batch * uget(9u) + m * uget(10u);
    for (var j = 0u; j < nc; j++) { out[o + (n0 + j) * uget(11u)] = sh[j][t]; }
  }
}
`;
}
