/**
 * webgpu's dot_general variants (backends/webgpu/matmul*.ts) against float64
 * products: "skinny" (K split across a workgroup), "vec4" (tiles with 4-wide
 * loads) and "tiled" (tiles with scalar loads), each on shapes at its edges;
 * `matmulVariantRuns` shows which variant ran. Same adapter and skip rule as
 * tests/webgpu.test.ts (COTANGENT_NO_WEBGPU=1 skips it).
 *
 * Tolerances: a float32 sum of K products, in any order, is within
 * γ_K·Σ_k|a_ik·b_kj| (γ_K = K·u/(1-K·u), u = 2^-24) of the exact value; the
 * float64 reference is exact to far better than that, so each element is
 * checked against that bound. Integer products wrap modulo 2^32 in WGSL as in
 * the reference (Math.imul), so they are compared exactly.
 *
 * Operands are dense buffers, so an operand's strides other than its contiguous
 * axis are multiples of that axis's extent: vec4 alignment is broken by a
 * contiguous extent that is not a multiple of 4 (K = 5, or 66 rows read
 * transposed), which must take the scalar loads.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { config, init, jit, numpy as np, vmap, type Array as JaxArray } from "../src/index.js";
import { ShapedArray } from "../src/core/aval.js";
import type { DType, TypedArray } from "../src/core/dtypes.js";
import { allocate } from "../src/core/dtypes.js";
import { webgpuBackend } from "../src/backends/webgpu/backend.js";
import { uploadGpu, type WebGpuBuffer } from "../src/backends/webgpu/buffer.js";
import { pipelineCount } from "../src/backends/webgpu/device.js";
import { matmulVariantRuns, type MatmulVariant } from "../src/backends/webgpu/matmul.js";

const SKIP = process.env.COTANGENT_NO_WEBGPU === "1";
const U = 2 ** -24;
const gamma = (n: number): number => (n * U) / (1 - n * U);

/** Deterministic values: floats in (-2, 2); int32 of both signs and uint32 up to 2^32 (products wrap). */
function values(dtype: DType, n: number, seed: number): TypedArray {
  let s = seed >>> 0;
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    if (dtype === "float32") out[i] = s / 2 ** 31 - 1 + (s & 1023) / 2 ** 20;
    else if (dtype === "int32") out[i] = (s >> 8) % 100003;
    else out[i] = s;
  }
  return out;
}

/**
 * One product layout: a as [B?, M, K] ("mk") or [B?, K, M] ("km", read in place
 * as its transpose); b as [B?, K, N] ("kn") or [B?, N, K] ("nk"); B = 0 means no
 * batch axis.
 */
interface Case {
  B: number;
  M: number;
  K: number;
  N: number;
  a?: "mk" | "km";
  b?: "kn" | "nk";
}

/** Element (p, i, k) of an operand stored with its two matrix axes in `order` ("rows first" or not). */
const index = (p: number, i: number, k: number, rows: number, depth: number, rowsFirst: boolean): number =>
  p * rows * depth + (rowsFirst ? i * depth + k : k * rows + i);

async function check(dtype: DType, c: Case, variant: MatmulVariant): Promise<void> {
  const { B, M, K, N } = c;
  const [aRows, bCols] = [(c.a ?? "mk") === "mk", (c.b ?? "kn") === "nk"];
  const Bn = Math.max(B, 1);
  const a = values(dtype, Bn * M * K, M + 7 * K);
  const b = values(dtype, Bn * K * N, N + 3 * K);
  const lead = B > 0 ? [B] : [];
  const aShape = [...lead, ...(aRows ? [M, K] : [K, M])];
  const bShape = [...lead, ...(bCols ? [N, K] : [K, N])];
  const off = lead.length;
  const batch: [number[], number[]] = B > 0 ? [[0], [0]] : [[], []];
  const contracting: [number[], number[]] = [[aRows ? off + 1 : off], [bCols ? off + 1 : off]];
  const before = matmulVariantRuns[variant];
  const out = webgpuBackend.routine(
    { name: "dot_general", contracting, batch },
    [uploadGpu(dtype, a), uploadGpu(dtype, b)],
    [new ShapedArray(aShape, dtype), new ShapedArray(bShape, dtype)],
    [new ShapedArray([...lead, M, N], dtype)],
  );
  const label = `${dtype} ${JSON.stringify(c)}`;
  expect(out, label).not.toBeNull();
  expect(matmulVariantRuns[variant], label).toBe(before + 1);
  const got = await (out![0] as WebGpuBuffer).read();
  for (let p = 0; p < Bn; p++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        const g = got[(p * M + i) * N + j];
        let s = 0;
        let abs = 0;
        for (let k = 0; k < K; k++) {
          const x = a[index(p, i, k, M, K, aRows)];
          const y = b[index(p, j, k, N, K, bCols)];
          if (dtype === "float32") {
            s += x * y;
            abs += Math.abs(x * y);
          } else s = (s + Math.imul(x, y)) | 0;
        }
        if (dtype === "float32") {
          if (!(Math.abs(g - s) <= gamma(K) * abs)) expect(g, `${label} at ${p},${i},${j}`).toBe(s);
        } else if (g !== (dtype === "int32" ? s : s >>> 0)) {
          expect(g, `${label} at ${p},${i},${j}`).toBe(dtype === "int32" ? s : s >>> 0);
        }
      }
}

const DTYPES: DType[] = ["float32", "int32", "uint32"];

/** Skinny: M or N at most 8, or both at most 64; K short and long; both orientations; batched; transposed. */
const SKINNY: Case[] = [
  { B: 0, M: 1, K: 1, N: 1 },
  { B: 0, M: 200, K: 1000, N: 1 },
  { B: 0, M: 1, K: 1000, N: 150 },
  { B: 0, M: 3, K: 5, N: 300, a: "km" },
  { B: 0, M: 257, K: 4, N: 8, b: "nk" },
  { B: 3, M: 9, K: 5, N: 9 },
  { B: 2, M: 64, K: 1000, N: 3, a: "km", b: "nk" },
  { B: 0, M: 40, K: 1, N: 64 },
  { B: 0, M: 1000, K: 300, N: 2 },
];

/** vec4: a's or b's contiguous axis a multiple of 4, along depth or (transposed) along rows and columns. */
const VEC4: Case[] = [
  { B: 0, M: 72, K: 4, N: 68 },
  { B: 2, M: 65, K: 1000, N: 9, b: "nk" },
  { B: 0, M: 68, K: 5, N: 132, a: "km" },
  { B: 3, M: 9, K: 36, N: 100, a: "km", b: "nk" },
  // Only b aligned: a (K = 5 along its rows) is read one element at a time from its vec4 view.
  { B: 0, M: 70, K: 5, N: 72 },
];

/** Scalar tiles: every contiguous extent not a multiple of 4. */
const TILED: Case[] = [
  { B: 0, M: 65, K: 5, N: 67 },
  { B: 2, M: 66, K: 1, N: 9, a: "km" },
  { B: 0, M: 9, K: 999, N: 99, a: "km", b: "nk" },
  { B: 0, M: 130, K: 37, N: 65, b: "nk" },
];

describe.skipIf(SKIP)("webgpu matrix product variants", () => {
  beforeAll(async () => {
    const ready = await init("webgpu").catch((e: Error) => {
      throw new Error(`${e.message} (COTANGENT_NO_WEBGPU=1 skips tests/webgpu-matmul.test.ts explicitly)`);
    });
    expect(ready).toEqual(["webgpu"]);
    config.update("platform", "webgpu");
  });
  afterEach(() => config.update("platform", "webgpu"));
  afterAll(() => config.update("platform", "wasm"));

  for (const [variant, cases] of [
    ["skinny", SKINNY],
    ["vec4", VEC4],
    ["tiled", TILED],
  ] as const) {
    it(`${variant}: every dtype against the float64 (or wrapping integer) product`, async () => {
      for (const dtype of DTYPES) for (const c of cases) await check(dtype, c, variant);
    });
  }

  it("one pipeline per variant and dtype, whatever the sizes", async () => {
    for (const [c, v] of [
      [SKINNY[1], "skinny"],
      [VEC4[0], "vec4"],
      [TILED[0], "tiled"],
    ] as const)
      await check("float32", c, v);
    const count = pipelineCount();
    await check("float32", { B: 2, M: 500, K: 7, N: 5 }, "skinny");
    await check("float32", { B: 0, M: 130, K: 8, N: 76 }, "vec4");
    await check("float32", { B: 3, M: 100, K: 3, N: 70 }, "tiled");
    expect(pipelineCount()).toBe(count);
  });

  it("np.matmul, np.dot of a matrix and a vector and vmap of a dot under jit, as on cpu", async () => {
    // Small integers in float32: every partial sum is an integer below 2^24, exact in any order, so equal to cpu's.
    const ints = (n: number, seed: number): number[] => Array.from(values("int32", n, seed), (v) => (v % 9) - 4);
    const x = np.array(ints(70 * 48, 1)).reshape([70, 48]);
    const y = np.array(ints(48 * 80, 2)).reshape([48, 80]);
    const v = np.array(ints(48, 3));
    const xs = np.array(ints(5 * 6 * 48, 4)).reshape([5, 6, 48]);
    const f = (a: JaxArray, b: JaxArray, w: JaxArray, as: JaxArray): JaxArray[] => [
      np.matmul(a, b),
      np.dot(a, w),
      np.matmul(b.T, a.T),
      vmap((m: JaxArray) => np.dot(m, w))(as),
    ];
    const runs = { ...matmulVariantRuns };
    const gpu = jit(f)(x, y, v, xs);
    for (const r of gpu) expect(r._buffer!.platform).toBe("webgpu");
    const got = await Promise.all(gpu.map(async (r) => Array.from((await r.data()) as ArrayLike<number>)));
    expect(matmulVariantRuns.skinny).toBeGreaterThan(runs.skinny);
    expect(matmulVariantRuns.vec4 + matmulVariantRuns.tiled).toBeGreaterThan(runs.vec4 + runs.tiled);
    config.update("platform", "cpu");
    const want = jit(f)(x, y, v, xs).map((r) => Array.from(r.dataSync()));
    expect(got).toEqual(want);
  });
});
