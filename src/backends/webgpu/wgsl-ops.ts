/**
 * Elementwise operations as WGSL expressions, shared by the fused kernels and
 * the elementwise routines. WGSL's builtins leave some edge cases to the
 * implementation; the helpers below pin down the ones the op table defines
 * (ops.ts): log1p/expm1 near 0, tanh for large |x|, pow of negative bases,
 * NaN-propagating max/min.
 *
 * Accuracy: WGSL only asks exp for 3 + 2|x| ulp, log for 2⁻²¹ absolute near 1
 * and sin/cos for 2⁻¹¹ absolute on [-π, π], and real GPUs use that latitude
 * (hardware approximations). So exp, log, sin and cos are computed here with
 * arithmetic only (Cody–Waite range reduction and Cephes' float32 minimax
 * polynomials, within 2 ulp), as is everything built on them; the other
 * functions (wgsl-math.ts's table below) follow Cephes' float32 library.
 */

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

const FLOAT_UNARY: Record<string, (a: string) => string> = {
  neg: (a) => `(-${a})`,
  abs: (a) => `abs(${a})`,
  sqrt: (a) => `sqrt(${a})`,
  rsqrt: (a) => `inverseSqrt(${a})`,
  exp: (a) => `f_exp(${a})`,
  exp2: (a) => `f_exp2(${a})`,
  log: (a) => `f_log(${a})`,
  log1p: (a) => `f_log1p(${a})`,
  expm1: (a) => `f_expm1(${a})`,
  sin: (a) => `f_sin(${a})`,
  cos: (a) => `f_cos(${a})`,
  tan: (a) => `(f_sin(${a}) / f_cos(${a}))`,
  tanh: (a) => `f_tanh(${a})`,
  logistic: (a) => `f_logistic(${a})`,
  floor: (a) => `floor(${a})`,
  ceil: (a) => `ceil(${a})`,
  trunc: (a) => `trunc(${a})`,
  sign: (a) => `f_sign(${a})`,
  erf: (a) => `f_erf(${a})`,
  erfc: (a) => `f_erfc(${a})`,
  asin: (a) => `f_asin(${a})`,
  acos: (a) => `f_acos(${a})`,
  atan: (a) => `f_atan(${a})`,
  sinh: (a) => `f_sinh(${a})`,
  cosh: (a) => `f_cosh(${a})`,
  asinh: (a) => `f_asinh(${a})`,
  acosh: (a) => `f_acosh(${a})`,
  atanh: (a) => `f_atanh(${a})`,
  cbrt: (a) => `f_cbrt(${a})`,
  round: (a) => `f_round(${a})`,
  // WGSL's round() rounds half to even.
  round_even: (a) => `round(${a})`,
  lgamma: (a) => `f_lgamma(${a})`,
  digamma: (a) => `f_digamma(${a})`,
  erf_inv: (a) => `f_erfinv(${a})`,
  is_finite: (a) => `(!f_isnan(${a}) && abs(${a}) != f_inf())`,
};

const INT_UNARY: Record<string, (a: string) => string> = {
  neg: (a) => `(-${a})`,
  abs: (a) => `abs(${a})`,
  sign: (a) => `sign(${a})`,
  not: (a) => `(~${a})`,
};

const FLOAT_BINARY: Record<string, (a: string, b: string) => string> = {
  add: (a, b) => `(${a} + ${b})`,
  sub: (a, b) => `(${a} - ${b})`,
  mul: (a, b) => `(${a} * ${b})`,
  div: (a, b) => `(${a} / ${b})`,
  max: (a, b) => `f_max(${a}, ${b})`,
  min: (a, b) => `f_min(${a}, ${b})`,
  pow: (a, b) => `f_pow(${a}, ${b})`,
  atan2: (a, b) => `f_atan2(${a}, ${b})`,
  rem: (a, b) => `f_rem(${a}, ${b})`,
};

const INT_BINARY: Record<string, (a: string, b: string) => string> = {
  add: (a, b) => `(${a} + ${b})`,
  sub: (a, b) => `(${a} - ${b})`,
  mul: (a, b) => `(${a} * ${b})`,
  max: (a, b) => `max(${a}, ${b})`,
  min: (a, b) => `min(${a}, ${b})`,
  // Integer division truncates; by zero it gives 0, as the op table (WGSL would give the dividend).
  div: (a, b) => `select(${a} / ${b}, ${a} - ${a}, ${b} == ${b} - ${b})`,
  rem: (a, b) => `select(${a} % ${b}, ${a} - ${a}, ${b} == ${b} - ${b})`,
  and: (a, b) => `(${a} & ${b})`,
  or: (a, b) => `(${a} | ${b})`,
  xor: (a, b) => `(${a} ^ ${b})`,
  pow: (a, b) => `i_pow(${a}, ${b})`,
};

const BOOL_BINARY: Record<string, (a: string, b: string) => string> = {
  and: (a, b) => `(${a} && ${b})`,
  or: (a, b) => `(${a} || ${b})`,
  xor: (a, b) => `(${a} != ${b})`,
  max: (a, b) => `(${a} || ${b})`,
  min: (a, b) => `(${a} && ${b})`,
};

const COMPARE: Record<string, string> = { lt: "<", le: "<=", gt: ">", ge: ">=", eq: "==", ne: "!=" };

/**
 * The float functions that shaders include only when they call them (by name), each with the ones it calls.
 * Constants and algorithms are Cephes' float32 library (sinhf, asinf, atanf, lgamf, psif...) unless stated.
 */
const MATH: { name: string; needs: string[]; code: string }[] = [
  // Integer x^y by repeated squaring, wrapping as int32 products do; negative exponents give 0 but for bases ±1.
  {
    name: "i_pow",
    needs: [],
    code: `fn i_pow(x: i32, y: i32) -> i32 {
  if (y < 0) { if (x == 1 || x == -1) { return select(x, 1, (y & 1) == 0); } return 0; }
  var r = 1i;
  var b = x;
  for (var e = u32(y); e > 0u; e = e >> 1u) { if ((e & 1u) == 1u) { r = r * b; } b = b * b; }
  return r;
}`,
  },
  {
    name: "u_pow",
    needs: [],
    code: `fn u_pow(x: u32, y: u32) -> u32 {
  var r = 1u;
  var b = x;
  for (var e = y; e > 0u; e = e >> 1u) { if ((e & 1u) == 1u) { r = r * b; } b = b * b; }
  return r;
}`,
  },
  // WGSL's sign(NaN) is left to the implementation: NaN stays NaN, as in the op table.
  { name: "f_sign", needs: [], code: "fn f_sign(x: f32) -> f32 { if (f_isnan(x)) { return x; } return sign(x); }" },
  {
    name: "f_erfc",
    needs: [],
    code: `fn f_erfc(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.5) { return 1.0 - f_erf(x); }
  let y = f_erfc_tail(a);
  return select(y, 2.0 - y, x < 0.0);
}`,
  },
  {
    // sinh from expm1 below 1 (no cancellation), e^x/2 as (e^(x/2))²/2 above 9 (no overflow before sinh does).
    name: "f_sinh",
    needs: [],
    code: `fn f_sinh(x: f32) -> f32 {
  let a = abs(x);
  var r: f32;
  if (a < 1.0) { let u = f_expm1(a); r = 0.5 * (u + u / (u + 1.0)); }
  else if (a < 9.0) { let e = f_exp(a); r = 0.5 * (e - 1.0 / e); }
  else { let e = f_exp(0.5 * a); r = (0.5 * e) * e; }
  return select(r, -r, x < 0.0);
}`,
  },
  {
    name: "f_cosh",
    needs: [],
    code: `fn f_cosh(x: f32) -> f32 {
  let a = abs(x);
  if (a < 9.0) { let e = f_exp(a); return 0.5 * (e + 1.0 / e); }
  let e = f_exp(0.5 * a);
  return (0.5 * e) * e;
}`,
  },
  {
    // asinh a = log1p(a + a²/(1 + √(1 + a²))) (no cancellation near 0); log(2a) far out, where a² would overflow.
    name: "f_asinh",
    needs: [],
    code: `fn f_asinh(x: f32) -> f32 {
  let a = abs(x);
  var r: f32;
  if (a > 4096.0) { r = f_log(a) + 0.6931471806; } else { r = f_log1p(a + a * a / (1.0 + sqrt(1.0 + a * a))); }
  return select(r, -r, x < 0.0);
}`,
  },
  {
    // acosh x = log1p(t + √(2t + t²)), t = x − 1 (exact near 1).
    name: "f_acosh",
    needs: [],
    code: `fn f_acosh(x: f32) -> f32 {
  if (x < 1.0) { return f_nan(); }
  if (x > 4096.0) { return f_log(x) + 0.6931471806; }
  let t = x - 1.0;
  return f_log1p(t + sqrt(2.0 * t + t * t));
}`,
  },
  {
    // atanh a = ½·log1p(2a/(1 − a)).
    name: "f_atanh",
    needs: [],
    code: `fn f_atanh(x: f32) -> f32 {
  let a = abs(x);
  if (a == 1.0) { return x * f_inf(); }
  let r = 0.5 * f_log1p(2.0 * a / (1.0 - a));
  return select(r, -r, x < 0.0);
}`,
  },
  {
    // atan: reduced to |t| ≤ tan(π/8) by atan a = π/2 − atan(1/a) and π/4 + atan((a − 1)/(a + 1)).
    name: "f_atan",
    needs: [],
    code: `fn f_atan(x: f32) -> f32 {
  var a = abs(x);
  var y = 0.0;
  if (a > 2.414213562) { y = 1.5707963268; a = -1.0 / a; }
  else if (a > 0.4142135624) { y = 0.7853981634; a = (a - 1.0) / (a + 1.0); }
  let z = a * a;
  y = y + (((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z - 3.33329491539e-1) * z * a + a;
  return select(y, -y, x < 0.0);
}`,
  },
  {
    // asin: a polynomial on [0, ½]; above, asin a = π/2 − 2·asin(√((1 − a)/2)).
    name: "f_asin",
    needs: [],
    code: `fn f_asin(x: f32) -> f32 {
  let a = abs(x);
  if (a > 1.0) { return f_nan(); }
  let big = a > 0.5;
  var z = a * a;
  var t = a;
  if (big) { z = 0.5 * (1.0 - a); t = sqrt(z); }
  var r = ((((4.2163199048e-2 * z + 2.4181311049e-2) * z + 4.5470025998e-2) * z + 7.4953002686e-2) * z +
    1.6666752422e-1) * z * t + t;
  if (big) { r = 1.5707963268 - (r + r); }
  return select(r, -r, x < 0.0);
}`,
  },
  {
    name: "f_acos",
    needs: ["f_asin"],
    code: `fn f_acos(x: f32) -> f32 {
  if (abs(x) > 1.0) { return f_nan(); }
  if (x < -0.5) { return 3.1415926536 - 2.0 * f_asin(sqrt(0.5 * (1.0 + x))); }
  if (x > 0.5) { return 2.0 * f_asin(sqrt(0.5 * (1.0 - x))); }
  return 1.5707963268 - f_asin(x);
}`,
  },
  {
    // atan2 from atan(min/max) ∈ [0, π/4] and the octant; signed zeros and infinities as C's atan2.
    name: "f_atan2",
    needs: ["f_atan"],
    code: `fn f_atan2(y: f32, x: f32) -> f32 {
  if (f_isnan(x) || f_isnan(y)) { return f_nan(); }
  let ax = abs(x);
  let ay = abs(y);
  var t: f32;
  if (ax == ay) { t = select(1.0, 0.0, ax == 0.0); } else { t = min(ax, ay) / max(ax, ay); }
  var r = f_atan(t);
  if (ay > ax) { r = 1.5707963268 - r; }
  if ((bitcast<u32>(x) >> 31u) == 1u) { r = 3.1415926536 - r; }
  return select(r, -r, (bitcast<u32>(y) >> 31u) == 1u);
}`,
  },
  {
    // cbrt: exp2(log2(a)/3), then a Newton step y += (a/y² − y)/3, which leaves it within an ulp or so.
    name: "f_cbrt",
    needs: [],
    code: `fn f_cbrt(x: f32) -> f32 {
  let a = abs(x);
  if (a == 0.0 || a == f_inf() || f_isnan(x)) { return x; }
  var y = exp2(log2(a) / 3.0);
  y = y + (a / (y * y) - y) / 3.0;
  return select(y, -y, x < 0.0);
}`,
  },
  {
    // Half away from zero; x − trunc(x) is exact (floor(|x| + ½) would round 0.49999997 up).
    name: "f_round",
    needs: [],
    code: `fn f_round(x: f32) -> f32 {
  let t = trunc(x);
  if (abs(x - t) >= 0.5) { return t + sign(x); }
  return t;
}`,
  },
  {
    // fmod (the dividend's sign): |x| − q·|y| with one rounding (fma), exact while the quotient fits in 24 bits.
    name: "f_rem",
    needs: [],
    code: `fn f_rem(x: f32, y: f32) -> f32 {
  if (f_isnan(x) || f_isnan(y) || y == 0.0 || abs(x) == f_inf()) { return f_nan(); }
  let ax = abs(x);
  let ay = abs(y);
  if (ay == f_inf() || ax < ay) { return x; }
  var r = fma(-trunc(ax / ay), ay, ax);
  if (r < 0.0) { r = r + ay; }
  if (r >= ay) { r = r - ay; }
  return select(r, -r, x < 0.0);
}`,
  },
  {
    // log Γ(x), x > 0: Stirling's series from 6.5; below, the recurrence to [1.5, 2.5] and a polynomial in x − 2,
    // or one in x − 1 on [0.75, 1.25] (relative accuracy near the zeros at 1 and 2).
    name: "f_lgamma_pos",
    needs: [],
    code: `fn f_lgamma_pos(x0: f32) -> f32 {
  var x = x0;
  if (x == f_inf()) { return x; }
  if (x >= 6.5) {
    var q = 0.9189385332 - x + (x - 0.5) * f_log(x);
    if (x <= 1.0e4) {
      let z = 1.0 / x;
      let p = z * z;
      q += ((6.789774945028216e-4 * p - 2.769887652139868e-3) * p + 8.333316229807355e-2) * z;
    }
    return q;
  }
  if (x >= 0.75 && x < 1.25) {
    x = x - 1.0;
    return x * (((((((1.369488127325832e-1 * x - 1.590086327657347e-1) * x + 1.692415923504637e-1) * x -
      2.067882815621965e-1) * x + 2.705806208275915e-1) * x - 4.006931650563372e-1) * x + 8.224670749082976e-1) * x -
      5.772156501719101e-1);
  }
  var z = 1.0;
  var up = false;
  if (x >= 1.5) {
    var tx = x;
    var nx = 0.0;
    loop { if (tx <= 2.5) { break; } nx -= 1.0; tx = x + nx; z *= tx; }
    x = x + nx - 2.0;
  } else if (x >= 1.25) {
    z = x;
    x = x - 1.0;
    up = true;
  } else {
    var tx = x;
    var nx = 0.0;
    loop { if (tx >= 1.5) { break; } if (tx == 0.0) { return f_inf(); } z *= tx; nx += 1.0; tx = x + nx; }
    x = x + nx - 2.0;
    up = true;
  }
  let p = x * (((((((6.055172732649237e-4 * x - 1.311620815545743e-3) * x + 2.863437556468661e-3) * x -
    7.366775108654962e-3) * x + 2.058355474821512e-2) * x - 6.735323259371034e-2) * x + 3.224669577325661e-1) * x +
    4.227843421859038e-1);
  let lz = f_log(abs(z));
  return select(p + lz, p - lz, up);
}`,
  },
  {
    // Negative x by the reflection Γ(x)Γ(1 − x) = π/sin(πx), with sin(π·frac) of an exactly reduced argument.
    name: "f_lgamma",
    needs: ["f_lgamma_pos"],
    code: `fn f_lgamma(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  if (x > 0.0) { return f_lgamma_pos(x); }
  let q = -x;
  let p = floor(q);
  if (p == q) { return f_inf(); }
  var z = q - p;
  if (z > 0.5) { z = (p + 1.0) - q; }
  return -f_log(0.3183098862 * q * f_sin(3.1415926536 * z)) - f_lgamma_pos(q);
}`,
  },
  {
    // ψ(x): the recurrence ψ(x) = ψ(x + 1) − 1/x up to 10, then log x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ);
    // x ≤ 0 by the reflection ψ(1 − x) − ψ(x) = π cot(πx). NaN at the poles, as JAX.
    name: "f_digamma",
    needs: [],
    code: `fn f_digamma(x0: f32) -> f32 {
  var x = x0;
  if (f_isnan(x) || x == -f_inf()) { return f_nan(); }
  if (x == f_inf()) { return x; }
  let neg = x <= 0.0;
  var refl = 0.0;
  if (neg) {
    let p = floor(x);
    if (p == x) { return f_nan(); }
    var nz = x - p;
    if (nz != 0.5) {
      if (nz > 0.5) { nz = x - (p + 1.0); }
      refl = 3.1415926536 * f_cos(3.1415926536 * nz) / f_sin(3.1415926536 * nz);
    }
    x = 1.0 - x;
  }
  // ψ(x) = ψ(x + 1) − 1/x below 0.86 (−1/x dominates), ψ(x − 1) + 1/(x − 1) down to [0.86, 2.06) below 7 (x − 1
  // exact, terms of one sign), and the asymptotic series log x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) from 7 (to x⁻⁸: < 1e-10).
  var pre = 0.0;
  if (x < 0.86) { pre = -1.0 / x; x = x + 1.0; }
  if (x >= 7.0) {
    let z = 1.0 / (x * x);
    let t = z * (((-4.1666666667e-3 * z + 3.9682539683e-3) * z - 8.3333333333e-3) * z + 8.3333333333e-2);
    return select(f_log(x) - 0.5 / x - t, f_log(x) - 0.5 / x - t - refl, neg);
  }
  loop { if (x < 2.06) { break; } x = x - 1.0; pre += 1.0 / x; }
  // On [0.86, 2.06), around the zero x₀ = 1.46163214497: ψ's Taylor series about h = f32(x₀), Σₖ ψ⁽ᵏ⁾(h)/k!·dᵏ
  // (d = x − h exact, k ≤ 18, ψ(h) = −1.2e-8 the first term): relative accuracy where the asymptotic series would
  // cancel (log x against Σ 1/(x + k)). Not (x − h) − lo: compilers may refold that into x − (h + lo) = x − h.
  let d = x - 1.4616321325302124;
  var p = -0.0007380710583290195;
  p = p * d + 0.001078825367160576; p = p * d - 0.0015769369995462382; p = p * d + 0.0023051266405617666;
  p = p * d - 0.0033698020855119607; p = p * d + 0.004926781982527267; p = p * d - 0.00720453518299751;
  p = p * d + 0.010538792691945182; p = p * d - 0.015424767346862807; p = p * d + 0.022597650150773706;
  p = p * d - 0.0331611290045039; p = p * d + 0.04880429146384774; p = p * d - 0.07219956550570023;
  p = p * d + 0.10782405607943633; p = p * d - 0.16394271214806524; p = p * d + 0.258499769112227;
  p = p * d - 0.4427631786293686; p = p * d + 0.9676722564619307;
  let y = p * d - 1.2036052549106669e-8 + pre;
  return select(y, y - refl, neg);
}`,
  },
];

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

/** Value types inside shaders: the storage types, and bool. */
export type ValueType = "f32" | "i32" | "u32" | "bool";

/** A unary op on a value of `type` as WGSL, or null where it is not supported. */
export function unaryExpr(op: string, a: string, type: ValueType): string | null {
  if (type === "bool") return op === "not" ? `(!${a})` : null;
  const f = (type === "f32" ? FLOAT_UNARY : INT_UNARY)[op];
  // uint32: negation wraps (as the cpu's store into a Uint32Array), |x| = x, sign is 0 or 1.
  if (type === "u32" && (op === "neg" || op === "abs" || op === "sign"))
    return op === "abs" ? a : op === "neg" ? `(0u - ${a})` : `select(0u, 1u, ${a} > 0u)`;
  return f === undefined ? null : f(a);
}

/** A binary op on values of `type` as WGSL (comparisons give bool), or null where it is not supported. */
export function binaryExpr(op: string, a: string, b: string, type: ValueType): string | null {
  // WGSL orders no bools: false < true as 0 < 1.
  const ordered = (x: string): string => (type === "bool" && op !== "eq" && op !== "ne" ? `u32(${x})` : x);
  if (op in COMPARE) return `(${ordered(a)} ${COMPARE[op]} ${ordered(b)})`;
  if (op.startsWith("shift_") && type !== "f32" && type !== "bool") return shiftExpr(op, a, b, type);
  if (op === "pow" && type === "u32") return `u_pow(${a}, ${b})`;
  const table = type === "f32" ? FLOAT_BINARY : type === "bool" ? BOOL_BINARY : INT_BINARY;
  const f = table[op];
  return f === undefined ? null : f(a, b);
}

/**
 * Shifts by b bits as the op table: 0 (or the sign's fill, arithmetic) for b outside [0, 32);
 * a logical right shift of an i32 shifts its bits as u32.
 */
function shiftExpr(op: string, a: string, b: string, type: "i32" | "u32"): string | null {
  const n = `u32(${b})`;
  if (op === "shift_left") return `select(${a} << ${n}, ${a} - ${a}, ${n} >= 32u)`;
  if (op === "shift_right_logical")
    return `select(bitcast<${type}>(bitcast<u32>(${a}) >> min(${n}, 31u)), ${a} - ${a}, ${n} >= 32u)`;
  if (op === "shift_right_arithmetic" && type === "i32") return `(${a} >> min(${n}, 31u))`;
  return null;
}

/** The type of a binary op's result. */
export const binaryType = (op: string, type: ValueType): ValueType => (op in COMPARE ? "bool" : type);

/** A stored word (f32/i32/u32, bool as u32) read as a value of `type`. */
export const loadAs = (expr: string, type: ValueType): string => (type === "bool" ? `(${expr} != 0u)` : expr);

/** A value of `type` as the word stored for it. */
export const storeAs = (expr: string, type: ValueType): string => (type === "bool" ? `select(0u, 1u, ${expr})` : expr);
