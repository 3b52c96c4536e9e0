/**
 * Routines on the GPU that read or write at computed positions: argmax/argmin
 * over one axis, gather and scatter (kernel/routines.ts; the cpu's
 * backends/cpu/indexing.ts and reduce.ts are the reference semantics). Shapes,
 * strides and the indexed axes are uniforms: one pipeline per dtype (and mode),
 * whatever the shapes, up to MAX_RANK axes.
 */
import type { ShapedArray } from "../../core/aval.js";
import { stridesOf } from "../../core/aval.js";
import type { DType } from "../../core/dtypes.js";
import type { ScatterMode } from "../../kernel/routines.js";
import type { GpuRoutineTable } from "./gpu-routine.js";
import { INVOCATION, dispatchEach, storageType, uniformDecl } from "./device.js";
import { allocGpu, oneResult, type WebGpuBuffer } from "./buffer.js";
import { FLOAT_PRELUDE } from "./wgsl-math.js";
import { MAX_RANK } from "./routines.js";

/**
 * argmax/argmin along `axis`: the index of the first extreme value, a NaN counting
 * as the extreme (the first NaN wins), as the cpu's argKernel. One invocation per
 * output element walks the n values of its line: O(n) steps each, fine for the
 * axis lengths argmax sees in practice, slow for one very long axis.
 */
function argreduce(which: "argmax" | "argmin", axis: number, x: WebGpuBuffer, xa: ShapedArray, o: ShapedArray) {
  const t = storageType(xa.dtype);
  const ot = storageType(o.dtype);
  const nan = t === "f32" ? "f_isnan" : "no_nan";
  const cmp = which === "argmax" ? ">" : "<";
  const code = `${uniformDecl(3)}${FLOAT_PRELUDE}
fn no_nan(v: ${t}) -> bool { return false; }
@group(0) @binding(1) var<storage, read> x: array<${t}>;
@group(0) @binding(2) var<storage, read_write> out: array<${ot}>;
${INVOCATION}
  if (e >= uget(0u)) { return; }
  let n = uget(1u);
  let inner = uget(2u);
  let start = (e / inner) * n * inner + e % inner;
  var best = 0u;
  var bestVal = x[start];
  for (var k = 1u; k < n && !${nan}(bestVal); k++) {
    let v = x[start + k * inner];
    if (v ${cmp} bestVal || ${nan}(v)) { best = k; bestVal = v; }
  }
  out[e] = ${ot}(best);
}
`;
  const n = xa.shape[axis];
  if (n === 0 && o.size > 0) return null;
  const out = allocGpu(o.dtype, o.size, which);
  dispatchEach(code, Uint32Array.of(o.size, n, stridesOf(xa.shape)[axis]), [x.gpu], [out.gpu], o.size);
  return out;
}

/**
 * Uniform words shared by gather and scatter, from `at`: k (indexed axes), the
 * rest rank, then the indexed axes' sizes and x strides, the rest axes' sizes and x strides.
 */
function planWords(xShape: readonly number[], axes: number[], at: number): Uint32Array {
  const xs = stridesOf(xShape);
  const rest = xShape.map((_, d) => d).filter((d) => !axes.includes(d));
  const u = new Uint32Array(at + 2 + 4 * MAX_RANK);
  u[at] = axes.length;
  u[at + 1] = rest.length;
  axes.forEach((a, j) => ((u[at + 2 + j] = xShape[a]), (u[at + 2 + MAX_RANK + j] = xs[a])));
  rest.forEach((a, j) => ((u[at + 2 + 2 * MAX_RANK + j] = xShape[a]), (u[at + 2 + 3 * MAX_RANK + j] = xs[a])));
  return u;
}

/**
 * gather: out element e = (b, r) of [...batch, ...rest] reads x at
 * Σ_j clamp(idx[b, j]) · stride(axes[j]) + the x offset of rest position r.
 * Values move as 32-bit words: one pipeline serves every dtype.
 */
function gather(axes: number[], x: WebGpuBuffer, idx: WebGpuBuffer, xa: ShapedArray, o: ShapedArray) {
  if (xa.shape.length > MAX_RANK) return null;
  if (xa.size === 0) return o.size === 0 ? allocGpu(o.dtype, 0, "gather") : null;
  const P = 2; // words 0, 1: n, R (the rest size); the plan from word 2.
  const K = P + 2;
  const code = `${uniformDecl(P + 2 + 4 * MAX_RANK)}@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
${INVOCATION}
  if (e >= uget(0u)) { return; }
  let R = uget(1u);
  let k = uget(${P}u);
  let b = e / R;
  var rem = e % R;
  var src = 0u;
  for (var j = 0u; j < k; j++) {
    let i = clamp(idx[b * k + j], 0i, i32(uget(${K}u + j)) - 1i);
    src += u32(i) * uget(${K + MAX_RANK}u + j);
  }
  for (var d = uget(${P + 1}u); d > 0u; ) {
    d -= 1u;
    let n = uget(${K + 2 * MAX_RANK}u + d);
    src += (rem % n) * uget(${K + 3 * MAX_RANK}u + d);
    rem = rem / n;
  }
  out[e] = x[src];
}
`;
  const u = planWords(xa.shape, axes, P);
  const R = xa.shape.filter((_, d) => !axes.includes(d)).reduce((a, b) => a * b, 1);
  u[0] = o.size;
  u[1] = R;
  const out = allocGpu(o.dtype, o.size, "gather");
  if (R > 0) dispatchEach(code, u, [x.gpu, idx.gpu], [out.gpu], o.size);
  return out;
}

/** acc ⊕ v for each scatter mode, by storage type (bool: add is or, mul is and). */
function combineExpr(mode: ScatterMode, t: "f32" | "i32" | "u32", dtype: DType): string {
  const bool = dtype === "bool";
  switch (mode) {
    case "set":
      return "v";
    case "add":
      return bool ? "max(acc, v)" : "acc + v";
    case "mul":
      return bool ? "min(acc, v)" : "acc * v";
    case "min":
      return t === "f32" ? "f_min(acc, v)" : "min(acc, v)";
    case "max":
      return t === "f32" ? "f_max(acc, v)" : "max(acc, v)";
  }
}

/**
 * scatter without atomics: one invocation per element of x, at indexed-axes
 * coordinates c and rest position r, starts from x and combines, in the order
 * b = 0, 1, ..., the updates u[b, r] of every batch position b whose indices
 * equal c (out-of-range indices never match: they are dropped). This is the
 * cpu's sequential order for each element, so float sums and products are
 * bit-identical to it. Cost: x.size · nb · k index reads (nb the batch
 * positions), against nb · R writes for a scatter with atomics; fine for the
 * gradients of gathers of moderate size, quadratic for large both.
 */
function scatter(
  axes: number[],
  mode: ScatterMode,
  x: WebGpuBuffer,
  idx: WebGpuBuffer,
  upd: WebGpuBuffer,
  xa: ShapedArray,
  ia: ShapedArray,
) {
  if (xa.shape.length > MAX_RANK) return null;
  const t = storageType(xa.dtype);
  const P = 2; // words 0, 1: n, nb; the plan from word 2.
  const K = P + 2;
  const code = `${uniformDecl(K + 4 * MAX_RANK)}${FLOAT_PRELUDE}
@group(0) @binding(1) var<storage, read> x: array<${t}>;
@group(0) @binding(2) var<storage, read> idx: array<i32>;
@group(0) @binding(3) var<storage, read> upd: array<${t}>;
@group(0) @binding(4) var<storage, read_write> out: array<${t}>;
fn at_axis(e: u32, stride: u32, size: u32) -> u32 { return (e / stride) % size; }
${INVOCATION}
  if (e >= uget(0u)) { return; }
  let nb = uget(1u);
  let k = uget(${P}u);
  // r: e's position among the rest axes, row-major over their sizes.
  var r = 0u;
  for (var j = 0u; j < uget(${P + 1}u); j++) {
    let n = uget(${K + 2 * MAX_RANK}u + j);
    r = r * n + at_axis(e, uget(${K + 3 * MAX_RANK}u + j), n);
  }
  var R = 1u;
  for (var j = 0u; j < uget(${P + 1}u); j++) { R *= uget(${K + 2 * MAX_RANK}u + j); }
  var acc = x[e];
  for (var b = 0u; b < nb; b++) {
    var hit = true;
    for (var j = 0u; j < k; j++) {
      let c = at_axis(e, uget(${K + MAX_RANK}u + j), uget(${K}u + j));
      if (idx[b * k + j] != i32(c)) { hit = false; break; }
    }
    if (hit) { let v = upd[b * R + r]; acc = ${combineExpr(mode, t, xa.dtype)}; }
  }
  out[e] = acc;
}
`;
  const u = planWords(xa.shape, axes, P);
  u[0] = xa.size;
  u[1] = ia.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const out = allocGpu(xa.dtype, xa.size, "scatter");
  dispatchEach(code, u, [x.gpu, idx.gpu, upd.gpu], [out.gpu], xa.size);
  return out;
}

/** argreduce, gather and scatter on GPU operands (int32 indices; others are left to cpu). */
export const INDEXING_ROUTINES: GpuRoutineTable = {
  argreduce: (r, xs, inAvals, outAvals) => oneResult(argreduce(r.which, r.axis, xs[0], inAvals[0], outAvals[0])),
  gather: (r, xs, inAvals, outAvals) =>
    inAvals[1].dtype === "int32" ? oneResult(gather(r.axes, xs[0], xs[1], inAvals[0], outAvals[0])) : null,
  scatter: (r, xs, inAvals) =>
    inAvals[1].dtype === "int32"
      ? oneResult(scatter(r.axes, r.mode, xs[0], xs[1], xs[2], inAvals[0], inAvals[1]))
      : null,
};
