/**
 * Misuse of customVjp / customJvp: the errors of /work/shared/reference/custom-derivatives.md section B, each
 * asserted by class and by a regex on the key words of JAX's text (prefixed here with [customVjp] / [customJvp]),
 * and the conditions under which JAX raises them or does not (A3.4, A8.3, A11.3, A13.2). Also
 * `config.update("checkCustomRules", true)`, which compares a rule with autodiff of the primal function.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  config,
  customJvp,
  customVjp,
  CustomJvpError,
  CustomVjpError,
  grad,
  hessian,
  jacfwd,
  jit,
  jvp,
  linearize,
  numpy as np,
  UnexpectedTracerError,
  valueAndGrad,
  vjp,
  vmap,
  Array as NdArray,
} from "../src/index.js";
import { loadGolden } from "./helpers/golden.js";
import { expectNear, f64, TOL64 } from "./helpers/custom-rules.js";

/** Runs `fn` and returns what it threw (fails if it did not throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error, got none");
}

/** `fn` throws an instance of `cls` whose message matches every regex. */
function expectError(fn: () => unknown, cls: new (...a: never[]) => Error, ...patterns: RegExp[]): Error {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(cls);
  for (const p of patterns) expect(e.message).toMatch(p);
  return e;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

afterEach(() => {
  config.update("checkCustomRules", false);
  config.update("disableBwdChecks", false);
});

// --- B.1 customVjp -------------------------------------------------------------------------------------------------

describe("customVjp errors", () => {
  it("B-V1: no defvjp, raised on any call, plain or transformed", () => {
    const foo = customVjp(function foo(x: NdArray) {
      return np.sin(x);
    });
    const re = /^\[customVjp\] No VJP defined for custom_vjp function foo using defvjp\.$/;
    expectError(() => foo(f64(2)), CustomVjpError, re);
    expectError(() => jit(foo)(f64(2)), CustomVjpError, re);
    expectError(() => grad(foo)(f64(2)), CustomVjpError, re);
    expectError(() => vmap(foo)(f64([1, 2])), CustomVjpError, re);
  });

  it("B-V3: fwd not returning a pair, when fwd runs (grad, vjp, jit(grad)); a plain call does not run fwd", () => {
    const foo = customVjp(function foo(x: NdArray) {
      return np.sin(x);
    });
    const re =
      /Custom VJP fwd rule f_fwd for function foo must produce a pair \(list or tuple of length two\) .*equal to those of the custom_vjp-decorated function foo.* but instead of a pair the fwd rule f_fwd produced /;
    foo.defvjp(
      function f_fwd(x: NdArray) {
        return foo(x) as never;
      },
      (_r: unknown, g: NdArray) => [g],
    );
    expectNear(foo(f64(2)), Math.sin(2), TOL64);
    expectError(() => grad(foo)(f64(2)), CustomVjpError, re);
    expectError(() => vjp(foo, f64(2)), CustomVjpError, re);
    expectError(() => jit(grad(foo))(f64(2)), CustomVjpError, re);
    foo.defvjp(
      function f_fwd(x: NdArray) {
        return [foo(x), x, x] as never;
      },
      (_r: unknown, g: NdArray) => [g],
    );
    expectError(() => grad(foo)(f64(2)), CustomVjpError, re, /produced \[f64\[\], f64\[\], f64\[\]\]\.$/);
  });

  describe("B-V4 / B-V5: fwd's primal output differs from f's, checked when f was staged first (A3.4)", () => {
    it("B-V4: a different container structure, under grad(jit(f)) and vjp(jit(f))", () => {
      const f = customVjp(function f(x: NdArray) {
        return x;
      });
      f.defvjp(
        function f_fwd(x: NdArray) {
          return [[x, x], null] as never;
        },
        (_r: null, g: NdArray[]) => [g[0]],
      );
      const re = new RegExp(
        escape(
          "Custom VJP fwd rule f_fwd for function f must produce a pair (list or tuple of length two) where the first " +
            "element represents the primal output (equal to the output of the custom_vjp-decorated function f)",
        ) +
          ".*" +
          escape(
            "container/pytree structure:\n    (f32[], f32[])\nwhile the custom_vjp-decorated function f had output container/pytree structure:\n    f32[].",
          ),
        "s",
      );
      expectError(() => grad(jit(f))(2), CustomVjpError, re);
      expectError(() => vjp(jit(f), 2), CustomVjpError, re);
      expectError(() => grad(jit((x: NdArray) => np.multiply(2, f(x))))(2), CustomVjpError, re);
    });

    it("without staging first, fwd's output defines the result and nothing is checked (eager grad, jit(grad))", () => {
      const f = customVjp(function f(x: NdArray) {
        return x;
      });
      f.defvjp(
        function f_fwd(x: NdArray) {
          return [[x, np.multiply(3, x)], null] as never;
        },
        (_r: null, g: NdArray[]) => [np.add(g[0], np.multiply(3, g[1]))],
      );
      const loss = (x: NdArray) => {
        const [a, b] = f(x) as unknown as NdArray[];
        return np.add(a, b);
      };
      expectNear(grad(loss)(f64(2)), 4, TOL64);
      expectNear(jit(grad(loss))(f64(2)), 4, TOL64);
    });

    it("B-V5: different shapes", () => {
      const f = customVjp(function f(x: NdArray) {
        return x;
      });
      f.defvjp(
        function f_fwd(x: NdArray) {
          return [np.broadcastTo(x, [3]), null] as never;
        },
        (_r: null, g: NdArray) => [np.sum(g)],
      );
      const re = new RegExp(
        escape("equal to the output of the custom_vjp-decorated function f)") +
          ".*" +
          escape(
            "first element had shapes/dtypes of:\n    f32[3]\nwhile the custom_vjp-decorated function f had output shapes/dtypes of:\n    f32[]",
          ) +
          "$",
        "s",
      );
      expectError(() => grad((x: NdArray) => np.sum(jit(f)(x)))(2), CustomVjpError, re);
    });
  });

  describe("B-V6: bwd's result is not one entry per differentiable argument, or has the wrong structure", () => {
    const re =
      /^\[customVjp\] Custom VJP bwd rule must produce an output with the same container \(pytree\) structure as the args tuple of the primal function, and in particular must produce a tuple of length equal to the number of arguments to the primal function, but got bwd output structure /;
    const one = (bwd: (r: unknown, g: NdArray) => unknown) => {
      const f = customVjp((x: NdArray) => np.sin(x));
      f.defvjp((x: NdArray) => [f(x), null], bwd as never);
      return () => grad(f)(f64(2));
    };

    it("a bare array instead of a JS array", () => {
      expectError(
        one((_r, g) => np.multiply(2, g)),
        CustomVjpError,
        re,
        /structure PyTreeDef\(\*\) for primal input structure PyTreeDef\(\[\*\]\)/,
      );
    });

    it("too many or too few entries", () => {
      expectError(
        one((_r, g) => [g, g]),
        CustomVjpError,
        re,
        /PyTreeDef\(\[\*, \*\]\) for primal input structure PyTreeDef\(\[\*\]\)/,
      );
      expectError(
        one(() => []),
        CustomVjpError,
        re,
        /PyTreeDef\(\[\]\) for primal input structure PyTreeDef\(\[\*\]\)/,
      );
      const f = customVjp((x: NdArray, y: NdArray) => np.multiply(x, y));
      f.defvjp(
        (x: NdArray, y: NdArray) => [f(x, y), null],
        (_r: null, g: NdArray) => [g],
      );
      expectError(
        () => grad(f)(f64(2), f64(3)),
        CustomVjpError,
        re,
        /PyTreeDef\(\[\*\]\) for primal input structure PyTreeDef\(\[\*, \*\]\)/,
      );
    });

    it("null instead of a JS array", () => {
      expectError(
        one(() => null),
        CustomVjpError,
        re,
      );
    });

    it("an object with other keys than the argument's", () => {
      const f = customVjp((d: { a: NdArray }) => np.sin(d.a));
      f.defvjp(
        (d: { a: NdArray }) => [f(d), null],
        (_r: null, g: NdArray) => [{ b: g }],
      );
      expectError(
        () => grad(f)({ a: f64(2) }),
        CustomVjpError,
        re,
        /PyTreeDef\(\[\{'b': \*\}\]\) for primal input structure PyTreeDef\(\[\{'a': \*\}\]\)/,
      );
    });

    it("a nested array of the wrong length", () => {
      const f = customVjp((x: NdArray, y: [NdArray, NdArray]) => np.add(x, y[0]));
      f.defvjp(
        (x: NdArray, y: [NdArray, NdArray]) => [f(x, y), null],
        (_r: null, g: NdArray) => [g, [g, g, g]],
      );
      expectError(
        () => grad(f)(f64(2), [f64(1), f64(2)]),
        CustomVjpError,
        re,
        /PyTreeDef\(\[\*, \[\*, \*, \*\]\]\) for primal input structure PyTreeDef\(\[\*, \[\*, \*\]\]\)/,
      );
    });

    it("an entry for a nondiff argument (JAX's app with bwd returning (None, g))", () => {
      const app = customVjp((fn: (x: NdArray) => NdArray, x: NdArray) => fn(x), { nondiffArgnums: [0] });
      app.defvjp(
        (fn: (x: NdArray) => NdArray, x: NdArray) => [app(fn, x), null],
        (_fn: unknown, _r: null, g: NdArray) => [null, g],
      );
      expectError(
        () => grad((x: NdArray) => app(np.sin, x))(f64(2)),
        CustomVjpError,
        re,
        /for primal input structure PyTreeDef\(\[\*\]\)/,
      );
    });
  });

  it("B-V7: a cotangent of the wrong shape names the output position and both types; disableBwdChecks turns it off", () => {
    const f = customVjp(function f(x: NdArray, y: NdArray) {
      return np.add(np.sum(x), np.sum(y));
    });
    f.defvjp(
      (x: NdArray, y: NdArray) => [f(x, y), null],
      () => [np.zeros([3]), np.zeros([3])],
    );
    const call = () => grad(f, { argnums: [0, 1] })(np.zeros([3]), np.zeros([4]));
    expectError(
      call,
      CustomVjpError,
      /Custom VJP bwd rule attached to f must produce an output with the same type as the args tuple of the primal function, but at output\[1\] the bwd rule produced an output of type f32\[3\] corresponding to an input of type f32\[4\], so the shapes do not match/,
    );
    config.update("disableBwdChecks", true);
    const [gx] = grad(f, { argnums: [0] })(np.zeros([3]), np.zeros([4])) as NdArray[];
    expectNear(gx, [0, 0, 0], 0);
  });

  describe("B-V8: a tracer in a nondiffArgnums position", () => {
    const re =
      /^\[customVjp\] Found a JAX Tracer object passed as an argument to a custom_vjp function in a position indicated by nondiff_argnums as non-differentiable\. .*array-valued arguments should typically not be indicated as nondiff_argnums\.$/;
    const k = customVjp((n: NdArray, x: NdArray) => np.multiply(n, x), { nondiffArgnums: [0] });
    k.defvjp(
      (n: NdArray, x: NdArray) => [k(n, x), null],
      (n: NdArray, _r: null, g: NdArray) => [np.multiply(n, g)],
    );

    it("under grad, jit (even without differentiation) and vmap", () => {
      expectError(() => grad((x: NdArray) => k(x, x))(f64(2)), UnexpectedTracerError, re);
      expectError(() => jit((x: NdArray) => k(x, f64(2)))(f64(2)), UnexpectedTracerError, re);
      expectError(() => vmap((x: NdArray) => k(x, f64(2)))(f64([1, 2])), UnexpectedTracerError, re);
    });

    it("a tracer nested inside a container", () => {
      const kk = customVjp((n: NdArray[], y: NdArray) => np.multiply(n[0], y), { nondiffArgnums: [0] });
      kk.defvjp(
        (n: NdArray[], y: NdArray) => [kk(n, y), null],
        (n: NdArray[], _r: null, g: NdArray) => [np.multiply(n[0], g)],
      );
      expectError(() => jit((x: NdArray) => kk([x], f64(2)))(f64(2)), UnexpectedTracerError, re);
    });

    it("a concrete array in that position is fine", () => {
      expectNear(grad((x: NdArray) => k(f64(3), x))(f64(2)), 3, TOL64);
    });
  });

  describe("B-V13: forward mode over a customVjp function", () => {
    const golden = loadGolden().cases.find((c) => c.id === "seed.custom_f.jvp_error")!;
    const f = customVjp(function f(x: NdArray, y: NdArray) {
      return np.multiply(x, np.sin(y));
    });
    f.defvjp(
      (x: NdArray, y: NdArray) => [f(x, y), [x, y]],
      ([x, y]: NdArray[], g: NdArray) => [np.multiply(np.sin(y), g), np.multiply(np.multiply(x, np.cos(y)), g)],
    );
    const re = new RegExp(escape(golden.error!.message));

    it("the golden case's text (seed.custom_f.jvp_error, a TypeError in JAX)", () => {
      expect(golden.error!.type).toBe("TypeError");
      expectError(() => jvp(f, [f64(2), f64(1)], [f64(1), f64(0)]), CustomVjpError, re);
    });

    it("under jvp(vmap), vmap(jvp), jvp(jit), jit(jvp), jacfwd", () => {
      const g = (x: NdArray) => f(x, f64(1));
      expectError(() => jvp(vmap(g), [f64([1, 2])], [f64([1, 1])]), CustomVjpError, re);
      expectError(() => vmap((x: NdArray) => jvp(g, [x], [f64(1)])[1])(f64([1, 2])), CustomVjpError, re);
      expectError(() => jvp(jit(g), [f64(2)], [f64(1)]), CustomVjpError, re);
      expectError(() => jit((x: NdArray) => jvp(g, [x], [f64(1)])[1])(f64(2)), CustomVjpError, re);
      expectError(() => jacfwd(g)(f64([1, 2])), CustomVjpError, re);
    });

    it("linearize itself succeeds; applying its linear function raises", () => {
      const [y, lin] = linearize((x: NdArray) => f(x, f64(1)), f64(2));
      expectNear(y, 2 * Math.sin(1), TOL64);
      expectError(() => lin(f64(1)), CustomVjpError, re);
    });

    it("forward-over-reverse (hessian, jvp(grad)) when fwd calls f", () => {
      expectError(() => hessian((x: NdArray) => f(x, f64(1)))(f64(2)), CustomVjpError, re);
      expectError(
        () =>
          jvp(
            grad((x: NdArray) => f(x, f64(1))),
            [f64(2)],
            [f64(1)],
          ),
        CustomVjpError,
        re,
      );
    });

    it("no error when no input carries a tangent", () => {
      const [y, t] = jvp((x: NdArray) => np.add(x, f(f64(2), f64(1))), [f64(0.5)], [f64(1)]);
      expectNear(y, 0.5 + 2 * Math.sin(1), TOL64);
      expectNear(t, 1, TOL64);
    });
  });

  describe("differentiating a value that the primal function closes over (A11.3)", () => {
    const closing = (y: NdArray, staged: boolean) => {
      const f = customVjp((x: NdArray) => np.multiply(x, y));
      f.defvjp(
        (x: NdArray) => [f(x), x],
        (_x: NdArray, g: NdArray) => [g],
      );
      return staged ? jit(f)(f64(1)) : f(f64(1));
    };

    it("eager: the closed-over tracer escapes to the parent trace (UnexpectedTracerError, B-G1)", () => {
      expectError(() => grad((y: NdArray) => closing(y, false))(f64(2)), UnexpectedTracerError, /unexpected tracer/);
    });

    it("staged (jit inside grad): B-V12", () => {
      const re =
        /^\[customVjp\] Detected differentiation of a custom_vjp function with respect to a closed-over value\. That isn't supported because the custom VJP rule only specifies how to differentiate the custom_vjp function with respect to explicit input parameters\. Try passing the closed-over value into the custom_vjp function as an argument, and adapting the custom_vjp fwd and bwd rules\.$/;
      expectError(() => grad((y: NdArray) => closing(y, true))(f64(2)), CustomVjpError, re);
    });

    it("closing over a concrete array is fine", () => {
      expectNear(
        grad((x: NdArray) => {
          const f = customVjp((z: NdArray) => np.multiply(z, f64(5)));
          f.defvjp(
            (z: NdArray) => [f(z), null],
            (_r: null, g: NdArray) => [np.multiply(5, g)],
          );
          return jit(f)(x);
        })(f64(1)),
        5,
        TOL64,
      );
    });
  });

  it("grad of an integer input without allowInt (B-G2)", () => {
    const f = customVjp((x: NdArray, n: NdArray) => np.multiply(x, n));
    f.defvjp(
      (x: NdArray, n: NdArray) => [f(x, n), n],
      (n: NdArray, g: NdArray) => [np.multiply(n, g), null],
    );
    expect(() => grad(f, { argnums: [0, 1] })(f64(2), np.array(3, "int32"))).toThrow(
      /requires real-valued inputs.*int32.*allowInt/,
    );
  });
});

// --- B.2 customJvp -----------------------------------------------------------------------------------------------

describe("customJvp errors", () => {
  it("B-J1: no defjvp, raised on any call, plain or transformed", () => {
    const foo = customJvp(function foo(x: NdArray) {
      return np.sin(x);
    });
    const re = /^\[customJvp\] No JVP defined for custom_jvp function foo using defjvp\.$/;
    expectError(() => foo(f64(2)), CustomJvpError, re);
    expectError(() => jit(foo)(f64(2)), CustomJvpError, re);
    expectError(() => jvp(foo, [f64(2)], [f64(1)]), CustomJvpError, re);
    expectError(() => vmap(foo)(f64([1, 2])), CustomJvpError, re);
  });

  it("B-J2: the rule does not return a pair (jvp, grad); a plain call does not run it", () => {
    const f = customJvp(function f(x: NdArray) {
      return np.power(x, 2);
    });
    f.defjvp(function foo_jvp(_p: NdArray[], [t]: NdArray[]) {
      return t as never;
    });
    expectNear(f(f64(2)), 4, TOL64);
    const re =
      /^\[customJvp\] Custom JVP rule foo_jvp for function f must produce a pair \(list or tuple of length two\) representing primal and tangent outputs, but got /;
    expectError(() => jvp(f, [2], [1]), CustomJvpError, re, /but got 1\.$/);
    expectError(() => grad(f)(f64(2)), CustomJvpError, re);
    f.defjvp(function foo_jvp([x]: NdArray[], [t]: NdArray[]) {
      return [x, t, t] as never;
    });
    expectError(() => jvp(f, [f64(2)], [f64(1)]), CustomJvpError, re);
  });

  it("B-J3: primal and tangent outputs of different structures", () => {
    const f = customJvp(function f(x: NdArray) {
      return [np.power(x, 2)];
    });
    f.defjvp(function foo_jvp([x]: NdArray[], [t]: NdArray[]) {
      return [f(x), [np.multiply(np.multiply(2, x), t), x]] as never;
    });
    expectError(
      () => jvp(f, [f64(2)], [f64(1)]),
      CustomJvpError,
      /Custom JVP rule foo_jvp for function f must produce primal and tangent outputs with equal container \(pytree\) structures, but got PyTreeDef\(\[\*\]\) and PyTreeDef\(\[\*, \*\]\) respectively\./,
    );
  });

  it("B-J4: a tangent whose shape differs from its primal's (jvp, grad)", () => {
    const f = customJvp((x: NdArray) => np.power(x, 2));
    f.defjvp(([x]: NdArray[], [t]: NdArray[]) => [f(x), np.reshape(t, [1])]);
    const re =
      /Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes\. Expected f32\[\] \(tangent type of f32\[\]\) but got f32\[1\]/;
    expectError(() => jvp(f, [2], [1]), CustomJvpError, re);
    expectError(() => grad(f)(2), CustomJvpError, re);
    // With several output leaves, the disagreeing one is named.
    const g = customJvp((x: NdArray) => [x, np.sum(x)]);
    g.defjvp(([x]: NdArray[], [t]: NdArray[]) => [g(x), [t, t]]);
    expectError(
      () => jvp(g, [np.zeros([3])], [np.ones([3])]),
      CustomJvpError,
      /Expected f32\[\] \(tangent type of f32\[\]\) but got f32\[3\]/,
    );
  });

  describe("B-J5 / B-J6: the rule's primal output differs from f's, checked when f was staged first (A13.2)", () => {
    it("B-J5: a different container structure, under jvp(jit) and grad(jit)", () => {
      const f = customJvp(function f(x: NdArray) {
        return x;
      });
      f.defjvp(function f_jvp([x]: NdArray[], [t]: NdArray[]) {
        return [
          [x, x],
          [t, t],
        ] as never;
      });
      const re = new RegExp(
        escape(
          "Custom JVP rule f_jvp for function f must produce a pair (list or tuple of length two) where the first element " +
            "represents the primal output (equal in value to the output of the custom_jvp-decorated function f, and in " +
            "particular of the same container/pytree structure), but instead the JVP rule output's first element had " +
            "container/pytree structure:\n    (f32[], f32[])\nwhile the custom_jvp-decorated function f had output " +
            "container/pytree structure:\n    f32[].",
        ),
      );
      expectError(() => jvp(jit(f), [2], [1]), CustomJvpError, re);
      expectError(() => grad(jit(f))(2), CustomJvpError, re);
    });

    it("B-J6: different shapes", () => {
      const f = customJvp(function f(x: NdArray) {
        return x;
      });
      f.defjvp(function f_jvp([x]: NdArray[], [t]: NdArray[]) {
        return [np.broadcastTo(x, [3]), np.broadcastTo(t, [3])] as never;
      });
      const re = new RegExp(
        escape(
          "and in particular with leaves of the same shape/dtype), but instead the JVP rule output's first element had shapes/dtypes of:\n    f32[3]\nwhile the custom_jvp-decorated function f had output shapes/dtypes of:\n    f32[]",
        ) + "$",
      );
      expectError(() => jvp(jit(f), [2], [1]), CustomJvpError, re);
    });

    it("without staging first, the rule's output defines the result (eager jvp, jit(jvp))", () => {
      const f = customJvp(function f(x: NdArray) {
        return x;
      });
      f.defjvp(function f_jvp([x]: NdArray[], [t]: NdArray[]) {
        return [np.multiply(2, x), np.multiply(2, t)] as never;
      });
      const [y, t] = jvp(f, [f64(2)], [f64(1)]);
      expectNear(y, 4, TOL64);
      expectNear(t, 2, TOL64);
      expectNear(jit((x: NdArray) => jvp(f, [x], [f64(1)])[0])(f64(2)), 4, TOL64);
    });
  });

  it("B-J7: defjvps together with nondiffArgnums", () => {
    const f = customJvp((fn: (x: NdArray) => NdArray, x: NdArray) => fn(x), { nondiffArgnums: [0] });
    expectError(
      () => f.defjvps(null),
      CustomJvpError,
      /^\[customJvp\] Can't use ``defjvps`` with ``nondiff_argnums``\.$/,
    );
  });

  describe("differentiating a value that the primal function closes over (A11.3)", () => {
    const closing = (y: NdArray, staged: boolean) => {
      const f = customJvp((x: NdArray) => np.multiply(x, y));
      f.defjvp(([x]: NdArray[], [t]: NdArray[]) => [f(x), t]);
      return staged ? jit(f)(f64(1)) : f(f64(1));
    };

    it("eager jvp and grad: UnexpectedTracerError (JAX's test_closed_over_tracers_error_message)", () => {
      expectError(
        () => jvp((y: NdArray) => closing(y, false), [f64(2)], [f64(1)]),
        UnexpectedTracerError,
        /unexpected tracer/,
      );
      expectError(() => grad((y: NdArray) => closing(y, false))(f64(2)), UnexpectedTracerError, /unexpected tracer/);
    });

    it("staged: an error instead of a silently zero derivative", () => {
      const re = /^\[customJvp\] Detected differentiation of a custom_jvp function with respect to a closed-over value/;
      expectError(() => grad((y: NdArray) => closing(y, true))(f64(2)), CustomJvpError, re);
      expectError(() => jvp((y: NdArray) => closing(y, true), [f64(2)], [f64(1)]), CustomJvpError, re);
    });
  });
});

// --- checkCustomRules ------------------------------------------------------------------------------------------------

describe('config.update("checkCustomRules", true)', () => {
  it("catches a wrong bwd, naming the argument and the relative error", () => {
    config.update("checkCustomRules", true);
    const f = customVjp(function wrongBwd(x: NdArray, y: NdArray) {
      return np.multiply(np.sin(x), y);
    });
    f.defvjp(
      (x: NdArray, y: NdArray) => [f(x, y), [x, y]],
      // d/dy is sin(x)·g; 2·sin(x)·g is off by exactly 100% whatever the direction.
      ([x, y]: NdArray[], g: NdArray) => [
        np.multiply(np.multiply(np.cos(x), y), g),
        np.multiply(np.multiply(2, np.sin(x)), g),
      ],
    );
    expectError(
      () => grad(f, { argnums: [0, 1] })(1, 2),
      CustomVjpError,
      /^\[checkCustomRules\] the bwd rule of wrongBwd disagrees with differentiation of the primal function for argument leaf 1: got relative error 1\.000e\+0, expected at most/,
    );
  });

  it("catches a wrong jvp rule, naming the output and the relative error; under jvp and under grad", () => {
    config.update("checkCustomRules", true);
    const make = () => {
      const f = customJvp(function wrongJvp(x: NdArray) {
        return np.exp(x);
      });
      // 1.1·e^x·t: 10% off.
      f.defjvp(([x]: NdArray[], [t]: NdArray[]) => [f(x), np.multiply(np.multiply(1.1, np.exp(x)), t)]);
      return f;
    };
    const re =
      /^\[checkCustomRules\] the jvp rule of wrongJvp disagrees with differentiation of the primal function for output leaf 0: got relative error 1\.000e-1, expected at most/;
    expectError(() => jvp(make(), [1], [1]), CustomJvpError, re);
    expectError(() => grad(make())(1), CustomJvpError, re);
  });

  it("checks once per input signature: the check's extra rule call happens only the first time", () => {
    config.update("checkCustomRules", true);
    let ruleCalls = 0;
    const f = customJvp(function rightExp(x: NdArray) {
      return np.exp(x);
    });
    f.defjvp(([x]: NdArray[], [t]: NdArray[]) => {
      ruleCalls++;
      return [f(x), np.multiply(np.exp(x), t)];
    });
    const tangentAt = (x: NdArray) => jvp(f, [x], [np.onesLike(x)])[1];
    expectNear(tangentAt(f64(1)), Math.E, TOL64);
    expect(ruleCalls).toBe(2); // the check, then the jvp itself
    expectNear(tangentAt(f64(2)), Math.exp(2), TOL64);
    expect(ruleCalls).toBe(3); // same signature (f64[]): not checked again
    expectNear(tangentAt(f64([1, 2])), [Math.E, Math.exp(2)], TOL64);
    expect(ruleCalls).toBe(5); // a new signature (f64[2]) is checked
  });

  it("passes right rules and leaves their results unchanged", () => {
    config.update("checkCustomRules", true);
    const f = customVjp(function rightBwd(x: NdArray, y: NdArray) {
      return np.multiply(np.sin(x), y);
    });
    f.defvjp(
      (x: NdArray, y: NdArray) => [f(x, y), [x, y]],
      ([x, y]: NdArray[], g: NdArray) => [np.multiply(np.multiply(np.cos(x), y), g), np.multiply(np.sin(x), g)],
    );
    const [v, [gx, gy]] = valueAndGrad(f, { argnums: [0, 1] })(f64(1), f64(2)) as [NdArray, NdArray[]];
    expectNear(v, 2 * Math.sin(1), TOL64);
    expectNear(gx, 2 * Math.cos(1), TOL64);
    expectNear(gy, Math.sin(1), TOL64);
    const e = customJvp(function rightJvp(x: NdArray) {
      return np.exp(x);
    });
    e.defjvp(([x]: NdArray[], [t]: NdArray[]) => [e(x), np.multiply(np.exp(x), t)]);
    expectNear(jvp(e, [f64(1)], [f64(1)])[1], Math.E, TOL64);
    expectNear(grad(e)(f64(0.5)), Math.exp(0.5), TOL64);
    // Where autodiff of the primal is not finite (√x at 0), the singularity-fixing rule is not flagged.
    const s = customJvp(function sing(x: NdArray) {
      return np.divide(x, np.add(1, np.sqrt(x)));
    });
    s.defjvp(([x]: NdArray[], [t]: NdArray[]) => {
      const d = np.add(1, np.sqrt(x));
      return [s(x), np.multiply(np.divide(np.add(np.multiply(0.5, np.sqrt(x)), 1), np.multiply(d, d)), t)];
    });
    expectNear(grad(s)(f64(0)), 1, TOL64);
    expectNear(grad(s)(f64(4)), 2 / 9, TOL64);
  });
});
