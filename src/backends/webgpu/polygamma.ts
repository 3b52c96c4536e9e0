/**
 * polygamma(n, x) on the GPU in float32, elementwise: the series and recurrences
 * of kernel/special.ts (the cpu's), with n baked into the shader (one pipeline
 * per order, as n is a static parameter):
 *
 * - x > 0: ψ⁽ⁿ⁾(x) = (−1)ⁿ⁺¹ n! ζ(n+1, x), the first terms of the Hurwitz ζ summed
 *   directly until x+m ≥ 10+n, then its Euler–Maclaurin tail with the Bernoulli
 *   numbers; n = 0 is digamma (recurrence to x ≥ 10, then its asymptotic series);
 * - x < 0: the reflection ψ⁽ⁿ⁾(x) = (−1)ⁿ ψ⁽ⁿ⁾(1−x) − πⁿ⁺¹ Pₙ(cot πx), with the
 *   coefficients of Pₙ computed here in float64 and rounded once;
 * - NaN at the non-positive integers, at −∞ and for NaN; 0 at +∞ (∞ for digamma).
 *
 * cot(πx) reduces x exactly modulo 1 and evaluates sin(πr), cos(πr) for |r| ≤ ¼
 * by their Taylor series (truncation below 2·10⁻⁹ there), since WGSL's own sin and
 * cos promise only an absolute error of 2⁻¹¹. Powers (x+k)⁻ˢ are products of 1/(x+k),
 * not pow() (whose exp2/log2 error grows with the exponent).
 */
import type { ShapedArray } from "../../core/aval.js";
import type { RoutineOf } from "../../kernel/routines.js";
import { allocGpu, type WebGpuBuffer } from "./buffer.js";
import { dispatch, spread, uniformDecl } from "./device.js";
import { FLOAT_PRELUDE } from "./wgsl-math.js";

const WG = 256;
const BERNOULLI = [
  1 / 6,
  -1 / 30,
  1 / 42,
  -1 / 30,
  5 / 66,
  -691 / 2730,
  7 / 6,
  -3617 / 510,
  43867 / 798,
  -174611 / 330,
];

/** A float64 value as a WGSL f32 expression (±∞ through f_inf(), as constants may not be infinite). */
function lit(v: number): string {
  const f = Math.fround(v);
  if (Number.isNaN(f)) return "f_nan()";
  if (!Number.isFinite(f)) return f > 0 ? "f_inf()" : "(-f_inf())";
  const s = f.toPrecision(9);
  return s.includes(".") || s.includes("e") ? `f32(${s})` : `f32(${s}.0)`;
}

/** Coefficients (lowest degree first) of Pₙ: P₀(c) = c, Pₖ₊₁(c) = −(1 + c²) Pₖ'(c) (as kernel/special.ts). */
function cotDerivativeCoefficients(n: number): number[] {
  let p = [0, 1];
  for (let k = 0; k < n; k++) {
    const dp = p.slice(1).map((a, j) => (j + 1) * a);
    p = [...dp, 0, 0].map((_, j) => -((dp[j] ?? 0) + (dp[j - 2] ?? 0)));
  }
  return p;
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

const COT_PI = `
// sin(πr), cos(πr) for |r| ≤ 1/4: Taylor to r⁹ and r¹⁰ (next terms below 2e-9 there).
fn sinpi_q(r: f32) -> f32 {
  let z = r * r;
  return r * (3.14159265 + z * (-5.16771278 + z * (2.55016404 + z * (-0.599264529 + z * 0.0821458866))));
}
fn cospi_q(r: f32) -> f32 {
  let z = r * r;
  return 1.0 + z * (-4.93480220 + z * (4.05871213 + z * (-1.33526277 + z * (0.235330630 + z * -0.0258068914))));
}
// cot(πx) with r = x mod 1 in [-1/2, 1/2] (exact); near ±1/2 it is tan(π(1/2 ∓ r)), 1/2 ∓ r exact.
fn cot_pi(x: f32) -> f32 {
  var r = x - trunc(x);
  if (r > 0.5) { r = r - 1.0; } else if (r < -0.5) { r = r + 1.0; }
  if (abs(r) <= 0.25) { return cospi_q(r) / sinpi_q(r); }
  if (r > 0.0) { let u = 0.5 - r; return sinpi_q(u) / cospi_q(u); }
  let u = 0.5 + r;
  return -sinpi_q(u) / cospi_q(u);
}`;

/** ψ(x) for x > 0: ψ(x) = ψ(x+1) − 1/x up to x ≥ 10, then log x − 1/(2x) − Σₖ B₂ₖ/(2k x²ᵏ). */
function digammaPositive(): string {
  const terms = BERNOULLI.map((b, k) => lit(b / (2 * (k + 1))));
  let series = terms[terms.length - 1];
  for (let k = terms.length - 2; k >= 0; k--) series = `(${terms[k]} + r * ${series})`;
  return `
fn pg_pos(x0: f32) -> f32 {
  var x = x0; var shift = 0.0;
  for (var i = 0; i < 10 && x < 10.0; i++) { shift = shift - 1.0 / x; x = x + 1.0; }
  let r = 1.0 / (x * x);
  return shift + log(x) - 0.5 / x - ${series} * r;
}`;
}

/** ψ⁽ⁿ⁾(x) for x > 0, n ≥ 1: (−1)ⁿ⁺¹ n! ζ(n+1, x) by direct terms, then Euler–Maclaurin (kernel/special.ts). */
function polygammaPositive(n: number): string {
  const s = n + 1;
  const bern = BERNOULLI.map(lit).join(", ");
  return `
// (1/y)ˢ as a product: s roundings of a number ≤ 1 in magnitude.
fn inv_pow(y: f32) -> f32 { let r = 1.0 / y; var p = r; for (var k = 1; k < ${s}; k++) { p = p * r; } return p; }
fn pg_pos(x0: f32) -> f32 {
  var x = x0; var zeta = 0.0;
  for (var i = 0; i < ${10 + n} && x < ${lit(10 + n)}; i++) { zeta = zeta + inv_pow(x); x = x + 1.0; }
  let r = 1.0 / x;
  var xn = r; for (var k = 1; k < ${n}; k++) { xn = xn * r; } // x⁻ⁿ
  let xs = xn * r;
  zeta = zeta + xn / ${lit(n)} + xs / 2.0;
  var bern = array<f32, ${BERNOULLI.length}>(${bern});
  var g = ${lit(s)} * xs * r / 2.0;
  for (var j = 1; j <= ${BERNOULLI.length}; j++) {
    zeta = zeta + bern[j - 1] * g;
    let jf = f32(j);
    g = g * ((${lit(s)} + 2.0 * jf - 1.0) * (${lit(s)} + 2.0 * jf)) / ((2.0 * jf + 1.0) * (2.0 * jf + 2.0)) * r * r;
  }
  return ${lit((n % 2 ? 1 : -1) * factorial(n))} * zeta;
}`;
}

/** The shader for order n (NaN everywhere for orders that are not non-negative integers). */
export function polygammaShader(n: number): string {
  const valid = Number.isInteger(n) && n >= 0;
  const coeffs = valid ? cotDerivativeCoefficients(n) : [0];
  let poly = lit(coeffs[coeffs.length - 1]);
  for (let k = coeffs.length - 2; k >= 0; k--) poly = `(${lit(coeffs[k])} + c * ${poly})`;
  const body = !valid
    ? "return f_nan();"
    : `if (f_isnan(x) || (x <= 0.0 && x == floor(x))) { return f_nan(); }
  if (x == f_inf()) { return ${n === 0 ? "f_inf()" : "0.0"}; }
  if (x > 0.0) { return pg_pos(x); }
  let c = cot_pi(x);
  return ${n % 2 ? "-" : ""}pg_pos(1.0 - x) - ${lit(Math.PI ** (n + 1))} * ${poly};`;
  return `${uniformDecl(1)}${FLOAT_PRELUDE}${COT_PI}
${valid ? (n === 0 ? digammaPositive() : polygammaPositive(n)) : ""}
fn polygamma(x: f32) -> f32 {
  ${body}
}
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = (wid.x + wid.y * nwg.x) * ${WG}u + lid.x;
  if (i >= uget(0u)) { return; }
  out[i] = polygamma(xs[i]);
}
`;
}

/** polygamma on a float32 GPU operand (null for other dtypes: the cpu promotes to float first). */
export function polygamma(
  { n }: RoutineOf<"polygamma">,
  [x]: WebGpuBuffer[],
  [xAval]: ShapedArray[],
): WebGpuBuffer[] | null {
  if (xAval.dtype !== "float32") return null;
  const size = xAval.size;
  const out = allocGpu("float32", size, "polygamma");
  dispatch(polygammaShader(n), [size], [x.gpu], [out.gpu], spread(Math.ceil(size / WG)));
  return [out];
}
