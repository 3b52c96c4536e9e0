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
/** `jnp.add(x, y)`: x + y with NumPy's promotion and broadcasting. */
export const add = binary("add", ew.add);
/** `jnp.subtract(x, y)`: x - y. */
export const subtract = binary("subtract", ew.sub);
/** `jnp.multiply(x, y)`: x · y. */
export const multiply = binary("multiply", ew.mul);
/** `jnp.divide(x, y)`: true division; integers divide as floats, as in NumPy. */
export const divide = floatBinary("divide", ew.div);
/** `jnp.true_divide`: the same as {@link divide}. */
export const trueDivide = divide;
/** `jnp.floor_divide(x, y)`: ⌊x / y⌋. */
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
/** `jnp.remainder(x, y)`: Python's modulo, the result has the sign of the divisor. */
export const remainder = binary("remainder", (a, b) => {
  const r = ew.rem(a, b);
  const wrong = ew.and(ew.ne(r, k(0, r)), ew.ne(ew.lt(r, k(0, r)), ew.lt(b, k(0, b))));
  return ew.selectN(wrong, [r, ew.add(r, b)]);
});
/** `jnp.mod`: the same as {@link remainder}. */
export const mod = remainder;
/** `jnp.fmod(x, y)`: C's fmod, the result has the sign of the dividend. */
export const fmod = binary("fmod", ew.rem);
/** `jnp.power(x, y)`: xʸ. */
export const power = binary("power", ew.pow);
/** `jnp.pow`: the same as {@link power}. */
export const pow = power;
/** `jnp.maximum(x, y)`: the larger, NaN if either is NaN. */
export const maximum = binary("maximum", ew.max);
/** `jnp.minimum(x, y)`: the smaller, NaN if either is NaN. */
export const minimum = binary("minimum", ew.min);
/** `jnp.arctan2(y, x)`: the angle of (x, y). */
export const arctan2 = floatBinary("arctan2", ew.atan2);
export const atan2 = arctan2;
/** `jnp.negative(x)`: -x. */
export const negative = anyUnary("negative", (a) => {
  accepts("negative", ["int", "float"], a);
  return un.neg(a);
});
/** `jnp.positive(x)`: x. */
export const positive = plainUnary("positive", (a) => a);
/** `jnp.abs(x)`: |x|. */
export const abs = anyUnary("abs", (a) => (a.dtype === "bool" || a.dtype === "uint32" ? a : un.abs(a)));
export const absolute = abs;
/** `jnp.sign(x)`: -1, 0 or 1 (NaN stays NaN). */
export const sign = anyUnary("sign", (a) => {
  accepts("sign", ["int", "float"], a);
  return un.sign(a);
});
/** `jnp.square(x)`: x². */
export const square = anyUnary("square", (a) => {
  const b = a.dtype === "bool" ? ew.convert(a, "int32") : a; // JAX's promote_dtypes_numeric
  return ew.mul(b, b);
});
/** `jnp.reciprocal(x)`: 1 / x. */
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

/** `jnp.round(a, decimals=0)`: rounds half to even, to `decimals` places (negative: tens, hundreds, ...). */
export function round(x: ArrayLike, ...args: OptArgs<[number, null], RoundOptions>): NdArray {
  return roundImpl("round", x, roundOptions.parse(args).decimals ?? 0);
}
/** `jnp.around`: the same as {@link round}. */
export function around(x: ArrayLike, ...args: OptArgs<[number, null], RoundOptions>): NdArray {
  return roundImpl("around", x, aroundOptions.parse(args).decimals ?? 0);
}
/** `jnp.rint(x)`: rounds half to even; integers become floats, as in JAX. */
export const rint = floatUnary("rint", un.roundEven);

/**
 * log(eˣ + eʸ), stable: s + log1p(exp(r - s)) with s the larger and r the smaller
 * (r - s ≤ 0 never overflows); equal infinities give that infinity. Written with
 * selects rather than max and |x - y| so that the derivative is σ(x - y) everywhere,
 * ½ and ½ at ties, as JAX's custom jvp gives.
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
/** √(x² + y²), scaled by the larger magnitude to avoid overflow. */
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
export const equal = binary("equal", ew.eq);
export const notEqual = binary("notEqual", ew.ne);
export const less = binary("less", ew.lt);
export const lessEqual = binary("lessEqual", ew.le);
export const greater = binary("greater", ew.gt);
export const greaterEqual = binary("greaterEqual", ew.ge);
const toBool = (x: NdArray): NdArray => (x.dtype === "bool" ? x : ew.ne(x, k(0, x)));
export const logicalAnd = plainBinary("logicalAnd", (a, b) => ew.and(toBool(a), toBool(b)));
export const logicalOr = plainBinary("logicalOr", (a, b) => ew.or(toBool(a), toBool(b)));
export const logicalXor = plainBinary("logicalXor", (a, b) => ew.xor(toBool(a), toBool(b)));
export const logicalNot = plainUnary("logicalNot", (a) => un.not(toBool(a)));
export const bitwiseAnd = intBinary("bitwiseAnd", ew.and);
export const bitwiseOr = intBinary("bitwiseOr", ew.or);
export const bitwiseXor = intBinary("bitwiseXor", ew.xor);
export const bitwiseNot = anyUnary("bitwiseNot", (a) => {
  accepts("bitwiseNot", ["int", "bool"], a);
  return un.not(a);
});
export const invert = bitwiseNot;
export const leftShift = intBinary("leftShift", ew.shiftLeft, false);
export const rightShift = intBinary(
  "rightShift",
  (a, b) => (a.dtype === "uint32" ? ew.shiftRightLogical(a, b) : ew.shiftRightArithmetic(a, b)),
  false,
);

export const isfinite = plainUnary("isfinite", (a) => (isFloat(a.dtype) ? un.isFinite(a) : ew.eq(a, a)));
export const isnan = plainUnary("isnan", (a) => ew.ne(a, a));
export const isinf = plainUnary("isinf", (a) => (isFloat(a.dtype) ? ew.eq(un.abs(a), k(Infinity, a)) : ew.ne(a, a)));
export const isposinf = floatUnary("isposinf", (a) => ew.eq(a, k(Infinity, a)));
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

/** `jnp.clip(arr, min, max)`: each bound may be null (none); JAX's `maximum(min, arr)`, then `minimum(max, ·)`. */
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

/** `jnp.nan_to_num`: NaN → `nan` (0), ±∞ → the largest finite values of the dtype (or the given ones). */
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

/** `jnp.signbit(x)`: true where the sign bit is set (negative numbers and -0). */
export const signbit = floatUnary("signbit", (a) =>
  ew.or(ew.lt(a, k(0, a)), ew.and(ew.eq(a, k(0, a)), ew.lt(ew.div(k(1, a), a), k(0, a)))),
);

/** `jnp.copysign(x, y)`: |x| with the sign of y. */
export const copysign = floatBinary("copysign", (a, b) => ew.selectN(signbit(b), [un.abs(a), un.neg(un.abs(a))]));
