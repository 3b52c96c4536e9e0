/**
 * Types of the transformations' inputs and results. Transformations are typed
 * by the function's argument tuple `A` and result `R` (not by the function type
 * itself), so that nested calls such as `jvp(grad(f), ...)` infer well.
 */
import type { NdArray } from "../core/array.js";

/** Any function a transformation accepts. */
export type Fn = (...args: never[]) => unknown;

/** What may be passed where a function expects an Array: an Array or a JS number, at any depth of a pytree. */
export type ArgOf<T> = T extends NdArray
  ? NdArray | number
  : T extends (...args: never[]) => unknown
    ? T
    : T extends readonly unknown[]
      ? { [K in keyof T]: ArgOf<T[K]> }
      : T extends object
        ? { [K in keyof T]: ArgOf<T[K]> }
        : T;

/** A pytree with an Array at every array or number leaf: the type of a gradient or tangent of `T`. */
export type Tangent<T> = T extends NdArray | number | boolean
  ? NdArray
  : T extends readonly unknown[]
    ? { [K in keyof T]: Tangent<T[K]> }
    : T extends object
      ? { [K in keyof T]: Tangent<T[K]> }
      : T;

/** The arguments of a transformed function: its own, with numbers accepted for arrays. */
export type Args<A extends readonly unknown[]> = { [K in keyof A]: ArgOf<A[K]> };

/** One tangent (or cotangent) per argument. */
export type Tangents<A extends readonly unknown[]> = { [K in keyof A]: Tangent<A[K]> };

/** The aux output of a hasAux function returning `[value, aux]`. */
export type AuxOf<R> = R extends readonly [unknown, infer X] ? X : unknown;
