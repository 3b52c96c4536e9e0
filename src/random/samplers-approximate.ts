/**
 * The loop-free samplers behind JAX's `method="approximate"` for gamma, beta and poisson
 * (jax/_src/random: `_gamma_approx`, `_poisson_approx`), step for step. Composites of normal
 * and exponential draws, so they are differentiable as written (the gamma's gradient in `a`
 * is the derivative of this transformation, not the implicit one of the exact sampler).
 */
import type { NdArray } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import * as np from "../numpy/index.js";
import { erfc, rsqrt } from "../primitives/unary.js";
import { exponential, normal } from "./continuous.js";
import { split } from "./keys.js";

type FloatDType = "float32" | "float64";
const TINY = { float32: 2 ** -126, float64: 2 ** -1022 };

/**
 * Coefficients of the chi-square quantile series (Goldstein's Algorithm 451; Johnson, Kotz and
 * Balakrishnan eq. 18.37): row k multiplies t^k, t = z/√ν, as a quadratic in 1/ν. The leading
 * constant is exactly 1 (published: 1.0000886), as in JAX.
 */
const CHI2_QUANTILE_COEF: readonly (readonly [number, number, number])[] = [
  [1.0, -0.2237368, -0.01513904],
  [0.4713941, 0.02607083, -0.008986007],
  [0.0001348028, 0.01128186, 0.02277679],
  [-0.008553069, -0.01153761, -0.01323293],
  [0.00312558, 0.005169654, -0.006950356],
  [-0.0008426812, 0.00253001, 0.001060438],
  [0.00009780499, -0.001450117, 0.001565326],
];
/** Stuart boosting steps: the series is evaluated at a + 4 ≥ 4, where it is accurate. */
const NUM_BOOSTS = 4;

const keyAt = (keys: NdArray, i: number): NdArray => np.reshape(keys.get(i), [2]);

/** JAX's `_loggamma_chisquare`: log Gamma(a) = log a + 3·log(poly(z)), with Gamma(a) = χ²(2a)/2. */
function loggammaChisquare(key: NdArray, a: NdArray): NdArray {
  const dtype = a.dtype as FloatDType;
  const nu = np.multiply(2, a);
  const z = normal(key, [...a.aval.shape], dtype);
  const u = np.divide(1, nu);
  const t = np.multiply(z, rsqrt(nu));
  const row = ([c0, c1, c2]: readonly [number, number, number]): NdArray =>
    np.add(c0, np.multiply(u, np.add(c1, np.multiply(u, c2))));
  let poly = row(CHI2_QUANTILE_COEF[CHI2_QUANTILE_COEF.length - 1]);
  for (let k = CHI2_QUANTILE_COEF.length - 2; k >= 0; k--)
    poly = np.add(np.multiply(poly, t), row(CHI2_QUANTILE_COEF[k]));
  poly = np.maximum(poly, TINY[dtype]);
  return np.add(np.log(a), np.multiply(3, np.log(poly)));
}

/**
 * JAX's `_gamma_approx`, for `a` already broadcast to the result shape: a base draw at a + 4 by
 * the chi-square series, then Stuart's identity log G_a = log G_{a+4} + Σₖ log Uₖ/(a + k), with
 * log Uₖ = −Exponential(1). Computed in at least float32; log space returns log Gamma(a).
 */
export function gammaApprox(key: NdArray, a: NdArray, dtype: DType, logSpace: boolean): NdArray {
  const compute: FloatDType = dtype === "float64" ? "float64" : "float32";
  const al = a.dtype === compute ? a : a.astype(compute);
  const shape = [...al.aval.shape];
  const keys = split(key);
  const logBase = loggammaChisquare(keyAt(keys, 0), np.add(al, NUM_BOOSTS));
  const k = np.reshape(np.arange(NUM_BOOSTS, { dtype: compute }), [NUM_BOOSTS, ...shape.map(() => 1)]);
  const logU = np.negative(exponential(keyAt(keys, 1), [NUM_BOOSTS, ...shape], compute));
  const logSample = np.add(logBase, np.sum(np.divide(logU, np.add(np.expandDims(al, 0), k)), { axis: 0 }));
  const out = logSpace ? logSample : np.exp(logSample);
  return out.dtype === dtype ? out : out.astype(dtype);
}

/** Below this mean the truncated cdf is inverted; above, the Peizer–Pratt approximation. */
const POISSON_SPLIT = 7;
/** pmf terms of the truncated cdf (tail mass at λ = 7 ≈ 4e-5). */
const POISSON_NUM_TERMS = 20;
/** Peizer–Pratt continuity correction. */
const PEIZER_PRATT_EPS = 0.02;

/** JAX's `_poisson_cdf_inversion`: the count of truncated-cdf values below u. */
function poissonCdfInversion(u: NdArray, lam: NdArray): NdArray {
  let pmf = np.exp(np.negative(lam));
  let cdf = pmf;
  let count = np.less(cdf, u).astype(u.dtype);
  for (let k = 1; k < POISSON_NUM_TERMS - 1; k++) {
    pmf = np.multiply(pmf, np.divide(lam, k));
    cdf = np.add(cdf, pmf);
    count = np.add(count, np.less(cdf, u).astype(u.dtype));
  }
  return count;
}

/** T(y) = (1 − y² + 2y·log y)/(1 − y)², by its series Σ 2(−1)ᵏdᵏ/((k+1)(k+2)) for |y − 1| < 1/4. */
function peizerPrattT(y: NdArray): NdArray {
  const d = np.subtract(y, 1);
  const small = np.less(np.abs(d), 0.25);
  let series = np.zerosLike(d);
  for (let k = 9; k >= 1; k--) series = np.multiply(d, np.add((2 * (-1) ** k) / ((k + 1) * (k + 2)), series));
  const ySafe = np.where(small, 2, y);
  const dSafe = np.where(small, 1, d);
  const num = np.add(np.subtract(1, np.square(ySafe)), np.multiply(np.multiply(2, ySafe), np.log(ySafe)));
  return np.where(small, series, np.divide(num, np.square(dSafe)));
}

/** Peizer–Pratt z(x) with Pr[X ≤ x] ≈ Φ(z(x)), for x > −1/2. */
function peizerPrattZ(x: NdArray, lam: NdArray): NdArray {
  const t = peizerPrattT(np.divide(np.add(x, 0.5), lam));
  const lead = np.add(np.add(np.subtract(x, lam), 2 / 3), np.divide(PEIZER_PRATT_EPS, np.add(x, 1)));
  return np.multiply(lead, np.sqrt(np.divide(np.add(1, t), lam)));
}

/** JAX's `_poisson_peizer_pratt`: the smallest integer c with z(c) ≥ z, from a Cornish–Fisher guess. */
function poissonPeizerPratt(z: NdArray, lam: NdArray): NdArray {
  const s = np.sqrt(lam);
  const z2 = np.square(z);
  const root = np.add(
    np.add(np.subtract(np.add(lam, np.multiply(s, z)), 2 / 3), np.divide(z2, 6)),
    np.divide(np.multiply(z, np.subtract(1, z2)), np.multiply(72, s)),
  );
  const c = np.ceil(np.add(root, 0.6));
  const zint = (v: NdArray): NdArray => np.where(np.less(v, 0), -Infinity, peizerPrattZ(np.maximum(v, 0), lam));
  const rootGe = (v: NdArray): NdArray => np.greaterEqual(zint(v), z).astype(c.dtype);
  const out = np.subtract(np.subtract(np.add(c, 1), rootGe(c)), rootGe(np.subtract(c, 1)));
  return np.maximum(out, 0);
}

/**
 * JAX's `_poisson_approx`: one standard normal per draw mapped to a count by inverting an
 * approximate cdf (truncated pmf below λ = 7, Peizer–Pratt above); computed in float64 when
 * λ is float64, else float32. `lam` broadcasts to `shape`.
 */
export function poissonApprox(key: NdArray, lam: NdArray, shape: number[], dtype: "int32" | "uint32"): NdArray {
  const compute: FloatDType = lam.dtype === "float64" ? "float64" : "float32";
  const l = lam.dtype === compute ? lam : lam.astype(compute);
  const z = normal(key, shape, compute);
  const u = np.multiply(0.5, erfc(np.multiply(z, -Math.SQRT1_2)));
  const counts = np.where(np.less(l, POISSON_SPLIT), poissonCdfInversion(u, l), poissonPeizerPratt(z, l));
  return counts.astype(dtype);
}
