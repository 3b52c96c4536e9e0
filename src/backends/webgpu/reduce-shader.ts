/**
 * Two-level reductions. A reduction is G groups of L elements each (one result
 * per group); the element (g, j) sits at a linear index the caller's WGSL
 * `index(g, j)` computes and its value comes from the caller's `elem(e)`.
 *
 * Pass 1: each group is cut into S segments; workgroup (s, g) sums (or maxes)
 * its segment with 256 threads striding through it, then halves the 256
 * partials in shared memory down to one. With S = 1 that is the result; else
 * pass 2 reduces each group's S partials the same way. Segments of about 4096
 * elements keep every thread busy on long groups without a thread per output
 * looping over everything.
 *
 * When neighbouring groups are neighbours in memory and a group's elements are
 * far apart (sums over rows: one result per column), the "columns" layout
 * gives a workgroup 16 groups × 16 lanes instead: each step reads 16 adjacent
 * values, and the halving runs over the lanes of each group.
 */
import { MAX_GROUPS, dispatch, uniformDecl } from "./device.js";
import { floatPrelude } from "./wgsl-math.js";
import type { ValueType } from "./wgsl-ops.js";
import { bytesFor, giveBuffer, takeBuffer } from "./pool.js";

export type Reduction = "sum" | "max" | "min" | "prod" | "and" | "or";

const WG = 256;
/** Elements per segment (pass 1's workgroup) when a group is long. */
const SEGMENT = 4096;
/** The most segments per group: pass 2 then reduces at most this many partials per group. */
const MAX_SEGMENTS = 256;

/** The reduction's identity (and/or: all bits set / none; not for f32). */
function identity(r: Reduction, t: ValueType): string {
  if (t === "f32") return { sum: "0.0", prod: "1.0", max: "-f_inf()", min: "f_inf()", and: "", or: "" }[r];
  if (t === "i32")
    return { sum: "0i", prod: "1i", max: "(-2147483647i - 1i)", min: "2147483647i", and: "-1i", or: "0i" }[r];
  return { sum: "0u", prod: "1u", max: "0u", min: "0xffffffffu", and: "0xffffffffu", or: "0u" }[r];
}

function combine(r: Reduction, t: ValueType, a: string, b: string): string {
  if (r === "sum") return `${a} + ${b}`;
  if (r === "prod") return `${a} * ${b}`;
  if (r === "and") return `${a} & ${b}`;
  if (r === "or") return `${a} | ${b}`;
  return t === "f32" ? `f_${r}(${a}, ${b})` : `${r}(${a}, ${b})`;
}

/** Groups per workgroup and lanes per group in the "columns" layout. */
const COLS = 16;

/**
 * The pass's shader: `decls` declares the bindings (read-only ones from 1, then
 * `out` last) and the functions `elem(e: u32) -> T` and `index(g: u32, j: u32) -> u32`.
 * Uniform words 0..3 are G, L, S, segment length; the caller's own start at 4.
 */
export function reductionShader(
  decls: string,
  r: Reduction,
  t: ValueType,
  uniformWords: number,
  columns = false,
): string {
  const c = (a: string, b: string): string => combine(r, t, a, b);
  if (columns) return columnsShader(decls, r, t, uniformWords);
  return `${uniformDecl(uniformWords)}${floatPrelude(decls)}${decls}
var<workgroup> sh: array<${t}, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let g = wid.y + wid.z * ${MAX_GROUPS}u;
  if (g >= uget(0u)) { return; }
  let s = wid.x;
  let nseg = uget(2u);
  let j0 = s * uget(3u);
  let j1 = min(uget(1u), j0 + uget(3u));
  var acc: ${t} = ${identity(r, t)};
  for (var j = j0 + lid.x; j < j1; j += ${WG}u) { acc = ${c("acc", "elem(index(g, j))")}; }
  sh[lid.x] = acc;
  workgroupBarrier();
  for (var w = ${WG / 2}u; w > 0u; w = w / 2u) {
    if (lid.x < w) { sh[lid.x] = ${c("sh[lid.x]", "sh[lid.x + w]")}; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { out[g * nseg + s] = sh[0]; }
}
`;
}

/** The "columns" layout: lid.x picks one of 16 adjacent groups, lid.y one of 16 lanes through its elements. */
function columnsShader(decls: string, r: Reduction, t: ValueType, uniformWords: number): string {
  const c = (a: string, b: string): string => combine(r, t, a, b);
  const at = (y: string): string => `sh[(${y}) * ${COLS}u + lid.x]`;
  return `${uniformDecl(uniformWords)}${floatPrelude(decls)}${decls}
var<workgroup> sh: array<${t}, ${COLS * COLS}>;
@compute @workgroup_size(${COLS}, ${COLS})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let g = (wid.y + wid.z * ${MAX_GROUPS}u) * ${COLS}u + lid.x;
  // Not an early return: every thread must reach the barriers.
  let live = g < uget(0u);
  let s = wid.x;
  let nseg = uget(2u);
  let j0 = s * uget(3u);
  let j1 = min(uget(1u), j0 + uget(3u));
  var acc: ${t} = ${identity(r, t)};
  if (live) {
    for (var j = j0 + lid.y; j < j1; j += ${COLS}u) { acc = ${c("acc", "elem(index(g, j))")}; }
  }
  ${at("lid.y")} = acc;
  workgroupBarrier();
  for (var w = ${COLS / 2}u; w > 0u; w = w / 2u) {
    if (lid.y < w) { ${at("lid.y")} = ${c(at("lid.y"), at("lid.y + w"))}; }
    workgroupBarrier();
  }
  if (live && lid.y == 0u) { out[g * nseg + s] = ${at("0u")}; }
}
`;
}

/** Pass 2: reduces `partials` [G, S] over S. */
function partialsShader(r: Reduction, t: ValueType): string {
  const decls = `@group(0) @binding(1) var<storage, read> src: array<${t}>;
@group(0) @binding(2) var<storage, read_write> out: array<${t}>;
fn elem(e: u32) -> ${t} { return src[e]; }
fn index(g: u32, j: u32) -> u32 { return g * uget(1u) + j; }`;
  return reductionShader(decls, r, t, 4);
}

/** How many segments per group, and their length (16 lanes per group in the "columns" layout, so shorter segments). */
export function segments(length: number, columns: boolean): [number, number] {
  const per = columns ? SEGMENT / COLS : SEGMENT;
  const s = Math.max(1, Math.min(MAX_SEGMENTS, Math.ceil(length / per)));
  return [s, Math.max(1, Math.ceil(length / s))];
}

/**
 * Records a reduction of `groups` groups of `length` elements into `out`, with
 * the pass-1 shader `code`, its read buffers and its own uniforms (from word 4).
 * The partials (pass 2's input) go back to the pool once both passes are recorded.
 */
export function runReduction(
  code: string,
  r: Reduction,
  t: ValueType,
  reads: GPUBuffer[],
  extra: number[],
  out: GPUBuffer,
  groups: number,
  length: number,
  columns = false,
): void {
  if (groups === 0) return;
  const [s, seg] = segments(length, columns);
  const grid = (x: number, blocks: number): [number, number, number] => [
    x,
    Math.min(blocks, MAX_GROUPS),
    Math.ceil(blocks / MAX_GROUPS),
  ];
  const blocks = columns ? Math.ceil(groups / COLS) : groups;
  if (s === 1) {
    dispatch(code, [groups, length, 1, seg, ...extra], reads, [out], grid(1, blocks));
    return;
  }
  const partials = takeBuffer(bytesFor(groups * s));
  dispatch(code, [groups, length, s, seg, ...extra], reads, [partials], grid(s, blocks));
  dispatch(partialsShader(r, t), [groups, s, 1, s], [partials], [out], grid(1, groups));
  giveBuffer(partials);
}
