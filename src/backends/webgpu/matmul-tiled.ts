/**
 * The tiled matrix product's shader. A 16×16 workgroup computes a 64×64 tile
 * of the result, 4×4 per thread, with 16-deep slices of both operands staged
 * in shared memory: each value read from memory serves 64 multiply-adds.
 *
 * Operands are [batch, free, contracting] through three strides (uniforms), so
 * one pipeline per dtype serves every shape. The vec4 variant binds both
 * operands as arrays of vec4 and loads 4 consecutive elements per thread and
 * step along an operand's contiguous axis; it needs that axis's extent and the
 * other strides to be multiples of 4 (every vec4 then starts on a 16-byte
 * boundary and lies inside one row). An operand that is not aligned is read one
 * element at a time from its vec4 view (`mode` 2).
 */
export const TILE = 64;
const DEPTH = 16;

/** Uniform words: M, N, K, a's batch, row, depth strides, b's batch, depth, column strides, batch count, a's mode, b's mode. */
export const TILED_WORDS = 12;

/** One element of a slice of `x` (a scalar array, or a vec4 array read at `e`). */
const at = (x: string, e: string, vec: boolean): string => (vec ? `${x}[(${e}) / 4u][(${e}) % 4u]` : `${x}[${e}]`);

/** The scalar load of one element of a's slice (64 rows × 16 depths), for slice index `idx`. */
function aScalar(t: string, vec: boolean): string {
  return `let ar = idx / ${DEPTH}u; let ak = idx % ${DEPTH}u;
      var av = ${t}(0);
      if (m0 + ar < M && k0 + ak < K) { av = ${at("a", "aBase + (m0 + ar) * uget(4u) + (k0 + ak) * uget(5u)", vec)}; }
      ta[ak][ar] = av;`;
}

/** The scalar load of one element of b's slice (16 depths × 64 columns). */
function bScalar(t: string, vec: boolean): string {
  return `let bk = idx / ${TILE}u; let bc = idx % ${TILE}u;
      var bv = ${t}(0);
      if (k0 + bk < K && n0 + bc < N) { bv = ${at("b", "bBase + (k0 + bk) * uget(7u) + (n0 + bc) * uget(8u)", vec)}; }
      tb[bk][bc] = bv;`;
}

/** Four slice elements per thread (256 threads fill 1024), one at a time. */
const fourSteps = (body: string): string => `for (var l = 0u; l < 4u; l++) {
      let idx = flat + l * 256u;
      ${body}
    }`;

/**
 * The vec4 loads: 256 threads × 4 elements fill each 1024-element slice in one
 * step. a along its depth (mode 0: a row's 16 depths are 4 vec4) or its rows
 * (mode 1); b along its columns (mode 0) or its depth (mode 1). An extent that
 * is a multiple of 4 means a vec4 is wholly inside or wholly outside the operand.
 */
function vectorLoads(t: string): string {
  const z4 = `vec4<${t}>(${t}(0))`;
  return `
    let am = uget(10u); let bm = uget(11u);
    if (am == 2u) {
      ${fourSteps(aScalar(t, true))}
    } else if (am == 0u) {
      let ar = flat / 4u; let ak = (flat % 4u) * 4u;
      var v = ${z4};
      if (m0 + ar < M && k0 + ak < K) { v = a[(aBase + (m0 + ar) * uget(4u) + k0 + ak) / 4u]; }
      for (var i = 0u; i < 4u; i++) { ta[ak + i][ar] = v[i]; }
    } else {
      let ak = flat / 16u; let ar = (flat % 16u) * 4u;
      var v = ${z4};
      if (m0 + ar < M && k0 + ak < K) { v = a[(aBase + m0 + ar + (k0 + ak) * uget(5u)) / 4u]; }
      for (var i = 0u; i < 4u; i++) { ta[ak][ar + i] = v[i]; }
    }
    if (bm == 2u) {
      ${fourSteps(bScalar(t, true))}
    } else if (bm == 0u) {
      let bk = flat / 16u; let bc = (flat % 16u) * 4u;
      var v = ${z4};
      if (k0 + bk < K && n0 + bc < N) { v = b[(bBase + (k0 + bk) * uget(7u) + n0 + bc) / 4u]; }
      for (var i = 0u; i < 4u; i++) { tb[bk][bc + i] = v[i]; }
    } else {
      let bc = flat / 4u; let bk = (flat % 4u) * 4u;
      var v = ${z4};
      if (k0 + bk < K && n0 + bc < N) { v = b[(bBase + k0 + bk + (n0 + bc) * uget(8u)) / 4u]; }
      for (var i = 0u; i < 4u; i++) { tb[bk + i][bc] = v[i]; }
    }`;
}

/** The shader for value type `t`; `vec` binds the operands as vec4 arrays. */
export function tiledShader(t: string, vec: boolean): string {
  const elem = vec ? `vec4<${t}>` : t;
  const loads = vec ? vectorLoads(t) : fourSteps(`${aScalar(t, false)}\n      ${bScalar(t, false)}`);
  return `struct U { v: array<vec4<u32>, ${TILED_WORDS / 4}> }
@group(0) @binding(0) var<uniform> u: U;
fn uget(i: u32) -> u32 { return u.v[i / 4u][i % 4u]; }
@group(0) @binding(1) var<storage, read> a: array<${elem}>;
@group(0) @binding(2) var<storage, read> b: array<${elem}>;
@group(0) @binding(3) var<storage, read_write> out: array<${t}>;
var<workgroup> ta: array<array<${t}, ${TILE}>, ${DEPTH}>;
var<workgroup> tb: array<array<${t}, ${TILE}>, ${DEPTH}>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let M = uget(0u); let N = uget(1u); let K = uget(2u);
  let batch = wid.z;
  let m0 = wid.y * ${TILE}u; let n0 = wid.x * ${TILE}u;
  let aBase = batch * uget(3u); let bBase = batch * uget(6u);
  let flat = lid.y * 16u + lid.x;
  var acc: array<array<${t}, 4>, 4>;
  for (var i = 0u; i < 4u; i++) { for (var j = 0u; j < 4u; j++) { acc[i][j] = ${t}(0); } }
  for (var k0 = 0u; k0 < K; k0 += ${DEPTH}u) {
    ${loads}
    workgroupBarrier();
    for (var kk = 0u; kk < ${DEPTH}u; kk++) {
      var ar: array<${t}, 4>; var br: array<${t}, 4>;
      for (var i = 0u; i < 4u; i++) { ar[i] = ta[kk][lid.y + 16u * i]; br[i] = tb[kk][lid.x + 16u * i]; }
      for (var i = 0u; i < 4u; i++) { for (var j = 0u; j < 4u; j++) { acc[i][j] += ar[i] * br[j]; } }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let m = m0 + lid.y + 16u * i;
    for (var j = 0u; j < 4u; j++) {
      let n = n0 + lid.x + 16u * j;
      if (m < M && n < N) { out[batch * M * N + m * N + n] = acc[i][j]; }
    }
  }
}
`;
}
