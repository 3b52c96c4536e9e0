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

// --- reading a transformation's options at the type level --------------------------------

/** Element `I` of a tuple, or undefined past its end. */
type At<P, I extends number, Acc extends unknown[] = []> = P extends readonly [infer H, ...infer R]
  ? Acc["length"] extends I
    ? H
    : At<R, I, [...Acc, unknown]>
  : undefined;

/** The optional arguments given positionally (everything but a trailing options object). */
type PositionalPart<O extends readonly unknown[]> = O extends readonly [...infer P, infer L]
  ? L extends readonly unknown[]
    ? O
    : L extends object
      ? P
      : O
  : O;

/** The trailing options object, or `{}`. */
type ObjectPart<O extends readonly unknown[]> = O extends readonly [...unknown[], infer L]
  ? L extends readonly unknown[]
    ? object
    : L extends object
      ? L
      : object
  : object;

type OrDefault<V, D> = [V] extends [undefined] ? D : Exclude<V, undefined> | (undefined extends V ? D : never);

/**
 * The value an option has in the optional arguments `O` (positional index `I`,
 * or key `K` of a trailing object), or `D` when it is not given.
 */
export type OptionOf<O extends readonly unknown[], I extends number, K extends string, D> = OrDefault<
  At<PositionalPart<O>, I>,
  OrDefault<K extends keyof ObjectPart<O> ? ObjectPart<O>[K] : undefined, D>
>;

/** Argument `N` of `A` (any argument for a negative or non-literal position). */
type ArgAt<A extends readonly unknown[], N> = N extends number
  ? NeverToUnknown<`${N}` extends `-${string}` ? A[number] : A[N]>
  : unknown;

/** A function cast to `(...args: never[]) => unknown` has arguments of unknown type, not none. */
type NeverToUnknown<T> = [T] extends [never] ? unknown : T;

/** What a gradient or Jacobian is taken with respect to: one argument, or a tuple of them for an array of argnums. */
export type WrtArgs<A extends readonly unknown[], N> = N extends number
  ? ArgAt<A, N>
  : N extends readonly unknown[]
    ? { -readonly [K in keyof N]: ArgAt<A, N[K]> }
    : unknown;

/** The gradient for argnums `N`: one tangent, or an array of them for an array of argnums. */
export type GradOf<A extends readonly unknown[], N> = Tangent<WrtArgs<A, N>>;

/**
 * A Jacobian's type: the output's structure with, at each output leaf, the
 * structure of what it is taken with respect to (`X`), as JAX nests them.
 */
export type Jacobian<R, X> = R extends NdArray | number | boolean
  ? Tangent<X>
  : R extends readonly unknown[]
    ? { -readonly [K in keyof R]: Jacobian<R[K], X> }
    : R extends object
      ? { -readonly [K in keyof R]: Jacobian<R[K], X> }
      : R;

/** `Yes` when the hasAux option `H` is true, `No` when false, either when unknown. */
export type IfAux<H, Yes, No> = H extends true ? Yes : No;

/** The main output of a hasAux function returning `[value, aux]`. */
export type MainOf<R> = R extends readonly [infer V, unknown] ? V : unknown;
