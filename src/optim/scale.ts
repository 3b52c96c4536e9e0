/**
 * optax's scaling transformations: `scale`, `scale_by_schedule`,
 * `scale_by_learning_rate`, `add_decayed_weights` and `trace` (momentum).
 */
import { NdArray } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { ArgumentTypeError } from "../core/errors.js";
import { check, defineOptions, describeValue, is, noExtraArgs, orNull, type OptArgs } from "../core/options.js";
import * as np from "../numpy/index.js";
import { flattenTree } from "../tree/tree.js";
import { castTree, fullLikeTree, mapLeaves, safeIncrement, zeroCount } from "./tree-math.js";
import {
  initEmpty,
  transformation,
  type EmptyState,
  type GradientTransformation,
  type Params,
  type ScalarOrSchedule,
  type Schedule,
} from "./transform.js";

/** A number, a scalar Array or a schedule function. */
export const scalarOrSchedule = check<ScalarOrSchedule>(
  "a number, a scalar Array or a schedule (count) => value",
  (v) =>
    (typeof v === "number" && !Number.isNaN(v)) || typeof v === "function" || (v instanceof NdArray && v.ndim === 0),
);

/** Checks a required learning rate (or other scalar-or-schedule) argument. */
export function checkScalarOrSchedule(op: string, name: string, v: unknown): ScalarOrSchedule {
  if (!scalarOrSchedule.test(v)) {
    throw new ArgumentTypeError(`[${op}] ${name} must be ${scalarOrSchedule.expected}: got ${describeValue(v)}.`);
  }
  return v as ScalarOrSchedule;
}

/** Checks a required number argument. */
export function checkNumber(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || Number.isNaN(v)) {
    throw new ArgumentTypeError(`[${op}] ${name} must be a number: got ${describeValue(v)}.`);
  }
  return v;
}

/** Refuses a missing params argument where the transformation needs them (optax's NO_PARAMS_MSG). */
export function needParams(op: string, params: Params | undefined): Params {
  if (params === undefined || params === null) {
    throw new ArgumentTypeError(
      `[${op}] this transformation needs the params: got ${describeValue(params)}, expected update(updates, state, params).`,
    );
  }
  return params;
}

/** The state of a transformation that counts its steps: optax's `ScaleByScheduleState`. */
export interface CountState {
  /** The number of updates so far, an int32 scalar. */
  count: NdArray;
}

/**
 * `optax.scale(step_size)`: multiplies every update by `stepSize`.
 *
 * @example
 * const t = optim.scale(-0.1);
 * t.update(np.array([1, 2]), t.init(np.zeros([2]))); // [[-0.1, -0.2], {}]
 */
export function scale(stepSize: number | NdArray, ...rest: []): GradientTransformation<EmptyState> {
  noExtraArgs("optim.scale", rest);
  if (!(stepSize instanceof NdArray)) checkNumber("optim.scale", "stepSize", stepSize);
  return transformation(initEmpty, (updates, state) => [
    mapLeaves("optim.scale", (g) => np.multiply(stepSize, g), updates),
    state,
  ]);
}

/**
 * `optax.scale_by_schedule(step_size_fn)`: multiplies the updates by `stepSizeFn(count)`,
 * the value cast to each update's dtype, then counts the step.
 *
 * @example
 * const t = optim.scaleBySchedule(optim.linearSchedule(1, 0, 10));
 * const [u, s] = t.update(np.array([1.0]), t.init(np.zeros([1]))); // u = [1], s.count = 1
 */
export function scaleBySchedule(stepSizeFn: Schedule, ...rest: []): GradientTransformation<CountState> {
  const op = "optim.scaleBySchedule";
  noExtraArgs(op, rest);
  if (typeof stepSizeFn !== "function") {
    throw new ArgumentTypeError(
      `[${op}] stepSizeFn must be a function of the count: got ${describeValue(stepSizeFn)}.`,
    );
  }
  return transformation(
    () => ({ count: zeroCount() }),
    (updates, state) => {
      const step = np.asArray(stepSizeFn(state.count));
      const out = mapLeaves(op, (g) => np.multiply(step.astype(g.dtype), g), updates);
      return [out, { count: safeIncrement(state.count) }];
    },
  );
}

/** Options of {@link scaleByLearningRate}. */
export interface ScaleByLearningRateOptions {
  /** Multiply by `-learningRate` (descent), as optax's default `flip_sign=True`. */
  flipSign?: boolean;
}
const lrOptions = defineOptions("optim.scaleByLearningRate", { flipSign: is.bool }, []);

/**
 * `optax.scale_by_learning_rate(learning_rate, *, flip_sign=True)`: multiplies the updates by
 * `-learningRate` (a number or a schedule of the step count).
 *
 * @example
 * const t = optim.scaleByLearningRate(0.1);
 * t.update(np.array([1, 2]), t.init(np.zeros([2]))); // [[-0.1, -0.2], {}]
 */
export function scaleByLearningRate(
  learningRate: ScalarOrSchedule,
  ...args: OptArgs<[], ScaleByLearningRateOptions>
): GradientTransformation {
  const op = "optim.scaleByLearningRate";
  const o = lrOptions.parse(args);
  checkScalarOrSchedule(op, "learningRate", learningRate);
  const m = o.flipSign === false ? 1 : -1;
  if (typeof learningRate === "function") {
    return scaleBySchedule((count) => np.multiply(m, learningRate(count))) as GradientTransformation;
  }
  return scale(m === 1 ? learningRate : np.negative(learningRate)) as GradientTransformation;
}

/** A weight-decay mask: a tree of booleans with the params' structure, or a function of the params giving one. */
export type Mask = unknown;

/** Options of {@link addDecayedWeights}. */
export interface AddDecayedWeightsOptions {
  /** The decay rate: a number or a schedule of the step count (optax's default 0). */
  weightDecay?: ScalarOrSchedule;
  /** Which leaves decay: a tree of booleans like the params, or a function of the params giving one. */
  mask?: Mask | null;
}
/** A mask: anything but undefined (its structure is checked against the params at update). */
export const maskTreeCheck = check<Mask>("a tree of booleans or a function of the params", (v) => v !== undefined);
const decayOptions = defineOptions(
  "optim.addDecayedWeights",
  { weightDecay: scalarOrSchedule, mask: orNull(maskTreeCheck) },
  ["weightDecay", "mask"],
  { trailingMayBeData: true },
);

/**
 * `optax.add_decayed_weights(weight_decay=0.0, mask=None)`: adds `weightDecay * params`
 * to the updates (decoupled weight decay), only at the leaves where `mask` is true.
 *
 * @example
 * const t = optim.addDecayedWeights(0.1);
 * const p = np.array([1, 2]);
 * t.update(np.array([0, 0]), t.init(p), p); // [[0.1, 0.2], {}]
 */
export function addDecayedWeights(
  ...args: OptArgs<[ScalarOrSchedule, (Mask | null)?], AddDecayedWeightsOptions>
): GradientTransformation {
  const op = "optim.addDecayedWeights";
  const o = decayOptions.parse(args);
  const wd = o.weightDecay ?? 0;
  const scheduled = typeof wd === "function";
  return transformation<EmptyState | CountState>(
    (): EmptyState | CountState => (scheduled ? { count: zeroCount() } : {}),
    (updates, state, params) => {
      const p = needParams(op, params);
      const count = (state as CountState).count;
      const next = (scheduled ? { count: safeIncrement(count) } : state) as EmptyState | CountState;
      if (wd === 0) return [updates, next];
      const s = scheduled ? wd(count) : wd;
      const keep = maskLeaves(op, o.mask, p);
      let i = 0;
      const out = mapLeaves(op, (g, x) => (keep[i++] ? np.add(g, np.multiply(s, x)) : g), updates, p);
      return [out, next];
    },
  ) as GradientTransformation;
}

/** The mask as one JS boolean per leaf of params (all true without a mask). */
export function maskLeaves(op: string, mask: Mask | null | undefined, params: Params): boolean[] {
  const [pl, pd] = flattenTree(params, null, op);
  if (mask === null || mask === undefined) return pl.map(() => true);
  const m = typeof mask === "function" ? (mask as (p: Params) => unknown)(params) : mask;
  const [ml, md] = flattenTree(m, null, op);
  if (!md.equals(pd)) {
    throw new ArgumentTypeError(
      `[${op}] mask structure mismatch: got ${md}, expected ${pd} (the params' structure) with a boolean at each leaf.`,
    );
  }
  return ml.map((b) => {
    if (typeof b !== "boolean") {
      throw new ArgumentTypeError(`[${op}] each leaf of mask must be a boolean: got ${describeValue(b)}.`);
    }
    return b;
  });
}

/** The state of {@link traceTransform}: optax's `TraceState`. */
export interface TraceState {
  /** The momentum buffer, a tree like the params. */
  trace: unknown;
}

/** Options of {@link traceTransform}. */
export interface TraceOptions {
  /** Nesterov momentum: `g + decay * trace` instead of `trace`. */
  nesterov?: boolean;
  /** The dtype to keep the momentum buffer in (null: the params' dtype). */
  accumulatorDtype?: DType | null;
}
const traceOptions = defineOptions("optim.traceTransform", { nesterov: is.bool, accumulatorDtype: orNull(is.dtype) }, [
  "nesterov",
  "accumulatorDtype",
]);

/**
 * `optax.trace(decay, nesterov=False, accumulator_dtype=None)`: momentum.
 * `trace = g + decay * trace`; the update is `trace`, or `g + decay * trace` with nesterov.
 * (Named traceTransform: `np.trace` is the matrix trace.)
 *
 * @example
 * const t = optim.traceTransform(0.9);
 * let s = t.init(np.zeros([1]));
 * [, s] = t.update(np.array([1]), s); // trace = [1]
 * t.update(np.array([1]), s)[0]; // [1.9]
 */
export function traceTransform(
  decay: number,
  ...args: OptArgs<[boolean, (DType | null)?], TraceOptions>
): GradientTransformation<TraceState> {
  const op = "optim.traceTransform";
  const o = traceOptions.parse(args);
  checkNumber(op, "decay", decay);
  return transformation(
    (params) => ({ trace: fullLikeTree(op, params, 0, o.accumulatorDtype) }),
    (updates, state) => {
      const f = (g: NdArray, t: NdArray): NdArray => np.add(g, np.multiply(decay, t));
      const trace = mapLeaves(op, f, updates, state.trace);
      const out = o.nesterov ? mapLeaves(op, f, updates, trace) : trace;
      return [out, { trace: castTree(op, trace, o.accumulatorDtype) }];
    },
  );
}
