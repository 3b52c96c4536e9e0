/**
 * optax's losses (`optax.losses`), elementwise or per example (no mean over the batch, as
 * optax), in their numerically stable forms: log-softmax and logsumexp for cross entropy,
 * log-sigmoid for binary cross entropy, logaddexp for log-cosh.
 */
import type { ArrayLike, NdArray } from "../core/array.js";
import { isFloat, isInteger } from "../core/dtypes.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { defineOptions, is, noExtraArgs, orNull, type OptArgs } from "../core/options.js";
import * as np from "../numpy/index.js";
import * as nn from "../nn/index.js";

const L = (name: string): string => `optim.losses.${name}`;

function floating(op: string, what: string, x: ArrayLike): NdArray {
  const a = np.asArray(x);
  if (!isFloat(a.dtype)) {
    throw new DTypeError(
      `[${op}] ${what} must be floating point: got ${a.aval.str()}, expected a float32 or float64 array.`,
    );
  }
  return a;
}

function sameShape(op: string, a: NdArray, b: NdArray): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(
      `[${op}] predictions and targets must have the same shape: got ${a.aval.str()} and ${b.aval.str()}.`,
    );
  }
}

/** `predictions - targets` (or predictions alone), checked as optax checks. */
function errorsOf(op: string, predictions: ArrayLike, targets: ArrayLike | null | undefined): NdArray {
  const p = floating(op, "predictions", predictions);
  if (targets === null || targets === undefined) return p;
  const t = np.asArray(targets);
  sameShape(op, p, t);
  return np.subtract(p, t);
}

/** Options of the softmax cross entropies (optax: axis=-1, where=None). */
export interface SoftmaxCrossEntropyOptions {
  /** The class axis (-1). */
  axis?: number;
  /** Which classes take part (a bool mask); null: all. */
  where?: ArrayLike | null;
}
const sceChecks = { axis: is.axis, where: orNull(is.arrayLike) };
const sceOptions = defineOptions(L("softmaxCrossEntropy"), sceChecks, ["axis", "where"]);
const sceIntOptions = defineOptions(L("softmaxCrossEntropyWithIntegerLabels"), sceChecks, ["axis", "where"]);

/**
 * `optax.losses.softmax_cross_entropy(logits, labels, axis=-1, where=None)`:
 * `-Σ labels · log_softmax(logits)` over the class axis, one value per example.
 *
 * @example
 * optim.losses.softmaxCrossEntropy(np.array([[0, 0]]), np.array([[1, 0]])); // [log 2] ≈ [0.6931]
 */
export function softmaxCrossEntropy(
  logits: ArrayLike,
  labels: ArrayLike,
  ...args: OptArgs<[number, (ArrayLike | null)?], SoftmaxCrossEntropyOptions>
): NdArray {
  const op = L("softmaxCrossEntropy");
  const o = sceOptions.parse(args);
  const z = floating(op, "logits", logits);
  const y = np.asArray(labels);
  const axis = o.axis ?? -1;
  let where = o.where === undefined || o.where === null ? null : np.asArray(o.where);
  if (where !== null && where.ndim !== z.ndim) where = np.expandDims(where, axis);
  const logp = nn.logSoftmax(z, axis, where);
  return np.negative(np.sum(np.multiply(y, logp), { axis, where }));
}

/**
 * `optax.losses.softmax_cross_entropy_with_integer_labels(logits, labels, axis=-1, where=None)`:
 * `logsumexp(logits) - logits[label]`, one value per example; labels are integer class indices.
 *
 * @example
 * optim.losses.softmaxCrossEntropyWithIntegerLabels(np.array([[0, 0]]), np.array([0], "int32")); // [0.6931]
 */
export function softmaxCrossEntropyWithIntegerLabels(
  logits: ArrayLike,
  labels: ArrayLike,
  ...args: OptArgs<[number, (ArrayLike | null)?], SoftmaxCrossEntropyOptions>
): NdArray {
  const op = L("softmaxCrossEntropyWithIntegerLabels");
  const o = sceIntOptions.parse(args);
  const z = floating(op, "logits", logits);
  const y = np.asArray(labels);
  if (!isInteger(y.dtype)) {
    throw new DTypeError(`[${op}] labels must be integer class indices: got ${y.aval.str()}, expected an int32 array.`);
  }
  if (y.ndim !== z.ndim - 1) {
    throw new ShapeError(
      `[${op}] labels must have one axis fewer than logits: got labels ${y.aval.str()} and logits ${z.aval.str()}.`,
    );
  }
  const axis = o.axis ?? -1;
  const ax = axis < 0 ? axis + z.ndim : axis;
  let where = o.where === undefined || o.where === null ? null : np.asArray(o.where);
  if (where !== null && where.ndim !== z.ndim) where = np.expandDims(where, ax);
  const labelLogits = np.squeeze(np.takeAlongAxis(z, np.expandDims(y, ax), ax), ax);
  const lse = nn.logsumexp(z, { axis: ax, where });
  const out = np.subtract(lse, labelLogits);
  return where === null ? out : np.where(np.any(where, ax), out, 0);
}

/**
 * `optax.losses.sigmoid_binary_cross_entropy(logits, labels)`:
 * `-labels log σ(logits) - (1 - labels) log σ(-logits)`, elementwise.
 *
 * @example
 * optim.losses.sigmoidBinaryCrossEntropy(np.array([0.0]), np.array([1.0])); // [log 2] ≈ [0.6931]
 */
export function sigmoidBinaryCrossEntropy(logits: ArrayLike, labels: ArrayLike, ...rest: []): NdArray {
  const op = L("sigmoidBinaryCrossEntropy");
  noExtraArgs(op, rest);
  const z = floating(op, "logits", logits);
  const y = np.asArray(labels).astype(z.dtype);
  const logP = nn.logSigmoid(z);
  const logNotP = nn.logSigmoid(np.negative(z));
  return np.subtract(np.multiply(np.negative(y), logP), np.multiply(np.subtract(1, y), logNotP));
}

/**
 * `optax.losses.squared_error(predictions, targets=None)`: `(predictions - targets)²`, elementwise.
 *
 * @example
 * optim.losses.squaredError(np.array([1.0, 2.0]), np.array([0.0, 0.0])); // [1, 4]
 */
export function squaredError(predictions: ArrayLike, targets?: ArrayLike | null, ...rest: []): NdArray {
  const op = L("squaredError");
  noExtraArgs(op, rest);
  return np.square(errorsOf(op, predictions, targets));
}

/**
 * `optax.losses.l2_loss(predictions, targets=None)`: `½ (predictions - targets)²`, elementwise.
 *
 * @example
 * optim.losses.l2Loss(np.array([2.0])); // [2]
 */
export function l2Loss(predictions: ArrayLike, targets?: ArrayLike | null, ...rest: []): NdArray {
  const op = L("l2Loss");
  noExtraArgs(op, rest);
  return np.multiply(0.5, np.square(errorsOf(op, predictions, targets)));
}

/** Options of {@link huberLoss} (optax: keyword-only delta=1.0). */
export interface HuberLossOptions {
  /** Where the loss turns from quadratic to linear (1). */
  delta?: number;
}
const huberOptions = defineOptions(L("huberLoss"), { delta: is.number }, []);

/**
 * `optax.losses.huber_loss(predictions, targets=None, *, delta=1.0)`: `½ e²` for `|e| ≤ delta`,
 * `delta (|e| - ½ delta)` beyond, elementwise, with `e = predictions - targets`.
 *
 * @example
 * optim.losses.huberLoss(np.array([0.5, 3.0])); // [0.125, 2.5]
 */
export function huberLoss(
  predictions: ArrayLike,
  targets?: ArrayLike | null,
  ...args: OptArgs<[], HuberLossOptions>
): NdArray {
  const op = L("huberLoss");
  const o = huberOptions.parse(args);
  const delta = o.delta ?? 1;
  const abs = np.abs(errorsOf(op, predictions, targets));
  const quadratic = np.minimum(abs, delta);
  const linear = np.subtract(abs, quadratic);
  return np.add(np.multiply(0.5, np.square(quadratic)), np.multiply(delta, linear));
}

/**
 * `optax.losses.log_cosh(predictions, targets=None)`: `log(cosh(e))`, computed as
 * `logaddexp(e, -e) - log 2` so that large errors do not overflow.
 *
 * @example
 * optim.losses.logCosh(np.array([0.0, 1000.0])); // [0, 999.3069]
 */
export function logCosh(predictions: ArrayLike, targets?: ArrayLike | null, ...rest: []): NdArray {
  const op = L("logCosh");
  noExtraArgs(op, rest);
  const e = errorsOf(op, predictions, targets);
  return np.subtract(np.logaddexp(e, np.negative(e)), np.asArray(Math.LN2).astype(e.dtype));
}

/** Options of {@link cosineSimilarity} (optax: keyword-only epsilon=0.0, axis=-1, where=None). */
export interface CosineSimilarityOptions {
  /** A floor on the squared norms (0). */
  epsilon?: number;
  /** The axis of the vectors (-1). */
  axis?: number;
  /** Which elements take part (a bool mask); null: all. */
  where?: ArrayLike | null;
}
const cosOptions = defineOptions(
  L("cosineSimilarity"),
  { epsilon: is.number, axis: is.axis, where: orNull(is.arrayLike) },
  [],
);

/**
 * `optax.losses.cosine_similarity(predictions, targets, *, epsilon=0.0, axis=-1, where=None)`:
 * `⟨a, b⟩ / (‖a‖ ‖b‖)` along `axis`, each squared norm floored at epsilon.
 *
 * @example
 * optim.losses.cosineSimilarity(np.array([[1.0, 0.0]]), np.array([[1.0, 1.0]])); // [0.7071]
 */
export function cosineSimilarity(
  predictions: ArrayLike,
  targets: ArrayLike,
  ...args: OptArgs<[], CosineSimilarityOptions>
): NdArray {
  const op = L("cosineSimilarity");
  const o = cosOptions.parse(args);
  const a = floating(op, "predictions", predictions);
  const b = floating(op, "targets", targets);
  const axis = o.axis ?? -1;
  const where = o.where ?? null;
  const eps = o.epsilon ?? 0;
  const unit = (x: NdArray): NdArray =>
    np.divide(x, np.sqrt(np.clip(np.sum(np.square(x), { axis, where, keepdims: true }), eps)));
  return np.sum(np.multiply(unit(a), unit(b)), { axis, where });
}
