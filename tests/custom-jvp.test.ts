/**
 * customJvp (JAX's `jax.custom_jvp`): the rules of /work/shared/reference/custom-derivatives.md section A (A1.4,
 * A6.3, A9, A10.3, A13) checked through every composition of transformations.
 *
 * As in custom-vjp.test.ts, most rules are deliberately different from the true derivative (sin with tangent
 * 2·cos(x)·t) so that a result that follows the rule shows that the rule was used. Expected values are closed forms
 * in JS float64; tolerances TOL64 / TOL32 are justified in tests/helpers/custom-rules.ts.
 */
import { describe, expect, it } from "vitest";
import {
  checkGrads,
  CotangentError,
  customJvp,
  customVjp,
  grad,
  GradientCheckError,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  linearize,
  makeJaxpr,
  numpy as np,
  stopGradient,
  valueAndGrad,
  vjp,
  vmap,
  Array as NdArray,
} from "../src/index.js";
import { Calls, expectNear, f64, nums, TOL32, TOL64 } from "./helpers/custom-rules.js";

const cos = Math.cos;
const sin = Math.sin;

/** sin with the deliberately doubled rule: tangent 2·cos(x)·t, primal output from sin2 itself. */
function makeSin2(calls?: Calls) {
  const sin2 = customJvp(function sin2(x: NdArray) {
    calls?.hit("f");
    return np.sin(x);
  });
  sin2.defjvp(function sin2_jvp([x]: NdArray[], [t]: NdArray[]) {
    calls?.hit("rule");
    return [sin2(x), np.multiply(np.multiply(2, np.cos(x)), t)];
  });
  return sin2;
}

// --- which function runs when ----------------------------------------------------------------------------------

describe("which of f / rule runs", () => {
  const calls = new Calls();
  const sin2 = makeSin2(calls);

  it("a plain call runs f only", () => {
    calls.reset();
    expectNear(sin2(f64(0.5)), sin(0.5), TOL64, "float64");
    expect(calls.get("f", "rule")).toEqual({ f: 1, rule: 0 });
  });

  it("jit(f) traces f only, once per signature; makeJaxpr shows one custom_jvp_call holding f", () => {
    calls.reset();
    const j = jit(sin2);
    expectNear(j(f64(0.5)), sin(0.5), TOL64);
    expectNear(j(f64(2.5)), sin(2.5), TOL64);
    expect(calls.get("f", "rule")).toEqual({ f: 1, rule: 0 });
    expect(String(makeJaxpr(sin2)(f64(0.5)))).toMatch(
      /custom_jvp_call\[\n\s+name=sin2?\n\s+call_jaxpr=\{ lambda ; c:f64\[\]\. let d:f64\[\] = sin c in \(d,\) \}/,
    );
  });

  it("jvp and grad run the rule once (its primal output calls f once) (A13.3, A13.4)", () => {
    calls.reset();
    const [y, t] = jvp(sin2, [f64(0.5)], [f64(3)]);
    expectNear(y, sin(0.5), TOL64);
    expectNear(t, 6 * cos(0.5), TOL64);
    expect(calls.get("f", "rule")).toEqual({ f: 1, rule: 1 });
    calls.reset();
    expectNear(grad(sin2)(f64(0.5)), 2 * cos(0.5), TOL64);
    expect(calls.get("f", "rule")).toEqual({ f: 1, rule: 1 });
  });

  it("linearize runs the rule once; applying the linear function reruns nothing", () => {
    calls.reset();
    const [y, lin] = linearize(sin2, f64(0.5));
    expectNear(y, sin(0.5), TOL64);
    expect(calls.get("f", "rule")).toEqual({ f: 1, rule: 1 });
    expectNear(lin(f64(1)), 2 * cos(0.5), TOL64);
    expectNear(lin(f64(-2)), -4 * cos(0.5), TOL64);
    expect(calls.get("f", "rule")).toEqual({ f: 1, rule: 1 });
  });

  it("vjp's pullback can be applied repeatedly without rerunning the rule", () => {
    calls.reset();
    const [, pullback] = vjp(sin2, f64(0.5));
    expectNear(pullback(f64(1))[0], 2 * cos(0.5), TOL64);
    expectNear(pullback(f64(3))[0], 6 * cos(0.5), TOL64);
    expect(calls.get("f", "rule")).toEqual({ f: 1, rule: 1 });
  });

  it("no rule runs when no input carries a tangent (A9.1): constants, stopGradient, other argnums", () => {
    calls.reset();
    expectNear(grad((x: NdArray) => np.add(x, sin2(f64(2))))(f64(0.5)), 1, TOL64);
    const [, t] = jvp((x: NdArray) => np.add(x, sin2(f64(2))), [f64(0.5)], [f64(1)]);
    expectNear(t, 1, TOL64);
    expectNear(grad((x: NdArray) => np.add(x, sin2(stopGradient(x))))(f64(0.5)), 1, TOL64);
    expectNear(grad((x: NdArray, y: NdArray) => np.multiply(x, sin2(y)))(f64(2), f64(0.5)), sin(0.5), TOL64);
    expect(calls.get("rule")).toEqual({ rule: 0 });
  });

  it("under vmap, f and the rule see per-example shapes (A13.5)", () => {
    const seen: string[] = [];
    const m = customJvp((w: NdArray, x: NdArray) => {
      seen.push(`f w${w.shape} x${x.shape}`);
      return np.multiply(w, x);
    });
    m.defjvp(([w, x]: NdArray[], [tw, tx]: NdArray[]) => {
      seen.push(`rule w${w.shape} x${x.shape} tw${tw.shape} tx${tx.shape}`);
      return [m(w, x), np.add(np.multiply(tw, x), np.multiply(w, tx))];
    });
    const w = f64([1, 2]);
    const xs = f64([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expectNear(
      vmap(m, { inAxes: [null, 0] })(w, xs),
      [
        [1, 4],
        [3, 8],
        [5, 12],
      ],
      TOL64,
    );
    expect(seen.splice(0)).toEqual(["f w2 x2"]);
    const gw = vmap(
      grad((w: NdArray, x: NdArray) => np.sum(m(w, x))),
      { inAxes: [null, 0] },
    )(w, xs);
    expectNear(
      gw,
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      TOL64,
    );
    expect(seen.splice(0)).toEqual(["rule w2 x2 tw2 tx2", "f w2 x2"]);
  });
});

// --- the composition matrix ------------------------------------------------------------------------------------

describe("composition matrix over sin with tangent 2·cos(x)·t", () => {
  const sin2 = makeSin2();
  const xs = [-1.3, 0.2, 2.5];
  const d1 = (x: number) => 2 * cos(x);
  const d2 = (x: number) => -2 * sin(x);

  it("jvp, grad, valueAndGrad, vjp", () => {
    for (const x of xs) {
      const [y, t] = jvp(sin2, [f64(x)], [f64(1)]);
      expectNear(y, sin(x), TOL64, "float64");
      expectNear(t, d1(x), TOL64, "float64");
      expectNear(grad(sin2)(f64(x)), d1(x), TOL64, "float64");
    }
    const [v, g] = valueAndGrad(sin2)(f64(0.7));
    expectNear(v, sin(0.7), TOL64);
    expectNear(g, d1(0.7), TOL64);
    const ct = [1, -2, 0.5];
    expectNear(
      vjp(sin2, f64(xs))[1](f64(ct))[0],
      xs.map((x, i) => d1(x) * ct[i]),
      TOL64,
    );
  });

  it("jacfwd and jacrev: diag(2·cos(x))", () => {
    const want = xs.map((x, i) => xs.map((_, j) => (i === j ? d1(x) : 0)));
    expectNear(jacfwd(sin2)(f64(xs)), want, TOL64);
    expectNear(jacrev(sin2)(f64(xs)), want, TOL64);
  });

  it("hessian, grad∘grad, jvp∘grad, jacrev∘jacrev: differentiate the rule's operations, -2·sin(x) (A10.3)", () => {
    for (const x of xs) {
      expectNear(hessian(sin2)(f64(x)), d2(x), TOL64);
      expectNear(grad(grad(sin2))(f64(x)), d2(x), TOL64);
      expectNear(jvp(grad(sin2), [f64(x)], [f64(1)])[1], d2(x), TOL64);
      expectNear(jacrev(jacrev(sin2))(f64(x)), d2(x), TOL64);
    }
    // JS-number (float32) input.
    expectNear(grad(grad(sin2))(3), d2(3), TOL32, "float32");
  });

  it("jit(grad), grad(jit), jvp(jit), jit(jvp)", () => {
    expectNear(jit(grad(sin2))(f64(0.7)), d1(0.7), TOL64);
    expectNear(grad(jit(sin2))(f64(0.7)), d1(0.7), TOL64);
    expectNear(jvp(jit(sin2), [f64(0.7)], [f64(1)])[1], d1(0.7), TOL64);
    expectNear(jit((x: NdArray) => jvp(sin2, [x], [f64(1)])[1])(f64(0.7)), d1(0.7), TOL64);
    expectNear(grad(jit((x: NdArray) => np.multiply(x, sin2(x))))(f64(0.7)), sin(0.7) + 0.7 * d1(0.7), TOL64);
  });

  it("vmap(grad), grad(vmap), vmap(jvp), jvp(vmap)", () => {
    const want = xs.map(d1);
    expectNear(vmap(grad(sin2))(f64(xs)), want, TOL64);
    expectNear(grad((v: NdArray) => np.sum(vmap(sin2)(v)))(f64(xs)), want, TOL64);
    expectNear(vmap((x: NdArray) => jvp(sin2, [x], [f64(1)])[1])(f64(xs)), want, TOL64);
    expectNear(jvp(vmap(sin2), [f64(xs)], [f64([1, 1, 1])])[1], want, TOL64);
  });

  it("grad(vmap) with a shared (unbatched) parameter: its gradient is summed over the batch", () => {
    // m(w, x) = w·x with tangent 3·tw·x + w·tx: the 3 marks the rule.
    const m = customJvp((w: NdArray, x: NdArray) => np.multiply(w, x));
    m.defjvp(([w, x]: NdArray[], [tw, tx]: NdArray[]) => [
      m(w, x),
      np.add(np.multiply(np.multiply(3, tw), x), np.multiply(w, tx)),
    ]);
    const batch = [
      [1, 2],
      [3, 4],
      [5, 7],
    ];
    const loss = (w: NdArray, x: NdArray) => np.sum(vmap(m, { inAxes: [null, 0] })(w, x));
    const [gw, gx] = grad(loss, { argnums: [0, 1] })(f64([1, 2]), f64(batch)) as NdArray[];
    expectNear(gw, [3 * 9, 3 * 13], TOL64);
    expectNear(
      gx,
      batch.map(() => [1, 2]),
      TOL64,
    );
    // Forward mode over the same batch: jvp along w only.
    const [, t] = jvp((w: NdArray) => loss(w, f64(batch)), [f64([1, 2])], [f64([1, 0])]);
    expectNear(t, 27, TOL64);
  });

  it("linearize under jit and vmap", () => {
    expectNear(jit((x: NdArray) => linearize(sin2, x)[1](f64(2)))(f64(0.7)), 2 * d1(0.7), TOL64);
    expectNear(vmap((x: NdArray) => linearize(sin2, x)[1](f64(1)))(f64(xs)), xs.map(d1), TOL64);
  });
});

// --- A10.3: the rule applies at higher orders iff it calls f ---------------------------------------------------------

describe("higher order (A10.3)", () => {
  it("a rule whose tangent uses f(x) applies again at second order; one using exp(x) directly does not", () => {
    // e2 = exp with tangent 2·y·t. If y = e2(x), the second derivative differentiates 2·e2(x) with e2's rule: 4e^x.
    const viaF = customJvp((x: NdArray) => np.exp(x));
    viaF.defjvp(([x]: NdArray[], [t]: NdArray[]) => {
      const y = viaF(x);
      return [y, np.multiply(np.multiply(2, y), t)];
    });
    const direct = customJvp((x: NdArray) => np.exp(x));
    direct.defjvp(([x]: NdArray[], [t]: NdArray[]) => [direct(x), np.multiply(np.multiply(2, np.exp(x)), t)]);
    const e = Math.exp(0.3);
    expectNear(grad(viaF)(f64(0.3)), 2 * e, TOL64);
    expectNear(grad(direct)(f64(0.3)), 2 * e, TOL64);
    expectNear(grad(grad(viaF))(f64(0.3)), 4 * e, TOL64);
    expectNear(hessian(viaF)(f64(0.3)), 4 * e, TOL64);
    expectNear(grad(grad(direct))(f64(0.3)), 2 * e, TOL64);
    expectNear(grad(grad(grad(viaF)))(f64(0.3)), 8 * e, TOL64);
  });
});

// --- JAX docs examples -----------------------------------------------------------------------------------------

describe("JAX docs: fixing a singularity, f(x) = x / (1 + √x)", () => {
  const plain = (x: NdArray) => np.divide(x, np.add(1, np.sqrt(x)));
  const f = customJvp(plain);
  f.defjvp(([x]: NdArray[], [t]: NdArray[]) => {
    const ans = f(x);
    const d = np.add(1, np.sqrt(x));
    return [ans, np.multiply(np.divide(np.add(np.multiply(0.5, np.sqrt(x)), 1), np.multiply(d, d)), t)];
  });
  /** f'(x) = (√x/2 + 1) / (1 + √x)² */
  const df = (x: number) => (Math.sqrt(x) / 2 + 1) / (1 + Math.sqrt(x)) ** 2;

  it("grad at 0 is 1 with the rule; plain autodiff gives nan", () => {
    expectNear(grad(f)(f64(0)), 1, TOL64);
    expectNear(grad(plain)(f64(0)), NaN, TOL64);
    expectNear(grad(f)(0), 1, TOL32, "float32");
    expectNear(jvp(f, [f64(0)], [f64(1)])[1], 1, TOL64);
  });

  it("agrees with the closed form away from 0, eager and composed", () => {
    const xs = [0, 0.25, 1, 4, 9];
    expectNear(vmap(grad(f))(f64(xs)), xs.map(df), TOL64);
    expectNear(jit(vmap(grad(f)))(f64(xs)), xs.map(df), TOL64);
    expectNear(grad(f)(f64(4)), 2 / 9, TOL64);
  });
});

describe("a tangent rule that is not linear in the tangents", () => {
  const sinT = customJvp((x: NdArray) => np.sin(x));
  sinT.defjvp(([x]: NdArray[], [t]: NdArray[]) => [sinT(x), np.sin(t)]);
  const sqT = customJvp((x: NdArray) => np.sin(x));
  sqT.defjvp(([x]: NdArray[], [t]: NdArray[]) => [sqT(x), np.multiply(t, t)]);

  it("works under jvp: forward mode does not check linearity", () => {
    expectNear(jvp(sinT, [f64(1)], [f64(0.5)])[1], sin(0.5), TOL64);
    expectNear(jvp(sqT, [f64(1)], [f64(0.5)])[1], 0.25, TOL64);
  });

  it("gives a clear error under grad, naming the primitive applied to a tangent (B-G4)", () => {
    expect(() => grad(sinT)(f64(1))).toThrow(CotangentError);
    expect(() => grad(sinT)(f64(1))).toThrow(/sin.*not linear|not linear.*sin/);
    expect(() => grad(sqT)(f64(1))).toThrow(/mul.*two tangents.*not linear|not linear/);
    expect(() => jacrev(sinT)(f64([1, 2]))).toThrow(/not linear/);
  });
});

// --- defjvps ---------------------------------------------------------------------------------------------------

describe("defjvps (A1.4)", () => {
  it("one rule per argument, null for an argument without contribution", () => {
    const f = customJvp((x: NdArray, y: NdArray) => np.multiply(x, np.sin(y)));
    f.defjvps(null, (ty: NdArray, _out: NdArray, x: NdArray, y: NdArray) => np.multiply(np.multiply(x, np.cos(y)), ty));
    const [gx, gy] = grad(f, { argnums: [0, 1] })(f64(2), f64(1)) as NdArray[];
    expectNear(gx, 0, TOL64);
    expectNear(gy, 2 * cos(1), TOL64);
    const [y, t] = jvp(f, [f64(2), f64(1)], [f64(5), f64(1)]);
    expectNear(y, 2 * sin(1), TOL64);
    expectNear(t, 2 * cos(1), TOL64);
  });

  it("the first rule null (JAX test_custom_jvps_first_rule_is_none)", () => {
    const f = customJvp((x: NdArray, y: NdArray) => np.multiply(x, y));
    f.defjvps(null, (ty: NdArray, _out: NdArray, x: NdArray) => np.multiply(x, ty));
    // JAX: jacfwd(f, argnums=(0, 1))(3., 4.) == (0., 3.)
    const [jx, jy] = jacfwd(f, { argnums: [0, 1] })(f64(3), f64(4)) as NdArray[];
    expectNear(jx, 0, TOL64);
    expectNear(jy, 3, TOL64);
  });

  it("all rules: contributions are summed; the rule gets the output and the primals; works at second order", () => {
    const f = customJvp((x: NdArray, y: NdArray) => np.multiply(x, np.sin(y)));
    f.defjvps(
      (tx: NdArray, out: NdArray, x: NdArray) => np.multiply(np.divide(out, x), tx), // out / x = sin(y)
      (ty: NdArray, _out: NdArray, x: NdArray, y: NdArray) => np.multiply(np.multiply(x, np.cos(y)), ty),
    );
    const [x, y] = [2, 1];
    const [gx, gy] = grad(f, { argnums: [0, 1] })(f64(x), f64(y)) as NdArray[];
    expectNear(gx, sin(y), TOL64);
    expectNear(gy, x * cos(y), TOL64);
    expectNear(jvp(f, [f64(x), f64(y)], [f64(0.5), f64(-1)])[1], 0.5 * sin(y) - x * cos(y), TOL64);
    // Second order differentiates the contributions, with out = f(x, y) again through the rule:
    // ∂x(out/x) = (x·sin(y) − out)/x² = 0, ∂y(out/x) = cos(y), ∂x(x·cos(y)) = cos(y), ∂y(x·cos(y)) = −x·sin(y).
    const [[hxx, hxy], [hyx, hyy]] = hessian(f, { argnums: [0, 1] })(f64(x), f64(y)) as NdArray[][];
    expectNear(hxx, 0, TOL64);
    expectNear(hxy, cos(y), TOL64);
    expectNear(hyx, cos(y), TOL64);
    expectNear(hyy, -x * sin(y), TOL64);
  });
});

// --- nondiffArgnums --------------------------------------------------------------------------------------------

describe("nondiffArgnums (A6.1, A6.3)", () => {
  it("a function argument, passed first to the rule", () => {
    const app = customJvp((fn: (x: NdArray) => NdArray, x: NdArray) => fn(x), { nondiffArgnums: [0] });
    const seen: unknown[] = [];
    app.defjvp((fn: (x: NdArray) => NdArray, [x]: NdArray[], [t]: NdArray[]) => {
      seen.push(fn);
      return [app(fn, x), np.multiply(5, t)];
    });
    const square = (y: NdArray) => np.power(y, 2);
    expectNear(app(square, f64(4)), 16, TOL64);
    expectNear(grad((x: NdArray) => app(square, x))(f64(4)), 5, TOL64);
    expectNear(jvp((x: NdArray) => app(square, x), [f64(4)], [f64(2)])[1], 10, TOL64);
    expect(seen).toEqual([square, square]);
    expectNear(vmap(grad((x: NdArray) => app(square, x)))(f64([1, 2])), [5, 5], TOL64);
  });

  it("a traced value in a nondiff position is allowed and never differentiated (stop_gradient)", () => {
    const scale = customJvp((n: NdArray, x: NdArray) => np.multiply(n, x), { nondiffArgnums: [0] });
    scale.defjvp((n: NdArray, [x]: NdArray[], [t]: NdArray[]) => [scale(n, x), np.multiply(n, t)]);
    // d/dx scale(x, x) sees only the differentiable x: n = 3.
    expectNear(grad((x: NdArray) => scale(x, x))(f64(3)), 3, TOL64);
    expectNear(jit(grad((x: NdArray) => scale(x, x)))(f64(3)), 3, TOL64);
    // Batched nondiff and batched differentiable arguments together.
    expectNear(vmap((n: NdArray, x: NdArray) => scale(n, x))(f64([1, 2]), f64([3, 4])), [3, 8], TOL64);
    expectNear(
      vmap((n: NdArray, x: NdArray) => grad((x: NdArray) => scale(n, x))(x))(f64([1, 2]), f64([3, 4])),
      [1, 2],
      TOL64,
    );
  });
});

// --- pytrees, integers ---------------------------------------------------------------------------------------------

describe("pytrees and integer inputs", () => {
  it("object / nested-array arguments and outputs: the rule gets tuples of pytrees and returns the output structure", () => {
    type In = { a: NdArray; b: [NdArray, NdArray] };
    type Out = [NdArray, { s: NdArray }];
    const f = customJvp((d: In): Out => [np.multiply(d.a, d.b[0]), { s: np.sin(d.b[1]) }]);
    f.defjvp(([d]: In[], [t]: In[]) => {
      const out = f(d);
      return [
        out,
        [np.add(np.multiply(t.a, d.b[0]), np.multiply(d.a, t.b[0])), { s: np.multiply(np.cos(d.b[1]), t.b[1]) }],
      ];
    });
    const d: In = { a: f64(2), b: [f64(3), f64(0.5)] };
    const [y, t] = jvp(f, [d], [{ a: f64(1), b: [f64(0), f64(2)] }]);
    expectNear(y[0], 6, TOL64);
    expectNear(y[1].s, sin(0.5), TOL64);
    expectNear(t[0], 3, TOL64);
    expectNear(t[1].s, 2 * cos(0.5), TOL64);
    const g = grad((d: In) => {
      const [p, q] = f(d);
      return np.add(p, q.s);
    })(d) as { a: NdArray; b: NdArray[] };
    expectNear(g.a, 3, TOL64);
    expectNear(g.b[0], 2, TOL64);
    expectNear(g.b[1], cos(0.5), TOL64);
  });

  it("an integer argument: the rule gets a zero tangent for it; grad with allowInt gives it a zero gradient", () => {
    const f = customJvp((x: NdArray, n: NdArray) => np.multiply(x, n));
    const tangentsOfN: number[][] = [];
    f.defjvp(([x, n]: NdArray[], [tx, tn]: NdArray[]) => {
      tangentsOfN.push(nums(tn));
      return [f(x, n), np.multiply(tx, n)];
    });
    const [gx, gn] = grad(f, { argnums: [0, 1], allowInt: true })(f64(2), np.array(3, "int32")) as NdArray[];
    expectNear(gx, 3, TOL64, "float64");
    expect(nums(gn)).toEqual([0]);
    const [y, t] = jvp(f, [f64(2), np.array(3, "int32")], [f64(1), np.array(0, "int32")]);
    expectNear(y, 6, TOL64);
    expectNear(t, 3, TOL64);
    expect(tangentsOfN).toEqual([[0], [0]]);
  });
});

// --- customJvp and customVjp inside each other ---------------------------------------------------------------------

describe("custom rules inside other custom rules", () => {
  it("a customJvp whose f and rule call a customVjp function", () => {
    const sq = customVjp((x: NdArray) => np.multiply(x, x));
    sq.defvjp(
      (x: NdArray) => [sq(x), x],
      (x: NdArray, g: NdArray) => [np.multiply(np.multiply(2, x), g)],
    );
    const cube = customJvp((x: NdArray) => np.multiply(sq(x), x));
    cube.defjvp(([x]: NdArray[], [t]: NdArray[]) => [cube(x), np.multiply(np.multiply(3, sq(x)), t)]);
    expectNear(jvp(cube, [f64(2)], [f64(1)])[1], 12, TOL64);
    expectNear(grad(cube)(f64(2)), 12, TOL64);
    // Second order in reverse mode differentiates 3·sq(x) with sq's rule.
    expectNear(grad(grad(cube))(f64(2)), 12, TOL64);
    expectNear(vmap(grad(cube))(f64([1, 2])), [3, 12], TOL64);
  });

  it("a customJvp rule calling another customJvp, at every order", () => {
    const e = customJvp((x: NdArray) => np.exp(x));
    e.defjvp(([x]: NdArray[], [t]: NdArray[]) => {
      const y = e(x);
      return [y, np.multiply(y, t)];
    });
    // f = e(2x) with tangent 2·e(2x)·t: derivatives 2^k e^{2x}.
    const f = customJvp((x: NdArray) => e(np.multiply(2, x)));
    f.defjvp(([x]: NdArray[], [t]: NdArray[]) => {
      const y = f(x);
      return [y, np.multiply(np.multiply(2, y), t)];
    });
    const v = Math.exp(0.6);
    expectNear(grad(f)(f64(0.3)), 2 * v, TOL64);
    expectNear(grad(grad(f))(f64(0.3)), 4 * v, TOL64);
    expectNear(jacfwd(jacrev(f))(f64(0.3)), 4 * v, TOL64);
  });
});

// --- checkGrads ------------------------------------------------------------------------------------------------------

describe("checkGrads on customJvp functions", () => {
  it("passes for a correct rule, forward and reverse, orders 1 and 2", () => {
    const s = customJvp((x: NdArray) => np.sin(x));
    s.defjvp(([x]: NdArray[], [t]: NdArray[]) => [s(x), np.multiply(np.cos(x), t)]);
    expect(() => checkGrads(s, [f64([0.3, -1.2, 2])], 2)).not.toThrow();
  });

  it("fails for a wrong rule in both modes", () => {
    const sin2 = makeSin2();
    expect(() => checkGrads(sin2, [f64([0.3, -1.2, 2])], 1, { modes: ["fwd"] })).toThrow(GradientCheckError);
    expect(() => checkGrads(sin2, [f64([0.3, -1.2, 2])], 1, { modes: ["rev"] })).toThrow(GradientCheckError);
  });
});
