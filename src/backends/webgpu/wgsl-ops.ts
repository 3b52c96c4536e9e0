/**
 * Elementwise operations as WGSL expressions, shared by the fused kernels and
 * the elementwise routines. WGSL's builtins leave some edge cases to the
 * implementation; the helpers of wgsl-math.ts pin down the ones the op table
 * defines (ops.ts): log1p/expm1 near 0, tanh for large |x|, pow of negative
 * bases, NaN-propagating max/min, and compute exp/log/sin/cos and the special
 * functions with arithmetic rather than WGSL's loosely specified builtins.
 */

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
