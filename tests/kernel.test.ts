import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { config, grad, jit, lax, makeJaxpr, nn, numpy as np, valueAndGrad, type Array } from "../src/index.js";
import { onCpu } from "./helpers/platform.js";
import { Jaxpr } from "../src/ir/jaxpr.js";
import { foldTransposedDots, optimize } from "../src/ir/passes.js";
import { fuseKernels } from "../src/compile/fusion.js";
import { programPool, runProgram } from "../src/compile/run-program.js";
import type { Kernel } from "../src/kernel/ir.js";
import { wasmThresholds } from "../src/backends/wasm/routines.js";
import { getPool } from "../src/backends/wasm/threads.js";
import { stagesOf } from "../src/backends/wasm/kernel-codegen.js";

/** Deterministic values in [-2, 2) with some exact zeros and negative zeros. */
const values = (shape: number[], seed = 1): Array => {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, (_, i) => {
    if (i % 11 === 3) return i % 2 ? -0 : 0;
    const s = Math.sin(12.9898 * i + 78.233 * seed) * 43758.5453;
    return 4 * (s - Math.floor(s)) - 2;
  });
  return np.asArray(data).reshape(shape);
};

const bits = (a: Array) => globalThis.Array.from(a.dataSync());

/** The kernels of a program's fused equations. */
const kernelsOf = (j: Jaxpr): Kernel[] =>
  j.eqns.filter((e) => e.prim.name === "fused_kernel").map((e) => (e.params as { kernel: Kernel }).kernel);
const fusedProgram = (f: (...a: Array[]) => unknown, ...args: Array[]) =>
  fuseKernels(foldTransposedDots(optimize(makeJaxpr(f)(...args).jaxpr)));

/**
 * Elementwise float32 operations agree with the reference up to a few ulp
 * (exact for + − × ÷ max min and comparisons, ≤ 2 ulp for transcendental ones);
 * sums are accumulated in float64 on both sides, so they agree to an ulp of
 * the result, plus a few ulp of the largest term for the elementwise inputs.
 */
const REL = 2e-6;
function expectClose(got: Array, want: Array, rel = REL): void {
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  const p = got.dataSync();
  const q = want.dataSync();
  for (let i = 0; i < q.length; i++) {
    if (Number.isNaN(q[i])) expect(p[i]).toBeNaN();
    else expect(Math.abs(p[i] - q[i])).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(q[i])));
  }
}

describe("fused kernels under jit (wasm) agree with the cpu reference", () => {
  const saved = { ...wasmThresholds };
  beforeAll(() => Object.assign(wasmThresholds, { fusion: 0 }));
  afterAll(() => Object.assign(wasmThresholds, saved));
  afterEach(() => config.update("platform", "wasm"));

  // Row lengths: multiples of 16 (four vectors per step), of 8 (two), of 4 (one), and others (not fused by rows).
  const SHAPES = [
    [1, 16],
    [7, 8],
    [33, 16],
    [5, 20],
    [3, 12],
    [4, 6],
    [128, 512],
    [2, 3, 16],
  ].map((s) => [s]);

  /** A dense layer with relu, as written by users: the bias is a row broadcast, relu a select on a mask. */
  const layer = (h: Array, b: Array) => nn.relu(np.add(h, b));

  it.each(SHAPES)("bias + relu over %j: row inputs, boolean masks, select", (shape) => {
    const h = values(shape);
    const b = values([shape[shape.length - 1]], 2);
    expectClose(
      jit(layer)(h, b),
      onCpu(() => layer(h, b)),
    );
  });

  it.each(SHAPES)("its gradient over %j: saved masks, column sums (the bias gradient)", (shape) => {
    const h = values(shape);
    const b = values([shape[shape.length - 1]], 2);
    const loss = (hh: Array, bb: Array) => np.sum(np.multiply(layer(hh, bb), np.cos(hh)));
    const [v, [gh, gb]] = jit(valueAndGrad(loss, { argnums: [0, 1] }))(h, b);
    const [vr, [ghr, gbr]] = onCpu(() => valueAndGrad(loss, { argnums: [0, 1] })(h, b));
    expectClose(v, vr);
    expectClose(gh, ghr);
    expectClose(gb, gbr);
  });

  it.each(SHAPES)("column inputs over %j: x − max(x) along the last axis (softmax)", (shape) => {
    const x = values(shape);
    const f = (a: Array) => nn.logSoftmax(a, -1);
    expectClose(
      jit(f)(x),
      onCpu(() => f(x)),
      4e-6,
    );
  });

  it.each([[1], [7], [1023], [4096], [4097], [100_003]])(
    "sums and maxima of %i elements (partial last vectors)",
    (n) => {
      const x = values([n]);
      const f = (a: Array) => [np.sum(np.exp(a)), np.max(np.sin(a)), np.min(np.negative(np.abs(a)))];
      const got = jit(f)(x);
      const want = onCpu(() => f(x));
      got.forEach((g, i) => expectClose(g, want[i]));
      // Against float64: the fused sum is the float64 sum of the float32 exps, rounded once.
      const e = np.exp(x).dataSync();
      let s = 0;
      for (const v of e) s += v;
      expect(got[0].item()).toBe(Math.fround(s));
    },
  );

  it.each([[[33, 16]], [[3, 8196]], [[5000]]])(
    "long chains run in stages, with masks and values carried between them, over %j",
    (shape) => {
      // Several expensive operations: the loop is split into stages (rows up to 8192 elements; longer rows are not).
      const h = values(shape);
      const b = values([shape[shape.length - 1]], 4);
      const f = (x: Array, bias: Array) => {
        const y = np.add(x, bias);
        const positive = np.greater(np.sin(y), 0);
        const z = np.where(positive, np.exp(y), np.log1p(np.abs(y)));
        return [np.sum(np.tanh(np.multiply(z, np.cos(y)))), np.multiply(z, 2), positive];
      };
      const got = jit(f)(h, b);
      const want = onCpu(() => f(h, b));
      expectClose(got[0], want[0], 4e-6);
      expectClose(got[1], want[1], 4e-6);
      expect(bits(got[2])).toEqual(bits(want[2]));
    },
  );

  it("sin and cos of one value, computed together, give the bits of the separate kernels", () => {
    const x = np.concatenate([values([4000]), np.array([0, -0, 1e5, -3e7, 2 ** 27, Infinity, NaN, 1e-40])]);
    const [s, c] = jit((a: Array) => [np.sin(a), np.cos(a)])(x);
    expect(bits(s)).toEqual(bits(np.sin(x)));
    expect(bits(c)).toEqual(bits(np.cos(x)));
    expect(Object.is(s.dataSync()[4001], -0)).toBe(true); // sin(−0) = −0
  });

  it("reductions propagate NaN and handle infinities", () => {
    const data = values([1000]).dataSync() as Float32Array;
    const withNan = np.asArray(Float32Array.from(data, (v, i) => (i === 777 ? NaN : v)));
    const withInf = np.asArray(Float32Array.from(data, (v, i) => (i === 5 ? -Infinity : i === 6 ? Infinity : v)));
    const f = (a: Array) => [np.sum(np.multiply(a, 2)), np.max(np.multiply(a, 2))];
    for (const r of jit(f)(withNan)) expect(r.item()).toBeNaN();
    const [s, m] = jit(f)(withInf);
    expect(s.item()).toBeNaN(); // ∞ + (−∞)
    expect(m.item()).toBe(Infinity);
    const allNegInf = np.full([64], -Infinity);
    expect(jit((a: Array) => np.max(np.multiply(a, 2)))(allNegInf).item()).toBe(-Infinity);
  });

  it("writes boolean results that are used later as bytes 0/1", () => {
    const x = values([7, 16]);
    const f = (a: Array) => {
      const m = np.lessEqual(np.sin(a), 0);
      return [m, np.where(m, a, np.multiply(a, 3))];
    };
    const [m, y] = jit(f)(x);
    const [mr, yr] = onCpu(() => f(x));
    expect(m.dtype).toBe("bool");
    expect(bits(m)).toEqual(bits(mr));
    expectClose(y, yr);
  });
});

describe("eager sums and maxima on the wasm kernels", () => {
  // Each has at least 256 elements: the size from which eager operations run on wasm.
  it.each([[[300]], [[4, 64]], [[33, 16]], [[4, 5, 16]], [[64, 20]]])(
    "over every axis, the leading axes and the last axis of %j",
    (shape) => {
      const x = values(shape);
      const lead = shape.slice(0, -1).map((_, i) => i);
      for (const axis of [null, lead, -1]) {
        for (const f of [np.sum, np.max]) {
          const reduce = (a: Array) => (axis === null ? f(a) : f(a, { axis }));
          expectClose(
            reduce(x),
            onCpu(() => reduce(x)),
          );
        }
      }
    },
  );
});

describe("eager comparisons, selects and broadcast arithmetic on one-operation kernels", () => {
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 3e38, 1e-45];
  const withSpecials = (shape: number[], seed: number) => {
    const data = values(shape, seed).dataSync() as Float32Array;
    specials.forEach((v, i) => (data[(i * 37) % data.length] = v));
    return np.asArray(data).reshape(shape);
  };
  it.each([[[300]], [[20, 16]], [[33, 12]], [[4, 6, 16]]])(
    "agree bit for bit with the cpu platform over %j",
    (shape) => {
      const x = withSpecials(shape, 5);
      const y = withSpecials(shape, 6);
      const row = values([shape[shape.length - 1]], 7);
      const col = values([...shape.slice(0, -1), 1], 8);
      const cases = (a: Array, b: Array) => [
        np.less(a, b),
        np.lessEqual(a, 0),
        np.greater(a, row),
        np.greaterEqual(col, a),
        np.equal(a, b),
        np.notEqual(a, a),
        np.where(np.less(a, b), a, b),
        np.where(np.isnan(a), 0, a),
        np.add(a, row),
        np.multiply(a, col),
        np.subtract(row, a),
      ];
      const got = cases(x, y);
      const want = onCpu(() => cases(x, y));
      got.forEach((g, i) => {
        expect(g.dtype).toBe(want[i].dtype);
        expect(g.shape).toEqual(want[i].shape);
        expect(bits(g)).toEqual(bits(want[i]));
      });
    },
  );
});

describe("what jit compiles", () => {
  it("folds constants: arithmetic on literals is done once, at compile time", () => {
    const f = (a: Array) => np.multiply(a, np.add(np.multiply(np.array(2), 3), 1));
    const j = optimize(makeJaxpr(f)(np.ones([4])).jaxpr);
    expect(j.eqns.map((e) => e.prim.name)).toEqual(["mul"]);
    expect(j.toString()).toContain("mul a 7.0:f32[]");
    expect(bits(jit(f)(np.arange(4, undefined, undefined, "float32")))).toEqual([0, 7, 14, 21]);
  });

  const x = np.linspace(-3, 3, 4096).reshape([64, 64]);
  const b = np.linspace(0, 1, 64);

  it("a dense layer's forward pass: one kernel from the bias add to the relu", () => {
    const ks = kernelsOf(fusedProgram((h: Array, bb: Array) => nn.relu(np.add(h, bb)), x, b));
    expect(ks).toHaveLength(1);
    expect(ks[0].inputs.map((i) => i.kind).sort()).toEqual(["full", "row", "scalar"]);
    expect(ks[0].ops.map((o) => o.op)).toEqual(["add", "le", "select"]);
  });

  it("the relu gradient and the bias gradient: one kernel with a column sum", () => {
    const loss = (h: Array, bb: Array) => np.sum(nn.relu(np.add(h, bb)));
    const ks = kernelsOf(fusedProgram(grad(loss, { argnums: 1 }), x, b));
    const reductions = ks.flatMap((k) => k.outputs.filter((o) => o.kind === "reduce"));
    expect(reductions).toContainEqual(expect.objectContaining({ reducer: "sum", over: "rows" }));
  });

  it("a chain and the sum consuming it: one kernel, no separate reduction, in one stage per expensive operation", () => {
    const f = (a: Array) => np.sum(np.log1p(np.exp(np.multiply(np.sin(a), a))));
    const j = fusedProgram(f, np.linspace(-3, 3, 5000));
    expect(j.eqns.map((e) => e.prim.name)).toEqual(["fused_kernel"]);
    const [k] = kernelsOf(j);
    // sin, mul | exp | log1p: two values cross stages (sin(a)·a and its exp).
    const { stage, crossing } = stagesOf(k, 4096);
    expect(stage).toEqual([0, 0, 1, 2]);
    expect(crossing).toHaveLength(2);
    expect(stagesOf(k, 10_000).crossing).toHaveLength(0); // rows too long for the L1 cache: one stage
  });

  it("fuses the bodies of control flow inside a compiled program", () => {
    const step = (h: Array, w: Array): [Array, Array] => {
      const next = np.tanh(np.add(np.multiply(np.sin(h), 0.5), w));
      return [next, np.sum(np.exp(next))];
    };
    const f = (h0: Array, ws: Array) => lax.scan(step, h0, ws);
    const h0 = values([2048]);
    const ws = values([5, 2048], 3);
    const pjit = makeJaxpr(jit(f))(h0, ws).jaxpr.eqns[0];
    const compiled = (pjit.params as { compiled: Jaxpr }).compiled;
    const scan = compiled.eqns.find((e) => e.prim.name === "scan")!;
    const body = (scan.params as { body: { jaxpr: Jaxpr } }).body.jaxpr;
    expect(body.eqns.map((e) => e.prim.name)).toContain("fused_kernel");
    const [h, ys] = jit(f)(h0, ws);
    const [hr, ysr] = onCpu(() => f(h0, ws));
    expectClose(h, hr, 4e-6);
    expectClose(ys, ysr, 4e-6);
  });

  it("folds the transpose after a weight gradient's product into the product", () => {
    const w = np.linspace(-1, 1, 64 * 32).reshape([64, 32]);
    const loss = (ww: Array) => np.sum(np.tanh(np.matmul(x, ww)));
    const program = makeJaxpr(grad(loss))(w).jaxpr;
    const names = (j: Jaxpr) => j.eqns.map((e) => e.prim.name);
    expect(names(optimize(program))).toContain("transpose");
    const folded = foldTransposedDots(optimize(program));
    expect(names(folded)).not.toContain("transpose");
    // The same products summed in the same order: identical bits.
    expect(bits(jit(grad(loss))(w))).toEqual(bits(grad(loss)(w)));
  });
});

describe("fused kernels are deterministic", () => {
  it("gives the same bits with one thread and with all of them, and from run to run", async () => {
    const x = values([1 << 18]);
    const f = jit((a: Array) => [np.sum(np.exp(np.sin(a))), np.tanh(a)]);
    const pool = getPool()!;
    const workers = pool.workers;
    expect(workers).toBeGreaterThanOrEqual(1);
    pool.workers = 0;
    const single = f(x).map(bits);
    pool.workers = workers;
    await new Promise((resolve) => setTimeout(resolve, 200)); // workers started
    let threads = 0;
    const realRunKernel = pool.runKernel;
    pool.runKernel = (id, argLists) => {
      threads = Math.max(threads, argLists.length);
      return realRunKernel(id, argLists);
    };
    const parallel = f(x).map(bits);
    const again = f(x).map(bits);
    pool.runKernel = realRunKernel;
    expect(threads).toBe(workers + 1);
    expect(parallel).toEqual(single);
    expect(again).toEqual(single);
  });
});

describe("compiled programs reuse the buffers of their intermediates", () => {
  it("gives an intermediate's buffer to a later kernel, never an input's or an output's", () => {
    const n = 1 << 15; // 128 KiB of float32: pooled
    const x = values([n]);
    // a and b die inside the program; c and d are outputs; e reshapes an intermediate that is returned.
    const f = jit((v: Array) => {
      const a = np.exp(np.sin(v)); // fused: kernel output
      const b = np.matmul(a.reshape([128, 256]), np.ones([256, 256])); // reads a, then a dies
      const c = np.tanh(np.multiply(b, 0.001)); // may take a's or b's buffer
      const d = np.multiply(np.cos(v), 2);
      return [c, d, b.reshape([-1])];
    });
    const reference = onCpu(() => {
      const a = np.exp(np.sin(x));
      const b = np.matmul(a.reshape([128, 256]), np.ones([256, 256]));
      return [np.tanh(np.multiply(b, 0.001)), np.multiply(np.cos(x), 2), b.reshape([-1])];
    });
    const xBefore = bits(x);
    const first = f(x);
    const firstBits = first.map(bits);
    const second = f(x); // runs with the buffers pooled by the first call
    first.forEach((r, i) => expect(bits(r)).toEqual(firstBits[i])); // earlier outputs untouched
    second.forEach((r, i) => expectClose(r, reference[i], 4e-6));
    expect(bits(x)).toEqual(xBefore); // the input untouched
  });
});

describe("buffer reuse leaves every returned array intact", () => {
  it("an intermediate returned twice, an input returned as it is, results of earlier calls", () => {
    const x = values([1 << 15]);
    const f = jit((v: Array) => {
      const y = np.exp(np.sin(v));
      const dead = np.multiply(np.tanh(y), 3); // dies inside the program: its buffer is pooled
      return [y, y, v, np.add(dead, 1)];
    });
    const first = f(x);
    const firstBits = first.map(bits);
    for (let i = 0; i < 3; i++) {
      const again = f(x);
      again.forEach((r, k) => expect(bits(r)).toEqual(firstBits[k]));
    }
    first.forEach((r, k) => expect(bits(r)).toEqual(firstBits[k]));
    expect(bits(first[2])).toEqual(bits(x));
  });
});

describe("runProgram", () => {
  it("pools the buffers of dead intermediates and hands them to later kernels", () => {
    const x = values([1 << 15]);
    const f = (v: Array) => {
      const a = np.exp(np.sin(v));
      const b = np.add(np.matmul(a.reshape([128, 256]), np.ones([256, 256])).reshape([-1]), 1); // a dies
      return np.sum(np.tanh(np.multiply(b, 0.001))); // a scalar: the pooled buffers stay in the pool
    };
    const program = fuseKernels(optimize(makeJaxpr(f)(x).jaxpr));
    const [first] = runProgram(program, [x]);
    const pool = programPool(program)!;
    const held = pool.heldBytes;
    expect(held).toBeGreaterThanOrEqual(x.size * 4); // at least a's buffer came back
    const [second] = runProgram(program, [x]);
    expect(pool.heldBytes).toBe(held); // the second call took its buffers from the pool and gave them back
    expect(bits(second)).toEqual(bits(first));
    expectClose(
      second,
      onCpu(() => f(x)),
      4e-6,
    );
  });
});
