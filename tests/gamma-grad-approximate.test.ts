/**
 * JAX's loop-free samplers (method "approximate") for random.gamma, beta and poisson: step for
 * step against an independent float64 re-implementation from the public split, normal and
 * exponential draws; moments against the distributions'; dtypes, jit, vmap, the gradient of the
 * approximate gamma in a, and bad options.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config, jacfwd, jit, numpy as np, random, scipy, vmap, type Array as NdArray } from "../src/index.js";
import { OptionError } from "../src/core/options.js";

const vals = (x: NdArray): number[] => Array.from(x.dataSync() as ArrayLike<number>, Number);

/** Mean and variance within 5 standard errors of the distribution's (fixed keys; p < 1e-6 for a correct sampler). */
function expectMoments(xs: number[], mean: number, variance: number, mu4: number): void {
  const n = xs.length;
  const m = xs.reduce((a, b) => a + b, 0) / n;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
  expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(variance / n));
  expect(Math.abs(v - variance)).toBeLessThan(5 * Math.sqrt((mu4 - variance ** 2) / n));
}

const COEF = [
  [1.0, -0.2237368, -0.01513904],
  [0.4713941, 0.02607083, -0.008986007],
  [0.0001348028, 0.01128186, 0.02277679],
  [-0.008553069, -0.01153761, -0.01323293],
  [0.00312558, 0.005169654, -0.006950356],
  [-0.0008426812, 0.00253001, 0.001060438],
  [0.00009780499, -0.001450117, 0.001565326],
];

/** `_gamma_approx` in plain float64 from the sampler's own normal and exponential draws. */
function gammaApproxRef(key: NdArray, as: number[]): number[] {
  const keys = random.split(key);
  const z = vals(random.normal(keys.get(0), [as.length], "float64"));
  const e = vals(random.exponential(keys.get(1), [4, as.length], "float64"));
  return as.map((a, i) => {
    const b = a + 4;
    const nu = 2 * b;
    const u = 1 / nu;
    const t = z[i] / Math.sqrt(nu);
    let poly = 0;
    for (let k = 6; k >= 0; k--) poly = poly * t + (COEF[k][0] + u * (COEF[k][1] + u * COEF[k][2]));
    let logS = Math.log(b) + 3 * Math.log(poly);
    for (let k = 0; k < 4; k++) logS += -e[k * as.length + i] / (a + k);
    return Math.exp(logS);
  });
}

/** `_poisson_approx` in plain float64 (u = Φ(z) from scipy.special.ndtr of the same draws). */
function poissonApproxRef(key: NdArray, lams: number[]): number[] {
  const zA = random.normal(key, [lams.length], "float64");
  const z = vals(zA);
  const u = vals(scipy.special.ndtr(zA));
  const T = (y: number): number => {
    const d = y - 1;
    if (Math.abs(d) < 0.25) {
      let s = 0;
      for (let k = 9; k >= 1; k--) s = d * ((2 * (-1) ** k) / ((k + 1) * (k + 2)) + s);
      return s;
    }
    return (1 - y * y + 2 * y * Math.log(y)) / (d * d);
  };
  const zOf = (x: number, lam: number): number =>
    (x - lam + 2 / 3 + 0.02 / (x + 1)) * Math.sqrt((1 + T((x + 0.5) / lam)) / lam);
  return lams.map((lam, i) => {
    if (lam < 7) {
      let pmf = Math.exp(-lam);
      let cdf = pmf;
      let count = cdf < u[i] ? 1 : 0;
      for (let k = 1; k < 19; k++) {
        pmf *= lam / k;
        cdf += pmf;
        count += cdf < u[i] ? 1 : 0;
      }
      return count;
    }
    const s = Math.sqrt(lam);
    const zi = z[i];
    const c = Math.ceil(lam + s * zi - 2 / 3 + (zi * zi) / 6 + (zi * (1 - zi * zi)) / (72 * s) + 0.6);
    const ge = (v: number): number => ((v < 0 ? -Infinity : zOf(Math.max(v, 0), lam)) >= zi ? 1 : 0);
    return Math.max(c + 1 - ge(c) - ge(c - 1), 0);
  });
}

describe("method: approximate (float64)", () => {
  beforeAll(() => config.update("enableX64", true));
  afterAll(() => config.update("enableX64", false));

  it("gamma follows JAX's _gamma_approx step for step", () => {
    const as = [0.05, 0.3, 1, 2.5, 10, 200];
    const key = random.key(11);
    const got = vals(random.gamma(key, np.array(as), { method: "approximate" }));
    // Same draws, same formula: rounding only (rsqrt vs 1/√, summation order), 1e-12 relative.
    gammaApproxRef(key, as).forEach((w, i) => expect(Math.abs(got[i] - w)).toBeLessThan(1e-12 * w));
  });

  it("poisson follows JAX's _poisson_approx step for step (both branches)", () => {
    const lams = [0, 0.5, 3, 6.99, 7, 12, 150, 1e5, 3.2e7];
    for (const seed of [0, 1, 2]) {
      const key = random.key(seed);
      const got = random.poisson(key, np.array(lams), { method: "approximate" });
      expect(got.dtype).toBe("int32");
      expect(vals(got)).toEqual(poissonApproxRef(key, lams));
    }
  });

  it("moments: gamma, beta and poisson", () => {
    for (const a of [0.2, 1, 5, 50]) {
      const xs = vals(random.gamma(random.key(3), a, [4000], { method: "approximate" }));
      // Gamma(a): mean a, variance a, fourth central moment 3a² + 6a.
      expectMoments(xs, a, a, 3 * a * a + 6 * a);
    }
    for (const lam of [0.5, 3, 6.9, 7.1, 20, 1000]) {
      const xs = vals(random.poisson(random.key(4), lam, [4000], { method: "approximate" }));
      // Poisson(λ): mean λ, variance λ, fourth central moment λ + 3λ².
      expectMoments(xs, lam, lam, lam + 3 * lam * lam);
    }
    const [a, b] = [2, 3];
    const xs = vals(random.beta(random.key(5), a, b, [4000], { method: "approximate" }));
    const mean = a / (a + b);
    const variance = (a * b) / ((a + b) ** 2 * (a + b + 1));
    // Beta(2, 3)'s fourth central moment: 3ab(ab(s−6) + 2s²)/(s⁴(s+1)(s+2)(s+3)), s = a + b.
    const s = a + b;
    const mu4 = (3 * a * b * (a * b * (s - 6) + 2 * s * s)) / (s ** 4 * (s + 1) * (s + 2) * (s + 3));
    expectMoments(xs, mean, variance, mu4);
  });

  it("the approximate gamma is differentiable in a: E[dx/da] ≈ 1", () => {
    const per = vals(
      jacfwd((al: NdArray) => random.gamma(random.key(8), al, [2000], { method: "approximate" }))(
        np.array(2.5),
      ) as NdArray,
    );
    const n = per.length;
    const m = per.reduce((p, q) => p + q, 0) / n;
    const v = per.reduce((p, q) => p + (q - m) ** 2, 0) / (n - 1);
    expect(Math.abs(m - 1)).toBeLessThan(5 * Math.sqrt(v / n));
  });

  it("jit against eager, vmap over keys against a loop", () => {
    const key = random.key(2);
    const f = (k: NdArray) => random.gamma(k, np.array([0.5, 4]), { method: "approximate" });
    expect(vals(jit(f)(key))).toEqual(vals(f(key)));
    const keys = random.split(key, 3);
    const batched = vmap(f)(keys);
    for (let i = 0; i < 3; i++) expect(vals(batched.get(i))).toEqual(vals(f(keys.get(i))));
    const p = (k: NdArray) => random.poisson(k, np.array([2, 40]), [3, 2], { method: "approximate", dtype: "uint32" });
    expect(p(key).dtype).toBe("uint32");
    expect(vals(jit(p)(key))).toEqual(vals(p(key)));
  });
});

describe("method: approximate (float32) and bad options", () => {
  it("keeps the dtype and computes poisson in float32", () => {
    const g = random.gamma(random.key(0), 3, [5], { method: "approximate" });
    expect(g.dtype).toBe("float32");
    expect(vals(g).every((v) => v > 0)).toBe(true);
    expect(random.beta(random.key(0), 1, 2, { shape: [4], method: "approximate" }).dtype).toBe("float32");
    const p = random.poisson(random.key(0), np.array([1, 100]), { method: "approximate" });
    expect(p.dtype).toBe("int32");
    expect(() => random.gamma(random.key(0), 3, { method: "fast" } as never)).toThrow(OptionError);
    expect(() => random.poisson(random.key(0), 3, { method: "Approximate" } as never)).toThrow(OptionError);
  });
});
