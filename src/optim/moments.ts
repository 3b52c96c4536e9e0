/**
 * optax's moment-based scalings: `scale_by_adam`, `scale_by_rms`,
 * `scale_by_stddev`, `scale_by_rss`, `scale_by_lion` and `scale_by_trust_ratio`.
 */
import type { NdArray } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { defineOptions, is, orNull, type OptArgs } from "../core/options.js";
import * as np from "../numpy/index.js";
import * as lax from "../lax/index.js";
import * as tm from "./tree-math.js";
import { needParams } from "./scale.js";
import { initEmpty, transformation, type EmptyState, type GradientTransformation } from "./transform.js";

const num = is.number;

/** The state of {@link scaleByAdam}: optax's `ScaleByAdamState(count, mu, nu)`. */
export interface ScaleByAdamState {
  /** Steps taken, an int32 scalar. */
  count: NdArray;
  /** First moment (EMA of the gradients), a tree like the params. */
  mu: unknown;
  /** Second moment (EMA of the squared gradients), a tree like the params. */
  nu: unknown;
}

/** Options of {@link scaleByAdam} (optax: b1, b2, eps, eps_root, mu_dtype, *, nesterov). */
export interface ScaleByAdamOptions {
  /** Decay of the first moment (0.9). */
  b1?: number;
  /** Decay of the second moment (0.999). */
  b2?: number;
  /** Added to the root of the second moment in the denominator (1e-8). */
  eps?: number;
  /** Added to the second moment inside the root (0). */
  epsRoot?: number;
  /** The dtype to keep the first moment in (null: the params' dtype). */
  muDtype?: DType | null;
  /** Nesterov momentum (NAdam). */
  nesterov?: boolean;
}
/** The positional optional parameters of scaleByAdam, in optax's order. */
export type AdamPositional = [number, number?, number?, number?, (DType | null)?];
/** The option checks of Adam's hyperparameters, shared with adam and adamw. */
export const adamChecks = { b1: num, b2: num, eps: num, epsRoot: num, muDtype: orNull(is.dtype), nesterov: is.bool };
const adamOptions = defineOptions("optim.scaleByAdam", adamChecks, ["b1", "b2", "eps", "epsRoot", "muDtype"]);

/**
 * `optax.scale_by_adam(b1=0.9, b2=0.999, eps=1e-8, eps_root=0.0, mu_dtype=None, *, nesterov=False)`:
 * `mu = b1 mu + (1-b1) g`, `nu = b2 nu + (1-b2) g²`, update `mû / (√(nû + epsRoot) + eps)` with
 * the bias corrections `mû = mu / (1 - b1^t)`, `nû = nu / (1 - b2^t)`.
 *
 * @example
 * const t = optim.scaleByAdam();
 * t.update(np.array([2.0]), t.init(np.zeros([1])))[0]; // ≈ [1]
 */
export function scaleByAdam(
  ...args: OptArgs<AdamPositional, ScaleByAdamOptions>
): GradientTransformation<ScaleByAdamState> {
  return adamCore("optim.scaleByAdam", adamOptions.parse(args));
}

/** scale_by_adam from parsed options (shared with adam, adamw and lamb). */
export function adamCore(op: string, o: ScaleByAdamOptions): GradientTransformation<ScaleByAdamState> {
  const b1 = o.b1 ?? 0.9;
  const b2 = o.b2 ?? 0.999;
  const eps = o.eps ?? 1e-8;
  const epsRoot = o.epsRoot ?? 0;
  return transformation(
    (params) => ({
      count: tm.zeroCount(),
      mu: tm.fullLikeTree(op, params, 0, o.muDtype),
      nu: tm.fullLikeTree(op, params, 0),
    }),
    (updates, state) => {
      const mu = tm.updateMoment(op, updates, state.mu, b1, 1);
      const nu = tm.updateMoment(op, updates, state.nu, b2, 2);
      const count = tm.safeIncrement(state.count);
      const muHat = o.nesterov
        ? tm.mapLeaves(
            op,
            (m, g) => np.add(np.multiply(b1, m), np.multiply(1 - b1, g)),
            tm.biasCorrection(op, mu, b1, tm.safeIncrement(count)),
            tm.biasCorrection(op, updates, b1, count),
          )
        : tm.biasCorrection(op, mu, b1, count);
      const nuHat = tm.biasCorrection(op, nu, b2, count);
      const out = tm.mapLeaves(op, (m, v) => np.divide(m, np.add(np.sqrt(np.add(v, epsRoot)), eps)), muHat, nuHat);
      return [out, { count, mu: tm.castTree(op, mu, o.muDtype), nu: tm.castLike(op, nu, state.nu) }];
    },
  );
}

/** Options of {@link scaleByRms} and {@link scaleByStddev}. */
export interface ScaleByRmsOptions {
  /** Decay of the moving averages (0.9). */
  decay?: number;
  /** Added to the denominator (1e-8). */
  eps?: number;
  /** The initial second moment (0). */
  initialScale?: number;
  /** `1/√(nu + eps)` when true (optax's default), `1/(√nu + eps)` when false (PyTorch's). */
  epsInSqrt?: boolean;
  /** Divide the moments by `1 - decay^t`. */
  biasCorrection?: boolean;
}
/** The positional optional parameters of scaleByRms / scaleByStddev, in optax's order. */
export type RmsPositional = [number, number?, number?, boolean?, boolean?];
const rmsChecks = { decay: num, eps: num, initialScale: num, epsInSqrt: is.bool, biasCorrection: is.bool };
const rmsOrder = ["decay", "eps", "initialScale", "epsInSqrt", "biasCorrection"] as const;
const rmsOptions = defineOptions("optim.scaleByRms", rmsChecks, rmsOrder);
const stddevOptions = defineOptions("optim.scaleByStddev", rmsChecks, rmsOrder);

/** The state of {@link scaleByRms} and {@link scaleByStddev} (optax's ScaleByRms[WithCount]State, ScaleByRStdDev[WithCount]State). */
export interface ScaleByRmsState {
  /** Steps taken (only with biasCorrection). */
  count?: NdArray;
  /** First moment (only scaleByStddev). */
  mu?: unknown;
  /** Second moment. */
  nu: unknown;
}

/**
 * `optax.scale_by_rms(decay=0.9, eps=1e-8, initial_scale=0.0, eps_in_sqrt=True, bias_correction=False)`:
 * `nu = decay nu + (1-decay) g²`, update `g / √(nu + eps)` (or `g / (√nu + eps)`).
 *
 * @example
 * const t = optim.scaleByRms();
 * t.update(np.array([1.0]), t.init(np.zeros([1])))[0]; // ≈ [3.1623] = 1/√0.1
 */
export function scaleByRms(
  ...args: OptArgs<RmsPositional, ScaleByRmsOptions>
): GradientTransformation<ScaleByRmsState> {
  return rmsCore("optim.scaleByRms", rmsOptions.parse(args), false);
}

/**
 * `optax.scale_by_stddev(decay=0.9, eps=1e-8, initial_scale=0.0, eps_in_sqrt=True, bias_correction=False)`:
 * centered RMS: `g / √(nu - mu² + eps)` with EMAs `mu` of g and `nu` of g².
 *
 * @example
 * const t = optim.scaleByStddev();
 * t.update(np.array([1.0]), t.init(np.zeros([1])))[0]; // 1/√(0.1 - 0.01) ≈ [3.3333]
 */
export function scaleByStddev(
  ...args: OptArgs<RmsPositional, ScaleByRmsOptions>
): GradientTransformation<ScaleByRmsState> {
  return rmsCore("optim.scaleByStddev", stddevOptions.parse(args), true);
}

/** scale_by_rms / scale_by_stddev from parsed options (shared with rmsprop). */
export function rmsCore(op: string, o: ScaleByRmsOptions, centered: boolean): GradientTransformation<ScaleByRmsState> {
  const decay = o.decay ?? 0.9;
  const eps = o.eps ?? 1e-8;
  const inSqrt = o.epsInSqrt ?? true;
  const bc = o.biasCorrection ?? false;
  return transformation(
    (params) => {
      const s: ScaleByRmsState = { nu: tm.fullLikeTree(op, params, o.initialScale ?? 0) };
      if (centered) s.mu = tm.fullLikeTree(op, params, 0);
      if (bc) s.count = tm.zeroCount();
      return s;
    },
    (updates, state) => {
      const nu = tm.updateMoment(op, updates, state.nu, decay, 2);
      const mu = centered ? tm.updateMoment(op, updates, state.mu, decay, 1) : undefined;
      const next: ScaleByRmsState = { nu };
      let nuHat = nu;
      let muHat = mu;
      if (bc) {
        next.count = tm.safeIncrement(state.count!);
        nuHat = tm.biasCorrection(op, nu, decay, next.count);
        if (centered) muHat = tm.biasCorrection(op, mu, decay, next.count);
      }
      if (centered) next.mu = mu;
      const variance = centered ? tm.mapLeaves(op, (m, n) => np.subtract(n, np.square(m)), muHat, nuHat) : nuHat;
      const out = tm.mapLeaves(
        op,
        (v, g) => np.multiply(inSqrt ? lax.rsqrt(np.add(v, eps)) : np.divide(1, np.add(np.sqrt(v), eps)), g),
        variance,
        updates,
      );
      return [out, next];
    },
  );
}

/** Options of {@link scaleByRss}. */
export interface ScaleByRssOptions {
  /** The initial sum of squares (0.1). */
  initialAccumulatorValue?: number;
  /** Added inside the root (1e-7). */
  eps?: number;
}
const rssOptions = defineOptions("optim.scaleByRss", { initialAccumulatorValue: num, eps: num }, [
  "initialAccumulatorValue",
  "eps",
]);

/** The state of {@link scaleByRss}: optax's `ScaleByRssState`. */
export interface ScaleByRssState {
  /** The running sum of squared gradients. */
  sumOfSquares: unknown;
}

/**
 * `optax.scale_by_rss(initial_accumulator_value=0.1, eps=1e-7)`: Adagrad's scaling,
 * `s = s + g²`, update `g / √(s + eps)` (0 where s is 0).
 *
 * @example
 * const t = optim.scaleByRss();
 * t.update(np.array([1.0]), t.init(np.zeros([1])))[0]; // 1/√(1.1 + 1e-7) ≈ [0.9535]
 */
export function scaleByRss(
  ...args: OptArgs<[number, number?], ScaleByRssOptions>
): GradientTransformation<ScaleByRssState> {
  return rssCore("optim.scaleByRss", rssOptions.parse(args));
}

/** scale_by_rss from parsed options (shared with adagrad). */
export function rssCore(op: string, o: ScaleByRssOptions): GradientTransformation<ScaleByRssState> {
  const eps = o.eps ?? 1e-7;
  return transformation(
    (params) => ({ sumOfSquares: tm.fullLikeTree(op, params, o.initialAccumulatorValue ?? 0.1) }),
    (updates, state) => {
      const sumOfSquares = tm.mapLeaves(op, (g, t) => np.add(np.square(g), t), updates, state.sumOfSquares);
      const out = tm.mapLeaves(
        op,
        (t, g) => np.multiply(np.where(np.greater(t, 0), lax.rsqrt(np.add(t, eps)), 0), g),
        sumOfSquares,
        updates,
      );
      return [out, { sumOfSquares }];
    },
  );
}

/** The state of {@link scaleByLion}: optax's `ScaleByLionState`. */
export interface ScaleByLionState {
  /** Steps taken. */
  count: NdArray;
  /** The momentum, a tree like the params. */
  mu: unknown;
}
/** Options of {@link scaleByLion}. */
export interface ScaleByLionOptions {
  /** Interpolation between gradient and momentum for the update's sign (0.9). */
  b1?: number;
  /** Decay of the momentum (0.99). */
  b2?: number;
  /** The dtype to keep the momentum in (null: the params' dtype). */
  muDtype?: DType | null;
}
const lionChecks = { b1: num, b2: num, muDtype: orNull(is.dtype) };
const lionOptions = defineOptions("optim.scaleByLion", lionChecks, ["b1", "b2", "muDtype"]);

/**
 * `optax.scale_by_lion(b1=0.9, b2=0.99, mu_dtype=None)`: update `sign((1-b1) g + b1 mu)`,
 * then `mu = b2 mu + (1-b2) g`.
 *
 * @example
 * const t = optim.scaleByLion();
 * t.update(np.array([-3.0, 2.0]), t.init(np.zeros([2])))[0]; // [-1, 1]
 */
export function scaleByLion(
  ...args: OptArgs<[number, number?, (DType | null)?], ScaleByLionOptions>
): GradientTransformation<ScaleByLionState> {
  return lionCore("optim.scaleByLion", lionOptions.parse(args));
}

/** scale_by_lion from parsed options (shared with lion). */
export function lionCore(op: string, o: ScaleByLionOptions): GradientTransformation<ScaleByLionState> {
  const b1 = o.b1 ?? 0.9;
  const b2 = o.b2 ?? 0.99;
  return transformation(
    (params) => ({ count: tm.zeroCount(), mu: tm.fullLikeTree(op, params, 0, o.muDtype) }),
    (updates, state) => {
      const out = tm.mapLeaves(
        op,
        (g, m) => np.sign(np.add(np.multiply(1 - b1, g), np.multiply(b1, m))),
        updates,
        state.mu,
      );
      const mu = tm.castTree(op, tm.updateMoment(op, updates, state.mu, b2, 1), o.muDtype);
      return [out, { count: tm.safeIncrement(state.count), mu }];
    },
  );
}

/** Options of {@link scaleByTrustRatio}. */
export interface ScaleByTrustRatioOptions {
  /** Norms below this count as this value (0). */
  minNorm?: number;
  /** Multiplies the ratio (1). */
  trustCoefficient?: number;
  /** Added to the update's norm in the ratio's denominator (0). */
  eps?: number;
}
const trustOptions = defineOptions("optim.scaleByTrustRatio", { minNorm: num, trustCoefficient: num, eps: num }, [
  "minNorm",
  "trustCoefficient",
  "eps",
]);

/**
 * `optax.scale_by_trust_ratio(min_norm=0.0, trust_coefficient=1.0, eps=0.0)`: scales each leaf's
 * update by `trustCoefficient ‖param‖ / (‖update‖ + eps)` (LAMB's layer-wise ratio); 1 where
 * either norm is 0.
 *
 * @example
 * const t = optim.scaleByTrustRatio();
 * const p = np.array([3.0, 4.0]);
 * t.update(np.array([1.0, 0.0]), t.init(p), p)[0]; // [5, 0]
 */
export function scaleByTrustRatio(
  ...args: OptArgs<[number, number?, number?], ScaleByTrustRatioOptions>
): GradientTransformation<EmptyState> {
  return trustCore("optim.scaleByTrustRatio", trustOptions.parse(args));
}

/** scale_by_trust_ratio from parsed options (shared with lamb). */
export function trustCore(op: string, o: ScaleByTrustRatioOptions): GradientTransformation<EmptyState> {
  const minNorm = o.minNorm ?? 0;
  const coef = o.trustCoefficient ?? 1;
  const eps = o.eps ?? 0;
  return transformation(initEmpty, (updates, state, params) => {
    const p = needParams(op, params);
    const out = tm.mapLeaves(
      op,
      (u, x) => {
        const pn = safeNorm(x, minNorm);
        const un = safeNorm(u, minNorm);
        const ratio = np.divide(np.multiply(coef, pn), np.add(un, eps));
        const zero = np.logicalOr(np.equal(pn, 0), np.equal(un, 0));
        return np.multiply(u, np.where(zero, np.array(1, x.dtype), ratio).astype(u.dtype));
      },
      updates,
      p,
    );
    return [out, state];
  });
}

/** optax's `safe_norm(x, min_norm)`: the L2 norm, `minNorm` where it is at most minNorm (with a finite gradient). */
function safeNorm(x: NdArray, minNorm: number): NdArray {
  const n = np.sqrt(np.sum(np.square(x)));
  const safe = np.where(np.lessEqual(n, minNorm), np.onesLike(x), x);
  return np.where(np.lessEqual(n, minNorm), minNorm, np.sqrt(np.sum(np.square(safe))));
}
