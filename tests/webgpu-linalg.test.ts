/**
 * cholesky, lu, triangular_solve and qr on the webgpu backend (float32) against
 * the cpu routines run in float64 on the same (float32) inputs, then the public
 * API under jit on webgpu against cpu. Same adapter and skip rule as
 * tests/webgpu.test.ts (COTANGENT_NO_WEBGPU=1 skips it).
 *
 * Tolerances (u = 2⁻²⁴, γ_n = n·u/(1 − n·u)); the GPU rounds every step to float32:
 * - backward errors, the bounds of Higham's "Accuracy and Stability of Numerical
 *   Algorithms": Cholesky |LLᵀ − A| ≤ γ_{n+1}|L||Lᵀ| (Thm 10.3); LU
 *   |PA − LU| ≤ γ_n|L||U| (Thm 9.3); substitution (T + ΔT)x = b, |ΔT| ≤ γ_n|T|
 *   (Thm 8.5), so |Tx − b| ≤ γ_n|T||x|; Householder QR ‖A − QR‖_F ≤ γ̃_{mn}‖A‖_F
 *   and ‖QᵀQ − I‖_F ≤ γ̃_{mn} (Thm 19.4, 19.13; γ̃_k = c·k·u, with c = 4 here).
 *   Each is checked entrywise in float64 with a factor 2 for the rounding of the
 *   check itself.
 * - forward errors against cpu: first-order perturbation bounds, the backward
 *   bound times κ₂(A) (from the cpu's float64 SVD) and a norm factor, stated at
 *   each check (checkCholesky, checkSolve, checkQr); only well-conditioned inputs
 *   are compared this way, ill-conditioned and singular ones by backward error.
 * - pivots and permutations: equal. The GPU uses the cpu's rule (first largest
 *   |A[i,j]|, NaN never chosen); the inputs here have no near-ties that float32
 *   rounding could reorder, and exact ties test the rule.
 */
import { describe, expect, it } from "vitest";
import { config, grad, jit, numpy as np, scipy, type Array as JaxArray } from "../src/index.js";
import { ShapedArray } from "../src/core/aval.js";
import { HostBuffer } from "../src/core/buffer.js";
import type { TypedArray } from "../src/core/dtypes.js";
import type { Routine } from "../src/kernel/routines.js";
import { cpuBackend } from "../src/backends/cpu/backend.js";
import { webgpuBackend } from "../src/backends/webgpu/backend.js";
import { uploadGpu } from "../src/backends/webgpu/buffer.js";
import { pipelineCount } from "../src/backends/webgpu/device.js";
import { useWebGpu } from "./helpers/webgpu-everywhere.js";

const SKIP = process.env.COTANGENT_NO_WEBGPU === "1";
const U = 2 ** -24;
const gamma = (n: number): number => (n * U) / (1 - n * U);

/** Deterministic float32 values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const prod = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** A float32 input or an int32 one. */
interface Operand {
  shape: number[];
  data: Float32Array;
}

/** `r` on webgpu (float32), results read back. */
async function onGpu(r: Routine, ops: Operand[], outs: ShapedArray[]): Promise<TypedArray[]> {
  const avals = ops.map((o) => new ShapedArray(o.shape, "float32"));
  const res = webgpuBackend.routine(
    r,
    ops.map((o) => uploadGpu("float32", o.data)),
    avals,
    outs,
  );
  expect(res, JSON.stringify(r)).not.toBeNull();
  for (const b of res!) expect(b.platform).toBe("webgpu");
  return Promise.all(res!.map((b) => b.read()));
}

/** `r` on cpu in float64 (the float32 inputs widened exactly): the reference. */
function onCpu64(r: Routine, ops: Operand[], outs: ShapedArray[]): TypedArray[] {
  const avals = ops.map((o) => new ShapedArray(o.shape, "float64"));
  const outs64 = outs.map((o) => (o.dtype === "float32" ? new ShapedArray(o.shape, "float64") : o));
  return cpuBackend
    .routine(
      r,
      ops.map((o) => new HostBuffer("float64", Float64Array.from(o.data))),
      avals,
      outs64,
    )!
    .map((b) => b.readSync());
}

// --- float64 matrix helpers on row-major [rows, cols] views ------------------------------

type Mat = { rows: number; cols: number; at: (i: number, j: number) => number };

const view = (d: ArrayLike<number>, rows: number, cols: number, off = 0): Mat => ({
  rows,
  cols,
  at: (i, j) => Number(d[off + i * cols + j]),
});
const transposed = (a: Mat): Mat => ({ rows: a.cols, cols: a.rows, at: (i, j) => a.at(j, i) });
const absolute = (a: Mat): Mat => ({ ...a, at: (i, j) => Math.abs(a.at(i, j)) });

function matmul(a: Mat, b: Mat): Float64Array {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const x = a.at(i, k);
      if (x !== 0) for (let j = 0; j < b.cols; j++) out[i * b.cols + j] += x * b.at(k, j);
    }
  return out;
}

const maxAbs = (a: ArrayLike<number>): number => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/** Expects |got − want| ≤ bound entrywise (bound an array or a number), naming the worst entry. */
function within(got: ArrayLike<number>, want: ArrayLike<number>, bound: ArrayLike<number> | number, what: string) {
  expect(got.length, what).toBe(want.length);
  let worst = -1;
  let ratio = 0;
  for (let i = 0; i < got.length; i++) {
    const b = typeof bound === "number" ? bound : bound[i];
    const e = Math.abs(Number(got[i]) - Number(want[i]));
    if (!(e <= b) && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) {
      worst = i;
      ratio = e / b;
      break;
    }
  }
  expect(worst, `${what}: entry ${worst} is ${got[worst]}, expected ${want[worst]} (error ${ratio}× the bound)`).toBe(
    -1,
  );
}

const conditionsOf = new WeakMap<Float32Array, number[]>();

/** κ₂ of each matrix of a batch [batch, m, n], from the cpu's float64 SVD (once per array). */
function conditions(data: Float32Array, batch: number, m: number, n: number): number[] {
  const known = conditionsOf.get(data);
  if (known !== undefined) return known;
  const k = Math.min(m, n);
  const [s] = onCpu64(
    { name: "svd", fullMatrices: false, computeUv: false },
    [{ shape: [batch, m, n], data }],
    [new ShapedArray([batch, k], "float32")],
  );
  const kappa = Array.from({ length: batch }, (_, b) => Number(s[b * k]) / Number(s[b * k + k - 1]));
  conditionsOf.set(data, kappa);
  return kappa;
}

// --- inputs ---------------------------------------------------------------------------

/** Symmetric positive definite [batch, n, n]: B·Bᵀ/n + shift·I (κ about 1 + 4/shift). */
function spd(batch: number, n: number, seed: number, shift = 1): Float32Array {
  const out = new Float32Array(batch * n * n);
  for (let b = 0; b < batch; b++) {
    const B = values(n * n, seed + b);
    const bb = matmul(view(B, n, n), transposed(view(B, n, n)));
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) out[b * n * n + i * n + j] = bb[i * n + j] / n + (i === j ? shift : 0);
  }
  return out;
}

/** Hilbert matrices H[i,j] = 1/(i + j + 1) (κ₂ ≈ 1.5e7 at n = 6). */
function hilbert(n: number): Float32Array {
  return Float32Array.from({ length: n * n }, (_, e) => 1 / (Math.floor(e / n) + (e % n) + 1));
}

/** Symmetric [batch, n, n] from the lower triangle of `a` (the only part cholesky reads). */
function lowerSymmetric(a: Float32Array, count: number, n: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let b = 0; b < count; b++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) out[b * n * n + i * n + j] = a[b * n * n + Math.max(i, j) * n + Math.min(i, j)];
  return out;
}

const frobenius = (a: ArrayLike<number>): number => Math.sqrt(Array.from(a).reduce((s, x) => s + x * x, 0));
const sliceOf = (a: TypedArray, b: number, size: number): number[] => Array.from(a.slice(b * size, (b + 1) * size));

/**
 * cholesky of `data` [...batch, n, n] on webgpu: zeros above the diagonal, the
 * backward bound, and (when `compare`) the cpu's factor within κ₂·n·2γ_{n+1}·‖L‖_F
 * (the first-order perturbation bound of the factor with ‖|L||Lᵀ|‖₂ ≤ n‖A‖₂).
 */
async function checkCholesky(batch: number[], n: number, data: Float32Array, compare = true): Promise<TypedArray> {
  const shape = [...batch, n, n];
  const count = prod(batch);
  const outs = [new ShapedArray(shape, "float32")];
  const [l] = await onGpu({ name: "cholesky" }, [{ shape, data }], outs);
  const [want] = onCpu64({ name: "cholesky" }, [{ shape, data }], outs);
  const a = lowerSymmetric(data, count, n);
  const kappa = compare ? conditions(a, count, n, n) : [];
  for (let b = 0; b < count; b++) {
    const off = b * n * n;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[off + i * n + j]).toBe(0);
    const L = view(l, n, n, off);
    const bound = matmul(absolute(L), transposed(absolute(L))).map((x) => 2 * gamma(n + 1) * x);
    within(matmul(L, transposed(L)), sliceOf(a, b, n * n), bound, `cholesky ${shape} #${b}: L·Lᵀ`);
    if (compare) {
      const w = sliceOf(want, b, n * n);
      within(sliceOf(l, b, n * n), w, kappa[b] * n * 2 * gamma(n + 1) * frobenius(w), `cholesky ${shape} #${b}`);
    }
  }
  return l;
}

/**
 * lu of `data` [...batch, m, n] on webgpu: pivots and permutation equal to the
 * cpu's, and (unless `backward` is false) P·A = L·U within 2γ_k|L||U|.
 */
async function checkLu(
  batch: number[],
  m: number,
  n: number,
  data: Float32Array,
  backward = true,
): Promise<TypedArray> {
  const shape = [...batch, m, n];
  const k = Math.min(m, n);
  const count = prod(batch);
  const outs = [
    new ShapedArray(shape, "float32"),
    new ShapedArray([...batch, k], "int32"),
    new ShapedArray([...batch, m], "int32"),
  ];
  const [lu, piv, perm] = await onGpu({ name: "lu" }, [{ shape, data }], outs);
  const [, cpuPiv, cpuPerm] = onCpu64({ name: "lu" }, [{ shape, data }], outs);
  expect(Array.from(piv), `lu ${shape} pivots`).toEqual(Array.from(cpuPiv));
  expect(Array.from(perm), `lu ${shape} permutation`).toEqual(Array.from(cpuPerm));
  if (!backward) return lu;
  for (let b = 0; b < count; b++) {
    const off = b * m * n;
    const L: Mat = { rows: m, cols: k, at: (i, j) => (i === j ? 1 : i > j ? Number(lu[off + i * n + j]) : 0) };
    const Uf: Mat = { rows: k, cols: n, at: (i, j) => (j >= i ? Number(lu[off + i * n + j]) : 0) };
    const pa = Array.from({ length: m * n }, (_, e) => data[off + perm[b * m + Math.floor(e / n)] * n + (e % n)]);
    const bound = matmul(absolute(L), absolute(Uf)).map((x) => 2 * gamma(Math.max(k, 1)) * x);
    within(matmul(L, Uf), pa, bound, `lu ${shape} #${b}: L·U − P·A`);
  }
  return lu;
}

interface SolveCase {
  leftSide: boolean;
  lower: boolean;
  transposeA: boolean;
  unitDiagonal: boolean;
}

/**
 * A triangular [count, m, m]: the named triangle holds v/√m off the diagonal and
 * ±(1 + |v|) on it (well conditioned); the other triangle is NaN (never read), and
 * so is the diagonal when unitDiagonal. Also T itself, masked, for the checks.
 */
function triangular(count: number, m: number, c: SolveCase, seed: number): [Float32Array, Float32Array] {
  const v = values(count * m * m, seed);
  const a = new Float32Array(v.length);
  const t = new Float32Array(v.length);
  for (let e = 0; e < v.length; e++) {
    const i = Math.floor((e % (m * m)) / m);
    const j = e % m;
    const inside = c.lower ? j < i : j > i;
    const diag = v[e] < 0 ? -1 - Math.abs(v[e]) : 1 + v[e];
    t[e] = i === j ? (c.unitDiagonal ? 1 : diag) : inside ? v[e] / Math.sqrt(m) : 0;
    a[e] = i === j ? (c.unitDiagonal ? NaN : diag) : inside ? t[e] : NaN;
  }
  return [a, t];
}

/**
 * triangular_solve on webgpu: the residual of op(T)·X = B (or X·op(T) = B) within
 * 2γ_m|op(T)||X| (Thm 8.5, each right-hand side solved by substitution), and the
 * cpu's X within 2·κ₂·γ_m·√m·‖X‖_F (the perturbation bound with ‖|T|‖₂ ≤ √m‖T‖₂).
 */
async function checkSolve(batch: number[], m: number, nrhs: number, c: SolveCase, seed: number): Promise<void> {
  const count = prod(batch);
  const [a, t] = triangular(count, m, c, seed);
  const bShape = c.leftSide ? [...batch, m, nrhs] : [...batch, nrhs, m];
  const bData = values(count * m * nrhs, seed + 1);
  const r: Routine = { name: "triangular_solve", ...c };
  const ops = [
    { shape: [...batch, m, m], data: a },
    { shape: bShape, data: bData },
  ];
  const outs = [new ShapedArray(bShape, "float32")];
  const [x] = await onGpu(r, ops, outs);
  const [want] = onCpu64(r, ops, outs);
  const kappa = conditions(t, count, m, m);
  const [rows, cols] = bShape.slice(-2);
  const what = `triangular_solve ${JSON.stringify(c)} ${bShape}`;
  for (let b = 0; b < count; b++) {
    const T = view(t, m, m, b * m * m);
    const opT = c.transposeA ? transposed(T) : T;
    const X = view(x, rows, cols, b * rows * cols);
    const [lhs, bound] = c.leftSide
      ? [matmul(opT, X), matmul(absolute(opT), absolute(X))]
      : [matmul(X, opT), matmul(absolute(X), absolute(opT))];
    within(
      lhs,
      sliceOf(bData, b, rows * cols),
      bound.map((v) => 2 * gamma(m) * v),
      `${what} #${b}: residual`,
    );
    const w = sliceOf(want, b, rows * cols);
    const tol = 2 * kappa[b] * gamma(m) * Math.sqrt(m) * frobenius(w);
    within(sliceOf(x, b, rows * cols), w, tol, `${what} #${b}`);
  }
}

/**
 * qr of `data` [...batch, m, n] on webgpu: R zero below its diagonal; A = QR
 * column by column within 2γ̃‖a_j‖₂ and QᵀQ = I within 2γ̃ (γ̃ = 4·m·n·u, Householder
 * QR's backward bounds); and (when `compare`) the cpu's Q and R, signs included,
 * within 2κ₂γ̃ (relative to ‖A‖_F for R).
 */
async function checkQr(batch: number[], m: number, n: number, data: Float32Array, full: boolean, compare = true) {
  const k = Math.min(m, n);
  const qc = full ? m : k;
  const count = prod(batch);
  const shape = [...batch, m, n];
  const outs = [new ShapedArray([...batch, m, qc], "float32"), new ShapedArray([...batch, qc, n], "float32")];
  const r: Routine = { name: "qr", fullMatrices: full };
  const [q, rr] = await onGpu(r, [{ shape, data }], outs);
  const [wantQ, wantR] = onCpu64(r, [{ shape, data }], outs);
  const kappa = compare ? conditions(data, count, m, n) : [];
  const g = 4 * m * n * U;
  const what = `qr ${shape} full=${full}`;
  for (let b = 0; b < count; b++) {
    const Q = view(q, m, qc, b * m * qc);
    const R = view(rr, qc, n, b * qc * n);
    for (let i = 0; i < qc; i++) for (let j = 0; j < Math.min(i, n); j++) expect(R.at(i, j)).toBe(0);
    const A = view(data, m, n, b * m * n);
    const colNorm = Array.from({ length: n }, (_, j) =>
      Math.sqrt(Array.from({ length: m }, (_, i) => A.at(i, j) ** 2).reduce((x, y) => x + y, 0)),
    );
    const aFlat = sliceOf(data, b, m * n);
    within(
      matmul(Q, R),
      aFlat,
      aFlat.map((_, e) => 2 * g * colNorm[e % n]),
      `${what} #${b}: Q·R − A`,
    );
    const eye = Array.from({ length: qc * qc }, (_, e) => (e % qc === Math.floor(e / qc) ? 1 : 0));
    within(matmul(transposed(Q), Q), eye, 2 * g, `${what} #${b}: Qᵀ·Q − I`);
    if (compare) {
      within(sliceOf(q, b, m * qc), sliceOf(wantQ, b, m * qc), 2 * kappa[b] * g, `${what} #${b}: Q`);
      const tolR = 2 * kappa[b] * g * frobenius(aFlat);
      within(sliceOf(rr, b, qc * n), sliceOf(wantR, b, qc * n), tolR, `${what} #${b}: R`);
    }
  }
  return [q, rr];
}

describe.skipIf(SKIP)("webgpu linear algebra routines", () => {
  useWebGpu("tests/webgpu-linalg.test.ts");

  it("cholesky: batched, odd sizes, within the backward bound and the cpu's factor", async () => {
    for (const [batch, n] of [
      [[], 1],
      [[3], 2],
      [[2, 3], 5],
      [[2], 17],
      [[3], 65],
      [[], 200],
    ] as [number[], number][]) {
      await checkCholesky(batch, n, spd(prod(batch), n, 10 + n));
    }
  });

  it("cholesky reads only the lower triangle", async () => {
    const n = 7;
    const a = spd(2, n, 4);
    const clean = await checkCholesky([2], n, a);
    const dirty = a.map((v, e) => ((e % (n * n)) % n > Math.floor((e % (n * n)) / n) ? NaN : v));
    expect(Array.from(await checkCholesky([2], n, dirty))).toEqual(Array.from(clean));
  });

  it("cholesky of a matrix that is not positive definite is NaN there only, as cpu", async () => {
    const n = 6;
    const a = spd(3, n, 8);
    a[n * n + 3 * n + 3] = -5; // matrix 1: a negative diagonal entry
    const shape = [3, n, n];
    const outs = [new ShapedArray(shape, "float32")];
    const [l] = await onGpu({ name: "cholesky" }, [{ shape, data: a }], outs);
    const [want] = onCpu64({ name: "cholesky" }, [{ shape, data: a }], outs);
    const nan = (x: ArrayLike<number>) => Array.from(x, (v) => Number.isNaN(v));
    expect(nan(l)).toEqual(nan(want));
    expect(nan(l.slice(n * n, 2 * n * n)).every(Boolean)).toBe(true);
    expect(nan(l.slice(0, n * n)).some(Boolean)).toBe(false);
    // Singular (positive semidefinite, a zero pivot): NaN as cpu (the diagonal must be > 0).
    const z = Float32Array.from([1, 1, 1, 1]);
    const [lz] = await onGpu({ name: "cholesky" }, [{ shape: [2, 2], data: z }], [new ShapedArray([2, 2], "float32")]);
    expect(nan(lz)).toEqual([true, true, true, true]);
  });

  it("cholesky of ill-conditioned matrices stays within the backward bound", async () => {
    // Hilbert 5 (κ₂ ≈ 4.8e5) and an SPD matrix with shift 1e-3 (κ₂ ≈ 4e3).
    await checkCholesky([], 5, hilbert(5), false);
    await checkCholesky([2], 40, spd(2, 40, 5, 1e-3), false);
  });
  it("lu: batched, square, tall and wide; pivots equal, within the backward bound", async () => {
    for (const [batch, m, n] of [
      [[], 1, 1],
      [[3], 4, 4],
      [[2, 2], 7, 4],
      [[2], 4, 7],
      [[], 33, 33],
      [[2], 200, 200],
      [[], 130, 9],
    ] as [number[], number, number][]) {
      await checkLu(batch, m, n, values(prod(batch) * m * n, m * 31 + n));
    }
  });

  it("lu of singular matrices and exact ties: the cpu's pivots, zero pivots skipped", async () => {
    // Column 0 ties in magnitude (3, -3, 3): the first is chosen. Row 2 = 2·row 0, so
    // the second step meets exact zeros: a zero pivot, no division, no NaN.
    const tie = Float32Array.from([1, 2, 3, 4, -3, 1, 0, 2, 3, 2, 4, 5, 2, 4, 6, 8]);
    const lu = await checkLu([], 4, 4, tie);
    expect(lu.some((v) => Number.isNaN(v))).toBe(false);
    // A zero column and a zero matrix.
    const zeroCol = values(5 * 5, 3).map((v, e) => (e % 5 === 2 ? 0 : v));
    await checkLu([], 5, 5, zeroCol);
    const zero = await checkLu([2], 3, 3, new Float32Array(18));
    expect(Array.from(zero)).toEqual(new Array(18).fill(0));
    // Rank one, rows ±2^i times an integer row: elimination is exact in float32 and float64
    // alike, so both see exact zeros after the first step (with rounding noise instead,
    // pivots chosen among noise would differ).
    const row = [3, -1, 4, 1, -5, 9];
    const rankOne = Float32Array.from({ length: 36 }, (_, e) => row[e % 6] * (-2) ** ((Math.floor(e / 6) * 5) % 6));
    const lu1 = await checkLu([], 6, 6, rankOne);
    for (let i = 1; i < 6; i++) for (let j = i; j < 6; j++) expect(lu1[i * 6 + j]).toBe(0); // U's rows past the first
  });

  it("lu with NaN: never a NaN pivot after the first candidate, the cpu's NaN pattern", async () => {
    const shape = [3, 4, 4];
    const a = values(48, 21);
    a[2 * 4] = NaN; // matrix 0: NaN below the diagonal of column 0
    a[16] = NaN; // matrix 1: NaN on the diagonal (pivot candidate j itself)
    a[32 + 4 + 1] = Infinity; // matrix 2: an infinity
    const lu = await checkLu([3], 4, 4, a, false);
    const outs = [
      new ShapedArray(shape, "float32"),
      new ShapedArray([3, 4], "int32"),
      new ShapedArray([3, 4], "int32"),
    ];
    const [want] = onCpu64({ name: "lu" }, [{ shape, data: a }], outs);
    expect(Array.from(lu, Number.isNaN)).toEqual(Array.from(want, Number.isNaN));
  });

  it("lu of ill-conditioned matrices: the cpu's pivots, within the backward bound", async () => {
    await checkLu([], 8, 8, hilbert(8)); // κ₂ ≈ 1.5e10, beyond float32
    const graded = values(64, 4).map((v, e) => v * 10 ** -(e % 8));
    await checkLu([], 8, 8, graded);
  });
  it("triangular_solve: all sixteen option sets, batched, odd sizes, only the named triangle read", async () => {
    let seed = 100;
    for (const leftSide of [true, false])
      for (const lower of [true, false])
        for (const transposeA of [true, false])
          for (const unitDiagonal of [true, false]) {
            const c = { leftSide, lower, transposeA, unitDiagonal };
            await checkSolve([2], 5, 3, c, seed++);
            await checkSolve([], 1, 2, c, seed++);
            await checkSolve([2, 1], 9, 1, c, seed++);
          }
  });

  it("triangular_solve at n = 200, with many right-hand sides (several blocks) and a batch", async () => {
    const c = { leftSide: true, lower: true, transposeA: false, unitDiagonal: false };
    await checkSolve([], 200, 1, c, 7);
    await checkSolve([3], 70, 45, { ...c, lower: false, transposeA: true }, 8);
    await checkSolve([2], 33, 70, { ...c, leftSide: false }, 9);
  });

  it("triangular_solve with a zero on the diagonal gives the cpu's infinities and NaNs", async () => {
    const a = Float32Array.from([2, 0, 0, 1, 0, 0, 1, 1, 3]);
    const b = Float32Array.from([2, 4, 0, 1, 5, 6]);
    const r: Routine = {
      name: "triangular_solve",
      leftSide: true,
      lower: true,
      transposeA: false,
      unitDiagonal: false,
    };
    const ops = [
      { shape: [3, 3], data: a },
      { shape: [3, 2], data: b },
    ];
    const outs = [new ShapedArray([3, 2], "float32")];
    const [x] = await onGpu(r, ops, outs);
    const [want] = onCpu64(r, ops, outs);
    expect(Array.from(x)).toEqual(Array.from(want, (v) => Math.fround(v)));
    expect(Array.from(x).some((v) => !Number.isFinite(v))).toBe(true);
  });
  it("qr: reduced and complete, square, tall and wide, batched; the cpu's signs", async () => {
    for (const [batch, m, n] of [
      [[], 1, 1],
      [[2], 5, 3],
      [[3], 4, 7],
      [[2, 2], 6, 6],
      [[], 37, 5],
      [[], 200, 200],
      [[2], 120, 50],
    ] as [number[], number, number][]) {
      const data = values(prod(batch) * m * n, 7 * m + n);
      for (const full of [false, true]) await checkQr(batch, m, n, data, full);
    }
  });

  it("qr of rank-deficient and ill-conditioned matrices: exact zero columns, no reflection of zeros", async () => {
    // A zero column: its reflector is skipped (τ = 0) and R's column stays exactly zero.
    const zeroCol = values(6 * 4, 5).map((v, e) => (e % 4 === 1 ? 0 : v));
    for (const full of [false, true]) {
      const [, r] = await checkQr([], 6, 4, zeroCol, full, false);
      for (let i = 0; i < 4; i++) expect(r[i * 4 + 1]).toBe(0);
    }
    // Already upper triangular with zeros below: no reflection at all, Q = I and R = A exactly.
    const upper = values(16, 6).map((v, e) => (e % 4 >= Math.floor(e / 4) ? v : 0));
    const [q, r] = await checkQr([], 4, 4, upper, true);
    expect(Array.from(r)).toEqual(Array.from(upper));
    expect(Array.from(q)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    // Duplicate columns (rank 2 of 3) and Hilbert 8: backward bounds only.
    const dup = values(15, 8).map((v, e, a) => (e % 3 === 2 ? a[e - 2] : v));
    await checkQr([], 5, 3, dup, false, false);
    await checkQr([], 8, 8, hilbert(8), true, false);
  });
  it("np.linalg and scipy.linalg under jit on webgpu agree with cpu, a grad through solve too", async () => {
    // Well-conditioned batches: κ₂ of each matrix is checked below. Every result is a
    // composition of the routines above plus products, so it agrees with cpu within
    // 2·κ²·γ̃·max|cpu| (γ̃ = 4n²u as for QR; κ² covers the two solves of a gradient).
    const n = 5;
    const aData = values(2 * n * n, 77).map((v, e) => v + ((e % (n * n)) % (n + 1) === 0 ? 2 : 0));
    const sData = spd(2, n, 78);
    const tallData = values(2 * 6 * 4, 79);
    const kappa = Math.max(
      ...conditions(aData, 2, n, n),
      ...conditions(sData, 2, n, n),
      ...conditions(tallData, 2, 6, 4),
    );
    expect(kappa).toBeLessThan(20);
    const tol = 2 * kappa ** 2 * 4 * n * n * U;
    const a = np.array(Array.from(aData)).reshape([2, n, n]);
    const s = np.array(Array.from(sData)).reshape([2, n, n]);
    const tall = np.array(Array.from(tallData)).reshape([2, 6, 4]);
    const b = np.array(Array.from(values(2 * n * 3, 80))).reshape([2, n, 3]);
    const f = (a: JaxArray, s: JaxArray, tall: JaxArray, b: JaxArray): JaxArray[] => [
      np.linalg.cholesky(s),
      np.linalg.solve(a, b),
      np.linalg.inv(a),
      np.linalg.det(a),
      ...np.linalg.slogdet(a),
      ...np.linalg.qr(a),
      ...np.linalg.qr(tall, "complete"),
      ...scipy.linalg.luFactor(a),
      scipy.linalg.solveTriangular(s, b, { lower: true }),
      scipy.linalg.solveTriangular(a, b, { trans: 1 }),
    ];
    const w = np.array(Array.from(values(2 * n * 3, 81))).reshape([2, n, 3]);
    const g = grad((a: JaxArray, b: JaxArray) => np.sum(np.linalg.solve(a, b).mul(w)), { argnums: [0, 1] });
    const run = (): JaxArray[] => [...jit(f)(a, s, tall, b), ...jit(g)(a, b)];
    const onGpuArrays = run();
    for (const x of onGpuArrays) expect(x._buffer!.platform).toBe("webgpu");
    const got = await Promise.all(onGpuArrays.map(async (x) => Array.from((await x.data()) as ArrayLike<number>)));
    config.update("platform", "cpu");
    const want = run().map((x) => Array.from(x.dataSync() as ArrayLike<number>));
    const pivots = 11; // luFactor's piv: int32, equal
    expect(got[pivots]).toEqual(want[pivots]);
    got.forEach((v, i) => within(v, want[i], tol * Math.max(1, maxAbs(want[i])), `result ${i}`));
  });
  it("empty batches and empty matrices: the cpu's shapes and contents", async () => {
    const same = async (r: Routine, shapes: number[][], outs: ShapedArray[]) => {
      const ops = shapes.map((shape, k) => ({ shape, data: values(prod(shape), 3 + k) }));
      const got = await onGpu(r, ops, outs);
      const want = onCpu64(r, ops, outs);
      got.forEach((g, i) => expect(Array.from(g), `${r.name} ${shapes} result ${i}`).toEqual(Array.from(want[i])));
    };
    const f = (shape: number[]) => new ShapedArray(shape, "float32");
    const i32 = (shape: number[]) => new ShapedArray(shape, "int32");
    await same({ name: "cholesky" }, [[0, 3, 3]], [f([0, 3, 3])]);
    await same({ name: "cholesky" }, [[2, 0, 0]], [f([2, 0, 0])]);
    await same({ name: "lu" }, [[2, 3, 0]], [f([2, 3, 0]), i32([2, 0]), i32([2, 3])]);
    await same({ name: "lu" }, [[2, 0, 3]], [f([2, 0, 3]), i32([2, 0]), i32([2, 0])]);
    await same({ name: "qr", fullMatrices: true }, [[2, 3, 0]], [f([2, 3, 3]), f([2, 3, 0])]);
    await same({ name: "qr", fullMatrices: false }, [[0, 3, 2]], [f([0, 3, 2]), f([0, 2, 2])]);
    const solve: Routine = {
      name: "triangular_solve",
      leftSide: true,
      lower: true,
      transposeA: false,
      unitDiagonal: false,
    };
    await same(
      solve,
      [
        [2, 3, 3],
        [2, 3, 0],
      ],
      [f([2, 3, 0])],
    );
    await same(
      solve,
      [
        [0, 3, 3],
        [0, 3, 2],
      ],
      [f([0, 3, 2])],
    );
  });
  it("one pipeline per routine serves every size, batch and option set", async () => {
    const c = { leftSide: true, lower: true, transposeA: false, unitDiagonal: false };
    const once = async (n: number, seed: number) => {
      await checkCholesky([2], n, spd(2, n, seed));
      await checkLu([], n, n + 1, values(n * (n + 1), seed));
      await checkSolve([2], n, 2, { ...c, lower: seed % 2 === 0, leftSide: seed % 3 === 0 }, seed);
      await checkQr([], n + 2, n, values((n + 2) * n, seed), seed % 2 === 0);
    };
    await once(3, 1);
    const before = pipelineCount();
    await once(6, 2);
    await once(11, 3);
    expect(pipelineCount()).toBe(before);
  });
});
