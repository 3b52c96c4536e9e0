/**
 * eigh, svd and polygamma on webgpu (float32) against the cpu routines and
 * against the invariants of the factorizations, then through the public API
 * under jit. Same adapter and skip rule as tests/webgpu.test.ts
 * (COTANGENT_NO_WEBGPU=1 skips it).
 *
 * Tolerances (ε = 2⁻²³, float32's; the cpu computes in float64 and rounds once,
 * so it serves as the exact reference):
 * - Jacobi is backward stable: each sweep applies n−1 rounds of rotations, each
 *   element takes O(1) roundings per round, so the computed factorization is exact
 *   for A + E with ‖E‖ ≲ c·n·ε·‖A‖ (a few sweeps). Residuals ‖AV − VΛ‖, ‖UΣVᵀ − A‖
 *   are checked against 8·n·ε·‖A‖_F, orthogonality ‖VᵀV − I‖ against 8·n·ε, and
 *   eigenvalues and singular values against the cpu's within 8·n·ε·‖A‖_F (Weyl's
 *   theorem: a perturbation E moves each by at most ‖E‖₂).
 * - Vectors of simple eigenvalues (singular values) move by ‖E‖/gap: compared with
 *   the cpu's up to sign within 8·n·ε·‖A‖_F/gap; repeated ones only span the same
 *   space, so those inputs are checked by the invariants alone.
 * - polygamma: every term of the series carries a relative error of O((n+2)·ε)
 *   (a product of n+1 rounded reciprocals, then the sums), so the result is within
 *   64·(n+2)·ε relative to its scale: |ψ⁽ⁿ⁾(x)| for x > 0; for x < 0, where the
 *   reflection subtracts π^(n+1)·Pₙ(cot πx) from ±ψ⁽ⁿ⁾(1−x), the sum of the
 *   magnitudes |ψ⁽ⁿ⁾(x)| + 2|ψ⁽ⁿ⁾(1−x)| (the cancellation is the function's, not the
 *   method's, and the cpu rounds the same float32 x); plus 2⁻¹²⁶, as results below
 *   float32's smallest normal number keep only absolute precision (GPUs may flush them
 *   to zero). Digamma's zero near 1.4616 makes it ill-conditioned there (x·ψ'(x)/ψ(x) ≈ 40
 *   at 1.5), within the same bound.
 */
import { describe, expect, it } from "vitest";
import { config, grad, jit, numpy as np, scipy, type Array as JaxArray } from "../src/index.js";
import { ShapedArray } from "../src/core/aval.js";
import { HostBuffer } from "../src/core/buffer.js";
import type { Routine } from "../src/kernel/routines.js";
import { polygamma as polygamma64 } from "../src/kernel/special.js";
import { cpuBackend } from "../src/backends/cpu/backend.js";
import { webgpuBackend } from "../src/backends/webgpu/backend.js";
import { uploadGpu } from "../src/backends/webgpu/buffer.js";
import { WebGpuError } from "../src/backends/webgpu/errors.js";
import {
  EPS,
  checkEigh,
  checkSvd,
  frob,
  mat,
  matmul,
  maxAbs,
  orthogonal,
  randoms,
  sizeOf,
  sub,
  symmetric,
  withEigenvalues,
} from "./helpers/spectral-checks.js";
import { useWebGpu, read } from "./helpers/webgpu-everywhere.js";

const SKIP = process.env.COTANGENT_NO_WEBGPU === "1";

/** Runs `r` on cpu and on webgpu with the float32 operand `x` of `shape`: both results, as float64. */
async function both(
  r: Routine,
  x: Float32Array,
  shape: number[],
  outs: number[][],
): Promise<{ cpu: Float64Array[]; gpu: Float64Array[] }> {
  const avals = [new ShapedArray(shape, "float32")];
  const outAvals = outs.map((s) => new ShapedArray(s, "float32"));
  const cpu = cpuBackend.routine(r, [new HostBuffer("float32", x)], avals, outAvals)!;
  const gpu = webgpuBackend.routine(r, [uploadGpu("float32", x)], avals, outAvals);
  expect(gpu, JSON.stringify(r)).not.toBeNull();
  const got = await Promise.all(gpu!.map((b) => b.read()));
  return { cpu: cpu.map((b) => Float64Array.from(b.readSync())), gpu: got.map((g) => Float64Array.from(g)) };
}

describe.skipIf(SKIP)("webgpu eigh, svd and polygamma", () => {
  useWebGpu("tests/webgpu-spectral.test.ts");

  it("eigh of batched, odd-sized and small matrices, either triangle, as the cpu's", async () => {
    for (const [batch, n] of [
      [[], 1],
      [[], 2],
      [[3], 5],
      [[2, 2], 7],
      [[], 16],
      [[2], 33],
      [[], 70],
    ] as [number[], number][]) {
      const shape = [...batch, n, n];
      // Unsymmetric storage: each triangle names a different symmetric matrix.
      const x = Float32Array.from(randoms(sizeOf(shape), n * 7 + batch.length));
      for (const lower of [true, false]) {
        const r: Routine = { name: "eigh", lower, sortEigenvalues: true };
        const { cpu, gpu } = await both(r, x, shape, [shape, [...batch, n]]);
        checkEigh(x, n, lower, cpu, gpu, true);
      }
    }
  });

  it("eigh of repeated eigenvalues, rank-deficient and diagonal matrices", async () => {
    const cases: [number, number[]][] = [
      [6, withEigenvalues([1, 1, 1, 3, 3, 5], 3)],
      [5, withEigenvalues([0, 0, 0, 2, -1], 4)],
      [4, [2, 0, 0, 0, 0, -1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0]],
      [3, new Array(9).fill(0)],
      [9, withEigenvalues([1e-6, 1, 1, 1, 1, 1, 1, 1, 1e3], 5)],
    ];
    for (const [n, values] of cases) {
      const x = Float32Array.from(values);
      const { cpu, gpu } = await both({ name: "eigh", lower: true, sortEigenvalues: true }, x, [n, n], [[n, n], [n]]);
      checkEigh(x, n, true, cpu, gpu, false);
    }
  });

  it("eigh without sorting keeps every eigenpair; NaN input gives NaN, not a hang", async () => {
    const n = 6;
    const x = Float32Array.from(symmetric(n, 11));
    const { cpu, gpu } = await both({ name: "eigh", lower: true, sortEigenvalues: false }, x, [n, n], [[n, n], [n]]);
    const sorted = Array.from(gpu[1]).sort((a, b) => a - b);
    const wCpu = Array.from(cpu[1]).sort((a, b) => a - b);
    for (let i = 0; i < n; i++)
      expect(Math.abs(sorted[i] - wCpu[i])).toBeLessThanOrEqual(8 * n * EPS * frob(mat(x, 0, n, n)));
    const a = mat(x, 0, n, n);
    const v = mat(gpu[0], 0, n, n);
    const w = Array.from(gpu[1]);
    expect(
      maxAbs(
        sub(
          matmul(a, v),
          v.map((row) => row.map((e, j) => e * w[j])),
        ),
      ),
    ).toBeLessThanOrEqual(8 * n * EPS * frob(a));
    x[7] = NaN;
    const nan = await both({ name: "eigh", lower: true, sortEigenvalues: true }, x, [n, n], [[n, n], [n]]);
    expect(nan.gpu[1].some((v) => Number.isNaN(v))).toBe(true);
  });

  it("svd of batched tall, wide, square and odd-sized matrices, every mode, as the cpu's", async () => {
    for (const [batch, m, n] of [
      [[], 1, 1],
      [[], 5, 3],
      [[2], 3, 5],
      [[2, 3], 4, 4],
      [[], 9, 7],
      [[2], 6, 17],
      [[], 40, 33],
      [[2], 5, 70],
    ] as [number[], number, number][]) {
      const shape = [...batch, m, n];
      const k = Math.min(m, n);
      const x = Float32Array.from(randoms(sizeOf(shape), m * 31 + n));
      for (const [full, uv] of [
        [false, true],
        [true, true],
        [true, false],
      ]) {
        const outs = uv
          ? [
              [...batch, k],
              [...batch, m, full ? m : k],
              [...batch, full ? n : k, n],
            ]
          : [[...batch, k]];
        const { cpu, gpu } = await both({ name: "svd", fullMatrices: full, computeUv: uv }, x, shape, outs);
        checkSvd(x, m, n, full, cpu, gpu, true);
      }
    }
  });

  it("svd of rank-deficient, repeated, zero, huge and tiny matrices, and empty ones", async () => {
    const lowRank = (m: number, n: number, r: number, seed: number): number[] => {
      const p = randoms(m * r, seed);
      const q = randoms(r * n, seed + 1);
      return Array.from({ length: m * n }, (_, e) => {
        let v = 0;
        for (let l = 0; l < r; l++) v += p[Math.floor(e / n) * r + l] * q[l * n + (e % n)];
        return v;
      });
    };
    const cases: [number, number, number[]][] = [
      [6, 4, lowRank(6, 4, 2, 5)],
      [3, 7, lowRank(3, 7, 1, 6)],
      [5, 5, withEigenvalues([2, 2, 2, 1, 0], 7)],
      [4, 3, new Array(12).fill(0)],
      [4, 3, Array.from(randoms(12, 8), (v) => v * 1e30)],
      [4, 3, Array.from(randoms(12, 9), (v) => v * 1e-30)],
    ];
    for (const [m, n, values] of cases) {
      const x = Float32Array.from(values);
      const k = Math.min(m, n);
      for (const full of [false, true]) {
        const outs = [[k], [m, full ? m : k], [full ? n : k, n]];
        const { cpu, gpu } = await both({ name: "svd", fullMatrices: full, computeUv: true }, x, [m, n], outs);
        checkSvd(x, m, n, full, cpu, gpu, false);
        if (values.every((v) => v === 0)) expect(gpu[1]).toEqual(cpu[1]); // the completion: the cpu's basis vectors
      }
    }
    const withNan = Float32Array.from(randoms(12, 10));
    withNan[5] = NaN;
    const nan = await both(
      { name: "svd", fullMatrices: false, computeUv: true },
      withNan,
      [4, 3],
      [[3], [4, 3], [3, 3]],
    );
    expect(nan.gpu[0].some((v) => Number.isNaN(v))).toBe(true);
    const avals = [[3], [4, 4], [3, 3]].map((s) => new ShapedArray(s, "float32"));
    const full = webgpuBackend.routine(
      { name: "svd", fullMatrices: true, computeUv: true },
      [uploadGpu("float32", withNan)],
      [new ShapedArray([4, 3], "float32")],
      avals,
    );
    expect(Array.from(await full![1].read()).some((v) => Number.isNaN(v))).toBe(true);
    const empty = await both(
      { name: "svd", fullMatrices: true, computeUv: true },
      new Float32Array(0),
      [3, 0],
      [[0], [3, 3], [0, 0]],
    );
    expect(empty.gpu[1]).toEqual(empty.cpu[1]);
  });

  it("matrices beyond the GPU's limit are a typed error", () => {
    const n = 1025;
    const x = uploadGpu("float32", new Float32Array(n * n));
    const avals = [new ShapedArray([n, n], "float32")];
    expect(() =>
      webgpuBackend.routine({ name: "eigh", lower: true, sortEigenvalues: true }, [x], avals, [
        avals[0],
        new ShapedArray([n], "float32"),
      ]),
    ).toThrow(WebGpuError);
    expect(() =>
      webgpuBackend.routine({ name: "svd", fullMatrices: false, computeUv: false }, [x], avals, [
        new ShapedArray([n], "float32"),
      ]),
    ).toThrow(/at most 1024/);
  });

  it("runs through the public API under jit on webgpu, as on cpu", async () => {
    // Known spectra with gaps ≥ 1, so vectors and the gradient move by at most 8·n·ε·‖A‖_F per unit of gap.
    const sym = np
      .array([...withEigenvalues([-2, -1, 0.5, 1.5, 3], 21), ...withEigenvalues([4, 2, 1, -1, -3.5], 22)])
      .reshape([2, 5, 5]);
    const u = orthogonal(4, 23).map((row) => row.slice(0, 3));
    const rect = np
      .array(
        matmul(
          u.map((row) => row.map((v, j) => v * [3, 2, 1][j])),
          orthogonal(3, 24),
        ).flat(),
      )
      .reshape([4, 3]);
    const pg = np.array([0.3, 1.7, 4.2, 11, -0.4, -2.6]);
    const c = np.array([1, -2, 0.5, 3, 1.5]);
    const f = (a: JaxArray, b: JaxArray, x: JaxArray): JaxArray[] => {
      const [w, v] = np.linalg.eigh(a);
      const [uu, s, vh] = np.linalg.svd(b, false);
      return [
        w,
        np.abs(v),
        np.linalg.eigvalsh(a, "U"),
        s,
        np.abs(uu),
        np.abs(vh),
        np.linalg.svd(b, { computeUv: false }),
        np.linalg.norm(b, 2),
        np.linalg.norm(a, 2, [-2, -1]),
        scipy.special.polygamma(1, x),
        scipy.special.polygamma(3, x),
      ];
    };
    const g = grad((a: JaxArray) => np.sum(np.linalg.eigh(a)[0].mul(c)));
    const onGpu = [...jit(f)(sym, rect, pg), jit(g)(sym)];
    for (const a of onGpu) expect(a._buffer!.platform).toBe("webgpu");
    const gpuValues = await Promise.all(onGpu.map(read));
    config.update("platform", "cpu");
    const cpuValues = [...jit(f)(sym, rect, pg), jit(g)(sym)].map((a) => Array.from(a.dataSync()));
    // 8·n·ε·‖A‖_F ≤ 8·5·2⁻²³·6 ≈ 3e-5 for the factorizations; polygamma within 64·(n+2)·ε relative.
    gpuValues.forEach((got, k) => {
      const relative = k >= 9;
      got.forEach((v, i) => {
        const want = cpuValues[k][i];
        const tol = relative ? 64 * 5 * EPS * Math.abs(want) : 3e-5;
        expect(Math.abs(v - want), `output ${k}[${i}]: ${v} vs ${want}`).toBeLessThanOrEqual(tol);
      });
    });
  });

  it("polygamma at orders 0..4 and 7 over positive and negative x, as the cpu's", async () => {
    const xs = [
      1e-6,
      0.001,
      0.1,
      0.5,
      0.9,
      1,
      1.5,
      2,
      3.7,
      9.99,
      10,
      12.5,
      30,
      100,
      1234.5,
      1e6,
      1e20,
      Infinity,
      -Infinity,
      NaN,
      0,
      -0,
      -1,
      -3,
      -0.5,
      -0.25,
      -0.999,
      -1.001,
      -2.3,
      -4.75,
      -7.1,
      -9.5,
      -25.25,
    ];
    const x = Float32Array.from(xs);
    for (const n of [0, 1, 2, 3, 4, 7]) {
      const { cpu, gpu } = await both({ name: "polygamma", n }, x, [xs.length], [[xs.length]]);
      for (let i = 0; i < xs.length; i++) {
        const [want, got, xi] = [cpu[0][i], gpu[0][i], x[i]];
        const label = `polygamma(${n}, ${xi}): ${got} vs ${want}`;
        if (!Number.isFinite(want)) {
          expect(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)), label).toBe(true);
          continue;
        }
        const scale = xi > 0 ? Math.abs(want) : Math.abs(want) + 2 * Math.abs(polygamma64(n, 1 - xi));
        expect(Math.abs(got - want), label).toBeLessThanOrEqual(64 * (n + 2) * EPS * scale + 2 ** -126);
      }
    }
  });
});
