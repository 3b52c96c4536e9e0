/**
 * Scalar float64 special functions: erf, erfc, erfInv, lgamma, digamma, polygamma.
 *
 * Pure functions of plain numbers; the CPU kernels map them elementwise. Conventions follow JAX:
 * lgamma is +∞ at the poles, digamma and polygamma are NaN at the non-positive integers.
 */

const SQRT_PI = 1.772453850905516; // √π
const HALF_LOG_2PI = 0.9189385332046728; // ½·log(2π)

/** Bernoulli numbers B₂, B₄, …, B₂₀ (index k holds B₂₍ₖ₊₁₎). */
// prettier-ignore
const BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330];

/** e^(-x²) for x ≥ 0 without the rounding error of x·x: x = h + l with h on a 2⁻¹⁶ grid, so h² is exact. */
function expMinusSquare(x: number): number {
  const h = Math.floor(x * 65536) / 65536;
  const l = x - h;
  return Math.exp(-h * h) * Math.exp(-l * (2 * h + l)); // x² = h² + l(2h + l)
}

/**
 * erf(x) for |x| < ¾ by the series erf(x) = 2/√π · e^(-x²) · Σₙ 2ⁿ x²ⁿ⁺¹ / (1·3·…·(2n+1)).
 * All terms share the sign of x, so there is no cancellation. (Using the same rounded x² in the
 * exponential and the series lets their rounding errors cancel.)
 */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
  }
  return (2 / SQRT_PI) * Math.exp(-x2) * sum;
}

/**
 * erfc(x) for x ≥ ¾ by the continued fraction (even part of Laplace's fraction)
 *   erfc(x) = 2x e^(-x²)/√π / (2x²+1 − 1·2/(2x²+5 − 3·4/(2x²+9 − …))).
 * Evaluated backward from a fixed depth (6 + 120/x² terms reach full precision for x ≥ ½), which is
 * more accurate than forward Lentz. There is no 1 − erf cancellation, so erfc stays relatively accurate in the tail.
 */
function erfcFraction(x: number): number {
  const s = 2 * x * x;
  const depth = Math.ceil(6 + 120 / (x * x));
  let t = s + 4 * depth + 1;
  for (let n = depth; n >= 1; n--) t = s + 4 * n - 3 - ((2 * n - 1) * (2 * n)) / t;
  return ((2 * x) / (SQRT_PI * t)) * expMinusSquare(x);
}

/** Error function erf(x) = 2/√π ∫₀ˣ e^(-t²) dt; odd, erf(±∞) = ±1, erf(-0) = -0. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) < 0.75) return x === 0 ? x : erfSeries(x);
  const tail = Math.abs(x) > 28 ? 0 : erfcFraction(Math.abs(x)); // erfc underflows past 27.3
  return x > 0 ? 1 - tail : tail - 1;
}

/** Complementary error function erfc(x) = 1 − erf(x), relatively accurate far into the right tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) < 0.75) return 1 - erfSeries(x); // erfc > 0.28 here, so at most ~2 bits are lost
  const tail = Math.abs(x) > 28 ? 0 : erfcFraction(Math.abs(x));
  return x > 0 ? tail : 2 - tail; // erfc(-x) = 2 − erfc(x)
}

/**
 * Inverse error function: erf(erfInv(y)) = y for y ∈ [-1, 1], ±∞ at ±1, NaN outside.
 * Winitzki's closed form (relative error < 2·10⁻³) refined by three Halley steps on f(x) = erf(x) − y
 * (cubic convergence; in the far tail relative errors go 2·10⁻³ → 2·10⁻⁶ → 2·10⁻¹⁵ → full precision).
 * For |y| > ½ the residual is formed as (1 − y) − erfc(x), which keeps its digits as y → 1.
 */
export function erfInv(y: number): number {
  const a = Math.abs(y);
  if (!(a <= 1)) return NaN;
  if (a === 1) return y * Infinity;
  if (a === 0) return y;
  const l = Math.log((1 - a) * (1 + a)); // log(1 − y²), without cancellation
  const b = 2 / (Math.PI * 0.147) + l / 2;
  let x = Math.sqrt(Math.sqrt(b * b - l / 0.147) - b);
  for (let i = 0; i < 3; i++) {
    const r = a <= 0.5 ? erf(x) - a : 1 - a - erfc(x); // f(x); 1 − a is exact for a ≥ ½
    const u = r / ((2 / SQRT_PI) * Math.exp(-x * x)); // Newton step f/f'
    x -= u / (1 + x * u); // Halley: f''/f' = −2x
  }
  return y < 0 ? -x : x;
}

/** sin(πx), reducing x modulo 2 exactly first, so it stays relatively accurate near the integers. */
function sinPi(x: number): number {
  let r = x % 2; // exact, r ∈ (-2, 2)
  if (r > 1) r -= 2;
  else if (r < -1) r += 2; // exact (Sterbenz), r ∈ [-1, 1]
  if (r > 0.5) r = 1 - r;
  else if (r < -0.5) r = -1 - r; // sin(πr) = sin(π(±1 − r)), exact, r ∈ [-½, ½]
  return Math.sin(Math.PI * r);
}

/** cot(πx) with exact reduction modulo 1; near ±½ it uses cot(πr) = tan(π(½ − r)) for relative accuracy. */
function cotPi(x: number): number {
  let r = x % 1;
  if (r > 0.5) r -= 1;
  else if (r < -0.5) r += 1; // exact, r ∈ [-½, ½]
  if (Math.abs(r) <= 0.25) return 1 / Math.tan(Math.PI * r);
  return r > 0 ? Math.tan(Math.PI * (0.5 - r)) : -Math.tan(Math.PI * (0.5 + r)); // ½ ∓ r is exact
}

/**
 * log|Γ(x)|. For x > 0: the recurrence Γ(x) = Γ(x+m)/(x(x+1)…(x+m−1)) up to x+m ≥ 7, then Stirling's series
 *   log Γ(x) = (x−½)log x − x + ½log 2π + Σₖ B₂ₖ / (2k(2k−1) x²ᵏ⁻¹)   (first omitted term < 3·10⁻¹⁷ at x ≥ 7).
 * For x < 0 the reflection formula Γ(x)Γ(1−x) = π/sin(πx). +∞ at 0, the negative integers and ±∞.
 * The error is ~5·10⁻¹⁵ relative, but absolute (~4·10⁻¹⁵) near the zeros at 1 and 2, where the recurrence's
 * log-product cancels Stirling's sum; positive integers up to 23 are exact via log((x−1)!).
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x) || (x <= 0 && Number.isInteger(x))) return Infinity;
  // log|Γ(x)| = −log|x| − γx + O(x²), and γx is below rounding here
  if (Math.abs(x) < 1e-17) return -Math.log(Math.abs(x));
  if (x < 0) return Math.log(Math.PI / Math.abs(sinPi(x))) - lgamma(1 - x);
  if (Number.isInteger(x) && x <= 23) return Math.log(factorial(x - 1)); // exact (x−1)!, so lgamma(1) = lgamma(2) = 0
  let prod = 1;
  for (; x < 7; x++) prod *= x;
  const r = 1 / (x * x);
  let series = 0;
  for (let k = BERNOULLI.length; k >= 1; k--) series = series * r + BERNOULLI[k - 1] / (2 * k * (2 * k - 1));
  // (x−½)log x − x regrouped as (x−½)(log x − 1) − ½ to keep the intermediates small
  return (x - 0.5) * (Math.log(x) - 1) + (HALF_LOG_2PI - 0.5) + series / x - Math.log(prod);
}

/**
 * Digamma ψ(x) = Γ'(x)/Γ(x). For x > 0: ψ(x) = ψ(x+1) − 1/x up to x ≥ 10, then the asymptotic series
 *   ψ(x) = log x − 1/(2x) − Σₖ B₂ₖ / (2k x²ᵏ)   (first omitted term < 10⁻²⁰ at x ≥ 10).
 * For x < 0 the reflection ψ(x) = ψ(1−x) − π cot(πx). NaN at the non-positive integers (as JAX).
 */
export function digamma(x: number): number {
  if (Number.isNaN(x) || x === -Infinity || (x <= 0 && Number.isInteger(x))) return NaN;
  if (x === Infinity) return Infinity;
  if (x < 0) return digamma(1 - x) - Math.PI * cotPi(x);
  let shift = 0;
  for (; x < 10; x++) shift -= 1 / x;
  const r = 1 / (x * x);
  let series = 0;
  for (let k = BERNOULLI.length; k >= 1; k--) series = series * r + BERNOULLI[k - 1] / (2 * k);
  return shift + Math.log(x) - 0.5 / x - series * r;
}

/**
 * Polygamma ψ⁽ⁿ⁾(x) = dⁿψ/dxⁿ = (−1)ⁿ⁺¹ n! ζ(n+1, x) for integer n ≥ 0, where ζ(s, x) = Σₖ (x+k)⁻ˢ.
 * For x > 0: the first terms of ζ are summed directly until x+m ≥ 10+n, then the Euler–Maclaurin tail
 *   ζ(s, x) ≈ x¹⁻ˢ/(s−1) + x⁻ˢ/2 + Σⱼ B₂ⱼ/(2j)! · s(s+1)…(s+2j−2) · x⁻ˢ⁻²ʲ⁺¹.
 * For x < 0 the n-th derivative of the reflection formula, ψ⁽ⁿ⁾(x) = (−1)ⁿ ψ⁽ⁿ⁾(1−x) − πⁿ⁺¹ Pₙ(cot πx),
 * with P₀(c) = c and Pₖ₊₁(c) = −(1+c²) Pₖ'(c) (since d/dx cot πx = −π(1+cot² πx)).
 * NaN for non-integer or negative n and at the non-positive integers x (as JAX).
 */
export function polygamma(n: number, x: number): number {
  if (!Number.isInteger(n) || n < 0) return NaN;
  if (n === 0) return digamma(x);
  if (Number.isNaN(x) || x === -Infinity || (x <= 0 && Number.isInteger(x))) return NaN;
  if (x === Infinity) return 0;
  if (x < 0) return (n % 2 ? -1 : 1) * polygamma(n, 1 - x) - Math.PI ** (n + 1) * cotDerivativePoly(n, cotPi(x));
  const s = n + 1;
  let zeta = 0;
  for (; x < 10 + n; x++) zeta += x ** -s;
  const xs = x ** -s;
  zeta += (x * xs) / n + xs / 2;
  let g = (s * xs) / (2 * x); // B₂ⱼ's coefficient s(s+1)…(s+2j−2) x⁻ˢ⁻²ʲ⁺¹ / (2j)! for j = 1
  for (let j = 1; j <= BERNOULLI.length; j++) {
    zeta += BERNOULLI[j - 1] * g;
    g *= ((s + 2 * j - 1) * (s + 2 * j)) / ((2 * j + 1) * (2 * j + 2) * x * x);
  }
  return (n % 2 ? 1 : -1) * factorial(n) * zeta;
}

/** n! by direct product (exact up to 22!). */
function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** Pₙ(c) with dⁿ/dxⁿ cot(πx) = πⁿ Pₙ(cot πx). All coefficients share a sign, so evaluation does not cancel. */
function cotDerivativePoly(n: number, c: number): number {
  let p = [0, 1]; // coefficients of P₀(c) = c, lowest degree first
  for (let k = 0; k < n; k++) {
    const dp = p.slice(1).map((a, j) => (j + 1) * a); // Pₖ'
    p = [...dp, 0, 0].map((_, j) => -((dp[j] ?? 0) + (dp[j - 2] ?? 0))); // −(1 + c²)·Pₖ'
  }
  return p.reduceRight((acc, a) => acc * c + a, 0);
}
