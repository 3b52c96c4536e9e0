/**
 * `cotangent.lax`: JAX's `jax.lax` primitives and a few composites.
 *
 * lax is strict, as in JAX: operands of a binary operation share one dtype
 * (a JS number takes the dtype of the array beside it, as a weakly typed
 * Python scalar does), static arguments (axes, shapes, indices, dtypes) are
 * checked, and every mistake is a typed error. Unlike JAX's lax, negative
 * axes are accepted wherever an axis is (they count from the end).
 */
import { NdArray, type ArrayLike } from "../core/array.js";
import { shapeSize, shapeStr } from "../core/aval.js";
import { DTYPES, isDType, isFloat, isInteger, type DType } from "../core/dtypes.js";
import { ArgumentTypeError, AxisError, DTypeError, ShapeError } from "../core/errors.js";
import {
  check,
  defineOptions,
  describeValue,
  is,
  noExtraArgs,
  oneOf,
  orNull,
  either,
  type OptArgs,
} from "../core/options.js";
import { asArray, fromValues, weakScalar } from "../primitives/as-array.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import * as st from "../primitives/structural.js";
import * as sl from "../primitives/slicing.js";
import * as cum from "../primitives/cumulative.js";
import { sort as sortPrim } from "../primitives/sort.js";
import { dotGeneral as dotGeneralPrim } from "../primitives/dot.js";
import { iota as iotaPrim } from "../primitives/iota.js";
import { reduceSum as reduceSumPrim } from "../primitives/reduce.js";
import { stopGradient as stopGradientPrim } from "../primitives/stop-gradient.js";
import { normalizeAxes, normalizeAxis } from "../primitives/shapes.js";

export { cond, switchCase as switch, whileLoop, foriLoop, scan, map } from "../control/api.js";
export type { ScanOptions, ForiLoopOptions, MapOptions } from "../control/api.js";

// --- argument checks -------------------------------------------------------------------

/** One operand of `op` as an array (a JS number is a weak scalar). */
const operand = (op: string, x: unknown): NdArray => asArray(x, undefined, op);

/**
 * Operands of a lax operation that requires equal dtypes: arrays are taken as
 * they are (the primitive checks that their dtypes agree); a JS number takes
 * the dtype of the first strongly typed array, as a weak Python scalar does in JAX.
 */
function operands(op: string, xs: readonly unknown[]): NdArray[] {
  const arrays = xs.map((x) => (typeof x === "number" ? null : operand(op, x)));
  const given = arrays.filter((a): a is NdArray => a !== null);
  const like = given.find((a) => !a.weakType) ?? given[0];
  return xs.map((x, i) => {
    if (arrays[i]) return arrays[i]!;
    const v = x as number;
    if (!like) return weakScalar(v, false);
    if (isFloat(like.dtype)) return fromValues([v], [], like.dtype, true);
    if (isInteger(like.dtype) && Number.isInteger(v)) return fromValues([v], [], like.dtype, true);
    throw new DTypeError(
      `[${op}] requires arguments to have the same dtypes: got ${like.aval.str()} and the JS number ${v}, expected a ` +
        `value of dtype ${like.dtype}. Convert the array (lax.convertElementType) or use the numpy function, which promotes.`,
    );
  });
}

function checkDtype(op: string, d: unknown, what = "dtype"): DType {
  if (!isDType(d)) {
    throw new DTypeError(
      `[${op}] ${what} is not a dtype: got ${describeValue(d)}, expected one of ${DTYPES.map((t) => JSON.stringify(t)).join(", ")}.`,
    );
  }
  return d;
}

const isIntList = (v: unknown): v is number[] => Array.isArray(v) && v.every((d) => Number.isInteger(d));

/** A list of integers (indices, sizes, axes). */
function intList(op: string, v: unknown, what: string): number[] {
  if (!isIntList(v)) {
    throw new ArgumentTypeError(`[${op}] ${what} must be an array of integers: got ${describeValue(v)}.`);
  }
  return v;
}

/** A shape: a JS array of non-negative integers. */
function shapeArg(op: string, v: unknown, what = "shape"): number[] {
  if (!Array.isArray(v)) {
    throw new ArgumentTypeError(
      `[${op}] ${what} must be an array of non-negative integers: got ${describeValue(v)}. Shapes are JS arrays: [n].`,
    );
  }
  if (!v.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`[${op}] ${what} must hold non-negative integers: got ${describeValue(v)}.`);
  }
  return v as number[];
}

function intArg(op: string, v: unknown, what: string, min = -Infinity): number {
  if (!Number.isInteger(v) || (v as number) < min) {
    const expected = min === 0 ? "a non-negative integer" : min === 1 ? "a positive integer" : "an integer";
    throw new ArgumentTypeError(`[${op}] ${what} must be ${expected}: got ${describeValue(v)}.`);
  }
  return v as number;
}

/** An axis of an array of rank `ndim`, negative ones counting from the end. */
function axisArg(op: string, v: unknown, ndim: number, what = "axis"): number {
  if (!Number.isInteger(v)) throw new AxisError(`[${op}] ${what} must be an integer: got ${describeValue(v)}.`);
  return normalizeAxis(op, v as number, ndim);
}

function axesArg(op: string, v: unknown, ndim: number, what = "axes"): number[] {
  if (!isIntList(v)) throw new AxisError(`[${op}] ${what} must be an array of integer axes: got ${describeValue(v)}.`);
  return normalizeAxes(op, v, ndim);
}

function isPermutation(p: readonly number[], n: number): boolean {
  return p.length === n && [...p].sort((a, b) => a - b).every((a, i) => a === i);
}

// --- elementwise -------------------------------------------------------------------------

type Unary = (x: ArrayLike, ...rest: []) => NdArray;
type Binary = (x: ArrayLike, y: ArrayLike, ...rest: []) => NdArray;

const unary =
  (name: string, f: (x: NdArray) => NdArray): Unary =>
  (x, ...rest) => {
    noExtraArgs(`lax.${name}`, rest);
    return f(operand(`lax.${name}`, x));
  };
const binary =
  (name: string, f: (x: NdArray, y: NdArray) => NdArray): Binary =>
  (x, y, ...rest) => {
    noExtraArgs(`lax.${name}`, rest);
    const [a, b] = operands(`lax.${name}`, [x, y]);
    return f(a, b);
  };

/** `lax.add(x, y)`: x + y; equal dtypes (a JS number takes the array's). @example lax.add(x, 1) */
export const add = binary("add", ew.add);
/**
 * `lax.sub(x, y)`: x - y.
 *
 * @example
 * lax.sub(np.array([5, 7]), 2); // [3, 5]
 */
export const sub = binary("sub", ew.sub);
/**
 * `lax.mul(x, y)`: x · y.
 *
 * @example
 * lax.mul(np.array([1, 2]), np.array([3, 4])); // [3, 8]
 */
export const mul = binary("mul", ew.mul);
/**
 * `lax.div(x, y)`: x / y (integers round toward zero).
 *
 * @example
 * lax.div(np.array([7, -7], { dtype: "int32" }), 2); // [3, -3]
 */
export const div = binary("div", ew.div);
/**
 * `lax.rem(x, y)`: the remainder with the sign of x (C's fmod).
 *
 * @example
 * lax.rem(np.array([7, -7], { dtype: "int32" }), 3); // [1, -1]
 */
export const rem = binary("rem", ew.rem);
/**
 * `lax.pow(x, y)`: xʸ.
 *
 * @example
 * lax.pow(np.array([2, 3]), 2); // [4, 9]
 */
export const pow = binary("pow", ew.pow);
/**
 * `lax.max(x, y)`: elementwise maximum (NaN propagates).
 *
 * @example
 * lax.max(np.array([1, 5]), 3); // [3, 5]
 */
export const max = binary("max", ew.max);
/**
 * `lax.min(x, y)`: elementwise minimum (NaN propagates).
 *
 * @example
 * lax.min(np.array([1, 5]), 3); // [1, 3]
 */
export const min = binary("min", ew.min);
/**
 * `lax.atan2(x, y)`: the angle of (y, x)... as `np.arctan2(x, y)`.
 *
 * @example
 * lax.atan2(1, 1); // π/4
 */
export const atan2 = binary("atan2", ew.atan2);
/**
 * `lax.eq(x, y)`: x == y, a bool array.
 *
 * @example
 * lax.eq(np.array([1, 2]), 2); // [false, true]
 */
export const eq = binary("eq", ew.eq);
/**
 * `lax.ne(x, y)`: x != y.
 *
 * @example
 * lax.ne(np.array([1, 2]), 2); // [true, false]
 */
export const ne = binary("ne", ew.ne);
/**
 * `lax.lt(x, y)`: x < y.
 *
 * @example
 * lax.lt(np.array([1, 2]), 2); // [true, false]
 */
export const lt = binary("lt", ew.lt);
/**
 * `lax.le(x, y)`: x <= y.
 *
 * @example
 * lax.le(np.array([1, 3]), 2); // [true, false]
 */
export const le = binary("le", ew.le);
/**
 * `lax.gt(x, y)`: x > y.
 *
 * @example
 * lax.gt(np.array([1, 3]), 2); // [false, true]
 */
export const gt = binary("gt", ew.gt);
/**
 * `lax.ge(x, y)`: x >= y.
 *
 * @example
 * lax.ge(np.array([1, 2]), 2); // [false, true]
 */
export const ge = binary("ge", ew.ge);

/**
 * `lax.neg(x)`: -x.
 *
 * @example
 * lax.neg(np.array([1, -2])); // [-1, 2]
 */
export const neg = unary("neg", un.neg);
/**
 * `lax.sin(x)`.
 *
 * @example
 * lax.sin(np.array([0, Math.PI / 2])); // [0, 1]
 */
export const sin = unary("sin", un.sin);
/**
 * `lax.cos(x)`.
 *
 * @example
 * lax.cos(np.array([0, Math.PI])); // [1, -1]
 */
export const cos = unary("cos", un.cos);
/**
 * `lax.tan(x)`.
 *
 * @example
 * lax.tan(np.array([Math.PI / 4])); // [1]
 */
export const tan = unary("tan", un.tan);
/**
 * `lax.asin(x)`.
 *
 * @example
 * lax.asin(np.array([1])); // [π/2]
 */
export const asin = unary("asin", un.asin);
/**
 * `lax.acos(x)`.
 *
 * @example
 * lax.acos(np.array([1])); // [0]
 */
export const acos = unary("acos", un.acos);
/**
 * `lax.atan(x)`.
 *
 * @example
 * lax.atan(np.array([1])); // [π/4]
 */
export const atan = unary("atan", un.atan);
/**
 * `lax.sinh(x)`.
 *
 * @example
 * lax.sinh(np.array([0])); // [0]
 */
export const sinh = unary("sinh", un.sinh);
/**
 * `lax.cosh(x)`.
 *
 * @example
 * lax.cosh(np.array([0])); // [1]
 */
export const cosh = unary("cosh", un.cosh);
/**
 * `lax.tanh(x)`.
 *
 * @example
 * lax.tanh(np.array([0, 100])); // [0, 1]
 */
export const tanh = unary("tanh", un.tanh);
/**
 * `lax.asinh(x)`.
 *
 * @example
 * lax.asinh(np.array([0])); // [0]
 */
export const asinh = unary("asinh", un.asinh);
/**
 * `lax.acosh(x)`.
 *
 * @example
 * lax.acosh(np.array([1])); // [0]
 */
export const acosh = unary("acosh", un.acosh);
/**
 * `lax.atanh(x)`.
 *
 * @example
 * lax.atanh(np.array([0])); // [0]
 */
export const atanh = unary("atanh", un.atanh);
/**
 * `lax.exp(x)`: eˣ.
 *
 * @example
 * lax.exp(np.array([0, 1])); // [1, 2.7182817]
 */
export const exp = unary("exp", un.exp);
/**
 * `lax.exp2(x)`: 2ˣ.
 *
 * @example
 * lax.exp2(np.array([3])); // [8]
 */
export const exp2 = unary("exp2", un.exp2);
/**
 * `lax.log(x)`: the natural logarithm.
 *
 * @example
 * lax.log(np.array([1])); // [0]
 */
export const log = unary("log", un.log);
/**
 * `lax.log1p(x)`: log(1 + x).
 *
 * @example
 * lax.log1p(np.array([1e-10])); // [1e-10]
 */
export const log1p = unary("log1p", un.log1p);
/**
 * `lax.expm1(x)`: eˣ - 1.
 *
 * @example
 * lax.expm1(np.array([1e-10])); // [1e-10]
 */
export const expm1 = unary("expm1", un.expm1);
/**
 * `lax.sqrt(x)`.
 *
 * @example
 * lax.sqrt(np.array([4, 9])); // [2, 3]
 */
export const sqrt = unary("sqrt", un.sqrt);
/**
 * `lax.rsqrt(x)`: 1/√x.
 *
 * @example
 * lax.rsqrt(np.array([4])); // [0.5]
 */
export const rsqrt = unary("rsqrt", un.rsqrt);
/**
 * `lax.cbrt(x)`.
 *
 * @example
 * lax.cbrt(np.array([-8])); // [-2]
 */
export const cbrt = unary("cbrt", un.cbrt);
/**
 * `lax.abs(x)`.
 *
 * @example
 * lax.abs(np.array([-1.5, 2])); // [1.5, 2]
 */
export const abs = unary("abs", un.abs);
/**
 * `lax.sign(x)`.
 *
 * @example
 * lax.sign(np.array([-3, 0, 2])); // [-1, 0, 1]
 */
export const sign = unary("sign", un.sign);
/**
 * `lax.floor(x)`.
 *
 * @example
 * lax.floor(np.array([-1.5, 1.5])); // [-2, 1]
 */
export const floor = unary("floor", un.floor);
/**
 * `lax.ceil(x)`.
 *
 * @example
 * lax.ceil(np.array([-1.5, 1.5])); // [-1, 2]
 */
export const ceil = unary("ceil", un.ceil);
/**
 * `lax.erf(x)`.
 *
 * @example
 * lax.erf(np.array([0, 10])); // [0, 1]
 */
export const erf = unary("erf", un.erf);
/**
 * `lax.erfc(x)`: 1 - erf(x).
 *
 * @example
 * lax.erfc(np.array([0])); // [1]
 */
export const erfc = unary("erfc", un.erfc);
/**
 * `lax.erf_inv(x)`.
 *
 * @example
 * lax.erfInv(np.array([0])); // [0]
 */
export const erfInv = unary("erfInv", un.erfInv);
/**
 * `lax.lgamma(x)`: log |Γ(x)|.
 *
 * @example
 * lax.lgamma(np.array([1, 2])); // [0, 0]
 */
export const lgamma = unary("lgamma", un.lgamma);
/**
 * `lax.digamma(x)`: ψ(x).
 *
 * @example
 * lax.digamma(np.array([1])); // [-0.5772157] (minus the Euler–Mascheroni constant)
 */
export const digamma = unary("digamma", un.digamma);
/**
 * `lax.logistic(x)`: 1 / (1 + e⁻ˣ).
 *
 * @example
 * lax.logistic(np.array([0])); // [0.5]
 */
export const logistic = unary("logistic", un.logistic);
/**
 * `lax.is_finite(x)`: a bool array, false for ±inf and NaN.
 *
 * @example
 * lax.isFinite(np.array([1, Infinity, NaN])); // [true, false, false]
 */
export const isFinite = unary("isFinite", un.isFinite);

/**
 * `lax.RoundingMethod`: how `lax.round` breaks ties.
 *
 * @example
 * lax.round(np.array([0.5, 1.5, 2.5]), lax.RoundingMethod.TO_NEAREST_EVEN); // [0, 2, 2]
 */
export const RoundingMethod = {
  /** `lax.RoundingMethod.AWAY_FROM_ZERO`: ties round away from zero (2.5 → 3). */
  AWAY_FROM_ZERO: 0,
  /** `lax.RoundingMethod.TO_NEAREST_EVEN`: ties round to the even neighbour (2.5 → 2). */
  TO_NEAREST_EVEN: 1,
} as const;
/** Options of `lax.round`. */
export interface RoundOptions {
  /** 0 or "AWAY_FROM_ZERO" (the default: 2.5 → 3), 1 or "TO_NEAREST_EVEN" (2.5 → 2). */
  roundingMethod?: 0 | 1 | "AWAY_FROM_ZERO" | "TO_NEAREST_EVEN";
}
const roundOptions = defineOptions("lax.round", { roundingMethod: oneOf(0, 1, "AWAY_FROM_ZERO", "TO_NEAREST_EVEN") }, [
  "roundingMethod",
]);
/**
 * `lax.round(x, rounding_method=0)`: rounds to the nearest integer, ties away from zero
 * (or to even with `lax.RoundingMethod.TO_NEAREST_EVEN`). @example lax.round(x, { roundingMethod: 1 })
 */
export function round(x: ArrayLike, ...args: OptArgs<[RoundOptions["roundingMethod"]], RoundOptions>): NdArray {
  const o = roundOptions.parse(args);
  const a = operand("lax.round", x);
  const even = o.roundingMethod === 1 || o.roundingMethod === "TO_NEAREST_EVEN";
  return even ? un.roundEven(a) : un.round(a);
}

/**
 * `lax.polygamma(m, x)`: the m-th derivative of digamma; `m` is a non-negative integer.
 *
 * @example
 * lax.polygamma(1, np.array([1])); // [π²/6]
 */
export function polygamma(m: number, x: ArrayLike, ...rest: []): NdArray {
  noExtraArgs("lax.polygamma", rest);
  intArg("lax.polygamma", m, "m (the order)", 0);
  return un.polygamma(m, operand("lax.polygamma", x));
}

/**
 * `lax.integer_pow(x, y)`: xʸ for a static integer y, by repeated multiplication.
 *
 * @example
 * lax.integerPow(np.array([2, 3]), 3); // [8, 27]
 */
export function integerPow(x: ArrayLike, y: number, ...rest: []): NdArray {
  noExtraArgs("lax.integerPow", rest);
  intArg("lax.integerPow", y, "the exponent y");
  const a = operand("lax.integerPow", x);
  if (a.dtype === "bool") throw new DTypeError(`[lax.integerPow] unsupported dtype: got ${a.aval.str()}.`);
  if (y < 0 && !isFloat(a.dtype)) {
    throw new DTypeError(
      `[lax.integerPow] Integers cannot be raised to negative powers, got integer_pow(${a.aval.str()}, ${y}).`,
    );
  }
  let out: NdArray | null = null;
  let base = a;
  for (let n = Math.abs(y); n > 0; n = Math.floor(n / 2)) {
    if (n % 2 === 1) out = out ? ew.mul(out, base) : base;
    if (n > 1) base = ew.mul(base, base);
  }
  const pos = out ?? ew.convert(st.broadcastTo(ew.scalarLike(1, a), a.aval.shape), a.dtype, a.weakType);
  return y < 0 ? ew.div(ew.scalarLike(1, a), pos) : pos;
}

/** `lax.convert_element_type(operand, new_dtype)`. @example lax.convertElementType(x, "int32") */
export function convertElementType(x: ArrayLike, newDtype: DType, ...rest: []): NdArray {
  noExtraArgs("lax.convertElementType", rest);
  const d = checkDtype("lax.convertElementType", newDtype, "new_dtype");
  return ew.convert(operand("lax.convertElementType", x), d);
}

/**
 * `lax.stop_gradient(x)`: the identity, with zero derivative.
 *
 * @example
 * grad((x: number) => np.multiply(x, lax.stopGradient(x)))(3); // 3, not 6
 */
export function stopGradient(x: ArrayLike, ...rest: []): NdArray {
  noExtraArgs("lax.stopGradient", rest);
  return stopGradientPrim(operand("lax.stopGradient", x));
}

function predicate(op: string, pred: unknown, allowInt: boolean): NdArray {
  if (typeof pred === "number" && allowInt && Number.isInteger(pred)) return asArray(pred, "int32", op);
  const p = operand(op, pred);
  if (p.dtype !== "bool" && !(allowInt && p.dtype === "int32")) {
    throw new DTypeError(
      `[${op}] the predicate must be ${allowInt ? "bool or int32" : "boolean"}: got ${p.aval.str()}. Compare first (lax.gt(x, 0)).`,
    );
  }
  return p;
}

/**
 * `lax.select(pred, on_true, on_false)`: on_true where pred, else on_false; pred is boolean.
 *
 * @example
 * lax.select(np.array([true, false]), np.array([1, 2]), np.array([10, 20])); // [1, 20]
 */
export function select(pred: ArrayLike, onTrue: ArrayLike, onFalse: ArrayLike, ...rest: []): NdArray {
  noExtraArgs("lax.select", rest);
  const p = predicate("lax.select", pred, false);
  const [t, f] = operands("lax.select", [onTrue, onFalse]);
  return ew.selectN(p, [f, t]);
}

/**
 * `lax.select_n(which, *cases)`: `cases[which]` elementwise; `which` is bool (two cases at most)
 * or int32 (out-of-range indices pick the first or last case, as XLA's lowering does). The cases may also
 * be given as one JS array of Arrays: `lax.selectN(which, [a, b, c])`.
 *
 * @example
 * lax.selectN(np.array([0, 2, 1], { dtype: "int32" }), np.array([1, 1, 1]), np.array([2, 2, 2]), np.array([3, 3, 3])); // [1, 3, 2]
 */
export function selectN(which: ArrayLike, ...cases: (ArrayLike | readonly NdArray[])[]): NdArray {
  const op = "lax.selectN";
  const list =
    cases.length === 1 && Array.isArray(cases[0]) && cases[0].length > 0 && cases[0].every((c) => c instanceof NdArray)
      ? (cases[0] as NdArray[])
      : (cases as unknown[]);
  if (list.length === 0) throw new ArgumentTypeError(`[${op}] select_n called with no cases: expected at least one.`);
  const w = predicate(op, which, true);
  if (w.dtype === "bool" && list.length > 2) {
    throw new ArgumentTypeError(
      `[${op}] a boolean which selects between at most 2 cases: got ${list.length} cases. Use an int32 which.`,
    );
  }
  const cs = operands(op, list);
  if (cs.length === 1) return cs[0];
  // XLA's lowering compares which against split points: out-of-range indices pick the first or last case.
  const clamped = w.dtype === "int32" ? ew.max(ew.min(w, ew.scalarLike(cs.length - 1, w)), ew.scalarLike(0, w)) : w;
  return ew.selectN(clamped, cs);
}

// --- shapes --------------------------------------------------------------------------------

/** Options of `lax.full`. */
export interface FullOptions {
  /** The dtype; null or absent: that of the fill value (a JS number gives a weak float). */
  dtype?: DType | null;
}
const fullOptions = defineOptions("lax.full", { dtype: orNull(is.dtype) }, ["dtype"]);
/** `lax.full(shape, fill_value, dtype=None)`. @example lax.full([2, 3], 0, "int32") */
export function full(
  shape: readonly number[],
  fillValue: ArrayLike,
  ...args: OptArgs<[(DType | null)?], FullOptions>
): NdArray {
  const o = fullOptions.parse(args);
  const s = shapeArg("lax.full", shape);
  const v = asArray(fillValue, o.dtype ?? undefined, "lax.full");
  if (v.ndim !== 0) {
    throw new ShapeError(
      `[lax.full] full must be called with scalar fill_value, got fill_value.shape ${shapeStr(v.aval.shape)}.`,
    );
  }
  return s.length === 0 ? v : st.broadcastInDim(v, s, []);
}

/** Options of `lax.fullLike` (JAX: dtype, shape). */
export interface FullLikeOptions {
  /** The dtype; null or absent: x's (and x's weak type). */
  dtype?: DType | null;
  /** The shape; null or absent: x's. */
  shape?: number | readonly number[] | null;
}
const fullLikeOptions = defineOptions("lax.fullLike", { dtype: orNull(is.dtype), shape: orNull(is.shape) }, [
  "dtype",
  "shape",
]);
/**
 * `lax.full_like(x, fill_value, dtype=None, shape=None)`: an array of x's shape and dtype
 * (or the given ones) filled with the scalar `fillValue`; weakly typed when x is and no dtype is given.
 * @example lax.fullLike(x, 0); lax.fullLike(x, 1, "int32", [2, 2])
 */
export function fullLike(
  x: ArrayLike,
  fillValue: ArrayLike,
  ...args: OptArgs<[(DType | null)?, (number | readonly number[] | null)?], FullLikeOptions>
): NdArray {
  const op = "lax.fullLike";
  const o = fullLikeOptions.parse(args);
  const a = operand(op, x);
  const s = o.shape == null ? [...a.aval.shape] : typeof o.shape === "number" ? [o.shape] : [...o.shape];
  const dtype = o.dtype ?? a.dtype;
  const weak = o.dtype == null && a.weakType;
  let v: NdArray;
  if (typeof fillValue === "number" || typeof fillValue === "boolean") {
    v = fromValues([Number(fillValue)], [], dtype, weak);
  } else {
    const f = operand(op, fillValue);
    if (f.ndim !== 0) {
      throw new ShapeError(
        `[${op}] full must be called with scalar fill_value, got fill_value.shape ${shapeStr(f.aval.shape)}.`,
      );
    }
    v = f.dtype === dtype && f.weakType === weak ? f : ew.convert(f, dtype, weak);
  }
  return s.length === 0 ? v : st.broadcastInDim(v, s, []);
}

/** Options of `lax.reshape`. */
export interface ReshapeOptions {
  /** A permutation applied before reshaping (JAX's `dimensions`); null: none. */
  dimensions?: readonly number[] | null;
}
const reshapeOptions = defineOptions("lax.reshape", { dimensions: orNull(is.axes) }, ["dimensions"]);
/**
 * `lax.reshape(operand, new_sizes, dimensions=None)`: no -1 (give every size).
 *
 * @example
 * lax.reshape(np.arange(6), [2, 3]); // [[0, 1, 2], [3, 4, 5]]
 */
export function reshape(
  x: ArrayLike,
  newSizes: readonly number[],
  ...args: OptArgs<[(readonly number[] | null)?], ReshapeOptions>
): NdArray {
  const o = reshapeOptions.parse(args);
  const a = operand("lax.reshape", x);
  const sizes = shapeArg("lax.reshape", newSizes, "new_sizes");
  let src = a;
  if (o.dimensions !== undefined && o.dimensions !== null) {
    const dims = typeof o.dimensions === "number" ? [o.dimensions] : [...o.dimensions];
    if (!isPermutation(dims, a.ndim)) {
      throw new AxisError(
        `[lax.reshape] dimensions must be a permutation of the operand's axes: got ${shapeStr(dims)} for ${a.aval.str()}.`,
      );
    }
    src = st.transpose(a, dims);
  }
  if (shapeSize(sizes) !== a.size) {
    throw new ShapeError(
      `[lax.reshape] reshape total size must be unchanged, got new_sizes ${shapeStr(sizes)} (size ${shapeSize(sizes)}) ` +
        `for shape ${shapeStr(a.aval.shape)} (size ${a.size}).`,
    );
  }
  return st.reshape(src, sizes);
}

/**
 * `lax.transpose(operand, permutation)`.
 *
 * @example
 * lax.transpose(np.ones([2, 3]), [1, 0]).shape; // [3, 2]
 */
export function transpose(x: ArrayLike, permutation: readonly number[], ...rest: []): NdArray {
  noExtraArgs("lax.transpose", rest);
  const a = operand("lax.transpose", x);
  const p = intList("lax.transpose", permutation, "permutation");
  if (!isPermutation(p, a.ndim)) {
    throw new AxisError(
      `[lax.transpose] transpose permutation isn't a permutation of operand dimensions, got permutation ${shapeStr(p)} ` +
        `for operand shape ${shapeStr(a.aval.shape)}.`,
    );
  }
  return st.transpose(a, p);
}

/** `lax.broadcast_in_dim(operand, shape, broadcast_dimensions)`. @example lax.broadcastInDim(x, [2, 3], [1]) */
export function broadcastInDim(
  x: ArrayLike,
  shape: readonly number[],
  broadcastDimensions: readonly number[],
  ...rest: []
): NdArray {
  const op = "lax.broadcastInDim";
  noExtraArgs(op, rest);
  const a = operand(op, x);
  const s = shapeArg(op, shape);
  const bd = intList(op, broadcastDimensions, "broadcast_dimensions");
  if (bd.length !== a.ndim) {
    throw new ShapeError(
      `[${op}] broadcast_dimensions must have length equal to operand ndim: got broadcast_dimensions ${shapeStr(bd)} for operand ndim ${a.ndim}.`,
    );
  }
  if (bd.some((d) => d < 0 || d >= s.length)) {
    throw new AxisError(
      `[${op}] broadcast_dimensions must be in [0, ${s.length}) for shape ${shapeStr(s)}: got ${shapeStr(bd)}.`,
    );
  }
  if (bd.some((d, i) => i > 0 && d <= bd[i - 1])) {
    throw new AxisError(`[${op}] broadcast_dimensions must be strictly increasing: got ${shapeStr(bd)}.`);
  }
  if (bd.some((d, i) => a.aval.shape[i] !== 1 && a.aval.shape[i] !== s[d])) {
    throw new ShapeError(
      `[${op}] operand dimension sizes must either be 1, or be equal to their corresponding dimensions in the target ` +
        `broadcast shape: got operand shape ${shapeStr(a.aval.shape)}, shape ${shapeStr(s)}, broadcast_dimensions ${shapeStr(bd)}.`,
    );
  }
  return st.broadcastInDim(a, s, bd);
}

/**
 * `lax.reduce_sum(operand, axes)`.
 *
 * @example
 * lax.reduceSum(np.ones([2, 3]), [1]); // [3, 3]
 */
export function reduceSum(x: ArrayLike, axes: readonly number[], ...rest: []): NdArray {
  noExtraArgs("lax.reduceSum", rest);
  const a = operand("lax.reduceSum", x);
  if (a.dtype === "bool") throw new DTypeError(`[lax.reduceSum] unsupported dtype: got ${a.aval.str()}.`);
  return reduceSumPrim(a, axesArg("lax.reduceSum", axes, a.ndim));
}

// --- dot_general -------------------------------------------------------------------------

/** `((lhs_contracting, rhs_contracting), (lhs_batch, rhs_batch))`. */
export type DotDimensionNumbers = readonly [
  readonly [readonly number[], readonly number[]],
  readonly [readonly number[], readonly number[]],
];
type PrecisionName = "DEFAULT" | "HIGH" | "HIGHEST";
/** Options of `lax.dotGeneral`. */
export interface DotGeneralOptions {
  /** Accepted for JAX compatibility: cotangent always computes at full precision of the dtype. */
  precision?: PrecisionName | readonly [PrecisionName, PrecisionName] | null;
  /** The dtype to compute and return in (operands are converted to it); null: the operands'. */
  preferredElementType?: DType | null;
}
const precisionName = oneOf("DEFAULT", "HIGH", "HIGHEST");
const dotGeneralOptions = defineOptions(
  "lax.dotGeneral",
  {
    precision: orNull(
      either(
        precisionName,
        check<readonly [PrecisionName, PrecisionName]>(
          "a pair of them",
          (v) => Array.isArray(v) && v.length === 2 && v.every((p) => precisionName.test(p)),
        ),
      ),
    ),
    preferredElementType: orNull(is.dtype),
  },
  ["precision", "preferredElementType"],
);

/**
 * `lax.dot_general(lhs, rhs, dimension_numbers, precision=None, preferred_element_type=None)`.
 * @example lax.dotGeneral(a, b, [[[1], [0]], [[], []]]) // a matrix product
 */
export function dotGeneral(
  lhs: ArrayLike,
  rhs: ArrayLike,
  dimensionNumbers: DotDimensionNumbers,
  ...args: OptArgs<[DotGeneralOptions["precision"], (DType | null)?], DotGeneralOptions>
): NdArray {
  const op = "lax.dotGeneral";
  const o = dotGeneralOptions.parse(args);
  let [l, r] = operands(op, [lhs, rhs]);
  const dn = dimensionNumbers as unknown;
  const pairOk = (p: unknown) => Array.isArray(p) && p.length === 2 && p.every(isIntList);
  if (!Array.isArray(dn) || dn.length !== 2 || !dn.every(pairOk)) {
    throw new ArgumentTypeError(
      `[${op}] dimension_numbers must be [[lhs_contracting, rhs_contracting], [lhs_batch, rhs_batch]] (arrays of integer axes): ` +
        `got ${describeValue(dn)}.`,
    );
  }
  const [[lc, rc], [lb, rb]] = dimensionNumbers;
  const lAxes = normalizeAxes(op, [...lc, ...lb], l.ndim);
  const rAxes = normalizeAxes(op, [...rc, ...rb], r.ndim);
  if (lc.length !== rc.length || lb.length !== rb.length) {
    throw new ShapeError(
      `[${op}] dot_general requires equal numbers of lhs and rhs contracting and batch dimensions: got contracting ` +
        `${shapeStr(lc)}/${shapeStr(rc)} and batch ${shapeStr(lb)}/${shapeStr(rb)}.`,
    );
  }
  if (o.preferredElementType) {
    l = ew.convert(l, o.preferredElementType);
    r = ew.convert(r, o.preferredElementType);
  }
  const nc = lc.length;
  return dotGeneralPrim(l, r, {
    contracting: [lAxes.slice(0, nc), rAxes.slice(0, nc)],
    batch: [lAxes.slice(nc), rAxes.slice(nc)],
  });
}

/** `lax.iota(dtype, size)`: [0, 1, ..., size - 1]. @example lax.iota("int32", 4) */
export function iota(dtype: DType, size: number, ...rest: []): NdArray {
  noExtraArgs("lax.iota", rest);
  const d = checkDtype("lax.iota", dtype);
  if (!Number.isInteger(size) || size < 0) {
    throw new ShapeError(`[lax.iota] size must be a non-negative integer: got ${describeValue(size)}.`);
  }
  return iotaPrim(d, [size], 0);
}

// --- slicing -------------------------------------------------------------------------------

/** Options of `lax.slice`. */
export interface SliceOptions {
  /** A positive step per axis; null: 1 on every axis. */
  strides?: readonly number[] | null;
}
const intArray = check<readonly number[]>("an array of integers", isIntList);
const sliceOptions = defineOptions("lax.slice", { strides: orNull(intArray) }, ["strides"]);
/** `lax.slice(operand, start_indices, limit_indices, strides=None)`. @example lax.slice(x, [0, 1], [2, 3]) */
export function slice(
  x: ArrayLike,
  startIndices: readonly number[],
  limitIndices: readonly number[],
  ...args: OptArgs<[(readonly number[] | null)?], SliceOptions>
): NdArray {
  const op = "lax.slice";
  const o = sliceOptions.parse(args);
  const a = operand(op, x);
  const p = {
    startIndices: intList(op, startIndices, "start_indices"),
    limitIndices: intList(op, limitIndices, "limit_indices"),
    strides: o.strides ? [...o.strides] : a.aval.shape.map(() => 1),
  };
  sl.checkSlice(op, a.aval.shape, p);
  return sl.slice(a, { startIndices: [...p.startIndices], limitIndices: [...p.limitIndices], strides: p.strides });
}

/** Options of `lax.sliceInDim`. */
export interface SliceInDimOptions {
  /** The step (positive; default 1). */
  stride?: number;
  /** The axis to slice (default 0). */
  axis?: number;
}
const sliceInDimOptions = defineOptions("lax.sliceInDim", { stride: is.positiveInt, axis: is.axis }, [
  "stride",
  "axis",
]);
/**
 * `lax.slice_in_dim(operand, start_index, limit_index, stride=1, axis=0)`: x[start:limit:stride] along one axis;
 * null indices mean the ends, negative ones count from the end. @example lax.sliceInDim(x, 1, null, 2, 1)
 */
export function sliceInDim(
  x: ArrayLike,
  startIndex: number | null,
  limitIndex: number | null,
  ...args: OptArgs<[number?, number?], SliceInDimOptions>
): NdArray {
  const op = "lax.sliceInDim";
  const o = sliceInDimOptions.parse(args);
  const a = operand(op, x);
  const axis = normalizeAxis(op, o.axis ?? 0, a.ndim);
  const n = a.aval.shape[axis];
  const index = (v: unknown, dflt: number, what: string) => {
    if (v === null || v === undefined) return dflt;
    const i = intArg(op, v, what);
    return i < 0 ? i + n : i;
  };
  const start = index(startIndex, 0, "start_index");
  const limit = index(limitIndex, n, "limit_index");
  const p = {
    startIndices: a.aval.shape.map((_, i) => (i === axis ? start : 0)),
    limitIndices: a.aval.shape.map((d, i) => (i === axis ? limit : d)),
    strides: a.aval.shape.map((_, i) => (i === axis ? (o.stride ?? 1) : 1)),
  };
  sl.checkSlice(op, a.aval.shape, p);
  return sl.slice(a, p);
}

/** One `[low, high, interior]` padding per axis; low and high may be negative (they crop). */
export type PaddingConfig = readonly (readonly [number, number, number])[];
/**
 * `lax.pad(operand, padding_value, padding_config)`: `low` and `high` values before and after
 * each axis (negative: crop), `interior` values between elements. @example lax.pad(x, 0, [[1, 1, 0]])
 */
export function pad(x: ArrayLike, paddingValue: ArrayLike, paddingConfig: PaddingConfig, ...rest: []): NdArray {
  const op = "lax.pad";
  noExtraArgs(op, rest);
  const a = operand(op, x);
  const v =
    typeof paddingValue === "number" || typeof paddingValue === "boolean"
      ? asArray(paddingValue, a.dtype, op)
      : operand(op, paddingValue);
  if (v.ndim !== 0) throw new ShapeError(`[${op}] padding_value must be a scalar: got ${v.aval.str()}.`);
  if (v.dtype !== a.dtype) {
    throw new DTypeError(
      `[${op}] operand and padding_value must have the same dtype: got ${a.aval.str()} and ${v.aval.str()}.`,
    );
  }
  const config = sl.checkPadConfig(op, a.aval.shape, paddingConfig);
  const padded = sl.pad(
    a,
    v,
    config.map(([lo, hi, interior]) => [Math.max(lo, 0), Math.max(hi, 0), interior]),
  );
  if (config.every(([lo, hi]) => lo >= 0 && hi >= 0)) return padded;
  const shape = padded.aval.shape;
  return sl.slice(padded, {
    startIndices: config.map(([lo]) => Math.max(-lo, 0)),
    limitIndices: config.map(([, hi], i) => shape[i] - Math.max(-hi, 0)),
    strides: config.map(() => 1),
  });
}

/**
 * `lax.concatenate(operands, dimension)`: operands of one dtype and rank, joined along `dimension`.
 *
 * @example
 * lax.concatenate([np.array([1, 2]), np.array([3])], 0); // [1, 2, 3]
 */
export function concatenate(xs: readonly ArrayLike[], dimension: number, ...rest: []): NdArray {
  const op = "lax.concatenate";
  noExtraArgs(op, rest);
  if (!Array.isArray(xs)) {
    throw new ArgumentTypeError(`[${op}] operands must be a JS array of arrays: got ${describeValue(xs)}.`);
  }
  if (xs.length === 0) throw new ArgumentTypeError(`[${op}] concatenate requires at least one operand: got none.`);
  const arrays = xs.map((x) => operand(op, x));
  const first = arrays[0];
  if (first.ndim === 0) throw new ShapeError(`[${op}] cannot concatenate scalars: got ${first.aval.str()}.`);
  const d = axisArg(op, dimension, first.ndim, "dimension");
  for (const b of arrays) {
    if (b.dtype !== first.dtype) {
      throw new DTypeError(
        `[${op}] concatenate requires operands to have the same dtype: got ${arrays.map((c) => c.aval.str()).join(", ")}.`,
      );
    }
    if (b.ndim !== first.ndim || b.aval.shape.some((n, i) => i !== d && n !== first.aval.shape[i])) {
      throw new ShapeError(
        `[${op}] all input arrays must have the same shape except along dimension ${d}: got ${arrays.map((c) => c.aval.str()).join(", ")}.`,
      );
    }
  }
  return sl.concatenate(arrays, d);
}

/**
 * `lax.rev(operand, dimensions)`: reverses the order of elements along the given axes.
 *
 * @example
 * lax.rev(np.array([1, 2, 3]), [0]); // [3, 2, 1]
 */
export function rev(x: ArrayLike, dimensions: readonly number[], ...rest: []): NdArray {
  noExtraArgs("lax.rev", rest);
  const a = operand("lax.rev", x);
  return sl.rev(a, axesArg("lax.rev", dimensions, a.ndim, "dimensions"));
}

// --- cumulative reductions and sort -----------------------------------------------------------

/** Options of `lax.cumsum`, `lax.cumprod`, `lax.cummax`, `lax.cummin`. */
export interface CumulativeOptions {
  /** The axis to accumulate along (default 0; negative counts from the end). */
  axis?: number;
  /** Accumulate from the end. */
  reverse?: boolean;
}
const cumChecks = { axis: is.axis, reverse: is.bool };
const cumulative = (name: "cumsum" | "cumprod" | "cummax" | "cummin") => {
  const opts = defineOptions(`lax.${name}`, cumChecks, ["axis", "reverse"]);
  return (x: ArrayLike, ...args: OptArgs<[number?, boolean?], CumulativeOptions>): NdArray => {
    const o = opts.parse(args);
    const a = operand(`lax.${name}`, x);
    const axis = normalizeAxis(`lax.${name}`, o.axis ?? 0, a.ndim);
    if (a.dtype === "bool") throw new DTypeError(`[lax.${name}] unsupported dtype: got ${a.aval.str()}.`);
    return cum[name](a, axis, o.reverse ?? false);
  };
};
/** `lax.cumsum(operand, axis=0, reverse=False)`. @example lax.cumsum(x, 1, true) */
export const cumsum = cumulative("cumsum");
/**
 * `lax.cumprod(operand, axis=0, reverse=False)`.
 *
 * @example
 * lax.cumprod(np.array([1, 2, 3])); // [1, 2, 6]
 */
export const cumprod = cumulative("cumprod");
/**
 * `lax.cummax(operand, axis=0, reverse=False)`.
 *
 * @example
 * lax.cummax(np.array([1, 3, 2])); // [1, 3, 3]
 */
export const cummax = cumulative("cummax");
/**
 * `lax.cummin(operand, axis=0, reverse=False)`.
 *
 * @example
 * lax.cummin(np.array([3, 1, 2]), { reverse: true }); // [1, 1, 2]
 */
export const cummin = cumulative("cummin");

/** Options of `lax.sort`. */
export interface SortOptions {
  /** The axis to sort along (default -1). */
  dimension?: number;
  /** Accepted for JAX compatibility: the sort is always stable. */
  isStable?: boolean;
  /** How many leading operands are the (lexicographic) keys (default 1). */
  numKeys?: number;
}
const sortOptions = defineOptions("lax.sort", { dimension: is.axis, isStable: is.bool, numKeys: is.positiveInt }, [
  "dimension",
  "isStable",
  "numKeys",
]);
/**
 * `lax.sort(operand, dimension=-1, is_stable=True, num_keys=1)`. One Array gives one sorted Array;
 * a JS array of operands (one shape) gives a JS array, all permuted by the first `numKeys`.
 * @example const [k, v] = lax.sort([keys, values], 0)
 */
export function sort(x: NdArray, ...args: OptArgs<[number?, boolean?, number?], SortOptions>): NdArray;
export function sort(
  operands: readonly ArrayLike[],
  ...args: OptArgs<[number?, boolean?, number?], SortOptions>
): NdArray[];
export function sort(
  x: ArrayLike | readonly ArrayLike[],
  ...args: OptArgs<[number?, boolean?, number?], SortOptions>
): NdArray | NdArray[] {
  const op = "lax.sort";
  const o = sortOptions.parse(args);
  const single = !Array.isArray(x);
  const xs = (single ? [x] : (x as unknown[])).map((v) => operand(op, v));
  if (xs.length === 0) throw new ArgumentTypeError(`[${op}] sort requires at least one operand: got none.`);
  const numKeys = o.numKeys ?? 1;
  if (numKeys > xs.length) {
    throw new ArgumentTypeError(
      `[${op}] num_keys must be at most the number of operands: got num_keys=${numKeys} for ${xs.length} operand(s).`,
    );
  }
  const shape = xs[0].aval.shape;
  if (xs.some((a) => a.ndim !== shape.length || a.aval.shape.some((n, i) => n !== shape[i]))) {
    throw new ShapeError(
      `[${op}] sort operands must all have the same shape: got ${xs.map((a) => a.aval.str()).join(", ")}.`,
    );
  }
  if (xs[0].ndim === 0) {
    throw new AxisError(
      `[${op}] cannot sort a scalar: got ${xs[0].aval.str()}.${single ? "" : " A JS array is a list of operands: give one Array (np.array([...])) to sort its elements."}`,
    );
  }
  const dimension = normalizeAxis(op, o.dimension ?? -1, shape.length);
  const out = sortPrim(xs, { dimension, numKeys });
  return single ? out[0] : out;
}
export * from "./conv.js";
export { reduceWindow } from "./reduce-window.js";
export type { ReduceWindowOptions, WindowBody, WindowComputation } from "./reduce-window.js";
