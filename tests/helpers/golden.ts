/**
 * Reading `tests/data/jax-golden.json` (values computed by JAX) and comparing arrays against it.
 *
 * Encoded arrays are `{shape, dtype, data}` with `data` row-major and the non-finite values written as the
 * strings "nan", "inf" and "-inf".
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { numpy as np, Array as NdArray, type DType } from "../../src/index.js";

export interface Encoded {
  shape: number[];
  dtype: string;
  data: (number | string)[];
}

/** An output entry: an encoded array, or a (nested) list of them, e.g. `[value, [gx, gy]]`. */
export type EncodedTree = Encoded | EncodedTree[];

export interface GoldenCase {
  id: string;
  note: string;
  inputs?: Encoded[];
  outputs?: EncodedTree[];
  error?: { type: string; message: string };
}

export interface GoldenFile {
  about: string;
  jax_version: string;
  cases: GoldenCase[];
}

/** The golden file, parsed once. */
export function loadGolden(): GoldenFile {
  const url = new URL("../data/jax-golden.json", import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as GoldenFile;
}

export function isEncoded(x: unknown): x is Encoded {
  return typeof x === "object" && x !== null && !Array.isArray(x) && "shape" in x && "data" in x;
}

function decodeValue(v: number | string): number {
  if (typeof v === "number") return v;
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  throw new Error(`golden: unknown encoded value ${JSON.stringify(v)}`);
}

/** The values of an encoded array as doubles, row-major. */
export function decodeData(e: Encoded): number[] {
  const n = e.shape.reduce((a, b) => a * b, 1);
  if (e.data.length !== n) throw new Error(`golden: ${e.data.length} values for shape [${e.shape.join(", ")}]`);
  return e.data.map(decodeValue);
}

/** An encoded array as a (non-weakly-typed) library array of its dtype. */
export function toArray(e: Encoded): NdArray {
  return np.reshape(np.array(decodeData(e), e.dtype as DType), e.shape);
}

/** `n` copies of an encoded array stacked along a new leading axis (for vmap checks). */
export function stackCopies(e: Encoded, n: number): NdArray {
  const x = toArray(e);
  return np.stack(Array.from({ length: n }, () => x));
}

export interface Tolerance {
  /** Relative tolerance, against |expected|. */
  rtol: number;
  /**
   * Absolute floor, as a multiple of max(1, max |expected| over the array): for values near 0, where float32
   * rounding in intermediates (cancellation, summation order) is not small relative to the value itself.
   */
  atol: number;
}

/**
 * Asserts that `actual` matches `expected`: same shape and dtype, NaN at exactly the same positions, ±inf at
 * exactly the same positions with the same sign, and elsewhere |a − e| ≤ rtol·|e| + atol·max(1, max|e|).
 * The sign of zero is not compared. Reads with `dataSync()`: host arrays only (see `expectMatchesAsync`).
 */
export function expectMatches(label: string, actual: unknown, expected: Encoded, tol: Tolerance): void {
  const a = checkArray(label, actual, expected);
  compareValues(label, Array.from(a.dataSync() as ArrayLike<number>), expected, tol);
}

/**
 * `expectMatches` for arrays on any platform: it reads with `await x.data()`, since arrays in GPU memory have no
 * synchronous read.
 */
export async function expectMatchesAsync(
  label: string,
  actual: unknown,
  expected: Encoded,
  tol: Tolerance,
): Promise<void> {
  const a = checkArray(label, actual, expected);
  compareValues(label, Array.from((await a.data()) as ArrayLike<number>), expected, tol);
}

/** `actual` is an array of `expected`'s shape and dtype. */
function checkArray(label: string, actual: unknown, expected: Encoded): NdArray {
  expect(actual, `${label}: not an array`).toBeInstanceOf(NdArray);
  const a = actual as NdArray;
  expect(a.shape, `${label}: shape`).toEqual(expected.shape);
  expect(a.dtype, `${label}: dtype`).toBe(expected.dtype);
  return a;
}

/** The value comparison of `expectMatches`, on values already read. */
function compareValues(label: string, got: number[], expected: Encoded, tol: Tolerance): void {
  const want = decodeData(expected);
  let scale = 1;
  for (const v of want) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  const atol = tol.atol * scale;
  let worst = -1;
  let worstExcess = 0;
  const mismatches: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      if (!Object.is(g, w)) mismatches.push(`[${i}] got ${g}, expected ${w}`);
      continue;
    }
    if (!Number.isFinite(g)) {
      mismatches.push(`[${i}] got ${g}, expected ${w}`);
      continue;
    }
    const excess = Math.abs(g - w) / (tol.rtol * Math.abs(w) + atol);
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worstExcess > 1) {
    mismatches.push(
      `[${worst}] got ${got[worst]}, expected ${want[worst]} (error ${Math.abs(got[worst] - want[worst]).toExponential(3)}, ` +
        `${worstExcess.toFixed(2)}x the tolerance rtol=${tol.rtol}, atol=${atol.toExponential(2)})`,
    );
  }
  expect(mismatches, `${label}: mismatches`).toEqual([]);
}

/** Batch element `b` of an array with a leading batch axis. */
export function batchElement(x: unknown, b: number): NdArray {
  return (x as NdArray).get(b);
}
