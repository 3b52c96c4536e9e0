/**
 * stablehlo.deserialize on StableHLO that JAX wrote (tests/data/stablehlo/, each file naming
 * its source): every fixture parses and runs, with the numbers its source states (JAX's own
 * @expected values, or the outputs recorded beside the module), or numbers recomputed here
 * in float64; grad, vmap and jit compose with the result; mistakes are typed errors.
 */
import { readFileSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkGrads,
  config,
  grad,
  jit,
  lax,
  numpy as np,
  stablehlo,
  vmap,
  type Array as NdArray,
} from "../src/index.js";
import { exportedFromText } from "../src/stablehlo/deserialize.js";
import { deserialize } from "../src/stablehlo/deserialize.js";
import { StableHloError } from "../src/stablehlo/errors.js";
import { ShapeError, TreeMismatchError } from "../src/core/errors.js";

const DATA = new URL("./data/stablehlo/", import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, DATA), "utf8");
const values = (x: unknown): number[] => Array.from((x as NdArray).dataSync() as ArrayLike<number>);
const asList = (x: unknown): NdArray[] => (Array.isArray(x) ? (x as NdArray[]) : [x as NdArray]);

/**
 * |got - want| <= atol + rtol·|want| elementwise. float32 fixtures: XLA and cotangent sum
 * dot products and convolutions in different orders, so results agree to a few float32 ulps
 * of the partial sums: rtol 1e-5 and atol 1e-5 (the fixtures' values are O(1..100)).
 */
function expectClose(got: number[], want: number[], rtol = 1e-5, atol = 1e-5): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i];
    if (Number.isNaN(w)) expect(g).toBeNaN();
    else if (!Number.isFinite(w)) expect(g).toBe(w);
    else if (Math.abs(g - w) > atol + rtol * Math.abs(w)) {
      throw new Error(`element ${i}: got ${g}, expected ${w}`);
    }
  });
}

/** JAX's lax test modules: @main runs the op on @inputs; @expected holds what JAX computed. */
const SELF_CHECKING = readdirSync(DATA).filter((f) => f.endsWith(".mlir") && fixture(f).includes("@expected"));

describe("fixtures that carry JAX's expected values", () => {
  beforeAll(() => config.update("enableX64", true));
  afterAll(() => config.update("enableX64", false));

  it("covers the op families", () => {
    // conv (CNN), reduce_window + select_and_scatter (pooling and its gradient), cumsum (a scan as
    // reduce_window), while + func.call + threefry bit ops (random.categorical), variadic reduce
    // (argmax), sort, gather, scatter (both forms), dynamic_update_slice, dot_general, generic form.
    // Also: elementwise and bitwise ops (shifts, popcnt, xor, rem, clamp, sign, CHLO's erf_inv, lgamma,
    // digamma), bitcast_convert, pad with negative widths, rev, transpose, concatenate, dynamic_slice,
    // top_k, triangular_solve, iota, reduce_precision, cumulative reductions, random.split.
    expect(SELF_CHECKING.length).toBeGreaterThanOrEqual(50);
  });

  for (const name of SELF_CHECKING) {
    it(name, () => {
      const text = fixture(name);
      const got = asList(exportedFromText(text).call());
      const want = asList(exportedFromText(text, "expected").call());
      expect(got.map((g) => g.dtype)).toEqual(want.map((w) => w.dtype));
      got.forEach((g, k) => {
        expect(g.shape).toEqual(want[k].shape);
        // Sums of products (dot, conv) cancel: their absolute error is a few float32 ulps of the
        // largest partial sum, so atol scales with the largest expected magnitude (4 ulps ~ 5e-7·max).
        const w = values(want[k]);
        const scale = Math.max(1, ...w.filter(Number.isFinite).map(Math.abs));
        expectClose(values(g), w, 1e-5, 5e-7 * scale + 1e-6);
      });
    });
  }
});

describe("jax.export of cholesky on CPU (LAPACK potrf custom call, #loc lines)", () => {
  // Inputs and expected_outputs of data_2024_05_31["f32"] in the fixture's source file.
  const x = [
    [24.343887, 13.603931, 20.50489, 12.063957],
    [13.603931, 58.879753, -31.84056, 16.328014],
    [20.50489, -31.84056, 66.89075, -9.92216],
    [12.063957, 16.328014, -9.92216, 23.640732],
  ];
  const want = [
    [4.9339523, 0, 0, 0],
    [2.7572076, 7.160835, 0, 0],
    [4.155875, -6.0466657, 3.613486, 0],
    [2.4450898, 1.3387257, -3.3177993, 2.2050598],
  ];
  const exp = deserialize(fixture("jax_cpu_cholesky_lapack_potrf_f32.mlir"));

  it("gives JAX's factor", () => {
    expect(exp.fnName).toBe("cholesky");
    // float32 Cholesky of a matrix with condition ~1e2: agreement to 1e-5 relative (JAX's LAPACK vs cotangent's loop).
    expectClose(values(exp.call(np.array(x))), want.flat(), 2e-5, 2e-5);
  });

  it("differentiates and batches", () => {
    const f = (a: NdArray) => np.sum(exp.call(a) as NdArray);
    const g = grad(f)(np.array(x));
    const direct = grad((a: NdArray) => np.sum(np.linalg.cholesky(np.divide(np.add(a, a.T), 2))))(np.array(x));
    expectClose(values(g), values(direct), 1e-4, 1e-5);
    const batched = vmap((a: NdArray) => exp.call(a))(np.stack([np.array(x), np.array(x)])) as NdArray;
    expect(batched.shape).toEqual([2, 4, 4]);
    expectClose(values(batched), [...want.flat(), ...want.flat()], 2e-5, 2e-5);
  });
});

describe("jax.export of LU, QR, eigh and SVD on CPU (LAPACK FFI custom calls)", () => {
  interface Encoded {
    shape: number[];
    dtype: string;
    data: number[];
  }
  const load = (name: string) => {
    const j = JSON.parse(fixture(`${name}.json`)) as { inputs: Encoded[]; expected_outputs: Encoded[] };
    const ins = j.inputs.map((a) =>
      np.array(a.data, { dtype: a.dtype === "float32" ? "float32" : "int32" }).reshape(a.shape),
    );
    return { outs: asList(deserialize(fixture(`${name}.mlir`)).call(...ins)), want: j.expected_outputs, ins };
  };
  /** Column k of a [..., m, n] matrix array, for batch b. */
  const column = (x: number[], [m, n]: number[], b: number, k: number) =>
    Array.from({ length: m }, (_, i) => x[b * m * n + i * n + k]);
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

  it("lu: JAX's packed factors, pivots and permutation, exactly", () => {
    const { outs, want } = load("jax_cpu_lu_lapack_getrf_f32");
    outs.forEach((o, k) => expect(values(o)).toEqual(want[k].data));
  });

  it("qr: JAX's q and r (LAPACK's signs)", () => {
    const { outs, want } = load("jax_cpu_qr_lapack_geqrf_f32");
    // float32 Householder QR of a 3×3 matrix with entries up to 8: a few ulps of 8 (2e-6).
    outs.forEach((o, k) => expectClose(values(o), want[k].data, 0, 4e-6));
  });

  it("eigh: JAX's eigenvalues, and eigenvectors that diagonalize the matrix", () => {
    const { outs, want } = load("jax_cpu_eigh_lapack_syev_f32");
    const [v, w] = outs;
    // Eigenvalues of the 8×8 rank-2 matrix reach 2e2: float32 error ~1e-5 of that.
    expectClose(values(w), want[1].data, 0, 1e-4);
    // The zero eigenvalue has a 6-dimensional eigenspace, so its vectors are not unique: check V orthonormal.
    const vt = values(v);
    for (let a = 0; a < 8; a++)
      for (let b = 0; b < 8; b++) {
        const d = dot(column(vt, [8, 8], 0, a), column(vt, [8, 8], 0, b));
        expect(Math.abs(d - (a === b ? 1 : 0))).toBeLessThan(1e-5);
      }
  });

  it("svd: JAX's singular values; singular vectors equal to JAX's up to sign", () => {
    const { outs, want } = load("jax_cpu_svd_lapack_gesdd_f32");
    const [u, s, vt] = outs;
    expect(u.shape).toEqual([2, 4, 4]);
    expectClose(values(s), want[1].data, 1e-5, 1e-5);
    // Distinct singular values: each column of U (row of Vᵀ) is JAX's times ±1.
    const uu = values(u);
    const uw = want[0].data;
    for (let b = 0; b < 2; b++)
      for (let k = 0; k < 4; k++) {
        const got = column(uu, [4, 4], b, k);
        const ref = column(uw, [4, 4], b, k);
        const sign = Math.sign(dot(got, ref));
        expectClose(
          got.map((x) => x * sign),
          ref,
          0,
          2e-5,
        );
      }
    expect(vt.shape).toEqual([2, 4, 4]);
  });
});

describe("a JAX MLP (MNIST predict: dot_general, relu, softmax; ui8 input)", () => {
  const exp = deserialize(fixture("mlp_mnist_predict.mlir"));
  // Deterministic parameters; the reference is the same network evaluated in float64 here.
  const w1 = Array.from(
    { length: 512 * 784 },
    (_, k) => 0.05 * Math.sin(0.37 * Math.floor(k / 784) + 0.011 * (k % 784)),
  );
  const b1 = Array.from({ length: 512 }, (_, i) => 0.1 * Math.cos(i));
  const w2 = Array.from({ length: 10 * 512 }, (_, k) => 0.1 * Math.sin(0.13 * Math.floor(k / 512) - 0.029 * (k % 512)));
  const b2 = Array.from({ length: 10 }, (_, i) => 0.2 * i - 1);
  const img = Array.from({ length: 128 * 784 }, (_, k) => (Math.floor(k / 784) * 31 + (k % 784) * 17) % 256);
  const f32 = (v: number[]) => Array.from(Float32Array.from(v));

  function reference(): number[] {
    const [W1, B1, W2, B2] = [f32(w1), f32(b1), f32(w2), f32(b2)];
    const out: number[] = [];
    for (let n = 0; n < 128; n++) {
      const h = new Float64Array(512);
      for (let i = 0; i < 512; i++) {
        let s = B1[i];
        for (let j = 0; j < 784; j++) s += W1[i * 784 + j] * img[n * 784 + j];
        h[i] = Math.max(s, 0);
      }
      const z = Array.from({ length: 10 }, (_, o) => {
        let s = B2[o];
        for (let i = 0; i < 512; i++) s += W2[o * 512 + i] * h[i];
        return s;
      });
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const t = e.reduce((a, b) => a + b, 0);
      out.push(...e.map((v) => v / t));
    }
    return out;
  }

  const args = () => [
    np.array(w1, { dtype: "float32" }).reshape([512, 784]),
    np.array(b1, { dtype: "float32" }),
    np.array(w2, { dtype: "float32" }).reshape([10, 512]),
    np.array(b2, { dtype: "float32" }),
    np.array(img, { dtype: "uint32" }).reshape([128, 784]),
  ];

  it("reads the signature (ui8 widened to uint32)", () => {
    expect(exp.inAvals.map(String)).toEqual(["f32[512,784]", "f32[512]", "f32[10,512]", "f32[10]", "u32[128,784]"]);
    expect(exp.outAvals.map(String)).toEqual(["f32[128,10]"]);
  });

  it("gives the float64 network's probabilities", () => {
    // Hidden units are sums of 784 float32 products of size ~10; the softmax of logits of size
    // ~10 keeps their ~1e-6 relative error: atol 2e-5 on probabilities.
    expectClose(values(exp.call(...args())), reference(), 0, 2e-5);
  });

  it("jit, vmap and grad compose with it", () => {
    const a = args();
    const eager = values(exp.call(...a));
    expectClose(values(jit((...xs: NdArray[]) => exp.call(...xs) as NdArray)(...a)), eager, 1e-6, 1e-7);
    // vmap over the biases: two copies give two copies of the output.
    const vb = vmap((b: NdArray) => exp.call(a[0], a[1], a[2], b, a[4]) as NdArray)(np.stack([a[3], a[3]])) as NdArray;
    expect(vb.shape).toEqual([2, 128, 10]);
    expectClose(values(vb), [...eager, ...eager], 1e-6, 1e-7);
    // d/db2 of sum_n log p[n, 0]: sum_n (onehot(0) - p[n]).
    const g = grad((b: NdArray) => np.sum(np.log(np.take(exp.call(a[0], a[1], a[2], b, a[4]) as NdArray, 0, 1))))(a[3]);
    const p = eager;
    const want = Array.from({ length: 10 }, (_, o) => {
      let s = 0;
      for (let n = 0; n < 128; n++) s += (o === 0 ? 1 : 0) - p[n * 10 + o];
      return s;
    });
    expectClose(values(g), want, 1e-4, 1e-4);
  });
});

/** A small CNN step written as JAX prints it (conv, bias, relu, max-pool, dense, mean), in float64. */
const CNN = `
module @jit_cnn attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  func.func public @main(%arg0: tensor<2x1x6x6xf64> {mhlo.layout_mode = "default"}, %arg1: tensor<3x1x3x3xf64>, %arg2: tensor<3xf64>, %arg3: tensor<12x2xf64>) -> (tensor<f64> {jax.result_info = "result"}) {
    %0 = stablehlo.convolution(%arg0, %arg1) dim_numbers = [b, f, 0, 1]x[o, i, 0, 1]->[b, f, 0, 1], window = {stride = [1, 1], pad = [[0, 0], [0, 0]], lhs_dilate = [1, 1], rhs_dilate = [1, 1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64, precision_config = [#stablehlo<precision DEFAULT>, #stablehlo<precision DEFAULT>]} : (tensor<2x1x6x6xf64>, tensor<3x1x3x3xf64>) -> tensor<2x3x4x4xf64>
    %1 = stablehlo.broadcast_in_dim %arg2, dims = [1] : (tensor<3xf64>) -> tensor<2x3x4x4xf64>
    %2 = stablehlo.add %0, %1 : tensor<2x3x4x4xf64>
    %cst = stablehlo.constant dense<0.000000e+00> : tensor<f64>
    %3 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f64>) -> tensor<2x3x4x4xf64>
    %4 = stablehlo.maximum %2, %3 : tensor<2x3x4x4xf64>
    %cst_0 = stablehlo.constant dense<0xFFF0000000000000> : tensor<f64>
    %5 = "stablehlo.reduce_window"(%4, %cst_0) <{window_dimensions = array<i64: 1, 1, 2, 2>, window_strides = array<i64: 1, 1, 2, 2>}> ({
    ^bb0(%arg4: tensor<f64>, %arg5: tensor<f64>):
      %10 = stablehlo.maximum %arg4, %arg5 : tensor<f64>
      stablehlo.return %10 : tensor<f64>
    }) : (tensor<2x3x4x4xf64>, tensor<f64>) -> tensor<2x3x2x2xf64>
    %6 = stablehlo.reshape %5 : (tensor<2x3x2x2xf64>) -> tensor<2x12xf64>
    %7 = stablehlo.dot_general %6, %arg3, contracting_dims = [1] x [0], precision = [DEFAULT, DEFAULT] : (tensor<2x12xf64>, tensor<12x2xf64>) -> tensor<2x2xf64>
    %8 = stablehlo.reduce(%7 init: %cst) applies stablehlo.add across dimensions = [0, 1] : (tensor<2x2xf64>, tensor<f64>) -> tensor<f64>
    %cst_1 = stablehlo.constant dense<4.000000e+00> : tensor<f64>
    %9 = stablehlo.divide %8, %cst_1 : tensor<f64>
    return %9 : tensor<f64>
  }
}`;

describe("grad, vmap and jit on a deserialized CNN", () => {
  beforeAll(() => config.update("enableX64", true));
  afterAll(() => config.update("enableX64", false));

  const arg = (shape: number[], seed: number) =>
    np
      .array(
        Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, k) => Math.sin(seed + 0.7 * k)),
        { dtype: "float64" },
      )
      .reshape(shape);
  const args = () => [arg([2, 1, 6, 6], 1), arg([3, 1, 3, 3], 2), arg([3], 3), arg([12, 2], 4)];

  it("matches the same network written with cotangent", () => {
    const exp = deserialize(CNN);
    const direct = (x: NdArray, k: NdArray, b: NdArray, w: NdArray) => {
      const c = np.add(lax.convGeneralDilated(x, k, [1, 1], "VALID"), b.reshape([1, 3, 1, 1]));
      const r = np.maximum(c, 0);
      const p = lax.reduceWindow(r, -Infinity, "max", [1, 1, 2, 2], [1, 1, 2, 2], "VALID");
      return np.mean(np.matmul(p.reshape([2, 12]), w));
    };
    const a = args();
    // float64 throughout: the two programs agree to rounding.
    expectClose(values(exp.call(...a)), values(direct(...(a as [NdArray, NdArray, NdArray, NdArray]))), 1e-12, 1e-12);
    const gi = grad((...xs: NdArray[]) => exp.call(...xs) as NdArray, { argnums: [0, 1, 2, 3] })(...a) as NdArray[];
    const gd = grad(direct, { argnums: [0, 1, 2, 3] })(...(a as [NdArray, NdArray, NdArray, NdArray])) as NdArray[];
    gi.forEach((g, k) => expectClose(values(g), values(gd[k]), 1e-12, 1e-12));
    checkGrads((...xs: NdArray[]) => exp.call(...xs), a, 2, { modes: ["rev"], atol: 1e-6, rtol: 1e-6 });
    const jitted = jit((...xs: NdArray[]) => exp.call(...xs) as NdArray)(...a);
    expectClose(values(jitted), values(exp.call(...a)), 1e-14, 1e-14);
    const stacked = vmap((w: NdArray) => exp.call(a[0], a[1], a[2], w) as NdArray)(
      np.stack([a[3], np.multiply(a[3], 2)]),
    ) as NdArray;
    expectClose(values(stacked), [values(exp.call(...a))[0], 2 * values(exp.call(...a))[0]], 1e-12, 1e-12);
  });
});

describe("while, case and calls", () => {
  const LOOP = `
module @jit_loop {
  func.func public @main(%arg0: tensor<i32>, %arg1: tensor<3xf32>) -> (tensor<3xf32> {jax.result_info = "result"}) {
    %c = stablehlo.constant dense<0> : tensor<i32>
    %0:2 = stablehlo.while(%iterArg = %c, %iterArg_0 = %arg1) : tensor<i32>, tensor<3xf32>
     cond {
      %1 = stablehlo.compare  LT, %iterArg, %arg0,  SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %1 : tensor<i1>
    } do {
      %1 = func.call @step(%iterArg_0) : (tensor<3xf32>) -> tensor<3xf32>
      %c_1 = stablehlo.constant dense<1> : tensor<i32>
      %2 = stablehlo.add %iterArg, %c_1 : tensor<i32>
      stablehlo.return %2, %1 : tensor<i32>, tensor<3xf32>
    }
    %3 = "stablehlo.case"(%arg0) ({
      stablehlo.return %0#1 : tensor<3xf32>
    }, {
      %4 = stablehlo.negate %0#1 : tensor<3xf32>
      stablehlo.return %4 : tensor<3xf32>
    }) : (tensor<i32>) -> tensor<3xf32>
    return %3 : tensor<3xf32>
  }
  func.func private @step(%arg0: tensor<3xf32>) -> tensor<3xf32> {
    %0 = stablehlo.multiply %arg0, %arg0 : tensor<3xf32>
    return %0 : tensor<3xf32>
  }
}`;

  it("runs loops, branches (out-of-range index: last branch) and private functions", () => {
    const exp = deserialize(LOOP);
    // n squarings: x^(2^n); case 0 keeps, case 1 and beyond (clamped to the last) negate.
    expectClose(values(exp.call(np.array(0, { dtype: "int32" }), np.array([1, 2, 3]))), [1, 2, 3]);
    expectClose(values(exp.call(np.array(1, { dtype: "int32" }), np.array([1, 2, 3]))), [-1, -4, -9]);
    expectClose(values(exp.call(np.array(2, { dtype: "int32" }), np.array([1, 2, 3]))), [-1, -16, -81]);
    const jitted = jit((n: NdArray, x: NdArray) => exp.call(n, x) as NdArray);
    expectClose(values(jitted(np.array(2, { dtype: "int32" }), np.array([1, 2, 3]))), [-1, -16, -81]);
  });
});

describe("if", () => {
  const IF = `
module @jit_g {
  func.func public @main(%arg0: tensor<i1>, %arg1: tensor<2xf32>) -> tensor<2xf32> {
    %0 = "stablehlo.if"(%arg0) ({
      %1 = stablehlo.exponential %arg1 : tensor<2xf32>
      stablehlo.return %1 : tensor<2xf32>
    }, {
      %1 = stablehlo.cosine %arg1 : tensor<2xf32>
      stablehlo.return %1 : tensor<2xf32>
    }) : (tensor<i1>) -> tensor<2xf32>
    return %0 : tensor<2xf32>
  }
}`;

  it("takes the branch its predicate names, and differentiates", () => {
    const exp = deserialize(IF);
    const x = np.array([0, 1]);
    expectClose(values(exp.call(true, x)), [1, Math.E], 1e-6, 0);
    expectClose(values(exp.call(false, x)), [1, Math.cos(1)], 1e-6, 0);
    // d/dx sum(cos x) = -sin x.
    expectClose(values(grad((y: NdArray) => np.sum(exp.call(false, y) as NdArray))(x)), [0, -Math.sin(1)], 1e-6, 1e-7);
  });
});

describe("errors", () => {
  const wrap = (body: string, sig = "%arg0: tensor<2xf32>") =>
    `module @jit_f {\n  func.func public @main(${sig}) -> tensor<2xf32> {\n${body}\n  }\n}`;

  const error = (text: string): StableHloError => {
    try {
      deserialize(text);
    } catch (e) {
      if (e instanceof StableHloError) return e;
      throw e;
    }
    throw new Error("no error");
  };

  it("names an unknown op with its line and column", () => {
    const e = error(wrap("    %0 = stablehlo.frobnicate %arg0 : tensor<2xf32>\n    return %0 : tensor<2xf32>"));
    expect(e.message).toMatch(
      /^\[stablehlo\.deserialize\] unknown op stablehlo\.frobnicate at line 3, column 10: got stablehlo\.frobnicate, expected/,
    );
    expect([e.line, e.column]).toEqual([3, 10]);
  });

  it("refuses types it cannot run", () => {
    const bf = error(wrap("    return %arg0 : tensor<2xbf16>", "%arg0: tensor<2xbf16>"));
    expect(bf.message).toMatch(
      /element type bf16 is not supported at line 2, column \d+: got bf16, expected one of f32, f64/,
    );
    const dyn = error(wrap("    return %arg0 : tensor<?xf32>", "%arg0: tensor<?xf32>"));
    expect(dyn.message).toMatch(/dynamic shapes are not supported at line 2, column \d+: got tensor<\?xf32>/);
    const big = error(
      wrap("    %c = stablehlo.constant dense<4294967296> : tensor<i64>\n    return %arg0 : tensor<2xf32>"),
    );
    expect(big.message).toMatch(/the constant 4294967296 does not fit its type at line 3/);
  });

  it("points at malformed text", () => {
    const e = error(wrap("    %0 = stablehlo.add %arg0, : tensor<2xf32>\n    return %0 : tensor<2xf32>"));
    expect(e.message).toMatch(/stablehlo\.add: takes 2 operands at line 3, column 10: got 1, expected 2\./);
    expect(error("module @m {").message).toMatch(/no function found|expected/);
    const undef = error(wrap("    %0 = stablehlo.add %arg0, %nope : tensor<2xf32>\n    return %0 : tensor<2xf32>"));
    expect(undef.message).toMatch(/use of undefined value %nope at line 3/);
    const mismatch = error(wrap("    %0 = stablehlo.sine %arg0 : tensor<3xf32>\n    return %0 : tensor<3xf32>"));
    expect(mismatch.message).toMatch(/result 0 does not match its declared type at line 3, column \d+: got f32\[2\]/);
  });

  it("names an unsupported custom_call target", () => {
    const e = error(
      wrap(
        "    %0 = stablehlo.custom_call @lapack_sgeev_ffi(%arg0) {api_version = 4 : i32} : (tensor<2xf32>) -> tensor<2xf32>\n    return %0 : tensor<2xf32>",
      ),
    );
    expect(e.message).toMatch(
      /custom_call target "lapack_sgeev_ffi" is not supported at line 3, column 10: got @lapack_sgeev_ffi/,
    );
  });

  it("checks the arguments at call", () => {
    const exp = deserialize(wrap("    %0 = stablehlo.sine %arg0 : tensor<2xf32>\n    return %0 : tensor<2xf32>"));
    expect(() => exp.call(np.ones([2]), np.ones([2]))).toThrow(TreeMismatchError);
    expect(() => exp.call(np.ones([2]), np.ones([2]))).toThrow(
      /\[Exported\.call\] the arguments' pytree structure differs/,
    );
    expect(() => exp.call(np.ones([3]))).toThrow(ShapeError);
    expect(() => exp.call(np.ones([3]))).toThrow(/argument leaf 0 has shape \[3\]: expected \[2\]/);
    expect(() => stablehlo.deserialize(42 as never)).toThrow(/text must be a string of StableHLO/);
  });
});
