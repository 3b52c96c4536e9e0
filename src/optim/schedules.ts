/**
 * optax's schedules: functions of the step count giving a scalar. Each works with a
 * JS number and with an int32 Array count (traced under jit), written with numpy's
 * `where`/`minimum`/`clip` as optax writes them with jnp.
 */
import type { ArrayLike, NdArray } from "../core/array.js";
import { ArgumentTypeError } from "../core/errors.js";
import { defineOptions, describeValue, is, noExtraArgs, orNull, type OptArgs } from "../core/options.js";
import * as np from "../numpy/index.js";
import { checkNumber } from "./scale.js";
import type { Schedule } from "./transform.js";

const op = (name: string): string => `optim.${name}`;

function checkSteps(name: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new ArgumentTypeError(`[${op(name)}] ${what} must be an integer number of steps: got ${describeValue(v)}.`);
  }
  return v;
}

/**
 * `optax.constant_schedule(value)`: the same value at every count.
 *
 * @example
 * optim.constantSchedule(0.1)(1000); // 0.1
 */
export function constantSchedule(value: ArrayLike, ...rest: []): Schedule {
  noExtraArgs(op("constantSchedule"), rest);
  if (typeof value !== "number" && !(typeof value === "object" && value !== null && "aval" in value)) {
    throw new ArgumentTypeError(
      `[optim.constantSchedule] value must be a number or an Array: got ${describeValue(value)}.`,
    );
  }
  return () => value;
}

/** Options of {@link polynomialSchedule} and {@link linearSchedule}. */
export interface PolynomialScheduleOptions {
  /** The count at which the transition starts (0; negative counts as 0). */
  transitionBegin?: number;
}
const polyOptions = defineOptions(op("polynomialSchedule"), { transitionBegin: is.int }, ["transitionBegin"]);
const linearOptions = defineOptions(op("linearSchedule"), { transitionBegin: is.int }, ["transitionBegin"]);

/**
 * `optax.polynomial_schedule(init_value, end_value, power, transition_steps, transition_begin=0)`:
 * `(init - end) (1 - c/transitionSteps)^power + end` with `c = clip(count - transitionBegin, 0, transitionSteps)`;
 * constant `initValue` when transitionSteps ≤ 0.
 *
 * @example
 * optim.polynomialSchedule(1, 0, 2, 10)(5); // 0.25
 */
export function polynomialSchedule(
  initValue: number,
  endValue: number,
  power: number,
  transitionSteps: number,
  ...args: OptArgs<[number], PolynomialScheduleOptions>
): Schedule {
  return polynomial("polynomialSchedule", initValue, endValue, power, transitionSteps, polyOptions.parse(args));
}

function polynomial(
  name: string,
  initValue: number,
  endValue: number,
  power: number,
  transitionSteps: number,
  o: PolynomialScheduleOptions,
): Schedule {
  checkNumber(op(name), "initValue", initValue);
  checkNumber(op(name), "endValue", endValue);
  checkNumber(op(name), "power", power);
  checkSteps(name, "transitionSteps", transitionSteps);
  if (transitionSteps <= 0) return () => initValue;
  const begin = Math.max(0, o.transitionBegin ?? 0);
  return (count) => {
    const c = np.clip(np.subtract(count, begin), 0, transitionSteps);
    const frac = np.subtract(1, np.divide(c, transitionSteps));
    return np.add(np.multiply(initValue - endValue, np.power(frac, power)), endValue);
  };
}

/**
 * `optax.linear_schedule(init_value, end_value, transition_steps, transition_begin=0)`: linear
 * from `initValue` at `transitionBegin` to `endValue` `transitionSteps` later, constant outside.
 *
 * @example
 * optim.linearSchedule(1, 0, 10)(5); // 0.5
 */
export function linearSchedule(
  initValue: number,
  endValue: number,
  transitionSteps: number,
  ...args: OptArgs<[number], PolynomialScheduleOptions>
): Schedule {
  return polynomial("linearSchedule", initValue, endValue, 1, transitionSteps, linearOptions.parse(args));
}

/** Options of {@link exponentialDecay} (optax: transition_begin=0, staircase=False, end_value=None). */
export interface ExponentialDecayOptions {
  /** The count at which decay starts (0; negative counts as 0). */
  transitionBegin?: number;
  /** Decay in whole steps of transitionSteps (`floor` of the exponent). */
  staircase?: boolean;
  /** A bound the value never passes (a floor when decayRate < 1, a ceiling otherwise); null: none. */
  endValue?: number | null;
}
const expOptions = defineOptions(
  op("exponentialDecay"),
  { transitionBegin: is.int, staircase: is.bool, endValue: orNull(is.number) },
  ["transitionBegin", "staircase", "endValue"],
);

/**
 * `optax.exponential_decay(init_value, transition_steps, decay_rate, transition_begin=0, staircase=False, end_value=None)`:
 * `initValue * decayRate^((count - transitionBegin) / transitionSteps)` after transitionBegin
 * (floored exponent with staircase), `initValue` before, bounded by endValue. Constant when
 * transitionSteps ≤ 0 or decayRate is 0.
 *
 * @example
 * optim.exponentialDecay(1, 10, 0.5)(20); // 0.25
 */
export function exponentialDecay(
  initValue: number,
  transitionSteps: number,
  decayRate: number,
  ...args: OptArgs<[number, boolean?, (number | null)?], ExponentialDecayOptions>
): Schedule {
  const name = "exponentialDecay";
  const o = expOptions.parse(args);
  checkNumber(op(name), "initValue", initValue);
  checkSteps(name, "transitionSteps", transitionSteps);
  checkNumber(op(name), "decayRate", decayRate);
  if (transitionSteps <= 0 || decayRate === 0) return () => initValue;
  const begin = Math.max(0, o.transitionBegin ?? 0);
  const end = o.endValue ?? null;
  return (count) => {
    const d = np.subtract(count, begin);
    let p = np.divide(d, transitionSteps);
    if (o.staircase) p = np.floor(p);
    let v = np.where(np.lessEqual(d, 0), initValue, np.multiply(initValue, np.power(decayRate, p)));
    if (end !== null) v = decayRate < 1 ? np.maximum(v, end) : np.minimum(v, end);
    return v;
  };
}

/** Options of {@link cosineDecaySchedule} (optax: alpha=0.0, exponent=1.0). */
export interface CosineDecayOptions {
  /** The final value as a fraction of initValue (0). */
  alpha?: number;
  /** The power of the cosine factor (1). */
  exponent?: number;
}
const cosineOptions = defineOptions(op("cosineDecaySchedule"), { alpha: is.number, exponent: is.number }, [
  "alpha",
  "exponent",
]);

/**
 * `optax.cosine_decay_schedule(init_value, decay_steps, alpha=0.0, exponent=1.0)`:
 * `initValue ((1 - alpha) (½(1 + cos(π min(count, decaySteps) / decaySteps)))^exponent + alpha)`.
 *
 * @example
 * optim.cosineDecaySchedule(1, 10)(5); // 0.5
 */
export function cosineDecaySchedule(
  initValue: number,
  decaySteps: number,
  ...args: OptArgs<[number, number?], CosineDecayOptions>
): Schedule {
  return cosine("cosineDecaySchedule", initValue, decaySteps, cosineOptions.parse(args));
}

function cosine(name: string, initValue: number, decaySteps: number, o: CosineDecayOptions): Schedule {
  checkNumber(op(name), "initValue", initValue);
  checkSteps(name, "decaySteps", decaySteps);
  if (!(decaySteps > 0)) {
    throw new ArgumentTypeError(
      `[${op(name)}] the cosine decay needs positive decaySteps: got ${decaySteps}, expected an integer > 0.`,
    );
  }
  const alpha = o.alpha ?? 0;
  const exponent = o.exponent ?? 1;
  return (count) => {
    const c = np.divide(np.minimum(count, decaySteps), decaySteps);
    const cos = np.multiply(0.5, np.add(1, np.cos(np.multiply(Math.PI, c))));
    return np.multiply(initValue, np.add(np.multiply(1 - alpha, np.power(cos, exponent)), alpha));
  };
}

/** The parameters of {@link warmupCosineDecaySchedule}, all in one object. */
export interface WarmupCosineDecayConfig {
  /** The value at count 0. */
  initValue: number;
  /** The value at the end of the warmup. */
  peakValue: number;
  /** Steps of linear warmup from initValue to peakValue. */
  warmupSteps: number;
  /** The total length of the schedule, warmup included. */
  decaySteps: number;
  /** The final value (0). */
  endValue?: number;
  /** The power of the cosine factor (1). */
  exponent?: number;
}
/** Options of {@link warmupCosineDecaySchedule} in the positional form (optax: end_value=0.0, exponent=1.0). */
export interface WarmupCosineDecayOptions {
  /** The final value (0). */
  endValue?: number;
  /** The power of the cosine factor (1). */
  exponent?: number;
}
const warmupKeys = ["initValue", "peakValue", "warmupSteps", "decaySteps", "endValue", "exponent"] as const;
const warmupOptions = defineOptions(
  op("warmupCosineDecaySchedule"),
  {
    initValue: is.number,
    peakValue: is.number,
    warmupSteps: is.int,
    decaySteps: is.int,
    endValue: is.number,
    exponent: is.number,
  },
  [...warmupKeys],
);

/**
 * `optax.warmup_cosine_decay_schedule(init_value, peak_value, warmup_steps, decay_steps, end_value=0.0, exponent=1.0)`:
 * linear warmup from initValue to peakValue over warmupSteps, then cosine decay to endValue at
 * decaySteps. Positional, or one object `{ initValue, peakValue, warmupSteps, decaySteps, endValue, exponent }`.
 *
 * @example
 * const lr = optim.warmupCosineDecaySchedule({ initValue: 0, peakValue: 1e-3, warmupSteps: 100, decaySteps: 1000 });
 * lr(50); // 5e-4
 */
export function warmupCosineDecaySchedule(config: WarmupCosineDecayConfig): Schedule;
export function warmupCosineDecaySchedule(
  initValue: number,
  peakValue: number,
  warmupSteps: number,
  decaySteps: number,
  ...args: OptArgs<[number, number?], WarmupCosineDecayOptions>
): Schedule;
export function warmupCosineDecaySchedule(...args: unknown[]): Schedule {
  const name = "warmupCosineDecaySchedule";
  const o = warmupOptions.parse(args);
  for (const k of warmupKeys.slice(0, 4)) {
    if (o[k] === undefined) {
      throw new ArgumentTypeError(
        `[${op(name)}] missing ${k}: expected (initValue, peakValue, warmupSteps, decaySteps, endValue?, exponent?) ` +
          `or one object with those keys.`,
      );
    }
  }
  const { initValue, peakValue, warmupSteps, decaySteps } = o as Required<WarmupCosineDecayConfig>;
  const endValue = o.endValue ?? 0;
  const alpha = peakValue === 0 ? 0 : endValue / peakValue;
  return join(
    name,
    [
      polynomial(name, initValue, peakValue, 1, warmupSteps, {}),
      cosine(name, peakValue, decaySteps - warmupSteps, { alpha, exponent: o.exponent ?? 1 }),
    ],
    [warmupSteps],
  );
}

/**
 * `optax.join_schedules(schedules, boundaries)`: `schedules[0]` before `boundaries[0]`, then
 * `schedules[i](count - boundaries[i-1])` from `boundaries[i-1]` on.
 *
 * @example
 * const s = optim.joinSchedules([optim.constantSchedule(1), optim.linearSchedule(1, 0, 10)], [5]);
 * s(10); // 0.5
 */
export function joinSchedules(schedules: readonly Schedule[], boundaries: readonly number[], ...rest: []): Schedule {
  const name = "joinSchedules";
  noExtraArgs(op(name), rest);
  if (!Array.isArray(schedules) || schedules.length === 0 || !schedules.every((s) => typeof s === "function")) {
    throw new ArgumentTypeError(
      `[${op(name)}] schedules must be a non-empty array of functions: got ${describeValue(schedules)}.`,
    );
  }
  if (!Array.isArray(boundaries) || boundaries.length !== schedules.length - 1) {
    throw new ArgumentTypeError(
      `[${op(name)}] boundaries must be an array of ${schedules.length - 1} integer step(s), one between each two schedules: got ${describeValue(boundaries)}.`,
    );
  }
  boundaries.forEach((b) => checkSteps(name, "each boundary", b));
  return join(name, schedules, boundaries);
}

function join(_name: string, schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  return (step) => {
    let out: ArrayLike | NdArray = schedules[0](step);
    boundaries.forEach((b, i) => {
      out = np.where(np.less(step, b), out, schedules[i + 1](np.subtract(step, b)));
    });
    return out;
  };
}
