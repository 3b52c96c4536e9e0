/**
 * The one table of elementwise operations: every backend runs these and only
 * these, by name. Each row is the scalar reference, computed in float64 (a
 * float32 result is the float64 one rounded on store), with the integer and
 * bool forms where they differ, and a float32 form where JAX's float32
 * algorithm is not the rounded float64 one. Names are JAX's lax primitive names.
 */
import { digamma, erf, erfc, erfInv, lgamma, polygamma } from "./special.js";
import { erfInvF32 } from "./special-f32.js";

export type Scalar1 = (x: number) => number;
export type Scalar2 = (x: number, y: number) => number;

export interface UnaryOp {
  arity: 1;
  /** The float64 reference. */
  f: Scalar1;
  /** On int32/uint32 operands, when it differs from `f`. */
  int?: Scalar1;
  /** On bool operands (0/1). */
  bool?: Scalar1;
  /** On float32 operands, when JAX's float32 algorithm differs from rounding `f`. */
  f32?: Scalar1;
}

export interface BinaryOp {
  arity: 2;
  f: Scalar2;
  int?: Scalar2;
}

/** Rounds half to even, as `jnp.round`. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}

const unary = (f: Scalar1, more: Omit<UnaryOp, "arity" | "f"> = {}): UnaryOp => ({ arity: 1, f, ...more });
const binary = (f: Scalar2, int?: Scalar2): BinaryOp => ({ arity: 2, f, int });

/**
 * Integer x^y by repeated squaring, wrapping on overflow as int32 arithmetic does
 * (NumPy and JAX); negative exponents give 0 except for bases 1 and -1.
 */
function intPow(x: number, y: number): number {
  if (y < 0) return x === 1 ? 1 : x === -1 ? (y % 2 === 0 ? 1 : -1) : 0;
  let result = 1;
  let base = x | 0;
  for (let e = y; e > 0; e >>>= 1) {
    if (e & 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
  }
  return result;
}

/**
 * x**y as C's pow and JAX (XLA) compute it, which differs from JS Math.pow in two
 * places: 1**y = 1 for every y (NaN and ±∞ included), and (−1)**±∞ = 1.
 */
export function powFloat(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return Math.pow(x, y);
}

/** max/min propagate NaN, as XLA does. */
const fmax: Scalar2 = (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b);
const fmin: Scalar2 = (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b);

export const UNARY_OPS = {
  neg: unary((x) => -x),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tan: unary(Math.tan),
  asin: unary(Math.asin),
  acos: unary(Math.acos),
  atan: unary(Math.atan),
  sinh: unary(Math.sinh),
  cosh: unary(Math.cosh),
  tanh: unary(Math.tanh),
  asinh: unary(Math.asinh),
  acosh: unary(Math.acosh),
  atanh: unary(Math.atanh),
  exp: unary(Math.exp),
  exp2: unary((x) => Math.pow(2, x)),
  log: unary(Math.log),
  log1p: unary(Math.log1p),
  expm1: unary(Math.expm1),
  sqrt: unary(Math.sqrt),
  rsqrt: unary((x) => 1 / Math.sqrt(x)),
  cbrt: unary(Math.cbrt),
  abs: unary(Math.abs),
  sign: unary((x) => (x > 0 ? 1 : x < 0 ? -1 : x)),
  floor: unary(Math.floor),
  ceil: unary(Math.ceil),
  /** Half away from zero (`lax.round`'s default). */
  round: unary((x) => Math.sign(x) * Math.round(Math.abs(x))),
  round_even: unary(roundHalfEven),
  trunc: unary(Math.trunc),
  erf: unary(erf),
  erfc: unary(erfc),
  erf_inv: unary(erfInv, { f32: erfInvF32 }),
  lgamma: unary(lgamma),
  digamma: unary(digamma),
  /** 1/(1+e^-x), written so that neither branch overflows. */
  logistic: unary((x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))),
  /** A bool result. */
  is_finite: unary((x) => (Number.isFinite(x) ? 1 : 0)),
  not: unary((x) => ~x, { bool: (v) => (v ? 0 : 1) }),
} satisfies Record<string, UnaryOp>;

export const BINARY_OPS = {
  add: binary((a, b) => a + b),
  sub: binary((a, b) => a - b),
  mul: binary(
    (a, b) => a * b,
    (a, b) => Math.imul(a, b),
  ),
  div: binary(
    (a, b) => a / b,
    (a, b) => (b === 0 ? 0 : Math.trunc(a / b)),
  ),
  rem: binary(
    (a, b) => a % b,
    (a, b) => (b === 0 ? 0 : a % b),
  ),
  pow: binary(powFloat, intPow),
  max: binary(fmax),
  min: binary(fmin),
  atan2: binary(Math.atan2),
  eq: binary((a, b) => (a === b ? 1 : 0)),
  ne: binary((a, b) => (a !== b ? 1 : 0)),
  lt: binary((a, b) => (a < b ? 1 : 0)),
  le: binary((a, b) => (a <= b ? 1 : 0)),
  gt: binary((a, b) => (a > b ? 1 : 0)),
  ge: binary((a, b) => (a >= b ? 1 : 0)),
  and: binary((a, b) => a & b),
  or: binary((a, b) => a | b),
  xor: binary((a, b) => a ^ b),
  shift_left: binary((a, b) => (b >= 32 || b < 0 ? 0 : a << b)),
  shift_right_logical: binary((a, b) => (b >= 32 || b < 0 ? 0 : (a >>> b) | 0)),
  shift_right_arithmetic: binary((a, b) => (b >= 32 || b < 0 ? (a < 0 ? -1 : 0) : a >> b)),
} satisfies Record<string, BinaryOp>;

export type UnaryOpName = keyof typeof UNARY_OPS;
export type BinaryOpName = keyof typeof BINARY_OPS;

/** polygamma(n, x) has a static order n: a unary map with a parameter. */
export const polygammaOp =
  (n: number): Scalar1 =>
  (x) =>
    polygamma(n, x);

/** The unary scalar function for operands of `dtype`. */
export function unaryScalar(op: UnaryOpName, dtype: string): Scalar1 {
  const row: UnaryOp = UNARY_OPS[op];
  if (dtype === "bool" && row.bool) return row.bool;
  if (dtype === "float32" && row.f32) return row.f32;
  if ((dtype === "int32" || dtype === "uint32") && row.int) return row.int;
  return row.f;
}

/** The binary scalar function for operands of `dtype`. */
export function binaryScalar(op: BinaryOpName, dtype: string): Scalar2 {
  const row: BinaryOp = BINARY_OPS[op];
  return (dtype === "int32" || dtype === "uint32") && row.int ? row.int : row.f;
}
