/**
 * Small helpers for the custom-rule suites (custom-vjp, custom-jvp, custom-errors): float64 inputs, reading
 * results as plain numbers, comparing them with closed forms computed in JS float64, and call counters.
 */
import { expect } from "vitest";
import { numpy as np, Array as NdArray } from "../../src/index.js";

export type Nested = number | Nested[];

/** A float64 array (so that results are compared with float64 closed forms). */
export const f64 = (x: Nested): NdArray => np.array(x as number[], "float64");

/** The values of an array (row-major), a number, or a nested JS array of them. */
export function nums(x: unknown): number[] {
  if (x instanceof NdArray) return Array.from(x.dataSync() as ArrayLike<number>);
  if (typeof x === "number") return [x];
  if (Array.isArray(x)) return x.flatMap(nums);
  throw new Error(`nums: unexpected ${String(x)}`);
}

export function shapeOf(x: Nested): number[] {
  return Array.isArray(x) ? [x.length, ...shapeOf(x[0])] : [];
}

/**
 * Float64 computations: a handful of operations, each correctly rounded or within 1 ulp (2.2e-16), so a result
 * differs from its JS closed form by ~1e-15 relative at most. 1e-13 leaves room and still catches any real error
 * (a float32 round trip alone shows as ~1e-8).
 */
export const TOL64 = 1e-13;

/**
 * Float32 computations (JS numbers are weakly typed float32 scalars, as Python floats in JAX): each operation is
 * within 1-2 ulp (eps = 1.19e-7), and the chains here are at most ~10 operations long, so 2e-6 relative.
 */
export const TOL32 = 2e-6;

/**
 * `actual` (an array) has `expected`'s shape and `dtype`, and its values equal `expected` to
 * `tol · max(1, |expected|)`; NaN only where NaN is expected.
 */
export function expectNear(actual: unknown, expected: Nested, tol: number, dtype?: string, label = "value"): void {
  expect(actual, `${label}: not an array`).toBeInstanceOf(NdArray);
  const a = actual as NdArray;
  expect(a.shape, `${label}: shape`).toEqual(shapeOf(expected));
  if (dtype !== undefined) expect(a.dtype, `${label}: dtype`).toBe(dtype);
  const got = nums(a);
  const want = nums(expected);
  got.forEach((g, i) => {
    const e = want[i];
    if (Number.isNaN(e)) {
      expect(g, `${label}[${i}]`).toBeNaN();
      return;
    }
    expect(Math.abs(g - e), `${label}[${i}]: got ${g}, expected ${e}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(e)),
    );
  });
}

/** Named call counters for f / fwd / bwd / rule. */
export class Calls {
  counts: Record<string, number> = {};
  hit(name: string): void {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
  }
  reset(): void {
    this.counts = {};
  }
  /** The counts since the last reset, every listed name present (0 when not called). */
  get(...names: string[]): Record<string, number> {
    return Object.fromEntries(names.map((n) => [n, this.counts[n] ?? 0]));
  }
}
