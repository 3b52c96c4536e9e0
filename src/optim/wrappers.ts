/**
 * optax's wrappers around another transformation: `apply_if_finite` (skip steps with
 * NaN or Inf updates) and `MultiSteps` (gradient accumulation over k steps).
 */
import type { NdArray, ArrayLike } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { ArgumentTypeError } from "../core/errors.js";
import { check, defineOptions, describeValue, is, noExtraArgs, orNull, type OptArgs } from "../core/options.js";
import * as np from "../numpy/index.js";
import * as lax from "../lax/index.js";
import * as tm from "./tree-math.js";
import {
  checkTransformation,
  transformation,
  type GradientTransformation,
  type OptState,
  type Params,
} from "./transform.js";

/** The state of {@link applyIfFinite}: optax's `ApplyIfFiniteState`. */
export interface ApplyIfFiniteState {
  /** Non-finite updates in a row, an int32 scalar. */
  notfiniteCount: NdArray;
  /** Whether the last update was finite, a bool scalar. */
  lastFinite: NdArray;
  /** Non-finite updates in all, an int32 scalar. */
  totalNotfinite: NdArray;
  /** The wrapped transformation's state. */
  innerState: OptState;
}

/** Whether every element of every leaf is finite, as a bool scalar. */
function allFinite(op: string, t: unknown): NdArray {
  return tm.leavesOf(op, t).reduce((acc, x) => np.logicalAnd(acc, np.all(np.isfinite(x))), np.array(true));
}

/**
 * `optax.apply_if_finite(inner, max_consecutive_errors)`: applies `inner` only when every
 * update is finite; otherwise returns zero updates and keeps inner's state, counting the
 * rejections. After more than `maxConsecutiveErrors` non-finite steps in a row, the update
 * goes through anyway (as optax).
 *
 * @example
 * const opt = optim.applyIfFinite(optim.sgd(0.1), 3);
 * const [u, s] = opt.update(np.array([NaN]), opt.init(np.zeros([1]))); // u = [0], s.totalNotfinite = 1
 */
export function applyIfFinite(
  inner: GradientTransformation,
  maxConsecutiveErrors: number,
  ...rest: []
): GradientTransformation<ApplyIfFiniteState> {
  const op = "optim.applyIfFinite";
  noExtraArgs(op, rest);
  const t = checkTransformation(op, inner, "inner");
  if (typeof maxConsecutiveErrors !== "number" || !Number.isInteger(maxConsecutiveErrors)) {
    throw new ArgumentTypeError(
      `[${op}] maxConsecutiveErrors must be an integer: got ${describeValue(maxConsecutiveErrors)}.`,
    );
  }
  return transformation(
    (params) => ({
      notfiniteCount: tm.zeroCount(),
      lastFinite: np.array(true),
      totalNotfinite: tm.zeroCount(),
      innerState: t.init(params),
    }),
    (updates, state, params) => {
      const finite = allFinite(op, updates);
      const notfiniteCount = np.where(finite, tm.zeroCount(), tm.safeIncrement(state.notfiniteCount));
      const apply = np.logicalOr(finite, np.greater(notfiniteCount, maxConsecutiveErrors));
      const [out, innerState] = lax.cond(
        apply,
        (u: unknown, s: unknown) => t.update(u, s, params),
        (u: unknown, s: unknown) => [tm.fullLikeTree(op, u, 0), s],
        updates,
        state.innerState,
      ) as [unknown, OptState];
      return [
        out,
        {
          notfiniteCount,
          lastFinite: finite,
          totalNotfinite: np.where(finite, state.totalNotfinite, tm.safeIncrement(state.totalNotfinite)),
          innerState,
        },
      ];
    },
  );
}

/** The state of {@link multiSteps}: optax's `MultiStepsState`. */
export interface MultiStepsState {
  /** The mini-step within the current accumulation, an int32 scalar in [0, k). */
  miniStep: NdArray;
  /** Updates of the inner optimizer so far, an int32 scalar. */
  gradientStep: NdArray;
  /** The inner optimizer's state. */
  innerOptState: OptState;
  /** The accumulated gradients (their mean with useGradMean, else their sum). */
  accGrads: unknown;
  /** What shouldSkipUpdateFn reported last (an empty object without one). */
  skipState: unknown;
}

/** optax's `ShouldSkipUpdateFunction`: `(updates, gradientStep, params) => [shouldSkip (bool scalar), skipState]`. */
export type ShouldSkipUpdateFunction = (
  updates: unknown,
  gradientStep: NdArray,
  params: Params,
) => [ArrayLike, unknown];

/**
 * `optax.skip_not_finite(updates, gradient_step, params)`: for multiSteps' shouldSkipUpdateFn,
 * skip a mini-step whose updates hold a NaN or an Inf.
 *
 * @example
 * const opt = optim.multiSteps(optim.sgd(0.1), 2, { shouldSkipUpdateFn: optim.skipNotFinite });
 */
export function skipNotFinite(updates: unknown, _gradientStep?: unknown, _params?: unknown): [NdArray, unknown] {
  const op = "optim.skipNotFinite";
  const numNotFinite = tm
    .leavesOf(op, updates)
    .reduce((acc, x) => np.add(acc, np.sum(np.logicalNot(np.isfinite(x)), null, "int32")), tm.zeroCount());
  const shouldSkip = np.greater(numNotFinite, 0);
  return [shouldSkip, { shouldSkip, numNotFinite }];
}

/** A GradientTransformation accumulating gradients: optax's `MultiSteps(...).gradient_transformation()` plus `has_updated`. */
export interface MultiSteps extends GradientTransformation<MultiStepsState> {
  /** The wrapped optimizer. */
  readonly innerOpt: GradientTransformation;
  /** Whether the last update applied the inner optimizer: a bool scalar. */
  hasUpdated(state: MultiStepsState): NdArray;
}

/** Options of {@link multiSteps} (optax: use_grad_mean=True, should_skip_update_fn=None, accumulator_dtype=float32). */
export interface MultiStepsOptions {
  /** Accumulate the mean of the gradients (true) or their sum (false). */
  useGradMean?: boolean;
  /** Decides per mini-step whether to ignore its gradients (e.g. {@link skipNotFinite}); null: never. */
  shouldSkipUpdateFn?: ShouldSkipUpdateFunction | null;
  /** The dtype of the accumulated gradients ("float32", as optax). */
  accumulatorDtype?: DType;
}
const multiOptions = defineOptions(
  "optim.multiSteps",
  {
    useGradMean: is.bool,
    shouldSkipUpdateFn: orNull(check<ShouldSkipUpdateFunction>("a function", (v) => typeof v === "function")),
    accumulatorDtype: is.dtype,
  },
  ["useGradMean", "shouldSkipUpdateFn", "accumulatorDtype"],
);

/**
 * `optax.MultiSteps(opt, every_k_schedule, use_grad_mean=True, should_skip_update_fn=None, accumulator_dtype=jnp.float32)`:
 * accumulates the gradients of k mini-steps (`everyKSchedule`: a number, or a function of
 * the inner optimizer's step count) and applies `opt` to their mean on every k-th; the other
 * mini-steps give zero updates. Returns optax's `.gradient_transformation()` with `hasUpdated`.
 *
 * @example
 * const opt = optim.multiSteps(optim.adam(1e-3), 4);
 * let state = opt.init(params);
 * [updates, state] = opt.update(grads, state, params); // zeros until the 4th call
 */
export function multiSteps(
  opt: GradientTransformation,
  everyKSchedule: number | ((step: NdArray) => ArrayLike),
  ...args: OptArgs<[boolean, (ShouldSkipUpdateFunction | null)?, DType?], MultiStepsOptions>
): MultiSteps {
  const op = "optim.multiSteps";
  const o = multiOptions.parse(args);
  const inner = checkTransformation(op, opt, "opt");
  if (!(typeof everyKSchedule === "function" || (Number.isInteger(everyKSchedule) && everyKSchedule > 0))) {
    throw new ArgumentTypeError(
      `[${op}] everyKSchedule must be a positive integer or a function of the step: got ${describeValue(everyKSchedule)}.`,
    );
  }
  const everyK = typeof everyKSchedule === "function" ? everyKSchedule : () => everyKSchedule;
  const accDtype = o.accumulatorDtype ?? "float32";
  const mean = o.useGradMean ?? true;
  const skipFn = o.shouldSkipUpdateFn ?? null;
  const t = transformation<MultiStepsState>(
    (params) => ({
      miniStep: tm.zeroCount(),
      gradientStep: tm.zeroCount(),
      innerOptState: inner.init(params),
      accGrads: tm.fullLikeTree(op, params, 0, accDtype),
      skipState: skipFn ? skipFn(tm.fullLikeTree(op, params, 0), tm.zeroCount(), params)[1] : {},
    }),
    (updates, state, params) => {
      const k = np.asArray(everyK(state.gradientStep));
      const n = state.miniStep;
      const acc = tm.mapLeaves(
        op,
        (g, a) => (mean ? np.add(a, np.divide(np.subtract(g, a), np.add(n, 1))) : np.add(g, a)),
        updates,
        state.accGrads,
      );
      const [final, newInner] = inner.update(tm.castLike(op, acc, updates), state.innerOptState, params);
      const emit = np.equal(n, np.subtract(k, 1));
      const as = (x: NdArray, like: NdArray): NdArray => x.astype(like.dtype);
      const done: [unknown, MultiStepsState] = [
        tm.mapLeaves(op, (u) => np.multiply(as(emit, u), u), final),
        {
          miniStep: np.remainder(tm.safeIncrement(n), k).astype("int32"),
          gradientStep: np.where(emit, tm.safeIncrement(state.gradientStep), state.gradientStep),
          innerOptState: tm.mapLeaves(
            op,
            (st, nst) => np.where(emit, nst, st).astype(st.dtype),
            state.innerOptState,
            newInner,
          ),
          accGrads: tm.mapLeaves(op, (a) => np.multiply(np.subtract(1, as(emit, a)), a).astype(accDtype), acc),
          skipState: state.skipState,
        },
      ];
      if (!skipFn) return done;
      const [skipRaw, skipState] = skipFn(updates, state.gradientStep, params);
      const skip = np.asArray(skipRaw);
      if (skip.dtype !== "bool" || skip.ndim !== 0) {
        throw new ArgumentTypeError(
          `[${op}] shouldSkipUpdateFn must return a boolean scalar first: got ${skip.aval.str()}.`,
        );
      }
      const kept: [unknown, MultiStepsState] = [tm.fullLikeTree(op, done[0], 0), { ...state, skipState }];
      const chosen = tm.mapLeaves(op, (a, b) => np.where(skip, a, b), kept, [done[0], { ...done[1], skipState }]);
      return chosen as [unknown, MultiStepsState];
    },
  );
  return {
    ...t,
    innerOpt: inner,
    hasUpdated: (state) => np.logicalAnd(np.equal(state.miniStep, 0), np.greater(state.gradientStep, 0)),
  };
}
