/** `cotangent.nn`: JAX's `jax.nn` activations and softmax family. */
import type { NdArray, ArrayLike } from "../core/array.js";
import { defaultFloat, type DType } from "../core/dtypes.js";
import * as np from "../numpy/index.js";
import { stopGradient } from "../primitives/stop-gradient.js";
import { logistic } from "../primitives/unary.js";
import { promoteToFloat } from "../numpy/convert.js";
import { parseOptional } from "../numpy/options.js";
import { normalizeAxes } from "../primitives/shapes.js";

const f = (x: ArrayLike): NdArray => promoteToFloat("nn", [x])[0];

/** max(x, 0), with derivative 0 at 0 (as JAX); NaN stays NaN. */
export const relu = (x: ArrayLike): NdArray => {
  const a = f(x);
  return np.where(np.lessEqual(a, 0), 0, a);
};
/** min(max(x, 0), 6), with derivative 0 at 0 and at 6 (as JAX). */
export const relu6 = (x: ArrayLike): NdArray => {
  const a = f(x);
  return np.where(np.greaterEqual(a, 6), 6, relu(a));
};
/** σ(x) = 1 / (1 + e⁻ˣ) */
export const sigmoid = (x: ArrayLike): NdArray => logistic(f(x));
/** softplus(x) = log(1 + eˣ), computed stably as logaddexp(x, 0). */
export const softplus = (x: ArrayLike): NdArray => np.logaddexp(f(x), 0);
/** log σ(x) = -softplus(-x) */
export const logSigmoid = (x: ArrayLike): NdArray => np.negative(softplus(np.negative(f(x))));
/** x·σ(x) */
export const silu = (x: ArrayLike): NdArray => {
  const a = f(x);
  return np.multiply(a, sigmoid(a));
};
export const swish = silu;

/**
 * GELU. With approximate (the default, as in JAX): ½x(1 + tanh(√(2/π)(x + 0.044715x³)));
 * otherwise ½x(1 + erf(x/√2)).
 */
export function gelu(x: ArrayLike, approximate = true): NdArray {
  const a = f(x);
  if (approximate) {
    const inner = np.multiply(
      Math.sqrt(2 / Math.PI),
      np.add(a, np.multiply(0.044715, np.multiply(a, np.multiply(a, a)))),
    );
    return np.multiply(np.multiply(0.5, a), np.add(1, np.tanh(inner)));
  }
  return np.multiply(np.multiply(0.5, a), np.add(1, erfScaled(a)));
}

import { erf } from "../primitives/unary.js";
const erfScaled = (a: NdArray): NdArray => erf(np.multiply(a, Math.SQRT1_2));

/** ELU: x for x > 0, α(eˣ - 1) otherwise. */
export function elu(x: ArrayLike, alpha = 1.0): NdArray {
  const a = f(x);
  const pos = np.greater(a, 0);
  return np.where(pos, a, np.multiply(alpha, np.expm1(np.where(pos, 0, a))));
}

export function celu(x: ArrayLike, alpha = 1.0): NdArray {
  const a = f(x);
  return np.add(np.maximum(a, 0), np.minimum(0, np.multiply(alpha, np.expm1(np.divide(a, alpha)))));
}

export function selu(x: ArrayLike): NdArray {
  const alpha = 1.6732632423543772;
  const scale = 1.0507009873554805;
  return np.multiply(scale, elu(x, alpha));
}

/** x for x ≥ 0, negativeSlope·x otherwise (JAX's default slope 0.01). */
export function leakyRelu(x: ArrayLike, negativeSlope = 0.01): NdArray {
  const a = f(x);
  return np.where(np.greaterEqual(a, 0), a, np.multiply(negativeSlope, a));
}

export const hardTanh = (x: ArrayLike): NdArray => np.clip(f(x), -1, 1);
export const softSign = (x: ArrayLike): NdArray => {
  const a = f(x);
  return np.divide(a, np.add(np.abs(a), 1));
};

export interface AxisOptions {
  axis?: number | number[] | null;
}

function axesOf(a: NdArray, axis: number | number[] | null | undefined, dflt: number | null): number[] {
  const ax = axis === undefined ? dflt : axis;
  if (ax === null) return a.shape.map((_, i) => i);
  return normalizeAxes("softmax", typeof ax === "number" ? [ax] : ax, a.ndim);
}

/**
 * logsumexp(x) = m + log Σ exp(x - m) with m = max(x) held constant (stop_gradient),
 * and m replaced by 0 where it is not finite, as JAX.
 */
export function logsumexp(
  x: ArrayLike,
  ...args:
    | [(number | number[] | null)?, { axis?: number | number[] | null; keepdims?: boolean }?]
    | [{ axis?: number | number[] | null; keepdims?: boolean }]
): NdArray {
  const a = f(x);
  const o = parseOptional<{ axis: number | number[] | null; keepdims: boolean }>(["axis", "keepdims"], args);
  const axes = axesOf(a, o.axis, null);
  const amax = np.max(a, { axis: axes, keepdims: true });
  const safe = stopGradient(np.where(np.isfinite(amax), amax, 0));
  const summed = np.sum(np.exp(np.subtract(a, safe)), { axis: axes, keepdims: true });
  const out = np.add(np.log(summed), safe);
  return o.keepdims ? out : np.squeeze(out, axes);
}

/** softmax(x) = exp(x - max) / Σ exp(x - max) along `axis` (default -1). */
export function softmax(x: ArrayLike, ...args: [(number | number[] | null)?] | [AxisOptions]): NdArray {
  const a = f(x);
  const o = parseOptional<AxisOptions>(["axis"], args);
  const axes = axesOf(a, o.axis, -1);
  const unnormalized = np.exp(np.subtract(a, stopGradient(np.max(a, { axis: axes, keepdims: true }))));
  return np.divide(unnormalized, np.sum(unnormalized, { axis: axes, keepdims: true }));
}

/** log softmax(x) = (x - max) - log Σ exp(x - max). */
export function logSoftmax(x: ArrayLike, ...args: [(number | number[] | null)?] | [AxisOptions]): NdArray {
  const a = f(x);
  const o = parseOptional<AxisOptions>(["axis"], args);
  const axes = axesOf(a, o.axis, -1);
  const shifted = np.subtract(a, stopGradient(np.max(a, { axis: axes, keepdims: true })));
  return np.subtract(shifted, np.log(np.sum(np.exp(shifted), { axis: axes, keepdims: true })));
}

export interface OneHotOptions {
  dtype?: DType;
  axis?: number;
}

/** `jax.nn.one_hot(x, num_classes)`: x[..., None] == arange(num_classes). */
export function oneHot(x: ArrayLike, numClasses: number, options: OneHotOptions = {}): NdArray {
  const a = np.asArray(x);
  const axis = options.axis ?? -1;
  const classes = np.arange(numClasses);
  const expanded = np.expandDims(a, axis);
  const shapeForClasses = expanded.shape.map((_, i) =>
    i === (axis < 0 ? expanded.ndim + axis : axis) ? numClasses : 1,
  );
  const hot = np.equal(expanded, np.reshape(classes, shapeForClasses));
  return hot.astype(options.dtype ?? defaultFloat());
}

export function standardize(x: ArrayLike, axis: number | number[] = -1, epsilon = 1e-5): NdArray {
  const a = f(x);
  const mean = np.mean(a, { axis, keepdims: true });
  const variance = np.variance(a, { axis, keepdims: true });
  return np.divide(np.subtract(a, mean), np.sqrt(np.add(variance, epsilon)));
}
