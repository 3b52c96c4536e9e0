/**
 * Elementwise operations as WGSL expressions, shared by the fused kernels and
 * the elementwise routines. WGSL's builtins leave some edge cases to the
 * implementation; the helpers below pin down the ones the op table defines
 * (ops.ts): log1p/expm1 near 0, tanh for large |x|, pow of negative bases,
 * NaN-propagating max/min.
 */

/** Helper functions every shader that computes float ops includes. */
export const FLOAT_PRELUDE = `
// Through a variable: constant expressions may not be NaN or infinite.
fn f_nan() -> f32 { var b = 0x7fc00000u; return bitcast<f32>(b); }
fn f_inf() -> f32 { var b = 0x7f800000u; return bitcast<f32>(b); }
fn f_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
// log1p(x) = log(u) * x / (u - 1) with u = 1 + x: the rounding of u cancels (Goldberg).
fn f_log1p(x: f32) -> f32 { let u = 1.0 + x; if (u == 1.0) { return x; } return log(u) * x / (u - 1.0); }
// expm1(x) = (u - 1) * x / log(u) with u = e^x (Kahan's trick); exact near 0, -1 far below.
fn f_expm1(x: f32) -> f32 {
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  if (abs(x) > 0.5) { return um1; }
  return um1 * x / log(u);
}
// tanh from e^(-2|x|), which never overflows.
fn f_tanh(x: f32) -> f32 { let e = exp(-2.0 * abs(x)); return sign(x) * (1.0 - e) / (1.0 + e); }
fn f_logistic(x: f32) -> f32 { if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); } let e = exp(x); return e / (1.0 + e); }
// erf: its Taylor series to x^11 below 0.5 (the next term is under 3e-8 there), above it
// 1 - erfc with Numerical Recipes' erfc (fractional error < 1.2e-7).
fn f_erf(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.5) {
    let z = x * x;
    return x * (1.1283791671 + z * (-0.3761263890 + z * (0.1128379167 + z * (-0.0268661706 +
      z * (0.0052239776 + z * -0.0008548327)))));
  }
  let t = 1.0 / (1.0 + 0.5 * a);
  let y = t * exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return sign(x) * (1.0 - y);
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
  let r = exp2(y * log2(abs(x)));
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
  exp: (a) => `exp(${a})`,
  exp2: (a) => `exp2(${a})`,
  log: (a) => `log(${a})`,
  log1p: (a) => `f_log1p(${a})`,
  expm1: (a) => `f_expm1(${a})`,
  sin: (a) => `sin(${a})`,
  cos: (a) => `cos(${a})`,
  tan: (a) => `tan(${a})`,
  tanh: (a) => `f_tanh(${a})`,
  logistic: (a) => `f_logistic(${a})`,
  floor: (a) => `floor(${a})`,
  ceil: (a) => `ceil(${a})`,
  trunc: (a) => `trunc(${a})`,
  sign: (a) => `sign(${a})`,
  erf: (a) => `f_erf(${a})`,
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
};

const BOOL_BINARY: Record<string, (a: string, b: string) => string> = {
  and: (a, b) => `(${a} && ${b})`,
  or: (a, b) => `(${a} || ${b})`,
  xor: (a, b) => `(${a} != ${b})`,
};

const COMPARE: Record<string, string> = { lt: "<", le: "<=", gt: ">", ge: ">=", eq: "==", ne: "!=" };

/** Value types inside shaders: the storage types, and bool. */
export type ValueType = "f32" | "i32" | "u32" | "bool";

/** A unary op on a value of `type` as WGSL, or null where it is not supported. */
export function unaryExpr(op: string, a: string, type: ValueType): string | null {
  if (type === "bool") return op === "not" ? `(!${a})` : null;
  const f = (type === "f32" ? FLOAT_UNARY : INT_UNARY)[op];
  if (type === "u32" && (op === "neg" || op === "abs" || op === "sign")) return op === "abs" ? a : null;
  return f === undefined ? null : f(a);
}

/** A binary op on values of `type` as WGSL (comparisons give bool), or null where it is not supported. */
export function binaryExpr(op: string, a: string, b: string, type: ValueType): string | null {
  if (op in COMPARE) return `(${a} ${COMPARE[op]} ${b})`;
  if (op.startsWith("shift_") && type !== "f32" && type !== "bool") return shiftExpr(op, a, b, type);
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
