/**
 * lax.sort on the GPU: several operands permuted together along one dimension
 * by the lexicographic order of the first `numKeys`, stably, with cpu's order
 * (backends/cpu/reduce.ts): NaN after every number, -0 equal to +0.
 *
 * Two steps. (1) One workgroup per line sorts the line's indices 0..n-1 in
 * shared memory with a bitonic network over P = 2^⌈log₂n⌉ slots: indices ≥ n
 * pad the line and order after every real one, and equal keys order by index,
 * so the comparison is a strict total order and the network's result is the
 * stable order. Keys are read from memory through the indices (any dtype, any
 * number of keys). (2) Every operand is gathered through the permutation.
 * Lines are [outer, n, inner] as in scan.ts, shapes are uniforms (one pipeline
 * per tuple of key dtypes). Lines longer than MAX_LINE (the indices fill the
 * 16 KiB of shared memory WebGPU guarantees) are a typed error.
 */
import type { ShapedArray } from "../../core/aval.js";
import { stridesOf } from "../../core/aval.js";
import type { RoutineOf } from "../../kernel/routines.js";
import { allocGpu, wgslType, type WebGpuBuffer } from "./buffer.js";
import { dispatch, gpuDevice, spread, uniformDecl } from "./device.js";
import { WebGpuError } from "./errors.js";
import { FLOAT_PRELUDE } from "./wgsl-ops.js";

const WG = 256;
/** The longest line sorted on the GPU: 4096 u32 indices are WebGPU's guaranteed 16 KiB of workgroup memory. */
export const MAX_LINE = 4096;

/** Uniform words: n (line length), inner (line stride), P (padded length), lines. */
const POSITION = `
fn position(line: u32, s: u32) -> u32 {
  let n = uget(0u); let inner = uget(1u);
  return ((line / inner) * n + s) * inner + line % inner;
}`;

/** a before b in one key's order: NaN last, -0 == +0 for floats. */
const less = (t: string, a: string, b: string): string =>
  t === "f32" ? `(!f_isnan(${a}) && (f_isnan(${b}) || ${a} < ${b}))` : `(${a} < ${b})`;

function permutationShader(keyTypes: string[]): string {
  const decls = keyTypes
    .map((t, k) => `@group(0) @binding(${k + 1}) var<storage, read> k${k}: array<${t}>;`)
    .join("\n");
  const compares = keyTypes
    .map((t, k) => {
      const [a, b] = [`k${k}[pa]`, `k${k}[pb]`];
      return `  if ${less(t, a, b)} { return true; }\n  if ${less(t, b, a)} { return false; }`;
    })
    .join("\n");
  return `${uniformDecl(4)}${FLOAT_PRELUDE}${POSITION}
${decls}
@group(0) @binding(${keyTypes.length + 1}) var<storage, read_write> perm: array<u32>;
var<workgroup> idx: array<u32, ${MAX_LINE}>;
// Strict order of indices p, q of a line: pads (≥ n) last, then keys lexicographically, then the index.
fn before(line: u32, p: u32, q: u32) -> bool {
  let n = uget(0u);
  if (p >= n || q >= n) { return p < q; }
  let pa = position(line, p); let pb = position(line, q);
${compares}
  return p < q;
}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let line = wid.x + wid.y * nwg.x;
  if (line >= uget(3u)) { return; }
  let n = uget(0u); let P = uget(2u);
  for (var i = lid.x; i < P; i += ${WG}u) { idx[i] = i; }
  workgroupBarrier();
  // Bitonic merges of runs of k, compare-exchange distance j: slot i with i ^ j, ascending where i & k == 0.
  for (var k = 2u; k <= P; k <<= 1u) {
    for (var j = k >> 1u; j > 0u; j >>= 1u) {
      for (var i = lid.x; i < P; i += ${WG}u) {
        let l = i ^ j;
        if (l > i) {
          let a = idx[i]; let b = idx[l];
          let up = (i & k) == 0u;
          if (up == before(line, b, a)) { idx[i] = b; idx[l] = a; }
        }
      }
      workgroupBarrier();
    }
  }
  for (var s = lid.x; s < n; s += ${WG}u) { perm[line * n + s] = idx[s]; }
}
`;
}

const GATHER = `${uniformDecl(4)}${POSITION}
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read> perm: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = (wid.x + wid.y * nwg.x) * ${WG}u + lid.x;
  let n = uget(0u);
  if (e >= n * uget(3u)) { return; }
  let line = e / n;
  out[position(line, e % n)] = x[position(line, perm[e])];
}
`;

/** The message for lines longer than MAX_LINE. */
export function sortLineMessage(n: number): string {
  return (
    `[sort] lines longer than ${MAX_LINE} elements do not sort on webgpu yet: got a line of ${n}, ` +
    `expected at most ${MAX_LINE} along the sorted dimension. Sort on cpu or wasm (np.array(await x.data())), or in pieces.`
  );
}

/** sort on GPU operands; null when the keys need more storage buffers than a shader may bind. */
export function sort(
  { dimension, numKeys }: RoutineOf<"sort">,
  xs: WebGpuBuffer[],
  inAvals: ShapedArray[],
): WebGpuBuffer[] | null {
  const shape = inAvals[0].shape;
  const n = shape[dimension];
  const size = inAvals[0].size;
  if (size === 0) return inAvals.map((a) => allocGpu(a.dtype, 0, "sort"));
  if (n > MAX_LINE) throw new WebGpuError(sortLineMessage(n));
  if (numKeys + 1 > gpuDevice().maxStorageBuffers) return null;
  const keyTypes = inAvals.slice(0, numKeys).map((a) => (a.dtype === "bool" ? "u32" : wgslType(a.dtype, "sort")));
  const lines = size / n;
  const u = [n, stridesOf(shape)[dimension], 2 ** Math.ceil(Math.log2(n)), lines];
  const perm = allocGpu("uint32", size, "sort");
  dispatch(
    permutationShader(keyTypes),
    u,
    xs.slice(0, numKeys).map((b) => b.gpu),
    [perm.gpu],
    spread(lines),
  );
  const outs = xs.map((x, k) => {
    const out = allocGpu(inAvals[k].dtype, size, "sort");
    dispatch(GATHER, u, [x.gpu, perm.gpu], [out.gpu], spread(Math.ceil(size / WG)));
    return out;
  });
  perm.dispose();
  return outs;
}
