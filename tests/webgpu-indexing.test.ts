/**
 * iota, pad, concatenate, argmax/argmin, gather and scatter on webgpu against
 * the cpu routines (backends/cpu), on odd shapes and every dtype webgpu has,
 * then through the public API under jit. Same adapter and skip rule as
 * tests/webgpu.test.ts (COTANGENT_NO_WEBGPU=1 skips it).
 *
 * Tolerance: none. These routines move values or compare them, and scatter
 * combines each element's updates in the cpu's order, so float32 results are
 * compared bit for bit (scatter-add included).
 */
import { describe, expect, it } from "vitest";
import { config, grad, jit, lax, numpy as np, type Array as JaxArray } from "../src/index.js";
import { ShapedArray } from "../src/core/aval.js";
import { HostBuffer } from "../src/core/buffer.js";
import type { DType, TypedArray } from "../src/core/dtypes.js";
import { allocate } from "../src/core/dtypes.js";
import type { Routine } from "../src/kernel/routines.js";
import { cpuBackend } from "../src/backends/cpu/backend.js";
import { webgpuBackend } from "../src/backends/webgpu/backend.js";
import { uploadGpu } from "../src/backends/webgpu/buffer.js";
import { useWebGpu, read } from "./helpers/webgpu-everywhere.js";

const SKIP = process.env.COTANGENT_NO_WEBGPU === "1";
const DTYPES: DType[] = ["float32", "int32", "uint32", "bool"];

/** Deterministic values of `dtype`: floats with repeats, a NaN and signed zeros; ints of both signs with repeats. */
function values(dtype: DType, n: number, seed: number): TypedArray {
  let s = seed >>> 0;
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const k = s >>> 27; // 0..31: few distinct values, so ties happen
    if (dtype === "float32") out[i] = i % 11 === 7 ? NaN : i % 13 === 5 ? -0 : (k - 16) * 0.37 + s / 2 ** 40;
    else if (dtype === "int32") out[i] = k - 16;
    else if (dtype === "uint32") out[i] = k * 0x0a000000 + (s & 0xff);
    else out[i] = k & 1;
  }
  return out;
}

interface Operand {
  dtype: DType;
  shape: number[];
  data?: TypedArray;
}

const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Words to compare: float32 as its bits (NaN, -0 and rounding all count); bool as 0/1. */
function words(a: TypedArray, dtype: DType): number[] {
  if (dtype === "float32") return Array.from(new Uint32Array(Float32Array.from(a).buffer));
  if (dtype === "bool") return Array.from(a, (v) => (v !== 0 ? 1 : 0));
  return Array.from(a);
}

/** Runs `r` on cpu and on webgpu (operands uploaded) and expects the same words. */
async function same(r: Routine, ops: Operand[], out: ShapedArray, seed = 1): Promise<void> {
  const avals = ops.map((o) => new ShapedArray(o.shape, o.dtype));
  const data = ops.map((o, k) => o.data ?? values(o.dtype, sizeOf(o.shape), seed + k));
  const want = cpuBackend
    .routine(
      r,
      data.map((d, k) => new HostBuffer(ops[k].dtype, d)),
      avals,
      [out],
    )![0]
    .readSync();
  const gpu = webgpuBackend.routine(
    r,
    data.map((d, k) => uploadGpu(ops[k].dtype, d)),
    avals,
    [out],
  );
  expect(gpu, JSON.stringify(r)).not.toBeNull();
  expect(gpu![0].platform).toBe("webgpu");
  const got = await gpu![0].read();
  expect(words(got, out.dtype), `${JSON.stringify(r)} ${JSON.stringify(ops)}`).toEqual(words(want, out.dtype));
}

/** Int32 indices [...batch, k] in [lo, hi). */
function indices(shape: number[], lo: number, hi: number, seed: number): Int32Array {
  let s = seed >>> 0;
  return Int32Array.from({ length: sizeOf(shape) }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s % (hi - lo));
  });
}

describe.skipIf(SKIP)("webgpu indexing and structural routines", () => {
  useWebGpu("tests/webgpu-indexing.test.ts");

  it("iota along each axis, every dtype", async () => {
    for (const dtype of DTYPES) {
      for (const [shape, dimension] of [
        [[7], 0],
        [[3, 5, 4], 1],
        [[3, 5, 4], 0],
      ] as [number[], number][]) {
        await same({ name: "iota", dimension }, [], new ShapedArray(shape, dtype));
      }
    }
  });

  it("pad with interior padding, every dtype, empty operands", async () => {
    const padded = (shape: number[], config: [number, number, number][]): number[] =>
      shape.map((n, d) => config[d][0] + config[d][1] + n + Math.max(0, n - 1) * config[d][2]);
    const cases: [number[], [number, number, number][]][] = [
      [
        [3, 5],
        [
          [0, 2, 1],
          [2, 0, 2],
        ],
      ],
      [
        [3, 5],
        [
          [0, 0, 0],
          [1, 1, 0],
        ],
      ],
      [
        [2, 3, 4],
        [
          [1, 0, 2],
          [2, 1, 0],
          [0, 3, 1],
        ],
      ],
      [
        [0, 3],
        [
          [1, 2, 0],
          [0, 0, 1],
        ],
      ],
    ];
    for (const dtype of DTYPES) {
      for (const [shape, config] of cases) {
        const fill: Operand = { dtype, shape: [], data: values(dtype, 3, 9).subarray(1, 2) };
        await same({ name: "pad", config }, [{ dtype, shape }, fill], new ShapedArray(padded(shape, config), dtype));
      }
    }
  });

  it("concatenate along each axis, every dtype, empty operands", async () => {
    const cases: [number[][], number][] = [
      [
        [
          [2, 3],
          [2, 0],
          [2, 4],
        ],
        1,
      ],
      [
        [
          [1, 3],
          [4, 3],
        ],
        0,
      ],
      [
        [
          [2, 3, 5],
          [2, 1, 5],
          [2, 2, 5],
        ],
        1,
      ],
      [[[3], [0], [5]], 0],
    ];
    for (const dtype of DTYPES) {
      for (const [shapes, dimension] of cases) {
        const out = shapes[0].map((n, d) => (d === dimension ? shapes.reduce((a, s) => a + s[d], 0) : n));
        await same(
          { name: "concatenate", dimension },
          shapes.map((shape) => ({ dtype, shape })),
          new ShapedArray(out, dtype),
        );
      }
    }
  });

  it("argmax and argmin: first index on ties, the first NaN wins, every dtype", async () => {
    for (const dtype of DTYPES) {
      for (const which of ["argmax", "argmin"] as const) {
        for (const [shape, axis] of [
          [[4, 7, 3], 1],
          [[4, 7, 3], 0],
          [[4, 7, 3], 2],
          [[13], 0],
          [[1, 5], 1],
          [[0, 5], 1],
        ] as [number[], number][]) {
          const out = new ShapedArray(
            shape.filter((_, d) => d !== axis),
            "int32",
          );
          await same({ name: "argreduce", which, axis }, [{ dtype, shape }], out);
        }
      }
    }
    // NaN first, NaN after a larger value, and all equal.
    const data = Float32Array.of(NaN, 5, 1, 9, NaN, 2, 3, 3, 3);
    for (const which of ["argmax", "argmin"] as const)
      await same(
        { name: "argreduce", which, axis: 1 },
        [{ dtype: "float32", shape: [3, 3], data }],
        new ShapedArray([3], "int32"),
      );
  });

  /** x's shape, the indexed axes, the batch shape of the indices and their range (beyond x's: out of range). */
  const INDEXED: [number[], number[], number[], number, number][] = [
    [[5, 4, 3], [1], [6], -3, 7],
    [[5, 4, 3], [0, 2], [2, 3], -1, 6],
    [[9], [0], [11], -2, 12],
    [[3, 4], [0, 1], [5], 0, 3],
    [[6, 2], [0], [0], 0, 6],
    [[2, 3, 2, 3], [1, 3], [7], -1, 4],
  ];

  it("gather with out-of-range indices clamped, every dtype", async () => {
    for (const dtype of DTYPES) {
      for (const [shape, axes, batch, lo, hi] of INDEXED) {
        const idx: Operand = { dtype: "int32", shape: [...batch, axes.length] };
        idx.data = indices(idx.shape, lo, hi, 3 + shape.length);
        const out = [...batch, ...shape.filter((_, d) => !axes.includes(d))];
        await same({ name: "gather", axes }, [{ dtype, shape }, idx], new ShapedArray(out, dtype));
      }
    }
  });

  it("scatter in every mode, repeated indices in order, out-of-range dropped, every dtype", async () => {
    for (const dtype of DTYPES) {
      for (const mode of ["set", "add", "mul", "min", "max"] as const) {
        // The cpu multiplies 32-bit ints as doubles (inexact past 2^53); the GPU wraps exactly.
        if (mode === "mul" && dtype !== "float32" && dtype !== "bool") continue;
        for (const [shape, axes, batch, lo, hi] of INDEXED) {
          const idx: Operand = { dtype: "int32", shape: [...batch, axes.length] };
          idx.data = indices(idx.shape, lo, hi, 5 + shape.length);
          const upd = [...batch, ...shape.filter((_, d) => !axes.includes(d))];
          await same(
            { name: "scatter", axes, mode },
            [{ dtype, shape }, idx, { dtype, shape: upd }],
            new ShapedArray(shape, dtype),
          );
        }
      }
    }
  });

  it("scatter-add sums repeated indices in the cpu's order, bit for bit", async () => {
    // 1e8 + 1 + ... in float32 depends on the order: a different order gives other bits.
    const upd = Float32Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 1e8 : i % 3 === 1 ? 1.5 : -1e8 + i));
    const idx = Int32Array.from({ length: 40 }, (_, i) => i % 2);
    await same(
      { name: "scatter", axes: [0], mode: "add" },
      [
        { dtype: "float32", shape: [2] },
        { dtype: "int32", shape: [40, 1], data: idx },
        { dtype: "float32", shape: [40], data: upd },
      ],
      new ShapedArray([2], "float32"),
    );
  });

  it("runs through the public API under jit on webgpu, as on cpu", async () => {
    const x = np.array(Array.from(values("float32", 35, 4))).reshape([5, 7]);
    const f = (a: JaxArray): JaxArray[] => [
      np.arange(7).astype("float32").add(a.get(1)),
      np.pad(a, [
        [1, 2],
        [0, 3],
      ]),
      np.concatenate([a, a.mul(2)], 1),
      lax.pad(a, -1, [
        [-1, 2, 1],
        [2, -3, 0],
      ]),
      np.argmax(a, 1),
      np.argmin(a, 0),
      a.get(np.array([4, 0, 2, 2]).astype("int32")),
    ];
    const g = grad((a: JaxArray) => np.sum(a.get(np.array([3, 3, 0]).astype("int32")).mul(np.arange(7))));
    const onGpu = jit(f)(x);
    const dGpu = jit(g)(x);
    for (const a of [...onGpu, dGpu]) expect(a._buffer!.platform).toBe("webgpu");
    const gpuValues = await Promise.all([...onGpu, dGpu].map(read));
    config.update("platform", "cpu");
    const cpuValues = [...jit(f)(x), jit(g)(x)].map((a) => Array.from(a.dataSync()));
    expect(gpuValues).toEqual(cpuValues);
    // The gradient of a gather is a scatter-add: row 3 twice, row 0 once.
    expect(cpuValues[cpuValues.length - 1].slice(21, 28)).toEqual([0, 2, 4, 6, 8, 10, 12]);
  });
});
