/**
 * Numerical checking helpers: a seeded PRNG for inputs, conversions between
 * library arrays and float64 reference tensors, inner products, central finite
 * differences, and elementwise comparison with atol/rtol.
 */
import { expect } from "vitest";
import { numpy as np, type Array as NdArray, type DType } from "../../src/index.js";
import { sizeOf, type T } from "./reference.js";

// --- seeded inputs ------------------------------------------------------------

/** mulberry32: a small, fast, seeded PRNG with uniform output in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from a string (FNV-1a), so every table row draws its own reproducible inputs. */
export function seedOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function uniformT(r: () => number, shape: readonly number[], lo: number, hi: number): T {
  const data = new Float64Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * r();
  return { shape: [...shape], data };
}

/** Integers in [lo, hi). */
export function intT(r: () => number, shape: readonly number[], lo: number, hi: number): T {
  const data = new Float64Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = lo + Math.floor((hi - lo) * r());
  return { shape: [...shape], data };
}

// --- conversions ----------------------------------------------------------------

/** A library array holding `t`'s values in `dtype` (rounded on store for float32, as any store is). */
export function toNd(t: T, dtype: DType): NdArray {
  return np.reshape(np.asarray(Array.from(t.data), dtype), t.shape);
}

/** A float64 reference tensor with an array's values (exact for every dtype). */
export function fromNd(a: NdArray): T {
  return { shape: a.shape, data: Float64Array.from(a.dataSync() as ArrayLike<number>) };
}

/** The values `t` takes once stored in `dtype` (float32 rounding, integer truncation). */
export function roundTo(t: T, dtype: DType): T {
  return fromNd(toNd(t, dtype));
}

// --- arithmetic on reference tensors --------------------------------------------------

export function inner(a: T, b: T): number {
  expect(a.shape, "inner product of tensors of different shapes").toEqual(b.shape);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += a.data[i] * b.data[i];
  return s;
}

/** Σ|aᵢbᵢ|: the scale against which rounding in `inner(a, b)` is measured. */
export function absInner(a: T, b: T): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i] * b.data[i]);
  return s;
}

/** x + s·t */
export function axpy(x: T, s: number, t: T): T {
  return { shape: [...x.shape], data: x.data.map((v, i) => v + s * t.data[i]) };
}

export function maxAbs(t: T): number {
  let m = 0;
  for (const v of t.data) m = Math.max(m, Math.abs(v));
  return m;
}

/**
 * Central finite differences (f(x + εt) − f(x − εt)) / 2ε for a function of
 * float64 tensors: one directional derivative per output.
 */
export function centralDiff(f: (xs: T[]) => T[], xs: T[], ts: T[], eps: number): T[] {
  const plus = f(xs.map((x, i) => axpy(x, eps, ts[i])));
  const minus = f(xs.map((x, i) => axpy(x, -eps, ts[i])));
  return plus.map((p, k) => ({ shape: p.shape, data: p.data.map((v, i) => (v - minus[k].data[i]) / (2 * eps)) }));
}

// --- comparisons -------------------------------------------------------------------

export interface Tol {
  rtol: number;
  atol: number;
}

/** Elementwise |actual − expected| ≤ atol + rtol·|expected|, equal shapes, NaN only where NaN is expected. */
export function expectClose(actual: T, expected: T, tol: Tol, label: string): void {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i];
    const e = expected.data[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) !== Number.isNaN(a)) {
        worst = i;
        worstExcess = Infinity;
      }
      continue;
    }
    if (a === e) continue;
    const excess = Math.abs(a - e) - (tol.atol + tol.rtol * Math.abs(e));
    if (excess > worstExcess || (excess > 0 && worst < 0)) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    const a = actual.data[worst];
    const e = expected.data[worst];
    expect.fail(
      `${label}: element ${worst} is ${a}, expected ${e} (|diff| ${Math.abs(a - e)}, allowed ${tol.atol} + ${tol.rtol}·|expected|)`,
    );
  }
}

/** Bitwise-equal values (NaN equals NaN) and equal shapes. */
export function expectSame(actual: T, expected: T, label: string): void {
  expectClose(actual, expected, { rtol: 0, atol: 0 }, label);
}
