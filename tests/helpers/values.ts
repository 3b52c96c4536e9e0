/** Reading an array's values and comparing them with expected JS numbers, for the contract tests. */
import { expect } from "vitest";
import type { Array as NdArray } from "../../src/index.js";

/** The values of an array as JS numbers, row-major. */
export const vals = (x: NdArray): number[] => Array.from(x.dataSync() as ArrayLike<number>);

/** Values equal `want` within `tol` relative (absolute below 1); NaN and ±inf must match exactly. */
export const close = (x: NdArray, want: number[], tol = 1e-6): void => {
  const got = vals(x);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    if (Number.isNaN(want[i]) || !Number.isFinite(want[i])) expect(g).toBe(want[i]);
    else expect(Math.abs(g - want[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i])));
  });
};
