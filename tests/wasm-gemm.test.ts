import { afterEach, describe, expect, it, vi } from "vitest";
import { config, defaultBackend, numpy as np, lax } from "../src/index.js";
import { dgemm, gemmTuning, rowMajor, sgemm, wasmGemmAvailable, type MatrixView } from "../src/backends/wasm/gemm.js";
import { F64_GEMM, KC, MAX_PAGES, MC, NC } from "../src/backends/wasm/gemm-kernel.js";
import { getPool } from "../src/backends/wasm/threads.js";
import { buildModule, Body, I32 } from "../src/backends/wasm/encoder.js";

/** A deterministic, non-repeating fill in [-1, 1]. */
const fill = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed + 1.37 * i));

const at = (v: MatrixView, i: number, j: number, t = 0) =>
  v.data[v.offset + t * (v.batchStride ?? 0) + i * v.rowStride + j * v.colStride];

/**
 * C = A·B in float64 (the reference), and for each element the sum of |a·b|:
 * a float32 sum of k products, in any order, is within k·2⁻²⁴·Σ|a·b| (to first
 * order) of the exact sum, since each product and each addition rounds with a
 * relative error of at most 2⁻²⁴, and every term goes through at most k of them.
 */
function reference(a: MatrixView, b: MatrixView, m: number, k: number, n: number, t = 0) {
  const c = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let s = 0; s < k; s++) {
      const x = at(a, i, s, t);
      for (let j = 0; j < n; j++) {
        const p = x * at(b, s, j, t);
        c[i * n + j] += p;
        mag[i * n + j] += Math.abs(p);
      }
    }
  return { c, mag };
}

/** Checks out[offset + i] against the reference, within (k+1)·2⁻²⁴·Σ|a·b| (+1 for rounding the result). */
const expectClose = (out: Float32Array, offset: number, ref: Reference, k: number) =>
  expectWithin(2 ** -24, out, offset, ref, k);

/** out[offset + i] within (k+1)·eps·Σ|a·b| of the reference (the bound of a k-term sum rounding with eps). */
function expectWithin(eps: number, out: Float32Array | Float64Array, offset: number, ref: Reference, k: number) {
  let worst = 0;
  ref.c.forEach((w, i) => {
    const tol = (k + 1) * eps * ref.mag[i] * 1.001 + 1e-300;
    worst = Math.max(worst, Math.abs(out[offset + i] - w) / tol);
  });
  expect(worst).toBeLessThanOrEqual(1);
}

/** A reference product: values and, per element, Σ|a·b| (the scale of the rounding error). */
type Reference = { c: Float64Array; mag: Float64Array };

/**
 * Runs products of several layouts with 1, 2, 3 and 5 parts and any tiling (the
 * tile counter hands tiles to whichever thread asks), checks the first against
 * the reference and every other for the same bits; returns how many tiles the
 * workers took and which precisions the drivers ran.
 */
async function runWithAnyParts(p: {
  fill: (n: number, seed: number) => Float32Array | Float64Array;
  gemm: typeof sgemm;
  reference: (a: MatrixView, b: MatrixView, m: number, k: number, n: number) => Reference;
  eps: number;
  kc: number;
  mc: number;
  narrowN: number;
}): Promise<{ workerTiles: number; precisions: Set<number> }> {
  const pool = getPool()!;
  expect(pool.workers).toBeGreaterThanOrEqual(1); // Node with 2+ cores: worker threads
  await new Promise((resolve) => setTimeout(resolve, 200)); // workers started
  gemmTuning.parallelMinWork = 0;
  const realRun = pool.run;
  let workerTiles = 0;
  const precisions = new Set<number>();
  pool.run = (argLists) => {
    for (const args of argLists) precisions.add(args[18]);
    const tiles = realRun(argLists);
    workerTiles += tiles.slice(1, pool.workers + 1).reduce((s, x) => s + Math.max(x, 0), 0);
    return tiles;
  };
  try {
    // Wide C (tiles of columns), narrow C (tiles of rows), a batch, transposed operands, k across blocks.
    const cases: [number, number, number, number, boolean, boolean][] = [
      [256, 2 * p.kc + 7, 256, 1, false, false],
      [p.mc * 3 + 1, 300, p.narrowN, 1, true, false],
      [64, 100, 40, 6, false, true],
      [100, p.kc + 1, 130, 1, true, true],
    ];
    for (const [m, k, n, batch, ta, tb] of cases) {
      const as = Array.from({ length: batch }, (_, t) => view(p.fill(m * k, 5 + t), m, k, ta));
      const bs = Array.from({ length: batch }, (_, t) => view(p.fill(k * n, 6 + t), k, n, tb));
      // The batch as one view: the elements of each one after the other.
      const joined = (vs: MatrixView[], size: number): MatrixView => {
        const data = p.fill(vs.length * size, 0);
        vs.forEach((v, t) => data.set(v.data, t * size));
        return { ...vs[0], data, batchStride: size };
      };
      const a = joined(as, m * k);
      const b = joined(bs, k * n);
      const results = [1, 2, 3, 5].map((parts) => {
        gemmTuning.parts = parts;
        const c = p.fill(batch * m * n, 0);
        p.gemm(a, b, m, k, n, c, 0, batch);
        return c;
      });
      expectWithin(p.eps, results[0], 0, p.reference(as[0], bs[0], m, k, n), k);
      for (const r of results.slice(1)) expect(Array.from(r)).toEqual(Array.from(results[0]));
    }
  } finally {
    pool.run = realRun;
  }
  return { workerTiles, precisions };
}

/** The same matrix (row-major data `d`, rows×cols) as a row-major view, or stored transposed (read with strides). */
function view(d: Float32Array | Float64Array, rows: number, cols: number, transposed: boolean): MatrixView {
  if (!transposed) return rowMajor(d, 0, cols);
  const t = d instanceof Float64Array ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = d[i * cols + j];
  return { data: t, offset: 0, rowStride: 1, colStride: rows };
}

const saved = { ...gemmTuning };

describe("wasm sgemm", () => {
  afterEach(() => {
    config.update("platform", "wasm");
    Object.assign(gemmTuning, saved);
  });

  it("is available here (Node 20 has WebAssembly SIMD)", () => {
    expect(wasmGemmAvailable()).toBe(true);
    expect(defaultBackend()).toBe("wasm");
  });

  it("matches float64 products at odd sizes, edges of the 4×8 tiles and of the k, m and n blocks", () => {
    const sizes: [number, number, number][] = [
      [1, 1, 1],
      [1, 7, 1],
      [7, 1, 9],
      [3, 5, 7],
      [4, 8, 8],
      [5, KC + 1, 9],
      [MC + 1, KC, 17],
      [70, 2 * KC + 1, 33],
      [1, 1023, 3],
      [129, 64, 1],
      [6, 3 * KC + 17, NC + 9],
      [3, (1 << 20) + 3, 2], // k blocks of a long k: no 32-bit overflow
    ];
    for (const [m, k, n] of sizes) {
      const a = fill(m * k, m);
      const b = fill(k * n, n + 0.5);
      const c = new Float32Array(m * n + 3).fill(NaN);
      sgemm(rowMajor(a, 0, k), rowMajor(b, 0, n), m, k, n, c, 2);
      expectClose(c, 2, reference(rowMajor(a, 0, k), rowMajor(b, 0, n), m, k, n), k);
      // Only the m×n block at the offset is written.
      expect(c[0]).toBeNaN();
      expect(c[1]).toBeNaN();
      expect(c[2 + m * n]).toBeNaN();
    }
  });

  it("reads transposed operands in place, for each layout and at edges of the 4×4 transposes", () => {
    const sizes: [number, number, number][] = [
      [13, 70, 21],
      [8, 8, 8],
      [5, 6, 7],
      [33, KC + 3, 17],
      [1, 9, 1],
    ];
    for (const [m, k, n] of sizes)
      for (const ta of [false, true])
        for (const tb of [false, true]) {
          const a = view(fill(m * k, 7), m, k, ta);
          const b = view(fill(k * n, 8), k, n, tb);
          const c = new Float32Array(m * n);
          sgemm(a, b, m, k, n, c, 0);
          expectClose(c, 0, reference(a, b, m, k, n), k);
        }
  });

  it("reads general strides and offsets (every other element, broadcast rows)", () => {
    const [m, k, n] = [9, 37, 19];
    const a: MatrixView = { data: fill(5 + 2 * m * k, 3), offset: 5, rowStride: 2 * k, colStride: 2 };
    const b: MatrixView = { data: fill(n + 1, 4), offset: 1, rowStride: 0, colStride: 1 }; // every row of B the same
    const c = new Float32Array(m * n);
    sgemm(a, b, m, k, n, c, 0);
    expectClose(c, 0, reference(a, b, m, k, n), k);
  });

  it("reads views with negative strides (rows or columns reversed)", () => {
    const [m, k, n] = [6, 21, 10];
    const a: MatrixView = { data: fill(m * k, 5), offset: (m - 1) * k, rowStride: -k, colStride: 1 };
    const b: MatrixView = { data: fill(k * n, 6), offset: n - 1, rowStride: n, colStride: -1 };
    const c = new Float32Array(m * n);
    sgemm(a, b, m, k, n, c, 0);
    expectClose(c, 0, reference(a, b, m, k, n), k);
  });

  it("multiplies a batch in one call (batch strides, one operand broadcast)", () => {
    const [batch, m, k, n] = [5, 11, 300, 27];
    const a: MatrixView = { ...rowMajor(fill(batch * m * k, 1), 0, k), batchStride: m * k };
    const bt = view(fill(k * n, 2), k, n, true);
    const b: MatrixView = { ...bt, batchStride: 0 };
    const c = new Float32Array(batch * m * n + 1).fill(NaN);
    gemmTuning.parallelMinWork = 0;
    sgemm(a, b, m, k, n, c, 1, batch);
    for (let t = 0; t < batch; t++) expectClose(c, 1 + t * m * n, reference(a, b, m, k, n, t), k);
    expect(c[0]).toBeNaN();
  });

  it("returns zeros for k = 0 and writes nothing for empty products", () => {
    const c = new Float32Array(8).fill(NaN);
    sgemm(rowMajor(new Float32Array(0), 0, 0), rowMajor(new Float32Array(0), 0, 3), 2, 0, 3, c, 1);
    expect(Array.from(c.subarray(1, 7))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(c[0]).toBeNaN();
    expect(c[7]).toBeNaN();
    sgemm(rowMajor(new Float32Array(0), 0, 4), rowMajor(fill(12, 1), 0, 3), 0, 4, 3, c, 0);
    expect(c[0]).toBeNaN();
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

  it("gives the same bits with any number of threads and any tiling (each element is summed by one thread, in order)", async () => {
    const { workerTiles } = await runWithAnyParts({
      fill,
      gemm: sgemm,
      reference,
      eps: 2 ** -24,
      kc: KC,
      mc: MC,
      narrowN: 8,
    });
    expect(workerTiles).toBeGreaterThan(0); // the workers took part
  });

  it("runs on the calling thread alone where threads are unavailable (no SharedArrayBuffer)", async () => {
    vi.resetModules();
    vi.stubGlobal("SharedArrayBuffer", undefined);
    try {
      const threads = await import("../src/backends/wasm/threads.js");
      const gemm = await import("../src/backends/wasm/gemm.js");
      const pool = threads.getPool()!;
      expect(pool.workers).toBe(0);
      expect(pool.memory.buffer instanceof ArrayBuffer).toBe(true);
      gemm.gemmTuning.parallelMinWork = 0;
      gemm.gemmTuning.parts = 2; // a second share, run here after the first
      const [m, k, n] = [70, KC + 5, 45];
      const a = view(fill(m * k, 1), m, k, true);
      const b = view(fill(k * n, 2), k, n, false);
      const c = new Float32Array(m * n);
      gemm.sgemm(a, b, m, k, n, c, 0);
      expectClose(c, 0, reference(a, b, m, k, n), k);
      // The same bits as with threads.
      const threaded = new Float32Array(m * n);
      sgemm(a, b, m, k, n, threaded, 0);
      expect(Array.from(c)).toEqual(Array.from(threaded));
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it("keeps registered kernels running on the workers, one result per argument list", async () => {
    const pool = getPool()!;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const f = new Body(1);
    f.get(0).i32(3).i32Mul();
    const shared = pool.memory.buffer instanceof SharedArrayBuffer;
    const id = pool.register(
      buildModule([{ name: "run", params: [I32], results: [I32], body: f }], 16, shared, MAX_PAGES),
    );
    expect(pool.runKernel(id, [[1], [2], [3], [4]])).toEqual([3, 6, 9, 12]);
    // A kernel that traps on a worker (a load out of bounds) is reported, not waited for; the pool keeps working.
    const g = new Body(1);
    g.get(0).v128Load(0).v128AnyTrue();
    const load = pool.register(
      buildModule([{ name: "run", params: [I32], results: [I32], body: g }], 16, shared, MAX_PAGES),
    );
    expect(() => pool.runKernel(load, [[0], [0x7ffffff0]])).toThrow(/failed on a worker/);
    expect(() => pool.runKernel(load, [[0x7ffffff0], [0]])).toThrow(/out of bounds/); // here, and joined
    expect(pool.runKernel(load, [[0], [0]])).toHaveLength(2);
    expect(pool.runKernel(id, [[5], [6]])).toEqual([15, 18]);
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
    cpu.forEach((v, i) => expect(Math.abs(wasm[i] - v)).toBeLessThanOrEqual(71 * 2 ** -24 * 70));
    expect(() => config.update("platform", "gpu" as never)).toThrow(/unknown platform/);
  });
});

/** A deterministic, non-repeating fill in [-1, 1], in doubles (none of them a float32). */
const fill64 = (n: number, seed: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(seed + 1.37 * i));

/** x·y = p + e exactly (Dekker's product: the factors split into halves of 26 bits). */
function twoProduct(x: number, y: number): [number, number] {
  const p = x * y;
  const split = (v: number) => {
    const c = 134217729 * v; // 2²⁷ + 1
    const hi = c - (c - v);
    return [hi, v - hi];
  };
  const [xh, xl] = split(x);
  const [yh, yl] = split(y);
  return [p, xh * yh - p + xh * yl + xl * yh + xl * yl];
}

/**
 * C = A·B by a compensated float64 sum (Ogita, Rump and Oishi's Dot2: the
 * rounding error of every product and every addition is carried along), within
 * 2⁻⁵³·|c| + O(k²·2⁻¹⁰⁶)·Σ|a·b| of the exact sum; and for each element Σ|a·b|.
 */
function reference64(a: MatrixView, b: MatrixView, m: number, k: number, n: number, t = 0) {
  const c = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let [sum, err, abs] = [0, 0, 0];
      for (let s = 0; s < k; s++) {
        const [p, pe] = twoProduct(at(a, i, s, t), at(b, s, j, t));
        const x = sum + p;
        const z = x - sum;
        err += sum - (x - z) + (p - z) + pe;
        sum = x;
        abs += Math.abs(p);
      }
      c[i * n + j] = sum + err;
      mag[i * n + j] = abs;
    }
  return { c, mag };
}

/**
 * Checks out[offset + i] against the compensated reference: a float64 sum of k
 * products, in any order, is within k·2⁻⁵³·Σ|a·b| (to first order) of the exact
 * sum, each product and each addition rounding with a relative error of at most
 * 2⁻⁵³; +1 for the reference's own rounding. (A float32 product or sum anywhere
 * would be off by about 2⁻²⁴·Σ|a·b|, some 10⁹ times more.)
 */
const expectClose64 = (out: Float64Array, offset: number, ref: Reference, k: number) =>
  expectWithin(2 ** -53, out, offset, ref, k);

describe("wasm dgemm (float64)", () => {
  const { KC: KC64, MC: MC64, NC: NC64, NR: NR64, MR: MR64 } = F64_GEMM;

  afterEach(() => {
    config.update("platform", "wasm");
    Object.assign(gemmTuning, saved);
  });

  it("matches a compensated float64 sum at odd sizes, edges of the micro-tiles and of the k, m and n blocks", () => {
    const sizes: [number, number, number][] = [
      [1, 1, 1],
      [1, 7, 1],
      [7, 1, 9],
      [3, 5, 7],
      [MR64, NR64, NR64],
      [MR64 + 1, 2 * NR64 + 1, NR64 - 1],
      [5, KC64 + 1, 9],
      [MC64 + 1, KC64, 17],
      [70, 2 * KC64 + 1, 33],
      [1, 1023, 3],
      [1023, 7, 1023],
      [129, 64, 1],
      [6, 3 * KC64 + 17, NC64 + 9],
      [3, (1 << 19) + 3, 2], // k blocks of a long k
    ];
    for (const [m, k, n] of sizes) {
      const a = fill64(m * k, m);
      const b = fill64(k * n, n + 0.5);
      const c = new Float64Array(m * n + 3).fill(NaN);
      dgemm(rowMajor(a, 0, k), rowMajor(b, 0, n), m, k, n, c, 2);
      expectClose64(c, 2, reference64(rowMajor(a, 0, k), rowMajor(b, 0, n), m, k, n), k);
      // Only the m×n block at the offset is written.
      expect(c[0]).toBeNaN();
      expect(c[1]).toBeNaN();
      expect(c[2 + m * n]).toBeNaN();
    }
  });

  it("is a float64 computation throughout: elements, products and sums that float32 cannot hold", () => {
    // (1 + 2⁻⁴⁰)·(1 - 2⁻⁴⁰) = 1 - 2⁻⁸⁰ rounds to 1; sums of 3·2⁻⁴⁰-sized terms stay exact in float64.
    const e = 2 ** -40;
    const [m, k, n] = [5, 3, 6];
    const a = new Float64Array(m * k).fill(1 + e);
    const b = new Float64Array(k * n).fill(1);
    const c = new Float64Array(m * n);
    dgemm(rowMajor(a, 0, k), rowMajor(b, 0, n), m, k, n, c, 0);
    expect(Array.from(c)).toEqual(new Array(m * n).fill(3 + 3 * e));
    const c32 = new Float64Array(m * n);
    sgemm(rowMajor(a, 0, k), rowMajor(b, 0, n), m, k, n, c32, 0);
    expect(Array.from(c32)).toEqual(new Array(m * n).fill(3)); // the float32 path: 1 + 2⁻⁴⁰ rounds to 1
    // A large sum and a small term: 2⁴⁰ + 1 - 2⁴⁰ is 1 in float64 (0 in float32).
    const x = Float64Array.from([2 ** 40, 1, -(2 ** 40)]);
    const ones = new Float64Array(3).fill(1);
    const y = new Float64Array(1);
    dgemm(rowMajor(x, 0, 3), rowMajor(ones, 0, 1), 1, 3, 1, y, 0);
    expect(y[0]).toBe(1);
  });

  it("reads transposed operands in place, for each layout and at edges of the 2×2 transposes", () => {
    const sizes: [number, number, number][] = [
      [13, 70, 21],
      [8, 8, 8],
      [5, 6, 7],
      [4, 3, 4],
      [33, KC64 + 3, 17],
      [1, 9, 1],
    ];
    for (const [m, k, n] of sizes)
      for (const ta of [false, true])
        for (const tb of [false, true]) {
          const a = view(fill64(m * k, 7), m, k, ta);
          const b = view(fill64(k * n, 8), k, n, tb);
          const c = new Float64Array(m * n);
          dgemm(a, b, m, k, n, c, 0);
          expectClose64(c, 0, reference64(a, b, m, k, n), k);
        }
  });

  it("reads general strides, offsets and negative strides", () => {
    const [m, k, n] = [9, 37, 19];
    const a: MatrixView = { data: fill64(5 + 2 * m * k, 3), offset: 5, rowStride: 2 * k, colStride: 2 };
    const b: MatrixView = { data: fill64(n + 1, 4), offset: 1, rowStride: 0, colStride: 1 }; // every row of B the same
    const c = new Float64Array(m * n);
    dgemm(a, b, m, k, n, c, 0);
    expectClose64(c, 0, reference64(a, b, m, k, n), k);
    const ar: MatrixView = { data: fill64(m * k, 5), offset: (m - 1) * k, rowStride: -k, colStride: 1 };
    const br: MatrixView = { data: fill64(k * n, 6), offset: n - 1, rowStride: n, colStride: -1 };
    dgemm(ar, br, m, k, n, c, 0);
    expectClose64(c, 0, reference64(ar, br, m, k, n), k);
  });

  it("multiplies a batch in one call (batch strides, one operand broadcast)", () => {
    const [batch, m, k, n] = [5, 11, 300, 27];
    const a: MatrixView = { ...rowMajor(fill64(batch * m * k, 1), 0, k), batchStride: m * k };
    const b: MatrixView = { ...view(fill64(k * n, 2), k, n, true), batchStride: 0 };
    const c = new Float64Array(batch * m * n + 1).fill(NaN);
    gemmTuning.parallelMinWork = 0;
    dgemm(a, b, m, k, n, c, 1, batch);
    for (let t = 0; t < batch; t++) expectClose64(c, 1 + t * m * n, reference64(a, b, m, k, n, t), k);
    expect(c[0]).toBeNaN();
  });

  it("returns zeros for k = 0, writes nothing for empty products, and propagates NaN", () => {
    const c = new Float64Array(8).fill(NaN);
    dgemm(rowMajor(new Float64Array(0), 0, 0), rowMajor(new Float64Array(0), 0, 3), 2, 0, 3, c, 1);
    expect(Array.from(c.subarray(1, 7))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(c[0]).toBeNaN();
    expect(c[7]).toBeNaN();
    const a = Float64Array.from([NaN, 1, 1, Infinity]);
    const b = Float64Array.from([1, 1, 1, 0]);
    dgemm(rowMajor(a, 0, 4), rowMajor(b, 0, 1), 1, 4, 1, c, 0);
    expect(c[0]).toBeNaN();
  });

  it("gives the same bits with 1, 2, 3 or 5 parts and any tiling; the workers run the float64 driver", async () => {
    const { workerTiles, precisions } = await runWithAnyParts({
      fill: fill64,
      gemm: dgemm,
      reference: reference64,
      eps: 2 ** -53,
      kc: KC64,
      mc: MC64,
      narrowN: 4,
    });
    expect(workerTiles).toBeGreaterThan(0);
    expect([...precisions]).toEqual([1]);
  });

  it("runs on the calling thread alone where threads are unavailable, with the same bits", async () => {
    vi.resetModules();
    vi.stubGlobal("SharedArrayBuffer", undefined);
    try {
      const threads = await import("../src/backends/wasm/threads.js");
      const gemm = await import("../src/backends/wasm/gemm.js");
      const pool = threads.getPool()!;
      expect(pool.workers).toBe(0);
      gemm.gemmTuning.parallelMinWork = 0;
      gemm.gemmTuning.parts = 3; // further shares, run here after the first
      const [m, k, n] = [70, KC64 + 5, 45];
      const a = view(fill64(m * k, 1), m, k, true);
      const b = view(fill64(k * n, 2), k, n, false);
      const c = new Float64Array(m * n);
      gemm.dgemm(a, b, m, k, n, c, 0);
      expectClose64(c, 0, reference64(a, b, m, k, n), k);
      gemmTuning.parallelMinWork = 0;
      const threaded = new Float64Array(m * n);
      dgemm(a, b, m, k, n, threaded, 0);
      expect(Array.from(c)).toEqual(Array.from(threaded));
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it("dot_general on float64 arrays runs here and agrees with the cpu platform (batched, transposed operands)", () => {
    const pool = getPool()!;
    const realRun = pool.run;
    const precisions: number[] = [];
    pool.run = (argLists) => {
      precisions.push(argLists[0][18]);
      return realRun(argLists);
    };
    const f64 = (shape: number[], seed: number) =>
      np.reshape(
        np.asarray(
          fill64(
            shape.reduce((x, y) => x * y, 1),
            seed,
          ),
        ),
        shape,
      );
    try {
      // k = 70 (one k block: the wasm sum runs in the cpu loop's order, so the bits agree), then k across blocks.
      for (const k of [70, 2 * KC64 + 3]) {
        const x = f64([2, 40, k], 1);
        const y = f64([2, 30, k], 2);
        const run = () =>
          lax.dotGeneral(x, y, [
            [[2], [2]],
            [[0], [0]],
          ]);
        config.update("platform", "wasm");
        precisions.length = 0;
        const out = run();
        expect(out.dtype).toBe("float64");
        expect(precisions).toEqual([1]);
        const wasm = out.dataSync() as Float64Array;
        config.update("platform", "cpu");
        precisions.length = 0;
        const cpu = run().dataSync() as Float64Array;
        expect(precisions).toEqual([]);
        if (k <= KC64) expect(Array.from(wasm)).toEqual(Array.from(cpu));
        else {
          // Both are float64 sums of k products (in different orders): each within k·2⁻⁵³·Σ|a·b| ≤ k²·2⁻⁵³.
          expect(Array.from(wasm)).not.toEqual(Array.from(cpu));
          cpu.forEach((v, i) => expect(Math.abs(wasm[i] - v)).toBeLessThanOrEqual(2 * (k + 1) * k * 2 ** -53));
        }
      }
    } finally {
      pool.run = realRun;
    }
  });
});
