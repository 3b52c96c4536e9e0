/**
 * svd on the GPU in float32, batched over leading axes: the one-sided Jacobi
 * shader of spectral-svd-shader.ts on B = A (m ≥ n) or Aᵀ (m < n), one workgroup
 * per matrix. s descending, then U and Vᵀ (reduced or full) when computeUv, as
 * the cpu's: singular vectors agree with the cpu's up to a common sign of each
 * pair (u_j, v_j), and the completed columns of full_matrices (or of zero
 * singular values) are the cpu's completion up to rounding.
 */
import type { ShapedArray } from "../../core/aval.js";
import type { RoutineOf } from "../../kernel/routines.js";
import { allocGpu, type WebGpuBuffer } from "./buffer.js";
import { dispatch, spread } from "./device.js";
import { MAX_SWEEPS, spectralSizeCheck, workgroupSize } from "./spectral-common.js";
import { SVD_UNIFORMS, svdShader } from "./spectral-svd-shader.js";

/** svd of a float32 [..., m, n] on GPU operands: [s] or [s, u, vt]. */
export function svd(
  { fullMatrices, computeUv }: RoutineOf<"svd">,
  [x]: WebGpuBuffer[],
  [xAval]: ShapedArray[],
  outAvals: ShapedArray[],
): WebGpuBuffer[] | null {
  if (xAval.dtype !== "float32") return null;
  const [m, n] = xAval.shape.slice(-2);
  const wide = m < n;
  const [bm, bn] = wide ? [n, m] : [m, n];
  spectralSizeCheck("svd", bn);
  const count = xAval.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const outs = outAvals.map((a) => allocGpu("float32", a.size, "svd"));
  if (count === 0 || bm === 0) return outs;
  const full = fullMatrices && computeUv;
  const ubCount = full ? bm : bn;
  // U_B is U (row-major m × uc) or, for Aᵀ, the rows of Vᵀ (vr × n); V_B is Vᵀ transposed or U.
  const [urs, ucs] = wide ? [1, bm] : [ubCount, 1];
  const [vrs, vcs] = wide ? [bn, 1] : [1, bn];
  const words: Record<(typeof SVD_UNIFORMS)[number], number> = {
    count,
    bm,
    bn,
    wide: wide ? 1 : 0,
    computeUv: computeUv ? 1 : 0,
    ubCount,
    urs,
    ucs,
    vrs,
    vcs,
    maxSweeps: MAX_SWEEPS,
  };
  const work = allocGpu("float32", count * bm * Math.max(bn, 2), "svd");
  const vWork = allocGpu("float32", computeUv ? Math.max(1, count * bn * bn) : 1, "svd");
  const dummy = computeUv ? null : [allocGpu("float32", 1, "svd"), allocGpu("float32", 1, "svd")];
  const [ub, vb] = dummy ?? (wide ? [outs[2], outs[1]] : [outs[1], outs[2]]);
  dispatch(
    svdShader(workgroupSize(bm)),
    SVD_UNIFORMS.map((k) => words[k]),
    [x.gpu],
    [work.gpu, vWork.gpu, outs[0].gpu, ub.gpu, vb.gpu],
    spread(count),
  );
  for (const b of [work, vWork, ...(dummy ?? [])]) b.dispose();
  return outs;
}
