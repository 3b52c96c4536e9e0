/**
 * optax's optimizers (`optax/_src/alias.py`), each a {@link chain} of building blocks
 * ending in `scaleByLearningRate`: sgd, adam, adamw, rmsprop, adagrad, lamb, lion.
 */
import type { DType } from "../core/dtypes.js";
import { defineOptions, is, orNull, type OptArgs } from "../core/options.js";
import {
  adamChecks,
  adamCore,
  lionCore,
  rmsCore,
  rssCore,
  trustCore,
  type AdamPositional,
  type ScaleByAdamOptions,
} from "./moments.js";
import {
  addDecayedWeights,
  checkScalarOrSchedule,
  scaleByLearningRate,
  scalarOrSchedule,
  traceTransform,
  maskTreeCheck,
  type Mask,
} from "./scale.js";
import { chain, identity, type GradientTransformation, type ScalarOrSchedule } from "./transform.js";

const num = is.number;
const maskCheck = orNull(maskTreeCheck);

/** Options of {@link sgd} (optax: momentum=None, nesterov=False, accumulator_dtype=None). */
export interface SgdOptions {
  /** Momentum decay; null or absent: plain SGD. */
  momentum?: number | null;
  /** Nesterov momentum. */
  nesterov?: boolean;
  /** The dtype to keep the momentum in (null: the params'). */
  accumulatorDtype?: DType | null;
}
const sgdOptions = defineOptions(
  "optim.sgd",
  { momentum: orNull(num), nesterov: is.bool, accumulatorDtype: orNull(is.dtype) },
  ["momentum", "nesterov", "accumulatorDtype"],
);

/**
 * `optax.sgd(learning_rate, momentum=None, nesterov=False, accumulator_dtype=None)`:
 * `chain(trace(momentum, nesterov), scale_by_learning_rate(learning_rate))`; without
 * momentum the update is `-learningRate * g`.
 *
 * @example
 * const opt = optim.sgd(0.1, 0.9);
 * let state = opt.init(params);
 * const [updates, next] = opt.update(grads, state);
 * params = optim.applyUpdates(params, updates);
 */
export function sgd(
  learningRate: ScalarOrSchedule,
  ...args: OptArgs<[number | null, boolean?, (DType | null)?], SgdOptions>
): GradientTransformation {
  const o = sgdOptions.parse(args);
  checkScalarOrSchedule("optim.sgd", "learningRate", learningRate);
  const momentum =
    o.momentum === null || o.momentum === undefined
      ? identity()
      : traceTransform(o.momentum, { nesterov: o.nesterov ?? false, accumulatorDtype: o.accumulatorDtype ?? null });
  return chain(momentum, scaleByLearningRate(learningRate));
}

/** Options of {@link adam}: those of {@link scaleByAdam} (optax: b1, b2, eps, eps_root, mu_dtype, *, nesterov). */
export type AdamOptions = ScaleByAdamOptions;
type AdamPos = AdamPositional;
const adamOptions = defineOptions("optim.adam", adamChecks, ["b1", "b2", "eps", "epsRoot", "muDtype"]);

/**
 * `optax.adam(learning_rate, b1=0.9, b2=0.999, eps=1e-8, eps_root=0.0, mu_dtype=None, *, nesterov=False)`:
 * `chain(scale_by_adam(...), scale_by_learning_rate(learning_rate))`.
 *
 * @example
 * const opt = optim.adam(1e-3);
 * const step = jit((params, state, grads) => {
 *   const [updates, next] = opt.update(grads, state, params);
 *   return [optim.applyUpdates(params, updates), next];
 * });
 */
export function adam(learningRate: ScalarOrSchedule, ...args: OptArgs<AdamPos, AdamOptions>): GradientTransformation {
  const o = adamOptions.parse(args);
  checkScalarOrSchedule("optim.adam", "learningRate", learningRate);
  return chain(adamCore("optim.adam", o), scaleByLearningRate(learningRate));
}

/** Options of {@link adamw}: Adam's, then weight decay and its mask. */
export interface AdamwOptions extends AdamOptions {
  /** The decoupled weight decay rate, a number or a schedule (1e-4). */
  weightDecay?: ScalarOrSchedule;
  /** Which leaves decay: a tree of booleans like the params, or a function of them. */
  mask?: Mask | null;
}
const adamwOptions = defineOptions(
  "optim.adamw",
  { ...adamChecks, weightDecay: scalarOrSchedule, mask: maskCheck },
  ["b1", "b2", "eps", "epsRoot", "muDtype", "weightDecay", "mask"],
  { trailingMayBeData: true },
);

/**
 * `optax.adamw(learning_rate, b1=0.9, b2=0.999, eps=1e-8, eps_root=0.0, mu_dtype=None, weight_decay=1e-4, mask=None, *, nesterov=False)`:
 * `chain(scale_by_adam(...), add_decayed_weights(weight_decay, mask), scale_by_learning_rate(learning_rate))`.
 *
 * @example
 * const opt = optim.adamw(1e-3, { weightDecay: 1e-2 });
 * const [updates, state] = opt.update(grads, opt.init(params), params);
 */
export function adamw(
  learningRate: ScalarOrSchedule,
  ...args: OptArgs<[...AdamPos, ScalarOrSchedule?, (Mask | null)?], AdamwOptions>
): GradientTransformation {
  const o = adamwOptions.parse(args);
  checkScalarOrSchedule("optim.adamw", "learningRate", learningRate);
  return chain(
    adamCore("optim.adamw", o),
    addDecayedWeights(o.weightDecay ?? 1e-4, o.mask ?? null),
    scaleByLearningRate(learningRate),
  );
}

/** Options of {@link rmsprop} (optax's order: decay, eps, initial_scale, eps_in_sqrt, centered, momentum, nesterov, bias_correction). */
export interface RmspropOptions {
  /** Decay of the moving averages (0.9). */
  decay?: number;
  /** Added to the denominator (1e-8). */
  eps?: number;
  /** The initial second moment (0). */
  initialScale?: number;
  /** `1/√(nu + eps)` when true (optax), `1/(√nu + eps)` when false (PyTorch). */
  epsInSqrt?: boolean;
  /** Divide by the standard deviation instead of the root mean square. */
  centered?: boolean;
  /** Momentum decay applied after the learning rate; null: none. */
  momentum?: number | null;
  /** Nesterov momentum. */
  nesterov?: boolean;
  /** Divide the moments by `1 - decay^t`. */
  biasCorrection?: boolean;
}
const rmspropOptions = defineOptions(
  "optim.rmsprop",
  {
    decay: num,
    eps: num,
    initialScale: num,
    epsInSqrt: is.bool,
    centered: is.bool,
    momentum: orNull(num),
    nesterov: is.bool,
    biasCorrection: is.bool,
  },
  ["decay", "eps", "initialScale", "epsInSqrt", "centered", "momentum", "nesterov", "biasCorrection"],
);

/**
 * `optax.rmsprop(learning_rate, decay=0.9, eps=1e-8, initial_scale=0.0, eps_in_sqrt=True, centered=False, momentum=None, nesterov=False, bias_correction=False)`:
 * `chain(scale_by_rms(...) or scale_by_stddev(...) when centered, scale_by_learning_rate(learning_rate), trace(momentum, nesterov))`.
 *
 * @example
 * const opt = optim.rmsprop(1e-2, { momentum: 0.9 });
 * const [updates, state] = opt.update(grads, opt.init(params));
 */
export function rmsprop(
  learningRate: ScalarOrSchedule,
  ...args: OptArgs<[number, number?, number?, boolean?, boolean?, (number | null)?, boolean?, boolean?], RmspropOptions>
): GradientTransformation {
  const o = rmspropOptions.parse(args);
  checkScalarOrSchedule("optim.rmsprop", "learningRate", learningRate);
  const momentum =
    o.momentum === null || o.momentum === undefined ? identity() : traceTransform(o.momentum, o.nesterov ?? false);
  return chain(rmsCore("optim.rmsprop", o, o.centered ?? false), scaleByLearningRate(learningRate), momentum);
}

/** Options of {@link adagrad}. */
export interface AdagradOptions {
  /** The initial sum of squares (0.1). */
  initialAccumulatorValue?: number;
  /** Added inside the root (1e-7). */
  eps?: number;
}
const adagradOptions = defineOptions("optim.adagrad", { initialAccumulatorValue: num, eps: num }, [
  "initialAccumulatorValue",
  "eps",
]);

/**
 * `optax.adagrad(learning_rate, initial_accumulator_value=0.1, eps=1e-7)`:
 * `chain(scale_by_rss(initial_accumulator_value, eps), scale_by_learning_rate(learning_rate))`.
 *
 * @example
 * const opt = optim.adagrad(0.1);
 * const [updates, state] = opt.update(grads, opt.init(params));
 */
export function adagrad(
  learningRate: ScalarOrSchedule,
  ...args: OptArgs<[number, number?], AdagradOptions>
): GradientTransformation {
  const o = adagradOptions.parse(args);
  checkScalarOrSchedule("optim.adagrad", "learningRate", learningRate);
  return chain(rssCore("optim.adagrad", o), scaleByLearningRate(learningRate));
}

/** Options of {@link lamb} (optax: b1, b2, eps, eps_root, weight_decay, mask). */
export interface LambOptions {
  /** Decay of the first moment (0.9). */
  b1?: number;
  /** Decay of the second moment (0.999). */
  b2?: number;
  /** Added to the root in the denominator (1e-6). */
  eps?: number;
  /** Added inside the root (0). */
  epsRoot?: number;
  /** Decoupled weight decay, a number or a schedule (0). */
  weightDecay?: ScalarOrSchedule;
  /** Which leaves decay. */
  mask?: Mask | null;
}
const lambOptions = defineOptions(
  "optim.lamb",
  { b1: num, b2: num, eps: num, epsRoot: num, weightDecay: scalarOrSchedule, mask: maskCheck },
  ["b1", "b2", "eps", "epsRoot", "weightDecay", "mask"],
  { trailingMayBeData: true },
);

/**
 * `optax.lamb(learning_rate, b1=0.9, b2=0.999, eps=1e-6, eps_root=0.0, weight_decay=0.0, mask=None)`:
 * `chain(scale_by_adam(b1, b2, eps, eps_root), add_decayed_weights(weight_decay, mask), scale_by_trust_ratio(), scale_by_learning_rate(learning_rate))`.
 *
 * @example
 * const opt = optim.lamb(1e-3, { weightDecay: 1e-2 });
 * const [updates, state] = opt.update(grads, opt.init(params), params);
 */
export function lamb(
  learningRate: ScalarOrSchedule,
  ...args: OptArgs<[number, number?, number?, number?, ScalarOrSchedule?, (Mask | null)?], LambOptions>
): GradientTransformation {
  const o = lambOptions.parse(args);
  checkScalarOrSchedule("optim.lamb", "learningRate", learningRate);
  return chain(
    adamCore("optim.lamb", { b1: o.b1, b2: o.b2, eps: o.eps ?? 1e-6, epsRoot: o.epsRoot }),
    addDecayedWeights(o.weightDecay ?? 0, o.mask ?? null),
    trustCore("optim.lamb", {}),
    scaleByLearningRate(learningRate),
  );
}

/** Options of {@link lion} (optax: b1, b2, mu_dtype, weight_decay, mask). */
export interface LionOptions {
  /** Interpolation between gradient and momentum for the update's sign (0.9). */
  b1?: number;
  /** Decay of the momentum (0.99). */
  b2?: number;
  /** The dtype to keep the momentum in (null: the params'). */
  muDtype?: DType | null;
  /** Decoupled weight decay, a number or a schedule (1e-3). */
  weightDecay?: ScalarOrSchedule;
  /** Which leaves decay. */
  mask?: Mask | null;
}
const lionOptions = defineOptions(
  "optim.lion",
  { b1: num, b2: num, muDtype: orNull(is.dtype), weightDecay: scalarOrSchedule, mask: maskCheck },
  ["b1", "b2", "muDtype", "weightDecay", "mask"],
  { trailingMayBeData: true },
);

/**
 * `optax.lion(learning_rate, b1=0.9, b2=0.99, mu_dtype=None, weight_decay=1e-3, mask=None)`:
 * `chain(scale_by_lion(b1, b2, mu_dtype), add_decayed_weights(weight_decay, mask), scale_by_learning_rate(learning_rate))`.
 *
 * @example
 * const opt = optim.lion(1e-4);
 * const [updates, state] = opt.update(grads, opt.init(params), params);
 */
export function lion(
  learningRate: ScalarOrSchedule,
  ...args: OptArgs<[number, number?, (DType | null)?, ScalarOrSchedule?, (Mask | null)?], LionOptions>
): GradientTransformation {
  const o = lionOptions.parse(args);
  checkScalarOrSchedule("optim.lion", "learningRate", learningRate);
  return chain(
    lionCore("optim.lion", o),
    addDecayedWeights(o.weightDecay ?? 1e-3, o.mask ?? null),
    scaleByLearningRate(learningRate),
  );
}
