/**
 * Helpers of tests/webgpu-spectral.test.ts: deterministic matrices with known spectra,
 * small float64 matrix algebra, and the checks of eigh and svd results (their
 * tolerances are stated and justified at the top of that file).
 */
import { expect } from "vitest";

/** float32's ε. */
export const EPS = 2 ** -23;

/** Deterministic values in [-1, 1). */
export function randoms(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

export const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Matrix `b` of a row-major batch of [rows, cols] matrices, as rows. */
export function mat(data: Float64Array | Float32Array, b: number, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) =>
    Array.from(data.subarray(b * rows * cols + i * cols, b * rows * cols + (i + 1) * cols)),
  );
}

export const frob = (a: number[][]): number => Math.sqrt(a.flat().reduce((s, v) => s + v * v, 0));
export const maxAbs = (a: number[][]): number => a.flat().reduce((s, v) => Math.max(s, Math.abs(v)), 0);
export const matmul = (a: number[][], b: number[][]): number[][] =>
  a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
export const transpose = (a: number[][]): number[][] => a[0].map((_, j) => a.map((row) => row[j]));
export const sub = (a: number[][], b: number[][]): number[][] => a.map((row, i) => row.map((v, j) => v - b[i][j]));
export const eye = (n: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => +(i === j)));

/** Columns of `v` with their largest entry positive (vectors are unique up to sign). */
export function signFixed(v: number[][]): number[][] {
  const signs = v[0].map((_, j) => {
    let best = 0;
    for (const row of v) if (Math.abs(row[j]) > Math.abs(best)) best = row[j];
    return best < 0 ? -1 : 1;
  });
  return v.map((row) => row.map((x, j) => x * signs[j]));
}

/** A random orthogonal n×n matrix (Gram–Schmidt in float64 of random columns). */
export function orthogonal(n: number, seed: number): number[][] {
  const cols: number[][] = [];
  const r = randoms(n * n, seed);
  for (let j = 0; j < n; j++) {
    let c = Array.from(r.subarray(j * n, (j + 1) * n));
    for (let round = 0; round < 2; round++) {
      for (const q of cols) {
        const d = q.reduce((s, v, i) => s + v * c[i], 0);
        c = c.map((v, i) => v - d * q[i]);
      }
    }
    const nrm = Math.hypot(...c);
    cols.push(c.map((v) => v / nrm));
  }
  return transpose(cols);
}

/** Q·diag(w)·Qᵀ in float64, as float32 values. */
export function withEigenvalues(w: number[], seed: number): number[] {
  const q = orthogonal(w.length, seed);
  return matmul(
    q.map((row) => row.map((v, j) => v * w[j])),
    transpose(q),
  ).flat();
}

export function symmetric(n: number, seed: number): number[] {
  const r = randoms(n * n, seed);
  return Array.from({ length: n * n }, (_, e) => {
    const [i, j] = [Math.floor(e / n), e % n];
    return i >= j ? r[i * n + j] : r[j * n + i];
  });
}

/** Checks the eigh results of every matrix of a batch: invariants, and the cpu's values (and simple vectors). */
export function checkEigh(
  x: Float32Array,
  n: number,
  lower: boolean,
  cpu: Float64Array[],
  gpu: Float64Array[],
  vectors: boolean,
): void {
  const count = x.length / (n * n);
  for (let b = 0; b < count; b++) {
    const raw = mat(x, b, n, n);
    const a = raw.map((row, i) => row.map((_, j) => ((lower ? i >= j : i <= j) ? raw[i][j] : raw[j][i])));
    const scale = frob(a);
    const tol = 8 * n * EPS * scale;
    const v = mat(gpu[0], b, n, n);
    const w = Array.from(gpu[1].subarray(b * n, (b + 1) * n));
    const wCpu = Array.from(cpu[1].subarray(b * n, (b + 1) * n));
    for (let i = 0; i < n; i++) expect(Math.abs(w[i] - wCpu[i]), `w[${i}]`).toBeLessThanOrEqual(tol);
    for (let i = 1; i < n; i++) expect(w[i]).toBeGreaterThanOrEqual(w[i - 1]);
    expect(
      maxAbs(
        sub(
          matmul(a, v),
          v.map((row) => row.map((x, j) => x * w[j])),
        ),
      ),
    ).toBeLessThanOrEqual(tol);
    expect(maxAbs(sub(matmul(transpose(v), v), eye(n)))).toBeLessThanOrEqual(8 * n * EPS);
    if (!vectors) continue;
    const gap = Math.min(...wCpu.slice(1).map((x, i) => x - wCpu[i]), Infinity);
    const vCpu = signFixed(mat(cpu[0], b, n, n));
    expect(maxAbs(sub(signFixed(v), vCpu))).toBeLessThanOrEqual(tol / gap);
  }
}

/** Checks svd results of every matrix of a batch: s as the cpu's, U·diag(s)·Vᵀ = A, orthonormal U and V, vectors up to sign. */
export function checkSvd(
  x: Float32Array,
  m: number,
  n: number,
  full: boolean,
  cpu: Float64Array[],
  gpu: Float64Array[],
  vectors: boolean,
): void {
  const k = Math.min(m, n);
  const [uc, vr] = full ? [m, n] : [k, k];
  const count = x.length / (m * n) || 0;
  for (let b = 0; b < count; b++) {
    const a = mat(x, b, m, n);
    const tol = 8 * Math.max(m, n) * EPS * Math.max(frob(a), Number.MIN_VALUE);
    const s = Array.from(gpu[0].subarray(b * k, (b + 1) * k));
    const sCpu = Array.from(cpu[0].subarray(b * k, (b + 1) * k));
    for (let i = 0; i < k; i++) expect(Math.abs(s[i] - sCpu[i]), `s[${i}]`).toBeLessThanOrEqual(tol);
    for (let i = 1; i < k; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
    if (gpu.length === 1) continue;
    const u = mat(gpu[1], b, m, uc);
    const vt = mat(gpu[2], b, vr, n);
    if (m > 0 && uc > 0)
      expect(maxAbs(sub(matmul(transpose(u), u), eye(uc))), "UᵀU").toBeLessThanOrEqual(8 * Math.max(m, n) * EPS);
    if (n > 0 && vr > 0)
      expect(maxAbs(sub(matmul(vt, transpose(vt)), eye(vr))), "VᵀV").toBeLessThanOrEqual(8 * Math.max(m, n) * EPS);
    if (k > 0) {
      const us = u.map((row) => row.slice(0, k).map((v, j) => v * s[j]));
      expect(maxAbs(sub(matmul(us, vt.slice(0, k)), a)), "U·diag(s)·Vᵀ").toBeLessThanOrEqual(tol);
    }
    if (!vectors) continue;
    // The pairs (u_j, v_j) of simple singular values, with the sign that makes u's largest entry positive.
    const uCpu = mat(cpu[1], b, m, uc);
    const vtCpu = mat(cpu[2], b, vr, n);
    for (let j = 0; j < k; j++) {
      const gap = Math.min(
        j > 0 ? sCpu[j - 1] - sCpu[j] : Infinity,
        j + 1 < k ? sCpu[j] - sCpu[j + 1] : m === n ? Infinity : sCpu[j],
      );
      const col = (w: number[][]) => w.map((row) => row[j]);
      const sign = (c: number[]) => Math.sign(c.reduce((p, v) => (Math.abs(v) > Math.abs(p) ? v : p), 0)) || 1;
      const [g, c] = [col(u), col(uCpu)];
      const [sg, sc] = [sign(g), sign(c)];
      const bound = tol / gap + 8 * Math.max(m, n) * EPS;
      for (let i = 0; i < m; i++) expect(Math.abs(g[i] * sg - c[i] * sc), `u[${i}][${j}]`).toBeLessThanOrEqual(bound);
      for (let i = 0; i < n; i++)
        expect(Math.abs(vt[j][i] * sg - vtCpu[j][i] * sc), `vt[${j}][${i}]`).toBeLessThanOrEqual(bound);
    }
  }
}
