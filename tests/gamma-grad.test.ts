/**
 * The implicit reparameterization gradient of random.gamma (and beta, dirichlet built on it), as
 * JAX's random_gamma_grad: dx/da = -(∂P(a, x)/∂a) / (∂P(a, x)/∂x). Checked against mpmath values
 * of that formula (pasted from python3, 40 digits), against the formula evaluated in the test in
 * float64 (P by its series or continued fraction, ∂P/∂a by central differences) at the draws of a
 * fixed key, against the moments it implies (E[dx/da] = dE[x]/da), vmap against a loop, jit
 * against eager.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config, grad, jacfwd, jit, jvp, numpy as np, random, vjp, vmap, type Array as NdArray } from "../src/index.js";
import { gammaGrad } from "../src/random/samplers-gamma-grad.js";

const vals = (x: NdArray): number[] => Array.from(x.dataSync() as ArrayLike<number>, Number);
const f64 = (v: number[]): NdArray => np.array(v, { dtype: "float64" });

// mpmath (dps 40, rounded to the nearest double): -diff(gammainc(a, 0, x, regularized=True), a) / (x^(a-1)·e^(-x)/Γ(a)).
const MP: [number, number, number][] = [
  [0.3, 0.1, 0.7894044031182722], // series
  [1, 0.5, 0.806979116825318],
  [2.5, 4, 1.3396081953658443], // continued fraction (x > 1, x > a)
  [5, 3, 0.7918567348024341],
  [20, 25, 1.125050146577857],
  [0.5, 2, 2.511889376362068],
  [3, 1e-3, 0.002721992282139207],
];

/** log Γ(z), Lanczos (g = 7, 9 terms): ~1e-15 relative; z < 1 through Γ(z) = Γ(z+1)/z. */
function lgamma(z: number): number {
  if (z < 1) return lgamma(z + 1) - Math.log(z);
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const x = z - 1;
  let s = g[0];
  for (let i = 1; i < 9; i++) s += g[i] / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
}
/** P(a, x) by its series (x < a + 1), or Q = 1 - P by Lentz's continued fraction; both to ~1e-16. */
function lowerP(a: number, x: number): number {
  const front = Math.exp(-x + a * Math.log(x) - lgamma(a));
  let del = 1 / a;
  let sum = del;
  for (let ap = a + 1; Math.abs(del) > Math.abs(sum) * 1e-17; ap++) sum += del *= x / ap;
  return sum * front;
}
function upperQ(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let cc = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    cc = b + an / cc;
    if (Math.abs(cc) < tiny) cc = tiny;
    d = 1 / d;
    const del = d * cc;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - lgamma(a)) * h;
}
/** dx/da = -(∂P/∂a)/(∂P/∂x), ∂P/∂a by a central difference (h = 1e-5: error ~1e-9 relative). */
function implicit(a: number, x: number): number {
  const h = 1e-5;
  const dPda =
    x < a + 1 ? (lowerP(a + h, x) - lowerP(a - h, x)) / (2 * h) : -(upperQ(a + h, x) - upperQ(a - h, x)) / (2 * h);
  const density = Math.exp((a - 1) * Math.log(x) - x - lgamma(a));
  return -dPda / density;
}

/** Per-sample values' mean within 5 standard errors of `want` (fixed keys: deterministic; a correct sampler fails with p < 1e-6). */
function expectMean(xs: number[], want: number): void {
  const n = xs.length;
  const m = xs.reduce((p, q) => p + q, 0) / n;
  const v = xs.reduce((p, q) => p + (q - m) ** 2, 0) / (n - 1);
  expect(Math.abs(m - want)).toBeLessThan(5 * Math.sqrt(v / n));
}

describe("gamma's implicit gradient in float64", () => {
  beforeAll(() => config.update("enableX64", true));
  afterAll(() => config.update("enableX64", false));
  const key = random.key(7);

  it("random_gamma_grad matches mpmath on both branches (series and continued fraction), and in log space", () => {
    const a = f64(MP.map((r) => r[0]));
    const x = f64(MP.map((r) => r[1]));
    // Both sums stop when the derivative's next term is below ε: ~1e-14 relative in practice.
    vals(gammaGrad(x, a, false)).forEach((g, i) => expect(Math.abs(g - MP[i][2])).toBeLessThan(1e-12 * MP[i][2]));
    vals(gammaGrad(np.log(x), a, true)).forEach((g, i) =>
      expect(Math.abs(g - MP[i][2] / MP[i][1])).toBeLessThan((1e-12 * MP[i][2]) / MP[i][1]),
    );
    // JAX's edge cases: 0 at x = 0, NaN for x < 0, a ≤ 0 or NaN.
    const edge = gammaGrad(f64([0, -1, 1, 1, NaN]), f64([2, 2, 0, -1, 2]), false);
    expect(vals(edge)[0]).toBe(0);
    vals(edge)
      .slice(1)
      .forEach((g) => expect(g).toBeNaN());
  });

  it("grad of random.gamma in a equals the implicit formula at the draws of a fixed key", () => {
    const as = [0.4, 1, 1.5, 3, 9, 30];
    const a = f64(as);
    const draws = vals(random.gamma(key, a));
    const g = vals(grad((al: NdArray) => np.sum(random.gamma(key, al)))(a));
    // The reference's central difference limits agreement to ~1e-9; 1e-7 relative.
    g.forEach((gi, i) => expect(Math.abs(gi - implicit(as[i], draws[i]))).toBeLessThan(1e-7 * Math.abs(gi)));
    // Forward and reverse agree; shape and dtype follow a.
    const [, t] = jvp((al: NdArray) => random.gamma(key, al), [a], [np.onesLike(a)]);
    expect(vals(t as NdArray)).toEqual(g);
    const [, back] = vjp((al: NdArray) => random.gamma(key, al), a);
    expect(vals(back(np.onesLike(a))[0] as NdArray)).toEqual(g);
  });

  it("E[dx/da] = dE[x]/da = 1 (JAX's reparameterized gradient is unbiased)", () => {
    for (const a of [0.3, 2.5]) {
      const per = jacfwd((al: NdArray) => random.gamma(random.key(3), al, [2000]))(np.array(a, { dtype: "float64" }));
      expectMean(vals(per as NdArray), 1);
    }
  });

  it("beta and dirichlet are differentiable through their gamma draws", () => {
    // Beta(a, b): E[x] = a/(a+b), so E[∂x/∂a] = b/(a+b)², E[∂x/∂b] = -a/(a+b)².
    const [a, b] = [2, 3];
    const [ja, jb] = jacfwd((p: NdArray, q: NdArray) => random.beta(random.key(5), p, q, [2000]), {
      argnums: [0, 1],
    })(np.array(a, { dtype: "float64" }), np.array(b, { dtype: "float64" })) as NdArray[];
    expectMean(vals(ja), b / (a + b) ** 2);
    expectMean(vals(jb), -a / (a + b) ** 2);
    // Dirichlet rows sum to 1: the gradient of their sum is zero (to rounding).
    const alpha = f64([0.5, 2, 4]);
    const gs = grad((al: NdArray) => np.sum(random.dirichlet(key, al, [10])))(alpha);
    vals(gs).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-12));
    // E[x₀] = α₀/S with S = Σα, so E[∂x₀/∂α₀] = (S − α₀)/S².
    const j = jacfwd((al: NdArray) => random.dirichlet(random.key(9), al, [2000]))(alpha) as NdArray;
    const s = 6.5;
    expectMean(vals(j.get(np.slice(null), 0, 0)), (s - 0.5) / s ** 2);
  });

  it("vmap against a loop, jit against eager", () => {
    const as = [0.7, 2, 5];
    const g = (al: NdArray) => grad((x: NdArray) => random.gamma(key, x))(al);
    const batched = vals(vmap(g)(f64(as)));
    as.forEach((ai, i) => expect(batched[i]).toBeCloseTo(vals(g(np.array(ai, { dtype: "float64" })))[0], 12));
    const a = f64(as);
    const eager = vals(grad((x: NdArray) => np.sum(random.gamma(key, x)))(a));
    const jitted = vals(jit(grad((x: NdArray) => np.sum(random.gamma(key, x))))(a));
    jitted.forEach((v, i) => expect(v).toBeCloseTo(eager[i], 12));
    const jb = vals(
      jit(grad((x: NdArray) => np.sum(random.beta(key, x, 2, [3]))))(np.array(1.5, { dtype: "float64" })),
    );
    const eb = vals(grad((x: NdArray) => np.sum(random.beta(key, x, 2, [3])))(np.array(1.5, { dtype: "float64" })));
    expect(jb[0]).toBeCloseTo(eb[0], 12);
  });
});

describe("gamma's implicit gradient in float32", () => {
  it("keeps float32 and matches mpmath to float32 accuracy", () => {
    const a = np.array(MP.map((r) => r[0]));
    const x = np.array(MP.map((r) => r[1]));
    const g = gammaGrad(x, a, false);
    expect(g.dtype).toBe("float32");
    // Terms stop at ε₃₂ ≈ 1.2e-7; lgamma and log round at that scale: 2e-5 relative.
    vals(g).forEach((gi, i) => expect(Math.abs(gi - MP[i][2])).toBeLessThan(2e-5 * MP[i][2]));
    const d = grad((al: NdArray) => np.sum(random.gamma(random.key(1), al)))(np.array([0.5, 4]));
    expect(d.dtype).toBe("float32");
    vals(d).forEach((v) => expect(Number.isFinite(v) && v > 0).toBe(true));
  });
});
