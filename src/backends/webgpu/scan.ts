/**
 * Cumulative scans (cumsum, cumprod, cummax, cummin; reverse too) along one
 * axis on the GPU. The array is seen as lines [outer, n, inner]: line L
 * starts at (L / inner)·n·inner + L % inner and steps by `inner`, so any axis is
 * read in place, all through uniforms (one pipeline per dtype and op).
 *
 * Three steps, work-efficient (O(n) combines per line, plus 256·log₂256 per block of 1024):
 *   1. each workgroup scans one block of 1024 elements of one line: each of its
 *      256 threads scans 4 elements in registers, a Hillis–Steele scan over the
 *      256 thread totals in shared memory gives each thread its exclusive prefix;
 *      the block's total goes to a buffer of block sums [lines, blocks];
 *   2. when a line has several blocks, the block sums are scanned the same way
 *      (recursively: lines of `blocks` elements);
 *   3. add-back: every element of block b > 0 combines the scanned sum of block b-1.
 * Reverse scans read step s of a line at position n-1-s.
 */
import type { ShapedArray } from "../../core/aval.js";
import { stridesOf } from "../../core/aval.js";
import type { DType } from "../../core/dtypes.js";
import type { CumulativeOp, RoutineOf } from "../../kernel/routines.js";
import { allocGpu, wgslType, type WebGpuBuffer } from "./buffer.js";
import { dispatch, spread, uniformDecl } from "./device.js";
import { FLOAT_PRELUDE } from "./wgsl-math.js";

const WG = 256;
const PER_THREAD = 4;
const BLOCK = WG * PER_THREAD;

type Word = "f32" | "i32" | "u32";

/** The identity of each scan (what pads a block past the line's end) and its combine, in WGSL. */
function scanOps(op: CumulativeOp, t: Word): { identity: string; combine: (a: string, b: string) => string } {
  const f = t === "f32";
  switch (op) {
    case "cumsum":
      return { identity: `${t}(0)`, combine: (a, b) => `(${a} + ${b})` };
    case "cumprod":
      return { identity: `${t}(1)`, combine: (a, b) => `(${a} * ${b})` };
    case "cummax": {
      const identity = f ? "-f_inf()" : t === "i32" ? "bitcast<i32>(0x80000000u)" : "0u";
      // A NaN propagates (f_max), as cpu's cummax.
      return { identity, combine: (a, b) => (f ? `f_max(${a}, ${b})` : `max(${a}, ${b})`) };
    }
    case "cummin": {
      const identity = f ? "f_inf()" : t === "i32" ? "0x7fffffffi" : "0xffffffffu";
      return { identity, combine: (a, b) => (f ? `f_min(${a}, ${b})` : `min(${a}, ${b})`) };
    }
  }
}

/** Uniform words: n (line length), inner (line stride), reverse, blocks per line, lines. */
const POSITION = `
fn position(line: u32, s: u32) -> u32 {
  let n = uget(0u); let inner = uget(1u);
  var k = s;
  if (uget(2u) != 0u) { k = n - 1u - s; }
  return ((line / inner) * n + k) * inner + line % inner;
}`;

function blockShader(op: CumulativeOp, t: Word): string {
  const { identity, combine } = scanOps(op, t);
  return `${uniformDecl(5)}${t === "f32" ? FLOAT_PRELUDE : ""}${POSITION}
@group(0) @binding(1) var<storage, read> x: array<${t}>;
@group(0) @binding(2) var<storage, read_write> out: array<${t}>;
@group(0) @binding(3) var<storage, read_write> sums: array<${t}>;
var<workgroup> sh: array<${t}, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let g = wid.x + wid.y * nwg.x;
  let blocks = uget(3u);
  if (g >= blocks * uget(4u)) { return; }
  let n = uget(0u);
  let line = g / blocks;
  let s0 = (g % blocks) * ${BLOCK}u + lid.x * ${PER_THREAD}u;
  // This thread's ${PER_THREAD} elements, scanned in registers (the identity past the line's end).
  var v: array<${t}, ${PER_THREAD}>;
  var acc = ${identity};
  for (var j = 0u; j < ${PER_THREAD}u; j++) {
    var e = ${identity};
    if (s0 + j < n) { e = x[position(line, s0 + j)]; }
    if (j == 0u) { acc = e; } else { acc = ${combine("acc", "e")}; }
    v[j] = acc;
  }
  // Hillis–Steele over the thread totals: after the step of offset d, sh[i] combines totals i-2d+1..i.
  sh[lid.x] = acc;
  workgroupBarrier();
  for (var d = 1u; d < ${WG}u; d <<= 1u) {
    var w = sh[lid.x];
    if (lid.x >= d) { w = ${combine(`sh[lid.x - d]`, "w")}; }
    workgroupBarrier();
    sh[lid.x] = w;
    workgroupBarrier();
  }
  for (var j = 0u; j < ${PER_THREAD}u; j++) {
    if (s0 + j < n) {
      var r = v[j];
      if (lid.x > 0u) { r = ${combine("sh[lid.x - 1u]", "r")}; }
      out[position(line, s0 + j)] = r;
    }
  }
  if (lid.x == ${WG - 1}u) { sums[g] = sh[${WG - 1}u]; }
}
`;
}

function addBackShader(op: CumulativeOp, t: Word): string {
  const { combine } = scanOps(op, t);
  return `${uniformDecl(5)}${t === "f32" ? FLOAT_PRELUDE : ""}${POSITION}
@group(0) @binding(1) var<storage, read> scanned: array<${t}>;
@group(0) @binding(2) var<storage, read_write> out: array<${t}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = (wid.x + wid.y * nwg.x) * ${WG}u + lid.x;
  let n = uget(0u);
  if (e >= n * uget(4u)) { return; }
  let line = e / n; let s = e % n;
  let b = s / ${BLOCK}u;
  if (b == 0u) { return; }
  let at = position(line, s);
  out[at] = ${combine(`scanned[line * uget(3u) + b - 1u]`, "out[at]")};
}
`;
}

interface Lines {
  n: number;
  inner: number;
  reverse: boolean;
  lines: number;
}

/** The inclusive scans of `lines` lines of `x` (same layout as x). */
function scanLines(op: CumulativeOp, dtype: DType, t: Word, x: WebGpuBuffer, l: Lines): WebGpuBuffer {
  const total = l.n * l.lines;
  const out = allocGpu(dtype, total, op);
  const blocks = Math.ceil(l.n / BLOCK);
  const u = [l.n, l.inner, l.reverse ? 1 : 0, blocks, l.lines];
  const sums = allocGpu(dtype, blocks * l.lines, op);
  dispatch(blockShader(op, t), u, [x.gpu], [out.gpu, sums.gpu], spread(blocks * l.lines));
  if (blocks > 1) {
    // The block sums of each line are in scan order already (reverse or not), one line after another.
    const scanned = scanLines(op, dtype, t, sums, { n: blocks, inner: 1, reverse: false, lines: l.lines });
    dispatch(addBackShader(op, t), u, [scanned.gpu], [out.gpu], spread(Math.ceil(total / WG)));
    scanned.dispose();
  }
  sums.dispose();
  return out;
}

/** cumulative on a GPU operand of float32, int32 or uint32; null for bool. */
export function cumulative(
  { op, axis, reverse }: RoutineOf<"cumulative">,
  [x]: WebGpuBuffer[],
  [xa]: ShapedArray[],
  [oa]: ShapedArray[],
): WebGpuBuffer | null {
  if (xa.dtype === "bool" || oa.dtype !== xa.dtype) return null;
  const t = wgslType(xa.dtype, op);
  const n = xa.shape[axis];
  if (xa.size === 0) return allocGpu(oa.dtype, 0, op);
  const inner = stridesOf(xa.shape)[axis];
  return scanLines(op, xa.dtype, t, x, { n, inner, reverse, lines: xa.size / n });
}
