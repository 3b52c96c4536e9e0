/**
 * The float functions that shaders include only when they call them: the WGSL
 * text of each, with the functions it calls (wgsl-math.ts's floatPrelude picks
 * them by name).
 */

/**
 * The float functions that shaders include only when they call them (by name), each with the ones it calls.
 * Constants and algorithms are Cephes' float32 library (sinhf, asinf, atanf, lgamf, psif...) unless stated.
 */
export const MATH: { name: string; needs: string[]; code: string }[] = [
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
