/**
 * conv_general_dilated on wasm (im2col and gemm, src/backends/wasm/conv.ts)
 * against the cpu platform's direct loops: every layout, padding, stride,
 * dilation and group count, float32 and float64, under grad and jit, and a
 * batch large enough to be split into several patch matrices.
 */
import { afterEach, describe, expect, it } from "vitest";
import { config, grad, jit, lax, numpy as np, type Array as NdArray } from "../src/index.js";
import { wasmThresholds } from "../src/backends/wasm/routines.js";
import { wasmConvRuns } from "../src/backends/wasm/conv.js";

const saved = { platform: config.values.platform, matmul: wasmThresholds.matmul };
afterEach(() => {
  config.update("platform", saved.platform);
  wasmThresholds.matmul = saved.matmul;
  config.update("enableX64", false);
});

/** Deterministic values in [-1, 1). */
const values = (shape: number[], seed: number, dtype: "float32" | "float64" = "float32") => {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = (Math.sin(i * 12.9898 + seed * 78.233) * 43758.5453) % 1;
  return np.asarray(v, dtype).reshape(shape);
};

/** Runs f on the cpu platform and on wasm; the two results' values. */
function onBoth(f: () => NdArray): [Float64Array, Float64Array] {
  config.update("platform", "cpu");
  const want = Float64Array.from(f().dataSync() as Float32Array);
  config.update("platform", "wasm");
  const got = Float64Array.from(f().dataSync() as Float32Array);
  return [got, want];
}

/**
 * float32 sums of K products in another order (wasm sums in float32, cpu in float64): within
 * K·2⁻²⁴ of the sum of the products' magnitudes, bounded here by K·2⁻²⁴·max|w|·4 (operands in [-1, 1)).
 */
function expectClose(got: Float64Array, want: Float64Array, K: number, eps = 2 ** -24): void {
  expect(got.length).toBe(want.length);
  const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(4 * K * eps * scale);
}

interface Case {
  name: string;
  lhs: number[];
  rhs: number[];
  strides: number[];
  padding: "SAME" | "VALID" | [number, number][];
  opts?: Record<string, unknown>;
}

const CASES: Case[] = [
  { name: "NCHW 3×3 SAME", lhs: [2, 3, 9, 8], rhs: [5, 3, 3, 3], strides: [1, 1], padding: "SAME" },
  {
    name: "strided, padded unevenly",
    lhs: [1, 4, 11, 7],
    rhs: [6, 4, 3, 2],
    strides: [2, 3],
    padding: [
      [2, 0],
      [1, 3],
    ],
  },
  {
    name: "dilated kernel and input (transposed-conv style)",
    lhs: [2, 2, 6, 5],
    rhs: [3, 2, 3, 3],
    strides: [1, 1],
    padding: [
      [2, 2],
      [1, 2],
    ],
    opts: { lhsDilation: [2, 1], rhsDilation: [1, 2] },
  },
  {
    name: "NHWC / HWIO",
    lhs: [2, 7, 6, 4],
    rhs: [3, 2, 4, 5],
    strides: [1, 2],
    padding: "SAME",
    opts: { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] },
  },
  {
    name: "feature groups (depthwise)",
    lhs: [2, 6, 8, 8],
    rhs: [12, 1, 3, 3],
    strides: [1, 1],
    padding: "SAME",
    opts: { featureGroupCount: 6 },
  },
  {
    name: "batch groups (a kernel's gradient)",
    lhs: [4, 3, 7, 7],
    rhs: [6, 3, 2, 2],
    strides: [1, 1],
    padding: "VALID",
    opts: { batchGroupCount: 2 },
  },
  { name: "1-D", lhs: [3, 4, 40], rhs: [5, 4, 7], strides: [2], padding: "SAME" },
  { name: "3-D", lhs: [1, 2, 5, 6, 4], rhs: [3, 2, 2, 3, 2], strides: [1, 1, 1], padding: "VALID" },
];

describe("convolution on wasm", () => {
  it.each(CASES.map((c) => [c.name, c] as [string, Case]))("%s agrees with the cpu loops", (_name, c) => {
    wasmThresholds.matmul = 0;
    const l = values(c.lhs, 1);
    const r = values(c.rhs, 2);
    const conv = () => lax.convGeneralDilated(l, r, c.strides, c.padding, c.opts ?? {});
    const before = wasmConvRuns.count;
    const [got, want] = onBoth(conv);
    expect(wasmConvRuns.count).toBeGreaterThan(before);
    const K = c.rhs.reduce((a, b) => a * b, 1) / c.rhs[0];
    expectClose(got, want, K);
  });

  it("float64 multiplies in float64", () => {
    config.update("enableX64", true);
    wasmThresholds.matmul = 0;
    const l = values([2, 3, 8, 8], 3, "float64");
    const r = values([4, 3, 3, 3], 4, "float64");
    const [got, want] = onBoth(() => lax.convGeneralDilated(l, r, [1, 1], "SAME"));
    expectClose(got, want, 27, 2 ** -53);
  });

  it("gradients and jit agree with the cpu loops", () => {
    wasmThresholds.matmul = 0;
    const l = values([2, 3, 10, 9], 5);
    const r = values([4, 3, 3, 3], 6);
    const loss = (a: NdArray, k: NdArray) => np.sum(np.tanh(lax.convGeneralDilated(a, k, [2, 1], "SAME")));
    const [dl, dlWant] = onBoth(() => jit(grad(loss))(l, r));
    expectClose(dl, dlWant, 64);
    const [dk, dkWant] = onBoth(() => grad(loss, { argnums: 1 })(l, r));
    expectClose(dk, dkWant, 2 * 5 * 9);
  });

  it("splits a large batch into several patch matrices", () => {
    // 40 images of 32×32 with a 5×5×8 kernel: patches of 40·1024·200 floats, over the 32 MiB limit.
    const l = values([40, 8, 32, 32], 7);
    const r = values([4, 8, 5, 5], 8);
    const [got, want] = onBoth(() => lax.convGeneralDilated(l, r, [1, 1], "SAME"));
    expectClose(got, want, 200);
  });
});
