/** optax's `apply_updates`. */
import { noExtraArgs } from "../core/options.js";
import * as np from "../numpy/index.js";
import { mapLeaves } from "./tree-math.js";

/**
 * `optax.apply_updates(params, updates)`: `params + updates` at each leaf, in each
 * param's dtype. The two trees must have the same structure (a TreeMismatchError names both).
 *
 * @example
 * const params = { w: np.array([1.0, 2.0]) };
 * optim.applyUpdates(params, { w: np.array([0.5, -0.5]) }); // { w: [1.5, 1.5] }
 */
export function applyUpdates<P>(params: P, updates: unknown, ...rest: []): P {
  const op = "optim.applyUpdates";
  noExtraArgs(op, rest);
  return mapLeaves(op, (p, u) => np.add(p, u).astype(p.dtype), params, updates) as P;
}
