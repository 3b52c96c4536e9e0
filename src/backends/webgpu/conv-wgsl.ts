/**
 * What the convolution's shaders share (conv.ts, conv-im2col.ts): the uniform words
 * that carry the shapes, strides and window of a conv_general_dilated, and the WGSL
 * that maps a window position to its lhs and rhs offsets.
 */
import type { ShapedArray } from "../../core/aval.js";
import { stridesOf } from "../../core/aval.js";
import type { RoutineOf } from "../../kernel/routines.js";
import { uniformDecl } from "./device.js";
import { MAX_RANK } from "./routines.js";

export type Conv = RoutineOf<"conv_general_dilated">;

/** The most spatial axes (the operands' rank is at most MAX_RANK). */
export const MAX_SP = MAX_RANK - 2;
/** Scalar uniform words before the per-axis arrays. */
const HEAD = 14;
/** Per spatial axis arrays (MAX_SP words each) from word `arr(k)`. */
const arr = (k: number): number => HEAD + k * MAX_SP;
const WORDS = arr(10);
export const [OUT_SZ, OUT_ST, L_SZ, L_ST, K_SZ, R_ST, W_ST, PAD, L_DIL, R_DIL] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(
  arr,
);

/** @internal How many convolutions took each path (tests check that both are exercised). */
export const gpuConvRuns = { direct: 0, im2col: 0 };

/** @internal The most bytes of one patches matrix of im2col (tests lower it to make chunks). */
export const im2colLimits = { patchBytes: 256 << 20 };

/**
 * Uniform words: 0 the invocation count, 1 spatial rank, 2 out batch, 3 O, 4 I,
 * 5 O per group, 6 feature groups > 1, 7 batch groups > 1, 8-9 lhs batch and feature
 * strides, 10-11 rhs out and in strides, 12-13 out batch and feature strides; then per
 * spatial axis: out size and stride, lhs size and stride, kernel size and rhs stride,
 * window stride, low padding, lhs and rhs dilation.
 */
export function convWords(r: Conv, la: ShapedArray, ra: ShapedArray, oa: ShapedArray, n: number): Uint32Array {
  const { lhsSpec: ls, rhsSpec: rs, outSpec: os } = r;
  const [lst, rst, ost] = [la, ra, oa].map((a) => stridesOf(a.shape));
  const u = new Uint32Array(WORDS);
  const O = ra.shape[rs[0]];
  u.set([n, ls.length - 2, oa.shape[os[0]], O, ra.shape[rs[1]], O / Math.max(r.featureGroupCount, r.batchGroupCount)]);
  u.set([r.featureGroupCount > 1 ? 1 : 0, r.batchGroupCount > 1 ? 1 : 0, lst[ls[0]], lst[ls[1]]], 6);
  u.set([rst[rs[0]], rst[rs[1]], ost[os[0]], ost[os[1]]], 10);
  for (let d = 0; d < ls.length - 2; d++) {
    const [l, k, o] = [ls[d + 2], rs[d + 2], os[d + 2]];
    u[OUT_SZ + d] = oa.shape[o];
    u[OUT_ST + d] = ost[o];
    u[L_SZ + d] = la.shape[l];
    u[L_ST + d] = lst[l];
    u[K_SZ + d] = ra.shape[k];
    u[R_ST + d] = rst[k];
    u[W_ST + d] = r.windowStrides[d];
    u[PAD + d] = r.padding[d][0] >>> 0;
    u[L_DIL + d] = r.lhsDilation[d];
    u[R_DIL + d] = r.rhsDilation[d];
  }
  return u;
}

/**
 * WGSL shared by both shaders: `lhs_spatial(y, q)`, the lhs spatial offset of window
 * position q (row-major over the kernel) for output position y (per axis), or -1
 * where it falls on padding or a hole; `rhs_spatial(q)`, its rhs spatial offset.
 */
export const CONV_WGSL = `${uniformDecl(WORDS)}
fn sp() -> u32 { return uget(1u); }
fn window_size() -> u32 {
  var w = 1u;
  for (var d = 0u; d < sp(); d++) { w *= uget(${K_SZ}u + d); }
  return w;
}
fn lhs_spatial(y: array<u32, ${MAX_SP}>, q: u32) -> i32 {
  var rem = q;
  var off = 0u;
  for (var d = sp(); d > 0u; ) {
    d -= 1u;
    let w = uget(${K_SZ}u + d);
    let k = rem % w;
    rem = rem / w;
    // p: the position on the padded, dilated lhs; its index is p / dil where p is a multiple of dil.
    let p = i32(y[d] * uget(${W_ST}u + d) + k * uget(${R_DIL}u + d)) - bitcast<i32>(uget(${PAD}u + d));
    let dil = i32(uget(${L_DIL}u + d));
    if (p < 0 || p >= (i32(uget(${L_SZ}u + d)) - 1) * dil + 1 || p % dil != 0) { return -1; }
    off += u32(p / dil) * uget(${L_ST}u + d);
  }
  return i32(off);
}
fn rhs_spatial(q: u32) -> u32 {
  var rem = q;
  var off = 0u;
  for (var d = sp(); d > 0u; ) {
    d -= 1u;
    let w = uget(${K_SZ}u + d);
    off += (rem % w) * uget(${R_ST}u + d);
    rem = rem / w;
  }
  return off;
}
`;
