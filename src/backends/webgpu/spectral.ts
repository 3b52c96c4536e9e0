/**
 * The webgpu routines of spectral-eigh.ts, spectral-svd.ts and polygamma.ts, by name:
 * the symmetric eigendecomposition and the SVD by Jacobi rotations, and polygamma,
 * all in float32 and batched over leading axes.
 */
import { polygamma } from "./polygamma.js";
import type { GpuRoutineTable } from "./gpu-routine.js";
import { eigh } from "./spectral-eigh.js";
import { svd } from "./spectral-svd.js";

/** eigh, svd and polygamma on GPU operands. */
export const SPECTRAL_ROUTINES: GpuRoutineTable = {
  eigh: (r, xs, inAvals) => eigh(r, xs, inAvals),
  svd: (r, xs, inAvals, outAvals) => svd(r, xs, inAvals, outAvals),
  polygamma: (r, xs, inAvals) => polygamma(r, xs, inAvals),
};
