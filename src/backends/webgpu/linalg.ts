/**
 * The linear-algebra routines on the GPU, float32 only (WGSL has no float64):
 * cholesky and lu (linalg-factor.ts), triangular_solve (linalg-solve.ts) and qr
 * (linalg-qr.ts), each batched over leading axes with one workgroup per matrix,
 * and each with the conventions of its cpu twin (eigh and svd: spectral.ts).
 */
import { cholesky, lu } from "./linalg-factor.js";
import { qr } from "./linalg-qr.js";
import { triangularSolve } from "./linalg-solve.js";
import type { GpuRoutineTable } from "./gpu-routine.js";

export const LINALG_ROUTINES: GpuRoutineTable = {
  cholesky: (_r, [x], [xa]) => cholesky(x, xa),
  lu: (_r, [x], [xa]) => lu(x, xa),
  triangular_solve: (r, [a, b], [, ba]) => triangularSolve(r, a, b, ba),
  qr: (r, [x], [xa]) => qr(r.fullMatrices, x, xa),
};
