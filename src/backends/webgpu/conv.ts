/**
 * conv_general_dilated on the GPU, for any dimension numbers, padding (negative
 * too), strides, lhs/rhs dilation, feature and batch groups, up to MAX_RANK axes:
 *
 *   out[n, o, y] = Σ_{q, i} lhs[n', g·I + i, window(y, q)] · rhs[o, i, q]
 *
 * (g = o's group; n' = g·nOut + n for batch groups; window(y, q) the lhs position of
 * window position q for output position y, skipped on padding and dilation holes).
 *
 * Two ways, both reading shapes, strides and the window from uniforms (one
 * pipeline per dtype, whatever the shapes):
 * - im2col (conv-im2col.ts): the patches matrix times the kernel by the tiled matmul,
 *   for one group and products large enough to gain from the matmul's tiles.
 * - direct (here): one invocation per output element folds its window, q then i (the
 *   cpu's order). Every other case: groups, small products, an image's patches too large.
 * float32 sums are float32 (the cpu sums in float64, then rounds); integer products
 * and sums wrap modulo 2³² as the cpu's do once stored.
 */
import type { ShapedArray } from "../../core/aval.js";
import type { GpuRoutineTable } from "./gpu-routine.js";
import { allocGpu, oneResult, type WebGpuBuffer } from "./buffer.js";
import { INVOCATION, dispatchEach, storageType } from "./device.js";
import { MAX_RANK } from "./routines.js";
import { CONV_WGSL, MAX_SP, OUT_ST, OUT_SZ, convWords, gpuConvRuns, type Conv } from "./conv-wgsl.js";
import { im2col } from "./conv-im2col.js";

/** One invocation per output element e: its window folded, q then i. */
function direct(r: Conv, [lhs, rhs]: WebGpuBuffer[], [la, ra]: ShapedArray[], oa: ShapedArray): WebGpuBuffer {
  const t = storageType(oa.dtype);
  const code = `${CONV_WGSL}
@group(0) @binding(1) var<storage, read> L: array<${t}>;
@group(0) @binding(2) var<storage, read> R: array<${t}>;
@group(0) @binding(3) var<storage, read_write> out: array<${t}>;
${INVOCATION}
  if (e >= uget(0u)) { return; }
  let n = (e / uget(12u)) % uget(2u);
  let o = (e / uget(13u)) % uget(3u);
  let I = uget(4u);
  let g = o / uget(5u);
  let image = select(n, g * uget(2u) + n, uget(7u) != 0u);
  let lb = image * uget(8u) + select(0u, g * I, uget(6u) != 0u) * uget(9u);
  let rb = o * uget(10u);
  var y: array<u32, ${MAX_SP}>;
  for (var d = 0u; d < sp(); d++) { y[d] = (e / uget(${OUT_ST}u + d)) % uget(${OUT_SZ}u + d); }
  let lsC = uget(9u);
  let rsI = uget(11u);
  var acc = ${t}(0);
  for (var q = 0u; q < window_size(); q++) {
    let lo = lhs_spatial(y, q);
    if (lo < 0) { continue; }
    let a = lb + u32(lo);
    let b = rb + rhs_spatial(q);
    for (var i = 0u; i < I; i++) { acc += L[a + i * lsC] * R[b + i * rsI]; }
  }
  out[e] = acc;
}
`;
  const out = allocGpu(oa.dtype, oa.size, "conv_general_dilated");
  dispatchEach(code, convWords(r, la, ra, oa, oa.size), [lhs.gpu, rhs.gpu], [out.gpu], oa.size);
  gpuConvRuns.direct++;
  return out;
}

/** conv_general_dilated on GPU operands of rank up to MAX_RANK. */
export const CONV_ROUTINES: GpuRoutineTable = {
  conv_general_dilated: (r, xs, inAvals, outAvals) => {
    const oa = outAvals[0];
    if (oa.shape.length > MAX_RANK) return null;
    if (oa.size === 0) return [allocGpu(oa.dtype, 0, "conv_general_dilated")];
    return oneResult(im2col(r, xs, inAvals, oa) ?? direct(r, xs, inAvals, oa));
  },
};
