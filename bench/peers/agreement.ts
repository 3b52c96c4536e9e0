/**
 * The agreement check run before timing: the libraries must compute the same numbers for a workload, or their
 * timings would not be comparable.
 */
import type { Readout } from "./workloads.js";

/** Results within this relative difference count as the same (float32, different summation orders). */
export const AGREEMENT_TOLERANCE = 1e-3;

/**
 * The largest, over the buffers, of max|a - b| / max|b|: the worst error relative to the buffer's scale, so one tiny
 * gradient entry does not dominate. Infinity when the shapes differ or a value is NaN where the other is not.
 */
export function relativeDifference(a: Readout, b: Readout): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let k = 0; k < a.length; k++) {
    const x = a[k];
    const y = b[k];
    if (x.length !== y.length) return Infinity;
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < x.length; i++) {
      if (Number.isNaN(x[i]) !== Number.isNaN(y[i])) return Infinity;
      diff = Math.max(diff, Math.abs(x[i] - y[i]) || 0);
      scale = Math.max(scale, Math.abs(y[i]));
    }
    worst = Math.max(worst, scale > 0 ? diff / scale : diff);
  }
  return worst;
}
