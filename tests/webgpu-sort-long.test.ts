/**
 * The webgpu sort (src/backends/webgpu/sort.ts) on long lines, many lines,
 * every dtype and many keys, against the cpu routine (backends/cpu/reduce.ts),
 * then through the public API under jit. Same adapter and skip rule as
 * tests/webgpu.test.ts (COTANGENT_NO_WEBGPU=1 skips it).
 *
 * Tolerance: none for sorts. A sort only moves values, and its order (keys
 * lexicographically, NaN last, -0 equal to +0, ties by original index) is a
 * strict total order, so every output is compared bit for bit: float32 as its
 * bits (NaN and the sign of zero count). np.median and np.quantile add the
 * selected values: see the tolerance stated there.
 */
import { describe, expect, it } from "vitest";
import { jit, lax, numpy as np, type Array as JaxArray } from "../src/index.js";
import { ShapedArray } from "../src/core/aval.js";
import { HostBuffer } from "../src/core/buffer.js";
import type { DType, TypedArray } from "../src/core/dtypes.js";
import { allocate } from "../src/core/dtypes.js";
import { cpuBackend } from "../src/backends/cpu/backend.js";
import { webgpuBackend } from "../src/backends/webgpu/backend.js";
import { uploadGpu } from "../src/backends/webgpu/buffer.js";
import { pipelineCount } from "../src/backends/webgpu/device.js";
import { keyGroups, keysPerPass } from "../src/backends/webgpu/sort.js";
import { useWebGpu, onCpu, onGpu, U } from "./helpers/webgpu-everywhere.js";

const SKIP = process.env.COTANGENT_NO_WEBGPU === "1";
const DTYPES: DType[] = ["float32", "int32", "uint32", "bool"];

/**
 * Deterministic values of `dtype` with `distinct` values at most (ties on
 * purpose): floats with NaN, ±0, ±∞ and ±subnormals among them; uint32 above 2³¹ too.
 */
function values(dtype: DType, n: number, seed: number, distinct = 64): TypedArray {
  let s = seed >>> 0;
  const out = allocate(dtype, n);
  const special = [NaN, -0, 0, Infinity, -Infinity, 1e-40, -1e-40];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const k = (s >>> 8) % distinct;
    if (dtype === "float32") out[i] = k < 7 ? special[k] : (k - distinct / 2) * 0.37;
    else if (dtype === "int32") out[i] = k - (distinct >> 1);
    else if (dtype === "uint32") out[i] = (k * 0x9e3779b9) >>> 0;
    else out[i] = k & 1;
  }
  return out;
}

const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Words to compare: float32 as its bits; bool as 0/1. */
function words(a: TypedArray, dtype: DType): number[] {
  if (dtype === "float32") return Array.from(new Uint32Array(Float32Array.from(a).buffer));
  if (dtype === "bool") return Array.from(a, (v) => (v !== 0 ? 1 : 0));
  return Array.from(a);
}

/**
 * The sort routine on cpu and on webgpu over operands of `dtypes` (the last an
 * int32 iota along `dimension` when `iota`, so the permutation itself is
 * compared), every result word for word.
 */
async function sameSort(
  shape: number[],
  dimension: number,
  dtypes: DType[],
  numKeys: number,
  { seed = 1, distinct = 64 } = {},
): Promise<void> {
  const size = sizeOf(shape);
  const data = dtypes.map((d, k) => values(d, size, seed + k, distinct));
  const inner = shape.slice(dimension + 1).reduce((a, b) => a * b, 1);
  const iota = Int32Array.from({ length: size }, (_, e) => Math.floor(e / inner) % Math.max(1, shape[dimension]));
  const all = [...data, iota];
  const types = [...dtypes, "int32" as DType];
  const avals = types.map((d) => new ShapedArray(shape, d));
  const r = { name: "sort" as const, dimension, numKeys };
  const want = cpuBackend.routine(
    r,
    all.map((d, k) => new HostBuffer(types[k], d)),
    avals,
    avals,
  )!;
  const got = webgpuBackend.routine(
    r,
    all.map((d, k) => uploadGpu(types[k], d)),
    avals,
    avals,
  )!;
  expect(got).not.toBeNull();
  for (let k = 0; k < all.length; k++) {
    expect(got[k].platform).toBe("webgpu");
    const g = words(await got[k].read(), types[k]);
    const w = words(want[k].readSync(), types[k]);
    // toEqual on 10⁶ words prints badly on failure: compare the first difference.
    const at = g.findIndex((x, i) => x !== w[i]);
    expect(at === -1 && g.length === w.length, `${JSON.stringify({ shape, dimension, numKeys, k, at })}`).toBe(true);
  }
}

/** `v` as an array of `shape` on the GPU (a strided copy there puts it in GPU memory). */
function gpuArray(v: ArrayLike<number>, shape: number[], dtype: "float32" | "int32" = "float32"): JaxArray {
  const a = np.array(Array.from(v), dtype).reshape(shape);
  const b = np.flip(np.flip(a, 0), 0);
  expect(b._buffer!.platform).toBe("webgpu");
  return b;
}

const bitsOf = (v: number[]): number[] => Array.from(new Uint32Array(new Float32Array(v).buffer));

describe.skipIf(SKIP)("webgpu sort of long lines, many lines and many keys", () => {
  useWebGpu("tests/webgpu-sort-long.test.ts");

  it("groups keys for passes, least significant first", () => {
    expect(keyGroups(1, 6)).toEqual([[0]]);
    expect(keyGroups(6, 6)).toEqual([[0, 1, 2, 3, 4, 5]]);
    expect(keyGroups(10, 6)).toEqual([
      [4, 5, 6, 7, 8, 9],
      [0, 1, 2, 3],
    ]);
    expect(keyGroups(5, 2)).toEqual([[3, 4], [1, 2], [0]]);
    expect(keyGroups(0, 6)).toEqual([[]]);
    expect(keysPerPass()).toBeGreaterThanOrEqual(2);
  });

  for (const n of [4097, 100_000, 2 ** 20 + 3]) {
    it(`sorts one line of ${n} float32 keys (NaN, ±0, ±∞, ties) stably, as cpu`, async () => {
      await sameSort([n], 0, ["float32"], 1, { seed: n });
    }, 120_000);
  }

  it("sorts one line of 10⁵ keys of every dtype, few and many distinct values", async () => {
    for (const dtype of DTYPES) {
      for (const distinct of [3, 1 << 20]) await sameSort([100_000], 0, [dtype], 1, { seed: 7, distinct });
    }
  }, 120_000);

  it("sorts many lines of odd lengths along every axis, every dtype as key", async () => {
    const cases: [number[], number][] = [
      [[37, 333], 1],
      [[333, 37], 0],
      [[5, 3001, 3], 1],
      [[20_000, 3], 1],
      [[3, 5000], 1],
      [[2, 2, 2049], 2],
      [[4099, 7], 0],
      [[1, 1], 0],
      [[9, 1], 1],
      [[1, 2, 3, 4, 5], 3],
    ];
    for (const [shape, dim] of cases) {
      for (const dtype of DTYPES) await sameSort(shape, dim, [dtype, "float32"], 1, { seed: shape[0] });
    }
  }, 120_000);

  it("sorts with 1 to 10 keys of mixed dtypes (more than one pass binds), lexicographically and stably", async () => {
    for (let keys = 1; keys <= 10; keys++) {
      const dtypes = Array.from({ length: keys }, (_, k) => DTYPES[k % 4]);
      // Three distinct values per key: ties reach deep into the key list.
      await sameSort([3, 1500], 1, [...dtypes, "float32"], keys, { seed: keys, distinct: 3 });
      await sameSort([5000], 0, dtypes, keys, { seed: keys + 20, distinct: 2 });
    }
  }, 120_000);

  it("serves every size and shape with the same pipelines (shapes are uniforms)", async () => {
    await sameSort([8193], 0, ["int32"], 1);
    const before = pipelineCount();
    for (const [shape, dim] of [
      [[100], 0],
      [[4097], 0],
      [[20_000], 0],
      [[7, 3000], 1],
      [[3000, 7], 0],
    ] as [number[], number][]) {
      await sameSort(shape, dim, ["int32"], 1);
    }
    expect(pipelineCount()).toBe(before);
  }, 120_000);

  it("returns empty results for empty lines and empty batches", async () => {
    for (const [shape, dim] of [
      [[0], 0],
      [[3, 0], 1],
      [[0, 5], 1],
      [[4, 0, 2], 1],
    ] as [number[], number][]) {
      await sameSort(shape, dim, ["float32", "int32"], 2);
    }
  });

  it("runs np.sort, np.argsort (stable) and lax.sort with several keys on long lines under jit, as cpu", async () => {
    const n = 100_009; // 7 · 14287
    const v = Array.from(values("float32", n, 3, 500));
    const w = Array.from(values("int32", n, 4, 7));
    const fns: ((a: JaxArray, b: JaxArray) => JaxArray | JaxArray[])[] = [
      (a) => np.sort(a),
      (a) => np.sort(a, 0, { descending: true }),
      (a) => np.argsort(a),
      (a) => np.argsort(a, 0, { descending: true }),
      (a, b) => lax.sort([b, a, np.arange(n)], 0, true, 2),
      (a, b) => lax.sort([a.reshape([7, n / 7]), b.reshape([7, n / 7])], 0, true, 1),
    ];
    for (const f of fns) {
      const want = onCpu(() => f(np.array(v, "float32"), np.array(w, "int32")));
      const got = await onGpu(() => jit(f)(gpuArray(v, [n]), gpuArray(w, [n], "int32")));
      expect(got.map(bitsOf)).toEqual(want.map(bitsOf));
    }
    // A key of ties only: argsort is the identity permutation (stability).
    const ties = await onGpu(() => jit((a: JaxArray) => np.argsort(a))(gpuArray(new Array(5000).fill(2), [5000])));
    expect(ties[0]).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  }, 120_000);

  /**
   * np.median and np.quantile select order statistics (bit for bit, as the
   * sort) and interpolate between two of them with a handful of float32
   * operations, each within half an ulp on both platforms: 4 ulps of the
   * larger of the two selected values bound the difference.
   */
  it("runs np.median and np.quantile on 10⁵ values under jit, as cpu", async () => {
    const n = 100_000;
    const v = Array.from(new Float32Array(n).map((_, i) => Math.sin(i * 12.9898) * 1000));
    const fns: ((a: JaxArray) => JaxArray)[] = [
      (a) => np.median(a),
      (a) => np.median(a.reshape([10, n / 10]), 1),
      (a) => np.quantile(a, np.array([0, 0.1, 0.5, 0.99, 1], "float32")),
      (a) => np.percentile(a.reshape([100, n / 100]), 37, 1),
    ];
    for (const f of fns) {
      const want = onCpu(() => f(np.array(v, "float32")))[0];
      const got = (await onGpu(() => jit(f)(gpuArray(v, [n]))))[0];
      expect(got.length).toBe(want.length);
      got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(4 * U * Math.abs(want[i]) + 1e-30));
    }
  }, 120_000);
});
