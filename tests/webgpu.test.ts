/**
 * The webgpu backend against cpu, on whatever adapter Dawn finds (in CI: Mesa's
 * lavapipe, a software Vulkan driver). Without an adapter this file fails with
 * init's message, unless COTANGENT_NO_WEBGPU=1 says to skip it.
 *
 * Tolerances, float32 throughout: elementwise maps within a few ulps of the
 * float64 values (WGSL's exp/log/sin are within 3 ulps or 2^-21 absolute on
 * Vulkan); sums of n terms within the classic bound γ_n·Σ|x| (γ_n = n·u/(1-n·u),
 * u = 2^-24) of the float64 sum, whatever the order of the additions; matrix
 * products likewise within γ_K·Σ_k|a_ik·b_kj| per element.
 */
import { describe, expect, it, onTestFinished, vi } from "vitest";
import {
  config,
  defaultBackend,
  devices,
  grad,
  init,
  jit,
  lax,
  numpy as np,
  type Array as JaxArray,
} from "../src/index.js";
import { webgpuBackend } from "../src/backends/webgpu/backend.js";
import { pooledBytes } from "../src/backends/webgpu/pool.js";
import { pipelineCount } from "../src/backends/webgpu/device.js";
import { WebGpuError } from "../src/backends/webgpu/errors.js";
import { GPU_ROUTINES } from "../src/backends/webgpu/routine-table.js";
import { DTypeError } from "../src/core/errors.js";
import { useWebGpu, read, U, gamma, unitValues as values } from "./helpers/webgpu-everywhere.js";

const SKIP = process.env.COTANGENT_NO_WEBGPU === "1";

/** Takes one routine out of webgpu's table (as if it were not written yet); returns the undo. */
function withoutGpuRoutine(name: keyof typeof GPU_ROUTINES): () => void {
  const table = GPU_ROUTINES as Record<string, unknown>;
  const saved = table[name];
  delete table[name];
  return () => void (table[name] = saved);
}

const f32 = (xs: number[]): number[] => Array.from(new Float32Array(xs));

describe.skipIf(SKIP)("webgpu backend", () => {
  useWebGpu("tests/webgpu.test.ts");

  it("is the default backend and lists its device", async () => {
    // A second init resolves at once with the device already open; init() alone lists it too.
    expect(await init("webgpu")).toEqual(["webgpu"]);
    expect(await init()).toContain("webgpu");
    expect(defaultBackend()).toBe("webgpu");
    expect(devices().map(String)).toEqual(["WebGpuDevice(id=0)"]);
  });

  it("runs elementwise maps with broadcasting, comparisons, selects and conversions", async () => {
    const a = f32(values(6, 1));
    const b = f32(values(3, 2));
    const x = np.array(a).reshape([2, 3]);
    const y = np.array(b);
    const z = np.where(np.greater(x, y), np.exp(x).mul(y), np.tanh(x.sub(y)));
    expect(z._buffer!.platform).toBe("webgpu");
    const got = await read(z);
    const want = a.map((v, i) => (v > b[i % 3] ? Math.exp(v) * b[i % 3] : Math.tanh(v - b[i % 3])));
    got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(4 * U * Math.max(1, Math.abs(want[i]))));
    expect(Array.from(await np.greater(x, 0).data())).toEqual(a.map((v) => (v > 0 ? 1 : 0)));
    expect(await read(np.array([-2.7, 0.5, 3.9]).astype("int32"))).toEqual([-2, 0, 3]);
    const i = np.array([7, -7, 7, 5], "int32");
    const j = np.array([2, 2, -2, 0], "int32");
    expect(await read(i.mul(j))).toEqual([14, -14, -14, 0]);
    // Truncating division and remainder, 0 for a zero divisor (the op table's integer rule).
    expect(await read(lax.div(i, j))).toEqual([3, -3, -3, 0]);
    expect(await read(lax.rem(i, j))).toEqual([1, -1, 1, 0]);
    expect(Array.from(await np.isfinite(np.array([1, Infinity, NaN, -Infinity])).data())).toEqual([1, 0, 0, 0]);
    expect(await read(np.exp(np.zeros([0])))).toEqual([]);
  });

  it("fuses elementwise chains under jit into one WGSL kernel, equal to eager", async () => {
    const compile = vi.spyOn(webgpuBackend, "compile");
    const f = (x: JaxArray, b: JaxArray): JaxArray => np.log1p(np.exp(x.mul(2).add(b))).sub(np.sqrt(np.abs(x)));
    const x = np.array(f32(values(257 * 3, 3))).reshape([257, 3]);
    const b = np.array(f32(values(3, 4)));
    const jitted = await read(jit(f)(x, b));
    expect(compile).toHaveBeenCalled();
    compile.mockRestore();
    const eager = await read(f(x, b));
    const xs = f32(values(257 * 3, 3));
    const bs = f32(values(3, 4));
    xs.forEach((v, i) => {
      const want = Math.log1p(Math.exp(2 * v + bs[i % 3])) - Math.sqrt(Math.abs(v));
      expect(Math.abs(jitted[i] - want)).toBeLessThanOrEqual(16 * U * Math.max(1, Math.abs(want)));
      expect(Math.abs(eager[i] - want)).toBeLessThanOrEqual(16 * U * Math.max(1, Math.abs(want)));
    });
  });

  it("serves every size from the same pipelines (sizes are uniforms)", async () => {
    const f = jit((a: JaxArray) => [np.exp(a).mul(a), np.sum(np.cos(a), 0)]);
    // Both sizes reduce in two passes (over 256 rows in the 16-lane layout).
    await Promise.all((f(np.ones([300, 7])) as JaxArray[]).map(read));
    const count = pipelineCount();
    const [e, s] = await Promise.all((f(np.ones([1001, 9])) as JaxArray[]).map(read));
    expect(pipelineCount()).toBe(count);
    expect(Math.abs(e[0] - Math.E)).toBeLessThanOrEqual(4 * U * Math.E);
    // 1001 float32 terms of cos(1): within γ_1001·Σ|x| plus 1001 times cos's 2^-21, of the exact sum.
    expect(Math.abs(s[0] - 1001 * Math.cos(1))).toBeLessThanOrEqual(gamma(1001) * 1001 + 1001 * 2 ** -21);
  });

  describe("reductions", () => {
    // Odd sizes, and groups longer than one workgroup (256) and than one segment (4096): both passes run.
    const cases: [number, number][] = [
      [1, 1],
      [3, 5],
      [257, 3],
      [7, 1001],
      [3, 10007],
      [20001, 2],
    ];
    for (const [rows, cols] of cases) {
      it(`sums and maxes [${rows}, ${cols}] over all, rows and columns, fused under jit`, async () => {
        const v = f32(values(rows * cols, rows + cols));
        const x = np.array(v).reshape([rows, cols]);
        const f = jit((a: JaxArray) => [np.sum(np.sin(a)), np.sum(a.mul(a), 0), np.sum(a, 1), np.max(np.cos(a), 1)]);
        const [all, byRows, byCols, maxCols] = await Promise.all((f(x) as JaxArray[]).map(read));
        const check = (got: number, terms: number[]): void => {
          const want = terms.reduce((s, t) => s + t, 0);
          const bound = gamma(terms.length) * terms.reduce((s, t) => s + Math.abs(t), 0) + 4 * U * Math.abs(want);
          expect(Math.abs(got - want)).toBeLessThanOrEqual(bound + 1e-30);
        };
        // sin/cos of float32 arguments are within 2^-21 absolutely on Vulkan: n of them add n·2^-21.
        const sinTerms = v.map(Math.sin);
        expect(Math.abs(all[0] - sinTerms.reduce((s, t) => s + t, 0))).toBeLessThanOrEqual(
          gamma(v.length) * v.length + v.length * 2 ** -21,
        );
        for (let c = 0; c < cols; c++)
          check(
            byRows[c],
            Array.from({ length: rows }, (_, r) => v[r * cols + c] ** 2),
          );
        for (let r = 0; r < rows; r++) {
          check(byCols[r], v.slice(r * cols, (r + 1) * cols));
          const m = Math.max(...v.slice(r * cols, (r + 1) * cols).map(Math.cos));
          expect(Math.abs(maxCols[r] - m)).toBeLessThanOrEqual(2 ** -21);
        }
      });
    }

    it("reduces eagerly over any axes: sum, max, min, prod, int32", async () => {
      const shape = [5, 67, 3];
      const v = f32(values(5 * 67 * 3, 9));
      const x = np.array(v).reshape(shape);
      const at = (i: number, j: number, k: number): number => v[(i * 67 + j) * 3 + k];
      const s02 = await read(np.sum(x, [0, 2]));
      for (let j = 0; j < 67; j++) {
        const terms = [0, 1, 2, 3, 4].flatMap((i) => [0, 1, 2].map((k) => at(i, j, k)));
        const want = terms.reduce((a, b) => a + b, 0);
        expect(Math.abs(s02[j] - want)).toBeLessThanOrEqual(gamma(15) * terms.reduce((a, b) => a + Math.abs(b), 0));
      }
      expect(await read(np.max(x))).toEqual([Math.max(...v)]);
      expect(await read(np.min(x, 1))).toEqual(
        Array.from({ length: 15 }, (_, q) =>
          Math.min(...Array.from({ length: 67 }, (_, j) => at(Math.floor(q / 3), j, q % 3))),
        ),
      );
      expect(await read(np.prod(np.array([1.5, -2, 4, 0.5]).reshape([2, 2]), 1))).toEqual([-3, 2]);
      // Over leading axes with the last kept (16 results per workgroup): 37 columns, 1000 rows in 4 segments.
      const w = f32(values(1000 * 37, 10));
      const s0 = await read(np.sum(np.array(w).reshape([1000, 37]), 0));
      for (let c = 0; c < 37; c++) {
        const terms = Array.from({ length: 1000 }, (_, r) => w[r * 37 + c]);
        const want = terms.reduce((a, b) => a + b, 0);
        expect(Math.abs(s0[c] - want)).toBeLessThanOrEqual(gamma(1000) * terms.reduce((a, b) => a + Math.abs(b), 0));
      }
      const ints = np.arange(0, 10000, 1, "int32");
      expect(await read(np.sum(ints))).toEqual([49995000]);
      expect(await read(np.sum(np.zeros([0, 3]), 0))).toEqual([0, 0, 0]);
    });
  });

  describe("dot_general", () => {
    /** a [B, M, K] · b [B, K, N] in float64, and the error bound γ_K·Σ|a·b| per element. */
    function reference(a: number[], b: number[], B: number, M: number, K: number, N: number): [number[], number[]] {
      const out: number[] = [];
      const bound: number[] = [];
      for (let p = 0; p < B; p++)
        for (let i = 0; i < M; i++)
          for (let j = 0; j < N; j++) {
            let s = 0;
            let abs = 0;
            for (let k = 0; k < K; k++) {
              const t = a[(p * M + i) * K + k] * b[(p * K + k) * N + j];
              s += t;
              abs += Math.abs(t);
            }
            out.push(s);
            bound.push(gamma(K) * abs + U * Math.abs(s));
          }
      return [out, bound];
    }

    const sizes: [number, number, number, number][] = [
      [1, 1, 1, 1],
      [1, 3, 5, 7],
      [1, 65, 130, 67],
      [3, 17, 33, 19],
      [2, 1, 200, 1],
    ];
    for (const [B, M, K, N] of sizes) {
      it(`multiplies [${B}, ${M}, ${K}] by [${B}, ${K}, ${N}] (tiles cut at odd edges)`, async () => {
        const a = f32(values(B * M * K, M));
        const b = f32(values(B * K * N, N));
        const x = np.array(a).reshape([B, M, K]);
        const y = np.array(b).reshape([B, K, N]);
        const got = await read(np.matmul(x, y));
        const [want, bound] = reference(a, b, B, M, K, N);
        got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(bound[i]));
      });
    }

    it("reads transposed operands in place, equal to cpu's", async () => {
      const a = f32(values(40 * 9, 1));
      const b = f32(values(40 * 11, 2));
      const x = np.array(a).reshape([40, 9]);
      const y = np.array(b).reshape([40, 11]);
      // Contracting the first axes: x is read as its transpose through strides, with no copy.
      const got = await read(
        lax.dotGeneral(x, y, [
          [[0], [0]],
          [[], []],
        ]),
      );
      expect(await read(np.matmul(x.T, y))).toEqual(got);
      config.update("platform", "cpu");
      const want = Array.from(np.matmul(np.array(a).reshape([40, 9]).T, np.array(b).reshape([40, 11])).dataSync());
      got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(gamma(40) * 40 * 2));
      config.update("platform", "webgpu");
      expect(
        await read(
          np.matmul(
            np.array(
              [
                [1, 2],
                [3, 4],
              ],
              "int32",
            ),
            np.array([[5], [6]], "int32"),
          ),
        ),
      ).toEqual([17, 39]);
    });
  });

  it("differentiates a small MLP under jit, equal to cpu", async () => {
    const params = (): JaxArray[] => [
      np.array(f32(values(4 * 8, 11))).reshape([4, 8]),
      np.array(f32(values(8, 12))),
      np.array(f32(values(8 * 3, 13))).reshape([8, 3]),
      np.array(f32(values(3, 14))),
    ];
    const data = (): [JaxArray, JaxArray] => [
      np.array(f32(values(5 * 4, 15))).reshape([5, 4]),
      np.array(f32(values(5 * 3, 16))).reshape([5, 3]),
    ];
    const loss = (p: JaxArray[], x: JaxArray, y: JaxArray): JaxArray => {
      const h = np.tanh(np.matmul(x, p[0]).add(p[1]));
      const out = np.matmul(h, p[2]).add(p[3]);
      return np.mean(np.square(out.sub(y)));
    };
    const g = jit(grad(loss));
    const onGpu = await Promise.all((g(params(), ...data()) as JaxArray[]).map(read));
    config.update("platform", "cpu");
    const onCpuValues = (g(params(), ...data()) as JaxArray[]).map((a) => Array.from(a.dataSync()));
    config.update("platform", "webgpu");
    // Sums of at most 8 products of values below 1 in size, then tanh (a few ulps): 1e-6 absolute is 16 ulps of 1.
    onGpu.forEach((gp, i) => gp.forEach((v, j) => expect(Math.abs(v - onCpuValues[i][j])).toBeLessThanOrEqual(1e-6)));
  });

  it("runs routines it lacks on the host while their operands are in JS memory, and keeps host scalars readable", async () => {
    // Every routine runs on webgpu now: take polygamma out of its table to see the fallback.
    const restore = withoutGpuRoutine("polygamma");
    onTestFinished(restore);
    const x = np.array([1, 2, 3]);
    // Trigamma: π²/6 - Σ_{k<x} 1/k².
    const c = lax.polygamma(1, x);
    expect(c._buffer!.platform).toBe("cpu");
    (c.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(Math.PI ** 2 / 6 - [0, 1, 1.25][i], 6));
    expect(np.array(2).mul(3).item()).toBe(6);
    // Values read back from the GPU make a host array again, which every routine takes.
    expect(lax.polygamma(0, np.array(await np.exp(np.zeros([1])).data())).item()).toBeCloseTo(-0.5772157, 6);
  });

  it("returns buffers to the pool on dispose and says when a disposed one is used", async () => {
    const x = np.exp(np.array(f32(values(1000, 5))));
    const before = pooledBytes();
    x._buffer!.dispose();
    expect(pooledBytes()).toBe(before + 4000);
    await expect(x.data()).rejects.toThrow(/a disposed buffer was used/);
  });

  it("has typed errors: float64, synchronous reads, routines not on webgpu yet", () => {
    config.update("enableX64", true);
    try {
      expect(() => np.exp(np.array([1, 2]))).toThrow(DTypeError);
      expect(() => np.exp(np.array([1, 2]))).toThrow(/float64 is not available on webgpu.*cpu or wasm.*float32/);
    } finally {
      config.update("enableX64", false);
    }
    const y = np.exp(np.array([1, 2]));
    expect(() => y.dataSync()).toThrow(WebGpuError);
    expect(() => y.dataSync()).toThrow(
      "[dataSync()] arrays on webgpu cannot be read synchronously: got a float32 array of 2 elements on webgpu, expected values in JS memory. Use `await x.data()`",
    );
    expect(() => np.sum(y).item()).toThrow(/await x.data\(\)/);
    // A routine webgpu does not run, on GPU operands (none is missing today: one is taken out of the table).
    onTestFinished(withoutGpuRoutine("polygamma"));
    expect(() => lax.polygamma(1, y)).toThrow(WebGpuError);
    expect(() => lax.polygamma(1, y)).toThrow(
      /^\[polygamma\] polygamma is not available on webgpu yet: .*Run this part on cpu or wasm/,
    );
  });
});
