/**
 * Tree arithmetic shared by the optimizers (optax's `optax.tree` helpers): maps
 * over trees of exactly the same structure, moments, bias correction and the
 * int32 step counter. Internal to optim.
 */
import type { NdArray, ArrayLike } from "../core/array.js";
import type { DType } from "../core/dtypes.js";
import { ArgumentTypeError } from "../core/errors.js";
import { describeValue } from "../core/options.js";
import * as np from "../numpy/index.js";
import { flattenTree, unflattenTree, mismatch } from "../tree/tree.js";

/**
 * `f` at each leaf of `first` and the matching leaves of `others`, which must
 * have exactly `first`'s structure (optax's trees of params, updates and
 * moments always do): a different structure is a TreeMismatchError naming both.
 */
export function mapLeaves(
  op: string,
  f: (...leaves: NdArray[]) => unknown,
  first: unknown,
  ...others: unknown[]
): unknown {
  const [leaves, def] = flattenTree(first, null, op);
  const rest = others.map((t) => {
    const [ls, d] = flattenTree(t, null, op);
    if (!d.equals(def)) throw mismatch(op, def, d, "updates/state/params");
    return ls;
  });
  const out = leaves.map((x, i) => f(asLeaf(op, x), ...rest.map((ls) => asLeaf(op, ls[i]))));
  return unflattenTree(def, out, op);
}

function asLeaf(op: string, x: unknown): NdArray {
  if (typeof x === "object" && x !== null && "aval" in x) return x as NdArray;
  if (typeof x === "number" || typeof x === "boolean") return np.asArray(x);
  throw new ArgumentTypeError(
    `[${op}] every leaf of params, updates and states must be an Array or a number: got ${describeValue(x)}.`,
  );
}

/** The leaves of a tree as Arrays. */
export function leavesOf(op: string, t: unknown): NdArray[] {
  return flattenTree(t, null, op)[0].map((x) => asLeaf(op, x));
}

/** A tree like `t` filled with `value`, in each leaf's dtype or in `dtype`. */
export function fullLikeTree(op: string, t: unknown, value: number, dtype?: DType | null): unknown {
  return mapLeaves(op, (x) => np.fullLike(x, value, dtype ?? x.dtype), t);
}

/** Each leaf cast to `dtype` (no change when dtype is null or undefined). */
export function castTree(op: string, t: unknown, dtype?: DType | null): unknown {
  if (dtype === null || dtype === undefined) return t;
  return mapLeaves(op, (x) => x.astype(dtype), t);
}

/** Each leaf cast to the dtype of the matching leaf of `like` (optax.tree.cast_like). */
export function castLike(op: string, t: unknown, like: unknown): unknown {
  return mapLeaves(op, (x, l) => (x.dtype === l.dtype ? x : x.astype(l.dtype)), t, like);
}

/** A fresh step counter: an int32 zero scalar, as optax's `jnp.zeros([], jnp.int32)`. */
export function zeroCount(): NdArray {
  return np.zeros([], "int32");
}

const INT32_MAX = 2147483647;

/** optax's `safe_increment`: count + 1, saturating at the int32 maximum instead of wrapping. */
export function safeIncrement(count: ArrayLike): NdArray {
  const c = np.asArray(count);
  return np.where(np.less(c, INT32_MAX), np.add(c, np.array(1, c.dtype)), np.array(INT32_MAX, c.dtype));
}

/** The exponential moving average `(1 - decay) g^order + decay t` of each leaf. */
export function updateMoment(op: string, updates: unknown, moments: unknown, decay: number, order: 1 | 2): unknown {
  return mapLeaves(
    op,
    (g, t) => np.add(np.multiply(1 - decay, order === 1 ? g : np.square(g)), np.multiply(decay, t)),
    updates,
    moments,
  );
}

/** Bias correction `t / (1 - decay^count)`, the factor computed first, then cast to each leaf's dtype. */
export function biasCorrection(op: string, moments: unknown, decay: number, count: NdArray): unknown {
  const factor = np.subtract(1, np.power(decay, count));
  return mapLeaves(op, (t) => np.divide(t, factor.astype(t.dtype)), moments);
}

/** The L2 norm of all the leaves together (optax.tree.norm). */
export function globalNorm(op: string, t: unknown): NdArray {
  const squares = leavesOf(op, t).map((x) => np.sum(np.square(x)));
  if (squares.length === 0) return np.array(0);
  return np.sqrt(squares.reduce((a, b) => np.add(a, b)));
}
