/**
 * The windowed reductions on the GPU: reduce_window (sum, max, min),
 * select_and_gather_add and select_and_scatter_add (max pooling and its
 * derivatives), with the cpu's semantics (backends/cpu/conv.ts): padding and
 * dilation holes are skipped, a window folds its elements in row-major window
 * order, selection keeps the first of equal values and a NaN wins.
 *
 * One invocation per output element (per operand element for the scatter, which
 * gathers instead of scattering, so no atomics and a fixed order). The window's
 * shape, strides, padding and dilations are uniforms: one pipeline per dtype
 * serves every window of rank up to MAX_RANK.
 */
import type { ShapedArray } from "../../core/aval.js";
import { stridesOf } from "../../core/aval.js";
import type { DType } from "../../core/dtypes.js";
import type { WindowParams } from "../../kernel/routines.js";
import type { GpuRoutineTable } from "./gpu-routine.js";
import { INVOCATION, dispatchEach, storageType, uniformDecl } from "./device.js";
import { allocGpu, oneResult, type WebGpuBuffer } from "./buffer.js";
import { CONV_ROUTINES } from "./conv.js";
import { FLOAT_PRELUDE } from "./wgsl-math.js";
import { MAX_RANK } from "./routines.js";

/** Uniform words: n, rank, then 8 per-axis arrays (MAX_RANK each) from word `at(k)`. */
const at = (k: number): number => 2 + k * MAX_RANK;
const WORDS = at(8);
const [OUT_SHAPE, X_SHAPE, X_STRIDE, W_DIM, W_STRIDE, PAD_LO, BASE, W_DIL] = [0, 1, 2, 3, 4, 5, 6, 7].map(at);

/**
 * WGSL shared by the window shaders: `out_coords(e)` (e's multi-index over the output),
 * `operand_at(c, q)`, the flat operand offset of window position q (row-major over the
 * window) of the window at output index c, or -1 on padding or a hole, and `window_size()`.
 */
const WINDOW_WGSL = `${uniformDecl(WORDS)}${FLOAT_PRELUDE}
fn rank() -> u32 { return uget(1u); }
fn out_coords(e: u32) -> array<u32, ${MAX_RANK}> {
  var c: array<u32, ${MAX_RANK}>;
  var rem = e;
  for (var d = rank(); d > 0u; ) {
    d -= 1u;
    let n = uget(${OUT_SHAPE}u + d);
    c[d] = rem % n;
    rem = rem / n;
  }
  return c;
}
fn window_size() -> u32 {
  var w = 1u;
  for (var d = 0u; d < rank(); d++) { w *= uget(${W_DIM}u + d); }
  return w;
}
fn operand_at(c: array<u32, ${MAX_RANK}>, q: u32) -> i32 {
  var rem = q;
  var off = 0u;
  for (var d = rank(); d > 0u; ) {
    d -= 1u;
    let w = uget(${W_DIM}u + d);
    let k = rem % w;
    rem = rem / w;
    // p: the position on the padded, dilated operand; the operand index is p / base where p is a multiple of base.
    let p = i32(c[d] * uget(${W_STRIDE}u + d) + k * uget(${W_DIL}u + d)) - bitcast<i32>(uget(${PAD_LO}u + d));
    let n = i32(uget(${X_SHAPE}u + d));
    let base = i32(uget(${BASE}u + d));
    if (p < 0 || p >= (n - 1) * base + 1 || p % base != 0) { return -1; }
    off += u32(p / base) * uget(${X_STRIDE}u + d);
  }
  return i32(off);
}
`;

/** The uniform words of a window over `xShape` giving `outShape`; word 0 is `n`. */
function windowWords(n: number, xShape: readonly number[], outShape: readonly number[], p: WindowParams): Uint32Array {
  const u = new Uint32Array(WORDS);
  u[0] = n;
  u[1] = xShape.length;
  const xs = stridesOf(xShape);
  xShape.forEach((size, d) => {
    u[OUT_SHAPE + d] = outShape[d];
    u[X_SHAPE + d] = size;
    u[X_STRIDE + d] = xs[d];
    u[W_DIM + d] = p.windowDimensions[d];
    u[W_STRIDE + d] = p.windowStrides[d];
    u[PAD_LO + d] = p.padding[d][0] >>> 0;
    u[BASE + d] = p.baseDilation[d];
    u[W_DIL + d] = p.windowDilation[d];
  });
  return u;
}

/** The identity of a reducer in a storage type (bool: 0/1 words). */
function identity(reducer: "sum" | "max" | "min", dtype: DType): string {
  if (reducer === "sum") return `${storageType(dtype)}(0)`;
  const max = reducer === "max";
  if (dtype === "float32") return max ? "-f_inf()" : "f_inf()";
  if (dtype === "int32") return max ? "bitcast<i32>(0x80000000u)" : "2147483647i";
  if (dtype === "uint32") return max ? "0u" : "0xffffffffu";
  return max ? "0u" : "1u";
}

/**
 * acc ⊕ v as the cpu folds it, f(v, acc): max keeps v when v > acc or v is NaN (so
 * a NaN propagates); bool sums are or (XLA's add on booleans).
 */
function foldExpr(reducer: "sum" | "max" | "min", dtype: DType): string {
  if (reducer === "sum") return dtype === "bool" ? "max(acc, v)" : "acc + v";
  const cmp = reducer === "max" ? ">" : "<";
  return dtype === "float32" ? `select(acc, v, v ${cmp} acc || f_isnan(v))` : `${reducer}(acc, v)`;
}

/**
 * reduce_window: out[e] folds the operand values of e's window from the identity.
 * float32 sums are float32 in window order (the cpu sums in float64, then rounds).
 */
function reduceWindow(
  reducer: "sum" | "max" | "min",
  x: WebGpuBuffer,
  xa: ShapedArray,
  o: ShapedArray,
  p: WindowParams,
) {
  if (xa.shape.length > MAX_RANK) return null;
  const t = storageType(xa.dtype);
  const code = `${WINDOW_WGSL}
@group(0) @binding(1) var<storage, read> x: array<${t}>;
@group(0) @binding(2) var<storage, read_write> out: array<${t}>;
${INVOCATION}
  if (e >= uget(0u)) { return; }
  let c = out_coords(e);
  var acc: ${t} = ${identity(reducer, xa.dtype)};
  for (var q = 0u; q < window_size(); q++) {
    let off = operand_at(c, q);
    if (off >= 0) { let v = x[off]; acc = ${foldExpr(reducer, xa.dtype)}; }
  }
  out[e] = acc;
}
`;
  const out = allocGpu(o.dtype, o.size, "reduce_window");
  dispatchEach(code, windowWords(o.size, xa.shape, o.shape, p), [x.gpu], [out.gpu], o.size);
  return out;
}

/**
 * WGSL `selected(c)`: the operand offset of the first maximum (minimum) of the
 * window at output index c, or -1 for a window with no element. As the cpu: a NaN
 * is chosen (the first one), and once chosen stays.
 */
function selectWgsl(select: "max" | "min", dtype: DType): string {
  const t = storageType(dtype);
  const nan = t === "f32" ? "f_isnan" : "no_nan";
  return `fn no_nan(v: ${t}) -> bool { return false; }
fn selected(c: array<u32, ${MAX_RANK}>) -> i32 {
  var best = -1i;
  var bv: ${t};
  for (var q = 0u; q < window_size(); q++) {
    let off = operand_at(c, q);
    if (off < 0) { continue; }
    let v = x[off];
    if (best < 0 || (!${nan}(bv) && (${nan}(v) || v ${select === "max" ? ">" : "<"} bv))) { best = off; bv = v; }
  }
  return best;
}
`;
}

/** select_and_gather_add: out[e] = t at the selected element of e's window, 0 for an empty window. */
function selectAndGather(
  select: "max" | "min",
  [t, x]: WebGpuBuffer[],
  [, xa]: ShapedArray[],
  o: ShapedArray,
  p: WindowParams,
) {
  if (xa.shape.length > MAX_RANK) return null;
  // t's values move as 32-bit words: the zero word is 0 in every dtype.
  const code = `${WINDOW_WGSL}
@group(0) @binding(1) var<storage, read> tv: array<u32>;
@group(0) @binding(2) var<storage, read> x: array<${storageType(xa.dtype)}>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
${selectWgsl(select, xa.dtype)}
${INVOCATION}
  if (e >= uget(0u)) { return; }
  let s = selected(out_coords(e));
  out[e] = select(0u, tv[max(s, 0i)], s >= 0);
}
`;
  const out = allocGpu(o.dtype, o.size, "select_and_gather_add");
  dispatchEach(code, windowWords(o.size, xa.shape, o.shape, p), [t.gpu, x.gpu], [out.gpu], o.size);
  return out;
}

/**
 * select_and_scatter_add in two passes, both deterministic. First each window's
 * selected offset (int32, -1 when empty). Then one invocation per operand element c
 * visits the windows holding it: on axis d, window i covers c at window index k
 * when i·stride + k·wdil = c·base + lo. Taking k in descending row-major order gives
 * i in ascending row-major order, the order in which the cpu adds the cotangents
 * (float32 here, float64 then rounded there; ints wrap alike; bool is or).
 */
function selectAndScatter(
  select: "max" | "min",
  [ct, x]: WebGpuBuffer[],
  [ca, xa]: ShapedArray[],
  o: ShapedArray,
  p: WindowParams,
) {
  if (xa.shape.length > MAX_RANK) return null;
  const xt = storageType(xa.dtype);
  const ctt = storageType(ca.dtype);
  const choose = `${WINDOW_WGSL}
@group(0) @binding(1) var<storage, read> x: array<${xt}>;
@group(0) @binding(2) var<storage, read_write> sel: array<i32>;
${selectWgsl(select, xa.dtype)}
${INVOCATION}
  if (e >= uget(0u)) { return; }
  sel[e] = selected(out_coords(e));
}
`;
  const add = ca.dtype === "bool" ? "max(acc, ct[i])" : "acc + ct[i]";
  const gatherCode = `${WINDOW_WGSL}
@group(0) @binding(1) var<storage, read> sel: array<i32>;
@group(0) @binding(2) var<storage, read> ct: array<${ctt}>;
@group(0) @binding(3) var<storage, read_write> out: array<${ctt}>;
${INVOCATION}
  if (e >= uget(0u)) { return; }
  // c: e's multi-index over the operand, as a position on the padded, dilated operand.
  var pos: array<i32, ${MAX_RANK}>;
  var rem = e;
  for (var d = rank(); d > 0u; ) {
    d -= 1u;
    let n = uget(${X_SHAPE}u + d);
    pos[d] = i32((rem % n) * uget(${BASE}u + d)) + bitcast<i32>(uget(${PAD_LO}u + d));
    rem = rem / n;
  }
  var acc = ${ctt}(0);
  for (var q = window_size(); q > 0u; ) {
    q -= 1u;
    var kr = q;
    var i = 0u;
    var stride = 1u;
    var hit = true;
    for (var d = rank(); d > 0u; ) {
      d -= 1u;
      let w = uget(${W_DIM}u + d);
      let k = kr % w;
      kr = kr / w;
      let s = i32(uget(${W_STRIDE}u + d));
      let r = pos[d] - i32(k * uget(${W_DIL}u + d));
      let m = uget(${OUT_SHAPE}u + d);
      if (r < 0 || r % s != 0 || u32(r / s) >= m) { hit = false; break; }
      i += u32(r / s) * stride;
      stride *= m;
    }
    if (hit && sel[i] == i32(e)) { acc = ${add}; }
  }
  out[e] = acc;
}
`;
  const sel = allocGpu("int32", ca.size, "select_and_scatter_add");
  dispatchEach(choose, windowWords(ca.size, xa.shape, ca.shape, p), [x.gpu], [sel.gpu], ca.size);
  const out = allocGpu(o.dtype, o.size, "select_and_scatter_add");
  dispatchEach(gatherCode, windowWords(o.size, xa.shape, ca.shape, p), [sel.gpu, ct.gpu], [out.gpu], o.size);
  sel.dispose();
  return out;
}

/** conv_general_dilated (conv.ts), reduce_window, select_and_gather_add and select_and_scatter_add on GPU operands. */
export const WINDOW_ROUTINES: GpuRoutineTable = {
  ...CONV_ROUTINES,
  reduce_window: (r, xs, inAvals, outAvals) => oneResult(reduceWindow(r.reducer, xs[0], inAvals[0], outAvals[0], r)),
  select_and_gather_add: (r, xs, inAvals, outAvals) =>
    oneResult(selectAndGather(r.select, xs, inAvals, outAvals[0], r)),
  select_and_scatter_add: (r, xs, inAvals, outAvals) =>
    oneResult(selectAndScatter(r.select, xs, inAvals, outAvals[0], r)),
};
