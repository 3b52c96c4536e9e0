/**
 * np.convolve / np.correlate and scipy.signal.convolve / correlate against NumPy and SciPy
 * values pasted below; derivatives against central differences; vmap and jit; and awkward
 * arguments to every convolution export (tests/conv.test.ts has lax's convolutions).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkGrads, config, jit, lax, numpy as np, scipy, vmap, type Array as NdArray } from "../src/index.js";
import { CotangentError } from "../src/core/errors.js";
import { OptionError } from "../src/core/options.js";
import { expectClose, fromNd, rng, seedOf } from "./helpers/check.js";

beforeAll(() => config.update("enableX64", true));
afterAll(() => config.update("enableX64", false));

/** Sums of a few float64 products: rounding far below 1e-12. */
const TOL = { rtol: 1e-12, atol: 1e-12 };

// --- np.convolve / np.correlate / scipy.signal -------------------------------------------

describe("np.convolve and np.correlate", () => {
  // NumPy 2.4: a = [1, 2, -3, 4, 0.5], v = [0.5, -1, 2]; columns: convolve(a, v), correlate(a, v),
  // convolve(v, a), correlate(v, a).
  const a = [1, 2, -3, 4, 0.5];
  const v = [0.5, -1, 2];
  const NUMPY = {
    full: [
      [0.5, 0.0, -1.5, 9.0, -9.75, 7.5, 1.0],
      [2.0, 3.0, -7.5, 12.0, -4.5, 1.5, 0.25],
      [0.5, 0.0, -1.5, 9.0, -9.75, 7.5, 1.0],
      [0.25, 1.5, -4.5, 12.0, -7.5, 3.0, 2.0],
    ],
    same: [
      [0.0, -1.5, 9.0, -9.75, 7.5],
      [3.0, -7.5, 12.0, -4.5, 1.5],
      [0.0, -1.5, 9.0, -9.75, 7.5],
      [1.5, -4.5, 12.0, -7.5, 3.0],
    ],
    valid: [
      [-1.5, 9.0, -9.75],
      [-7.5, 12.0, -4.5],
      [-1.5, 9.0, -9.75],
      [-4.5, 12.0, -7.5],
    ],
  };
  const A = () => np.array(a, "float64");
  const V = () => np.array(v, "float64");
  // Values are sums of three products of exact binary fractions: exact in float64.
  const exact = (x: NdArray, e: number[]) => expect(Array.from(x.dataSync() as Float64Array)).toEqual(e);

  for (const mode of ["full", "same", "valid"] as const) {
    it(`mode ${mode} matches NumPy, both argument orders`, () => {
      const [c1, r1, c2, r2] = NUMPY[mode];
      exact(np.convolve(A(), V(), mode), c1);
      exact(np.correlate(A(), V(), { mode }), r1);
      exact(np.convolve(V(), A(), mode), c2);
      exact(np.correlate(V(), A(), mode), r2);
    });
  }

  it("defaults: convolve is full, correlate valid; integers become floats", () => {
    exact(np.convolve(A(), V()), NUMPY.full[0]);
    exact(np.correlate(A(), V()), NUMPY.valid[1]);
    const y = np.convolve([1, 2, 3], [0, 1, 0.5]);
    expect(y.dtype).toBe("float64");
    expect(y.tolist()).toEqual([0, 1, 2.5, 4, 1.5]);
    expect(np.convolve(np.array([1, 2], "int32"), np.array([1, 1], "int32")).dtype).toBe("float64");
  });

  it("gradients, vmap and jit", () => {
    const f = (x: NdArray, y: NdArray) => np.correlate(x, y, "same");
    checkGrads(f, [A(), V()], 2, { modes: ["fwd", "rev"] });
    checkGrads((x: NdArray, y: NdArray) => np.convolve(x, y), [V(), A()], 1);
    const batch = np.stack([A(), np.multiply(A(), -2)]);
    const loop = np.stack([f(A(), V()), f(np.multiply(A(), -2), V())]);
    expectClose(fromNd(vmap(f, { inAxes: [0, null] })(batch, V())), fromNd(loop), TOL, "vmap");
    expectClose(fromNd(jit(f)(A(), V())), fromNd(f(A(), V())), TOL, "jit");
  });

  it("bad input is a typed error", () => {
    expect(() => np.convolve(np.ones([2, 2]), V())).toThrow(/only support 1-dimensional inputs/);
    expect(() => np.correlate(np.ones([0]), V())).toThrow(/cannot be empty/);
    expect(() => np.convolve(A(), V(), "circular" as never)).toThrow(OptionError);
  });
});

describe("scipy.signal.convolve and correlate", () => {
  // SciPy 1.17 (method="direct").
  const x = [
    [1, 2, 0, -1],
    [3, -2, 1, 4],
    [0.5, 1, -1, 2],
  ];
  const k = [
    [1, -1],
    [2, 0.5],
  ];
  const SCIPY = {
    full: [
      [
        [1.0, 1.0, -2.0, -1.0, 1.0],
        [5.0, -0.5, 4.0, 1.0, -4.5],
        [6.5, -2.0, -1.0, 11.5, 0.0],
        [1.0, 2.25, -1.5, 3.5, 1.0],
      ],
      [
        [0.5, 3.0, 4.0, -0.5, -2.0],
        [0.5, 4.0, -1.5, 5.0, 7.0],
        [-2.75, 6.5, -1.5, -4.0, 8.0],
        [-0.5, -0.5, 2.0, -3.0, 2.0],
      ],
    ],
    same: [
      [
        [1.0, 1.0, -2.0, -1.0],
        [5.0, -0.5, 4.0, 1.0],
        [6.5, -2.0, -1.0, 11.5],
      ],
      [
        [0.5, 3.0, 4.0, -0.5],
        [0.5, 4.0, -1.5, 5.0],
        [-2.75, 6.5, -1.5, -4.0],
      ],
    ],
    valid: [
      [
        [-0.5, 4.0, 1.0],
        [-2.0, -1.0, 11.5],
      ],
      [
        [4.0, -1.5, 5.0],
        [6.5, -1.5, -4.0],
      ],
    ],
  };
  const X = () => np.array(x, "float64");
  const K = () => np.array(k, "float64");

  for (const mode of ["full", "same", "valid"] as const) {
    it(`mode ${mode} matches SciPy`, () => {
      expect(scipy.signal.convolve(X(), K(), mode).tolist()).toEqual(SCIPY[mode][0]);
      expect(scipy.signal.correlate(X(), K(), { mode, method: "direct" }).tolist()).toEqual(SCIPY[mode][1]);
    });
  }

  it("the smaller input first (swapped, as SciPy) and 1-d", () => {
    expect(scipy.signal.convolve(K(), X(), "same").tolist()).toEqual([
      [-0.5, 4.0],
      [-2.0, -1.0],
    ]);
    expect(scipy.signal.correlate(K(), X(), "same").tolist()).toEqual([
      [-4.0, -1.5],
      [5.0, -1.5],
    ]);
    expect(scipy.signal.correlate([1, 2, 3], [0, 1, 0.5]).tolist()).toEqual([0.5, 2, 3.5, 3, 0]);
  });

  it("gradients and jit", () => {
    checkGrads((a: NdArray, b: NdArray) => scipy.signal.convolve(a, b, "same"), [X(), K()], 2, {
      modes: ["fwd", "rev"],
    });
    const f = (a: NdArray, b: NdArray) => scipy.signal.correlate(a, b);
    expectClose(fromNd(jit(f)(X(), K())), fromNd(f(X(), K())), TOL, "jit");
  });

  it("bad input is a typed error", () => {
    expect(() => scipy.signal.convolve(X(), np.ones([2]))).toThrow(/same number of dimensions/);
    expect(() => scipy.signal.convolve(X(), np.ones([2, 5]))).toThrow(/smaller than the other in every dimension/);
    expect(() => scipy.signal.convolve(X(), K(), "full", "spectral" as never)).toThrow(OptionError);
  });
});

describe("awkward arguments give only typed errors", () => {
  const POOL: unknown[] = [
    undefined,
    null,
    NaN,
    -1,
    0,
    2.5,
    "SAME",
    "nope",
    [],
    [1],
    [0, 1],
    [[1, 1]],
    [
      [1, 1],
      [1, 1],
    ],
    {},
    { bogus: 1 },
    () => 0,
    ["NCHW", "OIHW", "NCHW"],
  ];
  const arrays = () => [np.zeros([1, 2, 3, 3]), np.zeros([2, 2, 2, 2]), np.zeros([3]), np.array(1), np.zeros([2, 0])];
  const FNS: [string, (...a: unknown[]) => unknown][] = [
    ["lax.convGeneralDilated", lax.convGeneralDilated as never],
    ["lax.conv", lax.conv as never],
    ["lax.convTranspose", lax.convTranspose as never],
    ["lax.reduceWindow", lax.reduceWindow as never],
    ["np.convolve", np.convolve as never],
    ["np.correlate", np.correlate as never],
    ["scipy.signal.convolve", scipy.signal.convolve as never],
    ["scipy.signal.correlate", scipy.signal.correlate as never],
  ];
  for (const [name, fn] of FNS) {
    it(name, () => {
      const draw = rng(seedOf(name));
      const pick = <V>(xs: V[]) => xs[Math.floor(draw() * xs.length)];
      for (let t = 0; t < 300; t++) {
        const xsArr = arrays();
        const args = Array.from({ length: 2 + Math.floor(draw() * 6) }, (_, i) =>
          i < 2 && draw() < 0.8 ? pick(xsArr) : draw() < 0.3 ? pick(xsArr) : pick(POOL),
        );
        try {
          fn(...args);
        } catch (e) {
          expect(e, `${name}(${args.map((a) => String(a)).join(", ")})`).toBeInstanceOf(CotangentError);
        }
      }
    });
  }
});
