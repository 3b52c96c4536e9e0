/**
 * lax.reduceWindow with a general body: values against a float64 JS reference of XLA's semantics
 * (acc = body(acc, x) from init_value, row-major over the window, padding and base-dilation holes
 * skipped), paddings, strides and dilations, the monoid bodies recognized by tracing, gradients of
 * general bodies against central differences, vmap against a loop, jit against eager, and errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkGrads,
  config,
  grad,
  jit,
  lax,
  makeJaxpr,
  numpy as np,
  vmap,
  DTypeError,
  ShapeError,
  ArgumentTypeError,
  type Array as NdArray,
} from "../src/index.js";

type Pads = [number, number][];
/** XLA's reduce_window on a flat row-major array, in float64. */
function reference(
  x: number[],
  shape: number[],
  init: number,
  f: (a: number, b: number) => number,
  window: number[],
  strides: number[],
  pads: Pads,
  bd: number[],
  wd: number[],
): { shape: number[]; values: number[] } {
  const n = shape.length;
  const dil = shape.map((s, d) => (s - 1) * bd[d] + 1);
  const span = window.map((w, d) => (w - 1) * wd[d] + 1);
  const out = dil.map((s, d) => {
    const p = s + pads[d][0] + pads[d][1];
    return p < span[d] ? 0 : Math.floor((p - span[d]) / strides[d]) + 1;
  });
  const idx = (dims: number[]): number[][] =>
    dims.reduce<number[][]>((acc, m) => acc.flatMap((o) => Array.from({ length: m }, (_, k) => [...o, k])), [[]]);
  const values = idx(out).map((o) => {
    let acc = init;
    for (const k of idx(window)) {
      let flat = 0;
      let inside = true;
      for (let d = 0; d < n; d++) {
        const pos = o[d] * strides[d] + k[d] * wd[d] - pads[d][0];
        if (pos < 0 || pos >= dil[d] || pos % bd[d] !== 0) inside = false;
        flat = flat * shape[d] + pos / bd[d];
      }
      if (inside) acc = f(acc, x[flat]);
    }
    return acc;
  });
  return { shape: out, values };
}

function close(got: NdArray, want: { shape: number[]; values: number[] }, rtol: number): void {
  expect(got.shape).toEqual(want.shape);
  const g = Array.from(got.dataSync() as ArrayLike<number>, Number);
  g.forEach((v, i) => {
    const w = want.values[i];
    expect(Math.abs(v - w), `entry ${i}: ${v} vs ${w}`).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(w)));
  });
}

const values = (n: number, seed: number): number[] =>
  Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * 12.9898 + seed) * 43758.5453 * 100) / 100).map(
    (v) => (v - Math.trunc(v)) * 2,
  );

describe("lax.reduceWindow with a general body (float64)", () => {
  beforeAll(() => config.update("enableX64", true));
  afterAll(() => config.update("enableX64", false));

  const horner = (a: NdArray, b: NdArray): NdArray => lax.add(lax.mul(a, 2), b); // acc·2 + x: order-sensitive
  const hornerJs = (a: number, b: number): number => a * 2 + b;
  const cases: {
    window: number[];
    strides: number[];
    padding: Pads | "SAME" | "VALID";
    bd?: number[];
    wd?: number[];
  }[] = [
    { window: [2, 2], strides: [1, 1], padding: "VALID" },
    {
      window: [3, 2],
      strides: [2, 1],
      padding: [
        [1, 2],
        [0, 1],
      ],
    },
    { window: [2, 3], strides: [1, 2], padding: "SAME", wd: [2, 1] },
    {
      window: [2, 2],
      strides: [2, 1],
      padding: [
        [1, 0],
        [2, 1],
      ],
      bd: [2, 1],
      wd: [1, 2],
    },
    { window: [3, 3], strides: [1, 1], padding: "VALID", bd: [2, 2] },
  ];
  const shape = [4, 5];
  const x = values(20, 1);

  it("matches XLA's fold (mul, an order-sensitive body, logaddexp) with padding, strides and dilations", () => {
    for (const c of cases) {
      const bd = c.bd ?? [1, 1];
      const wd = c.wd ?? [1, 1];
      const span = c.window.map((w, d) => (w - 1) * wd[d] + 1);
      const pads: Pads =
        c.padding === "VALID"
          ? [
              [0, 0],
              [0, 0],
            ]
          : c.padding === "SAME"
            ? shape.map((s, d) => {
                const total = Math.max(0, (Math.ceil(s / c.strides[d]) - 1) * c.strides[d] + span[d] - s);
                return [Math.floor(total / 2), total - Math.floor(total / 2)] as [number, number];
              })
            : c.padding;
      const opts = { baseDilation: c.bd ?? null, windowDilation: c.wd ?? null };
      const xa = np.reshape(np.array(x, { dtype: "float64" }), shape);
      const run = (init: number, f: (a: NdArray, b: NdArray) => NdArray) =>
        lax.reduceWindow(xa, init, f, c.window, c.strides, c.padding, opts);
      // Exact arithmetic on a few terms: rounding only, 1e-14 relative.
      close(
        run(1, lax.mul),
        reference(x, shape, 1, (a, b) => a * b, c.window, c.strides, pads, bd, wd),
        1e-14,
      );
      close(run(0.5, horner), reference(x, shape, 0.5, hornerJs, c.window, c.strides, pads, bd, wd), 1e-14);
      const lae = (a: NdArray, b: NdArray) => np.logaddexp(a, b);
      const laeJs = (a: number, b: number) => Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
      close(run(-Infinity, lae), reference(x, shape, -Infinity, laeJs, c.window, c.strides, pads, bd, wd), 1e-14);
      // lax.add with a non-identity init is a general body: padding is skipped, init counted once.
      close(
        run(3, lax.add),
        reference(x, shape, 3, (a, b) => a + b, c.window, c.strides, pads, bd, wd),
        1e-14,
      );
    }
  });

  it("JAX's documented example: products of pairs", () => {
    const y = lax.reduceWindow(np.arange(10, { dtype: "float32" }), np.float32(1), lax.mul, [2], [1], "VALID");
    expect(y.dtype).toBe("float32");
    expect(y.tolist()).toEqual([0, 2, 6, 12, 20, 30, 42, 56, 72]);
  });

  it("integer and bool operands", () => {
    const xi = np.array(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: "int32" },
    );
    expect(lax.reduceWindow(xi, 1, lax.mul, [2, 2], [1, 1], "VALID").tolist()).toEqual([[40, 180]]);
    const b = np.array([true, true, false, true]);
    const and = (p: NdArray, q: NdArray) => np.logicalAnd(p, q);
    expect(lax.reduceWindow(b, true, and, [2], [1], "VALID").tolist()).toEqual([true, false, false]);
    expect(lax.reduceWindow(b, false, (p, q) => np.logicalOr(p, q), [2], [2], "VALID").tolist()).toEqual([true, true]);
  });

  it("add, max and min bodies with their identity run as the monoid primitives", () => {
    const xa = np.reshape(np.array(x, { dtype: "float64" }), shape);
    const viaLambda = (y: NdArray) =>
      lax.reduceWindow(y, -Infinity, (a, b) => np.maximum(a, b), [2, 2], [1, 1], "SAME");
    expect(makeJaxpr(viaLambda)(xa).jaxpr.toString()).toMatch(/reduce_window_max/);
    expect(
      makeJaxpr((y: NdArray) => lax.reduceWindow(y, 0, lax.add, [2, 2], [1, 1], "VALID"))(xa).jaxpr.toString(),
    ).toMatch(/reduce_window_sum/);
    expect(
      makeJaxpr((y: NdArray) => lax.reduceWindow(y, 1, lax.add, [2, 2], [1, 1], "VALID"))(xa).jaxpr.toString(),
    ).not.toMatch(/reduce_window_sum/);
    expect(viaLambda(xa).tolist()).toEqual(lax.reduceWindow(xa, -Infinity, "max", [2, 2], [1, 1], "SAME").tolist());
    expect(lax.reduceWindow(xa, Infinity, lax.min, [2, 3], [1, 2], "VALID").tolist()).toEqual(
      lax.reduceWindow(xa, Infinity, "min", [2, 3], [1, 2], "VALID").tolist(),
    );
  });

  it("SAME pads for the dilated window, as JAX does", () => {
    const y = np.array([1, 2, 3, 4, 5], { dtype: "float64" });
    const s = lax.reduceWindow(y, 0, "add", [2], [1], "SAME", { windowDilation: [2] });
    // span 3: pads [1, 1], windows (pad,2) (1,3) (2,4) (3,5) (4,pad); the padding is skipped.
    expect(s.tolist()).toEqual([2, 4, 6, 8, 4]);
    expect(lax.reduceWindow(y, 0, horner, [2], [1], "SAME", { windowDilation: [2] }).tolist()).toEqual([
      2, 5, 8, 11, 4,
    ]);
  });

  it("gradients of general bodies against central differences; jvp and vjp agree", () => {
    // checkGrads' float64 defaults; inputs away from 0 so products are smooth and well scaled.
    const xa = np.add(np.reshape(np.array(x, { dtype: "float64" }), shape), 3);
    const opts = { modes: ["fwd", "rev"] as const };
    const pool = (y: NdArray) =>
      lax.reduceWindow(
        y,
        1,
        lax.mul,
        [2, 2],
        [1, 2],
        [
          [1, 0],
          [0, 1],
        ],
      );
    checkGrads(pool, [xa], 2, opts);
    checkGrads((y: NdArray) => lax.reduceWindow(y, -Infinity, np.logaddexp, [3, 2], [1, 1], "SAME"), [xa], 1, opts);
    checkGrads((y: NdArray) => lax.reduceWindow(y, 0.5, horner, [2, 2], [1, 1], "VALID", [2, 1]), [xa], 1, opts);
    // A lambda max goes through the monoid primitive: its gradient picks the arg-max as JAX's does.
    const g = grad((y: NdArray) => np.sum(lax.reduceWindow(y, -Infinity, (a, b) => lax.max(a, b), [2], [2], "VALID")))(
      np.array([1, 3, 5, 2], { dtype: "float64" }),
    );
    expect(g.tolist()).toEqual([0, 1, 1, 0]);
  });

  it("vmap against a loop, jit against eager", () => {
    const xs = np.reshape(np.array(values(60, 2), { dtype: "float64" }), [3, 4, 5]);
    const f = (y: NdArray) => lax.reduceWindow(y, 0.5, horner, [2, 2], [1, 2], "SAME", { baseDilation: [1, 2] });
    const batched = vmap(f)(xs);
    for (let i = 0; i < 3; i++) expect(batched.get(i).tolist()).toEqual(f(xs.get(i)).tolist());
    const j = jit(f);
    const eager = f(xs.get(0)).dataSync();
    Array.from(j(xs.get(0)).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(eager[i] as number, 12));
    const mul = jit((y: NdArray) => lax.reduceWindow(y, 1, lax.mul, [2], [1], "VALID"));
    expect(mul(np.array([1, 2, 3, 4], { dtype: "float64" })).tolist()).toEqual([2, 6, 12]);
  });

  it("empty outputs and windows over padding only", () => {
    const y = np.array([1, 2], { dtype: "float64" });
    expect(lax.reduceWindow(y, 1, lax.mul, [3], [1], "VALID").shape).toEqual([0]);
    expect(lax.reduceWindow(y, 7, lax.mul, [1], [1], [[2, 0]]).tolist()).toEqual([7, 7, 7, 14]);
  });

  it("booleans: min and max bodies over windows on padding give their init values; named sums refuse bool", () => {
    const b = np.array([true, false, true]);
    // Padding of 2 on the left: the first windows see padding only and give the identity.
    expect(lax.reduceWindow(b, true, lax.min, [2], [1], [[2, 0]]).tolist()).toEqual([true, true, false, false]);
    expect(lax.reduceWindow(b, false, lax.max, [2], [1], [[2, 0]]).tolist()).toEqual([false, true, true, true]);
    expect(() => lax.reduceWindow(b, false, "add", [2], [1], "VALID")).toThrow(DTypeError);
    expect(() => lax.reduceWindow(b, false, "add", [2], [1], "VALID")).toThrow(/operand must be a numeric array/);
  });

  it("bad bodies and init values are typed errors", () => {
    const y = np.array([1, 2, 3], { dtype: "float64" });
    expect(() => lax.reduceWindow(y, 0, (() => np.zeros([2])) as never, [2], [1], "VALID")).toThrow(ShapeError);
    expect(() => lax.reduceWindow(y, 0, ((a: NdArray) => a.astype("int32")) as never, [2], [1], "VALID")).toThrow(
      DTypeError,
    );
    expect(() => lax.reduceWindow(y, np.zeros([2]), lax.mul, [2], [1], "VALID")).toThrow(/init_value must be a scalar/);
    expect(() => lax.reduceWindow(y, np.int32(1), lax.mul, [2], [1], "VALID")).toThrow(/inconsistent dtypes/);
    expect(() => lax.reduceWindow(y, 0, 3 as never, [2], [1], "VALID")).toThrow(ArgumentTypeError);
    expect(() => lax.reduceWindow(y, 1, "add", [2], [1], "VALID")).toThrow(/init_value must be the identity/);
  });
});
