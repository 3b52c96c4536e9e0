/**
 * Control flow (lax.cond, lax.switch, lax.whileLoop, lax.foriLoop, lax.scan, lax.map) under every
 * transformation, each result checked against a reference:
 *  - closed forms evaluated in JS float64;
 *  - the same computation written as a plain JS loop / JS `if` over library ops (the "unrolled" reference),
 *    transformed the same way;
 *  - central finite differences;
 *  - JAX's own printed numbers (the fixed-point example).
 *
 * Tolerances (relative to max(1, |expected|)):
 *  - TOL64 = 1e-13 for float64 against closed forms: a handful of correctly rounded (or 1-ulp) operations,
 *    so the error is ~1e-15; a float32 round trip anywhere would show as ~1e-8.
 *  - UNROLLED = 1e-12 for float64 against the unrolled loop: the same operations, but reverse mode through a
 *    scan may sum cotangents in another order; over up to 1,000 steps of contractive updates the rounding
 *    differences stay ~1e-14 (observed 0 to a few ulp), so 1e-12 has headroom and still catches any real bug.
 *  - FD = 1e-7 against central differences with h = 1e-5 in float64: truncation h²·|f'''|/6 ≈ 1e-11 and
 *    rounding eps·|f|/h ≈ 1e-11 for the O(1) functions used here.
 *  - float32 results (the fixed-point example) are compared with JAX's printed float32 numbers to 1 ulp.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  Array as NdArray,
  checkpoint,
  checkpointPolicies,
  config,
  customJvp,
  customVjp,
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
  savedResiduals,
  TransformError,
  valueAndGrad,
  vjp,
  vmap,
} from "../src/index.js";
import { expectNear, f64, nums, TOL64 } from "./helpers/custom-rules.js";

const UNROLLED = 1e-12;
const FD = 1e-7;

const A = (x: unknown): NdArray => x as NdArray;
const s64 = (v: number): NdArray => np.array(v, "float64");

/** Two arrays (or pytrees of arrays) have equal shapes, dtypes and values to tol·max(1, |expected|). */
function expectSame(actual: unknown, expected: unknown, tol: number, label = "value"): void {
  if (expected instanceof NdArray) {
    expect(actual, `${label}: not an array`).toBeInstanceOf(NdArray);
    const a = actual as NdArray;
    expect(a.shape, `${label}: shape`).toEqual(expected.shape);
    expect(a.dtype, `${label}: dtype`).toBe(expected.dtype);
    const g = nums(a);
    const w = nums(expected);
    g.forEach((x, i) => {
      if (Number.isNaN(w[i])) return void expect(x, `${label}[${i}]`).toBeNaN();
      expect(Math.abs(x - w[i]), `${label}[${i}]: got ${x}, expected ${w[i]}`).toBeLessThanOrEqual(
        tol * Math.max(1, Math.abs(w[i])),
      );
    });
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${label}: not a list`).toBe(true);
    expect((actual as unknown[]).length, `${label}: length`).toBe(expected.length);
    expected.forEach((e, i) => expectSame((actual as unknown[])[i], e, tol, `${label}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === "object") {
    expect(Object.keys(actual as object).sort(), `${label}: keys`).toEqual(Object.keys(expected).sort());
    for (const [k, e] of Object.entries(expected))
      expectSame((actual as Record<string, unknown>)[k], e, tol, `${label}.${k}`);
    return;
  }
  expect(actual, label).toBe(expected);
}

/** Central finite difference of a scalar function of one float64 array, along every coordinate. */
function fdGrad(f: (x: NdArray) => NdArray, x: NdArray, h = 1e-5): NdArray {
  const base = nums(x);
  const g = base.map((_, i) => {
    const plus = base.slice();
    const minus = base.slice();
    plus[i] += h;
    minus[i] -= h;
    const fp = nums(f(np.reshape(f64(plus), x.shape)))[0];
    const fm = nums(f(np.reshape(f64(minus), x.shape)))[0];
    return (fp - fm) / (2 * h);
  });
  return np.reshape(f64(g), x.shape);
}

afterEach(() => config.update("debugNans", false));

// =====================================================================================================================
// 1. cond and switch
// =====================================================================================================================

/** The two branches and their closed-form derivatives: x·sin(x) (true) and cos(x) + x (false). */
const tBr = (a: NdArray): NdArray => np.multiply(a, np.sin(a));
const fBr = (a: NdArray): NdArray => np.add(np.cos(a), a);
const tVal = (x: number) => x * Math.sin(x);
const tD1 = (x: number) => Math.sin(x) + x * Math.cos(x);
const tD2 = (x: number) => 2 * Math.cos(x) - x * Math.sin(x);
const fVal = (x: number) => Math.cos(x) + x;
const fD1 = (x: number) => 1 - Math.sin(x);
const fD2 = (x: number) => -Math.cos(x);

/** g(x) = x > 0 ? x·sin(x) : cos(x) + x, elementwise closed forms by the sign of x. */
const gCond = (x: NdArray): NdArray => A(lax.cond(np.greater(x, 0), tBr, fBr, x));
const gVal = (x: number) => (x > 0 ? tVal(x) : fVal(x));
const gD1 = (x: number) => (x > 0 ? tD1(x) : fD1(x));
const gD2 = (x: number) => (x > 0 ? tD2(x) : fD2(x));

/** The predicate depends on the whole vector (sum > 0): both branches act elementwise on it. */
const gVec = (v: NdArray): NdArray => A(lax.cond(np.greater(np.sum(v), 0), tBr, fBr, v));
const vPos = [0.7, -0.4, 1.1];
const vNeg = [-0.7, 0.4, -1.1];

describe("cond: values", () => {
  it("takes the true branch for a true predicate and the false branch for a false one", () => {
    for (const x of [0.7, -1.3]) expectNear(gCond(s64(x)), gVal(x), TOL64, "float64");
    expectNear(gVec(f64(vPos)), vPos.map(tVal), TOL64, "float64");
    expectNear(gVec(f64(vNeg)), vNeg.map(fVal), TOL64, "float64");
  });

  it("accepts JS booleans and nonzero/zero integer and float predicates (truthiness, as JAX)", () => {
    const x = s64(0.5);
    expectNear(lax.cond(true, tBr, fBr, x), tVal(0.5), TOL64);
    expectNear(lax.cond(false, tBr, fBr, x), fVal(0.5), TOL64);
    expectNear(lax.cond(np.array(3, "int32"), tBr, fBr, x), tVal(0.5), TOL64);
    expectNear(lax.cond(np.array(0, "int32"), tBr, fBr, x), fVal(0.5), TOL64);
    expectNear(lax.cond(np.array(-0.25, "float64"), tBr, fBr, x), tVal(0.5), TOL64);
    expectNear(lax.cond(np.array(0, "float32"), tBr, fBr, x), fVal(0.5), TOL64);
  });

  it("passes several operands and closes over outer values", () => {
    const w = s64(3);
    const r = lax.cond(
      true,
      (a: NdArray, b: NdArray) => np.add(np.multiply(a, w), b),
      (a: NdArray, b: NdArray) => np.subtract(a, b),
      s64(2),
      s64(0.5),
    );
    expectNear(r, 6.5, TOL64, "float64");
  });

  it("runs only the taken branch eagerly: a NaN-producing untaken branch does not trip debugNans", () => {
    // Both branches are traced (abstractly, no values), but only the chosen one is evaluated. With debugNans on,
    // evaluating log(-1) would throw FloatingPointError, so its absence shows that the branch did not run.
    config.update("debugNans", true);
    const safeLog = (x: NdArray) =>
      A(
        lax.cond(
          np.greater(x, 0),
          (a: NdArray) => np.log(a),
          (a: NdArray) => a,
          x,
        ),
      );
    expectNear(safeLog(s64(-1)), -1, TOL64);
    expectNear(safeLog(s64(Math.E)), 1, TOL64);
    // Control: the same NaN in the taken branch does throw.
    expect(() =>
      lax.cond(
        false,
        (a: NdArray) => a,
        (a: NdArray) => np.log(a),
        s64(-1),
      ),
    ).toThrow(FloatingPointError);
    // And switch: only branch 2 runs.
    const sw = lax.switch(
      2,
      [(a: NdArray) => np.log(a), (a: NdArray) => np.sqrt(a), (a: NdArray) => np.abs(a)],
      s64(-4),
    );
    expectNear(sw, 4, TOL64);
  });

  it("traces each branch exactly once per call (JS side effects happen at trace time, for both branches)", () => {
    const calls = { t: 0, f: 0 };
    const t = (a: NdArray) => (calls.t++, np.sin(a));
    const f = (a: NdArray) => (calls.f++, np.cos(a));
    lax.cond(true, t, f, s64(1));
    expect(calls).toEqual({ t: 1, f: 1 });
    // Under jit, the second call with the same signature reuses the compiled program: no retracing.
    const jf = jit((p: NdArray, x: NdArray) => lax.cond(p, t, f, x));
    jf(np.array(true), s64(1));
    jf(np.array(false), s64(1));
    expect(calls).toEqual({ t: 2, f: 2 });
    expect(jf.cacheSize()).toBe(1);
  });
});

describe("cond: differentiation", () => {
  const xs = [0.7, -1.3];

  it("grad follows the taken branch", () => {
    for (const x of xs) expectNear(grad(gCond)(s64(x)), gD1(x), TOL64, "float64");
    expectNear(grad((v: NdArray) => np.sum(gVec(v)))(f64(vPos)), vPos.map(tD1), TOL64, "float64");
    expectNear(grad((v: NdArray) => np.sum(gVec(v)))(f64(vNeg)), vNeg.map(fD1), TOL64, "float64");
  });

  it("grad with respect to a value closed over by one branch only", () => {
    // h(w) = p ? x·w² : x + 1: the false branch does not use w, so its derivative is 0 there.
    const h = (p: boolean) => (w: NdArray) =>
      A(
        lax.cond(
          p,
          (a: NdArray) => np.multiply(a, np.multiply(w, w)),
          (a: NdArray) => np.add(a, 1),
          s64(1.5),
        ),
      );
    expectNear(grad(h(true))(s64(0.8)), 2 * 1.5 * 0.8, TOL64, "float64");
    expectNear(grad(h(false))(s64(0.8)), 0, TOL64, "float64");
  });

  it("jvp, linearize and vjp", () => {
    for (const x of xs) {
      const [y, t] = jvp(gCond, [s64(x)], [s64(0.3)]);
      expectNear(y, gVal(x), TOL64);
      expectNear(t, 0.3 * gD1(x), TOL64);
      const [y2, fjvp] = linearize(gCond, s64(x));
      expectNear(y2, gVal(x), TOL64);
      expectNear(fjvp(s64(0.3)), 0.3 * gD1(x), TOL64);
      expectNear(fjvp(s64(-2)), -2 * gD1(x), TOL64);
      const [y3, pullback] = vjp(gCond, s64(x));
      expectNear(y3, gVal(x), TOL64);
      expectNear(pullback(s64(0.3))[0], 0.3 * gD1(x), TOL64);
    }
  });

  it("jacfwd, jacrev and hessian of a vector function", () => {
    // The Jacobian of the elementwise branches is diagonal; the Hessian of sum(branch(v)) is diagonal too.
    const diag = (d: number[]) => d.map((di, i) => d.map((_, j) => (i === j ? di : 0)));
    for (const [v, d1, d2] of [
      [vPos, tD1, tD2],
      [vNeg, fD1, fD2],
    ] as const) {
      expectNear(jacfwd(gVec)(f64(v)), diag(v.map(d1)), TOL64, "float64");
      expectNear(jacrev(gVec)(f64(v)), diag(v.map(d1)), TOL64, "float64");
      expectNear(hessian((u: NdArray) => np.sum(gVec(u)))(f64(v)), diag(v.map(d2)), TOL64, "float64");
    }
  });

  it("second derivatives: grad(grad) and jacfwd(jacrev)", () => {
    for (const x of xs) {
      expectNear(grad(grad(gCond))(s64(x)), gD2(x), TOL64);
      expectNear(jacfwd(jacrev(gCond))(s64(x)), gD2(x), TOL64);
    }
  });

  it("an integer output alongside a float one gets no cotangent and does not disturb the float one", () => {
    const f = (x: NdArray) => {
      const [y, k] = lax.cond(
        np.greater(x, 0),
        (a: NdArray) => [np.multiply(a, a), np.array(1, "int32")],
        (a: NdArray) => [np.negative(a), np.array(2, "int32")],
        x,
      ) as [NdArray, NdArray];
      return np.multiply(y, k.astype("float64"));
    };
    expectNear(grad(f)(s64(0.5)), 1.0, TOL64);
    expectNear(grad(f)(s64(-0.5)), -2, TOL64);
  });
});

describe("cond: jit", () => {
  it("jit(cond) with a traced predicate picks the branch at run time", () => {
    const jf = jit(gCond);
    for (const x of [0.7, -1.3]) expectNear(jf(s64(x)), gVal(x), TOL64, "float64");
    expect(jf.cacheSize()).toBe(1);
    expect(makeJaxpr(gCond)(s64(1)).toString()).toContain("cond[");
  });

  it("grad(jit(cond)) and jit(grad(cond))", () => {
    for (const x of [0.7, -1.3]) {
      expectNear(grad(jit(gCond))(s64(x)), gD1(x), TOL64);
      expectNear(jit(grad(gCond))(s64(x)), gD1(x), TOL64);
      expectNear(jit(grad(grad(gCond)))(s64(x)), gD2(x), TOL64);
    }
  });
});

describe("cond: vmap", () => {
  const v = [0.7, -1.3, 2.1, -0.2];

  it("an unbatched predicate stays a cond over the batched operand", () => {
    const f = (p: boolean) => (x: NdArray) => A(lax.cond(p, tBr, fBr, x));
    expectNear(vmap(f(true))(f64(v)), v.map(tVal), TOL64, "float64");
    expectNear(vmap(f(false))(f64(v)), v.map(fVal), TOL64, "float64");
    // in_axes with an unbatched predicate argument
    const g = (p: NdArray, x: NdArray) => A(lax.cond(p, tBr, fBr, x));
    expectNear(vmap(g, { inAxes: [null, 0] })(np.array(true), f64(v)), v.map(tVal), TOL64);
    const text = makeJaxpr(vmap(g, { inAxes: [null, 0] }))(np.array(true), f64(v)).toString();
    expect(text).toContain("cond[");
    expect(text).not.toContain("select_n");
  });

  it("a batched predicate selects each example's branch (both run, then select_n)", () => {
    expectNear(vmap(gCond)(f64(v)), v.map(gVal), TOL64, "float64");
    const text = makeJaxpr(vmap(gCond))(f64(v)).toString();
    expect(text).toContain("select_n");
    expect(text).not.toContain("cond[");
    // Predicate batched, operand not batched.
    const g = (p: NdArray, x: NdArray) => A(lax.cond(p, tBr, fBr, x));
    expectNear(
      vmap(g, { inAxes: [0, null] })(np.array([true, false, true]), s64(0.4)),
      [tVal(0.4), fVal(0.4), tVal(0.4)],
      TOL64,
    );
  });

  it("vmap over a batch axis other than 0 and a vector operand", () => {
    const data = [vPos, vNeg];
    // columns are examples: in_axes 1
    const cols = np.transpose(f64(data));
    expectNear(vmap(gVec, { inAxes: 1 })(cols), [vPos.map(tVal), vNeg.map(fVal)], TOL64);
  });

  it("vmap(grad(cond)), grad(vmap(cond)), vmap(jit(cond)) and jit(vmap(grad(cond)))", () => {
    expectNear(vmap(grad(gCond))(f64(v)), v.map(gD1), TOL64, "float64");
    expectNear(grad((u: NdArray) => np.sum(vmap(gCond)(u)))(f64(v)), v.map(gD1), TOL64, "float64");
    expectNear(vmap(jit(gCond))(f64(v)), v.map(gVal), TOL64);
    expectNear(jit(vmap(grad(gCond)))(f64(v)), v.map(gD1), TOL64);
    expectNear(vmap(grad(grad(gCond)))(f64(v)), v.map(gD2), TOL64);
  });
});

describe("cond: nesting and pytrees", () => {
  /** Four regions: x > 1 → x³, 0 < x ≤ 1 → sin x, -1 < x ≤ 0 → x², x ≤ -1 → exp(x). */
  const nested = (x: NdArray): NdArray =>
    A(
      lax.cond(
        np.greater(x, 0),
        (a: NdArray) => lax.cond(np.greater(a, 1), (b: NdArray) => np.multiply(b, np.multiply(b, b)), np.sin, a),
        (a: NdArray) => lax.cond(np.greater(a, -1), (b: NdArray) => np.multiply(b, b), np.exp, a),
        x,
      ),
    );
  const cases: [number, number, number][] = [
    [1.5, 1.5 ** 3, 3 * 1.5 ** 2],
    [0.5, Math.sin(0.5), Math.cos(0.5)],
    [-0.5, 0.25, -1],
    [-1.5, Math.exp(-1.5), Math.exp(-1.5)],
  ];

  it("nested conds: values, grad, jit and vmap", () => {
    for (const [x, val, d] of cases) {
      expectNear(nested(s64(x)), val, TOL64);
      expectNear(grad(nested)(s64(x)), d, TOL64);
      expectNear(jit(grad(nested))(s64(x)), d, TOL64);
    }
    const xs = f64(cases.map((c) => c[0]));
    expectNear(
      vmap(nested)(xs),
      cases.map((c) => c[1]),
      TOL64,
    );
    expectNear(
      vmap(grad(nested))(xs),
      cases.map((c) => c[2]),
      TOL64,
    );
  });

  it("pytree operands and outputs, with grad over the tree", () => {
    type In = { a: NdArray; b: [NdArray, NdArray] };
    type Out = [NdArray, { s: NdArray }];
    const f = (p: boolean, t: In): Out =>
      lax.cond(
        p,
        (o: In): Out => [np.multiply(o.a, o.b[0]), { s: np.add(o.b[1], o.a) }],
        (o: In): Out => [np.subtract(o.b[1], o.a), { s: np.multiply(o.b[0], o.b[0]) }],
        t,
      ) as Out;
    const t: In = { a: s64(2), b: [s64(3), s64(5)] };
    const [y, { s }] = f(true, t);
    expectNear(y, 6, TOL64);
    expectNear(s, 7, TOL64);
    const [y2, { s: s2 }] = f(false, t);
    expectNear(y2, 3, TOL64);
    expectNear(s2, 9, TOL64);
    // loss = out[0] + 2·out[1].s
    const loss = (p: boolean) => (o: In) => {
      const [u, { s: w }] = f(p, o);
      return np.add(u, np.multiply(2, w));
    };
    expectSame(grad(loss(true))(t), { a: s64(3 + 2), b: [s64(2), s64(2)] }, TOL64);
    expectSame(grad(loss(false))(t), { a: s64(-1), b: [s64(2 * 2 * 3), s64(1)] }, TOL64);
  });
});

describe("switch", () => {
  const branches = [
    (a: NdArray) => np.sin(a),
    (a: NdArray) => np.multiply(a, a),
    (a: NdArray) => np.exp(np.multiply(-0.5, a)),
  ];
  const vals = [Math.sin, (x: number) => x * x, (x: number) => Math.exp(-0.5 * x)];
  const ders = [Math.cos, (x: number) => 2 * x, (x: number) => -0.5 * Math.exp(-0.5 * x)];
  const sw = (i: NdArray | number, x: NdArray) => A(lax.switch(i, branches, x));
  const x = 0.8;

  it("applies branch i; the index is clamped into [0, n-1] (negative → 0, too large → n-1)", () => {
    const expected = (i: number) => vals[Math.min(Math.max(i, 0), 2)](x);
    for (const i of [-7, -1, 0, 1, 2, 3, 100]) {
      expectNear(sw(i, s64(x)), expected(i), TOL64, "float64");
      expectNear(sw(np.array(i, "int32"), s64(x)), expected(i), TOL64, "float64");
      expectNear(jit(sw)(np.array(i, "int32"), s64(x)), expected(i), TOL64, "float64");
    }
  });

  it("grad, jvp and jit(grad) through switch", () => {
    for (const i of [-1, 0, 1, 2, 5]) {
      const c = Math.min(Math.max(i, 0), 2);
      const idx = np.array(i, "int32");
      expectNear(grad((y: NdArray) => sw(idx, y))(s64(x)), ders[c](x), TOL64);
      expectNear(jvp((y: NdArray) => sw(idx, y), [s64(x)], [s64(2)])[1], 2 * ders[c](x), TOL64);
      expectNear(jit(grad(sw, { argnums: 1 }))(idx, s64(x)), ders[c](x), TOL64);
    }
  });

  it("vmap with a batched index (including out-of-range ones) and vmap(grad)", () => {
    const idx = np.array([-3, 0, 1, 2, 9], "int32");
    const xsN = [0.1, 0.2, 0.3, 0.4, 0.5];
    const clamp = [0, 0, 1, 2, 2];
    expectNear(
      vmap(sw)(idx, f64(xsN)),
      xsN.map((v, k) => vals[clamp[k]](v)),
      TOL64,
      "float64",
    );
    expectNear(
      vmap(grad(sw, { argnums: 1 }))(idx, f64(xsN)),
      xsN.map((v, k) => ders[clamp[k]](v)),
      TOL64,
    );
    // An unbatched index with a batched operand.
    expectNear(vmap(sw, { inAxes: [null, 0] })(np.array(1, "int32"), f64(xsN)), xsN.map(vals[1]), TOL64);
  });

  it("a single branch is applied whatever the index", () => {
    expectNear(lax.switch(5, [np.sin], s64(x)), Math.sin(x), TOL64);
  });
});

// =====================================================================================================================
// 2. whileLoop
// =====================================================================================================================

const REVERSE_WHILE =
  "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. " +
  "Try using lax.scan, or using fori_loop with static start/stop.";

/** Doubles x until it reaches 10: returns [steps, x]. JS reference below. */
const doubleUntil = (x: NdArray): [NdArray, NdArray] =>
  lax.whileLoop(
    ([, v]: [NdArray, NdArray]) => np.less(v, 10),
    ([i, v]: [NdArray, NdArray]) => [np.add(i, 1), np.multiply(v, 2)] as [NdArray, NdArray],
    [np.array(0, "int32"), x] as [NdArray, NdArray],
  );
function doubleUntilJs(x: number): [number, number] {
  let i = 0;
  while (x < 10) [i, x] = [i + 1, x * 2];
  return [i, x];
}

/** Newton's iteration for √a, a fixed number of times under a counter: x ← (x + a/x)/2. */
const newtonSteps = 6;
const newton = (a: NdArray, x0: NdArray): NdArray =>
  lax.whileLoop(
    ([i]: [NdArray, NdArray]) => np.less(i, newtonSteps),
    ([i, x]: [NdArray, NdArray]) => [np.add(i, 1), np.multiply(0.5, np.add(x, np.divide(a, x)))] as [NdArray, NdArray],
    [np.array(0, "int32"), x0] as [NdArray, NdArray],
  )[1];
/** The same iteration unrolled in JS over library ops: the reference for every transformation. */
const newtonUnrolled = (a: NdArray, x0: NdArray): NdArray => {
  let x = x0;
  for (let i = 0; i < newtonSteps; i++) x = np.multiply(0.5, np.add(x, np.divide(a, x)));
  return x;
};

describe("whileLoop: values and jit", () => {
  it("runs the body while the condition holds (data-dependent step counts)", () => {
    for (const x0 of [1, 3, 0.01, 10, 25]) {
      const [i, x] = doubleUntil(s64(x0));
      const [iRef, xRef] = doubleUntilJs(x0);
      expectNear(i, iRef, 0, "int32");
      expectNear(x, xRef, 0, "float64");
    }
  });

  it("a loop that never runs returns its initial carry unchanged", () => {
    const [i, x] = doubleUntil(s64(12.5));
    expect(nums(i)).toEqual([0]);
    expect(nums(x)).toEqual([12.5]);
  });

  it("pytree carry with closed-over constants in cond and body", () => {
    const limit = s64(50);
    const step = s64(1.5);
    const out = lax.whileLoop(
      (c: { k: NdArray; acc: [NdArray, NdArray] }) => np.less(c.acc[0], limit),
      (c: { k: NdArray; acc: [NdArray, NdArray] }) => ({
        k: np.add(c.k, 1),
        acc: [np.add(c.acc[0], np.multiply(step, c.acc[1])), np.add(c.acc[1], 1)] as [NdArray, NdArray],
      }),
      { k: np.array(0, "int32"), acc: [s64(0), s64(1)] as [NdArray, NdArray] },
    );
    let [k, s, t] = [0, 0, 1];
    while (s < 50) [k, s, t] = [k + 1, s + 1.5 * t, t + 1];
    expectNear(out.k, k, 0, "int32");
    expectNear(out.acc[0], s, TOL64, "float64");
    expectNear(out.acc[1], t, TOL64, "float64");
  });

  it("jit: one compiled program runs different numbers of steps", () => {
    const jf = jit(doubleUntil);
    for (const x0 of [1, 3, 0.01, 25]) {
      const [i, x] = jf(s64(x0));
      const [iRef, xRef] = doubleUntilJs(x0);
      expect(nums(i)).toEqual([iRef]);
      expect(nums(x)).toEqual([xRef]);
    }
    expect(jf.cacheSize()).toBe(1);
    expect(makeJaxpr(doubleUntil)(s64(1)).toString()).toContain("while[");
  });
});

describe("whileLoop: forward-mode differentiation", () => {
  it("jvp through a data-dependent loop: d(2^k x)/dx = 2^k with k fixed by the primal", () => {
    for (const x0 of [1, 3, 0.01]) {
      const [k] = doubleUntilJs(x0);
      const [[i, y], [ti, ty]] = jvp(doubleUntil, [s64(x0)], [s64(0.5)]) as unknown as [NdArray[], NdArray[]];
      expect(nums(i)).toEqual([k]);
      expectNear(y, doubleUntilJs(x0)[1], 0);
      expectNear(ty, 0.5 * 2 ** k, 0);
      // The integer counter has a float0-like zero tangent.
      expect(nums(ti).every((v) => v === 0)).toBe(true);
    }
  });

  it("jvp with respect to a closed-over constant and the initial value, against the unrolled loop", () => {
    const a = s64(2);
    const x0 = s64(1.3);
    const [y, t] = jvp(newton, [a, x0], [s64(0.7), s64(-0.4)]);
    const [yRef, tRef] = jvp(newtonUnrolled, [a, x0], [s64(0.7), s64(-0.4)]);
    expectSame(y, yRef, UNROLLED);
    expectSame(t, tRef, UNROLLED);
    // Newton has converged: y = √2 and dy/da = 1/(2√2) (the dependence on x0 has died out quadratically).
    expectNear(y, Math.SQRT2, TOL64);
    expectNear(t, 0.7 / (2 * Math.SQRT2), 1e-12);
  });

  it("jacfwd of a vector loop, and jit(jvp) / jvp(jit)", () => {
    const f = (v: NdArray) => newton(v, np.onesLike(v));
    const v = f64([2, 3, 0.5]);
    expectSame(jacfwd(f)(v), jacfwd((u: NdArray) => newtonUnrolled(u, np.onesLike(u)))(v), UNROLLED);
    const [, t1] = jit((u: NdArray, du: NdArray) => jvp(f, [u], [du]))(v, f64([1, 1, 1]));
    const [, t2] = jvp(jit(f), [v], [f64([1, 1, 1])]);
    expectNear(
      t1,
      [2, 3, 0.5].map((x) => 1 / (2 * Math.sqrt(x))),
      1e-12,
    );
    expectSame(t2, t1, UNROLLED);
  });
});

describe("whileLoop: vmap", () => {
  it("an unbatched predicate (counter loop) over batched values stays a plain while", () => {
    const as = [2, 3, 0.5, 10];
    const f = (a: NdArray) => newton(a, s64(1));
    expectSame(vmap(f)(f64(as)), f64(as.map((a) => nums(newtonUnrolled(s64(a), s64(1)))[0])), UNROLLED);
    const text = makeJaxpr(vmap(f))(f64(as)).toString();
    expect(text).toContain("while[");
    expect(text).not.toContain("reduce_or");
  });

  it("a batched predicate: lanes finish at different steps, finished lanes stay unchanged", () => {
    const x0s = [1, 3, 0.01, 12.5, 9.99];
    const [is, xs] = vmap(doubleUntil)(f64(x0s));
    expect(nums(is)).toEqual(x0s.map((x) => doubleUntilJs(x)[0]));
    expect(nums(xs)).toEqual(x0s.map((x) => doubleUntilJs(x)[1]));
    // The lane that starts at 12.5 never runs: its value is bit-for-bit its input.
    expect(nums(xs)[3]).toBe(12.5);
    expect(makeJaxpr(vmap(doubleUntil))(f64(x0s)).toString()).toContain("reduce_or");
  });

  it("a batched predicate with an unbatched part of the carry and a batched closed-over bound", () => {
    // Count up to a per-lane limit: the counter starts unbatched; the limit is closed over from the vmapped argument.
    const count = (limit: NdArray) =>
      lax.whileLoop(
        ([i]: [NdArray, NdArray]) => np.less(i, limit),
        ([i, s]: [NdArray, NdArray]) => [np.add(i, 1), np.add(s, np.multiply(i, i))] as [NdArray, NdArray],
        [s64(0), s64(0)] as [NdArray, NdArray],
      );
    const limits = [0, 1, 4, 7];
    const [i, s] = vmap(count)(f64(limits));
    expect(nums(i)).toEqual(limits);
    expect(nums(s)).toEqual(limits.map((n) => ((n - 1) * n * (2 * n - 1)) / 6));
  });

  it("vmap of a while inside jit, jit of vmap, and vmap(jvp)", () => {
    const x0s = f64([1, 3, 0.01, 12.5]);
    const ref = [1, 3, 0.01, 12.5].map(doubleUntilJs);
    const [i1, x1] = vmap(jit(doubleUntil))(x0s);
    const [i2, x2] = jit(vmap(doubleUntil))(x0s);
    expect(nums(i1)).toEqual(ref.map((r) => r[0]));
    expect(nums(x1)).toEqual(ref.map((r) => r[1]));
    expect(nums(i2)).toEqual(ref.map((r) => r[0]));
    expect(nums(x2)).toEqual(ref.map((r) => r[1]));
    const t = vmap((x: NdArray) => jvp((y: NdArray) => doubleUntil(y)[1], [x], [s64(1)])[1])(x0s);
    expect(nums(t)).toEqual(ref.map((r) => 2 ** r[0]));
  });
});

describe("whileLoop: reverse mode raises JAX's error", () => {
  const f = (x: NdArray) => doubleUntil(x)[1];
  it("linearize works, as in JAX, and its linear function equals jvp; only transposing fails", () => {
    const g = (x: NdArray) =>
      lax.whileLoop(
        (c: NdArray) => np.less(c, 10),
        (c: NdArray) => np.multiply(c, c),
        x,
      );
    const [y, lin] = linearize(g, s64(1.5));
    const [yj, tj] = jvp(g, [s64(1.5)], [s64(1)]);
    // 1.5 → 2.25 → 5.0625 → 25.62890625: y = x⁸ and dy/dx = 8x⁷ = 136.6875, exactly in float64.
    expectNear(y, 25.62890625, 0, "float64");
    expectNear(yj, 25.62890625, 0, "float64");
    expectNear(lin(s64(1)), 136.6875, 0, "float64");
    expectNear(tj, 136.6875, 0, "float64");
  });
  for (const [name, run] of [
    ["grad", () => grad(f)(s64(1))],
    ["vjp (when the pullback runs, as in JAX)", () => vjp(f, s64(1))[1](s64(1))],
    ["jacrev", () => jacrev(f)(s64(1))],
    ["grad(jit)", () => grad(jit(f))(s64(1))],
    ["jit(grad)", () => jit(grad(f))(s64(1))],
    ["vmap(grad)", () => vmap(grad(f))(f64([1, 2]))],
    [
      "grad of a loop whose only differentiable input is a closed-over value",
      () => grad((a: NdArray) => newton(a, s64(1)))(s64(2)),
    ],
  ] as const) {
    it(name, () => {
      expect(run).toThrow(TransformError);
      expect(run).toThrow(REVERSE_WHILE);
    });
  }
});

// =====================================================================================================================
// 3. foriLoop
// =====================================================================================================================

/** body(i, x) = x·cos(x) + i/10, as a foriLoop and unrolled. */
const foriBody = (i: NdArray, x: NdArray): NdArray =>
  np.add(np.multiply(x, np.cos(x)), np.divide(i.astype("float64"), 10));
const foriUnrolled = (lo: number, hi: number, x: NdArray): NdArray => {
  for (let i = lo; i < hi; i++) x = np.add(np.multiply(x, np.cos(x)), np.divide(np.array(i, "float64"), 10));
  return x;
};

describe("foriLoop", () => {
  it("static bounds: values equal the unrolled loop, and zero-trip loops return the input", () => {
    const x = s64(0.6);
    expectSame(lax.foriLoop(2, 7, foriBody, x), foriUnrolled(2, 7, x), UNROLLED);
    expectSame(lax.foriLoop(5, 5, foriBody, x), x, 0);
    expectSame(lax.foriLoop(7, 2, foriBody, x), x, 0);
  });

  it("static bounds lower to scan and are reverse-differentiable (grad against the unrolled loop)", () => {
    const f = (x: NdArray) => lax.foriLoop(0, 8, foriBody, x);
    expect(makeJaxpr(f)(s64(0.6)).toString()).toContain("scan[");
    expect(makeJaxpr(f)(s64(0.6)).toString()).not.toContain("while[");
    for (const x0 of [0.6, -1.1]) {
      const g = grad(f)(s64(x0));
      expectSame(g, grad((x: NdArray) => foriUnrolled(0, 8, x))(s64(x0)), UNROLLED);
      expectSame(g, fdGrad(f, s64(x0)), FD);
      expectSame(grad(grad(f))(s64(x0)), grad(grad((x: NdArray) => foriUnrolled(0, 8, x)))(s64(x0)), UNROLLED);
      expectSame(jit(grad(f))(s64(x0)), g, UNROLLED);
    }
  });

  it("traced bounds (jit with a traced upper bound) lower to a while loop: values and jvp", () => {
    const f = (x: NdArray, n: NdArray) => lax.foriLoop(0, n, foriBody, x);
    expect(makeJaxpr(f)(s64(0.6), np.array(3, "int32")).toString()).toContain("while[");
    const jf = jit(f);
    for (const n of [0, 1, 4, 9]) {
      expectSame(jf(s64(0.6), np.array(n, "int32")), foriUnrolled(0, n, s64(0.6)), UNROLLED);
      const [, t] = jvp((x: NdArray) => jf(x, np.array(n, "int32")), [s64(0.6)], [s64(1)]);
      expectSame(t, grad((x: NdArray) => foriUnrolled(0, n, x))(s64(0.6)), UNROLLED);
    }
    expect(jf.cacheSize()).toBe(1);
  });

  it("traced bounds: grad raises JAX's reverse-mode error", () => {
    const f = (x: NdArray, n: NdArray) => lax.foriLoop(0, n, foriBody, x);
    const run = () => grad(jit(f))(s64(0.6), np.array(3, "int32"));
    expect(run).toThrow(TransformError);
    expect(run).toThrow(REVERSE_WHILE);
    // Array bounds (not JS numbers) are dynamic even eagerly, as in JAX: while loop, no reverse mode.
    const eager = () =>
      grad((x: NdArray) => lax.foriLoop(np.array(0, "int32"), np.array(3, "int32"), foriBody, x))(s64(0.6));
    expect(eager).toThrow(REVERSE_WHILE);
  });

  it("a pytree value and vmap over it", () => {
    type V = [NdArray, NdArray];
    const body = (i: NdArray, [a, b]: V): V => [np.add(a, b), np.multiply(b, i.astype("float64"))];
    const out = lax.foriLoop(1, 4, body, [s64(1), s64(2)] as V);
    // i=1: [3, 2]; i=2: [5, 4]; i=3: [9, 12]
    expectNear(out[0], 9, 0);
    expectNear(out[1], 12, 0);
    const [va, vb] = vmap((a: NdArray) => lax.foriLoop(1, 4, body, [a, s64(2)] as V))(f64([1, 0]));
    expectNear(va, [9, 8], 0);
    expectNear(vb, [12, 12], 0);
  });
});

// =====================================================================================================================
// 4. scan
// =====================================================================================================================

/** A JS loop over the rows of xs: the unrolled reference of a scan (same library ops, no control flow). */
function unrolledScan<C>(f: (c: C, x: NdArray) => [C, NdArray], init: C, xs: NdArray, reverse = false): [C, NdArray] {
  const n = xs.shape[0];
  const ys: NdArray[] = new Array<NdArray>(n);
  let c = init;
  for (let s = 0; s < n; s++) {
    const i = reverse ? n - 1 - s : s;
    [c, ys[i]] = f(c, xs.get(i));
  }
  return [c, np.stack(ys)];
}

describe("scan: values", () => {
  const data = [1.5, -2, 0.25, 4, 3];

  it("cumulative sums and products (carry and stacked ys)", () => {
    const [s, cs] = lax.scan((c: NdArray, x: NdArray) => [np.add(c, x), np.add(c, x)] as const, s64(0), f64(data));
    const [p, cp] = lax.scan(
      (c: NdArray, x: NdArray) => [np.multiply(c, x), np.multiply(c, x)] as const,
      s64(1),
      f64(data),
    );
    const cum = (op: (a: number, b: number) => number, z: number) =>
      data.map(
        (
          (acc) => (x: number) =>
            (acc = op(acc, x))
        )(z),
      );
    expectNear(s, 6.75, 0, "float64");
    expectNear(
      cs,
      cum((a, b) => a + b, 0),
      0,
      "float64",
    );
    expectNear(p, -9, 0, "float64");
    expectNear(
      cp,
      cum((a, b) => a * b, 1),
      0,
      "float64",
    );
    expectNear(cs, nums(np.cumsum(f64(data))), 0);
  });

  it("reverse = true walks xs backwards and writes ys at their own index", () => {
    const [s, cs] = lax.scan((c: NdArray, x: NdArray) => [np.add(c, x), np.add(c, x)] as const, s64(0), f64(data), {
      reverse: true,
    });
    const suffix = data.map((_, i) => data.slice(i).reduce((a, b) => a + b, 0));
    expectNear(s, 6.75, 0);
    expectNear(cs, suffix, 0);
    // A non-commutative body shows the order: c' = 2c + x.
    const [h] = lax.scan((c: NdArray, x: NdArray) => [np.add(np.multiply(2, c), x), null] as const, s64(0), f64(data), {
      reverse: true,
    });
    expectNear(
      h,
      data.reduceRight((c, x) => 2 * c + x, 0),
      0,
    );
  });

  it("pytree carry, xs and ys", () => {
    type C = { s: NdArray; p: NdArray };
    type X = [NdArray, { b: NdArray }];
    const xs: X = [
      f64([1, 2, 3]),
      {
        b: f64([
          [1, 0],
          [0, 1],
          [2, 2],
        ]),
      },
    ];
    const [c, ys] = lax.scan(
      (carry: C, [a, { b }]: X) => {
        const s = np.add(carry.s, a);
        const p = np.multiply(carry.p, np.sum(b));
        return [
          { s, p },
          { u: np.multiply(a, b), v: [s, np.array(1, "int32")] },
        ] as const;
      },
      { s: s64(0), p: s64(1) },
      xs,
    );
    expectNear(c.s, 6, 0, "float64");
    expectNear(c.p, 4, 0, "float64");
    expectNear(
      ys.u,
      [
        [1, 0],
        [0, 2],
        [6, 6],
      ],
      0,
      "float64",
    );
    expectNear(ys.v[0], [1, 3, 6], 0, "float64");
    expectNear(ys.v[1], [1, 1, 1], 0, "int32");
  });

  it("xs = null with a length, and ys = null", () => {
    // Fibonacci: carry [a, b] → [b, a + b], y = a.
    const [[a, b], fib] = lax.scan(
      ([p, q]: [NdArray, NdArray], _x: null) => [[q, np.add(p, q)] as [NdArray, NdArray], p] as const,
      [np.array(0, "int32"), np.array(1, "int32")] as [NdArray, NdArray],
      null,
      { length: 10 },
    );
    expect(nums(fib)).toEqual([0, 1, 1, 2, 3, 5, 8, 13, 21, 34]);
    expect([nums(a)[0], nums(b)[0]]).toEqual([55, 89]);
    const [c, ys] = lax.scan((k: NdArray, x: NdArray) => [np.add(k, x), null] as const, s64(0), f64(data));
    expect(ys).toBeNull();
    expectNear(c, 6.75, 0);
    // A zero-length scan returns the initial carry and empty ys.
    const [c0, y0] = lax.scan((k: NdArray, x: NdArray) => [np.add(k, x), x] as const, s64(3), np.zeros([0], "float64"));
    expectNear(c0, 3, 0);
    expect(y0.shape).toEqual([0]);
  });

  it("matrix xs and a vector carry match the unrolled loop; jit(scan) too", () => {
    const W = f64([
      [0.5, -0.2, 0.1],
      [0.3, 0.8, -0.4],
    ]);
    const body = (c: NdArray, x: NdArray): [NdArray, NdArray] => {
      const h = np.tanh(np.add(np.matmul(W, c), x));
      return [np.add(c, np.matmul(np.transpose(W), h)), np.sum(h)];
    };
    const xs = np.reshape(f64([0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8]), [4, 2]);
    const c0 = f64([0.3, -0.1, 0.2]);
    const ref = unrolledScan(body, c0, xs);
    expectSame(lax.scan(body, c0, xs), ref, UNROLLED);
    expectSame(jit((c: NdArray, x: NdArray) => lax.scan(body, c, x))(c0, xs), ref, UNROLLED);
    expectSame(lax.scan(body, c0, xs, { reverse: true }), unrolledScan(body, c0, xs, true), UNROLLED);
  });
});

/** The long-scan problem: carry c ∈ R³, xs ∈ R^{n×3}, a closed-over w ∈ R³. */
const w3 = f64([0.3, -0.7, 1.1]);
const longBody =
  (w: NdArray) =>
  (c: NdArray, x: NdArray): [NdArray, NdArray] => {
    const c2 = np.add(c, np.multiply(0.01, np.sin(np.add(np.multiply(c, x), w))));
    return [c2, np.sum(np.multiply(c2, x))];
  };
/** loss = |c_n|² + Σ_t y_t + Σ_t t·y_t/n (weights on ys so that their cotangents differ per step). */
function longLoss(runner: typeof lax.scan | typeof unrolledScan, w: NdArray, c0: NdArray, xs: NdArray): NdArray {
  const [c, ys] = (runner as typeof unrolledScan)(longBody(w), c0, xs);
  const n = xs.shape[0];
  const weights = np.divide(np.arange(0, n, 1, "float64"), n);
  return np.add(np.sum(np.multiply(c, c)), np.add(np.sum(ys), np.sum(np.multiply(weights, ys))));
}
function longXs(n: number): NdArray {
  const v: number[] = [];
  for (let i = 0; i < n * 3; i++) v.push(Math.sin(0.37 * i + 0.1) * 1.5);
  return np.reshape(f64(v), [n, 3]);
}

describe("scan: reverse mode", () => {
  it("grad through a 1,000-step scan equals grad of the unrolled loop and finite differences", () => {
    const n = 1000;
    const xs = longXs(n);
    const c0 = f64([0.2, -0.5, 0.9]);
    const viaScan = (w: NdArray, c: NdArray, x: NdArray) => longLoss(lax.scan, w, c, x);
    const viaLoop = (w: NdArray, c: NdArray, x: NdArray) => longLoss(unrolledScan, w, c, x);
    expectSame(viaScan(w3, c0, xs), viaLoop(w3, c0, xs), UNROLLED, "loss");
    const g = grad(viaScan, { argnums: [0, 1, 2] })(w3, c0, xs);
    const gRef = grad(viaLoop, { argnums: [0, 1, 2] })(w3, c0, xs);
    expectSame(g, gRef, UNROLLED, "grad");
    expectSame(
      g[0],
      fdGrad((w) => viaScan(w, c0, xs), w3),
      FD,
      "fd w",
    );
    expectSame(
      g[1],
      fdGrad((c) => viaScan(w3, c, xs), c0),
      FD,
      "fd c0",
    );
    // A few entries of the xs gradient by finite differences (first, middle, last rows).
    const gx = nums(g[2]);
    for (const k of [0, 1, 1500, 2999]) {
      const base = nums(xs);
      const at = (d: number) => {
        const v = base.slice();
        v[k] += d;
        return nums(viaScan(w3, c0, np.reshape(f64(v), [n, 3])))[0];
      };
      const fd = (at(1e-5) - at(-1e-5)) / 2e-5;
      expect(Math.abs(gx[k] - fd), `dxs[${k}]: ${gx[k]} vs ${fd}`).toBeLessThanOrEqual(FD * Math.max(1, Math.abs(fd)));
    }
  });

  it("grad(grad) (a Hessian-vector product) through scan equals the unrolled loop", () => {
    const xs = longXs(40);
    const c0 = f64([0.2, -0.5, 0.9]);
    const v = f64([1, -2, 0.5]);
    const hvp = (runner: typeof lax.scan | typeof unrolledScan) => (w: NdArray) =>
      grad((u: NdArray) => np.sum(np.multiply(grad((w2: NdArray) => longLoss(runner, w2, c0, xs))(u), v)))(w);
    expectSame(hvp(lax.scan)(w3), hvp(unrolledScan)(w3), UNROLLED);
    // and a scalar second derivative through a scan over a scalar carry
    const s = (x: NdArray) =>
      lax.scan((c: NdArray, k: NdArray) => [np.sin(np.multiply(c, k)), null] as const, x, f64([1.1, 0.7, 1.3]))[0];
    const u = (x: NdArray) => np.sin(np.multiply(np.sin(np.multiply(np.sin(np.multiply(x, 1.1)), 0.7)), 1.3));
    expectSame(grad(grad(s))(s64(0.4)), grad(grad(u))(s64(0.4)), UNROLLED);
    expectSame(hessian(s)(s64(0.4)), grad(grad(u))(s64(0.4)), UNROLLED);
  });

  it("jvp and linearize through scan equal the unrolled loop", () => {
    const xs = longXs(50);
    const c0 = f64([0.2, -0.5, 0.9]);
    const tw = f64([0.1, 0.2, -0.3]);
    const tc = f64([1, 0, -1]);
    const f = (runner: typeof lax.scan | typeof unrolledScan) => (w: NdArray, c: NdArray) => longLoss(runner, w, c, xs);
    const [y, t] = jvp(f(lax.scan), [w3, c0], [tw, tc]);
    const [yRef, tRef] = jvp(f(unrolledScan), [w3, c0], [tw, tc]);
    expectSame(y, yRef, UNROLLED);
    expectSame(t, tRef, UNROLLED);
    const [, lin] = linearize(f(lax.scan), w3, c0);
    expectSame(lin(tw, tc), tRef, UNROLLED);
    // jvp of the stacked ys (not only a scalar loss)
    const ys = (w: NdArray) => lax.scan(longBody(w), c0, xs)[1];
    const ysRef = (w: NdArray) => unrolledScan(longBody(w), c0, xs)[1];
    expectSame(jvp(ys, [w3], [tw]), jvp(ysRef, [w3], [tw]), UNROLLED);
    expectSame(jacfwd(ys)(w3), jacrev(ysRef)(w3), UNROLLED);
    expectSame(jacrev(ys)(w3), jacrev(ysRef)(w3), UNROLLED);
  });

  it("vjp with pytree cotangents (pytree carry and ys)", () => {
    type C = { a: NdArray; b: NdArray };
    const body = (c: C, x: NdArray): [C, [NdArray, NdArray]] => {
      const a = np.add(np.multiply(c.a, np.cos(x)), c.b);
      const b = np.multiply(c.b, np.tanh(np.add(c.a, x)));
      return [{ a, b }, [np.multiply(a, b), np.exp(np.multiply(-0.1, a))]];
    };
    const xs = f64([0.3, -0.2, 0.8, 1.2]);
    const f = (runner: typeof lax.scan | typeof unrolledScan) => (c: C) =>
      (runner as unknown as (f: typeof body, c: C, xs: NdArray) => [C, [NdArray, NdArray]])(body, c, xs);
    const c0: C = { a: s64(0.5), b: s64(-0.3) };
    const [out, pull] = vjp(f(lax.scan), c0);
    const unrolled = (c: C): [C, [NdArray, NdArray]] => {
      let k = c;
      const y0: NdArray[] = [];
      const y1: NdArray[] = [];
      for (let i = 0; i < 4; i++) {
        const [k2, [u, v]] = body(k, xs.get(i));
        k = k2;
        y0.push(u);
        y1.push(v);
      }
      return [k, [np.stack(y0), np.stack(y1)]];
    };
    const [outRef, pullRef] = vjp(unrolled, c0);
    expectSame(out, outRef, UNROLLED);
    const ct: [C, [NdArray, NdArray]] = [{ a: s64(1), b: s64(-2) }, [f64([1, 0.5, -1, 2]), f64([0, 0, 3, 1])]];
    expectSame(pull(ct as never), pullRef(ct as never), UNROLLED);
  });

  it("compositions with jit: jit(grad), grad(jit), jit inside the body", () => {
    const xs = longXs(30);
    const c0 = f64([0.2, -0.5, 0.9]);
    const f = (w: NdArray) => longLoss(lax.scan, w, c0, xs);
    const ref = grad((w: NdArray) => longLoss(unrolledScan, w, c0, xs))(w3);
    expectSame(jit(grad(f))(w3), ref, UNROLLED);
    expectSame(grad(jit(f))(w3), ref, UNROLLED);
    const jitBody = (w: NdArray) => lax.scan(jit(longBody(w)), c0, xs)[0];
    expectSame(
      grad((w: NdArray) => np.sum(jitBody(w)))(w3),
      grad((w: NdArray) => np.sum(unrolledScan(longBody(w), c0, xs)[0]))(w3),
      UNROLLED,
    );
    expectSame(jit(valueAndGrad(f))(w3), [f(w3), ref], UNROLLED);
  });

  it("a closed-over (loop-invariant) constant is saved once, not once per step", () => {
    // Reverse mode needs W in every step's backward pass; it is a constant of the loop, so it is kept once.
    const W = np.multiply(np.reshape(np.arange(0, 16, 1, "float64"), [4, 4]), 0.05);
    const f = (w: NdArray, h: NdArray) =>
      np.sum(lax.scan((c: NdArray, _x: null) => [np.tanh(np.matmul(w, c)), null] as const, h, null, { length: 50 })[0]);
    const res = savedResiduals(f, W, f64([0.1, 0.2, 0.3, 0.4]));
    // no f64[50,4,4]: the per-step residuals are carry-sized (f64[50,4] and the matmul's f64[50,4,1] view of it)
    expect(res.filter((r) => r.aval.size === 50 * 16).map((r) => r.aval.str())).toEqual([]);
    expect(res.filter((r) => r.aval.str() === "f64[4,4]").length).toBe(1);
  });

  it("gradients through loop-invariant residuals: W and h, forward and reverse scans, under jit, vmap and grad", () => {
    const W = np.reshape(f64(Array.from({ length: 16 }, (_, i) => Math.cos(i) * 0.4)), [4, 4]);
    const h0 = f64([0.1, 0.2, -0.3, 0.4]);
    const xs = np.reshape(f64(Array.from({ length: 20 }, (_, i) => Math.sin(i) * 0.5)), [5, 4]);
    const body =
      (w: NdArray) =>
      (c: NdArray, x: NdArray): [NdArray, NdArray] => {
        const c2 = np.tanh(np.add(np.matmul(w, c), x));
        return [c2, np.matmul(np.transpose(w), c2)];
      };
    const loss =
      (runner: typeof lax.scan | typeof unrolledScan, reverse: boolean) => (w: NdArray, h: NdArray, x: NdArray) => {
        const [c, ys] = (runner as typeof unrolledScan)(body(w), h, x, reverse);
        return np.add(np.sum(np.square(c)), np.sum(np.sin(ys)));
      };
    const scanR = (w: NdArray, c: NdArray, x: NdArray, reverse: boolean) => lax.scan(body(w), c, x, { reverse });
    for (const reverse of [false, true]) {
      const viaScan = (w: NdArray, h: NdArray, x: NdArray) => {
        const [c, ys] = scanR(w, h, x, reverse);
        return np.add(np.sum(np.square(c)), np.sum(np.sin(ys)));
      };
      const viaLoop = loss(unrolledScan, reverse);
      const all = { argnums: [0, 1, 2] } as const;
      const ref = grad(viaLoop, all)(W, h0, xs);
      expectSame(grad(viaScan, all)(W, h0, xs), ref, UNROLLED);
      expectSame(jit(grad(viaScan, all))(W, h0, xs), ref, UNROLLED);
      // only h differentiated: W's tangent is zero, W is still a known loop-invariant residual
      expectSame(grad(viaScan, { argnums: 1 })(W, h0, xs), ref[1], UNROLLED);
      // second order: Hessian-vector product in the direction of W
      const hvp = (f: typeof viaScan) => (w: NdArray) =>
        grad((u: NdArray) => np.sum(np.multiply(grad(f)(u, h0, xs), W)))(w);
      expectSame(hvp(viaScan)(W), hvp(viaLoop)(W), UNROLLED);
      // a batch of weight matrices (W batched) and a batch of initial states (W unbatched)
      const Ws = np.stack([W, np.multiply(W, -0.5), np.transpose(W)]);
      const hs = np.stack([h0, np.negative(h0), np.multiply(h0, 2)]);
      expectSame(
        vmap(grad(viaScan), { inAxes: [0, null, null] })(Ws, h0, xs),
        np.stack([0, 1, 2].map((i) => grad(viaLoop)(Ws.get(i), h0, xs))),
        UNROLLED,
      );
      expectSame(
        vmap(grad(viaScan), { inAxes: [null, 0, null] })(W, hs, xs),
        np.stack([0, 1, 2].map((i) => grad(viaLoop)(W, hs.get(i), xs))),
        UNROLLED,
      );
    }
  });
});

describe("scan: vmap", () => {
  const xsB = np.reshape(f64([0.1, 0.5, -0.3, 0.2, 0.9, -1.2, 0.4, 0.3, 0.6, -0.8, 1.1, 0.05]), [3, 4]); // 3 examples × 4 steps
  const body =
    (k: NdArray) =>
    (c: NdArray, x: NdArray): [NdArray, NdArray] => {
      const c2 = np.add(np.multiply(c, np.cos(x)), np.multiply(k, x));
      return [c2, np.multiply(c2, c2)];
    };
  const run = (k: NdArray, c: NdArray, xs: NdArray) => lax.scan(body(k), c, xs);
  const ref = (k: NdArray, c: NdArray, xs: NdArray) => unrolledScan(body(k), c, xs);
  /** Stacks per-example results of `g` along a new leading axis. */
  const perExample = (g: (i: number) => [NdArray, NdArray]): [NdArray, NdArray] => {
    const rs = [0, 1, 2].map(g);
    return [np.stack(rs.map((r) => r[0])), np.stack(rs.map((r) => r[1]))];
  };
  const ks = f64([0.5, -1, 2]);
  const cs = f64([1, 0.3, -0.7]);

  it("over xs, over the initial carry, over a closed-over constant, and over all three", () => {
    expectSame(
      vmap((xs: NdArray) => run(s64(0.5), s64(1), xs))(xsB),
      perExample((i) => ref(s64(0.5), s64(1), xsB.get(i))),
      UNROLLED,
    );
    expectSame(
      vmap((c: NdArray) => run(s64(0.5), c, xsB.get(0)))(cs),
      perExample((i) => ref(s64(0.5), cs.get(i), xsB.get(0))),
      UNROLLED,
    );
    expectSame(
      vmap((k: NdArray) => run(k, s64(1), xsB.get(0)))(ks),
      perExample((i) => ref(ks.get(i), s64(1), xsB.get(0))),
      UNROLLED,
    );
    expectSame(
      vmap(run)(ks, cs, xsB),
      perExample((i) => ref(ks.get(i), cs.get(i), xsB.get(i))),
      UNROLLED,
    );
    // xs batched along their second axis (steps first, examples second)
    expectSame(
      vmap((xs: NdArray) => run(s64(0.5), s64(1), xs), { inAxes: 1 })(np.transpose(xsB)),
      perExample((i) => ref(s64(0.5), s64(1), xsB.get(i))),
      UNROLLED,
    );
  });

  it("vmap(grad(scan)) and grad(vmap(scan)) equal per-example gradients of the unrolled loop", () => {
    const loss = (runner: typeof run) => (k: NdArray, c: NdArray, xs: NdArray) => {
      const [cf, ys] = runner(k, c, xs);
      return np.add(cf, np.sum(ys));
    };
    const g = vmap(grad(loss(run), { argnums: [0, 1, 2] }))(ks, cs, xsB);
    const rows = [0, 1, 2].map((i) => grad(loss(ref), { argnums: [0, 1, 2] })(ks.get(i), cs.get(i), xsB.get(i)));
    expectSame(
      g,
      [0, 1, 2].map((j) => np.stack(rows.map((r) => r[j]))),
      UNROLLED,
    );
    // grad of a sum over a vmapped scan: the same per-example gradients
    const total = (k: NdArray, c: NdArray, xs: NdArray) => np.sum(vmap(loss(run))(k, c, xs));
    expectSame(grad(total, { argnums: [0, 1, 2] })(ks, cs, xsB), g, UNROLLED);
    // a batched closed-over constant under vmap(grad)
    const gk = vmap((k: NdArray) => grad((c: NdArray) => loss(run)(k, c, xsB.get(0)))(s64(1)))(ks);
    expectSame(
      gk,
      np.stack([0, 1, 2].map((i) => grad((c: NdArray) => loss(ref)(ks.get(i), c, xsB.get(0)))(s64(1)))),
      UNROLLED,
    );
    expectSame(jit(vmap(grad(loss(run))))(ks, cs, xsB), g[0], UNROLLED);
  });
});

describe("lax.map", () => {
  it("applies f to each leading-axis slice and stacks the results (pytrees too), under grad and vmap", () => {
    const xs = np.reshape(f64([1, 2, 3, 4, 5, 6]), [3, 2]);
    const f = (r: NdArray) => np.multiply(np.sum(np.sin(r)), r);
    const ref = np.stack([0, 1, 2].map((i) => f(xs.get(i))));
    expectSame(lax.map(f, xs), ref, UNROLLED);
    const pt = lax.map(({ a, b }: { a: NdArray; b: NdArray }) => [np.add(a, b), np.multiply(a, b)], {
      a: f64([1, 2]),
      b: f64([3, 4]),
    });
    expectSame(pt, [f64([4, 6]), f64([3, 8])], 0);
    const loss = (m: typeof lax.map | ((g: typeof f, x: NdArray) => NdArray)) => (x: NdArray) =>
      np.sum(np.square(m(f, x) as NdArray));
    const unrolledMap = (g: typeof f, x: NdArray) => np.stack([0, 1, 2].map((i) => g(x.get(i))));
    expectSame(grad(loss(lax.map as never))(xs), grad(loss(unrolledMap))(xs), UNROLLED);
    expectSame(
      vmap((x: NdArray) => lax.map(f, x), { inAxes: 1 })(xs),
      np.stack([0, 1].map((j) => np.stack([0, 1, 2].map((i) => f(xs.get(i, j)))))),
      UNROLLED,
    );
  });
});

// =====================================================================================================================
// 5. Composition with custom rules, fixed points, checkpoint
// =====================================================================================================================

/** sin with the deliberately doubled rule bwd = 2·cos(x)·g: a result that follows it shows the rule was used. */
const sin2 = customVjp(function sin2(x: NdArray) {
  return np.sin(x);
});
sin2.defvjp(
  (x: NdArray) => [sin2(x), np.cos(x)],
  (c: NdArray, g: NdArray) => [np.multiply(np.multiply(2, c), g)],
);
/** softplus with the deliberately tripled rule: tangent 3·σ(x)·t. */
const softplus3 = customJvp(function softplus3(x: NdArray) {
  return np.log1p(np.exp(x));
});
softplus3.defjvp(([x]: NdArray[], [t]: NdArray[]) => {
  const y = softplus3(x);
  return [y, np.multiply(np.multiply(3, np.divide(1, np.add(1, np.exp(np.negative(x))))), t)];
});
const sigma = (x: number) => 1 / (1 + Math.exp(-x));

describe("custom rules inside scan bodies", () => {
  const xs = f64([0.9, 1.1, 0.7]);
  const xsN = [0.9, 1.1, 0.7];
  /** c ← sin2(c·x) + softplus3(c)/10 */
  const step = (c: NdArray, x: NdArray): [NdArray, NdArray] => {
    const c2 = np.add(sin2(np.multiply(c, x)), np.divide(softplus3(c), 10));
    return [c2, c2];
  };
  const viaScan = (c: NdArray) => lax.scan(step, c, xs)[0];
  const viaLoop = (c: NdArray) => unrolledScan(step, c, xs)[0];
  /** Closed form following the rules: dc'/dc = 2·cos(c·x)·x + 3·σ(c)/10. */
  const ruleGrad = (c0: number) => {
    let c = c0;
    let d = 1;
    for (const x of xsN) {
      d *= 2 * Math.cos(c * x) * x + (3 * sigma(c)) / 10;
      c = Math.sin(c * x) + Math.log1p(Math.exp(c)) / 10;
    }
    return d;
  };
  const cs = [0.4, -0.8, 1.3];

  it("grad follows the rules (closed form) and equals the unrolled loop", () => {
    for (const c of cs) {
      expectNear(grad(viaScan)(s64(c)), ruleGrad(c), TOL64);
      expectSame(grad(viaScan)(s64(c)), grad(viaLoop)(s64(c)), UNROLLED);
    }
  });

  it("vmap(grad), jit(grad), grad(jit) and grad(grad)", () => {
    expectNear(vmap(grad(viaScan))(f64(cs)), cs.map(ruleGrad), TOL64);
    for (const c of cs) {
      expectNear(jit(grad(viaScan))(s64(c)), ruleGrad(c), TOL64);
      expectNear(grad(jit(viaScan))(s64(c)), ruleGrad(c), TOL64);
      expectSame(grad(grad(viaScan))(s64(c)), grad(grad(viaLoop))(s64(c)), UNROLLED);
    }
    expectSame(vmap(grad(grad(viaScan)))(f64(cs)), vmap(grad(grad(viaLoop)))(f64(cs)), UNROLLED);
  });

  it("jvp through a scan with a customJvp in the body uses the rule (closed form) and equals the unrolled loop", () => {
    // c ← softplus3(c)·x: by the rule, dc'/dc = 3·σ(c)·x.
    const b = (k: NdArray, x: NdArray): [NdArray, NdArray] => [np.multiply(softplus3(k), x), x];
    const f = (c: NdArray) => lax.scan(b, c, xs)[0];
    const fLoop = (c: NdArray) => unrolledScan(b, c, xs)[0];
    const rule = (c0: number) => {
      let [c, d] = [c0, 1];
      for (const x of xsN) [c, d] = [Math.log1p(Math.exp(c)) * x, d * 3 * sigma(c) * x];
      return d;
    };
    for (const c of cs) {
      const [, t] = jvp(f, [s64(c)], [s64(1)]);
      expectNear(t, rule(c), TOL64);
      expectSame(jvp(f, [s64(c)], [s64(1)]), jvp(fLoop, [s64(c)], [s64(1)]), UNROLLED);
      expectNear(grad(f)(s64(c)), rule(c), TOL64);
    }
  });
});

describe("custom rules inside cond branches", () => {
  const f = (x: NdArray) =>
    A(
      lax.cond(
        np.greater(x, 0),
        (a: NdArray) => np.multiply(sin2(a), a),
        (a: NdArray) => softplus3(a),
        x,
      ),
    );
  const d1 = (x: number) => (x > 0 ? 2 * Math.cos(x) * x + Math.sin(x) : 3 * sigma(x));
  // Second derivatives: the outer differentiation uses the rules again (bwd's residual cos(x) is differentiated
  // normally; the primal sin2(x) in the product rule is differentiated by its rule: 2·cos(x)).
  const d2 = (x: number) => (x > 0 ? -2 * x * Math.sin(x) + 4 * Math.cos(x) : 3 * sigma(x) * (1 - sigma(x)));
  /** The taken branch called directly (no cond), chosen in JS. */
  const direct = (x0: number) => (x: NdArray) => (x0 > 0 ? np.multiply(sin2(x), x) : softplus3(x));
  const xs = [0.6, -0.9, 1.7, -0.1];

  it("grad, vmap(grad), jit(grad), grad(grad) follow the rules in the taken branch", () => {
    for (const x of xs) {
      expectNear(grad(f)(s64(x)), d1(x), TOL64);
      expectNear(jit(grad(f))(s64(x)), d1(x), TOL64);
      expectNear(grad(grad(f))(s64(x)), d2(x), TOL64);
      expectSame(grad(grad(f))(s64(x)), grad(grad(direct(x)))(s64(x)), UNROLLED);
    }
    expectNear(vmap(grad(f))(f64(xs)), xs.map(d1), TOL64);
    expectNear(vmap(grad(grad(f)))(f64(xs)), xs.map(d2), TOL64);
  });
});

// --- JAX's fixed point with implicit differentiation (examples/fixed-point.ts), ported ---------------------------

type Update<T> = (a: T, x: NdArray) => NdArray;
const fixedPoint = customVjp(
  <T>(f: Update<T>, a: T, xGuess: NdArray | number): NdArray => {
    const x0 = np.asArray(xGuess);
    const condFun = ([xPrev, x]: NdArray[]) => np.greater(np.abs(np.subtract(xPrev, x)), 1e-6);
    const bodyFun = ([, x]: NdArray[]) => [x, f(a, x)];
    const [, xStar] = lax.whileLoop(condFun, bodyFun, [x0, f(a, x0)]);
    return xStar;
  },
  { nondiffArgnums: [0] },
);
fixedPoint.defvjp(
  (f, a, xInit) => {
    const xStar = fixedPoint(f, a, xInit);
    return [xStar, [a, xStar]];
  },
  (f: Update<unknown>, [a, xStar]: [unknown, NdArray], xStarBar: NdArray) => {
    const [, vjpA] = vjp((a2: unknown) => f(a2, xStar), a);
    const revIter = ([a2, x2, bar]: [unknown, NdArray, NdArray], u: NdArray) => {
      const [, vjpX] = vjp((x: NdArray) => f(a2, x), x2);
      return np.add(bar, vjpX(u)[0]);
    };
    const [aBar] = vjpA(fixedPoint(revIter as Update<unknown>, [a, xStar, xStarBar], xStarBar));
    return [aBar, np.zerosLike(xStar)];
  },
);
function newtonSqrt(a: NdArray | number): NdArray {
  const update = (a2: NdArray, x: NdArray) => np.multiply(0.5, np.add(x, np.divide(a2, x)));
  return fixedPoint(update as Update<unknown>, np.asArray(a), a);
}
/** One unit in the last place of a float32 number. */
const ulp32 = (x: number) => 2 ** (Math.floor(Math.log2(Math.abs(x))) - 23);

describe("control flow inside customVjp rules: implicit differentiation of a whileLoop fixed point", () => {
  it("float32: JAX's numbers 1.4142135, 0.35355338, -0.088388346 to 1 ulp", () => {
    const checks: [NdArray, number][] = [
      [newtonSqrt(2.0), 1.4142135],
      [grad(newtonSqrt)(2.0), 0.35355338],
      [grad(grad(newtonSqrt))(2.0), -0.088388346],
    ];
    for (const [got, jax] of checks) {
      expect(got.dtype).toBe("float32");
      const want = Math.fround(jax);
      expect(Math.abs(nums(got)[0] - want), `${nums(got)[0]} vs ${want}`).toBeLessThanOrEqual(ulp32(want));
    }
  });

  it("float64: the closed forms √a, 1/(2√a), -1/(4·a^{3/2}), for several a, under jit and vmap too", () => {
    // Newton's iteration stops once a step moves x by ≤ 1e-6; by quadratic convergence x* is then exact to
    // rounding, and the adjoint iteration's contraction factor ∂f/∂x = (1 - a/x*²)/2 is ~1e-16, so TOL64 holds.
    for (const a of [2, 9, 0.3]) {
      expectNear(newtonSqrt(s64(a)), Math.sqrt(a), TOL64, "float64");
      expectNear(grad(newtonSqrt)(s64(a)), 1 / (2 * Math.sqrt(a)), TOL64, "float64");
      expectNear(grad(grad(newtonSqrt))(s64(a)), -1 / (4 * a ** 1.5), TOL64, "float64");
    }
    expectNear(jit(grad(newtonSqrt))(s64(2)), 1 / (2 * Math.SQRT2), TOL64);
    expectNear(
      vmap(grad(newtonSqrt))(f64([2, 9, 0.3])),
      [2, 9, 0.3].map((a) => 1 / (2 * Math.sqrt(a))),
      TOL64,
    );
    // Without the custom rule, reverse mode through the while loop is JAX's error.
    const plain = (a: NdArray) =>
      lax.whileLoop(
        ([p, x]: NdArray[]) => np.greater(np.abs(np.subtract(p, x)), 1e-6),
        ([, x]: NdArray[]) => [x, np.multiply(0.5, np.add(x, np.divide(a, x)))],
        [a, np.multiply(0.5, np.add(a, 1))],
      )[1];
    expect(() => grad(plain)(s64(2))).toThrow(REVERSE_WHILE);
  });

  it("a customVjp whose fwd and bwd contain a scan and a cond", () => {
    // f(x) = Σ_k sin(k·x) over k = 1..4 (fwd computes it with a scan); bwd computes Σ k·cos(k·x)·g with a scan,
    // and doubles it when x < 0 with a cond: the rule is deliberately not the true derivative there.
    const ks = f64([1, 2, 3, 4]);
    const f = customVjp(
      (x: NdArray) =>
        lax.scan((s: NdArray, k: NdArray) => [np.add(s, np.sin(np.multiply(k, x))), null] as const, s64(0), ks)[0],
    );
    f.defvjp(
      (x: NdArray) => [f(x), x],
      (x: NdArray, g: NdArray) => {
        const [d] = lax.scan(
          (s: NdArray, k: NdArray) => [np.add(s, np.multiply(k, np.cos(np.multiply(k, x)))), null] as const,
          s64(0),
          ks,
        );
        return [
          np.multiply(
            A(
              lax.cond(
                np.less(x, 0),
                (v: NdArray) => np.multiply(2, v),
                (v: NdArray) => v,
                d,
              ),
            ),
            g,
          ),
        ];
      },
    );
    const d = (x: number) => [1, 2, 3, 4].reduce((s, k) => s + k * Math.cos(k * x), 0) * (x < 0 ? 2 : 1);
    const dd = (x: number) => -[1, 2, 3, 4].reduce((s, k) => s + k * k * Math.sin(k * x), 0) * (x < 0 ? 2 : 1);
    for (const x of [0.3, -0.4]) {
      expectNear(
        f(s64(x)),
        [1, 2, 3, 4].reduce((s, k) => s + Math.sin(k * x), 0),
        TOL64,
      );
      expectNear(grad(f)(s64(x)), d(x), TOL64);
      expectNear(jit(grad(f))(s64(x)), d(x), TOL64);
      expectNear(grad(grad(f))(s64(x)), dd(x), TOL64);
    }
    expectNear(vmap(grad(f))(f64([0.3, -0.4])), [d(0.3), d(-0.4)], TOL64);
  });
});

// --- checkpoint ------------------------------------------------------------------------------------------------

describe("checkpoint on a scan body", () => {
  const n = 6;
  const W = np.reshape(f64(Array.from({ length: n * n }, (_, i) => Math.sin(i + 1) * 0.4)), [n, n]);
  const b = f64(Array.from({ length: n }, (_, i) => 0.1 * i - 0.2));
  /** A body with several intermediate values: pre-activation, tanh, a gate, the update. */
  const body =
    (w: NdArray) =>
    (h: NdArray, _x: null): [NdArray, null] => {
      const pre = np.add(np.matmul(w, h), b);
      const act = np.tanh(pre);
      const gate = np.divide(1, np.add(1, np.exp(np.negative(np.multiply(h, act)))));
      const upd = np.multiply(gate, np.sin(act));
      return [np.add(h, np.multiply(0.1, upd)), null];
    };
  const steps = 100;
  const loss = (wrap: (f: ReturnType<typeof body>) => ReturnType<typeof body>) => (w: NdArray, h: NdArray) =>
    np.sum(np.square(lax.scan(wrap(body(w)), h, null, { length: steps })[0]));
  const plain = loss((f) => f);
  const ck = loss((f) => checkpoint(f));
  const h0 = f64(Array.from({ length: n }, (_, i) => Math.cos(i) * 0.5));

  it("gives the same gradient as without checkpoint (and as the unrolled loop)", () => {
    const g1 = grad(plain, { argnums: [0, 1] })(W, h0);
    const g2 = grad(ck, { argnums: [0, 1] })(W, h0);
    expectSame(g2, g1, UNROLLED);
    const unrolled = (w: NdArray, h: NdArray) => {
      let c = h;
      for (let i = 0; i < steps; i++) c = body(w)(c, null)[0];
      return np.sum(np.square(c));
    };
    expectSame(g1, grad(unrolled, { argnums: [0, 1] })(W, h0), UNROLLED);
    expectSame(jit(grad(ck, { argnums: [0, 1] }))(W, h0), g1, UNROLLED);
    expectSame(
      grad(ck)(W, h0),
      fdGrad((w) => ck(w, h0), W),
      FD,
    );
  });

  it("savedResiduals: the checkpointed scan keeps only the carry per step", () => {
    const rPlain = savedResiduals(plain, W, h0);
    const rCk = savedResiduals(ck, W, h0);
    const perStep = (rs: typeof rPlain) => rs.filter((r) => r.aval.shape[0] === steps);
    const total = (rs: typeof rPlain) => rs.reduce((s, r) => s + r.bytes, 0);
    // With checkpoint: exactly one stacked residual, the carry h (f64[100,6]); W is kept once (not per step).
    expect(perStep(rCk).map((r) => r.aval.str())).toEqual([`f64[${steps},${n}]`]);
    expect(rCk.filter((r) => r.aval.shape[0] !== steps).every((r) => r.aval.size <= n * n)).toBe(true);
    // Without: several carry-sized residuals per step (the intermediates of the body).
    expect(perStep(rPlain).length).toBeGreaterThanOrEqual(4);
    expect(perStep(rPlain).every((r) => r.aval.size === steps * n)).toBe(true);
    expect(total(perStep(rCk))).toBe(steps * n * 8);
    expect(total(rCk)).toBeLessThan(total(rPlain) / 3);
  });

  it("a policy that saves dots keeps the matmul output per step as well", () => {
    const dots = loss((f) => checkpoint(f, { policy: checkpointPolicies.dotsSaveable }));
    const stacked = savedResiduals(dots, W, h0).filter((r) => r.aval.shape[0] === steps);
    expect(stacked.length).toBe(2);
    expectSame(grad(dots)(W, h0), grad(plain)(W, h0), UNROLLED);
  });

  it("vmap(grad) of the checkpointed scan equals per-example gradients", () => {
    const hs = np.stack([h0, np.multiply(h0, -1), np.add(h0, 0.3)]);
    const g = vmap(grad(ck, { argnums: 1 }), { inAxes: [null, 0] })(W, hs);
    expectSame(g, np.stack([0, 1, 2].map((i) => grad(plain, { argnums: 1 })(W, hs.get(i)))), UNROLLED);
  });
});

describe("constant folding inside a staged body", () => {
  it("folds equations on constants eagerly, never on the enclosing trace (a loop body under jit, a customJvp under jit)", () => {
    // The body's uniform draw from a constant key is constant-only: it is folded when the body is optimised.
    const loop = jit((x: NdArray) =>
      lax.foriLoop(0, 3, (_i: NdArray, acc: NdArray) => np.add(acc, np.sin(np.reshape(np.array([2]), []))), x),
    );
    expect(loop(np.zeros([3])).tolist()).toEqual(new Array(3).fill(Math.fround(3 * Math.fround(Math.sin(2)))));
    const g = customJvp((x: NdArray) => np.add(x, np.reshape(np.array([2]), [])));
    g.defjvp(([x]: NdArray[], [t]: NdArray[]) => [g(x), t]);
    expect(jit(g)(np.array(1)).item()).toBe(3);
    expect(jit(grad(g))(np.array(1)).item()).toBe(1);
  });
});
