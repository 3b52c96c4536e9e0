/**
 * conv_general_dilated as a matrix product (im2col): the patches matrix
 * P[(n, y), (q, i)] = lhs[n, i, window(y, q)] (0 on padding and dilation holes) times
 * the kernel seen as [(q, i), o], by the tiled dot_general of matmul.ts, then moved
 * into the output's layout. For one group; images are taken a chunk at a time so
 * that each P fits one storage binding and `im2colLimits.patchBytes`, the chunks'
 * products then joined by a concatenate.
 */
import { ShapedArray } from "../../core/aval.js";
import { INVOCATION, dispatchEach, gpuDevice, storageType } from "./device.js";
import { allocGpu, type WebGpuBuffer } from "./buffer.js";
import { dotGeneral } from "./matmul.js";
import { elementwiseRoutine } from "./routines.js";
import { concatenate } from "./structural.js";
import { CONV_WGSL, MAX_SP, OUT_SZ, convWords, gpuConvRuns, im2colLimits, type Conv } from "./conv-wgsl.js";

/** Products at least this large (multiply-adds) go through im2col and the tiled matmul. */
const IM2COL_MIN = 1 << 16;

/**
 * The patches of `count` images from image n0, P[(n, y), q, i] row-major (n, y and q
 * row-major). Uniform words 2, 12 and 13 (unused by this shader otherwise) carry n0,
 * Y (output positions per image) and the window size.
 */
function patches(r: Conv, lhs: WebGpuBuffer, [la, ra]: ShapedArray[], oa: ShapedArray, n0: number, count: number) {
  const t = storageType(oa.dtype);
  const code = `${CONV_WGSL}
@group(0) @binding(1) var<storage, read> L: array<${t}>;
@group(0) @binding(2) var<storage, read_write> P: array<${t}>;
${INVOCATION}
  if (e >= uget(0u)) { return; }
  let I = uget(4u);
  let W = uget(13u);
  let i = e % I;
  let q = (e / I) % W;
  let row = e / (I * W);
  let n = uget(2u) + row / uget(12u);
  var rem = row % uget(12u);
  var y: array<u32, ${MAX_SP}>;
  for (var d = sp(); d > 0u; ) {
    d -= 1u;
    y[d] = rem % uget(${OUT_SZ}u + d);
    rem = rem / uget(${OUT_SZ}u + d);
  }
  let lo = lhs_spatial(y, q);
  var v = ${t}(0);
  if (lo >= 0) { v = L[n * uget(8u) + u32(lo) + i * uget(9u)]; }
  P[e] = v;
}
`;
  const Y = r.outSpec.slice(2).reduce((p, a) => p * oa.shape[a], 1);
  const W = r.rhsSpec.slice(2).reduce((p, a) => p * ra.shape[a], 1);
  const size = count * Y * W * ra.shape[r.rhsSpec[1]];
  const u = convWords(r, la, ra, oa, size);
  u[2] = n0;
  u[12] = Y;
  u[13] = W;
  const P = allocGpu(oa.dtype, size, "conv_general_dilated");
  dispatchEach(code, u, [lhs.gpu], [P.gpu], size);
  return P;
}

/** The products P·kernel, [N·Y, O], chunk by chunk of images; null if dot_general declines. */
function products(r: Conv, [lhs, rhs]: WebGpuBuffer[], avals: ShapedArray[], oa: ShapedArray, chunk: number) {
  const { rhsSpec, outSpec } = r;
  const ra = avals[1];
  const kSp = rhsSpec.slice(2).map((a) => ra.shape[a]);
  const [N, O, I] = [oa.shape[outSpec[0]], ra.shape[rhsSpec[0]], ra.shape[rhsSpec[1]]];
  const Y = outSpec.slice(2).reduce((p, a) => p * oa.shape[a], 1);
  // P's contracting axes (window, then input feature) against the kernel's, in the same order.
  const contracting: [number[], number[]] = [
    kSp.map((_, d) => d + 1).concat([kSp.length + 1]),
    [...rhsSpec.slice(2), rhsSpec[1]],
  ];
  const parts: WebGpuBuffer[] = [];
  const partAvals: ShapedArray[] = [];
  for (let n0 = 0; n0 < N; n0 += chunk) {
    const count = Math.min(chunk, N - n0);
    const P = patches(r, lhs, avals, oa, n0, count);
    const pa = new ShapedArray([count * Y, ...kSp, I], oa.dtype);
    const ma = new ShapedArray([count * Y, O], oa.dtype);
    const m = dotGeneral({ name: "dot_general", contracting, batch: [[], []] }, [P, rhs], [pa, ra], [ma]);
    P.dispose();
    if (m === null) {
      parts.forEach((b) => b.dispose());
      return null;
    }
    parts.push(m);
    partAvals.push(ma);
  }
  if (parts.length === 1) return parts[0];
  const all = new ShapedArray([N * Y, O], oa.dtype);
  const joined = concatenate(0, parts, partAvals, all);
  parts.forEach((b) => b.dispose());
  return joined;
}

/** im2col then dot_general, or null where it does not apply (groups, small, bool, an image's patches too large). */
export function im2col(r: Conv, xs: WebGpuBuffer[], avals: ShapedArray[], oa: ShapedArray): WebGpuBuffer | null {
  const { rhsSpec, outSpec } = r;
  if (r.featureGroupCount > 1 || r.batchGroupCount > 1 || oa.dtype === "bool") return null;
  const ra = avals[1];
  const sp = outSpec.length - 2;
  const outSp = outSpec.slice(2).map((a) => oa.shape[a]);
  const [N, O] = [oa.shape[outSpec[0]], ra.shape[rhsSpec[0]]];
  const Y = outSp.reduce((a, b) => a * b, 1);
  const K = rhsSpec.slice(1).reduce((p, a) => p * ra.shape[a], 1);
  const limit = Math.min(gpuDevice().maxBinding, im2colLimits.patchBytes);
  if (N * Y * K * O < IM2COL_MIN || K === 0 || O < 4 || Y * K * 4 > limit) return null;
  const m = products(r, xs, avals, oa, Math.floor(limit / (Y * K * 4)));
  if (m === null) return null;
  gpuConvRuns.im2col++;
  // m is [n, ...y, o]; out axis a holds role j (outSpec[j] = a), at m's axis 0, sp + 1 (o) or j - 1 (spatial).
  const permutation = oa.shape.map((_, a) => {
    const j = outSpec.indexOf(a);
    return j === 0 ? 0 : j === 1 ? sp + 1 : j - 1;
  });
  if (permutation.every((p, a) => p === a)) return m;
  const ma = new ShapedArray([N, ...outSp, O], oa.dtype);
  const out = elementwiseRoutine({ name: "transpose", permutation }, [m], [ma], [oa]);
  m.dispose();
  return out;
}
