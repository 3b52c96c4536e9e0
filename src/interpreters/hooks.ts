/**
 * What the traces need from the primitives without importing them, as JAX's
 * `ad_util.py` (`add_jaxvals_p`, `aval_zeros_likers`): adding cotangents that
 * reach one value from several uses, making a zero array for a symbolic zero,
 * and moving batch axes. The primitives layer fills these in when it loads
 * (`installInterpreterHooks`), so the traces sit below the primitives.
 */
import type { ShapedArray } from "../core/aval.js";
import type { NdArray } from "../core/array.js";

export interface InterpreterHooks {
  /** `add_any`: the sum of two cotangents of one aval. */
  addAny(a: NdArray, b: NdArray): NdArray;
  /** An array of zeros with aval `a` (a symbolic zero made concrete). */
  zerosLike(a: ShapedArray): NdArray;
  /** Moves axis `from` of `x` to position `to`. */
  moveAxis(x: NdArray, from: number, to: number): NdArray;
  /** `x` with its batch axis at `to`; an unbatched `x` (dim null) is broadcast to `size` there. */
  batchTo(x: NdArray, dim: number | null, to: number, size: number): NdArray;
}

const hooks: Partial<InterpreterHooks> = {};

/** Called by the primitives layer with the implementations of the hooks it defines. */
export function installInterpreterHooks(h: Partial<InterpreterHooks>): void {
  Object.assign(hooks, h);
}

function hook<K extends keyof InterpreterHooks>(name: K): InterpreterHooks[K] {
  const h = hooks[name];
  if (h === undefined) {
    throw new Error(
      `[interpreters] the hook ${name} is not installed: the primitives layer was not loaded. ` +
        `Import the library through its entry point ("cotangent").`,
    );
  }
  return h;
}

/** Sum of two cotangents of the same value (JAX's `add_jaxvals`). */
export const addAny = (a: NdArray, b: NdArray): NdArray => hook("addAny")(a, b);

/** Zeros with aval `a` (JAX's `zeros_like_aval`). */
export const zerosLikeAval = (a: ShapedArray): NdArray => hook("zerosLike")(a);

export const moveAxis = (x: NdArray, from: number, to: number): NdArray => hook("moveAxis")(x, from, to);

export const batchTo = (x: NdArray, dim: number | null, to: number, size: number): NdArray =>
  hook("batchTo")(x, dim, to, size);
