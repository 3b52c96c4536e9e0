import { afterEach, describe, expect, it } from "vitest";
import { config, defaultBackend, numpy as np, lax } from "../src/index.js";
import { rowMajor, sgemm, wasmGemmAvailable } from "../src/backends/wasm/gemm.js";
import { getPool } from "../src/backends/wasm/threads.js";

/** A deterministic, non-repeating fill. */
const fill = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed + 1.37 * i));

/** C = A·B in float64, the reference. */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let t = 0; t < k; t++) for (let j = 0; j < n; j++) c[i * n + j] += a[i * k + t] * b[t * n + j];
  return c;
}

/**
 * float32 sums of k products of values in [-1, 1]: each addition rounds with
 * relative error ≤ 2⁻²⁴, so |error| ≤ k·2⁻²⁴·Σ|a·b| ≤ k²·6e-8 in the worst case;
 * we allow k·2⁻²³ per unit of the summed magnitude (Σ|a·b| ≤ k).
 */
const bound = (k: number) => k * k * 1.2e-7 + 1e-7;

describe("wasm sgemm", () => {
  afterEach(() => config.update("platform", "wasm"));

  it("is available here (Node 20 has WebAssembly SIMD)", () => {
    expect(wasmGemmAvailable()).toBe(true);
    expect(defaultBackend()).toBe("wasm");
  });

  it("matches float64 products at odd sizes, edges of the 4×8 tiles and of the k and m blocks", () => {
    const sizes: [number, number, number][] = [
      [1, 1, 1],
      [1, 7, 1],
      [7, 1, 9],
      [3, 5, 7],
      [4, 8, 8],
      [5, 257, 9],
      [65, 256, 17],
      [70, 513, 33],
      [1, 1023, 3],
      [129, 64, 1],
    ];
    for (const [m, k, n] of sizes) {
      const a = fill(m * k, m);
      const b = fill(k * n, n + 0.5);
      const c = new Float32Array(m * n + 3).fill(NaN);
      sgemm(rowMajor(a, 0, k), rowMajor(b, 0, n), m, k, n, c, 2);
      const want = reference(a, b, m, k, n);
      want.forEach((w, i) => expect(Math.abs(c[2 + i] - w)).toBeLessThanOrEqual(bound(k)));
      // Only the m×n block at the offset is written.
      expect(c[0]).toBeNaN();
      expect(c[1]).toBeNaN();
      expect(c[2 + m * n]).toBeNaN();
    }
  });

  it("reads transposed and strided operands in place", () => {
    const [m, k, n] = [13, 70, 21];
    const at = fill(k * m, 7); // Aᵀ stored row-major (k×m)
    const bt = fill(n * k, 8); // Bᵀ stored row-major (n×k)
    const c = new Float32Array(m * n);
    sgemm(
      { data: at, offset: 0, rowStride: 1, colStride: m },
      { data: bt, offset: 0, rowStride: 1, colStride: k },
      m,
      k,
      n,
      c,
      0,
    );
    const a = Float32Array.from({ length: m * k }, (_, i) => at[(i % k) * m + Math.floor(i / k)]);
    const b = Float32Array.from({ length: k * n }, (_, i) => bt[(i % n) * k + Math.floor(i / n)]);
    const want = reference(a, b, m, k, n);
    want.forEach((w, i) => expect(Math.abs(c[i] - w)).toBeLessThanOrEqual(bound(k)));
  });

  it("is deterministic: the same bits on every call, whatever ran before", () => {
    const [m, k, n] = [37, 300, 29];
    const a = fill(m * k, 1);
    const b = fill(k * n, 2);
    const first = new Float32Array(m * n);
    sgemm(rowMajor(a, 0, k), rowMajor(b, 0, n), m, k, n, first, 0);
    sgemm(
      rowMajor(fill(200 * 600, 3), 0, 600),
      rowMajor(fill(600 * 90, 4), 0, 90),
      200,
      600,
      90,
      new Float32Array(200 * 90),
      0,
    );
    const again = new Float32Array(m * n);
    sgemm(rowMajor(a, 0, k), rowMajor(b, 0, n), m, k, n, again, 0);
    expect(Array.from(again)).toEqual(Array.from(first));
  });

  it("gives the same bits with any number of threads (each element is summed by one thread, in order)", async () => {
    const pool = getPool()!;
    expect(pool.workers).toBeGreaterThanOrEqual(1); // Node with 2+ cores: worker threads
    const [m, k, n] = [256, 512, 256]; // large enough to split across threads
    const a = fill(m * k, 5);
    const b = fill(k * n, 6);
    const run = () => {
      const c = new Float32Array(m * n);
      sgemm(rowMajor(a, 0, k), rowMajor(b, 0, n), m, k, n, c, 0);
      return c;
    };
    // Force the calling thread to do everything, then let the workers (started by now) share.
    const realRun = pool.run;
    pool.run = (args, ranges) => realRun(args, [[ranges[0][0], ranges[ranges.length - 1][1]]]);
    const single = run();
    pool.run = realRun;
    await new Promise((resolve) => setTimeout(resolve, 200));
    let shares = 0;
    pool.run = (args, ranges) => {
      shares = Math.max(shares, ranges.length);
      realRun(args, ranges);
    };
    const threaded = run();
    pool.run = realRun;
    expect(shares).toBe(pool.workers + 1);
    expect(Array.from(threaded)).toEqual(Array.from(single));
  });

  it("propagates NaN and infinity as a product does", () => {
    const a = Float32Array.from([NaN, 1, 1, 1, 1, 1, 1, Infinity]);
    const b = Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1]).map((v, i) => (i === 7 ? 0 : v));
    const c = new Float32Array(1);
    sgemm(rowMajor(a, 0, 8), rowMajor(b, 0, 1), 1, 8, 1, c, 0);
    expect(c[0]).toBeNaN(); // NaN·1 and ∞·0 are both NaN
  });

  it("dot_general agrees between the wasm and cpu platforms (batched, transposed operands)", () => {
    const x = np.reshape(np.sin(np.arange(2 * 40 * 70)), [2, 40, 70]);
    const y = np.reshape(np.cos(np.arange(2 * 70 * 30)), [2, 30, 70]);
    const run = () =>
      lax.dotGeneral(x, y, [
        [[2], [2]],
        [[0], [0]],
      ]);
    const wasm = run().dataSync() as Float32Array;
    config.update("platform", "cpu");
    const cpu = run().dataSync() as Float32Array;
    // cpu accumulates in float64 and rounds once; wasm accumulates in float32 (70 terms ≤ 1 each).
    cpu.forEach((v, i) => expect(Math.abs(wasm[i] - v)).toBeLessThanOrEqual(bound(70)));
    expect(() => config.update("platform", "gpu" as never)).toThrow(/unknown platform/);
  });
});
