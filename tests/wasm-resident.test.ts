/**
 * Arrays kept in the worker pool's WebAssembly memory inside compiled
 * programs (src/backends/wasm/buffer.ts): the same bits as the copying path,
 * every region given back (also when a program throws), results in JS memory,
 * and the large-array fallback.
 */
import { afterEach, describe, expect, it } from "vitest";
import { config, grad, jit, nn, numpy as np, vmap, type Array as NdArray } from "../src/index.js";
import { residentTuning, WasmBuffer } from "../src/backends/wasm/buffer.js";
import { regionsInUse, sizeClass } from "../src/backends/wasm/heap.js";
import { getPool } from "../src/backends/wasm/threads.js";
import { wasmMemoryLimit } from "../src/backends/wasm/memory.js";
import { HostBuffer, type ScopedBuffer } from "../src/core/buffer.js";
import { BufferPool, scopedBuffers, withBufferPool } from "../src/core/buffers.js";
import { CotangentError } from "../src/core/errors.js";

const saved = { min: residentTuning.minBytes, limit: wasmMemoryLimit.bytes, platform: config.values.platform };
afterEach(() => {
  residentTuning.minBytes = saved.min;
  wasmMemoryLimit.bytes = saved.limit;
  config.update("platform", saved.platform);
});

/** Deterministic values in [-1, 1). */
const values = (shape: number[], seed: number) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.sin(i * 12.9898 + seed * 78.233) % 1;
  return np.asarray(v).reshape(shape);
};

/** A two-layer network's loss: products feeding fused kernels feeding products. */
function loss(p: { w1: NdArray; w2: NdArray }, x: NdArray): NdArray {
  const h = nn.relu(np.matmul(x, p.w1));
  return np.mean(np.sum(np.square(np.tanh(np.matmul(h, p.w2))), -1));
}

const params = { w1: values([97, 130], 1), w2: values([130, 67], 2) };
const x = values([61, 97], 3);

/** Runs `f` with and without arrays kept in the wasm memory; both results' values. */
function bothWays(f: () => NdArray[]): [number[][], number[][]] {
  residentTuning.minBytes = 0;
  const kept = f().map((a) => Array.from(a.dataSync()));
  residentTuning.minBytes = Infinity;
  const copied = f().map((a) => Array.from(a.dataSync()));
  return [kept, copied];
}

describe("arrays kept in the wasm memory inside programs", () => {
  it("give the same bits as the copying path: grad, jit of grad, vmap, nested jit", () => {
    config.update("platform", "wasm");
    const g = jit(grad(loss));
    const inner = jit((a: NdArray) => np.exp(np.matmul(a, params.w1)));
    const outer = jit((a: NdArray) => np.sum(inner(np.tanh(a)), 0));
    const batched = jit(vmap((a: NdArray) => np.matmul(np.sin(a), params.w1)));
    const [kept, copied] = bothWays(() => {
      const d = g(params, x);
      return [d.w1, d.w2, outer(x), batched(values([3, 5, 97], 4))];
    });
    expect(kept).toEqual(copied);
  });

  it("hand their results over in JS memory and give every region back", () => {
    config.update("platform", "wasm");
    residentTuning.minBytes = 0;
    const f = jit((p: typeof params, a: NdArray) => {
      const h = np.matmul(a, p.w1);
      return [h, np.sin(h), np.matmul(np.cos(h), p.w2)];
    });
    const outs = f(params, x);
    for (const o of outs) expect(o._buffer).toBeInstanceOf(HostBuffer);
    expect(regionsInUse(getPool()!)).toBe(0);
    // The same array returned twice, and an output that is also read inside.
    const twice = jit((a: NdArray) => {
      const h = np.exp(np.matmul(a, params.w1));
      return [h, h, np.sum(h)];
    })(x);
    expect(Array.from(twice[0].dataSync())).toEqual(Array.from(twice[1].dataSync()));
    expect(regionsInUse(getPool()!)).toBe(0);
  });

  it("gives its regions back when the program throws", () => {
    config.update("platform", "wasm");
    config.update("debugNans", true);
    residentTuning.minBytes = 0;
    try {
      const f = jit((a: NdArray) => np.log(np.subtract(np.matmul(a, params.w1), 100)));
      expect(() => f(x)).toThrow();
    } finally {
      config.update("debugNans", false);
    }
    expect(regionsInUse(getPool()!)).toBe(0);
  });

  it("stay in JS memory when the wasm memory cannot hold them, with the same values", () => {
    config.update("platform", "wasm");
    const g = jit(grad(loss));
    residentTuning.minBytes = 0;
    const want = g(params, x);
    // Below the larger intermediates (61×130 and 97×130 floats): they stay in JS memory.
    wasmMemoryLimit.bytes = 40 * 1024;
    const got = g(params, x).w1.dataSync();
    // Products too large for the limit are split (k halves add in another order): sums of 61 float32
    // products then differ by at most about 61·2⁻²⁴ ≈ 3.6e-6 of the largest magnitude.
    const w = want.w1.dataSync() as Float32Array;
    const scale = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let i = 0; i < w.length; i++) expect(Math.abs(got[i] - w[i])).toBeLessThanOrEqual(1e-5 * scale);
    expect(regionsInUse(getPool()!)).toBe(0);
  });

  it("exist only inside a program, and reading one after its release is a typed error", () => {
    expect(scopedBuffers()).toBeNull();
    expect(WasmBuffer.inProgram("float32", 1 << 16)).toBeNull();
    const scoped = new Set<ScopedBuffer>();
    const b = withBufferPool(new BufferPool(), new Set(), scoped, () => WasmBuffer.inProgram("float32", 1 << 16));
    expect(b).toBeInstanceOf(WasmBuffer);
    expect(scoped.has(b!)).toBe(true);
    (b!.view() as Float32Array).fill(2.5);
    expect(b!.readSync()).toEqual(new Float32Array(1 << 16).fill(2.5));
    b!.dispose();
    expect(regionsInUse(getPool()!)).toBe(0);
    expect(() => b!.view()).toThrow(CotangentError);
    expect(() => b!.readSync()).toThrow(/read after the program released it/);
  });

  it("round sizes up to classes at most a third larger", () => {
    for (const bytes of [1, 64, 65, 100, 1000, 4096, 5000, 1 << 20, (1 << 20) + 1, 3_000_000]) {
      const c = sizeClass(bytes);
      expect(c).toBeGreaterThanOrEqual(bytes);
      expect(c % 64).toBe(0);
      // A third wasted at most (of the class), beyond the two smallest classes.
      if (bytes > 128) expect((c - bytes) / c).toBeLessThanOrEqual(1 / 3);
    }
  });
});
