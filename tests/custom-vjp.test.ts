/**
 * customVjp (JAX's `jax.custom_vjp`): the golden cases that need a custom rule, and the rules of
 * /work/shared/reference/custom-derivatives.md section A checked through every composition of transformations.
 *
 * The rules below are often deliberately *different* from the true derivative (e.g. sin with bwd 2·cos(x)·g):
 * a result that follows the rule, and not ordinary autodiff of the primal, shows that the rule was used.
 * Expected values are closed forms in JS float64 (or JAX's numbers from tests/data/jax-golden.json); tolerances
 * are TOL64 / TOL32 from tests/helpers/custom-rules.ts, justified there.
 */
import { describe, expect, it } from "vitest";
import {
  checkGrads,
  customJvp,
  customVjp,
  grad,
  GradientCheckError,
  hessian,
  jacfwd,
  jacrev,
  jit,
  makeJaxpr,
  nn,
  numpy as np,
  stopGradient,
  valueAndGrad,
  vjp,
  vmap,
  CustomVjpError,
  Array as NdArray,
} from "../src/index.js";
import { expectMatches, isEncoded, loadGolden, toArray, type Encoded, type GoldenCase } from "./helpers/golden.js";
import { Calls, expectNear, f64, nums, TOL32, TOL64 } from "./helpers/custom-rules.js";

const cos = Math.cos;
const sin = Math.sin;

/** sin with the deliberately doubled rule bwd = 2·cos(x)·g (JAX's test_initial_style), fwd calling sin2 itself. */
function makeSin2(calls?: Calls) {
  const sin2 = customVjp(function sin2(x: NdArray) {
    calls?.hit("f");
    return np.sin(x);
  });
  sin2.defvjp(
    (x: NdArray) => {
      calls?.hit("fwd");
      return [sin2(x), np.cos(x)];
    },
    (c: NdArray, g: NdArray) => {
      calls?.hit("bwd");
      return [np.multiply(np.multiply(2, c), g)];
    },
  );
  return sin2;
}

// --- golden cases ------------------------------------------------------------------------------------------------

describe("golden cases (tests/data/jax-golden.json)", () => {
  const golden = loadGolden();
  const byId = new Map(golden.cases.map((c) => [c.id, c]));
  const getCase = (id: string): GoldenCase => {
    const c = byId.get(id);
    if (c === undefined) throw new Error(`golden: no case ${id}`);
    return c;
  };
  const enc = (x: unknown): Encoded => {
    if (!isEncoded(x)) throw new Error("golden: not an encoded array");
    return x;
  };

  it("seed.custom_f.value_and_grad: f(x, y) = x·sin(y) with residuals (x, y, sin y, cos y), valueAndGrad of f²", () => {
    const c = getCase("seed.custom_f.value_and_grad");
    const f = customVjp((x: NdArray, y: NdArray) => np.multiply(x, np.sin(y)));
    f.defvjp(
      (x: NdArray, y: NdArray) => [f(x, y), [x, y, np.sin(y), np.cos(y)]],
      ([x, , sy, cy]: NdArray[], g: NdArray) => [np.multiply(sy, g), np.multiply(np.multiply(x, cy), g)],
    );
    const [x] = c.inputs!;
    // The note says y is the Python float pi/2 (a weakly typed float32 scalar, as a JS number here).
    const [value, grads] = valueAndGrad((x: NdArray, y: NdArray) => np.power(f(x, y), 2), { argnums: [0, 1] })(
      toArray(x),
      Math.PI / 2,
    );
    const [wantValue, wantGrads] = c.outputs! as [Encoded, Encoded[]];
    // Each result is a product of 3-5 float32 roundings of exact inputs (no cancellation: dy = 2·f·x·cos(y) with
    // cos(float32(π/2)) = -4.37e-8 itself a well-conditioned function of the exact float32 input), so relative
    // agreement to 1e-5 and no absolute floor: the tiny dy = -3.5e-7 is checked to 5 digits.
    const tol = { rtol: 1e-5, atol: 0 };
    expectMatches("value", value, enc(wantValue), tol);
    expectMatches("d/dx", (grads as NdArray[])[0], enc(wantGrads[0]), tol);
    expectMatches("d/dy", (grads as NdArray[])[1], enc(wantGrads[1]), tol);
  });

  /** JAX docs' log1pexp with a custom VJP whose bwd is ct·sigmoid(x). */
  const log1pexp = customVjp((x: NdArray) => np.log(np.add(1, np.exp(x))));
  log1pexp.defvjp(
    (x: NdArray) => [log1pexp(x), x],
    (x: NdArray, g: NdArray) => [np.multiply(g, nn.sigmoid(x))],
  );
  // log, exp, add and sigmoid are each within 1-2 ulp in float32, so 2e-6 relative. The absolute floor 1e-38 is
  // below the smallest normal float32: JAX flushes subnormal results to zero (sigmoid(-100) = 3.7e-44 → 0), we
  // may not.
  const TOL_LOG1PEXP = { rtol: 2e-6, atol: 1e-38 };

  const pointIds = [...byId.keys()].filter((id) => /^seed\.stable_log1pexp\.-?\d/.test(id));
  it("has the six stable_log1pexp points", () => {
    expect(pointIds.sort()).toEqual(
      ["-100.0", "0.0", "1.0", "100.0", "20.0", "35.0"].map((x) => `seed.stable_log1pexp.${x}`).sort(),
    );
  });
  for (const id of pointIds) {
    it(`${id}: value and grad`, () => {
      const c = getCase(id);
      const x = toArray(c.inputs![0]);
      const [value, g] = valueAndGrad(log1pexp)(x);
      expectMatches("value", value, enc(c.outputs![0]), TOL_LOG1PEXP);
      expectMatches("grad", g, enc(c.outputs![1]), TOL_LOG1PEXP);
      // grad alone agrees with valueAndGrad.
      expectMatches("grad alone", grad(log1pexp)(x), enc(c.outputs![1]), TOL_LOG1PEXP);
    });
  }

  it("seed.stable_log1pexp.vmap_grad: vmap(grad) over the 7 inputs", () => {
    const c = getCase("seed.stable_log1pexp.vmap_grad");
    const out = vmap(grad(log1pexp))(toArray(c.inputs![0]));
    expectMatches("vmap(grad)", out, enc(c.outputs![0]), TOL_LOG1PEXP);
  });
});

// --- which function runs when (A8.1, A8.2, A8.5, A4.7, A9.1, A14.2) ----------------------------------------------

describe("which of f / fwd / bwd runs", () => {
  const calls = new Calls();
  const sin2 = makeSin2(calls);

  it("a plain call runs f only (A8.1)", () => {
    calls.reset();
    expectNear(sin2(f64(0.5)), sin(0.5), TOL64, "float64");
    expect(calls.get("f", "fwd", "bwd")).toEqual({ f: 1, fwd: 0, bwd: 0 });
  });

  it("jit(f) traces f only, once per signature (A8.5)", () => {
    calls.reset();
    const j = jit(sin2);
    expectNear(j(f64(0.5)), sin(0.5), TOL64);
    expectNear(j(f64(1.5)), sin(1.5), TOL64);
    expect(calls.get("f", "fwd", "bwd")).toEqual({ f: 1, fwd: 0, bwd: 0 });
  });

  it("makeJaxpr stages one custom_vjp_call equation holding f, and traces neither rule", () => {
    calls.reset();
    const text = String(makeJaxpr(sin2)(f64(0.5)));
    expect(text).toMatch(/custom_vjp_call\[[^]*call_jaxpr=\{ lambda ; c:f64\[\]\. let d:f64\[\] = sin c in \(d,\) \}/);
    expect(calls.get("f", "fwd", "bwd")).toEqual({ f: 1, fwd: 0, bwd: 0 });
  });

  it("grad runs fwd once (which calls f) and bwd once (A8.2)", () => {
    calls.reset();
    expectNear(grad(sin2)(f64(0.5)), 2 * cos(0.5), TOL64);
    expect(calls.get("f", "fwd", "bwd")).toEqual({ f: 1, fwd: 1, bwd: 1 });
  });

  it("vjp runs fwd at once and bwd each time the pullback is applied (A4.7)", () => {
    calls.reset();
    const [out, pullback] = vjp(sin2, f64(0.5));
    expectNear(out, sin(0.5), TOL64);
    expect(calls.get("f", "fwd", "bwd")).toEqual({ f: 1, fwd: 1, bwd: 0 });
    expectNear(pullback(f64(1))[0], 2 * cos(0.5), TOL64);
    expectNear(pullback(f64(-3))[0], -6 * cos(0.5), TOL64);
    expect(calls.get("f", "fwd", "bwd")).toEqual({ f: 1, fwd: 1, bwd: 2 });
  });

  it("jit(grad) traces fwd and bwd once; the compiled program reruns neither", () => {
    calls.reset();
    const g = jit(grad(sin2));
    expectNear(g(f64(0.5)), 2 * cos(0.5), TOL64);
    expectNear(g(f64(1.5)), 2 * cos(1.5), TOL64);
    expect(calls.get("f", "fwd", "bwd")).toEqual({ f: 1, fwd: 1, bwd: 1 });
  });

  it("no rule runs when no input carries a tangent (A9.1): a constant input", () => {
    calls.reset();
    expectNear(grad((x: NdArray) => np.add(x, sin2(f64(2))))(f64(0.5)), 1, TOL64);
    expect(calls.get("f", "fwd", "bwd")).toEqual({ f: 1, fwd: 0, bwd: 0 });
  });

  it("no rule runs for a stopGradient input (A14.2); the gradient through it is zero", () => {
    calls.reset();
    expectNear(grad((x: NdArray) => np.add(x, sin2(stopGradient(x))))(f64(0.5)), 1, TOL64);
    expect(calls.get("f", "fwd", "bwd")).toEqual({ f: 1, fwd: 0, bwd: 0 });
  });

  it("no rule runs for an argument that grad does not differentiate (argnums)", () => {
    calls.reset();
    expectNear(grad((x: NdArray, y: NdArray) => np.multiply(x, sin2(y)))(f64(2), f64(0.5)), sin(0.5), TOL64);
    expect(calls.get("f", "fwd", "bwd")).toEqual({ f: 1, fwd: 0, bwd: 0 });
  });

  it("stopGradient on the output: fwd runs, bwd does not, gradient 0 (A8.2 step 5)", () => {
    calls.reset();
    expectNear(grad((x: NdArray) => np.add(x, stopGradient(sin2(x))))(f64(0.5)), 1, TOL64);
    expect(calls.get("fwd", "bwd")).toEqual({ fwd: 1, bwd: 0 });
  });

  it("under vmap, f, fwd and bwd see per-example shapes (A8.4)", () => {
    const seen: string[] = [];
    const m = customVjp((w: NdArray, x: NdArray) => {
      seen.push(`f w${w.shape} x${x.shape}`);
      return np.multiply(w, x);
    });
    m.defvjp(
      (w: NdArray, x: NdArray) => {
        seen.push(`fwd w${w.shape} x${x.shape}`);
        return [m(w, x), [w, x]];
      },
      ([w, x]: NdArray[], g: NdArray) => {
        seen.push(`bwd w${w.shape} x${x.shape} g${g.shape}`);
        return [np.multiply(x, g), np.multiply(w, g)];
      },
    );
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
    const perExample = vmap(
      grad((w: NdArray, x: NdArray) => np.sum(m(w, x))),
      { inAxes: [null, 0] },
    )(w, xs);
    expectNear(
      perExample,
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      TOL64,
    );
    expect(seen.splice(0)).toEqual(["fwd w2 x2", "f w2 x2", "bwd w2 x2 g2"]);
  });
});

// --- the composition matrix --------------------------------------------------------------------------------------

describe("composition matrix over sin with bwd 2·cos(x)·g", () => {
  const sin2 = makeSin2();
  const xs = [-1.3, 0.2, 2.5];

  it("grad", () => {
    for (const x of xs) expectNear(grad(sin2)(f64(x)), 2 * cos(x), TOL64, "float64");
  });

  it("valueAndGrad", () => {
    const [v, g] = valueAndGrad(sin2)(f64(0.7));
    expectNear(v, sin(0.7), TOL64);
    expectNear(g, 2 * cos(0.7), TOL64);
  });

  it("vjp on a vector", () => {
    const [out, pullback] = vjp(sin2, f64(xs));
    expectNear(out, xs.map(sin), TOL64);
    const ct = [1, -2, 0.5];
    expectNear(
      pullback(f64(ct))[0],
      xs.map((x, i) => 2 * cos(x) * ct[i]),
      TOL64,
    );
  });

  it("jacrev: diag(2·cos(x))", () => {
    expectNear(
      jacrev(sin2)(f64(xs)),
      xs.map((x, i) => xs.map((_, j) => (i === j ? 2 * cos(x) : 0))),
      TOL64,
    );
  });

  it("jacrev∘jacrev: differentiates bwd's body, -2·sin(x) (A10.1)", () => {
    for (const x of xs) expectNear(jacrev(jacrev(sin2))(f64(x)), -2 * sin(x), TOL64);
  });

  it("grad(grad(f))(3) = -2·sin(3) with JS-number (float32) input (A10.1)", () => {
    expectNear(grad(grad(sin2))(3), -2 * sin(3), TOL32, "float32");
  });

  it("jit(grad) and grad(jit)", () => {
    expectNear(jit(grad(sin2))(f64(0.7)), 2 * cos(0.7), TOL64);
    expectNear(grad(jit(sin2))(f64(0.7)), 2 * cos(0.7), TOL64);
    expectNear(grad(jit((x: NdArray) => np.multiply(x, sin2(x))))(f64(0.7)), sin(0.7) + 0.7 * 2 * cos(0.7), TOL64);
  });

  it("vmap(grad) and grad(vmap)", () => {
    expectNear(
      vmap(grad(sin2))(f64(xs)),
      xs.map((x) => 2 * cos(x)),
      TOL64,
    );
    expectNear(
      grad((v: NdArray) => np.sum(vmap(sin2)(v)))(f64(xs)),
      xs.map((x) => 2 * cos(x)),
      TOL64,
    );
  });

  it("jit(vmap(grad)) and vmap(jit(grad))", () => {
    expectNear(
      jit(vmap(grad(sin2)))(f64(xs)),
      xs.map((x) => 2 * cos(x)),
      TOL64,
    );
    expectNear(
      vmap(jit(grad(sin2)))(f64(xs)),
      xs.map((x) => 2 * cos(x)),
      TOL64,
    );
  });

  it("grad(vmap) with a shared (unbatched) parameter: its cotangent is summed over the batch (A8.4.4)", () => {
    // m(w, x) = w·x with bwd (3·x·g, w·g): the 3 marks the rule; d/dw Σ_b Σ m(w, x_b) = 3·Σ_b x_b per component.
    const m = customVjp((w: NdArray, x: NdArray) => np.multiply(w, x));
    m.defvjp(
      (w: NdArray, x: NdArray) => [m(w, x), [w, x]],
      ([w, x]: NdArray[], g: NdArray) => [np.multiply(np.multiply(3, x), g), np.multiply(w, g)],
    );
    const w = f64([1, 2]);
    const batch = [
      [1, 2],
      [3, 4],
      [5, 7],
    ];
    const loss = (w: NdArray, x: NdArray) => np.sum(vmap(m, { inAxes: [null, 0] })(w, x));
    const [gw, gx] = grad(loss, { argnums: [0, 1] })(w, f64(batch)) as NdArray[];
    expectNear(gw, [3 * (1 + 3 + 5), 3 * (2 + 4 + 7)], TOL64);
    expectNear(
      gx,
      batch.map(() => [1, 2]),
      TOL64,
    );
  });

  it("hessian = jacfwd∘jacrev raises the forward-mode error when fwd calls f (A8.3)", () => {
    expect(() => hessian(sin2)(f64(0.7))).toThrow(CustomVjpError);
    expect(() => hessian(sin2)(f64(0.7))).toThrow(/can't apply forward-mode autodiff \(jvp\) to a custom_vjp function/);
    expect(() => jacfwd(grad(sin2))(f64(0.7))).toThrow(/forward-mode autodiff/);
  });

  it("hessian works when fwd computes the output with ordinary operations: jvp of fwd's ops and bwd's body", () => {
    const s = customVjp((x: NdArray) => np.sin(x));
    s.defvjp(
      (x: NdArray) => [np.sin(x), np.cos(x)],
      (c: NdArray, g: NdArray) => [np.multiply(np.multiply(2, c), g)],
    );
    for (const x of xs) expectNear(hessian(s)(f64(x)), -2 * sin(x), TOL64);
  });
});

describe("higher order (A10)", () => {
  it("A10.2: fwd calling f makes the rule apply on the primal path at every order (JAX test_invariance)", () => {
    const f = customVjp((x: NdArray) => np.divide(np.cos(np.multiply(2, x)), 2));
    f.defvjp(
      (x: NdArray) => [f(x), x],
      (_x: NdArray, g: NdArray) => [np.multiply(g, 3)],
    );
    const f2 = (x: NdArray) => valueAndGrad(f)(x)[0] as NdArray;
    const f3 = (x: NdArray) => valueAndGrad(f2)(x)[0] as NdArray;
    const v = cos(2) / 2;
    expectNear(f(f64(1)), v, TOL64);
    expectNear(f2(f64(1)), v, TOL64);
    expectNear(f3(f64(1)), v, TOL64);
    expectNear(grad(f)(f64(1)), 3, TOL64);
    expectNear(grad(f2)(f64(1)), 3, TOL64);
    expectNear(grad(f3)(f64(1)), 3, TOL64);
  });

  it("A10.2 counter-example: fwd computing cos(2x)/2 directly gives the ordinary derivative -sin(2)", () => {
    const f = customVjp((x: NdArray) => np.divide(np.cos(np.multiply(2, x)), 2));
    f.defvjp(
      (x: NdArray) => [np.divide(np.cos(np.multiply(2, x)), 2), x],
      (_x: NdArray, g: NdArray) => [np.multiply(g, 3)],
    );
    const f2 = (x: NdArray) => valueAndGrad(f)(x)[0] as NdArray;
    expectNear(grad(f2)(f64(1)), -sin(2), TOL64);
  });

  it("third order through jacrev: the rule's residual code (cos) is differentiated twice", () => {
    const sin2 = makeSin2();
    expectNear(jacrev(jacrev(jacrev(sin2)))(f64(0.4)), -2 * cos(0.4), TOL64);
  });
});

// --- rules inside rules ----------------------------------------------------------------------------------------

describe("custom rules inside other custom rules", () => {
  it("a customVjp whose f, fwd and bwd call another customVjp", () => {
    // sq: x² with the true rule; cube = sq(x)·x with bwd 3·sq(x)·g (bwd itself calls sq).
    const sq = customVjp((x: NdArray) => np.multiply(x, x));
    sq.defvjp(
      (x: NdArray) => [sq(x), x],
      (x: NdArray, g: NdArray) => [np.multiply(np.multiply(2, x), g)],
    );
    const cube = customVjp((x: NdArray) => np.multiply(sq(x), x));
    cube.defvjp(
      (x: NdArray) => [cube(x), x],
      (x: NdArray, g: NdArray) => [np.multiply(np.multiply(3, sq(x)), g)],
    );
    expectNear(cube(f64(1.5)), 1.5 ** 3, TOL64);
    expectNear(grad(cube)(f64(1.5)), 3 * 1.5 ** 2, TOL64);
    // Second order differentiates bwd's body 3·sq(x)·g, whose sq uses sq's rule: 3·2x.
    expectNear(grad(grad(cube))(f64(1.5)), 6 * 1.5, TOL64);
    expectNear(vmap(grad(cube))(f64([1, -2])), [3, 12], TOL64);
  });

  it("a customVjp whose primal and residuals come from a customJvp", () => {
    // e2(x) = exp(x) with tangent 2·e2(x)·t: the 2 marks the inner rule.
    const e2 = customJvp((x: NdArray) => np.exp(x));
    e2.defjvp(([x]: NdArray[], [t]: NdArray[]) => {
      const y = e2(x);
      return [y, np.multiply(np.multiply(2, y), t)];
    });
    // outer = 3·e2(x), bwd 3·e2(x)·g: residual e2(x) from fwd, so the outer rule gives 3e^x (not 6e^x) ...
    const outer = customVjp((x: NdArray) => np.multiply(3, e2(x)));
    outer.defvjp(
      (x: NdArray) => [outer(x), e2(x)],
      (e: NdArray, g: NdArray) => [np.multiply(np.multiply(3, e), g)],
    );
    expectNear(grad(outer)(f64(0.5)), 3 * Math.exp(0.5), TOL64);
    // ... and the second order differentiates the residual e2(x) with e2's rule: 3·2e^x.
    expectNear(grad(grad(outer))(f64(0.5)), 6 * Math.exp(0.5), TOL64);
  });
});

// --- pytrees ---------------------------------------------------------------------------------------------------

describe("pytree arguments, outputs and residuals (A3.5, A5)", () => {
  it("object and nested-array arguments and an object residual; gradients come back in the input structure", () => {
    type In = { a: NdArray; b: [NdArray, NdArray] };
    type Out = { s: NdArray; t: NdArray };
    const p = customVjp((d: In): Out => ({ s: np.multiply(d.a, d.b[0]), t: np.sin(d.b[1]) }));
    p.defvjp(
      (d: In) => [p(d), { a: d.a, b0: d.b[0], c: np.cos(d.b[1]), unused: null }],
      (r: { a: NdArray; b0: NdArray; c: NdArray; unused: null }, ct: Out) => {
        expect(r.unused).toBeNull();
        return [{ a: np.multiply(ct.s, r.b0), b: [np.multiply(ct.s, r.a), np.multiply(ct.t, r.c)] }];
      },
    );
    const g = grad((d: In) => {
      const o = p(d);
      return np.add(np.multiply(2, o.s), o.t);
    })({ a: f64(2), b: [f64(3), f64(0.5)] }) as { a: NdArray; b: NdArray[] };
    expect(Object.keys(g).sort()).toEqual(["a", "b"]);
    expectNear(g.a, 2 * 3, TOL64);
    expectNear(g.b[0], 2 * 2, TOL64);
    expectNear(g.b[1], cos(0.5), TOL64);
  });

  it("a pytree output: bwd's cotangent has the output's structure; vjp's pullback takes that structure", () => {
    type Out = { a: NdArray; b: [NdArray, NdArray] };
    const po = customVjp((x: NdArray): Out => ({ a: np.sin(x), b: [np.cos(x), np.multiply(2, x)] }));
    po.defvjp(
      (x: NdArray) => [po(x), x],
      (x: NdArray, ct: Out) => [
        np.add(np.subtract(np.multiply(np.cos(x), ct.a), np.multiply(np.sin(x), ct.b[0])), np.multiply(2, ct.b[1])),
      ],
    );
    const [out, pullback] = vjp(po, f64(0.5));
    expectNear(out.a, sin(0.5), TOL64);
    expectNear(out.b[0], cos(0.5), TOL64);
    expectNear(out.b[1], 1, TOL64);
    expectNear(pullback({ a: f64(1), b: [f64(2), f64(3)] })[0], cos(0.5) - 2 * sin(0.5) + 6, TOL64);
    // An output that does not reach the loss gets a zero cotangent (materialised for bwd, A4.2).
    expectNear(grad((x: NdArray) => po(x).b[1])(f64(0.5)), 2, TOL64);
  });

  it("a null residual and an empty-array residual", () => {
    const three = customVjp((x: NdArray) => np.multiply(3, x));
    three.defvjp(
      (x: NdArray) => [three(x), null],
      (r: null, g: NdArray) => {
        expect(r).toBeNull();
        return [np.multiply(3, g)];
      },
    );
    expectNear(grad(three)(f64(1.5)), 3, TOL64);
    const four = customVjp((x: NdArray) => np.multiply(4, x));
    four.defvjp(
      (x: NdArray) => [four(x), []],
      (r: unknown[], g: NdArray) => {
        expect(r).toEqual([]);
        return [np.multiply(4, g)];
      },
    );
    expectNear(grad(four)(f64(1.5)), 4, TOL64);
  });

  it("residuals that are a nested array of arrays, under vmap(grad)", () => {
    const f = customVjp((x: NdArray, y: NdArray) => np.multiply(np.sin(x), y));
    f.defvjp(
      (x: NdArray, y: NdArray) => [f(x, y), [[np.cos(x), np.sin(x)], [y]]],
      ([[c, s], [y]]: NdArray[][], g: NdArray) => [np.multiply(np.multiply(c, y), g), np.multiply(s, g)],
    );
    const xs = [0.1, 0.9];
    const ys = [2, -1];
    const [gx, gy] = vmap(grad(f, { argnums: [0, 1] }))(f64(xs), f64(ys)) as NdArray[];
    expectNear(
      gx,
      xs.map((x, i) => cos(x) * ys[i]),
      TOL64,
    );
    expectNear(gy, xs.map(sin), TOL64);
  });
});

// --- nondiffArgnums --------------------------------------------------------------------------------------------

describe("nondiffArgnums (A6)", () => {
  it("JAX's app(f, x): a function argument, passed first to bwd", () => {
    const app = customVjp((fn: (x: NdArray) => NdArray, x: NdArray) => fn(x), { nondiffArgnums: [0] });
    const seen: unknown[] = [];
    app.defvjp(
      (fn: (x: NdArray) => NdArray, x: NdArray) => [app(fn, x), x],
      (fn: (x: NdArray) => NdArray, x: NdArray, g: NdArray) => {
        seen.push(fn);
        return [np.multiply(5, g)];
      },
    );
    const square = (y: NdArray) => np.power(y, 2);
    expectNear(app(square, f64(4)), 16, TOL64);
    // JAX's docs: grad(lambda x: app(lambda y: y ** 2, x))(4.) == 5.
    expectNear(grad((x: NdArray) => app(square, x))(f64(4)), 5, TOL64);
    expect(seen).toEqual([square]);
    expectNear(vmap(grad((x: NdArray) => app(square, x)))(f64([1, 2])), [5, 5], TOL64);
    expectNear(jit(grad((x: NdArray) => app(square, x)))(f64(4)), 5, TOL64);
  });

  it("JAX docs' gradient clipping: clip_gradient(lo, hi, x) with nondiffArgnums [0, 1]", () => {
    const clipGradient = customVjp((_lo: number, _hi: number, x: NdArray) => x, { nondiffArgnums: [0, 1] });
    clipGradient.defvjp(
      (_lo: number, _hi: number, x: NdArray) => [x, null],
      (lo: number, hi: number, _r: null, g: NdArray) => [np.clip(g, lo, hi)],
    );
    const t = (x: NdArray) => np.sin(clipGradient(-0.75, 0.75, x));
    const xs = [-3, -1, 0, 0.5, 1, 2, 3];
    expectNear(t(f64(xs)), xs.map(sin), TOL64);
    const clip = (v: number) => Math.min(0.75, Math.max(-0.75, v));
    expectNear(
      vmap(grad(t))(f64(xs)),
      xs.map((x) => clip(cos(x))),
      TOL64,
    );
    // Without clipping the same function's gradient is cos(x).
    expectNear(vmap(grad((x: NdArray) => np.sin(x)))(f64(xs)), xs.map(cos), TOL64);
    expectNear(grad(grad(t))(f64(0.3)), 0, TOL64); // clip's derivative is 0 where it saturates (cos(0.3) > 0.75)
  });

  it("nondiff arguments sit anywhere; rules receive them first in ascending position order (A1.5, A4.1)", () => {
    const f = customVjp((x: NdArray, k: number, y: NdArray, _tag: string) => np.multiply(np.multiply(x, y), k), {
      nondiffArgnums: [3, 1],
    });
    const got: unknown[][] = [];
    f.defvjp(
      (x: NdArray, k: number, y: NdArray, tag: string) => {
        got.push(["fwd", k, tag]);
        return [f(x, k, y, tag), [x, y]];
      },
      (k: number, tag: string, [x, y]: NdArray[], g: NdArray) => {
        got.push(["bwd", k, tag]);
        return [np.multiply(np.multiply(y, k), g), np.multiply(np.multiply(x, k), g)];
      },
    );
    const [gx, gy] = grad((x: NdArray, y: NdArray) => f(x, 4, y, "t"), { argnums: [0, 1] })(
      f64(2),
      f64(3),
    ) as NdArray[];
    expectNear(gx, 12, TOL64);
    expectNear(gy, 8, TOL64);
    expect(got).toEqual([
      ["fwd", 4, "t"],
      ["bwd", 4, "t"],
    ]);
  });
});

// --- closures ----------------------------------------------------------------------------------------------------

describe("rules closing over outer traced values (A11.1)", () => {
  /** JAX's test_bwd_closes_over_tracer / test_fwd_closes_over_tracer: h(y) = grad(f)(1) with f' = 2cos(y). */
  const variants = {
    "bwd captures y": (y: NdArray) => {
      const f = customVjp((x: NdArray) => np.multiply(2, np.sin(x)));
      f.defvjp(
        (x: NdArray) => [f(x), []],
        (_r: unknown, g: NdArray) => [np.multiply(np.multiply(2, np.cos(y)), g)],
      );
      return grad(f)(f64(1)) as NdArray;
    },
    "fwd captures y as a residual": (y: NdArray) => {
      const f = customVjp((x: NdArray) => np.multiply(2, np.sin(x)));
      f.defvjp(
        (x: NdArray) => [f(x), y],
        (yy: NdArray, g: NdArray) => [np.multiply(np.multiply(2, np.cos(yy)), g)],
      );
      return grad(f)(f64(1)) as NdArray;
    },
  };
  for (const [name, h] of Object.entries(variants)) {
    it(`${name}: jit, vmap, jit∘vmap, vmap∘jit give 2·cos(y); grad gives -2·sin(y)`, () => {
      expectNear(jit(h)(f64(2)), 2 * cos(2), TOL64);
      const ys = [0, 1, 2];
      expectNear(
        vmap(h)(f64(ys)),
        ys.map((y) => 2 * cos(y)),
        TOL64,
      );
      expectNear(
        jit(vmap(h))(f64(ys)),
        ys.map((y) => 2 * cos(y)),
        TOL64,
      );
      expectNear(
        vmap(jit(h))(f64(ys)),
        ys.map((y) => 2 * cos(y)),
        TOL64,
      );
      expectNear(grad(h)(f64(4)), -2 * sin(4), TOL64);
      expectNear(grad(jit(h))(f64(4)), -2 * sin(4), TOL64);
      expectNear(jit(grad(h))(f64(4)), -2 * sin(4), TOL64);
    });
  }
});

// --- integers, null and broadcasting in bwd's result -----------------------------------------------------------

describe("bwd results: integers, null at any depth, one value for a subtree (A4.4, A4.5, A12.2)", () => {
  it("an integer argument gets a zero cotangent whatever bwd returns (even a wrong shape)", () => {
    const f = customVjp((x: NdArray, n: NdArray) => np.multiply(x, n));
    const returned: unknown[] = [np.array([1, 2, 3]), 7, null];
    let which = 0;
    f.defvjp(
      (x: NdArray, n: NdArray) => [f(x, n), [x, n]],
      ([, n]: NdArray[], g: NdArray) => [np.multiply(g, n), returned[which]],
    );
    for (which = 0; which < returned.length; which++) {
      const [gx, gn] = grad(f, { argnums: [0, 1], allowInt: true })(f64(2), np.array(3, "int32")) as NdArray[];
      expectNear(gx, 3, TOL64, "float64");
      // This library materialises an integer input's zero cotangent in the input's dtype (JAX: float0).
      expect(gn.dtype).toBe("int32");
      expect(gn.shape).toEqual([]);
      expect(nums(gn)).toEqual([0]);
    }
    // Differentiating only the float argument needs no allowInt.
    expectNear(grad(f)(f64(2), np.array(3, "int32")), 3, TOL64);
  });

  it("null (or undefined) means zero for a whole argument or at any depth inside it", () => {
    type D = [NdArray, [NdArray, NdArray]];
    const f = customVjp((x: NdArray, d: D) => np.add(x, np.add(d[0], np.add(d[1][0], d[1][1]))));
    const loss = grad(f, { argnums: [0, 1] });
    const args: [NdArray, [NdArray, [NdArray, NdArray]]] = [f64(1), [f64(1), [f64(2), f64(3)]]];
    type Want = [number, [number, [number, number]]];
    const cases: [(g: NdArray) => unknown, Want][] = [
      [(g: NdArray) => [g, [null, [np.multiply(2, g), null]]], [1, [0, [2, 0]]]],
      [(g: NdArray) => [null, [g, undefined]], [0, [1, [0, 0]]]],
      [() => [null, null], [0, [0, [0, 0]]]],
      [() => [undefined, [undefined, [undefined, undefined]]], [0, [0, [0, 0]]]],
    ];
    for (const [bwdOf, want] of cases) {
      f.defvjp(
        (x: NdArray, d: D) => [f(x, d), null],
        (_r: null, g: NdArray) => bwdOf(g),
      );
      const [gx, [g0, [g1, g2]]] = loss(...args) as [NdArray, [NdArray, [NdArray, NdArray]]];
      const [wx, [w0, [w1, w2]]] = want;
      expectNear(gx, wx, TOL64);
      expectNear(g0, w0, TOL64);
      expectNear(g1, w1, TOL64);
      expectNear(g2, w2, TOL64);
    }
  });

  it("one value in the place of a whole subtree is used for every leaf of it (prefix broadcasting)", () => {
    type D = { a: NdArray; b: [NdArray, NdArray] };
    const f = customVjp((d: D) => np.add(d.a, np.add(d.b[0], d.b[1])));
    f.defvjp(
      (d: D) => [f(d), null],
      (_r: null, g: NdArray) => [{ a: g, b: np.multiply(5, g) }],
    );
    const gd = grad(f)({ a: f64(1), b: [f64(2), f64(3)] }) as { a: NdArray; b: NdArray[] };
    expectNear(gd.a, 1, TOL64);
    expectNear(gd.b[0], 5, TOL64);
    expectNear(gd.b[1], 5, TOL64);
    f.defvjp(
      (d: D) => [f(d), null],
      (_r: null, g: NdArray) => [np.multiply(7, g)],
    );
    const all = grad(f)({ a: f64(1), b: [f64(2), f64(3)] }) as { a: NdArray; b: NdArray[] };
    expectNear(all.a, 7, TOL64);
    expectNear(all.b[0], 7, TOL64);
    expectNear(all.b[1], 7, TOL64);
  });

  it("a JS number as a cotangent, and a float32 cotangent for a float64 input (dtype-only mismatch tolerated)", () => {
    const f = customVjp((x: NdArray, y: NdArray) => np.multiply(x, y));
    f.defvjp(
      (x: NdArray, y: NdArray) => [f(x, y), null],
      () => [2, np.array(0.5, "float32")],
    );
    const [gx, gy] = grad(f, { argnums: [0, 1] })(f64(3), f64(4)) as NdArray[];
    expectNear(gx, 2, TOL64, "float64");
    expectNear(gy, 0.5, TOL64, "float64");
  });

  it("bwd must still answer for inputs without a tangent; their entries are discarded (A4.6, A9.2)", () => {
    const f = customVjp((x: NdArray, y: NdArray) => np.multiply(x, y));
    f.defvjp(
      (x: NdArray, y: NdArray) => [f(x, y), [x, y]],
      ([x, y]: NdArray[], g: NdArray) => [np.multiply(y, g), np.multiply(np.multiply(100, x), g)],
    );
    // y = stopGradient(x): only x's entry counts.
    expectNear(grad((x: NdArray) => f(x, stopGradient(np.multiply(2, x))))(f64(3)), 6, TOL64);
  });
});

// --- checkGrads ---------------------------------------------------------------------------------------------------

describe("checkGrads on customVjp functions", () => {
  it("passes for a correct rule (reverse mode, orders 1 and 2 when fwd uses ordinary ops)", () => {
    const s = customVjp((x: NdArray) => np.sin(x));
    s.defvjp(
      (x: NdArray) => [np.sin(x), np.cos(x)],
      (c: NdArray, g: NdArray) => [np.multiply(c, g)],
    );
    expect(() => checkGrads(s, [f64([0.3, -1.2, 2])], 1, { modes: ["rev"] })).not.toThrow();
    expect(() => checkGrads(s, [f64([0.3, -1.2, 2])], 2, { modes: ["rev"] })).not.toThrow();
  });

  it("fails for a wrong rule", () => {
    const sin2 = makeSin2();
    expect(() => checkGrads(sin2, [f64([0.3, -1.2, 2])], 1, { modes: ["rev"] })).toThrow(GradientCheckError);
  });
});
