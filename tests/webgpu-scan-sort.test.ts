/**
 * threefry2x32, cumulative scans and the stable sort on the webgpu backend,
 * against the cpu platform, on whatever adapter Dawn finds (in CI: Mesa's
 * lavapipe). Without an adapter this file fails with init's message, unless
 * COTANGENT_NO_WEBGPU=1 says to skip it (as tests/webgpu.test.ts).
 *
 * Tolerances: threefry, integer scans, cummax/cummin and sorts are exact (bit
 * for bit). float32 cumsum/cumprod add in a different order than cpu (which
 * accumulates in float64 and rounds each prefix once): every prefix of n terms
 * computed in any order is within γ_n·Σ|x_k| (γ_n = n·u/(1-n·u), u = 2^-24) of
 * the exact sum, and cpu's within u·|s|, so the two differ by at most the sum of both.
 */
import { describe, expect, it } from "vitest";
import { grad, jit, lax, numpy as np, random, type Array as JaxArray } from "../src/index.js";
import { threefry2x32 } from "../src/primitives/threefry.js";
import { fromValues } from "../src/primitives/as-array.js";
import { useWebGpu, read, onCpu, onGpu, U, gamma, unitValues as values } from "./helpers/webgpu-everywhere.js";

const SKIP = process.env.COTANGENT_NO_WEBGPU === "1";

/** Deterministic uint32 words. */
function words(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0));
}

/** `v` as an array of `shape` on the GPU (a strided copy there puts it in GPU memory). */
function gpuArray(v: number[], shape: number[], dtype: "float32" | "int32" | "uint32" = "float32"): JaxArray {
  const a = np.array(v, dtype).reshape(shape);
  const b = a.size > 1 ? np.flip(np.flip(a, 0), 0) : a;
  if (a.size > 1) expect(b._buffer!.platform).toBe("webgpu");
  return b;
}

describe.skipIf(SKIP)("webgpu threefry, scans and sorts", () => {
  useWebGpu("tests/webgpu-scan-sort.test.ts");

  describe("threefry2x32", () => {
    it("enciphers bit for bit as cpu, broadcasting its operands", async () => {
      const shapes: number[][][] = [
        [[], [], [1001], [1001]],
        [[3, 1], [1, 5], [3, 5], [5]],
        [[], [], [0], [0]],
        [[], [], [], []],
      ];
      for (const sh of shapes) {
        const make = (): JaxArray[] =>
          sh.map(
            (s, k) =>
              fromValues(
                words(
                  s.reduce((a, b) => a * b, 1),
                  7 + k,
                ),
                s,
                "uint32",
              ) as unknown as JaxArray,
          );
        const want = onCpu(() => threefry2x32(...(make() as unknown as Parameters<typeof threefry2x32>)) as never);
        const got = await Promise.all(
          (threefry2x32(...(make() as unknown as Parameters<typeof threefry2x32>)) as unknown as JaxArray[]).map(read),
        );
        expect(got).toEqual(want);
      }
    });

    it("is the known-answer vector of Salmon et al. (key 0x13198a2e 0x03707344, counter 0x243f6a88 0x85a308d3)", async () => {
      const u = (v: number, n = 300): JaxArray => np.full([n], v, "uint32");
      const [y0, y1] = threefry2x32(
        ...([u(0x13198a2e), u(0x03707344), u(0x243f6a88), u(0x85a308d3)] as unknown as Parameters<typeof threefry2x32>),
      ) as unknown as JaxArray[];
      expect(y0._buffer!.platform).toBe("webgpu");
      expect((await read(y0))[299]).toBe(0xc4923a9c);
      expect((await read(y1))[299]).toBe(0x483df7a0);
    });
  });

  describe("random with a key on the GPU", () => {
    /** uniform and bits (bit for bit as cpu) and normal draws of `shape` from key k. */
    const draws = (shape: number[]) => (k: JaxArray) => [
      random.uniform(k, shape),
      random.bits(k, shape),
      random.normal(k, shape),
    ];

    /**
     * normal is √2·erf⁻¹(u) with erf⁻¹ as XLA's float32 polynomial in w = -log1p(-u²): the
     * polynomial and FMAs are the same on both, but WGSL's log is not correctly rounded
     * (Vulkan: 3 ulps), so w may differ by a few ulps. ∂erf⁻¹/∂w·δw stays below 8 ulps of
     * the result across (−1, 1) (at most 2 measured): 8·2^-24·max(|z|, 2^-10).
     */
    const closeNormal = (got: number[], want: number[]): void =>
      got.forEach((g, i) =>
        expect(Math.abs(g - want[i])).toBeLessThanOrEqual(8 * U * Math.max(Math.abs(want[i]), 2 ** -10)),
      );

    for (const shape of [[1001], [3, 7], [1]]) {
      it(`draws [${shape}] as cpu (uniform and bits bit for bit), eagerly and under jit`, async () => {
        const want = onCpu(() => draws(shape)(random.key(42)));
        const key = gpuArray(Array.from(await random.key(42).data()), [2], "uint32");
        for (const got of [
          await Promise.all(draws(shape)(key).map(read)),
          await Promise.all((jit(draws(shape))(key) as JaxArray[]).map(read)),
        ]) {
          expect(got.slice(0, 2)).toEqual(want.slice(0, 2));
          closeNormal(got[2], want[2]);
        }
        const [a, b] = random.split(key);
        const wantSplit = onCpu(() => {
          const [ca, cb] = random.split(random.key(42));
          return [random.uniform(ca, shape), random.uniform(cb, shape)];
        });
        expect([await read(random.uniform(a, shape)), await read(random.uniform(b, shape))]).toEqual(wantSplit);
      });
    }
  });
  describe("cumulative", () => {
    const OPS = ["cumsum", "cumprod", "cummax", "cummin"] as const;
    // Lines shorter than a block (1024), of several blocks, along first, middle and last axes.
    const cases: [number[], number][] = [
      [[0], 0],
      [[1], 0],
      [[5], 0],
      [[3, 0, 2], 1],
      [[1025], 0],
      [[3, 2049], 1],
      [[2049, 3], 0],
      [[2, 1500, 3], 1],
    ];

    /** Σ|x| over the prefix that ends at element i (step k of its line). */
    function absPrefix(v: number[], i: number, inner: number, n: number, k: number, reverse: boolean): number {
      let m = 0;
      const first = i - k * inner;
      for (let j = reverse ? k : 0; reverse ? j < n : j <= k; j++) m += Math.abs(v[first + j * inner]);
      return m;
    }

    /**
     * A float32 prefix of m terms, added in any order, is within γ_m·Σ|x| of the exact sum; cpu's
     * (accumulated in float64, rounded once) within u·|s|. Products of m factors: γ_m·|p| likewise.
     */
    function checkFloat(op: string, [got, want, v]: number[][], shape: number[], axis: number, reverse: boolean): void {
      if (op === "cummax" || op === "cummin") return expect(got).toEqual(want);
      const n = shape[axis];
      const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      got.forEach((g, i) => {
        const k = Math.floor(i / inner) % n;
        const terms = reverse ? n - k : k + 1;
        const mass = op === "cumsum" ? absPrefix(v, i, inner, n, k, reverse) : Math.abs(want[i]);
        expect(Math.abs(g - want[i])).toBeLessThanOrEqual(gamma(terms) * mass + U * Math.abs(want[i]) + 1e-38);
      });
    }

    for (const [shape, axis] of cases) {
      it(`scans float32 and int32 [${shape}] along axis ${axis}, forward and reverse, as cpu`, async () => {
        const size = shape.reduce((a, b) => a * b, 1);
        const fv = Array.from(new Float32Array(values(size, size + 1)));
        // Factors in [0.5, 1.5) keep long products finite; small ints keep int32 products exact.
        const pv = fv.map((x) => Math.fround(1 + x / 2));
        const iv = words(size, size + 2).map((w) => (w % 7) - 3);
        for (const op of OPS) {
          for (const reverse of [false, true]) {
            const v = op === "cumprod" ? pv : fv;
            const want = onCpu(() => lax[op](np.array(v, "float32").reshape(shape), axis, reverse))[0];
            const [got] = await onGpu(() => lax[op](gpuArray(v, shape), axis, reverse));
            checkFloat(op, [got, want, v], shape, axis, reverse);
            if (op === "cumprod") continue;
            const wantI = onCpu(() => lax[op](np.array(iv, "int32").reshape(shape), axis, reverse))[0];
            expect((await onGpu(() => lax[op](gpuArray(iv, shape, "int32"), axis, reverse)))[0]).toEqual(wantI);
          }
        }
      });
    }

    it("scans lines of more than 1024² elements (three levels of block sums) exactly, and uint32", async () => {
      const n = 1024 * 1024 + 5;
      const iv = words(n, 3).map((w) => (w % 201) - 100);
      const want = onCpu(() => np.cumsum(np.array(iv, "int32")))[0];
      expect((await onGpu(() => np.cumsum(gpuArray(iv, [n], "int32"))))[0]).toEqual(want);
      const uv = words(3000, 4).map((w) => w % 1000);
      const wantU = onCpu(() => lax.cummax(np.array(uv, "uint32"), 0, true))[0];
      expect((await onGpu(() => lax.cummax(gpuArray(uv, [3000], "uint32"), 0, true)))[0]).toEqual(wantU);
    });

    it("propagates NaN through cummax and cummin, and runs np.cumsum under jit and grad", async () => {
      const v = [1, NaN, 3, -Infinity, 2];
      for (const op of ["cummax", "cummin", "cumsum"] as const) {
        const want = onCpu(() => lax[op](np.array(v, "float32")))[0];
        expect((await onGpu(() => lax[op](gpuArray(v, [5]))))[0]).toEqual(want);
      }
      const x = Array.from(new Float32Array(values(3 * 1500, 9)));
      const f = (a: JaxArray): JaxArray => np.cumsum(a.mul(2), 1);
      const want = onCpu(() => f(np.array(x, "float32").reshape([3, 1500])))[0];
      const [got] = await onGpu(() => jit(f)(gpuArray(x, [3, 1500])));
      checkFloat("cumsum", [got, want, x.map((t) => 2 * t)], [3, 1500], 1, false);
      // The gradient of sum(cumsum(x)) is the reversed cumsum of ones: n - i, exactly.
      const g = await read(jit(grad((a: JaxArray) => np.sum(np.cumsum(a))))(gpuArray(x.slice(0, 1100), [1100])));
      expect(g).toEqual(Array.from({ length: 1100 }, (_, i) => 1100 - i));
    });
  });
  describe("sort", () => {
    /** Values with many ties, NaN, ±0 and ±∞ (float32), in an order that makes stability visible. */
    function awkward(n: number, seed: number): number[] {
      const special = [NaN, -0, 0, Infinity, -Infinity, 1, -1];
      return words(n, seed).map((w) => (w % 5 === 0 ? special[w % 7] : (w % 13) - 6));
    }
    /** Bit patterns, so -0 and +0 (and NaNs) are compared exactly. */
    const bitsOf = (v: number[]): number[] => Array.from(new Uint32Array(new Float32Array(v).buffer));

    const cases: [number[], number][] = [
      [[0], 0],
      [[1], 0],
      [[7], 0],
      [[3, 0], 1],
      [[300], 0],
      [[5, 1000], 1],
      [[4097, 2], 1],
      [[2, 1025, 3], 1],
      [[4096], 0],
    ];
    for (const [shape, dim] of cases) {
      it(`sorts [${shape}] along ${dim}: float32 keys with int32 and float32 values, stably, as cpu`, async () => {
        const size = shape.reduce((a, b) => a * b, 1);
        const keys = awkward(size, size + 5);
        const ints = words(size, size + 6).map((w) => (w % 9) - 4);
        const vals = Array.from(new Float32Array(values(size, size + 7)));
        const make = (on: (v: number[], s: number[], d?: "float32" | "int32") => JaxArray): JaxArray[] =>
          lax.sort([on(keys, shape), on(ints, shape, "int32"), on(vals, shape)], dim);
        const host = (v: number[], s: number[], d: "float32" | "int32" = "float32"): JaxArray =>
          np.array(v, d).reshape(s);
        const want = onCpu(() => make(host));
        const got = await onGpu(() => make(gpuArray));
        expect(bitsOf(got[0])).toEqual(bitsOf(want[0]));
        expect(got.slice(1)).toEqual(want.slice(1));
        // Two int32 keys (lexicographic), a bool and a uint32 operand carried along.
        const k2 = words(size, size + 8).map((w) => w % 3);
        const flags = ints.map((i) => i > 0);
        const two = (on: typeof host): JaxArray[] =>
          lax.sort(
            [
              on(ints, shape, "int32"),
              on(k2, shape, "int32"),
              np.array(flags).reshape(shape),
              np.arange(size).reshape(shape),
            ],
            dim,
            true,
            2,
          );
        expect(await onGpu(() => two(gpuArray))).toEqual(onCpu(() => two(host)));
      });
    }

    it("runs np.sort, np.argsort (stable, descending too) and lax.sort under jit as cpu", async () => {
      const v = awkward(3 * 700, 11);
      const fns: ((a: JaxArray) => JaxArray)[] = [
        (a) => np.sort(a, 1),
        (a) => np.sort(a, 0, { descending: true }),
        (a) => np.argsort(a, 1),
        (a) => np.argsort(a, 1, { descending: true }),
        (a) => np.argsort(a, null),
      ];
      for (const f of fns) {
        const want = onCpu(() => f(np.array(v, "float32").reshape([3, 700])));
        expect(bitsOf((await onGpu(() => f(gpuArray(v, [3, 700]))))[0])).toEqual(bitsOf(want[0]));
        expect(bitsOf((await onGpu(() => jit(f)(gpuArray(v, [3, 700]))))[0])).toEqual(bitsOf(want[0]));
      }
      // A key of ties only: the identity permutation (stability).
      expect((await onGpu(() => np.argsort(gpuArray(new Array(900).fill(2), [900]))))[0]).toEqual(
        Array.from({ length: 900 }, (_, i) => i),
      );
    });

    it("sorts lines longer than a workgroup tile (4097) as cpu", async () => {
      const v = awkward(4097, 1);
      const want = onCpu(() => np.sort(np.array(v, "float32")));
      expect(bitsOf((await onGpu(() => np.sort(gpuArray(v, [4097]))))[0])).toEqual(bitsOf(want[0]));
    });
  });
  it("shifts int32 and uint32 as cpu, shift counts outside [0, 32) included", async () => {
    const a = [5, -7, 2147483647, -2147483648, 1, 12345, -1, 0, 9];
    const n = [0, 1, 31, 31, 32, 40, 3, 5, -1];
    const fns = [
      (x: JaxArray, s: JaxArray): JaxArray => np.leftShift(x, s),
      (x: JaxArray, s: JaxArray) => np.rightShift(x, s),
    ];
    for (const dtype of ["int32", "uint32"] as const) {
      const av = dtype === "uint32" ? a.map((v) => v >>> 0) : a;
      const nv = dtype === "uint32" ? n.map((v) => v >>> 0) : n;
      for (const f of fns) {
        const want = onCpu(() => f(np.array(av, dtype), np.array(nv, dtype)))[0];
        expect((await onGpu(() => f(gpuArray(av, [9], dtype), gpuArray(nv, [9], dtype))))[0]).toEqual(want);
      }
    }
  });
});
