/**
 * The public transformations keep JAX's contract: options positionally or in an
 * object (and never silently ignored), jit's static-argument cache keyed by
 * value or identity and bounded, async functions refused without killing the
 * process, JAX's custom-rule behaviours, the result types, and a fuzz battery
 * of misuses that must each be a typed error.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  checkGrads,
  checkpoint,
  config,
  CotangentError,
  customJvp,
  CustomJvpError,
  customVjp,
  CustomVjpError,
  DTypeError,
  evalShape,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  linearize,
  makeJaxpr,
  numpy as np,
  ShapedArray,
  ShapeError,
  TransformError,
  valueAndGrad,
  vjp,
  vmap,
  Array as NdArray,
} from "../src/index.js";
import { ArgumentTypeError } from "../src/core/errors.js";
import { OptionError } from "../src/core/options.js";
import { JIT_CACHE_SIZE, staticKey } from "../src/transforms/jit-api.js";

const vals = (x: unknown): number[] => Array.from((x as NdArray).dataSync() as ArrayLike<number>);
const close = (x: unknown, want: number[], tol = 1e-5) => {
  const got = vals(x);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]))));
};
/** Throws an instance of `cls` (a CotangentError) whose message matches every pattern. */
function throwsTyped(f: () => unknown, cls: new (...a: never[]) => Error, ...patterns: (RegExp | string)[]): void {
  let caught: unknown = null;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, "expected a throw").not.toBeNull();
  expect(caught).toBeInstanceOf(cls);
  expect(caught).toBeInstanceOf(CotangentError);
  for (const p of patterns) expect((caught as Error).message).toMatch(p);
}

/** A function called with arguments its type does not allow (the mistakes under test). */
const loose = (f: unknown) => f as (...a: unknown[]) => unknown;
const mulSum = (x: NdArray, y: NdArray) => np.sum(np.multiply(np.sin(x), y));

describe("transformation options: positional (JAX's order) or an object, never ignored", () => {
  it("grad(f, 1) differentiates argument 1; grad(f, [0, 1]) both", () => {
    // d/dy sum(sin(x)·y) = sin(x); d/dx = cos(x)·y
    close(grad(mulSum, 1)(0.5, 2), [Math.sin(0.5)]);
    const [gx, gy] = grad(mulSum, [0, 1])(0.5, 2);
    close(gx, [2 * Math.cos(0.5)]);
    close(gy, [Math.sin(0.5)]);
    close(grad(mulSum, -1)(0.5, 2), [Math.sin(0.5)]);
    const [v, g] = valueAndGrad(mulSum, 1)(0.5, 2);
    close(v, [2 * Math.sin(0.5)]);
    close(g, [Math.sin(0.5)]);
  });

  it("grad's hasAux positionally, and its typed refusals (holomorphic, reduceAxes, duplicates)", () => {
    const f = (x: NdArray) => [np.sum(np.square(x)), { double: x.mul(2) }] as [NdArray, { double: NdArray }];
    const [g, aux] = grad(f, 0, true)(np.array([1, 2]));
    close(g, [2, 4]);
    close(aux.double, [2, 4]);
    throwsTyped(() => grad(mulSum, 0, false, true), TransformError, /^\[grad\] holomorphic/, /no complex dtypes/);
    throwsTyped(() => jacfwd(mulSum, { holomorphic: true }), TransformError, /^\[jacfwd\] holomorphic/);
    throwsTyped(
      () => grad(mulSum, { reduceAxes: ["batch"] as never }),
      OptionError,
      /option "reduceAxes" must be an empty array/,
    );
    throwsTyped(
      () => grad(mulSum, [0, 0]),
      OptionError,
      /option "argnums" must be an integer or an array of distinct integers/,
    );
    throwsTyped(() => grad(mulSum, [0, -2])(1, 2), TransformError, /argnums must not repeat/);
    throwsTyped(() => grad(mulSum, 1.5 as never), OptionError, /option "argnums"/);
    throwsTyped(
      () => grad(mulSum, { has_aux: true } as never),
      OptionError,
      /unknown option "has_aux": expected one of argnums/,
      /Did you mean "hasAux"/,
    );
  });

  it("jacfwd / jacrev / hessian: argnums positionally; hasAux returns [jacobian, aux] and does not differentiate aux", () => {
    const f = (x: NdArray, y: NdArray) => np.multiply(np.sin(x), y);
    // d/dy (sin x · y) = diag(sin x)
    const xs = np.array([0.5, 1]);
    const ys = np.array([2, 3]);
    close(jacfwd(f, 1)(xs, ys), [Math.sin(0.5), 0, 0, Math.sin(1)]);
    close(jacrev(f, 1)(xs, ys), [Math.sin(0.5), 0, 0, Math.sin(1)]);
    const withAux = (x: NdArray) => [np.sin(x), { a: np.square(x) }] as [NdArray, { a: NdArray }];
    for (const [jac, aux] of [jacfwd(withAux, { hasAux: true })(xs), jacrev(withAux, 0, true)(xs)]) {
      close(jac, [Math.cos(0.5), 0, 0, Math.cos(1)]);
      close(aux.a, [0.25, 1]);
    }
    // hessian of sum(x^3)·y w.r.t. y is zero; w.r.t. x diag(6x·y)
    const cube = (x: NdArray, y: NdArray) => np.sum(np.multiply(np.power(x, 3), y));
    close(hessian(cube)(xs, ys), [6 * 0.5 * 2, 0, 0, 6 * 3]);
    close(hessian(cube, 1)(xs, ys), [0, 0, 0, 0]);
    const [h, aux] = hessian((x: NdArray) => [np.sum(np.power(x, 3)), x] as [NdArray, NdArray], 0, true)(xs);
    close(h, [3, 0, 0, 6]);
    close(aux, [0.5, 1]);
    throwsTyped(() => jacfwd(f)(np.array([1, 2], "int32"), ys), DTypeError, /jacfwd requires real-valued inputs/);
    throwsTyped(() => jacrev((x: NdArray) => np.argmax(x))(xs), DTypeError, /jacrev requires real-valued outputs/);
  });

  it("vmap(f, [null, 0]) maps only argument 1; axisSize batches a function of no batched input", () => {
    const w = np.array([1, 2]);
    const rows = np.array([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    close(vmap((a: NdArray, b: NdArray) => np.dot(a, b), [null, 0])(w, rows), [3, 6, 9]);
    close(vmap((a: NdArray, b: NdArray) => np.dot(a, b), [null, 0], 0, "i")(w, rows), [3, 6, 9]);
    const r = vmap(() => np.ones([2]), { inAxes: [], axisSize: 3 })();
    expect(r.shape).toEqual([3, 2]);
    throwsTyped(() => vmap(() => np.ones([2]), { inAxes: [] })(), TransformError, /axisSize/);
    throwsTyped(() => vmap((a: NdArray) => a, { inAxes: { a: 0 } as never }), OptionError, /option "inAxes"/);
    throwsTyped(() => vmap((a: NdArray) => a, [0.5]), OptionError, /option "inAxes"/);
    throwsTyped(() => vmap((a: NdArray) => a, 0, "x" as never), OptionError, /option "outAxes"/);
    throwsTyped(() => vmap((a: NdArray) => a, { axisSize: -1 }), OptionError, /option "axisSize"/);
    throwsTyped(() => vmap((a: NdArray) => a, { axisSize: 2 })(np.ones([3])), TransformError, /inconsistent sizes/);
  });

  it("vjp / linearize: { hasAux: true } after the primals; any other trailing object is a primal", () => {
    const f = (x: NdArray) => [np.sin(x), np.cos(x)] as [NdArray, NdArray];
    const [y, pullback, aux] = vjp(f, 0.5, { hasAux: true });
    close(y, [Math.sin(0.5)]);
    close(aux, [Math.cos(0.5)]);
    close(pullback(1.0)[0], [Math.cos(0.5)]);
    const [y2, push, aux2] = linearize(f, 0.5, { hasAux: true });
    close(y2, [Math.sin(0.5)]);
    close(aux2, [Math.cos(0.5)]);
    close(push(2.0), [2 * Math.cos(0.5)]);
    // A pytree primal whose keys are not options is data.
    const g = (p: { w: NdArray }) => np.sum(np.square(p.w));
    const [, pb] = vjp(g, { w: np.array([1, 2]) });
    close((pb(1.0)[0] as { w: NdArray }).w, [2, 4]);
    throwsTyped(() => vjp(f, 0.5, { hasAux: 1 } as never), OptionError, /option "hasAux" must be a boolean/);
    throwsTyped(() => loose(pullback)(1.0, 2.0), TransformError, /must be called with a single argument/);
  });

  it("jvp's hasAux positionally (JAX: jvp(fun, primals, tangents, has_aux))", () => {
    const f = (x: NdArray) => [np.sin(x), { c: np.cos(x) }] as [NdArray, { c: NdArray }];
    const [y, t, aux] = jvp(f, [0.5], [2.0], true);
    close(y, [Math.sin(0.5)]);
    close(t, [2 * Math.cos(0.5)]);
    close(aux.c, [Math.cos(0.5)]);
    throwsTyped(() => jvp(np.sin, [1], [1], false, true as never), OptionError, /too many arguments/);
  });

  it("jit: keyword-only options; staticArgnames and non-empty axisEnv are typed errors; donation is accepted", () => {
    const f = (x: NdArray, n: number) => np.multiply(x, n);
    close(jit(f, { staticArgnums: 1, donateArgnums: [0], keepUnused: true })(2, 3), [6]);
    throwsTyped(() => jit(f, { staticArgnames: ["n"] }), TransformError, /staticArgnames needs keyword arguments/);
    throwsTyped(() => jit(f, [1] as never), OptionError, /too many arguments/);
    throwsTyped(
      () => jit(f, { static_argnums: [1] } as never),
      OptionError,
      /unknown option "static_argnums"/,
      /staticArgnums/,
    );
    throwsTyped(() => makeJaxpr(f, { axisEnv: [["i", 2]] }), TransformError, /axisEnv/);
    const [j, shapes] = makeJaxpr(f, [1], null, true)(np.ones([2]), 3);
    expect(String(j)).toMatch(/mul/);
    expect(shapes).toBeInstanceOf(ShapedArray);
    expect(String(shapes)).toBe("f32[2]");
  });

  it("customVjp(f, [0]) and customJvp(f, 0) take nondiffArgnums positionally; nondiffArgnames is a typed error", () => {
    const f = customVjp((scale: number, x: NdArray) => np.multiply(x, scale), [0]);
    f.defvjp(
      (scale: number, x: NdArray) => [np.multiply(x, scale), null] as const,
      (scale: number, _r: unknown, g: NdArray) => [np.multiply(g, scale * 10)],
    );
    close(grad((x: NdArray) => f(2, x))(1.0), [20]);
    const h = customJvp((scale: number, x: NdArray) => np.multiply(x, scale), 0);
    h.defjvp((scale: number, [x]: NdArray[], [t]: NdArray[]) => [np.multiply(x, scale), np.multiply(t, scale * 10)]);
    close(grad((x: NdArray) => h(2, x))(1.0), [20]);
    throwsTyped(
      () => customVjp(np.sin, { nondiffArgnames: ["x"] }),
      TransformError,
      /nondiffArgnames needs keyword arguments/,
    );
    throwsTyped(() => customVjp(np.sin, { nondiffArgnums: [0.5] } as never), OptionError, /option "nondiffArgnums"/);
    throwsTyped(
      () => customVjp(np.sin).defvjp(1 as never, 2 as never),
      CustomVjpError,
      /fwd rule of .* must be a function/,
    );
    throwsTyped(() => customVjp(np.sin).defvjp(np.sin as never, np.cos, true), CustomVjpError, /symbolicZeros/);
    throwsTyped(() => customJvp(np.sin).defjvp(3 as never), CustomJvpError, /must be a function/);
    throwsTyped(() => customJvp(np.sin).defjvps(3 as never), CustomJvpError, /must be a function or null/);
  });

  it("checkpoint's staticArgnums pass a JS value through; checkGrads takes modes/atol/rtol/eps positionally", () => {
    const f = checkpoint((x: NdArray, act: string) => (act === "sin" ? np.sin(x) : np.cos(x)), { staticArgnums: [1] });
    close(grad((x: NdArray) => f(x, "sin"))(0.5), [Math.cos(0.5)]);
    close(grad((x: NdArray) => f(x, "cos"))(0.5), [-Math.sin(0.5)]);
    expect(() => checkGrads(np.sin, [np.array([0.3], "float64")], 2, ["rev"], 1e-6, 1e-6, 1e-7)).not.toThrow();
    throwsTyped(() => checkGrads(np.sin, [0.3], 0), TransformError, /order must be a positive integer/);
    throwsTyped(() => checkGrads(np.sin, [0.3], 1, ["sideways"] as never), OptionError, /option "modes"/);
    throwsTyped(() => checkpoint(np.sin, { policy: "dots" } as never), OptionError, /option "policy"/);
  });
});

describe("config.update: typed errors, values checked, __proto__ refused", () => {
  it("unknown keys, wrong value types and inherited names are ArgumentTypeErrors", () => {
    throwsTyped(
      () => config.update("bogus" as never, true as never),
      ArgumentTypeError,
      /unknown option "bogus": expected one of enableX64/,
    );
    throwsTyped(
      () => config.update("jax_enable_x64" as never, true as never),
      ArgumentTypeError,
      /Did you mean "enableX64"/,
    );
    throwsTyped(
      () => config.update("__proto__" as never, {} as never),
      ArgumentTypeError,
      /unknown option "__proto__"/,
    );
    throwsTyped(() => config.update("toString" as never, 1 as never), ArgumentTypeError, /unknown option "toString"/);
    throwsTyped(
      () => config.update("enableX64", "yes" as never),
      ArgumentTypeError,
      /option "enableX64" must be a boolean: got string "yes"/,
    );
    throwsTyped(() => config.update("platform", "gpu" as never), ArgumentTypeError, /unknown platform/);
    throwsTyped(() => config.read("nope" as never), ArgumentTypeError, /unknown option "nope"/);
    expect(Object.getPrototypeOf(config.values)).toBe(Object.prototype);
    expect(config.read("enableX64")).toBe(false);
  });
});

describe("jit's cache of static arguments: by value or identity, bounded", () => {
  const x = np.array([0.5, 1]);

  it("functions inside static objects and arrays are keyed by identity", () => {
    const f = jit((v: NdArray, c: { act: (a: NdArray) => NdArray }) => c.act(v), { staticArgnums: [1] });
    close(f(x, { act: np.sin }), [Math.sin(0.5), Math.sin(1)]);
    close(f(x, { act: np.cos }), [Math.cos(0.5), Math.cos(1)]);
    const g = jit((v: NdArray, c: ((a: NdArray) => NdArray)[]) => c[0](v), { staticArgnums: 1 });
    close(g(x, [np.sin]), [Math.sin(0.5), Math.sin(1)]);
    close(g(x, [np.cos]), [Math.cos(0.5), Math.cos(1)]);
    expect(g.cacheSize()).toBe(2);
    g(x, [np.sin]);
    expect(g.cacheSize()).toBe(2);
  });

  it("Infinity, NaN, -0, Maps, Sets, class instances and key order are told apart", () => {
    const f = jit((v: NdArray, c: { c: number }) => np.add(v, Number.isNaN(c.c) ? -1 : c.c === Infinity ? 10 : 0), {
      staticArgnums: [1],
    });
    close(f(x, { c: Infinity }), [10.5, 11]);
    close(f(x, { c: NaN }), [-0.5, 0]);
    const signOfZero = jit((v: NdArray, z: number) => np.multiply(v, 1 / z), { staticArgnums: [1] });
    expect(vals(signOfZero(1, 0))).toEqual([Infinity]);
    expect(vals(signOfZero(1, -0))).toEqual([-Infinity]);
    const m = jit((v: NdArray, c: Map<string, number>) => np.multiply(v, c.get("k")!), { staticArgnums: [1] });
    close(m(1, new Map([["k", 2]])), [2]);
    close(m(1, new Map([["k", 3]])), [3]);
    class Scale {
      constructor(readonly s: number) {}
    }
    const k = jit((v: NdArray, c: Scale) => np.multiply(v, c.s), { staticArgnums: [1] });
    close(k(1, new Scale(2)), [2]);
    close(k(1, new Scale(3)), [3]);
    const order = jit((v: NdArray, c: Record<string, number>) => np.multiply(v, Object.values(c)[0]), {
      staticArgnums: [1],
    });
    close(order(1, { a: 2, b: 3 }), [2]);
    close(order(1, { b: 3, a: 2 }), [3]);
    expect(staticKey(NaN)).toBe(staticKey(0 / 0));
    expect(staticKey(0)).not.toBe(staticKey(-0));
    expect(staticKey(new Set([1]))).not.toBe(staticKey(new Set([2])));
    expect(staticKey(new Float32Array([1]))).not.toBe(staticKey(new Float32Array([2])));
    expect(staticKey("1")).not.toBe(staticKey(1));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => staticKey(cyclic)).not.toThrow();
  });

  it("the cache is an LRU of JIT_CACHE_SIZE programs per function", () => {
    expect(JIT_CACHE_SIZE).toBe(4096);
    const f = jit((v: NdArray, n: number) => np.multiply(v, n), { staticArgnums: [1] });
    for (let i = 0; i < JIT_CACHE_SIZE + 40; i++) f(1, i);
    expect(f.cacheSize()).toBe(JIT_CACHE_SIZE);
    close(f(1, 7), [7]);
  }, 120_000);

  it("toggling enableX64 retraces instead of reusing a float32 program", () => {
    const f = jit((v: NdArray) => np.add(v, np.ones([1])));
    expect(f(np.array([1], "float32")).dtype).toBe("float32");
    config.update("enableX64", true);
    try {
      expect(f(np.array([1], "float32")).dtype).toBe("float64");
    } finally {
      config.update("enableX64", false);
    }
  });
});

describe("async functions under a transformation", () => {
  it("are a typed error, and the abandoned promise does not reject unhandled", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    try {
      const f = (async (x: NdArray) => {
        await Promise.resolve();
        return np.sin(x); // uses a tracer of a finished trace: rejects
      }) as unknown as (x: NdArray) => NdArray;
      for (const t of [
        () => grad(f)(1.0),
        () => vmap(f)(np.ones([2])),
        () => jit(f)(1.0),
        () => jvp(f, [1.0], [1.0]),
        () => vjp(f, 1.0),
        () => jacrev(f)(1.0),
        () => makeJaxpr(f)(1.0),
        () => checkpoint(f)(np.array(1.0)),
        () => grad(f, { hasAux: true })(1.0),
      ]) {
        throwsTyped(t, TransformError, /transformed functions must be synchronous/);
      }
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("JAX's custom-rule tests", () => {
  const f = customVjp(function f(x: NdArray) {
    return np.sin(x);
  });
  f.defvjp(
    (x: NdArray) => [np.sin(x), np.cos(x)] as const,
    (c: NdArray, g: NdArray) => [np.multiply(np.multiply(c, g), 2)],
  );

  it("grad(checkpoint(f)) of a customVjp f uses bwd (checkpoint linearizes the custom call)", () => {
    close(grad(checkpoint(f))(1.0), [2 * Math.cos(1)]);
    close(grad((x: NdArray) => checkpoint(f)(np.sin(x)))(1.0), [2 * Math.cos(Math.sin(1)) * Math.cos(1)]);
    // Forward mode is still JAX's error.
    throwsTyped(
      () => jvp(checkpoint(f), [1.0], [1.0]),
      CustomVjpError,
      /can't apply forward-mode autodiff \(jvp\) to a custom_vjp function/,
    );
    throwsTyped(() => jvp(f, [1.0], [1.0]), CustomVjpError, /can't apply forward-mode autodiff/);
  });

  it("customJvp checks the rule's primal output before its tangent types (JAX's order)", () => {
    const g = customJvp(function g(x: NdArray) {
      return np.sin(x);
    });
    g.defjvp(function g_jvp([x]: NdArray[], [t]: NdArray[]) {
      return [np.ones([3]), np.multiply(t, np.cos(x))];
    });
    throwsTyped(
      () => grad(jit(g))(1.0),
      CustomJvpError,
      /Custom JVP rule g_jvp for function g must produce a pair .* shapes\/dtypes of:\n {4}f32\[3\]\nwhile the custom_jvp-decorated function g had output shapes\/dtypes of:\n {4}f32\[\]$/s,
    );
  });

  it("makeJaxpr prints custom_vjp_call / custom_jvp_call as JAX does", () => {
    const h = customVjp(function f(x: NdArray) {
      return np.add(x, 1);
    });
    h.defvjp(
      function f_fwd(x: NdArray) {
        return [h(x), []] as const;
      },
      function f_bwd(_: unknown, g: NdArray) {
        return [g];
      },
    );
    expect(makeJaxpr(h)(np.array([4.2])).toString()).toBe(
      [
        "{ lambda ; a:f32[1]. let",
        "    b:f32[1] = custom_vjp_call[",
        "      name=f",
        "      bwd=f_bwd",
        "      call_jaxpr={ lambda ; c:f32[1]. let d:f32[1] = add c 1.0:f32[] in (d,) }",
        "      fwd=f_fwd",
        "      symbolic_zeros=False",
        "    ] a",
        "  in (b,) }",
      ].join("\n"),
    );
    const k = customJvp(function f(x: NdArray) {
      return np.add(x, 1);
    });
    k.defjvp(function f_jvp([x]: NdArray[], [t]: NdArray[]) {
      return [k(x), t];
    });
    expect(makeJaxpr(k)(np.array([4.2])).toString()).toContain(
      "custom_jvp_call[\n      name=f\n      call_jaxpr={ lambda ; c:f32[1]. let d:f32[1] = add c 1.0:f32[] in (d,) }\n      jvp=f_jvp\n",
    );
  });

  it("a fwd rule may return the function from vjp as its residual (JAX's test_nestable_vjp)", () => {
    const sq = (x: NdArray) => np.multiply(x, x);
    const g = customVjp(function g(x: NdArray) {
      return sq(x);
    });
    g.defvjp(
      (x: NdArray) => vjp(sq, x),
      (fVjp: (ct: unknown) => NdArray[], yBar: NdArray) => fVjp(yBar),
    );
    const [, gVjp] = vjp(g, 1.0);
    close(gVjp(1.0)[0], [2]);
    close(grad(g)(3.0), [6]);
    close(vmap(grad(g))(np.array([1, 2])), [2, 4]);
    // The vjp function may also leave a jit.
    const z = jit((x: NdArray) => vjp(g, x)[1]);
    close((z(1.0) as unknown as (ct: number) => NdArray[])(3.0)[0], [6]);
  });
});

describe("result types", () => {
  it("jacobians, hasAux gradients and jit keep their types", () => {
    const f = (x: NdArray, p: { w: NdArray }) => np.multiply(x, p.w);
    const aux = (x: NdArray) => [np.sum(x), { n: x }] as [NdArray, { n: NdArray }];
    const p = { w: np.ones([2]) };
    expectTypeOf(jacfwd(f)(np.ones([2]), p)).toEqualTypeOf<NdArray>();
    expectTypeOf(jacrev(f, 1)(np.ones([2]), p)).toEqualTypeOf<{ w: NdArray }>();
    expectTypeOf(jacrev(f, [0, 1])(np.ones([2]), p)).toEqualTypeOf<[NdArray, { w: NdArray }]>();
    expectTypeOf(hessian(aux, { hasAux: true })(np.ones([2]))).toEqualTypeOf<[NdArray, { n: NdArray }]>();
    expectTypeOf(grad(aux, { hasAux: true })(np.ones([2]))).toEqualTypeOf<[NdArray, { n: NdArray }]>();
    const fs = (x: NdArray, q: { w: NdArray }) => np.sum(np.multiply(x, q.w));
    expectTypeOf(grad(fs, 1)(np.ones([2]), p)).toEqualTypeOf<{ w: NdArray }>();
    expectTypeOf(valueAndGrad(aux, 0, true)(np.ones([2]))).toEqualTypeOf<[[NdArray, { n: NdArray }], NdArray]>();
    const j = jit((x: NdArray, n = 3) => x.mul(n));
    expectTypeOf(j).parameters.toEqualTypeOf<[x: NdArray | number, n?: number]>();
    expectTypeOf(j(np.ones([2]))).toEqualTypeOf<NdArray>();
  });
});

describe("fuzz: misused transformations are typed errors", () => {
  const sum = (x: NdArray) => np.sum(x);
  const cases: [string, () => unknown][] = [
    ["grad of a number", () => grad(3 as never)],
    ["grad of a string", () => grad("f" as never)],
    ["vmap of null", () => vmap(null as never)],
    ["jit of an object", () => jit({} as never)],
    ["customVjp of a number", () => customVjp(1 as never)],
    ["customJvp of undefined", () => customJvp(undefined as never)],
    ["checkpoint of a number", () => checkpoint(1 as never)],
    ["jacfwd of a symbol", () => jacfwd(Symbol("f") as never)],
    ["checkGrads of a number", () => checkGrads(1 as never, [1], 1)],
    ["grad argnums float", () => grad(sum, 0.5 as never)],
    ["grad argnums NaN", () => grad(sum, NaN as never)],
    ["grad argnums string", () => grad(sum, "0" as never)],
    ["grad argnums duplicate", () => grad(mulSum, [1, 1])],
    ["grad argnums out of range", () => loose(grad(sum, 3))(1)],
    ["grad argnums negative out of range", () => loose(grad(sum, -2))(1)],
    ["jacrev argnums out of range", () => jacrev(sum, [0, 5])(np.ones([2]))],
    ["grad of a non-scalar", () => grad((x: NdArray) => x)(np.ones([2]))],
    ["grad of a string output", () => loose(grad(() => "s" as never))(1)],
    ["grad of an undefined output", () => loose(grad(() => undefined as never))(1)],
    ["grad of an object output", () => loose(grad(() => ({ a: 1 }) as never))(1)],
    ["grad of an integer output", () => grad((x: NdArray) => np.argmax(x))(np.ones([2]))],
    ["grad of an integer input", () => grad(sum)(np.array([1, 2], "int32"))],
    ["grad with a string argument", () => grad(sum)("abc" as never)],
    ["grad with no arguments", () => loose(grad(sum))()],
    ["hasAux not a pair", () => grad(sum, { hasAux: true })(np.ones([2]))],
    ["jacfwd of a string output", () => loose(jacfwd(() => "s" as never))(1.0)],
    ["jacrev with no arguments", () => loose(jacrev(sum))()],
    ["vmap inAxes too long", () => loose(vmap(sum, [0, 0]))(np.ones([2]))],
    ["vmap inAxes out of range", () => vmap(sum, 3)(np.ones([2]))],
    ["vmap inAxes float", () => vmap(sum, 1.5 as never)],
    ["vmap inAxes string", () => vmap(sum, "0" as never)],
    ["vmap inAxes nested float", () => vmap(sum, [[0.5]] as never)],
    ["vmap outAxes out of range", () => vmap((x: NdArray) => x, 0, 5)(np.ones([2]))],
    ["vmap outAxes wrong structure", () => vmap((x: NdArray) => x, 0, [0, 0])(np.ones([2]))],
    ["vmap of a rank-0 argument", () => loose(vmap(sum))(1.0)],
    ["vmap of a string output", () => vmap(() => "s" as never, { axisSize: 2, inAxes: [] })()],
    ["vmap with no batched argument", () => vmap(sum, [null])(np.ones([2]))],
    ["vjp cotangent of the wrong shape", () => vjp(np.sin, np.ones([2]))[1](np.ones([3]))],
    ["vjp cotangent of the wrong structure", () => vjp(np.sin, np.ones([2]))[1]([1, 2])],
    ["jvp primals not an array", () => jvp(np.sin, 1 as never, [1])],
    ["jvp tangent of the wrong shape", () => jvp(np.sin, [np.ones([2])], [np.ones([3])])],
    ["jvp tangent of the wrong structure", () => jvp(np.sin, [1], [1, 2] as never)],
    ["linearize tangent of the wrong shape", () => linearize(np.sin, np.ones([2]))[1](np.ones([3]))],
    ["jit staticArgnums out of range", () => jit(sum, { staticArgnums: [4] })(np.ones([2]))],
    ["jit staticArgnums float", () => jit(sum, { staticArgnums: [0.5] })],
    ["jit with a string argument", () => jit(sum)("x" as never)],
    ["jit of a string output", () => loose(jit(() => "s" as never))()],
    ["makeJaxpr option type", () => makeJaxpr(sum, "0" as never)],
    ["customVjp without defvjp", () => customVjp(sum)(np.ones([2]))],
    [
      "customVjp nondiffArgnums out of range",
      () => {
        const h = customVjp(sum, [3]);
        h.defvjp(np.sin as never, np.cos);
        return loose(h)(1);
      },
    ],
    ["customVjp negative nondiffArgnums", () => customVjp(sum, [-1])],
    ["checkpoint staticArgnums out of range", () => checkpoint(sum, { staticArgnums: [2] })(np.ones([2]))],
    ["checkGrads args not an array", () => checkGrads(np.sin, 1 as never, 1)],
    ["checkGrads order float", () => checkGrads(np.sin, [1], 1.5)],
    ["config.update a number key", () => config.update(1 as never, true as never)],
  ];
  for (const [name, call] of cases) {
    it(name, () => {
      let caught: unknown = null;
      try {
        call();
      } catch (e) {
        caught = e;
      }
      expect(caught, `${name}: expected a throw`).not.toBeNull();
      expect(caught, `${name}: ${String(caught)}`).toBeInstanceOf(CotangentError);
      expect((caught as Error).message).toMatch(/^\[[\w.]+\] /);
      expect((caught as Error).message).not.toMatch(/undefined undefined/);
    });
  }

  it("no silent acceptance: grad of a function ignoring its argument is zero, shapes are kept", () => {
    close(loose(grad(() => np.array(1.5)))(np.ones([2])), [0, 0]);
    expect(ShapeError).toBeDefined();
  });
});

describe("evalShape", () => {
  it("gives the output pytree's avals without computing, from arrays, numbers or ShapedArrays", () => {
    let calls = 0;
    const f = (x: NdArray, y: NdArray) => {
      calls++;
      return { s: np.sum(x, 0), p: np.matmul(x, y), n: [np.greater(x, 0)] };
    };
    const out = evalShape(f, new ShapedArray([3, 4], "float32"), np.ones([4, 2], "float64")) as {
      s: ShapedArray;
      p: ShapedArray;
      n: ShapedArray[];
    };
    expect(calls).toBe(1);
    expect(out.s.str()).toBe("f32[4]");
    expect(out.p.str()).toBe("f64[3,2]");
    expect(out.n[0].str()).toBe("bool[3,4]");
    expect((evalShape((a: NdArray) => np.multiply(a, 2), 1.5) as ShapedArray).str()).toBe("f32[]");
    // Inside jit, on tracers: still only shapes.
    const g = jit((x: NdArray) => np.zeros((evalShape((a: NdArray) => np.outer(a, a), x) as ShapedArray).shape));
    expect(g(np.ones([3])).shape).toEqual([3, 3]);
  });

  it("refuses what is not a function, and a function's shape errors are its own", () => {
    expect(() => evalShape(3 as never)).toThrow(/evalShape/);
    expect(() => evalShape((a: NdArray) => np.matmul(a, a), new ShapedArray([2, 3], "float32"))).toThrow(ShapeError);
  });
});
