/**
 * Every primitive against every backend: each declared primitive has all its
 * rules, and each one that lowers runs on every available backend with the
 * same values as on cpu (the reference), for operands met in real programs.
 *
 * The equations come from tracing a corpus of programs (forward, gradients and
 * batched) that together use every primitive; a primitive missing from the
 * corpus fails the coverage test, so a new primitive cannot go unchecked.
 */
import { describe, expect, it } from "vitest";
import {
  grad,
  jit,
  jvp,
  lax,
  makeJaxpr,
  nn,
  numpy as np,
  random,
  scipy,
  vmap,
  Array as NdArray,
} from "../src/index.js";
import { availableBackends, type Backend } from "../src/backends/api.js";
import { cpuBackend } from "../src/backends/cpu/backend.js";
import { wasmThresholds } from "../src/backends/wasm/routines.js";
import { ShapedArray } from "../src/core/aval.js";
import { HostBuffer } from "../src/core/buffer.js";
import { allocate, type TypedArray } from "../src/core/dtypes.js";
import { registeredPrimitives, type Primitive } from "../src/core/primitive.js";
import { ClosedJaxpr, type Jaxpr, type JaxprEqn } from "../src/ir/jaxpr.js";
import type { Routine } from "../src/kernel/routines.js";

type F = (...xs: NdArray[]) => unknown;
const x34 = np.linspace(0.1, 0.9, 12).reshape(3, 4);
const x4 = np.linspace(0.2, 0.8, 4);
const i4 = np.array([2, 0, 3, 1], "int32");
const b4 = np.array([true, false, true, true]);
/** A symmetric positive-definite 4×4 matrix: AᵀA + 4I. */
const spd4 = np.add(np.matmul(x34.T, x34), np.multiply(np.eye(4), 4));

/** Programs that together use every primitive (their jaxprs, and those of their gradients). */
const CORPUS: [string, F, NdArray[]][] = [
  ["unary math", (x) => [np.sin(x), np.cos(x), np.tan(x), np.arcsin(x), np.arccos(x), np.arctan(x)], [x34]],
  [
    "hyperbolic",
    (x) => [np.sinh(x), np.cosh(x), np.tanh(x), np.arcsinh(x), np.arccosh(np.add(x, 1)), np.arctanh(x)],
    [x34],
  ],
  ["exp and log", (x) => [np.exp(x), np.exp2(x), np.log(x), np.log1p(x), np.expm1(x), nn.sigmoid(x)], [x34]],
  [
    "roots and rounding",
    (x) => [
      np.sqrt(x),
      lax.rsqrt(x),
      np.cbrt(x),
      np.abs(x),
      np.sign(x),
      np.floor(x),
      np.ceil(x),
      lax.round(x),
      np.round(x),
      np.trunc(x),
    ],
    [x34],
  ],
  [
    "special",
    (x) => [lax.erf(x), lax.erfc(x), lax.erfInv(x), lax.lgamma(x), lax.digamma(x), lax.polygamma(2, x), np.isfinite(x)],
    [x34],
  ],
  [
    "binary",
    (x, y) => [
      np.add(x, y),
      np.subtract(x, y),
      np.multiply(x, y),
      np.divide(x, y),
      np.remainder(x, y),
      np.power(x, y),
      np.maximum(x, y),
      np.minimum(x, y),
      np.arctan2(x, y),
    ],
    [x34, x4],
  ],
  [
    "compare",
    (x, y) => [
      np.equal(x, y),
      np.notEqual(x, y),
      np.less(x, y),
      np.lessEqual(x, y),
      np.greater(x, y),
      np.greaterEqual(x, y),
    ],
    [x34, x4],
  ],
  [
    "bits",
    (i, b) => [
      np.bitwiseAnd(i, 6),
      np.bitwiseOr(i, 1),
      np.bitwiseXor(i, 3),
      np.leftShift(i, 2),
      np.rightShift(i, 1),
      np.logicalNot(b),
      np.bitwiseNot(i),
    ],
    [i4, b4],
  ],
  ["select and convert", (x, b) => [np.where(b, x, 0), x.astype("int32")], [x4, b4]],
  [
    "shapes",
    (x) => [
      x.reshape(4, 3),
      np.broadcastTo(x4, [3, 4]),
      x.T,
      x.get(np.slice(1, 3)),
      np.pad(x, 1),
      np.concatenate([x, x]),
      np.flip(x, 1),
      np.arange(5),
    ],
    [x34],
  ],
  ["dot", (x) => [np.matmul(x, x.T), np.einsum("ij,kj->ik", x, x)], [x34]],
  [
    "reductions",
    (x, b) => [
      np.sum(x, 0),
      np.max(x, 1),
      np.min(x),
      np.prod(x, 0),
      np.all(b),
      np.any(b),
      np.argmax(x, 1),
      np.argmin(x, 0),
    ],
    [x34, b4],
  ],
  [
    "cumulative and sort",
    (x) => [np.cumsum(x, 1), np.cumprod(x, 0), lax.cummax(x, 1), lax.cummin(x, 0), np.sort(x, 1), np.argsort(x, 0)],
    [x34],
  ],
  [
    "gather and scatter",
    (x, i) => [
      x.get(i.get(np.slice(0, 3))),
      np.take(x4, i),
      x4.at(i).add(1),
      x4.at(i).set(2),
      x4.at(i).mul(3),
      x4.at(i).min(0.5),
      x4.at(i).max(0.5),
    ],
    [x34, i4],
  ],
  [
    "linear solves",
    (x) => [np.linalg.cholesky(x), ...scipy.linalg.luFactor(x), scipy.linalg.solveTriangular(x, x, { lower: true })],
    [spd4],
  ],
  [
    "spectral",
    (x) => [...np.linalg.qr(x), ...np.linalg.svd(x, false), ...np.linalg.eigh(np.matmul(x.T, x))],
    [
      np.array([
        [2, 1, 0],
        [1, 3, 1],
        [0, 1, 4],
        [1, 0, 1],
      ]),
    ],
  ],
  [
    "convolution and windows",
    (x) => [
      lax.convGeneralDilated(x.reshape(1, 1, 3, 4), np.ones([2, 1, 2, 2]), [1, 1], "SAME"),
      lax.reduceWindow(x, 0, "add", [2, 2], [1, 1], "VALID"),
      lax.reduceWindow(x, -Infinity, "max", [2, 2], [1, 1], "VALID"),
      lax.reduceWindow(
        x,
        Infinity,
        "min",
        [2, 2],
        [1, 2],
        [
          [1, 0],
          [0, 1],
        ],
      ),
      jvp((y: NdArray) => lax.reduceWindow(y, -Infinity, "max", [2, 2], [1, 1], "VALID"), [x], [x])[1] as NdArray,
    ],
    [x34],
  ],
  ["random bits", () => [random.normal(random.key(0), [4]), random.uniform(random.key(1), [3])], []],
];

/** Gradient and batched forms add the primitives of the rules (transposes, scatter-adds, iotas...). */
const gradOf =
  (f: F) =>
  (...xs: NdArray[]) =>
    grad((x: NdArray) => {
      const outs = (f(x, ...xs.slice(1)) as NdArray[]).filter((o) => o.dtype === "float32");
      return outs.reduce((acc: NdArray, o) => np.add(acc, np.sum(o)), np.zeros([]));
    })(xs[0]);

/** Every equation in a jaxpr and in the jaxprs inside its equations' params. */
function equations(j: Jaxpr): JaxprEqn[] {
  const out: JaxprEqn[] = [];
  for (const e of j.eqns) {
    out.push(e);
    for (const v of Object.values(e.params as Record<string, unknown>)) {
      if (v instanceof ClosedJaxpr) out.push(...equations(v.jaxpr));
      if (Array.isArray(v)) for (const w of v) if (w instanceof ClosedJaxpr) out.push(...equations(w.jaxpr));
    }
  }
  return out;
}

function corpusEquations(): JaxprEqn[] {
  const eqns: JaxprEqn[] = [];
  for (const [, f, args] of CORPUS) {
    eqns.push(...equations(makeJaxpr(f)(...args).jaxpr));
    const floats = args.length > 0 && args[0].dtype === "float32";
    if (floats) {
      eqns.push(...equations(makeJaxpr(gradOf(f))(...args).jaxpr));
      eqns.push(...equations(makeJaxpr(vmap(f))(...args.map((a) => np.stack([a, a]))).jaxpr));
    }
  }
  return eqns;
}

const EQUATIONS = corpusEquations();
const LOWERED = registeredPrimitives().filter((p) => p.rules.lower !== undefined);

/** Operand values for an aval: floats in (0.1, 0.9), integers in [0, 3) (valid indices), alternating bools. */
function sample(a: ShapedArray, seed: number): TypedArray {
  const data = allocate(a.dtype, a.size);
  for (let i = 0; i < a.size; i++) {
    const u = ((i * 7919 + seed * 104729) % 1000) / 1000;
    data[i] =
      a.dtype === "bool" ? i % 2 : a.dtype === "float32" || a.dtype === "float64" ? 0.1 + 0.8 * u : Math.floor(3 * u);
  }
  return data;
}

function runOn(backend: Backend, e: JaxprEqn): TypedArray[] | null {
  const inAvals = e.inputs.map((a) => a.aval);
  const outAvals = e.outvars.map((v) => v.aval);
  const r = e.prim.rules.lower!(inAvals, e.params) as Routine;
  const inputs = inAvals.map((a, k) => new HostBuffer(a.dtype, sample(a, k)));
  const outs = backend.routine(r, inputs, inAvals, outAvals);
  return outs === null ? null : outs.map((b) => b.readSync());
}

describe("every primitive has its rules", () => {
  it.each(registeredPrimitives().map((p) => [p.name, p] as [string, Primitive]))("%s", (_name, p) => {
    const r = p.rules;
    expect(typeof r.abstractEval).toBe("function");
    expect(r.lower !== undefined || r.impl !== undefined).toBe(true);
    expect(r.jvp === "zero" || r.jvp === "nondifferentiable" || typeof r.jvp === "function").toBe(true);
    expect(typeof r.vmap).toBe("function");
  });

  it("every primitive that lowers is in the corpus, so every backend runs it below", () => {
    const seen = new Set(EQUATIONS.map((e) => e.prim.name));
    expect(LOWERED.map((p) => p.name).filter((n) => !seen.has(n))).toEqual([]);
  });

  it("the primitives that do not lower are calls or return their operands", () => {
    const impls = registeredPrimitives()
      .filter((p) => p.rules.lower === undefined)
      .map((p) => p.name)
      .sort();
    expect(impls).toEqual(
      [
        "checkpoint",
        "cond",
        "custom_jvp_call",
        "custom_lin",
        "custom_vjp_call",
        "fused_kernel",
        "optimization_barrier",
        "pjit",
        "reshape",
        "scan",
        "stop_gradient",
        "while",
      ].sort(),
    );
  });
});

/** Primitives each backend runs itself, at least for float32 operands. */
const OWN_ROUTINES: Record<string, string[]> = {
  wasm: [
    "add",
    "mul",
    "sin",
    "exp",
    "lt",
    "select_n",
    "dot_general",
    "reduce_sum",
    "reduce_max",
    "sort",
    "cumsum",
    "conv_general_dilated",
  ],
};

describe.each(availableBackends().map((b) => [b.platform, b] as [string, Backend]))(
  "the %s backend runs every lowered primitive as cpu does",
  (_platform, backend) => {
    // Every size takes the backend's own routines (not only large operands).
    const saved = { ...wasmThresholds };
    const byPrimitive = new Map<string, JaxprEqn[]>();
    for (const e of EQUATIONS)
      if (e.prim.rules.lower) byPrimitive.set(e.prim.name, [...(byPrimitive.get(e.prim.name) ?? []), e]);

    it.each([...byPrimitive.keys()].sort())("%s", (name) => {
      Object.assign(wasmThresholds, { elementwise: 0, matmul: 0, fusion: 0 });
      try {
        let ranHere = false;
        for (const e of byPrimitive.get(name)!) {
          const want = runOn(cpuBackend, e)!;
          const own = runOn(backend, e);
          ranHere ||= own !== null;
          const got = own ?? want; // null: this backend leaves it to cpu
          got.forEach((g, k) => {
            const w = want[k];
            expect(g.length).toBe(w.length);
            for (let i = 0; i < w.length; i++) {
              // float32 kernels may differ from the float64 reference by a few ulps.
              const tol = e.outvars[k].aval.dtype === "float32" ? 4e-7 * Math.max(1, Math.abs(w[i])) : 0;
              if (Number.isNaN(w[i])) expect(g[i]).toBeNaN();
              else expect(Math.abs(g[i] - w[i])).toBeLessThanOrEqual(tol);
            }
          });
        }
        // The backend's own routines are really taken (not all left to cpu).
        if ((OWN_ROUTINES[backend.platform] ?? []).includes(name)) expect(ranHere).toBe(true);
      } finally {
        Object.assign(wasmThresholds, saved);
      }
    });
  },
);

it("jit of the corpus gives the eager values (the compiled and fused path runs the same routines)", () => {
  for (const [, f, args] of CORPUS) {
    const eager = f(...args) as NdArray[];
    const compiled = jit(f)(...args) as NdArray[];
    eager.forEach((o, k) => expect(compiled[k].tolist()).toEqual(o.tolist()));
  }
});
