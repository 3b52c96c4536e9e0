/**
 * The float functions of the webgpu shaders, written out in WGSL arithmetic.
 *
 * Accuracy: WGSL only asks exp for 3 + 2|x| ulp, log for 2⁻²¹ absolute near 1
 * and sin/cos for 2⁻¹¹ absolute on [-π, π], and real GPUs use that latitude
 * (hardware approximations). So exp, log, sin and cos are computed here with
 * arithmetic only (Cody–Waite range reduction and Cephes' float32 minimax
 * polynomials, within 2 ulp), as is everything built on them; the other
 * functions (wgsl-special.ts) follow Cephes' float32 library. Every shader that
 * computes float ops includes FLOAT_PRELUDE, and of the MATH table only what it
 * calls (floatPrelude).
 */
import { MATH } from "./wgsl-special.js";

/** Helper functions every shader that computes float ops includes. */
export const FLOAT_PRELUDE = `
// Through a variable: constant expressions may not be NaN or infinite.
fn f_nan() -> f32 { var b = 0x7fc00000u; return bitcast<f32>(b); }
fn f_inf() -> f32 { var b = 0x7f800000u; return bitcast<f32>(b); }
fn f_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
// e^x = 2^n·e^r, n = round(x/ln 2), r = x − n·ln 2 in two parts (exact products), |r| ≤ ½ln 2.
fn f_exp(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  if (x > 88.72284) { return f_inf(); }
  if (x < -103.97208) { return 0.0; }
  let n = floor(x * 1.442695041 + 0.5);
  let r = (x - n * 0.693359375) - n * -2.12194440e-4;
  let z = r * r;
  let p = (((((1.9875691500e-4 * r + 1.3981999507e-3) * r + 8.3334519073e-3) * r + 4.1665795894e-2) * r +
    1.6666665459e-1) * r + 5.0000001201e-1) * z + r + 1.0;
  // 2^n in two steps: ldexp's exponent must stay within ±127.
  let k = i32(n);
  return ldexp(ldexp(p, k / 2), k - k / 2);
}
// 2^x = 2^n·e^((x − n)·ln 2), n = round(x): x − n is exact, so only the last product rounds.
fn f_exp2(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  if (x >= 128.0) { return f_inf(); }
  if (x < -150.0) { return 0.0; }
  let n = round(x);
  let k = i32(n);
  return ldexp(ldexp(f_exp((x - n) * 0.6931471806), k / 2), k - k / 2);
}
// log(1 + m) = m − m²/2 + m³·P(m) for m ∈ [√½ − 1, √2 − 1] (Cephes' logf).
fn f_log_poly(m: f32) -> f32 {
  return (((((((7.0376836292e-2 * m - 1.1514610310e-1) * m + 1.1676998740e-1) * m - 1.2420140846e-1) * m +
    1.4249322787e-1) * m - 1.6668057665e-1) * m + 2.0000714765e-1) * m - 2.4999993993e-1) * m + 3.3333331174e-1;
}
// log x = e·ln 2 + log(1 + m), x = 2^e·(1 + m) with 1 + m ∈ [√½, √2).
fn f_log(x: f32) -> f32 {
  if (f_isnan(x) || x < 0.0) { return f_nan(); }
  if (x == 0.0) { return -f_inf(); }
  if (x == f_inf()) { return x; }
  let fr = frexp(x);
  var m = fr.fract;
  var e = f32(fr.exp);
  if (m < 0.70710678) { e = e - 1.0; m = m + m - 1.0; } else { m = m - 1.0; }
  let z = m * m;
  var y = f_log_poly(m) * m * z;
  y = y + -2.12194440e-4 * e;
  y = y + -0.5 * z;
  return (m + y) + 0.693359375 * e;
}
// sin and cos: x = j·π/4 + r with |r| ≤ π/4 (π/4 in three parts, exact to |x| ≈ 8192), then the octant's polynomial.
fn f_sincos(x: f32, cosine: bool) -> f32 {
  if (f_isnan(x) || abs(x) == f_inf()) { return f_nan(); }
  var s = 1.0;
  if (!cosine && x < 0.0) { s = -1.0; }
  let a = abs(x);
  var j = u32(a * 1.2732395447);
  var y = f32(j);
  if ((j & 1u) == 1u) { j += 1u; y += 1.0; }
  j = j & 7u;
  if (j > 3u) { s = -s; j -= 4u; }
  if (cosine && j > 1u) { s = -s; }
  let r = ((a - y * 0.78515625) - y * 2.4187564849853515625e-4) - y * 3.77489497744594108e-8;
  let z = r * r;
  let c = ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z + 1.0;
  let sn = ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * r + r;
  if ((j == 1u || j == 2u) != cosine) { return s * c; }
  return s * sn;
}
fn f_sin(x: f32) -> f32 { return f_sincos(x, false); }
fn f_cos(x: f32) -> f32 { return f_sincos(x, true); }
// log1p: log's polynomial on x itself where 1 + x would round away x's low bits, log(1 + x) outside.
// (Not Goldberg's log(u)·x/(u − 1): drivers may fold (1 + x) − 1 into x.)
fn f_log1p(x: f32) -> f32 {
  if (x < -0.2928932 || x > 0.4142135) { return f_log(1.0 + x); }
  let z = x * x;
  return x + (f_log_poly(x) * x * z - 0.5 * z);
}
// expm1(x) = (u - 1) * x / log(u) with u = e^x (Kahan's trick); exact near 0, -1 far below.
fn f_expm1(x: f32) -> f32 {
  let u = f_exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  if (abs(x) > 0.5) { return um1; }
  return um1 * x / f_log(u);
}
// tanh: Cephes' odd polynomial below 0.625, (1 − e)/(1 + e) with e = e^(−2|x|) ≤ 0.29 above (never overflows).
fn f_tanh(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.625) {
    let z = x * x;
    return ((((-5.70498872745e-3 * z + 2.06390887954e-2) * z - 5.37397155531e-2) * z + 1.33314422036e-1) * z -
      3.33332819422e-1) * z * x + x;
  }
  let e = f_exp(-2.0 * a);
  return sign(x) * (1.0 - e) / (1.0 + e);
}
fn f_logistic(x: f32) -> f32 { if (x >= 0.0) { return 1.0 / (1.0 + f_exp(-x)); } let e = f_exp(x); return e / (1.0 + e); }
// erfc(a) for a ≥ 0.5: Numerical Recipes' erfc (fractional error < 1.2e-7), with e^(−a²) = e^(−h²)·e^(−(a−h)(a+h))
// for h = a cut to 12 bits (h² exact): a rounded a² would cost a²·6e-8 relative.
fn f_erfc_tail(a: f32) -> f32 {
  if (a > 10.0) { return 0.0; }
  let t = 1.0 / (1.0 + 0.5 * a);
  let h = bitcast<f32>(bitcast<u32>(a) & 0xfffff000u);
  return t * f_exp(-h * h) * f_exp((h - a) * (h + a) - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
}
// erf: its Taylor series to x^11 below 0.5 (the next term is under 3e-8 there), above it 1 - erfc.
fn f_erf(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.5) {
    let z = x * x;
    return x * (1.1283791671 + z * (-0.3761263890 + z * (0.1128379167 + z * (-0.0268661706 +
      z * (0.0052239776 + z * -0.0008548327)))));
  }
  return sign(x) * (1.0 - f_erfc_tail(a));
}
// erf⁻¹ as XLA's float32 ErfInv (Giles' polynomials in w = -log1p(-x²), Horner steps as FMAs, as kernel/special-f32.ts).
fn f_erfinv(x: f32) -> f32 {
  if (abs(x) == 1.0) { return x * f_inf(); }
  var w = -f_log1p(-x * x);
  var p: f32;
  if (w < 5.0) {
    w = w - 2.5;
    p = 2.81022636e-8;
    p = fma(p, w, 3.43273939e-7); p = fma(p, w, -3.5233877e-6); p = fma(p, w, -4.39150654e-6);
    p = fma(p, w, 0.00021858087); p = fma(p, w, -0.00125372503); p = fma(p, w, -0.00417768164);
    p = fma(p, w, 0.246640727); p = fma(p, w, 1.50140941);
  } else {
    w = sqrt(w) - 3.0;
    p = -0.000200214257;
    p = fma(p, w, 0.000100950558); p = fma(p, w, 0.00134934322); p = fma(p, w, -0.00367342844);
    p = fma(p, w, 0.00573950773); p = fma(p, w, -0.0076224613); p = fma(p, w, 0.00943887047);
    p = fma(p, w, 1.00167406); p = fma(p, w, 2.83297682);
  }
  return p * x;
}
fn f_max(a: f32, b: f32) -> f32 { if (f_isnan(a) || f_isnan(b)) { return f_nan(); } return max(a, b); }
fn f_min(a: f32, b: f32) -> f32 { if (f_isnan(a) || f_isnan(b)) { return f_nan(); } return min(a, b); }
// x^y for every sign of x: negative bases need an integer exponent (odd ones keep the sign).
fn f_pow(x: f32, y: f32) -> f32 {
  if (y == 0.0 || x == 1.0) { return 1.0; }
  if (f_isnan(x) || f_isnan(y)) { return f_nan(); }
  if (x == 0.0) { if (y > 0.0) { return 0.0; } return f_inf(); }
  let r = f_exp(y * f_log(abs(x)));
  if (x > 0.0) { return r; }
  if (fract(y) != 0.0) { return f_nan(); }
  if (fract(y * 0.5) != 0.0) { return -r; }
  return r;
}
`;

/**
 * The helpers that a shader's `code` calls: FLOAT_PRELUDE (always), then
 * those of the MATH table it names, with what they call (WGSL declarations may come in any order).
 */
export function floatPrelude(code: string): string {
  const wanted = new Set<string>();
  const add = (name: string): void => {
    if (wanted.has(name)) return;
    wanted.add(name);
    MATH.find((f) => f.name === name)!.needs.forEach(add);
  };
  for (const m of MATH) if (code.includes(`${m.name}(`)) add(m.name);
  return `${FLOAT_PRELUDE}${MATH.filter((m) => wanted.has(m.name))
    .map((m) => m.code)
    .join("\n")}\n`;
}
