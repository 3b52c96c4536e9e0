/**
 * The WGSL of the webgpu sort (sort.ts): a bitonic network over the indices
 * of each line, compare-exchanges within a workgroup tile in shared memory
 * (LOCAL) or one dispatch per step across the whole array (GLOBAL), each
 * index carried with its first key as a sortable word (`sk`: compares read
 * contiguous memory until a tie), then the ranks a following pass breaks ties
 * with (RANK) and the gather of every operand through the permutation (GATHER).
 *
 * Keys compare as sortable u32 words (see `SORTABLE`), bit-exact on every
 * adapter: a float `<` may flush subnormals to zero on GPUs, the cpu does not.
 *
 * The network is the "flip" form of bitonic sort: stage k (runs of k = 2, 4,
 * …, P = 2^⌈log₂n⌉ slots) begins by comparing slot i with its mirror
 * i ^ (k-1) in the run, then slot i with i ^ j for j = k/4, …, 1. Every
 * compare-exchange puts the smaller element at the lower slot, so slots ≥ n
 * (virtual pads, greater than every element) never move: a pair whose higher
 * slot is ≥ n is skipped, and nothing is stored for the pads. Lines are
 * concatenated in a virtual space of lines·P slots (line = v >> log₂P).
 *
 * Uniform words: 0 n (line length), 1 inner (line stride), 2 log₂P,
 * 3 lines, then per shader: LOCAL 4 kLo, 5 kHi, 6 first (indices start as the
 * identity); GLOBAL 4 j, 5 flip.
 */
import { uniformDecl } from "./device.js";

export const WG = 256;
/** Slots per workgroup tile: 2048 indices and first keys (u32), the 16 KiB of workgroup memory WebGPU guarantees. */
export const TILE = 2048;

/** Element s of line `line` in operands laid out [outer, n, inner]. */
const POSITION = `
fn position(line: u32, s: u32) -> u32 {
  let n = uget(0u); let inner = uget(1u);
  if (inner == 1u) { return line * n + s; }
  return ((line / inner) * n + s) * inner + line % inner;
}`;

/**
 * Keys as u32 words whose unsigned order is the cpu's order (backends/cpu/reduce.ts):
 * floats with every NaN greatest and -0 as +0 (negatives' bits inverted,
 * positives' sign bit set), int32 with its sign bit flipped, uint32 and bool as they are.
 */
const SORTABLE = `
fn sortable_f32(x: f32) -> u32 {
  let w = bitcast<u32>(x);
  if ((w & 0x7fffffffu) > 0x7f800000u) { return 0xffffffffu; }
  let b = select(w, 0u, w == 0x80000000u);
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}
fn sortable_i32(x: i32) -> u32 { return bitcast<u32>(x) ^ 0x80000000u; }
fn sortable_u32(x: u32) -> u32 { return x; }`;

/** Inserts a zero bit at j's position into pair number t: the lower slot of the pair. */
const PAIR = `
fn lowSlot(t: u32, j: u32) -> u32 { return ((t & ~(j - 1u)) << 1u) | (t & (j - 1u)); }
fn highSlot(i: u32, j: u32, flip: bool) -> u32 { return select(i | j, i ^ (2u * j - 1u), flip); }`;

/** The first key of index p as its sortable word (0 without keys). */
const firstKey = (t: string | undefined): string =>
  t === undefined
    ? "fn skeyOf(line: u32, p: u32) -> u32 { return 0u; }"
    : `fn skeyOf(line: u32, p: u32) -> u32 { return sortable_${t}(k0[position(line, p)]); }`;

/**
 * Bindings and the order `before(line, p, q)` on indices p ≠ q of a line:
 * the keys lexicographically (the first as its sortable word, the others
 * through `beforeRest`), then the tiebreak (the index itself, or with
 * `ranked` its rank in the previous pass's order), a strict total order.
 */
function comparison(keyTypes: string[], ranked: boolean): string {
  const decls = keyTypes.map((t, k) => `@group(0) @binding(${k + 1}) var<storage, read> k${k}: array<${t}>;`);
  const m = keyTypes.length;
  if (ranked) decls.push(`@group(0) @binding(${m + 1}) var<storage, read> rank: array<u32>;`);
  const permAt = m + (ranked ? 2 : 1);
  const compares = keyTypes.slice(1).map((t, k) => {
    const [a, b] = [`sortable_${t}(k${k + 1}[pa])`, `sortable_${t}(k${k + 1}[pb])`];
    return `  { let a = ${a}; let b = ${b}; if (a != b) { return a < b; } }`;
  });
  const tie = ranked ? "rank[line * uget(0u) + p] < rank[line * uget(0u) + q]" : "p < q";
  return `${uniformDecl(8)}${POSITION}${PAIR}${SORTABLE}
${decls.join("\n")}
@group(0) @binding(${permAt}) var<storage, read_write> perm: array<u32>;
@group(0) @binding(${permAt + 1}) var<storage, read_write> sk: array<u32>;
${firstKey(keyTypes[0])}
// p before q once their first keys are equal.
fn beforeRest(line: u32, p: u32, q: u32) -> bool {
  let pa = position(line, p); let pb = position(line, q);
${compares.join("\n")}
  return ${tie};
}
// Index b (first key kb) strictly before index a (first key ka).
fn before(line: u32, b: u32, kb: u32, a: u32, ka: u32) -> bool {
  return kb < ka || (kb == ka && beforeRest(line, b, a));
}
`;
}

/** Stages kLo..kHi, each down to distance 1 from min(k, TILE)/2, on one tile of TILE slots. */
export function localShader(keyTypes: string[], ranked: boolean): string {
  return `${comparison(keyTypes, ranked)}
var<workgroup> idx: array<u32, ${TILE}>;
// The first key of each index, as its sortable word: compares read shared memory until a tie.
var<workgroup> key: array<u32, ${TILE}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let n = uget(0u); let logP = uget(2u); let lines = uget(3u);
  let kLo = uget(4u); let kHi = uget(5u); let first = uget(6u) != 0u;
  let mask = (1u << logP) - 1u;
  let start = (wid.x + wid.y * nwg.x) * ${TILE}u;
  for (var i = lid.x; i < ${TILE}u; i += ${WG}u) {
    let v = start + i; let line = v >> logP; let s = v & mask;
    if (line < lines && s < n) {
      if (first) { idx[i] = s; key[i] = skeyOf(line, s); }
      else { idx[i] = perm[line * n + s]; key[i] = sk[line * n + s]; }
    }
  }
  workgroupBarrier();
  for (var k = kLo; k <= kHi && k != 0u; k <<= 1u) {
    for (var j = min(k, ${TILE}u) >> 1u; j > 0u; j >>= 1u) {
      let flip = j == (k >> 1u);
      for (var t = lid.x; t < ${TILE / 2}u; t += ${WG}u) {
        let i = lowSlot(t, j); let l = highSlot(i, j, flip);
        let v = start + l; let line = v >> logP;
        if (line < lines && (v & mask) < n) {
          let ka = key[i]; let kb = key[l];
          if (before(line, idx[l], kb, idx[i], ka)) {
            let a = idx[i]; idx[i] = idx[l]; idx[l] = a; key[i] = kb; key[l] = ka;
          }
        }
      }
      workgroupBarrier();
    }
  }
  for (var i = lid.x; i < ${TILE}u; i += ${WG}u) {
    let v = start + i; let line = v >> logP; let s = v & mask;
    if (line < lines && s < n) { perm[line * n + s] = idx[i]; sk[line * n + s] = key[i]; }
  }
}
`;
}

/** One step of distance j ≥ TILE (the flip of stage 2j when `flip`), one thread per pair. */
export function globalShader(keyTypes: string[], ranked: boolean): string {
  return `${comparison(keyTypes, ranked)}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let t = (wid.x + wid.y * nwg.x) * ${WG}u + lid.x;
  let n = uget(0u); let logP = uget(2u); let lines = uget(3u);
  let j = uget(4u); let flip = uget(5u) != 0u;
  if (t >= lines << (logP - 1u)) { return; }
  let mask = (1u << logP) - 1u;
  let i = lowSlot(t, j); let l = highSlot(i, j, flip);
  let sl = l & mask;
  if (sl >= n) { return; }
  let line = i >> logP;
  let pi = line * n + (i & mask); let pl = line * n + sl;
  let a = perm[pi]; let b = perm[pl]; let ka = sk[pi]; let kb = sk[pl];
  if (before(line, b, kb, a, ka)) { perm[pi] = b; perm[pl] = a; sk[pi] = kb; sk[pl] = ka; }
}
`;
}

/** rank[line·n + perm[e]] = e mod n: each index's slot in the sorted line. */
export const RANK = `${uniformDecl(8)}
@group(0) @binding(1) var<storage, read> perm: array<u32>;
@group(0) @binding(2) var<storage, read_write> rank: array<u32>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = (wid.x + wid.y * nwg.x) * ${WG}u + lid.x;
  let n = uget(0u);
  if (e >= n * uget(3u)) { return; }
  rank[(e / n) * n + perm[e]] = e % n;
}
`;

/** out[line, s] = x[line, perm[line, s]] for one operand (any 32-bit dtype, as u32 words). */
export const GATHER = `${uniformDecl(8)}${POSITION}
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
