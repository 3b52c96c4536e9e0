/**
 * The composition matrix: transformations nested in every order on a few
 * nontrivial functions, checked against closed-form derivatives computed in JS
 * float64 (or against each other where the point is that two paths agree).
 *
 * Inputs are float64 arrays so that the only differences from the closed forms
 * are float64 rounding: a handful of operations, each within 1 ulp, so errors
 * stay below ~1e-15 relative. TOL = 1e-13 (relative to max(1, |expected|))
 * leaves two orders of magnitude of headroom and still catches any real bug
 * (a float32 round-trip alone would show up as ~1e-8).
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  Array as NdArray,
  checkGrads,
  config,
  FloatingPointError,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  lax,
  linearize,
  makeJaxpr,
  numpy as np,
  stopGradient,
  tree,
  valueAndGrad,
  vjp,
  vmap,
} from "../src/index.js";

const TOL = 1e-13;

type Nested = number | Nested[];

const f64 = (x: Nested): NdArray => np.array(x as number[], "float64");

function flat(x: unknown): number[] {
  if (x instanceof NdArray) return Array.from(x.dataSync() as ArrayLike<number>);
  if (typeof x === "number") return [x];
  if (Array.isArray(x)) return x.flatMap(flat);
  throw new Error(`flat: unexpected ${String(x)}`);
}

function shapeOf(x: Nested): number[] {
  return Array.isArray(x) ? [x.length, ...shapeOf(x[0])] : [];
}

/** `actual` (an array) equals `expected` (nested numbers) in shape, and in value to TOL·max(1, |e|). */
function expectClose(actual: unknown, expected: Nested, tol = TOL): void {
  expect(actual).toBeInstanceOf(NdArray);
  const a = actual as NdArray;
  expect(a.shape).toEqual(shapeOf(expected));
  const got = flat(a);
  const want = flat(expected);
  got.forEach((g, i) => {
    expect(Math.abs(g - want[i]), `element ${i}: got ${g}, expected ${want[i]}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(want[i])),
    );
  });
}

// --- the functions and their closed-form derivatives --------------------------

/** f(x) = x·sin(x) and its first three derivatives. */
const f = (x: NdArray): NdArray => np.multiply(x, np.sin(x));
const d1 = (x: number) => Math.sin(x) + x * Math.cos(x);
const d2 = (x: number) => 2 * Math.cos(x) - x * Math.sin(x);
const d3 = (x: number) => -3 * Math.sin(x) - x * Math.cos(x);

/** h(v) = log(sum(exp(W v))): sum, exp, log and matmul. grad = Wᵀp, Hessian = Wᵀ(diag(p) − ppᵀ)W with p = softmax(Wv). */
const Wn = [
  [0.3, -0.2, 0.5],
  [0.1, 0.4, -0.6],
];
const W = f64(Wn);
const h = (v: NdArray): NdArray => np.log(np.sum(np.exp(np.matmul(W, v))));
const vn = [0.2, -0.4, 0.9];

function softmaxAt(v: number[]): number[] {
  const z = Wn.map((row) => row.reduce((s, w, j) => s + w * v[j], 0));
  const e = z.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}
function hValue(v: number[]): number {
  const z = Wn.map((row) => row.reduce((s, w, j) => s + w * v[j], 0));
  return Math.log(z.map(Math.exp).reduce((a, b) => a + b, 0));
}
function hGrad(v: number[]): number[] {
  const p = softmaxAt(v);
  return [0, 1, 2].map((j) => Wn.reduce((s, row, i) => s + row[j] * p[i], 0));
}
function hHessian(v: number[]): number[][] {
  const p = softmaxAt(v);
  const m = p.map((pi, i) => p.map((pj, k) => (i === k ? pi : 0) - pi * pj));
  return [0, 1, 2].map((a) =>
    [0, 1, 2].map((b) => Wn.reduce((s, ri, i) => s + Wn.reduce((t, rk, k) => t + ri[a] * m[i][k] * rk[b], 0), 0)),
  );
}

/** A pytree-argument function: loss({w, b}, x) = sum(tanh(w·x + b)). */
interface Params {
  w: NdArray;
  b: NdArray;
}
const loss = (p: Params, x: NdArray): NdArray => np.sum(np.tanh(np.add(np.multiply(p.w, x), p.b)));
const wn = [0.5, -1.2, 0.8];
const bn = 0.3;
const xn = [1.5, 0.4, -0.7];
const params = (): Params => ({ w: f64(wn), b: f64(bn) });
const tn = wn.map((w, i) => Math.tanh(w * xn[i] + bn));
const sech2 = tn.map((t) => 1 - t * t);
const lossValue = tn.reduce((a, b) => a + b, 0);
const dLossDw = sech2.map((s, i) => s * xn[i]);
const dLossDb = sech2.reduce((a, b) => a + b, 0);
const dLossDx = sech2.map((s, i) => s * wn[i]);

// --- grad, to third order -------------------------------------------------------

describe("grad∘grad", () => {
  it("differentiates x·sin(x) to third order", () => {
    const g1 = grad(f);
    const g2 = grad(g1);
    const g3 = grad(g2);
    for (const x of [0.7, -1.3, 2.5]) {
      expectClose(g1(f64(x)), d1(x));
      expectClose(g2(f64(x)), d2(x));
      expectClose(g3(f64(x)), d3(x));
    }
  });

  it("differentiates a pytree function twice (the b-gradient, then its gradient w.r.t. {w, b})", () => {
    const x = f64(xn);
    const dB = (p: Params) => (grad(loss)(p, x) as Params).b;
    const second = grad(dB)(params()) as Params;
    // d/dw_i Σ sech²(z) = −2 t_i sech²(z_i) x_i, d/db Σ sech²(z) = Σ −2 t sech²(z).
    expectClose(
      second.w,
      tn.map((t, i) => -2 * t * sech2[i] * xn[i]),
    );
    expectClose(
      second.b,
      tn.reduce((s, t, i) => s - 2 * t * sech2[i], 0),
    );
  });
});

describe("vmap and grad", () => {
  const xs = [0.1, 0.5, -1.2, 2.0];

  it("vmap∘grad equals the elementwise derivative", () => {
    expectClose(vmap(grad(f))(f64(xs)), xs.map(d1));
    expectClose(vmap(grad(grad(f)))(f64(xs)), xs.map(d2));
  });

  it("grad∘vmap: the gradient of the sum of a vmapped function", () => {
    expectClose(grad((v: NdArray) => np.sum(vmap(f)(v)))(f64(xs)), xs.map(d1));
  });

  it("vmap∘grad of a pytree function, batching x only", () => {
    const xsB = [xn, [0.2, -0.3, 1.1]];
    const g = vmap((p: Params, x: NdArray) => grad(loss)(p, x) as Params, {
      inAxes: [null, 0],
    })(params(), f64(xsB));
    const expectRow = (x: number[]) => wn.map((w, i) => (1 - Math.tanh(w * x[i] + bn) ** 2) * x[i]);
    expectClose(g.w, xsB.map(expectRow));
    expectClose(
      g.b,
      xsB.map((x) => wn.reduce((s, w, i) => s + 1 - Math.tanh(w * x[i] + bn) ** 2, 0)),
    );
  });
});

describe("jit and grad", () => {
  it("jit∘grad, grad∘jit and grad∘grad∘jit", () => {
    const x = 0.7;
    expectClose(jit(grad(f))(f64(x)), d1(x));
    expectClose(grad(jit(f))(f64(x)), d1(x));
    expectClose(grad(grad(jit(f)))(f64(x)), d2(x));
    expectClose(jit(grad(grad(f)))(f64(x)), d2(x));
    expectClose(grad(jit(grad(f)))(f64(x)), d2(x));
  });

  it("jit∘grad on the vector and pytree functions", () => {
    expectClose(jit(grad(h))(f64(vn)), hGrad(vn));
    const g = jit(grad(loss, { argnums: [0, 1] }))(params(), f64(xn)) as [Params, NdArray];
    expectClose(g[0].w, dLossDw);
    expectClose(g[0].b, dLossDb);
    expectClose(g[1], dLossDx);
  });

  it("jit∘vmap∘grad", () => {
    const xs = [0.1, 0.5, -1.2, 2.0];
    expectClose(jit(vmap(grad(f)))(f64(xs)), xs.map(d1));
    expectClose(vmap(jit(grad(f)))(f64(xs)), xs.map(d1));
  });
});

describe("Hessians", () => {
  it("jacfwd∘jacrev, jacrev∘jacrev, jacfwd∘jacfwd and hessian agree with the closed form", () => {
    const v = f64(vn);
    const want = hHessian(vn);
    expectClose(jacfwd(jacrev(h))(v), want);
    expectClose(jacrev(jacrev(h))(v), want);
    expectClose(jacfwd(jacfwd(h))(v), want);
    expectClose(hessian(h)(v), want);
    expectClose(jacrev(grad(h))(v), want);
  });

  it("jacfwd and jacrev of the gradient give the Jacobian of a vector function", () => {
    const v = f64(vn);
    // The gradient map R³ → R³ has the Hessian as its Jacobian.
    expectClose(jacfwd(grad(h))(v), hHessian(vn));
    // The Jacobian of v ↦ W v is W, in both modes.
    expectClose(jacfwd((u: NdArray) => np.matmul(W, u))(v), Wn);
    expectClose(jacrev((u: NdArray) => np.matmul(W, u))(v), Wn);
  });

  it("hessian of the pytree function w.r.t. b", () => {
    const hb = hessian((b: NdArray) => loss({ w: f64(wn), b }, f64(xn)))(f64(bn));
    expectClose(
      hb,
      tn.reduce((s, t, i) => s - 2 * t * sech2[i], 0),
    );
  });
});

describe("vmap", () => {
  const A = [
    [1, 2, 3],
    [4, 5, 6],
  ];

  it("vmap∘vmap maps over two axes", () => {
    const X = [
      [0.3, -1.1],
      [2.2, 0.4],
      [-0.5, 1.7],
    ];
    expectClose(
      vmap(vmap(f))(f64(X)),
      X.map((r) => r.map((x) => x * Math.sin(x))),
    );
    // Pairwise dot products: vmap over rows of Xs, then over rows of Ys, equals Xs Ysᵀ.
    const Xs = [
      [1, 2],
      [3, -1],
    ];
    const Ys = [
      [0.5, 0.25],
      [-2, 1],
      [1, 1],
    ];
    const pair = vmap((x: NdArray) => vmap((y: NdArray) => np.dot(x, y))(f64(Ys)))(f64(Xs));
    expectClose(
      pair,
      Xs.map((x) => Ys.map((y) => x[0] * y[0] + x[1] * y[1])),
    );
    // The inner vmap over axis 1, the outer over axis 0: vmap(vmap(g, {inAxes: 1}))(A)[i][j] = g(A[i][:, j]).
    const B = [A, A.map((r) => r.map((x) => 10 * x))];
    expectClose(
      vmap(vmap((c: NdArray) => np.sum(c), { inAxes: 1 }))(f64(B)),
      B.map((m) => [0, 1, 2].map((j) => m[0][j] + m[1][j])),
    );
  });

  it("inAxes null, negative and pytree prefixes", () => {
    const scale = [1, 10, 100];
    expectClose(
      vmap((x: NdArray, s: NdArray) => np.multiply(x, s), {
        inAxes: [0, null],
      })(f64(A), f64(scale)),
      A.map((r) => r.map((x, j) => x * scale[j])),
    );
    expectClose(vmap((c: NdArray) => np.sum(c), { inAxes: -1 })(f64(A)), [5, 7, 9]);
    expectClose(vmap((c: NdArray) => np.sum(c), { inAxes: -2 })(f64(A)), [6, 15]);
    // {w: 0, b: null}: w is batched, b is shared; x is batched.
    const out = vmap((p: Params, x: NdArray) => np.add(np.multiply(p.w, x), p.b), { inAxes: [{ w: 0, b: null }, 0] })(
      { w: f64([1, 2]), b: f64(10) },
      f64([3, 4]),
    );
    expectClose(out, [13, 18]);
    // A single number prefix for a whole pytree argument.
    const both = vmap((p: Params) => np.add(p.w, p.b), { inAxes: [0] })({
      w: f64([1, 2]),
      b: f64([10, 20]),
    });
    expectClose(both, [11, 22]);
  });

  it("outAxes 1, -1, null and pytree prefixes", () => {
    const doubled = vmap((x: NdArray) => np.multiply(x, 2), { outAxes: 1 })(f64(A));
    expectClose(doubled, [
      [2, 8],
      [4, 10],
      [6, 12],
    ]);
    const stacked = vmap((x: NdArray) => np.stack([x, np.multiply(x, 2)]), {
      outAxes: -1,
    })(f64([1, 2, 3]));
    expectClose(stacked, [
      [1, 2, 3],
      [2, 4, 6],
    ]);
    const tr = vmap((x: NdArray, y: NdArray) => [np.sum(x), y], {
      inAxes: [0, null],
      outAxes: [0, null],
    })(f64(A), f64(5)) as NdArray[];
    expectClose(tr[0], [6, 15]);
    expectClose(tr[1], 5);
    const obj = vmap((x: NdArray) => ({ a: x, b: np.stack([x, np.negative(x)]) }), { outAxes: { a: 0, b: 1 } })(
      f64([1, 2]),
    );
    expectClose(obj.a, [1, 2]);
    expectClose(obj.b, [
      [1, 2],
      [-1, -2],
    ]);
  });

  it("axisSize batches a function of no batched input", () => {
    expectClose(vmap(() => f64(3), { inAxes: [], axisSize: 4 })(), [3, 3, 3, 3]);
  });
});

describe("forward mode", () => {
  it("linearize agrees with jvp (scalar, vector and pytree functions)", () => {
    const [y, fLin] = linearize(f, f64(0.7));
    const [y2, t2] = jvp(f, [f64(0.7)], [f64(2)]);
    expectClose(y, 0.7 * Math.sin(0.7));
    expectClose(fLin(f64(2)), 2 * d1(0.7));
    expectClose(y2, 0.7 * Math.sin(0.7));
    expectClose(t2, 2 * d1(0.7));

    const dir = [1, -2, 0.5];
    const [hy, hLin] = linearize(h, f64(vn));
    const [, ht] = jvp(h, [f64(vn)], [f64(dir)]);
    const want = hGrad(vn).reduce((s, g, i) => s + g * dir[i], 0);
    expectClose(hy, hValue(vn));
    expectClose(hLin(f64(dir)), want);
    expectClose(ht, want);

    const tp = { w: f64([1, 0, -1]), b: f64(2) };
    const tx = f64([0.5, 0.5, 0.5]);
    const [ly, lLin] = linearize(loss, params(), f64(xn));
    const [, lt] = jvp(loss, [params(), f64(xn)], [tp, tx]);
    const lWant =
      [1, 0, -1].reduce((s, d, i) => s + d * dLossDw[i], 0) + 2 * dLossDb + dLossDx.reduce((s, g) => s + 0.5 * g, 0);
    expectClose(ly, lossValue);
    expectClose(lLin(tp, tx), lWant);
    expectClose(lt, lWant);
  });

  it("jvp of grad (forward-over-reverse) gives the Hessian-vector product", () => {
    const dir = [1, -2, 0.5];
    const [, hv] = jvp(grad(h), [f64(vn)], [f64(dir)]);
    expectClose(
      hv,
      hHessian(vn).map((row) => row.reduce((s, x, j) => s + x * dir[j], 0)),
    );
  });
});

describe("valueAndGrad and vjp", () => {
  it("valueAndGrad with argnums arrays", () => {
    const [v, g] = valueAndGrad(loss, { argnums: [0, 1] })(params(), f64(xn)) as [NdArray, [Params, NdArray]];
    expectClose(v, lossValue);
    expectClose(g[0].w, dLossDw);
    expectClose(g[0].b, dLossDb);
    expectClose(g[1], dLossDx);
    // argnums [1] gives a one-element array; negative argnums count from the end.
    const [, g1] = valueAndGrad(loss, { argnums: [1] })(params(), f64(xn)) as [NdArray, NdArray[]];
    expect(g1).toHaveLength(1);
    expectClose(g1[0], dLossDx);
    expectClose(grad(loss, { argnums: -1 })(params(), f64(xn)), dLossDx);
  });

  it("valueAndGrad and grad with hasAux pass aux through", () => {
    const withAux = (p: Params, x: NdArray) => {
      const l = loss(p, x);
      return [l, { pred: np.multiply(x, 2), note: [l] }];
    };
    const [[v, aux], g] = valueAndGrad(withAux, {
      argnums: [0, 1],
      hasAux: true,
    })(params(), f64(xn)) as [[NdArray, { pred: NdArray; note: NdArray[] }], [Params, NdArray]];
    expectClose(v, lossValue);
    expectClose(
      aux.pred,
      xn.map((x) => 2 * x),
    );
    expectClose(aux.note[0], lossValue);
    expectClose(g[0].w, dLossDw);
    expectClose(g[1], dLossDx);
    const [gw, aux2] = grad(withAux, { hasAux: true })(params(), f64(xn)) as [Params, { pred: NdArray }];
    expectClose(gw.b, dLossDb);
    expectClose(
      aux2.pred,
      xn.map((x) => 2 * x),
    );
  });

  it("vjp with pytree outputs and inputs", () => {
    const xs = [0.1, 0.5, -1.2];
    const fn = (x: NdArray, p: Params) => ({
      a: np.sin(x),
      b: [np.multiply(p.w, x), np.sum(np.multiply(x, p.b))],
    });
    const [out, pullback] = vjp(fn, f64(xs), { w: f64([1, 2, 3]), b: f64(2) });
    expectClose(out.a, xs.map(Math.sin));
    expectClose(
      out.b[0],
      xs.map((x, i) => (i + 1) * x),
    );
    expectClose(out.b[1], 2 * xs.reduce((a, b) => a + b, 0));
    const ctA = [1, -1, 0.5];
    const ctB0 = [2, 0, 1];
    const ctB1 = 3;
    const [cx, cp] = pullback({ a: f64(ctA), b: [f64(ctB0), f64(ctB1)] }) as [NdArray, Params];
    // x̄ = ctA·cos x + ctB0·w + ctB1·b;  w̄ = ctB0·x;  b̄ = ctB1·Σx.
    expectClose(
      cx,
      xs.map((x, i) => ctA[i] * Math.cos(x) + ctB0[i] * (i + 1) + ctB1 * 2),
    );
    expectClose(
      cp.w,
      xs.map((x, i) => ctB0[i] * x),
    );
    expectClose(cp.b, ctB1 * xs.reduce((a, b) => a + b, 0));
    // The pullback can be called again with another cotangent.
    const [cx2] = pullback({
      a: f64([0, 0, 0]),
      b: [f64([0, 0, 0]), f64(1)],
    }) as unknown as [NdArray];
    expectClose(cx2, [2, 2, 2]);
  });
});

describe("jit caching and static arguments", () => {
  it("traces once per new shape, dtype, weak type, structure or static value, not per call", () => {
    let traces = 0;
    const fn = jit((x: NdArray | number) => {
      traces++;
      return np.sin(x);
    });
    fn(np.ones([2]));
    fn(np.ones([2]));
    fn(np.zeros([2]));
    expect(fn.cacheSize()).toBe(1);
    fn(np.ones([3]));
    expect(fn.cacheSize()).toBe(2);
    fn(np.ones([3], "float64"));
    fn(np.ones([3], "float64"));
    expect(fn.cacheSize()).toBe(3);
    // A JS number is a weakly typed f32[], a different signature from a strong f32[].
    fn(1.0);
    fn(2.0);
    expect(fn.cacheSize()).toBe(4);
    fn(np.array(1.0));
    expect(fn.cacheSize()).toBe(5);
    expect(traces).toBe(5);

    const tr = jit((p: { a: NdArray; b?: NdArray }) => (p.b ? np.add(p.a, p.b) : p.a));
    tr({ a: np.ones([2]) });
    tr({ a: np.ones([2]), b: np.ones([2]) });
    tr({ a: np.zeros([2]), b: np.ones([2]) });
    expect(tr.cacheSize()).toBe(2);
  });

  it("staticArgnums: JS control flow on a static value, one trace per value", () => {
    let traces = 0;
    const power = jit(
      (x: NdArray, n: number) => {
        traces++;
        let y = np.onesLike(x);
        for (let i = 0; i < n; i++) y = np.multiply(y, x);
        return y;
      },
      { staticArgnums: 1 },
    );
    expectClose(power(f64(1.5), 3), 1.5 ** 3);
    expectClose(power(f64(2), 3), 8);
    expectClose(power(f64(2), 5), 32);
    expectClose(power(f64(2), 3), 8);
    expect(power.cacheSize()).toBe(2);
    expect(traces).toBe(2);
    // Differentiating through a jitted function with a static argument.
    expectClose(grad((x: NdArray) => power(x, 4))(f64(1.5)), 4 * 1.5 ** 3);

    const modes = jit((x: NdArray, opts: { mode: string }) => (opts.mode === "sin" ? np.sin(x) : np.cos(x)), {
      staticArgnums: [-1],
    });
    expectClose(modes(f64(0.5), { mode: "sin" }), Math.sin(0.5));
    expectClose(modes(f64(0.5), { mode: "cos" }), Math.cos(0.5));
    expectClose(modes(f64(0.5), { mode: "sin" }), Math.sin(0.5));
    expect(modes.cacheSize()).toBe(2);
  });
});

describe("stopGradient", () => {
  it("blocks the derivative through its argument, in every order", () => {
    const x = f64(3);
    // d/dx [sg(x)·x] = sg(x) = 3; the second derivative is 0 (the sg(x) factor is a constant).
    expectClose(grad((u: NdArray) => np.multiply(stopGradient(u), u))(x), 3);
    expectClose(grad(grad((u: NdArray) => np.multiply(stopGradient(u), np.multiply(u, u))))(x), 6);
    expectClose(grad((u: NdArray) => np.sum(stopGradient(np.multiply(u, u))))(x), 0);
    // Under vmap and jit too, and with jvp.
    expectClose(vmap(grad((u: NdArray) => np.multiply(stopGradient(np.sin(u)), u)))(f64([0.5, 1])), [
      Math.sin(0.5),
      Math.sin(1),
    ]);
    expectClose(jit(grad((u: NdArray) => np.add(stopGradient(u), u)))(x), 1);
    expectClose(jvp((u: NdArray) => stopGradient(np.exp(u)), [x], [f64(1)])[1], 0);
    // The value passes through unchanged.
    expectClose(stopGradient(f64([1, 2])), [1, 2]);
  });
});

describe("JS control flow under grad", () => {
  const piecewise = (x: NdArray): NdArray =>
    x > (0 as unknown as NdArray) ? np.multiply(x, x) : np.multiply(np.sin(x), 3);

  it("branches on the concrete primal value, as Python control flow under jax.grad", () => {
    expectClose(grad(piecewise)(f64(1.5)), 3);
    expectClose(grad(piecewise)(f64(-0.5)), 3 * Math.cos(-0.5));
    expectClose(grad(grad(piecewise))(f64(1.5)), 2);
    expectClose(grad(grad(piecewise))(f64(-0.5)), -3 * Math.sin(-0.5));
    expectClose(jvp(piecewise, [f64(2)], [f64(1)])[1], 4);
  });

  it("loops whose trip count depends on the value (Newton's method for √a)", () => {
    // sqrt(a) by Newton iterations until converged: the derivative flows through every step
    // and equals 1/(2√a) to the precision of the converged iterate.
    const newtonSqrt = (a: NdArray): NdArray => {
      let y = np.onesLike(a);
      for (let i = 0; i < 100 && Math.abs(Number(np.subtract(np.multiply(y, y), a))) > 1e-15; i++) {
        y = np.multiply(0.5, np.add(y, np.divide(a, y)));
      }
      return y;
    };
    expectClose(newtonSqrt(f64(2)), Math.SQRT2);
    // The derivative of the unrolled iteration converges quadratically too; 1e-12 allows for the
    // last iterate's 1e-16 residual being amplified by the few Newton steps' derivatives.
    expectClose(grad(newtonSqrt)(f64(2)), 1 / (2 * Math.SQRT2), 1e-12);
  });
});

describe("checkGrads", () => {
  it("passes at order 2 on the test functions (fwd and rev)", () => {
    expect(() => checkGrads(f, [f64(0.7)], 2)).not.toThrow();
    expect(() => checkGrads(h, [f64(vn)], 2)).not.toThrow();
    expect(() => checkGrads(loss, [params(), f64(xn)], 2)).not.toThrow();
    expect(() =>
      checkGrads(
        (a: NdArray, b: NdArray) => np.divide(np.exp(a), np.add(1, np.multiply(b, b))),
        [f64([0.3, -0.2]), f64([1.5, 0.5])],
        2,
      ),
    ).not.toThrow();
    expect(() => checkGrads(jit(grad(f)), [f64(1.1)], 2)).not.toThrow();
    expect(() => checkGrads(vmap(f), [f64([0.1, 0.2, 0.3])], 2)).not.toThrow();
  });

  it("catches a wrong derivative (stopGradient makes autodiff disagree with finite differences)", () => {
    const wrong = (x: NdArray) => np.multiply(stopGradient(x), x);
    expect(() => checkGrads(wrong, [f64(0.7)], 1, { modes: ["fwd"] })).toThrow(
      /jvp tangent vs finite differences does not match/,
    );
  });
});

describe("makeJaxpr", () => {
  // Expected texts are what `jax.make_jaxpr` prints for the same functions, with one difference:
  // JAX ≥ 0.6 shows `accuracy=None` on transcendental primitives (`sin[accuracy=None] a`),
  // which this library does not have. Inputs are float32, as in JAX without x64.
  it("x·sin(x)", () => {
    expect(String(makeJaxpr((x: NdArray) => np.multiply(x, np.sin(x)))(1.0))).toBe(
      "{ lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = mul a b in (c,) }",
    );
  });

  it("a weak-typed literal", () => {
    expect(String(makeJaxpr((x: NdArray) => np.sin(x).mul(2))(1.0))).toBe(
      "{ lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = mul b 2.0:f32[] in (c,) }",
    );
    expect(String(makeJaxpr((x: NdArray) => np.add(x, 1))(np.arange(3)))).toBe(
      "{ lambda ; a:i32[3]. let b:i32[3] = add a 1:i32[] in (b,) }",
    );
  });

  it("a reduction, on several lines when it does not fit in 80 columns", () => {
    expect(String(makeJaxpr((x: NdArray) => np.sum(np.exp(x)))(np.ones([3])))).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[3] = exp a",
        "    c:f32[] = reduce_sum[axes=(0,) out_sharding=None] b",
        "  in (c,) }",
      ].join("\n"),
    );
  });

  it("pytree arguments flatten with sorted keys", () => {
    expect(
      String(
        makeJaxpr((p: { w: NdArray; b: NdArray }, x: NdArray) => np.add(np.multiply(p.w, x), p.b))(
          { w: 2.0, b: 1.0 },
          3.0,
        ),
      ),
    ).toBe(
      ["{ lambda ; a:f32[] b:f32[] c:f32[]. let", "    d:f32[] = mul b c", "    e:f32[] = add d a", "  in (e,) }"].join(
        "\n",
      ),
    );
  });

  it("jvp is traced into the program (sin's rule: t·cos x)", () => {
    expect(String(makeJaxpr((x: NdArray, t: NdArray) => jvp(np.sin, [x], [t]))(1.0, 1.0))).toBe(
      [
        "{ lambda ; a:f32[] b:f32[]. let",
        "    c:f32[] = sin a",
        "    d:f32[] = cos a",
        "    e:f32[] = mul b d",
        "  in (c, e) }",
      ].join("\n"),
    );
  });

  it("an inner jit is one pjit equation carrying its jaxpr and name", () => {
    const text = String(
      makeJaxpr(
        jit(function inner(x: NdArray) {
          return np.sin(x);
        }),
      )(np.ones([3])),
    );
    expect(text).toMatch(
      // JAX's layout: name first, one parameter per line, the inner jaxpr's names continuing the outer ones.
      /b:f32\[3\] = pjit\[\n {6}name=inner\n {6}jaxpr=\{ lambda ; c:f32\[3\]\. let d:f32\[3\] = sin c in \(d,\) \}\n {4}\] a/,
    );
  });
});

describe("debugNans", () => {
  afterEach(() => config.update("debugNans", false));

  it("np.log(-1) throws a FloatingPointError naming log, eagerly and inside jit", () => {
    config.update("debugNans", true);
    expect(() => np.log(-1)).toThrow(FloatingPointError);
    expect(() => np.log(-1)).toThrow(/\[log\] invalid value \(nan\) encountered in log/);
    const jitted = jit((x: NdArray) => np.multiply(np.log(x), 2));
    expect(() => jitted(f64(-1))).toThrow(FloatingPointError);
    expect(() => jitted(f64(-1))).toThrow(/encountered in log/);
    // Finite inputs are unaffected, and a NaN that comes in is not blamed on the operation.
    expectClose(jitted(f64(Math.E)), 2);
    expect(Number.isNaN(Number(np.sin(NaN)))).toBe(true);
    // Under grad, the primal computation is checked too.
    expect(() => grad((x: NdArray) => np.log(x))(f64(-1))).toThrow(FloatingPointError);
  });

  it("names the user's line, also for a NaN inside lax.whileLoop, lax.cond and a jit-fused kernel", () => {
    config.update("debugNans", true);
    const here = /compose\.test\.ts:\d+:\d+/;
    const inLoop = () =>
      lax.whileLoop(
        (c: NdArray) => np.less(c, 1),
        (c: NdArray) => np.add(c, np.log(np.subtract(c, 5))),
        np.array(0),
      );
    const inBranch = () =>
      lax.cond(
        true,
        (a: NdArray) => np.sqrt(a),
        (a: NdArray) => a,
        -4,
      );
    const inJit = () => jit((x: NdArray) => np.multiply(np.log(x), 3))(np.full([2048], -1));
    for (const f of [inLoop, inBranch, inJit]) {
      let message = "";
      try {
        f();
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/invalid value \(nan\)/);
      expect(message).toMatch(here);
      expect(message).not.toMatch(/[\\/]src[\\/]/);
    }
  });

  it("is off by default: NaN is returned", () => {
    expect(Number.isNaN(Number(np.log(-1)))).toBe(true);
    expect(Number.isNaN(Number(jit((x: NdArray) => np.log(x))(f64(-1))))).toBe(true);
  });
});

describe("pytree helpers in compositions", () => {
  it("tree.map over a gradient pytree (an SGD step) keeps the structure", () => {
    const p = params();
    const g = grad(loss)(p, f64(xn)) as Params;
    const next = tree.map(
      (a: unknown, b: unknown) => np.subtract(a as NdArray, np.multiply(b as NdArray, 0.1)),
      p,
      g,
    ) as Params;
    expectClose(
      next.w,
      wn.map((w, i) => w - 0.1 * dLossDw[i]),
    );
    expectClose(next.b, bn - 0.1 * dLossDb);
  });
});
