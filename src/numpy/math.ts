/** NumPy's elementwise functions: promotion and broadcasting, then primitives. */
import { NdArray, type ArrayLike } from "../core/array.js";
import { isFloat } from "../core/dtypes.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import { broadcastTo } from "../primitives/structural.js";
import { broadcastShapes } from "../primitives/shapes.js";
import { asArray, promoteOperands, promoteToFloat } from "./convert.js";

type Unary = (x: ArrayLike) => NdArray;
type Binary = (x: ArrayLike, y: ArrayLike) => NdArray;

const floatUnary =
  (name: string, f: (x: NdArray) => NdArray): Unary =>
  (x) =>
    f(promoteToFloat(name, [x])[0]);
const anyUnary =
  (name: string, f: (x: NdArray) => NdArray): Unary =>
  (x) =>
    f(promoteOperands(name, [x])[0]);
const binary =
  (name: string, f: (x: NdArray, y: NdArray) => NdArray): Binary =>
  (x, y) => {
    const [a, b] = promoteOperands(name, [x, y]);
    return f(a, b);
  };
const floatBinary =
  (name: string, f: (x: NdArray, y: NdArray) => NdArray): Binary =>
  (x, y) => {
    const [a, b] = promoteToFloat(name, [x, y]);
    return f(a, b);
  };

/** A scalar of `x`'s dtype, weak (a constant in a formula). */
const k = (v: number, x: NdArray): NdArray => ew.scalarLike(v, x);

// --- arithmetic ---
export const add = binary("add", ew.add);
export const subtract = binary("subtract", ew.sub);
export const multiply = binary("multiply", ew.mul);
/** True division: integers divide as floats, as in NumPy. */
export const divide = floatBinary("divide", ew.div);
export const trueDivide = divide;
/** Floor division: ⌊x / y⌋. */
export const floorDivide: Binary = (x, y) => {
  const [a, b] = promoteOperands("floor_divide", [x, y]);
  if (!isFloat(a.dtype)) {
    // Integer ⌊a/b⌋: truncating division, one less where there is a remainder of the other sign.
    const q = ew.div(a, b);
    const r = ew.rem(a, b);
    const wrong = ew.and(ew.ne(r, k(0, r)), ew.ne(ew.lt(r, k(0, r)), ew.lt(b, k(0, b))));
    return ew.selectN(wrong, [q, ew.sub(q, k(1, q))]);
  }
  return un.floor(ew.div(a, b));
};
/** Python's modulo: the result has the sign of the divisor. */
export const remainder: Binary = (x, y) => {
  const [a, b] = promoteOperands("remainder", [x, y]);
  const r = ew.rem(a, b);
  const wrong = ew.and(ew.ne(r, k(0, r)), ew.ne(ew.lt(r, k(0, r)), ew.lt(b, k(0, b))));
  return ew.selectN(wrong, [r, ew.add(r, b)]);
};
export const mod = remainder;
/** C's fmod: the result has the sign of the dividend. */
export const fmod = binary("fmod", ew.rem);
export const power: Binary = (x, y) => {
  const [a, b] = promoteOperands("power", [x, y]);
  return ew.pow(a, b);
};
export const pow = power;
export const maximum = binary("maximum", ew.max);
export const minimum = binary("minimum", ew.min);
export const arctan2 = floatBinary("arctan2", ew.atan2);
export const atan2 = arctan2;
export const negative = anyUnary("negative", un.neg);
export const positive: Unary = (x) => asArray(x);
export const abs = anyUnary("abs", un.abs);
export const absolute = abs;
export const sign = anyUnary("sign", un.sign);
export const square: Unary = (x) => {
  const a = promoteOperands("square", [x])[0];
  return ew.mul(a, a);
};
export const reciprocal = floatUnary("reciprocal", (x) => ew.div(k(1, x), x));

// --- transcendental ---
export const sin = floatUnary("sin", un.sin);
export const cos = floatUnary("cos", un.cos);
export const tan = floatUnary("tan", un.tan);
export const arcsin = floatUnary("arcsin", un.asin);
export const arccos = floatUnary("arccos", un.acos);
export const arctan = floatUnary("arctan", un.atan);
export const sinh = floatUnary("sinh", un.sinh);
export const cosh = floatUnary("cosh", un.cosh);
export const tanh = floatUnary("tanh", un.tanh);
export const arcsinh = floatUnary("arcsinh", un.asinh);
export const arccosh = floatUnary("arccosh", un.acosh);
export const arctanh = floatUnary("arctanh", un.atanh);
export const asin = arcsin;
export const acos = arccos;
export const atan = arctan;
export const asinh = arcsinh;
export const acosh = arccosh;
export const atanh = arctanh;
export const exp = floatUnary("exp", un.exp);
export const exp2 = floatUnary("exp2", un.exp2);
export const expm1 = floatUnary("expm1", un.expm1);
export const log = floatUnary("log", un.log);
export const log1p = floatUnary("log1p", un.log1p);
/** log₂ x = log x / log 2 */
export const log2 = floatUnary("log2", (x) => ew.div(un.log(x), k(Math.LN2, x)));
/** log₁₀ x = log x / log 10 */
export const log10 = floatUnary("log10", (x) => ew.div(un.log(x), k(Math.LN10, x)));
export const sqrt = floatUnary("sqrt", un.sqrt);
export const cbrt = floatUnary("cbrt", un.cbrt);
export const rsqrt = floatUnary("rsqrt", un.rsqrt);
export const floor = floatUnary("floor", un.floor);
export const ceil = floatUnary("ceil", un.ceil);
export const trunc = floatUnary("trunc", un.trunc);
/** Rounds half to even, as `jnp.round` (decimals = 0). */
export const round = (x: ArrayLike, decimals = 0): NdArray => {
  const a = promoteOperands("round", [x])[0];
  if (!isFloat(a.dtype)) return a;
  if (decimals === 0) return un.roundEven(a);
  const f = k(10 ** decimals, a);
  return ew.div(un.roundEven(ew.mul(a, f)), f);
};
export const around = round;
export const rint = (x: ArrayLike): NdArray => round(x);

/** log(eˣ + eʸ), stable: max + log1p(exp(-|x - y|)); equal infinities give that infinity. */
export const logaddexp: Binary = (x, y) => {
  const [a, b] = promoteToFloat("logaddexp", [x, y]);
  const amax = ew.max(a, b);
  const delta = ew.sub(a, b);
  const isNan = ew.ne(delta, delta);
  const safe = ew.selectN(isNan, [un.log1p(un.exp(un.neg(un.abs(delta)))), ew.add(a, b)]);
  return ew.selectN(isNan, [ew.add(amax, safe), ew.selectN(ew.eq(a, b), [ew.add(a, b), amax])]);
};
/** √(x² + y²), scaled by the larger magnitude to avoid overflow. */
export const hypot: Binary = (x, y) => {
  const [a, b] = promoteToFloat("hypot", [x, y]);
  const ax = un.abs(a);
  const ay = un.abs(b);
  const hi = ew.max(ax, ay);
  const lo = ew.min(ax, ay);
  const safeHi = ew.selectN(ew.eq(hi, k(0, hi)), [hi, k(1, hi)]);
  const r = ew.div(lo, safeHi);
  return ew.selectN(ew.eq(hi, k(0, hi)), [ew.mul(hi, un.sqrt(ew.add(k(1, r), ew.mul(r, r)))), k(0, hi)]);
};

// --- comparisons and logic ---
export const equal = binary("equal", ew.eq);
export const notEqual = binary("not_equal", ew.ne);
export const less = binary("less", ew.lt);
export const lessEqual = binary("less_equal", ew.le);
export const greater = binary("greater", ew.gt);
export const greaterEqual = binary("greater_equal", ew.ge);
const toBool = (x: ArrayLike): NdArray => {
  const a = asArray(x);
  return a.dtype === "bool" ? a : ew.ne(a, k(0, a));
};
export const logicalAnd: Binary = (x, y) => ew.and(toBool(x), toBool(y));
export const logicalOr: Binary = (x, y) => ew.or(toBool(x), toBool(y));
export const logicalXor: Binary = (x, y) => ew.xor(toBool(x), toBool(y));
export const logicalNot: Unary = (x) => un.not(toBool(x));
export const bitwiseAnd = binary("bitwise_and", ew.and);
export const bitwiseOr = binary("bitwise_or", ew.or);
export const bitwiseXor = binary("bitwise_xor", ew.xor);
export const bitwiseNot = anyUnary("bitwise_not", un.not);
export const invert = bitwiseNot;
export const leftShift = binary("left_shift", ew.shiftLeft);
export const rightShift = binary("right_shift", (a, b) =>
  a.dtype === "uint32" ? ew.shiftRightLogical(a, b) : ew.shiftRightArithmetic(a, b),
);

export const isfinite: Unary = (x) => {
  const a = asArray(x);
  return isFloat(a.dtype) ? un.isFinite(a) : ew.eq(a, a);
};
export const isnan: Unary = (x) => {
  const a = asArray(x);
  return isFloat(a.dtype) ? ew.ne(a, a) : ew.ne(a, a);
};
export const isinf: Unary = (x) => {
  const a = asArray(x);
  if (!isFloat(a.dtype)) return ew.ne(a, a);
  return ew.eq(un.abs(a), k(Infinity, a));
};
export const isposinf: Unary = (x) => {
  const a = promoteToFloat("isposinf", [x])[0];
  return ew.eq(a, k(Infinity, a));
};
export const isneginf: Unary = (x) => {
  const a = promoteToFloat("isneginf", [x])[0];
  return ew.eq(a, k(-Infinity, a));
};

// --- selection ---
/** `jnp.where(cond, x, y)`: x where cond is true, else y, with broadcasting. */
export function where(condition: ArrayLike, x: ArrayLike, y: ArrayLike): NdArray {
  const c = toBool(condition);
  const [a, b] = promoteOperands("where", [x, y]);
  const shape = broadcastShapes("where", c.aval.shape, a.aval.shape, b.aval.shape);
  const fit = (v: NdArray) =>
    v.ndim === shape.length && v.aval.shape.every((n, i) => n === shape[i]) ? v : broadcastTo(v, shape);
  return ew.selectN(fit(c), [fit(b), fit(a)]);
}

/** `jnp.clip(x, min, max)`; either bound may be null. */
export function clip(x: ArrayLike, min: ArrayLike | null = null, max: ArrayLike | null = null): NdArray {
  let out = asArray(x);
  if (min !== null && min !== undefined) out = maximum(out, min);
  if (max !== null && max !== undefined) out = minimum(out, max);
  return out;
}

export interface NanToNumOptions {
  nan?: number;
  posinf?: number | null;
  neginf?: number | null;
}

/** NaN → `nan` (0), ±∞ → the largest finite values of the dtype (or the given ones). */
export function nanToNum(x: ArrayLike, options: NanToNumOptions = {}): NdArray {
  const a = asArray(x);
  if (!isFloat(a.dtype)) return a;
  const big = a.dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
  const pos = options.posinf ?? big;
  const neg = options.neginf ?? -big;
  let out = ew.selectN(ew.ne(a, a), [a, k(options.nan ?? 0, a)]);
  out = ew.selectN(ew.eq(out, k(Infinity, a)), [out, k(pos, a)]);
  return ew.selectN(ew.eq(out, k(-Infinity, a)), [out, k(neg, a)]);
}

export function signbit(x: ArrayLike): NdArray {
  const a = promoteToFloat("signbit", [x])[0];
  return ew.or(ew.lt(a, k(0, a)), ew.and(ew.eq(a, k(0, a)), ew.lt(ew.div(k(1, a), a), k(0, a))));
}

export function copysign(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promoteToFloat("copysign", [x, y]);
  return ew.selectN(signbit(b), [un.abs(a), un.neg(un.abs(a))]);
}
