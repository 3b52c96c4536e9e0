/** NumPy's elementwise functions: promotion and broadcasting, then primitives. */
import type { NdArray, ArrayLike } from "../core/array.js";
import { isFloat, type DType } from "../core/dtypes.js";
import { ArgumentTypeError, ConcretizationError, DTypeError, ShapeError } from "../core/errors.js";
import { check, defineOptions, is, noExtraArgs, orNull, type OptArgs } from "../core/options.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import { broadcastTo, reshape } from "../primitives/structural.js";
import { cumsum } from "../primitives/cumulative.js";
import { scatter } from "../primitives/indexing.js";
import { iota } from "../primitives/iota.js";
import { broadcastShapes } from "../primitives/shapes.js";
import { asArray, promoteOperands, promoteToFloat } from "../primitives/as-array.js";

/** An elementwise function of one array; it takes no optional arguments and refuses stray ones. */
export type Unary = (x: ArrayLike, ...rest: []) => NdArray;
/** An elementwise function of two arrays; it takes no optional arguments and refuses stray ones. */
export type Binary = (x: ArrayLike, y: ArrayLike, ...rest: []) => NdArray;

/** A unary ufunc on `x` (first converted as `prepare` says), refusing extra arguments. */
const unaryOf =
  (name: string, prepare: (x: ArrayLike) => NdArray, f: (x: NdArray) => NdArray): Unary =>
  (x, ...rest) => {
    noExtraArgs(name, rest);
    return f(prepare(x));
  };
const floatUnary = (name: string, f: (x: NdArray) => NdArray): Unary =>
  unaryOf(name, (x) => promoteToFloat(name, [x])[0], f);
const anyUnary = (name: string, f: (x: NdArray) => NdArray): Unary =>
  unaryOf(name, (x) => promoteOperands(name, [x])[0], f);
/** A unary function of the array as given (no promotion). */
const plainUnary = (name: string, f: (x: NdArray) => NdArray): Unary =>
  unaryOf(name, (x) => asArray(x, undefined, name), f);
const binaryOf =
  (name: string, prepare: (xs: ArrayLike[]) => NdArray[], f: (x: NdArray, y: NdArray) => NdArray): Binary =>
  (x, y, ...rest) => {
    noExtraArgs(name, rest);
    const [a, b] = prepare([x, y]);
    // Shapes are checked here so that a mismatch names the public function, not a primitive.
    broadcastShapes(name, a.aval.shape, b.aval.shape);
    return f(a, b);
  };

/** JAX's dtype check of the integer-or-bool ufuncs (bitwise ops, shifts) and the like. */
function accepts(name: string, allowed: readonly ("int" | "bool" | "float")[], ...xs: NdArray[]): void {
  for (const x of xs) {
    const kind = isFloat(x.dtype) ? "float" : x.dtype === "bool" ? "bool" : "int";
    if (!allowed.includes(kind)) {
      const words = { int: "integer", bool: "bool", float: "floating" };
      throw new DTypeError(
        `[${name}] ${name} does not accept dtype ${x.dtype}: got ${x.aval.str()}, expected subtypes of ${allowed.map((k) => words[k]).join(" or ")}.`,
      );
    }
  }
}
const intBinary = (name: string, f: (x: NdArray, y: NdArray) => NdArray, bool = true): Binary =>
  binary(name, (a, b) => {
    accepts(name, bool ? ["int", "bool"] : ["int"], a, b);
    return f(a, b);
  });
const binary = (name: string, f: (x: NdArray, y: NdArray) => NdArray): Binary =>
  binaryOf(name, (xs) => promoteOperands(name, xs), f);
const floatBinary = (name: string, f: (x: NdArray, y: NdArray) => NdArray): Binary =>
  binaryOf(name, (xs) => promoteToFloat(name, xs), f);
/** A binary function of the arrays as given (no promotion). */
const plainBinary = (name: string, f: (x: NdArray, y: NdArray) => NdArray): Binary =>
  binaryOf(name, (xs) => xs.map((v) => asArray(v, undefined, name)), f);

/** A scalar of `x`'s dtype, weak (a constant in a formula). */
const k = (v: number, x: NdArray): NdArray => ew.scalarLike(v, x);

// --- arithmetic ---
/**
 * `jnp.add(x, y)`: x + y with NumPy's promotion and broadcasting.
 *
 * @example
 * np.add(np.array([1, 2]), 10); // [11, 12]
 */
export const add = binary("add", ew.add);
/**
 * `jnp.subtract(x, y)`: x - y.
 *
 * @example
 * np.subtract(np.array([5, 7]), np.array([1, 2])); // [4, 5]
 */
export const subtract = binary("subtract", ew.sub);
/**
 * `jnp.multiply(x, y)`: x · y.
 *
 * @example
 * np.multiply(np.array([1, 2]), np.array([[1], [10]])); // [[1, 2], [10, 20]]
 */
export const multiply = binary("multiply", ew.mul);
/**
 * `jnp.divide(x, y)`: true division; integers divide as floats, as in NumPy.
 *
 * @example
 * np.divide(np.array([1, 2]), 4); // [0.25, 0.5]
 */
export const divide = floatBinary("divide", ew.div);
/**
 * `jnp.true_divide`: the same as {@link divide}.
 *
 * @example
 * np.trueDivide(1, 4); // 0.25
 */
export const trueDivide = divide;
/**
 * `jnp.floor_divide(x, y)`: ⌊x / y⌋.
 *
 * @example
 * np.floorDivide(np.array([7, -7]), 2); // [3, -4]
 */
export const floorDivide = binary("floorDivide", (a, b) => {
  if (!isFloat(a.dtype)) {
    // Integer ⌊a/b⌋: truncating division, one less where there is a remainder of the other sign.
    const q = ew.div(a, b);
    const r = ew.rem(a, b);
    const wrong = ew.and(ew.ne(r, k(0, r)), ew.ne(ew.lt(r, k(0, r)), ew.lt(b, k(0, b))));
    return ew.selectN(wrong, [q, ew.sub(q, k(1, q))]);
  }
  return un.floor(ew.div(a, b));
});
/**
 * `jnp.remainder(x, y)`: Python's modulo, the result has the sign of the divisor.
 *
 * @example
 * np.remainder(np.array([7, -7]), 3); // [1, 2]
 */
export const remainder = binary("remainder", (a, b) => {
  const r = ew.rem(a, b);
  const wrong = ew.and(ew.ne(r, k(0, r)), ew.ne(ew.lt(r, k(0, r)), ew.lt(b, k(0, b))));
  return ew.selectN(wrong, [r, ew.add(r, b)]);
});
/**
 * `jnp.mod`: the same as {@link remainder}.
 *
 * @example
 * np.mod(-7, 3); // 2
 */
export const mod = remainder;
/**
 * `jnp.fmod(x, y)`: C's fmod, the result has the sign of the dividend.
 *
 * @example
 * np.fmod(np.array([7, -7]), 3); // [1, -1]
 */
export const fmod = binary("fmod", ew.rem);
/**
 * `jnp.power(x, y)`: xʸ.
 *
 * @example
 * np.power(np.array([2, 3]), 2); // [4, 9]
 */
export const power = binary("power", ew.pow);
/**
 * `jnp.pow`: the same as {@link power}.
 *
 * @example
 * np.pow(2, 10); // 1024
 */
export const pow = power;
/**
 * `jnp.maximum(x, y)`: the larger, NaN if either is NaN.
 *
 * @example
 * np.maximum(np.array([1, 5]), 3); // [3, 5]
 */
export const maximum = binary("maximum", ew.max);
/**
 * `jnp.minimum(x, y)`: the smaller, NaN if either is NaN.
 *
 * @example
 * np.minimum(np.array([1, 5]), 3); // [1, 3]
 */
export const minimum = binary("minimum", ew.min);
/**
 * `jnp.arctan2(y, x)`: the angle of (x, y).
 *
 * @example
 * np.arctan2(1, -1); // 3π/4
 */
export const arctan2 = floatBinary("arctan2", ew.atan2);
/**
 * `jnp.atan2(y, x)`: the same as {@link arctan2}.
 *
 * @example
 * np.atan2(1, 1); // π/4
 */
export const atan2 = arctan2;
/**
 * `jnp.negative(x)`: -x.
 *
 * @example
 * np.negative(np.array([1, -2])); // [-1, 2]
 */
export const negative = anyUnary("negative", (a) => {
  accepts("negative", ["int", "float"], a);
  return un.neg(a);
});
/**
 * `jnp.positive(x)`: x.
 *
 * @example
 * np.positive(np.array([1, -2])); // [1, -2]
 */
export const positive = plainUnary("positive", (a) => a);
/**
 * `jnp.abs(x)`: |x|.
 *
 * @example
 * np.abs(np.array([-1.5, 2])); // [1.5, 2]
 */
export const abs = anyUnary("abs", (a) => (a.dtype === "bool" || a.dtype === "uint32" ? a : un.abs(a)));
/**
 * `jnp.absolute(x)`: the same as {@link abs}.
 *
 * @example
 * np.absolute(-2); // 2
 */
export const absolute = abs;
/**
 * `jnp.sign(x)`: -1, 0 or 1 (NaN stays NaN).
 *
 * @example
 * np.sign(np.array([-3, 0, 2])); // [-1, 0, 1]
 */
export const sign = anyUnary("sign", (a) => {
  accepts("sign", ["int", "float"], a);
  return un.sign(a);
});
/**
 * `jnp.square(x)`: x².
 *
 * @example
 * np.square(np.array([2, -3])); // [4, 9]
 */
export const square = anyUnary("square", (a) => {
  const b = a.dtype === "bool" ? ew.convert(a, "int32") : a; // JAX's promote_dtypes_numeric
  return ew.mul(b, b);
});
/**
 * `jnp.reciprocal(x)`: 1 / x.
 *
 * @example
 * np.reciprocal(np.array([2, 4])); // [0.5, 0.25]
 */
export const reciprocal = floatUnary("reciprocal", (x) => ew.div(k(1, x), x));

// --- transcendental ---
/**
 * `jnp.sin(x)`: the sine, elementwise (radians).
 *
 * @example
 * np.sin(np.array([0, Math.PI / 2])); // [0, 1]
 */
export const sin = floatUnary("sin", un.sin);
/**
 * `jnp.cos(x)`: the cosine, elementwise (radians).
 *
 * @example
 * np.cos(np.array([0, Math.PI])); // [1, -1]
 */
export const cos = floatUnary("cos", un.cos);
/**
 * `jnp.tan(x)`: the tangent, elementwise (radians).
 *
 * @example
 * np.tan(Math.PI / 4); // 1
 */
export const tan = floatUnary("tan", un.tan);
/**
 * `jnp.arcsin(x)`: the inverse sine, in [-π/2, π/2]; NaN outside [-1, 1].
 *
 * @example
 * np.arcsin(1); // π/2
 */
export const arcsin = floatUnary("arcsin", un.asin);
/**
 * `jnp.arccos(x)`: the inverse cosine, in [0, π]; NaN outside [-1, 1].
 *
 * @example
 * np.arccos(-1); // π
 */
export const arccos = floatUnary("arccos", un.acos);
/**
 * `jnp.arctan(x)`: the inverse tangent, in (-π/2, π/2).
 *
 * @example
 * np.arctan(1); // π/4
 */
export const arctan = floatUnary("arctan", un.atan);
/**
 * `jnp.sinh(x)`: the hyperbolic sine.
 *
 * @example
 * np.sinh(np.array([0, 1])); // [0, 1.1752]
 */
export const sinh = floatUnary("sinh", un.sinh);
/**
 * `jnp.cosh(x)`: the hyperbolic cosine.
 *
 * @example
 * np.cosh(0); // 1
 */
export const cosh = floatUnary("cosh", un.cosh);
/**
 * `jnp.tanh(x)`: the hyperbolic tangent, in (-1, 1).
 *
 * @example
 * np.tanh(np.array([-100, 0, 100])); // [-1, 0, 1]
 */
export const tanh = floatUnary("tanh", un.tanh);
/**
 * `jnp.arcsinh(x)`: the inverse hyperbolic sine.
 *
 * @example
 * np.arcsinh(0); // 0
 */
export const arcsinh = floatUnary("arcsinh", un.asinh);
/**
 * `jnp.arccosh(x)`: the inverse hyperbolic cosine; NaN below 1.
 *
 * @example
 * np.arccosh(1); // 0
 */
export const arccosh = floatUnary("arccosh", un.acosh);
/**
 * `jnp.arctanh(x)`: the inverse hyperbolic tangent; ±inf at ±1, NaN outside [-1, 1].
 *
 * @example
 * np.arctanh(0.5); // 0.5493
 */
export const arctanh = floatUnary("arctanh", un.atanh);
/**
 * `jnp.asin(x)`: the same as {@link arcsin}.
 *
 * @example
 * np.asin(1); // π/2
 */
export const asin = arcsin;
/**
 * `jnp.acos(x)`: the same as {@link arccos}.
 *
 * @example
 * np.acos(1); // 0
 */
export const acos = arccos;
/**
 * `jnp.atan(x)`: the same as {@link arctan}.
 *
 * @example
 * np.atan(1); // π/4
 */
export const atan = arctan;
/**
 * `jnp.asinh(x)`: the same as {@link arcsinh}.
 *
 * @example
 * np.asinh(0); // 0
 */
export const asinh = arcsinh;
/**
 * `jnp.acosh(x)`: the same as {@link arccosh}.
 *
 * @example
 * np.acosh(1); // 0
 */
export const acosh = arccosh;
/**
 * `jnp.atanh(x)`: the same as {@link arctanh}.
 *
 * @example
 * np.atanh(0); // 0
 */
export const atanh = arctanh;
/**
 * `jnp.exp(x)`: eˣ, elementwise.
 *
 * @example
 * np.exp(np.array([0, 1])); // [1, 2.7182817]
 */
export const exp = floatUnary("exp", un.exp);
/**
 * `jnp.exp2(x)`: 2ˣ, elementwise.
 *
 * @example
 * np.exp2(np.array([0, 3])); // [1, 8]
 */
export const exp2 = floatUnary("exp2", un.exp2);
/**
 * `jnp.expm1(x)`: eˣ - 1, accurate near 0.
 *
 * @example
 * np.expm1(1e-10); // 1e-10 (exp(x) - 1 gives 0)
 */
export const expm1 = floatUnary("expm1", un.expm1);
/**
 * `jnp.log(x)`: the natural logarithm; -inf at 0, NaN below 0.
 *
 * @example
 * np.log(np.array([1, Math.E])); // [0, 1]
 */
export const log = floatUnary("log", un.log);
/**
 * `jnp.log1p(x)`: log(1 + x), accurate near 0.
 *
 * @example
 * np.log1p(1e-10); // 1e-10
 */
export const log1p = floatUnary("log1p", un.log1p);
/**
 * `jnp.log2(x)`: the base-2 logarithm.
 *
 * @example
 * np.log2(8); // 3
 */
export const log2 = floatUnary("log2", (x) => ew.div(un.log(x), k(Math.LN2, x)));
/**
 * `jnp.log10(x)`: the base-10 logarithm.
 *
 * @example
 * np.log10(1000); // 3
 */
export const log10 = floatUnary("log10", (x) => ew.div(un.log(x), k(Math.LN10, x)));
/**
 * `jnp.sqrt(x)`: the square root; NaN below 0.
 *
 * @example
 * np.sqrt(np.array([4, 9])); // [2, 3]
 */
export const sqrt = floatUnary("sqrt", un.sqrt);
/**
 * `jnp.cbrt(x)`: the cube root (negative for negative x).
 *
 * @example
 * np.cbrt(-8); // -2
 */
export const cbrt = floatUnary("cbrt", un.cbrt);
/**
 * `jax.lax.rsqrt(x)` on NumPy's promotion: 1/√x, elementwise (JAX has no `jnp.rsqrt`).
 *
 * @example
 * np.rsqrt(np.array([4, 16])); // [0.5, 0.25]
 */
export const rsqrt = floatUnary("rsqrt", un.rsqrt);
/**
 * `jnp.floor(x)`: the largest integer ≤ x, as a float.
 *
 * @example
 * np.floor(np.array([-1.5, 1.5])); // [-2, 1]
 */
export const floor = floatUnary("floor", un.floor);
/**
 * `jnp.ceil(x)`: the smallest integer ≥ x, as a float.
 *
 * @example
 * np.ceil(np.array([-1.5, 1.5])); // [-1, 2]
 */
export const ceil = floatUnary("ceil", un.ceil);
/**
 * `jnp.trunc(x)`: x rounded towards zero, as a float.
 *
 * @example
 * np.trunc(np.array([-1.5, 1.5])); // [-1, 1]
 */
export const trunc = floatUnary("trunc", un.trunc);

/** Options of `np.round` / `np.around` (JAX: `round(a, decimals=0, out=None)`). */
export interface RoundOptions {
  /** The number of decimal places (negative: to tens, hundreds, ...). Default 0. */
  decimals?: number;
  /** JAX's `out`: must be null. */
  out?: null;
}
const roundChecks = { decimals: is.int, out: is.none };
const roundOptions = defineOptions("round", roundChecks, ["decimals", "out"]);
const aroundOptions = defineOptions("around", roundChecks, ["decimals", "out"]);
/** The largest finite value of a float dtype. */
const finfoMax = (d: DType): number => (d === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE);

function roundImpl(op: string, x: ArrayLike, decimals: number): NdArray {
  const a = promoteOperands(op, [x])[0];
  if (!isFloat(a.dtype)) {
    if (decimals >= 0 || a.dtype === "bool") return a;
    // NumPy rounds integers to tens, hundreds, ... (half to even); JAX has no rule here (NotImplementedError).
    const f = 10 ** -decimals;
    if (f > 2 ** 31) return ew.mul(a, k(0, a));
    const fk = k(f, a);
    const q = floorDivide(a, fk);
    const r = ew.sub(a, ew.mul(q, fk));
    const twice = ew.mul(r, k(2, r));
    const odd = ew.ne(ew.rem(q, k(2, q)), k(0, q));
    const up = ew.or(ew.gt(twice, fk), ew.and(ew.eq(twice, fk), odd));
    return ew.mul(ew.selectN(up, [q, ew.add(q, k(1, q))]), fk);
  }
  if (decimals === 0) return un.roundEven(a);
  // JAX: rounding beyond the dtype's precision is a no-op; otherwise scale, round half to even, unscale.
  if (decimals > Math.log10(finfoMax(a.dtype))) return a;
  const f = k(10 ** decimals, a);
  return ew.div(un.roundEven(ew.mul(a, f)), f);
}

/**
 * `jnp.round(a, decimals=0)`: rounds half to even, to `decimals` places (negative: tens, hundreds, ...).
 *
 * @example
 * np.round(np.array([0.5, 1.5, 2.567])); // [0, 2, 3]
 * np.round(2.567, { decimals: 2 }); // 2.57
 */
export function round(x: ArrayLike, ...args: OptArgs<[number, null], RoundOptions>): NdArray {
  return roundImpl("round", x, roundOptions.parse(args).decimals ?? 0);
}
/**
 * `jnp.around`: the same as {@link round}.
 *
 * @example
 * np.around(2.567, 1); // 2.6
 */
export function around(x: ArrayLike, ...args: OptArgs<[number, null], RoundOptions>): NdArray {
  return roundImpl("around", x, aroundOptions.parse(args).decimals ?? 0);
}
/**
 * `jnp.rint(x)`: rounds half to even; integers become floats, as in JAX.
 *
 * @example
 * np.rint(np.array([0.5, 1.5, 2.5])); // [0, 2, 2]
 */
export const rint = floatUnary("rint", un.roundEven);

/**
 * `jnp.logaddexp(x1, x2)`: log(eˣ¹ + eˣ²), computed without overflow.
 *
 * Stable: s + log1p(exp(r - s)) with s the larger and r the smaller
 * (r - s ≤ 0 never overflows); equal infinities give that infinity. Written with
 * selects rather than max and |x - y| so that the derivative is σ(x - y) everywhere,
 * ½ and ½ at ties, as JAX's custom jvp gives.
 *
 * @example
 * np.logaddexp(1000, 1000); // 1000.6931 (log(exp(1000) * 2) overflows)
 */
export const logaddexp = floatBinary("logaddexp", (a, b) => {
  const delta = ew.sub(a, b);
  const isNan = ew.ne(delta, delta);
  const aWins = ew.ge(a, b);
  const s = ew.selectN(aWins, [b, a]);
  const r = ew.selectN(aWins, [a, b]);
  const diff = ew.selectN(isNan, [ew.sub(r, s), k(0, delta)]);
  return ew.selectN(isNan, [ew.add(s, un.log1p(un.exp(diff))), ew.add(a, b)]);
});
/**
 * `jnp.hypot(x1, x2)`: √(x1² + x2²), scaled by the larger magnitude to avoid overflow.
 *
 * @example
 * np.hypot(3, 4); // 5
 * np.hypot(3e30, 4e30); // 5e30 in float32, where x² overflows
 */
export const hypot = floatBinary("hypot", (a, b) => {
  const ax = un.abs(a);
  const ay = un.abs(b);
  const hi = ew.max(ax, ay);
  const lo = ew.min(ax, ay);
  const safeHi = ew.selectN(ew.eq(hi, k(0, hi)), [hi, k(1, hi)]);
  const r = ew.div(lo, safeHi);
  return ew.selectN(ew.eq(hi, k(0, hi)), [ew.mul(hi, un.sqrt(ew.add(k(1, r), ew.mul(r, r)))), k(0, hi)]);
});

// --- comparisons and logic ---
/**
 * `jnp.equal(x, y)`: x == y, elementwise, with broadcasting; a bool result.
 *
 * @example
 * np.equal(np.array([1, 2]), 2); // [false, true]
 */
export const equal = binary("equal", ew.eq);
/**
 * `jnp.not_equal(x, y)`: x != y, elementwise; a bool result.
 *
 * @example
 * np.notEqual(np.array([1, 2]), 2); // [true, false]
 */
export const notEqual = binary("notEqual", ew.ne);
/**
 * `jnp.less(x, y)`: x < y, elementwise; a bool result.
 *
 * @example
 * np.less(np.array([1, 2]), 2); // [true, false]
 */
export const less = binary("less", ew.lt);
/**
 * `jnp.less_equal(x, y)`: x ≤ y, elementwise; a bool result.
 *
 * @example
 * np.lessEqual(np.array([1, 3]), 2); // [true, false]
 */
export const lessEqual = binary("lessEqual", ew.le);
/**
 * `jnp.greater(x, y)`: x > y, elementwise; a bool result.
 *
 * @example
 * np.greater(np.array([1, 3]), 2); // [false, true]
 */
export const greater = binary("greater", ew.gt);
/**
 * `jnp.greater_equal(x, y)`: x ≥ y, elementwise; a bool result.
 *
 * @example
 * np.greaterEqual(np.array([1, 2]), 2); // [false, true]
 */
export const greaterEqual = binary("greaterEqual", ew.ge);
const toBool = (x: NdArray): NdArray => (x.dtype === "bool" ? x : ew.ne(x, k(0, x)));
/**
 * `jnp.logical_and(x, y)`: x AND y, nonzero values read as true; a bool result.
 *
 * @example
 * np.logicalAnd(np.array([true, true]), np.array([true, false])); // [true, false]
 */
export const logicalAnd = plainBinary("logicalAnd", (a, b) => ew.and(toBool(a), toBool(b)));
/**
 * `jnp.logical_or(x, y)`: x OR y, nonzero values read as true; a bool result.
 *
 * @example
 * np.logicalOr(np.array([true, false]), false); // [true, false]
 */
export const logicalOr = plainBinary("logicalOr", (a, b) => ew.or(toBool(a), toBool(b)));
/**
 * `jnp.logical_xor(x, y)`: x XOR y, nonzero values read as true; a bool result.
 *
 * @example
 * np.logicalXor(np.array([true, false]), true); // [false, true]
 */
export const logicalXor = plainBinary("logicalXor", (a, b) => ew.xor(toBool(a), toBool(b)));
/**
 * `jnp.logical_not(x)`: NOT x, with nonzero values read as true; a bool result.
 *
 * @example
 * np.logicalNot(np.array([0, 2])); // [true, false]
 */
export const logicalNot = plainUnary("logicalNot", (a) => un.not(toBool(a)));
/**
 * `jnp.bitwise_and(x, y)`: the bitwise AND of integers or bools.
 *
 * @example
 * np.bitwiseAnd(np.array([12], { dtype: "int32" }), 10); // [8]
 */
export const bitwiseAnd = intBinary("bitwiseAnd", ew.and);
/**
 * `jnp.bitwise_or(x, y)`: the bitwise OR of integers or bools.
 *
 * @example
 * np.bitwiseOr(np.array([12], { dtype: "int32" }), 10); // [14]
 */
export const bitwiseOr = intBinary("bitwiseOr", ew.or);
/**
 * `jnp.bitwise_xor(x, y)`: the bitwise XOR of integers or bools.
 *
 * @example
 * np.bitwiseXor(np.array([12], { dtype: "int32" }), 10); // [6]
 */
export const bitwiseXor = intBinary("bitwiseXor", ew.xor);
/**
 * `jnp.bitwise_not(x)`: the bitwise NOT of integers (logical NOT of bools).
 *
 * @example
 * np.bitwiseNot(np.array([0, 1], { dtype: "int32" })); // [-1, -2]
 */
export const bitwiseNot = anyUnary("bitwiseNot", (a) => {
  accepts("bitwiseNot", ["int", "bool"], a);
  return un.not(a);
});
/**
 * `jnp.invert(x)`: the same as {@link bitwiseNot}.
 *
 * @example
 * np.invert(np.array([true, false])); // [false, true]
 */
export const invert = bitwiseNot;
/**
 * `jnp.left_shift(x, y)`: x << y for integers.
 *
 * @example
 * np.leftShift(np.array([1], { dtype: "int32" }), 3); // [8]
 */
export const leftShift = intBinary("leftShift", ew.shiftLeft, false);
/**
 * `jnp.right_shift(x, y)`: x >> y for integers (arithmetic for signed, logical for unsigned).
 *
 * @example
 * np.rightShift(np.array([-8], { dtype: "int32" }), 1); // [-4]
 */
export const rightShift = intBinary(
  "rightShift",
  (a, b) => (a.dtype === "uint32" ? ew.shiftRightLogical(a, b) : ew.shiftRightArithmetic(a, b)),
  false,
);

/**
 * `jnp.isfinite(x)`: true where x is neither infinite nor NaN (always true for integers and bools).
 *
 * @example
 * np.isfinite(np.array([1, Infinity, NaN])); // [true, false, false]
 */
export const isfinite = plainUnary("isfinite", (a) => (isFloat(a.dtype) ? un.isFinite(a) : ew.eq(a, a)));
/**
 * `jnp.isnan(x)`: true where x is NaN.
 *
 * @example
 * np.isnan(np.array([1, NaN])); // [false, true]
 */
export const isnan = plainUnary("isnan", (a) => ew.ne(a, a));
/**
 * `jnp.isinf(x)`: true where x is +inf or -inf.
 *
 * @example
 * np.isinf(np.array([1, -Infinity])); // [false, true]
 */
export const isinf = plainUnary("isinf", (a) => (isFloat(a.dtype) ? ew.eq(un.abs(a), k(Infinity, a)) : ew.ne(a, a)));
/**
 * `jnp.isposinf(x)`: true where x is +inf.
 *
 * @example
 * np.isposinf(np.array([Infinity, -Infinity])); // [true, false]
 */
export const isposinf = floatUnary("isposinf", (a) => ew.eq(a, k(Infinity, a)));
/**
 * `jnp.isneginf(x)`: true where x is -inf.
 *
 * @example
 * np.isneginf(np.array([Infinity, -Infinity])); // [false, true]
 */
export const isneginf = floatUnary("isneginf", (a) => ew.eq(a, k(-Infinity, a)));

// --- selection ---

/** Options of `np.where` (JAX: `where(condition, x=None, y=None, /, *, size=None, fill_value=None)`). */
export interface WhereOptions {
  /** The values where the condition is true (give both x and y, or neither). */
  x?: ArrayLike | null;
  /** The values where the condition is false. */
  y?: ArrayLike | null;
  /** With the condition alone (`np.where(c)` = `np.nonzero(c)`): the static length of each index array. */
  size?: number | null;
  /** With `size`: the index that pads the result past the true count (default 0). */
  fillValue?: number | readonly number[] | null;
}
const whereOptions = defineOptions(
  "where",
  {
    x: orNull(is.arrayLike),
    y: orNull(is.arrayLike),
    size: orNull(is.nonNegativeInt),
    fillValue: orNull(
      check<number | readonly number[]>(
        "an integer or an array of integers (one per axis)",
        (v) => Number.isInteger(v) || (Array.isArray(v) && v.every((i) => Number.isInteger(i))),
      ),
    ),
  },
  ["x", "y"],
);

/**
 * `jnp.where(condition, x, y)`: x where the condition is true, else y, with
 * broadcasting. With the condition alone, `jnp.nonzero(condition)`: one int32
 * index array per axis; give `{ size }` to use it under jit (padded with
 * `fillValue`, or truncated).
 *
 * @example
 * np.where(np.greater(x, 0), x, 0);               // relu
 * np.where(np.array([0, 3, 0, 4]), { size: 3 });  // [Array([1, 3, 0])]
 */
export function where(condition: ArrayLike, x: ArrayLike, y: ArrayLike, ...rest: []): NdArray;
export function where(condition: ArrayLike, options?: Pick<WhereOptions, "size" | "fillValue">): NdArray[];
export function where(
  condition: ArrayLike,
  ...args: OptArgs<[ArrayLike | null, ArrayLike | null], WhereOptions>
): NdArray | NdArray[];
export function where(condition: ArrayLike, ...args: unknown[]): NdArray | NdArray[] {
  const o = whereOptions.parse(args);
  const c = asArray(condition, undefined, "where");
  const hasX = o.x !== undefined && o.x !== null;
  const hasY = o.y !== undefined && o.y !== null;
  if (hasX !== hasY) {
    throw new ArgumentTypeError(
      `[where] either both or neither of the x and y arguments should be provided to np.where: got ${hasX ? "x" : "y"} only. ` +
        `Give both for a selection, or neither for np.nonzero(condition).`,
    );
  }
  if (!hasX) return nonzero(c, o.size ?? null, o.fillValue ?? null);
  if (o.size !== undefined && o.size !== null) {
    throw new ArgumentTypeError(
      `[where] size applies to np.where(condition) alone: got x, y and size ${o.size}, expected x and y without size.`,
    );
  }
  const cb = toBool(c);
  const [a, b] = promoteOperands("where", [o.x, o.y]);
  const shape = broadcastShapes("where", cb.aval.shape, a.aval.shape, b.aval.shape);
  const fit = (v: NdArray) =>
    v.ndim === shape.length && v.aval.shape.every((n, i) => n === shape[i]) ? v : broadcastTo(v, shape);
  return ew.selectN(fit(cb), [fit(b), fit(a)]);
}

/** `jnp.nonzero(c, size, fill_value)`: the indices of the true (non-zero) entries, one int32 array per axis. */
function nonzero(c: NdArray, size: number | null, fillValue: number | readonly number[] | null): NdArray[] {
  if (c.ndim === 0) {
    throw new ShapeError(
      `[where] calling np.where(condition) (nonzero) on a 0-d array is not allowed: got ${c.aval.str()}, expected at least one axis. Use np.atleast1d first.`,
    );
  }
  const fills = fillValue === null ? [0] : typeof fillValue === "number" ? [fillValue] : [...fillValue];
  if (fills.length !== 1 && fills.length !== c.ndim) {
    throw new ShapeError(
      `[where] fillValue must be a scalar or have one entry per axis: got ${fills.length} entries for ${c.aval.str()}.`,
    );
  }
  const flat = reshape(toBool(c), [c.size]);
  const flags = ew.convert(flat, "int32");
  const count = cumsum(flags, 0);
  if (size === null) {
    // Eagerly the length is the number of true entries (under jit it cannot be known: JAX asks for size=).
    let concrete: NdArray;
    try {
      concrete = count.concrete("where");
    } catch (e) {
      if (!(e instanceof ConcretizationError)) throw e;
      throw new ConcretizationError(
        `[where] the size argument of np.where(condition) must be given to use it under jit or vmap: got a traced ` +
          `condition ${c.aval.str()}, expected { size } (the number of indices depends on the values).`,
      );
    }
    size = c.size === 0 ? 0 : (concrete.dataSync()[c.size - 1] as number);
  }
  // Entry i goes to slot count[i] - 1 when true; false entries go out of range and are dropped.
  const slot = ew.selectN(flat, [k(size, count), ew.sub(count, k(1, count))]);
  const filler = k(-1, flags);
  const positions = scatter(
    broadcastTo(filler, [size]),
    reshape(slot, [c.size, 1]),
    iota("int32", [c.size], 0),
    [0],
    "set",
  );
  const missing = ew.lt(positions, k(0, positions));
  const strides = c.aval.shape.map((_, d) => c.aval.shape.slice(d + 1).reduce((p, n) => p * n, 1));
  return c.aval.shape.map((n, d) => {
    const coord = ew.rem(ew.div(positions, k(strides[d], positions)), k(n, positions));
    const fill = fills.length === 1 ? fills[0] : fills[d];
    return ew.selectN(missing, [coord, k(fill, coord)]);
  });
}

/** Options of `np.clip` (JAX: `clip(arr, /, min=None, max=None)`). */
export interface ClipOptions {
  /** The lower bound (null: none). */
  min?: ArrayLike | null;
  /** The upper bound (null: none). */
  max?: ArrayLike | null;
}
const clipOptions = defineOptions("clip", { min: orNull(is.arrayLike), max: orNull(is.arrayLike) }, ["min", "max"]);

/**
 * `jnp.clip(arr, min, max)`: each bound may be null (none); JAX's `maximum(min, arr)`, then `minimum(max, ·)`.
 *
 * @example
 * np.clip(np.array([-2, 0.5, 3]), 0, 1); // [0, 0.5, 1]
 * np.clip(x, { max: 1 });
 */
export function clip(x: ArrayLike, ...args: OptArgs<[ArrayLike | null, ArrayLike | null], ClipOptions>): NdArray {
  const o = clipOptions.parse(args);
  let out = asArray(x, undefined, "clip");
  if (o.min !== null && o.min !== undefined) out = maximum(o.min, out);
  if (o.max !== null && o.max !== undefined) out = minimum(o.max, out);
  return out;
}

/** Options of `np.nanToNum` (JAX: `nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None)`). */
export interface NanToNumOptions {
  /** Accepted for NumPy compatibility; JAX arrays are immutable, so a new array is always returned. */
  copy?: boolean;
  /** The value that replaces NaN (default 0). */
  nan?: number;
  /** The value that replaces +∞ (default: the dtype's largest finite value). */
  posinf?: number | null;
  /** The value that replaces -∞ (default: the dtype's most negative finite value). */
  neginf?: number | null;
}
const nanToNumOptions = defineOptions(
  "nanToNum",
  { copy: is.bool, nan: is.numberOrNaN, posinf: orNull(is.numberOrNaN), neginf: orNull(is.numberOrNaN) },
  ["copy", "nan", "posinf", "neginf"],
);

/**
 * `jnp.nan_to_num`: NaN → `nan` (0), ±∞ → the largest finite values of the dtype (or the given ones).
 *
 * @example
 * np.nanToNum(np.array([NaN, Infinity, 1])); // [0, 3.4028235e38, 1]
 * np.nanToNum(x, { nan: -1 });
 */
export function nanToNum(
  x: ArrayLike,
  ...args: OptArgs<[boolean, number, number | null, number | null], NanToNumOptions>
): NdArray {
  const o = nanToNumOptions.parse(args);
  const a = asArray(x, undefined, "nanToNum");
  if (!isFloat(a.dtype)) return a;
  const big = finfoMax(a.dtype);
  const pos = o.posinf ?? big;
  const neg = o.neginf ?? -big;
  let out = ew.selectN(ew.ne(a, a), [a, k(o.nan ?? 0, a)]);
  out = ew.selectN(ew.eq(out, k(Infinity, a)), [out, k(pos, a)]);
  return ew.selectN(ew.eq(out, k(-Infinity, a)), [out, k(neg, a)]);
}

/**
 * `jnp.signbit(x)`: true where the sign bit is set (negative numbers and -0).
 *
 * @example
 * np.signbit(np.array([-0, 0, -2])); // [true, false, true]
 */
export const signbit = floatUnary("signbit", (a) =>
  ew.or(ew.lt(a, k(0, a)), ew.and(ew.eq(a, k(0, a)), ew.lt(ew.div(k(1, a), a), k(0, a)))),
);

/**
 * `jnp.copysign(x, y)`: |x| with the sign of y.
 *
 * @example
 * np.copysign(np.array([1, 2]), -1); // [-1, -2]
 */
export const copysign = floatBinary("copysign", (a, b) => ew.selectN(signbit(b), [un.abs(a), un.neg(un.abs(a))]));
