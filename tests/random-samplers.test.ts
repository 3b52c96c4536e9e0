/**
 * random.gamma, beta, dirichlet and poisson: determinism, shapes and dtypes,
 * jit/vmap against eager, JAX's algorithm step for step (an independent eager
 * re-implementation of `_gamma_one` and of Knuth's loop from the public split,
 * normal and uniform), statistics against the distributions' moments, edge
 * cases and bad input.
 */
import { afterEach, describe, expect, it } from "vitest";
import { config, grad, jit, lax, numpy as np, random, vmap, type Array as NdArray } from "../src/index.js";
import { DTypeError, ShapeError } from "../src/core/errors.js";
import { OptionError } from "../src/core/options.js";
import { gammaImplMapped, normalOne, unit } from "../src/random/samplers.js";

afterEach(() => config.update("enableX64", false));

const key = random.key(0);
const vals = (x: NdArray): number[] => Array.from(x.dataSync() as ArrayLike<number>, Number);

/** Sample mean and (unbiased) variance. */
function moments(xs: number[]): [number, number] {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return [mean, v];
}

/**
 * Checks mean and variance against the distribution's, each within 5 standard
 * errors: SE(mean) = √(σ²/n), SE(s²) ≈ √((μ4 - σ⁴)/n) with μ4 the central fourth
 * moment. With fixed keys the outcome is deterministic; 5 SE leaves the chance
 * that a correct sampler fails a check under 1e-6.
 */
function expectMoments(xs: number[], mean: number, variance: number, mu4: number): void {
  const n = xs.length;
  const [m, v] = moments(xs);
  expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(variance / n));
  expect(Math.abs(v - variance)).toBeLessThan(5 * Math.sqrt((mu4 - variance ** 2) / n));
}

describe("the draws' building blocks are the public samplers' draws, bit for bit", () => {
  it("unit is random.uniform and normalOne is random.normal (float32 and float64)", () => {
    for (const dtype of ["float32", "float64"] as const) {
      for (let i = 0; i < 5; i++) {
        const k = random.foldIn(key, i);
        expect(vals(unit(k, [], dtype))).toEqual(vals(random.uniform(k, [], dtype)));
        expect(vals(unit(k, [1], dtype))).toEqual(vals(random.uniform(k, [1], dtype)));
        expect(vals(unit(k, [3], dtype))).toEqual(vals(random.uniform(k, [3], dtype)));
        expect(vals(normalOne(k, dtype))).toEqual(vals(random.normal(k, [], dtype)));
      }
    }
  });
});

/**
 * JAX's `_gamma_one`, written again as plain eager JS over the public split,
 * normal and uniform, in float64 (enableX64): the reference for the key
 * splitting and the loop structure.
 */
function gammaOneRef(k: NdArray, alpha: number, logSpace: boolean): number {
  const boost = alpha >= 1;
  const a = boost ? alpha : alpha + 1;
  const d = a - 1 / 3;
  const c = 1 / 3 / Math.sqrt(d);
  const [k0, sub] = [random.split(k).get(0), random.split(k).get(1)];
  let kk = k0;
  let [X, V, U] = [0, 1, 2];
  while (U >= 1 - 0.0331 * X * X && Math.log(U) >= X * 0.5 + d * (1 - V + Math.log(V))) {
    const ks = random.split(kk, 3);
    kk = ks.get(0);
    let xk = ks.get(1);
    let [x, v] = [0, -1];
    while (v <= 0) {
      const s = random.split(xk);
      xk = s.get(0);
      x = random.normal(s.get(1), [], "float64").item() as number;
      v = 1 + x * c;
    }
    [X, V, U] = [x * x, v * v * v, random.uniform(ks.get(2), [], "float64").item() as number];
  }
  if (logSpace) {
    const logSample = -(random.exponential(sub, [], "float64").item() as number);
    const logBoost = boost || logSample === 0 ? 0 : logSample * (1 / alpha);
    return Math.log(d) + Math.log(V) + logBoost;
  }
  const sample = 1 - (random.uniform(sub, [], "float64").item() as number);
  return d * V * (boost ? 1 : sample ** (1 / alpha));
}

describe("JAX's algorithms, against an eager re-implementation", () => {
  it("gamma: one key split per element, then Marsaglia–Tsang per (key, alpha)", () => {
    config.update("enableX64", true);
    const alphas = [0.3, 1, 2.5, 7, 0.05];
    const keys = random.split(key, alphas.length);
    const want = alphas.map((a, i) => gammaOneRef(keys.get(i), a, false));
    // float64 throughout; log and pow kernels may differ from Math's by an ulp or so.
    const got = vals(random.gamma(key, np.array(alphas)));
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 12));
  });

  it("beta: two log-space gammas from split(key), normalised by their maximum", () => {
    config.update("enableX64", true);
    const [a, b] = [0.5, 3];
    const ks = random.split(key);
    const la = gammaOneRef(random.split(ks.get(0), 1).get(0), a, true);
    const lb = gammaOneRef(random.split(ks.get(1), 1).get(0), b, true);
    const m = Math.max(la, lb);
    const want = Math.exp(la - m) / (Math.exp(la - m) + Math.exp(lb - m));
    expect(random.beta(key, a, b).item()).toBeCloseTo(want, 12);
  });

  it("dirichlet: log-space gammas of shape + [n] from the key itself, then a softmax", () => {
    config.update("enableX64", true);
    const alpha = [0.2, 1, 4];
    const keys = random.split(key, 3);
    const logs = alpha.map((a, i) => gammaOneRef(keys.get(i), a, true));
    const m = Math.max(...logs);
    const e = logs.map((l) => Math.exp(l - m));
    const s = e.reduce((x, y) => x + y, 0);
    const got = vals(random.dirichlet(key, np.array(alpha)));
    got.forEach((g, i) => expect(g).toBeCloseTo(e[i] / s, 12));
  });

  it("poisson with λ < 10: Knuth's loop, one split per step, float32 uniforms", () => {
    for (const lam of [0.7, 3, 9.5]) {
      for (let j = 0; j < 3; j++) {
        const k0 = random.foldIn(key, j);
        let [k, rng, logProd] = [0, k0, 0];
        const negLam = Math.fround(-lam);
        while (logProd > negLam) {
          const s = random.split(rng);
          rng = s.get(0);
          k += 1;
          const u = random.uniform(s.get(1), [], "float32").item() as number;
          logProd = Math.fround(logProd + Math.fround(Math.log(u)));
        }
        expect(random.poisson(k0, lam).item()).toBe(k - 1);
      }
    }
  });

  it("the lax.map form of JAX's _gamma_impl gives the vmap form's draws", () => {
    const a = np.array([0.3, 1, 4, 0.01, 12]);
    expect(vals(gammaImplMapped(key, a, false))).toEqual(vals(random.gamma(key, a)));
  });
});

describe("determinism, shapes, dtypes", () => {
  it("the same key gives the same values; different keys differ", () => {
    const k2 = random.split(key).get(1);
    const draws: ((k: NdArray) => NdArray)[] = [
      (k) => random.gamma(k, 2, [20]),
      (k) => random.beta(k, 2, 3, [20]),
      (k) => random.dirichlet(k, np.array([1, 2, 3]), [7]),
      (k) => random.poisson(k, np.array([2, 40]), [10, 2]),
    ];
    for (const f of draws) {
      expect(vals(f(key))).toEqual(vals(f(random.key(0))));
      expect(vals(f(key))).not.toEqual(vals(f(k2)));
    }
  });

  it("shapes: default from the parameters, or given and broadcast", () => {
    expect(random.gamma(key, 2).shape).toEqual([]);
    expect(random.gamma(key, np.array([1, 2, 3])).shape).toEqual([3]);
    expect(random.gamma(key, np.array([1, 2, 3]), [2, 3]).shape).toEqual([2, 3]);
    expect(random.beta(key, np.array([1, 2, 3]), np.array([[1], [2]])).shape).toEqual([2, 3]);
    expect(random.beta(key, 2, 3, [4, 1]).shape).toEqual([4, 1]);
    expect(random.dirichlet(key, np.ones([2, 3])).shape).toEqual([2, 3]);
    expect(random.dirichlet(key, np.ones([3]), [4, 2]).shape).toEqual([4, 2, 3]);
    expect(random.dirichlet(key, np.ones([2, 3]), [5, 2]).shape).toEqual([5, 2, 3]);
    expect(random.poisson(key, np.array([[1], [20]]), [2, 3]).shape).toEqual([2, 3]);
    expect(random.gamma(key, 2, [0]).shape).toEqual([0]);
    expect(random.poisson(key, 2, [0, 3]).shape).toEqual([0, 3]);
  });

  it("dtypes: the default float (float64 under enableX64), int32 counts", () => {
    expect(random.gamma(key, 2).dtype).toBe("float32");
    expect(random.beta(key, 2, 2, [2], "float64").dtype).toBe("float64");
    expect(random.poisson(key, 3).dtype).toBe("int32");
    expect(random.poisson(key, 3, null, "uint32").dtype).toBe("uint32");
    config.update("enableX64", true);
    expect(random.gamma(key, 2).dtype).toBe("float64");
    expect(random.dirichlet(key, np.array([1, 2])).dtype).toBe("float64");
    expect(random.poisson(key, 3).dtype).toBe("int32"); // no int64 here
  });

  it("a broadcast parameter gives the same draws as the parameter already broadcast", () => {
    const a = np.array([0.5, 2, 9]);
    expect(vals(random.gamma(key, a, [2, 3]))).toEqual(vals(random.gamma(key, np.broadcastTo(a, [2, 3]))));
    const lam = np.array([1, 30]);
    expect(vals(random.poisson(key, lam, [3, 2]))).toEqual(vals(random.poisson(key, np.broadcastTo(lam, [3, 2]))));
  });
});

describe("jit and vmap agree with eager", () => {
  const fns: [string, (k: NdArray, p: NdArray) => NdArray][] = [
    ["gamma", (k, p) => random.gamma(k, p)],
    ["beta", (k, p) => random.beta(k, p, np.flip(p))],
    ["dirichlet", (k, p) => random.dirichlet(k, p)],
    ["poisson", (k, p) => random.poisson(k, np.multiply(p, 4))],
  ];
  const p = np.array([0.2, 1, 3.5, 8]);
  for (const [name, f] of fns) {
    it(name, () => {
      const eager = vals(f(key, p));
      expect(vals(jit(f)(key, p) as NdArray)).toEqual(eager);
      const keys = random.split(key, 3);
      const batched = vmap(f, { inAxes: [0, null] })(keys, p) as NdArray;
      const looped = [0, 1, 2].flatMap((i) => vals(f(keys.get(i), p)));
      expect(vals(batched)).toEqual(looped);
      const params = np.stack([p, np.multiply(p, 2)]);
      const overParams = vmap(f, { inAxes: [null, 0] })(key, params) as NdArray;
      expect(vals(overParams)).toEqual([0, 1].flatMap((i) => vals(f(key, params.get(i)))));
    });
  }

  it("inside a loop body, under jit", () => {
    const body = (i: NdArray, acc: NdArray): NdArray =>
      np.add(acc, np.sum(random.gamma(random.foldIn(key, 0), np.add(i.astype("float32"), 1), [2])));
    const run = (): NdArray => lax.foriLoop(0, 3, body, np.array(0)) as NdArray;
    expect((jit(run)() as NdArray).item()).toBeCloseTo(run().item() as number, 5);
  });
});

describe("statistics (5 standard errors on 10^4 draws)", () => {
  const N = 10_000;

  it("gamma: mean a, variance a, μ4 = 3a(a + 2)", () => {
    for (const [i, a] of [0.5, 1, 3, 10].entries()) {
      const xs = vals(random.gamma(random.foldIn(key, i), a, [N]));
      expect(xs.every((x) => x >= 0 && Number.isFinite(x))).toBe(true);
      expectMoments(xs, a, a, 3 * a * (a + 2));
    }
  });

  it("beta: in [0, 1], mean a/(a + b), variance ab/((a + b)²(a + b + 1))", () => {
    for (const [i, [a, b]] of [
      [2, 5],
      [0.5, 0.5],
      [10, 3],
    ].entries()) {
      const xs = vals(random.beta(random.foldIn(key, i), a, b, [N]));
      expect(xs.every((x) => x >= 0 && x <= 1)).toBe(true);
      const s = a + b;
      const [mean, variance] = [a / s, (a * b) / (s * s * (s + 1))];
      // Central fourth moment of Beta(a, b), from its excess kurtosis.
      const kurt = (6 * ((a - b) ** 2 * (s + 1) - a * b * (s + 2))) / (a * b * (s + 2) * (s + 3));
      expectMoments(xs, mean, variance, (kurt + 3) * variance ** 2);
    }
  });

  it("beta and dirichlet with tiny parameters: no NaN (log space keeps them finite)", () => {
    const xs = vals(random.beta(key, 0.01, 0.01, [1000]));
    expect(xs.every((x) => x >= 0 && x <= 1)).toBe(true);
    const ds = random.dirichlet(key, np.array([0.01, 0.01, 0.01]), [1000]);
    expect(vals(ds).every((x) => x >= 0 && x <= 1)).toBe(true);
  });

  it("dirichlet: rows sum to 1, marginal means αᵢ/α₀ and variances", () => {
    const alpha = [1, 2, 3];
    const a0 = 6;
    const xs = random.dirichlet(key, np.array(alpha), [N]);
    // Three float32 terms each within an ulp of their exact share: sums within 4e-7 of 1.
    for (const s of vals(np.sum(xs, { axis: 1 }))) expect(Math.abs(s - 1)).toBeLessThan(4e-7);
    alpha.forEach((a, j) => {
      const col = vals(xs.get(np.slice(null, null), j));
      const [m, v] = moments(col);
      const variance = (a * (a0 - a)) / (a0 * a0 * (a0 + 1));
      expect(Math.abs(m - a / a0)).toBeLessThan(5 * Math.sqrt(variance / N));
      // s² has a relative standard error √((excess kurtosis + 2)/n), at most 1.8% for these Beta marginals: 10% is > 5 SE.
      expect(v).toBeGreaterThan(0.9 * variance);
      expect(v).toBeLessThan(1.1 * variance);
    });
  });

  it("poisson: non-negative integers, mean λ, variance λ, μ4 = λ + 3λ², small and large λ", () => {
    for (const [i, lam] of [0.5, 4, 9.9, 10, 30, 500].entries()) {
      const xs = vals(random.poisson(random.foldIn(key, i), lam, [N]));
      expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
      expectMoments(xs, lam, lam, lam + 3 * lam * lam);
    }
  });

  it("poisson: λ = 0 gives 0, mixed rates per column", () => {
    expect(vals(random.poisson(key, 0, [100])).every((x) => x === 0)).toBe(true);
    const xs = random.poisson(key, np.array([0, 2, 50]), [N, 3]);
    expect(vals(xs.get(np.slice(null, null), 0)).every((x) => x === 0)).toBe(true);
    for (const [j, lam] of [
      [1, 2],
      [2, 50],
    ]) {
      const [m] = moments(vals(xs.get(np.slice(null, null), j)));
      expect(Math.abs(m - lam)).toBeLessThan(5 * Math.sqrt(lam / N));
    }
  });
});

describe("edge cases as JAX", () => {
  it("gamma: a = 0 gives 0, a < 0 and NaN give NaN, +inf gives +inf, without hanging", () => {
    expect(vals(random.gamma(key, 0, [5]))).toEqual([0, 0, 0, 0, 0]);
    expect(vals(random.gamma(key, np.array([-1, NaN]))).every(Number.isNaN)).toBe(true);
    expect(random.gamma(key, Infinity).item()).toBe(Infinity);
  });

  it("poisson: NaN or negative λ gives -1 (Knuth's loop stops at once), as JAX", () => {
    expect(vals(random.poisson(key, np.array([NaN, -3])))).toEqual([-1, -1]);
  });
});

describe("gradients", () => {
  it("through a draw with a constant parameter: the draw is a constant", () => {
    const g = random.gamma(key, 2, [3]);
    const d = grad((x: NdArray) => np.sum(np.multiply(random.gamma(key, 2, [3]), x)))(np.array(1));
    expect(d.item()).toBeCloseTo(
      vals(g).reduce((a, b) => a + b, 0),
      5,
    );
  });

  it("with respect to a shape parameter: finite, through the implicit gradient (tests/gamma-grad.test.ts)", () => {
    const a = np.array([1, 2]);
    for (const f of [
      (x: NdArray) => np.sum(random.gamma(key, x)),
      (x: NdArray) => np.sum(random.beta(key, x, 2)),
      (x: NdArray) => np.sum(np.multiply(random.dirichlet(key, x), np.array([1, 0]))),
    ])
      for (const v of vals(grad(f)(a))) expect(Number.isFinite(v)).toBe(true);
  });
});

describe("bad input", () => {
  it("keys, dtypes, shapes, options", () => {
    expect(() => random.gamma(np.array([1, 2]), 2)).toThrow(DTypeError);
    expect(() => random.gamma(key, 2, [3], "int32")).toThrow(/must be a float dtype/);
    expect(() => random.poisson(key, 2, [3], "float32")).toThrow(DTypeError);
    expect(() => random.gamma(key, np.array([1, 2, 3]), [2])).toThrow(ShapeError);
    expect(() => random.beta(key, np.array([1, 2]), np.array([1, 2, 3]))).toThrow(ShapeError);
    expect(() => random.dirichlet(key, 2)).toThrow(/alpha.ndim >= 1/);
    expect(() => random.dirichlet(key, np.ones([2, 3]), [3])).toThrow(ShapeError);
    expect(() => random.poisson(key, 2, 3 as unknown as number[])).toThrow(/Write the shape as a list/);
    expect(() => random.gamma(key, 2, { method: "fast" } as never)).toThrow(OptionError);
    expect(() => random.gamma(key, 2, { bogus: 1 } as never)).toThrow(OptionError);
    expect(() => random.gamma(key, "a" as never)).toThrow(/\[random\.gamma\] a must be an array/);
  });
});
