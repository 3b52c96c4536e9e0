/**
 * conv_general_dilated, reduce_window, select_and_gather_add and
 * select_and_scatter_add on webgpu against the cpu routines (backends/cpu/conv.ts),
 * on odd shapes, then through the public API under jit. Same adapter and skip
 * rule as tests/webgpu.test.ts (COTANGENT_NO_WEBGPU=1 skips it).
 *
 * Tolerances (u = 2^-24, float32's unit roundoff):
 * - max, min and the selections compare and move values: bit for bit, NaN and -0 included.
 * - Integer sums and products wrap modulo 2^32 on both (the cpu's float64 sums are exact
 *   here and wrap when stored): exact.
 * - float32 sums: the GPU adds n terms in float32 (in the cpu's order, or the matmul's),
 *   the cpu in float64 and rounds once. Whatever the order, |gpu - exact| ≤ γ_n·Σ|terms|
 *   with γ_n = n·u/(1 - n·u) (products rounded too: n terms, n - 1 additions), and
 *   |cpu - exact| ≤ u·Σ|terms|; so per element |gpu - cpu| ≤ (γ_n + u)·Σ|terms|, where
 *   Σ|terms| is the same routine run on the cpu on |operands| (the selection of the
 *   scatter depends on x only, so |ct| gives its Σ|terms|).
 */
import { describe, expect, it } from "vitest";
import { config, grad, jit, lax, numpy as np, vmap, type Array as JaxArray } from "../src/index.js";
import { ShapedArray } from "../src/core/aval.js";
import { HostBuffer } from "../src/core/buffer.js";
import type { DType, TypedArray } from "../src/core/dtypes.js";
import { allocate } from "../src/core/dtypes.js";
import type { Routine, RoutineOf, WindowParams } from "../src/kernel/routines.js";
import { cpuBackend } from "../src/backends/cpu/backend.js";
import { webgpuBackend } from "../src/backends/webgpu/backend.js";
import { uploadGpu } from "../src/backends/webgpu/buffer.js";
import { gpuConvRuns, im2colLimits } from "../src/backends/webgpu/conv-wgsl.js";
import { pipelineCount } from "../src/backends/webgpu/device.js";
import { convGeneralDilatedP, windowShape } from "../src/primitives/conv.js";
import { useWebGpu, read, U, gamma } from "./helpers/webgpu-everywhere.js";

const SKIP = process.env.COTANGENT_NO_WEBGPU === "1";

/**
 * Deterministic values of `dtype`. Floats: few distinct values (ties), signed zeros, and a
 * NaN every 11th when `nan`; ints: small for products (`small`), else of both signs / large.
 */
function values(dtype: DType, n: number, seed: number, opts: { nan?: boolean; small?: boolean } = {}): TypedArray {
  let s = seed >>> 0;
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const k = s >>> 27;
    if (dtype === "float32")
      out[i] = opts.nan && i % 11 === 7 ? NaN : i % 13 === 5 ? -0 : (k - 16) * 0.37 + s / 2 ** 40;
    else if (dtype === "int32") out[i] = opts.small ? (k % 9) - 4 : k - 16;
    else if (dtype === "uint32") out[i] = opts.small ? k % 7 : k * 0x0a000000 + (s & 0xff);
    else out[i] = k & 1;
  }
  return out;
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function runCpu(r: Routine, data: TypedArray[], avals: ShapedArray[], out: ShapedArray): TypedArray {
  const bufs = data.map((d, k) => new HostBuffer(avals[k].dtype, d));
  return cpuBackend.routine(r, bufs, avals, [out])![0].readSync();
}

async function runGpu(r: Routine, data: TypedArray[], avals: ShapedArray[], out: ShapedArray): Promise<TypedArray> {
  const bufs = data.map((d, k) => uploadGpu(avals[k].dtype, d));
  const gpu = webgpuBackend.routine(r, bufs, avals, [out]);
  expect(gpu, JSON.stringify(r)).not.toBeNull();
  expect(gpu![0].platform).toBe("webgpu");
  return gpu![0].read();
}

/** Words to compare: float32 as its bits (NaN, -0 and rounding all count); bool as 0/1. */
function words(a: TypedArray, dtype: DType): number[] {
  if (dtype === "float32") return Array.from(new Uint32Array(Float32Array.from(a).buffer));
  if (dtype === "bool") return Array.from(a, (v) => (v !== 0 ? 1 : 0));
  return Array.from(a);
}

/**
 * Runs `r` on cpu and webgpu. Exact unless `terms` (the most terms one float32 output
 * sums) is given: then within (γ_terms + u)·Σ|terms| of the cpu, Σ|terms| being `r` on
 * the operands with those numbered `summed` replaced by their absolute values.
 */
async function same(
  r: Routine,
  data: TypedArray[],
  avals: ShapedArray[],
  out: ShapedArray,
  terms?: number,
  summed: number[] = [],
  fix?: (want: TypedArray) => void,
) {
  const want = runCpu(r, data, avals, out);
  fix?.(want);
  const got = await runGpu(r, data, avals, out);
  const label = `${JSON.stringify(r)} ${avals.map((a) => a.str()).join(", ")}`;
  expect(got.length, label).toBe(out.size);
  if (terms === undefined || out.dtype !== "float32") {
    expect(words(got, out.dtype), label).toEqual(words(want, out.dtype));
    return;
  }
  const abs = runCpu(
    r,
    data.map((d, k) => (summed.includes(k) ? d.map(Math.abs) : d)),
    avals,
    out,
  );
  const bound = gamma(terms) + U;
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i])) expect(Number.isNaN(got[i]), `${label} [${i}]`).toBe(true);
    else if (got[i] !== want[i])
      expect(Math.abs(got[i] - want[i]), `${label} [${i}]`).toBeLessThanOrEqual(bound * abs[i]);
  }
}

// --- convolution ----------------------------------------------------------------------------

interface ConvCase {
  lhs: number[];
  rhs: number[];
  strides?: number[];
  padding?: [number, number][];
  lhsDilation?: number[];
  rhsDilation?: number[];
  specs?: [number[], number[], number[]];
  fgc?: number;
  bgc?: number;
}

function convRoutine(c: ConvCase): { r: RoutineOf<"conv_general_dilated">; terms: number } {
  const sp = c.lhs.length - 2;
  const ones = new Array<number>(sp).fill(1);
  const iota = Array.from({ length: c.lhs.length }, (_, d) => d);
  const [lhsSpec, rhsSpec, outSpec] = c.specs ?? [iota, iota, iota];
  const r: RoutineOf<"conv_general_dilated"> = {
    name: "conv_general_dilated",
    windowStrides: c.strides ?? ones,
    padding: c.padding ?? ones.map((): [number, number] => [0, 0]),
    lhsDilation: c.lhsDilation ?? ones,
    rhsDilation: c.rhsDilation ?? ones,
    lhsSpec,
    rhsSpec,
    outSpec,
    featureGroupCount: c.fgc ?? 1,
    batchGroupCount: c.bgc ?? 1,
  };
  // Each output sums I · (kernel window) products.
  return { r, terms: Math.max(1, sizeOf(rhsSpec.slice(1).map((a) => c.rhs[a]))) };
}

async function sameConv(c: ConvCase, dtype: DType = "float32", seed = 1): Promise<void> {
  const { r, terms } = convRoutine(c);
  const avals = [new ShapedArray(c.lhs, dtype), new ShapedArray(c.rhs, dtype)];
  const { name: _, ...params } = r;
  const out = convGeneralDilatedP.rules.abstractEval(avals, params as never)[0];
  const small = dtype !== "float32";
  const data = avals.map((a, k) => values(dtype, a.size, seed + k, { small }));
  await same(r, data, avals, out, terms, [0, 1]);
}

// --- windows --------------------------------------------------------------------------------

function windowParams(shape: number[], w: Partial<WindowParams> & { windowDimensions: number[] }): WindowParams {
  const ones = shape.map(() => 1);
  return {
    windowDimensions: w.windowDimensions,
    windowStrides: w.windowStrides ?? ones,
    padding: w.padding ?? shape.map((): [number, number] => [0, 0]),
    baseDilation: w.baseDilation ?? ones,
    windowDilation: w.windowDilation ?? ones,
  };
}

const WINDOWS: [number[], Partial<WindowParams> & { windowDimensions: number[] }][] = [
  [[7], { windowDimensions: [3] }],
  [[2, 5, 6, 3], { windowDimensions: [1, 2, 2, 1], windowStrides: [1, 2, 2, 1] }],
  [
    [2, 5, 6, 3],
    {
      windowDimensions: [1, 3, 3, 1],
      padding: [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
    },
  ],
  [
    [5, 7],
    {
      windowDimensions: [2, 3],
      windowStrides: [2, 1],
      padding: [
        [1, 2],
        [-1, 2],
      ],
      baseDilation: [2, 1],
      windowDilation: [1, 2],
    },
  ],
  [[3, 4, 5], { windowDimensions: [2, 2, 3], windowStrides: [1, 3, 2], windowDilation: [2, 1, 1] }],
  // Windows wholly on padding (empty: the identity, 0 for the selections); empty operands.
  [[3], { windowDimensions: [2], padding: [[3, 3]], windowStrides: [2] }],
  [
    [0, 4],
    {
      windowDimensions: [1, 2],
      padding: [
        [1, 0],
        [0, 0],
      ],
    },
  ],
  [[4, 0], { windowDimensions: [1, 1] }],
];

const DTYPES: DType[] = ["float32", "int32", "uint32", "bool"];

describe.skipIf(SKIP)("webgpu convolution and windowed reductions", () => {
  useWebGpu("tests/webgpu-windows.test.ts");

  it("conv_general_dilated: padding, strides, dilations, layouts, ranks 1 to 3 (direct)", async () => {
    const before = gpuConvRuns.direct;
    const cases: ConvCase[] = [
      // NCHW / OIHW, uneven padding, strides, both dilations.
      {
        lhs: [2, 3, 5, 6],
        rhs: [4, 3, 3, 2],
        strides: [2, 1],
        padding: [
          [1, 2],
          [0, 1],
        ],
        lhsDilation: [1, 2],
        rhsDilation: [2, 1],
      },
      // NHWC / HWIO / NHWC.
      {
        lhs: [2, 5, 4, 3],
        rhs: [3, 2, 3, 2],
        padding: [
          [1, 1],
          [2, 0],
        ],
        specs: [
          [0, 3, 1, 2],
          [3, 2, 0, 1],
          [0, 3, 1, 2],
        ],
      },
      // 1-D with scrambled layouts (batch last on lhs, feature first on out), negative padding.
      {
        lhs: [3, 9, 2],
        rhs: [2, 3, 4],
        strides: [2],
        padding: [[-1, 2]],
        specs: [
          [2, 0, 1],
          [2, 1, 0],
          [1, 0, 2],
        ],
      },
      // 3-D, NCDHW.
      {
        lhs: [1, 2, 4, 3, 5],
        rhs: [3, 2, 2, 2, 3],
        strides: [1, 2, 2],
        padding: [
          [0, 1],
          [1, 0],
          [1, 1],
        ],
      },
      // Kernel larger than the input: windows mostly on padding.
      {
        lhs: [1, 1, 2, 2],
        rhs: [2, 1, 4, 3],
        padding: [
          [2, 2],
          [1, 1],
        ],
      },
    ];
    for (const c of cases) await sameConv(c);
    expect(gpuConvRuns.direct).toBeGreaterThanOrEqual(before + cases.length);
    // Shapes and windows are uniforms: another rank-4 convolution compiles nothing new.
    const pipelines = pipelineCount();
    await sameConv({ lhs: [1, 2, 7, 3], rhs: [3, 2, 1, 2], strides: [3, 2], rhsDilation: [2, 1] }, "float32", 4);
    expect(pipelineCount()).toBe(pipelines);
  });

  it("conv_general_dilated: feature and batch groups, depthwise", async () => {
    const cases: ConvCase[] = [
      {
        lhs: [2, 6, 5, 4],
        rhs: [6, 2, 3, 2],
        fgc: 3,
        padding: [
          [1, 1],
          [0, 1],
        ],
      },
      // Depthwise, NHWC / HWIO: O = C = groups.
      {
        lhs: [2, 6, 5, 4],
        rhs: [3, 3, 1, 4],
        fgc: 4,
        padding: [
          [1, 1],
          [1, 1],
        ],
        specs: [
          [0, 3, 1, 2],
          [3, 2, 0, 1],
          [0, 3, 1, 2],
        ],
      },
      { lhs: [4, 3, 5, 4], rhs: [6, 3, 2, 2], bgc: 2, strides: [2, 1] },
      { lhs: [6, 2, 7], rhs: [3, 2, 3], bgc: 3, rhsDilation: [2] },
    ];
    for (const c of cases) await sameConv(c);
  });

  it("conv_general_dilated: large enough for im2col and the tiled matmul, every layout", async () => {
    const before = gpuConvRuns.im2col;
    const same3x3 = (): [number, number][] => [
      [1, 1],
      [1, 1],
    ];
    // NHWC / HWIO / NHWC (the result read in place), 3×3 SAME.
    await sameConv({
      lhs: [2, 12, 11, 8],
      rhs: [3, 3, 8, 16],
      padding: same3x3(),
      specs: [
        [0, 3, 1, 2],
        [3, 2, 0, 1],
        [0, 3, 1, 2],
      ],
    });
    // NCHW / OIHW / NCHW (kernel and result moved), strided and dilated.
    await sameConv({
      lhs: [3, 8, 13, 10],
      rhs: [12, 8, 3, 3],
      strides: [2, 1],
      rhsDilation: [1, 2],
      padding: same3x3(),
    });
    // int32 products through the matmul: exact.
    await sameConv({ lhs: [2, 8, 12, 12], rhs: [16, 8, 3, 3], padding: same3x3() }, "int32");
    // Patches of 2.5 images at most: chunks of 2, 2 and 1 images, joined.
    const saved = im2colLimits.patchBytes;
    im2colLimits.patchBytes = 2.5 * (12 * 12) * (8 * 3 * 3) * 4;
    try {
      await sameConv({ lhs: [5, 8, 12, 12], rhs: [8, 8, 3, 3], padding: same3x3() });
    } finally {
      im2colLimits.patchBytes = saved;
    }
    expect(gpuConvRuns.im2col).toBe(before + 4);
  });

  it("conv_general_dilated: int32 and uint32 exactly, empty operands", async () => {
    for (const dtype of ["int32", "uint32"] as DType[]) {
      await sameConv(
        {
          lhs: [2, 3, 5, 4],
          rhs: [2, 3, 2, 3],
          strides: [1, 2],
          padding: [
            [1, 0],
            [0, 2],
          ],
        },
        dtype,
      );
      await sameConv({ lhs: [4, 2, 6], rhs: [4, 1, 3], fgc: 2 }, dtype);
    }
    // No images, no output features, no input features (zeros), an empty spatial axis.
    await sameConv({ lhs: [0, 3, 5, 4], rhs: [2, 3, 2, 2] });
    await sameConv({ lhs: [2, 3, 5, 4], rhs: [0, 3, 2, 2] });
    await sameConv({ lhs: [2, 0, 5, 4], rhs: [3, 0, 2, 2] });
    await sameConv({
      lhs: [2, 3, 0, 4],
      rhs: [3, 3, 1, 2],
      padding: [
        [1, 1],
        [0, 0],
      ],
    });
  });

  it("reduce_window: sum, max and min over odd windows, every dtype", async () => {
    for (const dtype of DTYPES) {
      for (const reducer of ["sum", "max", "min"] as const) {
        for (const [shape, w] of WINDOWS) {
          const p = windowParams(shape, w);
          const xa = new ShapedArray(shape, dtype);
          const out = new ShapedArray(windowShape("reduce_window", shape, p), dtype);
          // max and min with NaN (it propagates); sums without, so that the bound stays informative.
          const x = values(dtype, xa.size, 3, { nan: reducer !== "sum" });
          const terms = reducer === "sum" ? sizeOf(p.windowDimensions) : undefined;
          const r: Routine = { name: "reduce_window", reducer, ...p };
          await same(r, [x], [xa], out, terms, [0]);
        }
      }
    }
  });

  it("select_and_gather_add: the tangent at the first max (min), NaN chosen, every dtype", async () => {
    for (const dtype of DTYPES) {
      for (const select of ["max", "min"] as const) {
        for (const [shape, w] of WINDOWS) {
          const p = windowParams(shape, w);
          const xa = new ShapedArray(shape, dtype);
          const ta = new ShapedArray(shape, "float32");
          const out = new ShapedArray(windowShape("select_and_gather_add", shape, p), "float32");
          const t = values("float32", xa.size, 5);
          await same(
            { name: "select_and_gather_add", select, ...p },
            [t, values(dtype, xa.size, 6, { nan: true })],
            [ta, xa],
            out,
          );
        }
      }
    }
  });

  it("select_and_scatter_add: cotangents gathered by the selected elements, in the cpu's order", async () => {
    for (const [xDtype, ctDtype] of [
      ["float32", "float32"],
      ["int32", "int32"],
      ["uint32", "uint32"],
      ["float32", "int32"],
      ["bool", "float32"],
    ] as [DType, DType][]) {
      for (const select of ["max", "min"] as const) {
        for (const [shape, w] of WINDOWS) {
          const p = windowParams(shape, w);
          const xa = new ShapedArray(shape, xDtype);
          const ca = new ShapedArray(windowShape("select_and_scatter_add", shape, p), ctDtype);
          const out = new ShapedArray(shape, ctDtype);
          const data = [values(ctDtype, ca.size, 7), values(xDtype, xa.size, 8, { nan: true })];
          // An element gets at most one cotangent per window position: Π window ≥ its terms.
          const terms = sizeOf(p.windowDimensions);
          await same({ name: "select_and_scatter_add", select, ...p }, data, [ca, xa], out, terms, [0]);
        }
      }
    }
  });

  it("overlapping max-pool windows: every tie goes to the first element, sums in order", async () => {
    // All equal: each window selects its first element; overlapping 3×3 stride-1 windows.
    const shape = [6, 7];
    const p = windowParams(shape, {
      windowDimensions: [3, 3],
      padding: [
        [1, 1],
        [1, 1],
      ],
    });
    const xa = new ShapedArray(shape, "float32");
    const ca = new ShapedArray(windowShape("x", shape, p), "float32");
    const data = [values("float32", ca.size, 9), new Float32Array(xa.size).fill(1.5)];
    await same({ name: "select_and_scatter_add", select: "max", ...p }, data, [ca, xa], xa, 9, [0]);
  });

  it("runs through the public API under jit on webgpu, as on cpu: conv, pooling and their gradients", async () => {
    // Inputs in JS memory (flat), shaped inside the programs: both platforms read them.
    const host = (n: number, seed: number, scale: number): JaxArray =>
      np.array(Array.from(values("float32", n, seed), (v) => v * scale));
    const x = host(2 * 9 * 8 * 3, 11, 0.3);
    const k = host(3 * 3 * 3 * 8, 12, 0.2);
    const shapeX = (a: JaxArray): JaxArray => a.reshape([2, 9, 8, 3]);
    const shapeK = (w: JaxArray): JaxArray => w.reshape([3, 3, 3, 8]);
    const nhwc = ["NHWC", "HWIO", "NHWC"] as [string, string, string];
    const maxPool = (a: JaxArray): JaxArray =>
      lax.reduceWindow(a, -Infinity, lax.max, [1, 2, 2, 1], [1, 2, 2, 1], "VALID");
    const avgPool = (a: JaxArray): JaxArray =>
      lax.reduceWindow(a, 0, lax.add, [1, 3, 3, 1], [1, 1, 1, 1], "SAME").div(9);
    const f = (xf: JaxArray, kf: JaxArray): JaxArray[] => {
      const [a, w] = [shapeX(xf), shapeK(kf)];
      const [an, wn] = [np.transpose(a, [0, 3, 1, 2]), np.transpose(w, [3, 2, 0, 1])];
      return [
        lax.convGeneralDilated(
          a,
          w,
          [1, 2],
          [
            [1, 0],
            [2, 1],
          ],
          { rhsDilation: [1, 2], dimensionNumbers: nhwc },
        ),
        lax.conv(an, wn, [1, 1], "SAME"),
        lax.convGeneralDilated(an, lax.slice(wn, [0, 0, 0, 0], [6, 1, 3, 3]), [2, 2], "VALID", {
          featureGroupCount: 3,
        }),
        maxPool(a),
        avgPool(a),
        lax.reduceWindow(an, Infinity, lax.min, [1, 1, 3, 2], [1, 1, 2, 2], "SAME"),
      ];
    };
    const wts = host(2 * 4 * 4 * 3, 13, 1);
    const gMax = grad((a: JaxArray) => np.sum(maxPool(shapeX(a)).mul(wts.reshape([2, 4, 4, 3]))));
    const gAvg = grad((a: JaxArray) => np.sum(avgPool(shapeX(a)).mul(shapeX(a))));
    // A tiny CNN: conv 3×3 SAME, 2×2 max pool, relu, dense; gradients of a squared loss by every parameter.
    const dense = host(4 * 4 * 8 * 5, 14, 0.05);
    const cnn = (params: JaxArray[], a: JaxArray): JaxArray => {
      const [w, d] = [shapeK(params[0]), params[1].reshape([4 * 4 * 8, 5])];
      const h = lax.convGeneralDilated(shapeX(a), w, [1, 1], "SAME", { dimensionNumbers: nhwc });
      const pooled = np.maximum(lax.reduceWindow(h, -Infinity, lax.max, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"), 0);
      const logits = np.matmul(pooled.reshape([2, 4 * 4 * 8]), d);
      return np.sum(logits.mul(logits));
    };
    const gCnn = grad(cnn);
    // A strided, dilated NCHW conv differentiated by both operands (lhs dilation in the input's
    // gradient), and vmapped over kernels (a feature-grouped conv).
    const strided = (xf: JaxArray, kf: JaxArray): JaxArray => {
      const [a, w] = [np.transpose(shapeX(xf), [0, 3, 1, 2]), np.transpose(shapeK(kf), [3, 2, 0, 1])];
      return np.sum(
        np.sin(
          lax.convGeneralDilated(
            a,
            w,
            [2, 2],
            [
              [1, 2],
              [0, 1],
            ],
            { rhsDilation: [2, 1] },
          ),
        ),
      );
    };
    const gStrided = grad(strided, [0, 1]);
    const perKernel = vmap(
      (kf: JaxArray, xf: JaxArray) =>
        lax.conv(np.transpose(shapeX(xf), [0, 3, 1, 2]), kf.reshape([2, 3, 3, 3]), [1, 1], "VALID"),
      [0, null],
    );
    const kernels = host(4 * 2 * 3 * 3 * 3, 15, 0.3).reshape([4, 54]);
    const run = (): JaxArray[] => [
      ...(jit(gStrided)(x, k) as unknown as JaxArray[]),
      jit(perKernel)(kernels, x),
      ...jit(f)(x, k),
      jit(gMax)(x),
      jit(gAvg)(x),
      jit(cnn)([k, dense], x),
      ...(jit(gCnn)([k, dense], x) as unknown as JaxArray[]),
    ];
    const onGpu = run();
    for (const a of onGpu) expect(a._buffer!.platform).toBe("webgpu");
    const gpuValues = await Promise.all(onGpu.map(read));
    const wtsValues = Array.from(wts.dataSync());
    config.update("platform", "cpu");
    const cpuValues = run().map((a) => Array.from(a.dataSync()));
    // Every value is at most three float32 sums deep (conv, dense or pooling, loss), each of at most
    // 144 terms (the kernel's gradient sums 2·9·8 positions): per stage γ_144·Σ|terms| < 8.6e-6·Σ|terms|.
    // With these O(1) inputs Σ|terms| stays within 8× the largest |value| of its output, so
    // 3 · 8.6e-6 · 8 < 2^-12 of the largest value bounds the difference, sin and cos adding a few
    // ulps (measured: under 2^-22).
    cpuValues.forEach((want, j) => {
      const scale = Math.max(1, ...want.map(Math.abs));
      expect(gpuValues[j].length, `output ${j}`).toBe(want.length);
      want.forEach((v, i) =>
        expect(Math.abs(gpuValues[j][i] - v), `output ${j} [${i}]`).toBeLessThanOrEqual(scale * 2 ** -12),
      );
    });
    // Max pooling's gradient puts each window's weight at its max: sums equal.
    const sumOf = (v: number[]): number => v.reduce((a, b) => a + b, 0);
    expect(sumOf(gpuValues[9])).toBeCloseTo(sumOf(wtsValues), 4);
  });
});
