/**
 * optax's central type: a GradientTransformation is a pair of pure functions,
 * `init(params) => state` and `update(updates, state, params?) => [updates, state]`.
 * States are pytrees of Arrays (step counts are int32 scalars), so a whole
 * update step can be jitted.
 */
import type { NdArray, ArrayLike } from "../core/array.js";
import { ArgumentTypeError } from "../core/errors.js";
import { describeValue, noExtraArgs } from "../core/options.js";

/** A pytree of parameters (arrays in nested objects and JS arrays). No JAX twin as a type: optax's `Params`. */
export type Params = unknown;
/** A pytree of updates with the structure of the parameters: optax's `Updates`. */
export type Updates = unknown;
/** An optimizer state: a pytree of Arrays, optax's `OptState`. */
export type OptState = unknown;

/**
 * optax's `Schedule`: a function of the int32 step count (a JS number or a scalar Array,
 * traced under jit) giving a scalar.
 */
export type Schedule = (count: ArrayLike) => ArrayLike;

/** optax's `ScalarOrSchedule`: a fixed number (or scalar Array) or a {@link Schedule}. */
export type ScalarOrSchedule = number | NdArray | Schedule;

/**
 * optax's `GradientTransformation(init, update)`: `init(params)` gives the initial state,
 * `update(updates, state, params?)` the transformed updates and the next state as a
 * JS array `[updates, state]` (optax's tuple).
 */
export interface GradientTransformation<S = OptState> {
  /** The initial state for these parameters. */
  init(params: Params): S;
  /** The transformed updates and the next state. `params` is needed by some (weight decay, trust ratio). */
  update<U>(updates: U, state: S, params?: Params): [U, S];
}

/** Builds a GradientTransformation from untyped init and update functions. */
export function transformation<S>(
  init: (params: Params) => S,
  update: (updates: Updates, state: S, params: Params | undefined) => [Updates, S],
): GradientTransformation<S> {
  return {
    init,
    update: <U>(updates: U, state: S, params?: Params): [U, S] => update(updates, state, params) as [U, S],
  };
}

/** The state of a stateless transformation: optax's `EmptyState()`, an empty object. */
export type EmptyState = Record<string, never>;

/** optax's `init_empty_state`. */
export const initEmpty = (): EmptyState => ({});

/**
 * `optax.identity()`: passes the updates through unchanged, with an empty state.
 *
 * @example
 * const t = optim.identity();
 * t.update({ w: np.ones([2]) }, t.init({ w: np.ones([2]) })); // [{ w: [1, 1] }, {}]
 */
export function identity(...rest: []): GradientTransformation<EmptyState> {
  noExtraArgs("optim.identity", rest);
  return transformation(initEmpty, (u, s) => [u, s]);
}

/** Whether `t` looks like a GradientTransformation. */
export function isTransformation(t: unknown): t is GradientTransformation {
  return (
    typeof t === "object" &&
    t !== null &&
    typeof (t as GradientTransformation).init === "function" &&
    typeof (t as GradientTransformation).update === "function"
  );
}

/** Refuses anything that is not a GradientTransformation, naming where it was given. */
export function checkTransformation(op: string, t: unknown, what: string): GradientTransformation {
  if (!isTransformation(t)) {
    throw new ArgumentTypeError(
      `[${op}] ${what} must be a GradientTransformation: got ${describeValue(t)}, expected an object with init and update functions.`,
    );
  }
  return t;
}

/**
 * `optax.chain(*transforms)`: applies the transformations in order, each to the
 * updates the previous one produced. The state is a JS array of their states.
 *
 * @example
 * const opt = optim.chain(optim.clipByGlobalNorm(1.0), optim.scaleByAdam(), optim.scaleByLearningRate(1e-3));
 * let state = opt.init(params);
 * [updates, state] = opt.update(grads, state, params);
 */
export function chain(...transforms: GradientTransformation[]): GradientTransformation<OptState[]> {
  const ts = transforms.map((t, i) => checkTransformation("optim.chain", t, `transform ${i}`));
  return transformation(
    (params) => ts.map((t) => t.init(params)),
    (updates, state, params) => {
      if (!Array.isArray(state) || state.length !== ts.length) {
        throw new ArgumentTypeError(
          `[optim.chain] state must be the JS array of ${ts.length} states that init returned: got ${describeValue(state)}.`,
        );
      }
      const next: OptState[] = [];
      let u = updates;
      ts.forEach((t, i) => {
        const [v, s] = t.update(u, state[i], params);
        u = v;
        next.push(s);
      });
      return [u, next];
    },
  );
}
