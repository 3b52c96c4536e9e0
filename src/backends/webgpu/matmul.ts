/**
 * lax.dot_general as a batched tiled matrix product. Each operand is seen as
 * [batch, free, contracting] through three strides (read in place when its
 * axes of each group are adjacent in memory, as for transposed operands;
 * otherwise copied once into that order). A 16×16 workgroup computes a 64×64
 * tile of the result, 4×4 per thread, with 16-deep slices of both operands
 * staged in shared memory: each value read from memory serves 64 multiply-adds.
 */
import { ShapedArray, stridesOf } from "../../core/aval.js";
import type { RoutineOf } from "../../kernel/routines.js";
import { MAX_GROUPS, dispatch, uniformDecl } from "./device.js";
import { allocGpu, type WebGpuBuffer } from "./buffer.js";
import { elementwiseRoutine, valueType } from "./routines.js";

const TILE = 64;
const DEPTH = 16;

function shader(t: string): string {
  const zero = `${t}(0)`;
  return `${uniformDecl(11)}
@group(0) @binding(1) var<storage, read> a: array<${t}>;
@group(0) @binding(2) var<storage, read> b: array<${t}>;
@group(0) @binding(3) var<storage, read_write> out: array<${t}>;
var<workgroup> ta: array<array<${t}, ${TILE}>, ${DEPTH}>;
var<workgroup> tb: array<array<${t}, ${TILE}>, ${DEPTH}>;
// Uniform words: M, N, K, then a's batch, row, depth strides, b's batch, depth, column strides, batch count.
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let M = uget(0u); let N = uget(1u); let K = uget(2u);
  let batch = wid.z;
  let m0 = wid.y * ${TILE}u; let n0 = wid.x * ${TILE}u;
  let aBase = batch * uget(3u); let bBase = batch * uget(6u);
  let flat = lid.y * 16u + lid.x;
  var acc: array<array<${t}, 4>, 4>;
  for (var i = 0u; i < 4u; i++) { for (var j = 0u; j < 4u; j++) { acc[i][j] = ${zero}; } }
  for (var k0 = 0u; k0 < K; k0 += ${DEPTH}u) {
    for (var l = 0u; l < 4u; l++) {
      let idx = flat + l * 256u;
      // a's slice: 64 rows × 16 depths; b's: 16 depths × 64 columns; zeros past the edges.
      let ar = idx / ${DEPTH}u; let ak = idx % ${DEPTH}u;
      var av = ${zero};
      if (m0 + ar < M && k0 + ak < K) { av = a[aBase + (m0 + ar) * uget(4u) + (k0 + ak) * uget(5u)]; }
      ta[ak][ar] = av;
      let bk = idx / ${TILE}u; let bc = idx % ${TILE}u;
      var bv = ${zero};
      if (k0 + bk < K && n0 + bc < N) { bv = b[bBase + (k0 + bk) * uget(7u) + (n0 + bc) * uget(8u)]; }
      tb[bk][bc] = bv;
    }
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

/** The stride of a group of axes read as one (their positions in order), or null if they are not adjacent in memory. */
function groupStride(axes: number[], shape: readonly number[], strides: number[]): number | null {
  const live = axes.filter((d) => shape[d] !== 1);
  if (live.length === 0) return 0;
  for (let i = 0; i + 1 < live.length; i++) {
    if (strides[live[i]] !== strides[live[i + 1]] * shape[live[i + 1]]) return null;
  }
  return strides[live[live.length - 1]];
}

interface Operand {
  buffer: WebGpuBuffer;
  /** Strides of the batch, free and contracting groups. */
  strides: [number, number, number];
  free: number;
}

/** `x` as [batch, free, contracting]: in place, or copied into that order when its groups are not adjacent. */
function operand(x: WebGpuBuffer, xa: ShapedArray, batch: number[], contract: number[]): Operand {
  const free = xa.shape.map((_, d) => d).filter((d) => !batch.includes(d) && !contract.includes(d));
  const size = (axes: number[]): number => axes.reduce((p, d) => p * xa.shape[d], 1);
  const s = stridesOf(xa.shape);
  const groups = [batch, free, contract].map((g) => groupStride(g, xa.shape, s));
  if (groups.every((g) => g !== null)) {
    return { buffer: x, strides: groups as [number, number, number], free: size(free) };
  }
  const permutation = [...batch, ...free, ...contract];
  const shape = permutation.map((d) => xa.shape[d]);
  const moved = elementwiseRoutine({ name: "transpose", permutation }, [x], [xa], [new ShapedArray(shape, xa.dtype)])!;
  const [f, c] = [size(free), size(contract)];
  return { buffer: moved, strides: [f * c, c, 1], free: f };
}

/** dot_general on GPU operands of one dtype; null for other dtypes. */
export function dotGeneral(
  r: RoutineOf<"dot_general">,
  [x, y]: WebGpuBuffer[],
  [xa, ya]: ShapedArray[],
  [oa]: ShapedArray[],
): WebGpuBuffer | null {
  if (xa.dtype !== ya.dtype || oa.dtype !== xa.dtype || xa.dtype === "bool") return null;
  const t = valueType(xa.dtype, "dot_general");
  const [[lc, rc], [lb, rb]] = [r.contracting, r.batch];
  const B = lb.reduce((p, d) => p * xa.shape[d], 1);
  const K = lc.reduce((p, d) => p * xa.shape[d], 1);
  if (B > MAX_GROUPS) return null;
  const a = operand(x, xa, lb, lc);
  // b as [batch, free, contracting]: its depth stride is the contracting group's, its column stride the free group's.
  const b = operand(y, ya, rb, rc);
  const [M, N] = [a.free, b.free];
  const out = allocGpu(oa.dtype, oa.size, "dot_general");
  const u = [M, N, K, a.strides[0], a.strides[1], a.strides[2], b.strides[0], b.strides[2], b.strides[1], B];
  const groups: [number, number, number] = [Math.ceil(N / TILE), Math.ceil(M / TILE), B];
  if (M > 0 && N > 0 && B > 0 && Math.max(groups[0], groups[1]) <= MAX_GROUPS) {
    dispatch(shader(t), u, [a.buffer.gpu, b.buffer.gpu], [out.gpu], groups);
  } else if (M * N * B > 0) {
    return null;
  }
  if (a.buffer !== x) a.buffer.dispose();
  if (b.buffer !== y) b.buffer.dispose();
  return out;
}
