/** optax's clipping transformations: `clip` and `clip_by_global_norm`. */
import { noExtraArgs } from "../core/options.js";
import * as np from "../numpy/index.js";
import * as lax from "../lax/index.js";
import { globalNorm, mapLeaves } from "./tree-math.js";
import { checkNumber } from "./scale.js";
import { initEmpty, transformation, type EmptyState, type GradientTransformation } from "./transform.js";

/**
 * `optax.clip(max_delta)`: clips every update elementwise to `[-maxDelta, maxDelta]`.
 *
 * @example
 * const t = optim.clip(1.0);
 * t.update(np.array([-3, 0.5, 2]), t.init(np.zeros([3])))[0]; // [-1, 0.5, 1]
 */
export function clip(maxDelta: number, ...rest: []): GradientTransformation<EmptyState> {
  const op = "optim.clip";
  noExtraArgs(op, rest);
  checkNumber(op, "maxDelta", maxDelta);
  return transformation(initEmpty, (updates, state) => [
    mapLeaves(op, (g) => np.clip(g, -maxDelta, maxDelta), updates),
    state,
  ]);
}

/**
 * `optax.clip_by_global_norm(max_norm)`: when the L2 norm of all the updates together
 * is at least `maxNorm`, scales them all by `maxNorm / norm`.
 *
 * @example
 * const t = optim.clipByGlobalNorm(1.0);
 * t.update({ a: np.array([3.0]), b: np.array([4.0]) }, t.init({ a: 0, b: 0 }))[0]; // { a: [0.6], b: [0.8] }
 */
export function clipByGlobalNorm(maxNorm: number, ...rest: []): GradientTransformation<EmptyState> {
  const op = "optim.clipByGlobalNorm";
  noExtraArgs(op, rest);
  checkNumber(op, "maxNorm", maxNorm);
  return transformation(initEmpty, (updates, state) => {
    const norm = globalNorm(op, updates);
    const trigger = np.less(norm, maxNorm);
    const out = mapLeaves(
      op,
      (t) => lax.select(trigger, t, np.multiply(np.divide(t, norm.astype(t.dtype)), maxNorm)),
      updates,
    );
    return [out, state];
  });
}
