/** `cotangent.nn`: JAX's `jax.nn` activations and softmax family. */
import type { NdArray, ArrayLike } from "../core/array.js";
import { defaultFloat, type DType } from "../core/dtypes.js";
import { ArgumentTypeError, ShapeError } from "../core/errors.js";
import { defineOptions, describeValue, is, noExtraArgs, orNull, type OptArgs } from "../core/options.js";
import * as np from "../numpy/index.js";
import { stopGradient } from "../primitives/stop-gradient.js";
import { erfc, logistic, rsqrt } from "../primitives/unary.js";
import { asArray, promoteToFloat } from "../primitives/as-array.js";
import { broadcastShapes, normalizeAxes, normalizeAxis, range } from "../primitives/shapes.js";

/** The input of `op` as a float array (integers and bools become the default float, as before). */
const f = (op: string, x: unknown): NdArray => promoteToFloat(op, [x])[0];

type Activation = (x: ArrayLike, ...rest: []) => NdArray;
const activation =
  (name: string, fn: (a: NdArray) => NdArray): Activation =>
  (x, ...rest) => {
    noExtraArgs(`nn.${name}`, rest);
    return fn(f(`nn.${name}`, x));
  };

/** `jax.nn.relu(x)`: max(x, 0), with derivative 0 at 0 (as JAX); NaN stays NaN. @example nn.relu(x) */
export const relu = activation("relu", (a) => np.where(np.lessEqual(a, 0), 0, a));
/**
 * `jax.nn.relu6(x)`: min(max(x, 0), 6), with derivative 0 at 0 and at 6 (as JAX).
 *
 * @example
 * nn.relu6(np.array([-1, 3, 8])); // [0, 3, 6]
 */
export const relu6 = activation("relu6", (a) => np.where(np.greaterEqual(a, 6), 6, np.where(np.lessEqual(a, 0), 0, a)));
/**
 * `jax.nn.sigmoid(x)`: σ(x) = 1 / (1 + e⁻ˣ).
 *
 * @example
 * nn.sigmoid(np.array([0, 100])); // [0.5, 1]
 */
export const sigmoid = activation("sigmoid", (a) => logistic(a));
/**
 * `jax.nn.softplus(x)`: log(1 + eˣ), computed stably as logaddexp(x, 0).
 *
 * @example
 * nn.softplus(np.array([0, 100])); // [0.6931472, 100]
 */
export const softplus = activation("softplus", (a) => np.logaddexp(a, 0));
/**
 * `jax.nn.log_sigmoid(x)`: log σ(x) = -softplus(-x).
 *
 * @example
 * nn.logSigmoid(np.array([0])); // [-0.6931472]
 */
export const logSigmoid = activation("logSigmoid", (a) => np.negative(np.logaddexp(np.negative(a), 0)));
/**
 * `jax.nn.silu(x)`: x·σ(x).
 *
 * @example
 * nn.silu(np.array([0, 1])); // [0, 0.7310586]
 */
export const silu = activation("silu", (a) => np.multiply(a, logistic(a)));
/**
 * `jax.nn.swish(x)`: the same as {@link silu}.
 *
 * @example
 * nn.swish(np.array([1])); // [0.7310586]
 */
export const swish = silu;
/**
 * `jax.nn.selu(x)`: scale·elu(x, α) with JAX's constants.
 *
 * @example
 * nn.selu(np.array([-1, 1])); // [-1.1113307, 1.050701]
 */
export const selu = activation("selu", (a) => np.multiply(1.0507009873554805, eluOf(a, 1.6732632423543772)));
/**
 * `jax.nn.hard_tanh(x)`: -1 below -1, 1 above 1, x between (derivative 1 at ±1, as JAX).
 *
 * @example
 * nn.hardTanh(np.array([-2, 0.5, 2])); // [-1, 0.5, 1]
 */
export const hardTanh = activation("hardTanh", (a) => np.where(np.greater(a, 1), 1, np.where(np.less(a, -1), -1, a)));
/**
 * `jax.nn.soft_sign(x)`: x / (|x| + 1).
 *
 * @example
 * nn.softSign(np.array([-1, 3])); // [-0.5, 0.75]
 */
export const softSign = activation("softSign", (a) => np.divide(a, np.add(np.abs(a), 1)));

/** Options of `nn.gelu`. */
export interface GeluOptions {
  /** Use the tanh approximation (JAX's default: true); false: the exact ½x·erfc(-x/√2). */
  approximate?: boolean;
}
const geluOptions = defineOptions("nn.gelu", { approximate: is.bool }, ["approximate"]);
/**
 * `jax.nn.gelu(x, approximate=True)`. Approximate: ½x(1 + tanh(√(2/π)(x + 0.044715x³)));
 * exact: ½x·erfc(-x/√2). @example nn.gelu(x, { approximate: false })
 */
export function gelu(x: ArrayLike, ...args: OptArgs<[boolean?], GeluOptions>): NdArray {
  const o = geluOptions.parse(args);
  const a = f("nn.gelu", x);
  if (o.approximate ?? true) {
    const inner = np.multiply(
      Math.sqrt(2 / Math.PI),
      np.add(a, np.multiply(0.044715, np.multiply(a, np.multiply(a, a)))),
    );
    return np.multiply(np.multiply(0.5, a), np.add(1, np.tanh(inner)));
  }
  return np.multiply(a, np.divide(erfc(np.multiply(a, -Math.SQRT1_2)), 2));
}

function eluOf(a: NdArray, alpha: number): NdArray {
  const pos = np.greater(a, 0);
  return np.where(pos, a, np.multiply(alpha, np.expm1(np.where(pos, 0, a))));
}

/** Options of `nn.elu` and `nn.celu`. */
export interface AlphaOptions {
  /** α (default 1). */
  alpha?: number;
}
const eluOptions = defineOptions("nn.elu", { alpha: is.number }, ["alpha"]);
/**
 * `jax.nn.elu(x, alpha=1.0)`: x for x > 0, α(eˣ - 1) otherwise.
 *
 * @example
 * nn.elu(np.array([-1, 2])); // [-0.63212055, 2]
 * nn.elu(np.array([-1]), { alpha: 2 }); // [-1.2642411]
 */
export function elu(x: ArrayLike, ...args: OptArgs<[number?], AlphaOptions>): NdArray {
  const o = eluOptions.parse(args);
  return eluOf(f("nn.elu", x), o.alpha ?? 1);
}

const celuOptions = defineOptions("nn.celu", { alpha: is.number }, ["alpha"]);
/**
 * `jax.nn.celu(x, alpha=1.0)`: max(x, 0) + α·expm1(min(x, 0)/α).
 *
 * @example
 * nn.celu(np.array([-1, 2]), 0.5); // [-0.43233237, 2]
 */
export function celu(x: ArrayLike, ...args: OptArgs<[number?], AlphaOptions>): NdArray {
  const o = celuOptions.parse(args);
  const a = f("nn.celu", x);
  const alpha = o.alpha ?? 1;
  return np.add(np.maximum(a, 0), np.multiply(alpha, np.expm1(np.divide(np.minimum(a, 0), alpha))));
}

/** Options of `nn.leakyRelu`. */
export interface LeakyReluOptions {
  /** The slope for x < 0 (default 0.01). */
  negativeSlope?: number;
}
const leakyReluOptions = defineOptions("nn.leakyRelu", { negativeSlope: is.number }, ["negativeSlope"]);
/**
 * `jax.nn.leaky_relu(x, negative_slope=0.01)`: x for x ≥ 0, negativeSlope·x otherwise.
 *
 * @example
 * nn.leakyRelu(np.array([-10, 2])); // [-0.1, 2]
 * nn.leakyRelu(np.array([-10]), { negativeSlope: 0.2 }); // [-2]
 */
export function leakyRelu(x: ArrayLike, ...args: OptArgs<[number?], LeakyReluOptions>): NdArray {
  const o = leakyReluOptions.parse(args);
  const a = f("nn.leakyRelu", x);
  return np.where(np.greaterEqual(a, 0), a, np.multiply(o.negativeSlope ?? 0.01, a));
}

// --- softmax family ---------------------------------------------------------------------------

/** An axis, several, or null (all). */
type AxisArg = number | readonly number[] | null;

function axesOf(op: string, a: NdArray, axis: AxisArg | undefined, dflt: AxisArg): number[] {
  const ax = axis === undefined ? dflt : axis;
  if (ax === null) return range(a.ndim);
  return normalizeAxes(op, typeof ax === "number" ? [ax] : ax, a.ndim);
}

/** The `where` mask as a bool array of a's shape (it must broadcast to it). */
function maskOf(op: string, a: NdArray, where: ArrayLike): NdArray {
  const m = asArray(where, undefined, op);
  const b = m.dtype === "bool" ? m : np.notEqual(m, 0);
  const shape = broadcastShapes(op, b.shape, a.shape);
  if (shape.length !== a.ndim || shape.some((n, i) => n !== a.shape[i])) {
    throw new ShapeError(
      `[${op}] where mask of shape ${b.aval.str()} does not broadcast to the input's shape ${a.aval.str()}: expected a mask that broadcasts to it.`,
    );
  }
  return np.broadcastTo(b, a.shape);
}

/** Options of `nn.softmax` and `nn.logSoftmax`. */
export interface SoftmaxOptions {
  /** The axis or axes to normalise over (default -1); null: all. */
  axis?: AxisArg;
  /** Elements to include (a bool mask broadcasting to x); excluded ones give 0 (softmax) or -inf (logSoftmax). */
  where?: ArrayLike | null;
}
const softmaxChecks = { axis: orNull(is.axes), where: orNull(is.arrayLike) };
const softmaxOptions = defineOptions("nn.softmax", softmaxChecks, ["axis", "where"]);
const logSoftmaxOptions = defineOptions("nn.logSoftmax", softmaxChecks, ["axis", "where"]);

/** `jax.nn.softmax(x, axis=-1, where=None)`: exp(x - max) / Σ exp(x - max). @example nn.softmax(logits, { axis: 1 }) */
export function softmax(x: ArrayLike, ...args: OptArgs<[AxisArg?, (ArrayLike | null)?], SoftmaxOptions>): NdArray {
  const op = "nn.softmax";
  const o = softmaxOptions.parse(args);
  const a = f(op, x);
  const axes = axesOf(op, a, o.axis, -1);
  const mask = o.where === undefined || o.where === null ? null : maskOf(op, a, o.where);
  const xMax = np.max(a, { axis: axes, keepdims: true, where: mask, initial: -Infinity });
  const safe = mask ? np.where(mask, a, -Infinity) : a;
  const unnormalized = np.exp(np.subtract(safe, stopGradient(xMax)));
  const result = np.divide(unnormalized, np.sum(unnormalized, { axis: axes, keepdims: true, where: mask }));
  return mask ? np.where(mask, result, 0) : result;
}

/**
 * `jax.nn.log_softmax(x, axis=-1, where=None)`: (x - max) - log Σ exp(x - max).
 *
 * @example
 * nn.logSoftmax(np.array([0, 0])); // [-0.6931472, -0.6931472]
 * nn.logSoftmax(np.array([[1, 2], [3, 4]]), { axis: 0 });
 */
export function logSoftmax(x: ArrayLike, ...args: OptArgs<[AxisArg?, (ArrayLike | null)?], SoftmaxOptions>): NdArray {
  const op = "nn.logSoftmax";
  const o = logSoftmaxOptions.parse(args);
  const a = f(op, x);
  const axes = axesOf(op, a, o.axis, -1);
  const mask = o.where === undefined || o.where === null ? null : maskOf(op, a, o.where);
  const xMax = np.max(a, { axis: axes, keepdims: true, where: mask, initial: -Infinity });
  const safe = mask ? np.where(mask, a, -Infinity) : a;
  const shifted = np.subtract(safe, stopGradient(xMax));
  const result = np.subtract(shifted, np.log(np.sum(np.exp(shifted), { axis: axes, keepdims: true, where: mask })));
  return mask ? np.where(mask, result, -Infinity) : result;
}

/** Options of `logsumexp` (`nn.logsumexp` = `scipy.special.logsumexp`). */
export interface LogsumexpOptions {
  /** The axis or axes to reduce; null or absent: all. */
  axis?: AxisArg;
  /** Scale factors for exp(a), broadcasting to a: log Σ b·exp(a). */
  b?: ArrayLike | null;
  /** Keep the reduced axes as length-1 axes. */
  keepdims?: boolean;
  /** Return `[log |Σ|, sign(Σ)]` instead of NaN where the sum is negative. */
  returnSign?: boolean;
  /** Elements to include (a bool mask broadcasting to a). */
  where?: ArrayLike | null;
}
type LogsumexpPositional = [AxisArg?, (ArrayLike | null)?, boolean?, boolean?, (ArrayLike | null)?];

/** `logsumexp`'s call signatures: a pair `[value, sign]` when `returnSign` is true. */
export interface Logsumexp {
  (a: ArrayLike, options: LogsumexpOptions & { returnSign: true }): [NdArray, NdArray];
  (a: ArrayLike, axis: AxisArg | undefined, options: LogsumexpOptions & { returnSign: true }): [NdArray, NdArray];
  (
    a: ArrayLike,
    axis: AxisArg | undefined,
    b: ArrayLike | null | undefined,
    keepdims: boolean | undefined,
    returnSign: true,
    where?: ArrayLike | null,
  ): [NdArray, NdArray];
  (a: ArrayLike, ...args: OptArgs<LogsumexpPositional, LogsumexpOptions & { returnSign?: false }>): NdArray;
}

const logsumexpChecks = {
  axis: orNull(is.axes),
  b: orNull(is.arrayLike),
  keepdims: is.bool,
  returnSign: is.bool,
  where: orNull(is.arrayLike),
};
const logsumexpOrder = ["axis", "b", "keepdims", "returnSign", "where"] as const;

/**
 * No JAX twin: builds JAX's logsumexp (`jax.nn.logsumexp`, from jax/_src/ops/special.py) under
 * the operation name `op`, used in error messages; `nn.logsumexp` and
 * `scipy.special.logsumexp` are made with it.
 *
 * @example
 * const lse = nn.makeLogsumexp("myLogsumexp");
 * lse(np.array([0, 0])); // 0.6931472
 */
export function makeLogsumexp(op: string): Logsumexp {
  const options = defineOptions(op, logsumexpChecks, logsumexpOrder);
  return ((x: ArrayLike, ...args: unknown[]): NdArray | [NdArray, NdArray] => {
    const o = options.parse(args);
    const hasB = o.b !== undefined && o.b !== null;
    const [a0, b] = hasB ? promoteToFloat(op, [x, o.b]) : [f(op, x), null];
    let a = a0;
    if (b) {
      broadcastShapes(op, a.shape, b.shape);
      a = np.where(np.notEqual(b, 0), a, -Infinity);
    }
    const axes = axesOf(op, a, o.axis, null);
    const keepdims = o.keepdims ?? false;
    const mask = o.where === undefined || o.where === null ? null : maskOf(op, a, o.where);
    const amax0 = np.max(a, { axis: axes, keepdims, where: mask, initial: -Infinity });
    const amax = stopGradient(np.where(np.isfinite(amax0), amax0, 0));
    const amaxWithDims = keepdims ? amax : np.expandDims(amax, axes);
    let expA = np.exp(np.subtract(a, amaxWithDims));
    if (b) expA = np.multiply(expA, b);
    const sumexp = np.sum(expA, { axis: axes, keepdims, where: mask });
    const sign = np.sign(sumexp);
    const out = np.add(np.log(np.abs(sumexp)), amax);
    if (o.returnSign) return [out, sign];
    return b ? np.where(np.less(sign, 0), NaN, out) : out;
  }) as Logsumexp;
}

/**
 * `jax.nn.logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False, where=None)`:
 * log Σ b·exp(a), computed stably (the max is held constant, and replaced by 0 where not finite).
 * @example const [value, sign] = nn.logsumexp(a, { b: weights, returnSign: true })
 */
export const logsumexp: Logsumexp = makeLogsumexp("nn.logsumexp");

/** Options of `nn.oneHot` (keyword-only in JAX). */
export interface OneHotOptions {
  /** The output dtype (default: the default float). */
  dtype?: DType;
  /** Where the new class axis goes (default -1, the end). */
  axis?: number;
}
const oneHotOptions = defineOptions("nn.oneHot", { dtype: is.dtype, axis: is.axis }, []);
/** `jax.nn.one_hot(x, num_classes, *, dtype=float, axis=-1)`: x[..., None] == arange(num_classes). @example nn.oneHot(labels, 10) */
export function oneHot(x: ArrayLike, numClasses: number, ...args: OptArgs<[], OneHotOptions>): NdArray {
  const op = "nn.oneHot";
  const o = oneHotOptions.parse(args);
  if (!Number.isInteger(numClasses) || numClasses < 0) {
    throw new ArgumentTypeError(
      `[${op}] num_classes must be a non-negative integer: got ${describeValue(numClasses)}.`,
    );
  }
  const a = asArray(x, undefined, op);
  const axis = normalizeAxis(op, o.axis ?? -1, a.ndim + 1);
  const expanded = np.expandDims(a, axis);
  const classShape = expanded.shape.map((_, i) => (i === axis ? numClasses : 1));
  const classes = np.reshape(np.arange(numClasses).astype(a.dtype === "bool" ? "int32" : a.dtype), classShape);
  const hot = np.equal(expanded, classes);
  return hot.astype(o.dtype ?? defaultFloat());
}

/** Options of `nn.standardize`. */
export interface StandardizeOptions {
  /** The axis or axes to standardise over (default -1); null: all. */
  axis?: AxisArg;
  /** A precomputed mean (broadcasting to x); null: computed. */
  mean?: ArrayLike | null;
  /** A precomputed variance (broadcasting to x); null: computed as E[x²] - mean². */
  variance?: ArrayLike | null;
  /** Added to the variance before the square root (default 1e-5). */
  epsilon?: number;
  /** Elements to include in the mean and variance (a bool mask). */
  where?: ArrayLike | null;
}
const standardizeOptions = defineOptions(
  "nn.standardize",
  {
    axis: orNull(is.axes),
    mean: orNull(is.arrayLike),
    variance: orNull(is.arrayLike),
    epsilon: is.number,
    where: orNull(is.arrayLike),
  },
  ["axis", "mean", "variance", "epsilon", "where"],
);
/**
 * `jax.nn.standardize(x, axis=-1, mean=None, variance=None, epsilon=1e-5, where=None)`:
 * (x - mean) / √(variance + epsilon). @example nn.standardize(h, { axis: 1 })
 */
export function standardize(
  x: ArrayLike,
  ...args: OptArgs<
    [AxisArg?, (ArrayLike | null)?, (ArrayLike | null)?, number?, (ArrayLike | null)?],
    StandardizeOptions
  >
): NdArray {
  const op = "nn.standardize";
  const o = standardizeOptions.parse(args);
  const a = f(op, x);
  const axes = axesOf(op, a, o.axis, -1);
  const mask = o.where === undefined || o.where === null ? null : maskOf(op, a, o.where);
  const mean =
    o.mean === undefined || o.mean === null
      ? np.mean(a, { axis: axes, keepdims: true, where: mask })
      : asArray(o.mean, undefined, op);
  const variance =
    o.variance === undefined || o.variance === null
      ? np.subtract(np.mean(np.square(a), { axis: axes, keepdims: true, where: mask }), np.square(mean))
      : asArray(o.variance, undefined, op);
  return np.multiply(np.subtract(a, mean), rsqrt(np.add(variance, o.epsilon ?? 1e-5)));
}
/** `jax.nn.initializers`: weight initializers drawing JAX's samples. @example nn.initializers.heNormal()(key, [3, 3, 16, 32]) */
export * as initializers from "./initializers.js";
