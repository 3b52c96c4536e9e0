/** Reverse mode: vjp, grad and valueAndGrad (vjp = linearize + transpose). */
import { shapeStr, type ShapedArray } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { isFloat } from "../core/dtypes.js";
import { DTypeError, ShapeError, TransformError } from "../core/errors.js";
import { Zero, type MaybeZero } from "../core/trace.js";
import { flatten, mismatch, unflatten, type TreeDef } from "../tree/tree.js";
import { fullAval } from "../primitives/constants.js";
import { convert } from "../primitives/elementwise.js";
import { describe } from "../primitives/as-array.js";
import { defineOptions, is, check, isPlainObject, type OptArgs } from "../core/options.js";
import {
  argnumsCheck,
  callUser,
  checkCallable,
  flattenArrays,
  leafToArray,
  normalizeArgnums,
  refuseHolomorphic,
  registerVjpFunction,
  splitArgs,
  unflattenPerArg,
} from "./args.js";
import { linearizeFlat, type LinearFunction } from "../interpreters/linearize.js";
import { backwardPass } from "../interpreters/transpose.js";
import { zerosLikeAval } from "../interpreters/zeros.js";
import type { Args, AuxOf, Fn, GradOf, IfAux, OptionOf, Tangent, Tangents } from "./types.js";

/** Reverse-mode core on flat values: the outputs, and a map from output cotangents to input cotangents. */
export function vjpFlat(
  f: (args: NdArray[]) => NdArray[],
  primals: NdArray[],
): [NdArray[], (cts: MaybeZero[]) => MaybeZero[]] {
  const [outs, lin] = linearizeFlat(f, primals);
  return [outs, backwardWith(lin, lin.jaxpr.consts)];
}

/** The transpose of a linear function, with its residuals (the linear program's constants) given. */
function backwardWith(lin: LinearFunction, consts: NdArray[]): (cts: MaybeZero[]) => MaybeZero[] {
  return (cts) => {
    const linearCts = cts.filter((_, i) => !lin.outZero[i]);
    const res = backwardPass(lin.jaxpr.jaxpr, consts, linearCts);
    let k = 0;
    return lin.inAvals.map((a, i) => (lin.inZero[i] ? new Zero(a) : (res[k++] as MaybeZero)));
  };
}

/** A cotangent given by the user, checked against the output it belongs to. */
function checkCotangent(op: string, ct: NdArray, out: ShapedArray, i: number): NdArray {
  if (ct.ndim !== out.shape.length || ct.aval.shape.some((n, k) => n !== out.shape[k])) {
    throw new ShapeError(
      `[${op}] cotangent shape mismatch for output ${i}: got ${ct.aval.str()}, expected ${out.str()}. ` +
        `The cotangent must have the shape of the primal output.`,
    );
  }
  return ct.dtype === out.dtype ? ct : convert(ct, out.dtype, out.weakType);
}

/** Cotangents for the user: symbolic zeros become zeros (of the input's own dtype for ints). */
function materialize(cts: MaybeZero[]): NdArray[] {
  return cts.map((c) => (c instanceof Zero ? zerosLikeAval(c.aval.withWeak(false)) : c));
}

/** The options of `vjp`: keyword-only in JAX, so only in a trailing object. */
export interface VjpOptions {
  /** `f` returns `[out, aux]`: aux is returned undifferentiated, as a third result. */
  hasAux?: boolean;
}

const vjpOptions = defineOptions("vjp", { hasAux: is.bool }, [], { trailingMayBeData: true });

/**
 * Splits variadic data from a trailing options object. The primals are data of
 * any kind (pytrees included), so a trailing plain object is taken as options
 * only when it is not empty and every key is an option key; otherwise it is a primal.
 */
export function splitTrailingOptions(args: readonly unknown[], keys: readonly string[]): [unknown[], unknown] {
  const last = args[args.length - 1];
  if (isPlainObject(last) && Object.keys(last).length > 0 && Object.keys(last).every((k) => keys.includes(k))) {
    return [args.slice(0, -1), last];
  }
  return [args.slice(), undefined];
}

/** Splits `[out, aux]` returned by a hasAux function, with JAX's message for anything else. */
export function splitAux(op: string, out: unknown): [unknown, unknown] {
  if (!Array.isArray(out) || out.length !== 2) {
    const got = Array.isArray(out)
      ? `an array of length ${out.length}`
      : out instanceof NdArray
        ? `an Array ${out.aval.str()}`
        : describe(out);
    throw new TransformError(
      `[${op}] expected a function with aux output to return a two-element array [value, aux]: got ${got}. ` +
        `Return [value, aux], or drop hasAux.`,
    );
  }
  return [out[0], out[1]];
}

/**
 * `jax.vjp(f, *primals, has_aux=False)`: `[out, vjpFn]`, where `vjpFn(ct)` returns one
 * cotangent per primal (same pytree structure as each primal); with
 * `{ hasAux: true }` (a trailing object whose only key is hasAux), `[out, vjpFn, aux]`.
 * `vjpFn` is, as in JAX, a pytree of its residual arrays: it may be a residual
 * of a customVjp fwd rule or an output of jit.
 * @example
 * const [y, pullback] = vjp((x) => np.sin(x), 1.0);
 * const [dx] = pullback(1.0); // cos(1)
 */
export function vjp<A extends unknown[], R>(
  f: (...args: A) => R,
  ...primals: [...Args<A>, VjpOptions & { hasAux: true }]
): [
  Tangent<AuxOf<R> extends never ? R : R extends readonly [infer V, unknown] ? V : R>,
  (ct: unknown) => Tangents<A>,
  Tangent<AuxOf<R>>,
];
export function vjp<A extends unknown[], R>(
  f: (...args: A) => R,
  ...primals: Args<A> | [...Args<A>, VjpOptions & { hasAux?: false }]
): [Tangent<R>, (ct: unknown) => Tangents<A>];
export function vjp(f: Fn, ...given: unknown[]): unknown[] {
  checkCallable("vjp", f);
  const [primals, optionObject] = splitTrailingOptions(given, vjpOptions.spec.keys);
  const hasAux = vjpOptions.parseObject(optionObject).hasAux ?? false;
  const { leaves, rebuild, trees, counts } = splitArgs(
    "vjp",
    primals,
    primals.map((_, i) => i),
  );
  let outTree: TreeDef | null = null;
  let aux: unknown = undefined;
  const flat = (xs: NdArray[]): NdArray[] => {
    let out = callUser("vjp", f, rebuild(xs));
    if (hasAux) [out, aux] = splitAux("vjp", out);
    const [ls, def] = flattenArrays(out, "vjp", "the function's output");
    outTree = def;
    return ls;
  };
  const [outs, lin] = linearizeFlat(flat, leaves);
  const outAvals = outs.map((o) => o.aval);
  const makeVjpFn = (consts: NdArray[]): ((...cts: unknown[]) => unknown[]) => {
    const backward = backwardWith(lin, consts);
    const vjpFn = (...given: unknown[]): unknown[] => {
      if (given.length !== 1) {
        throw new TransformError(
          `[vjp] The function returned by \`jax.vjp\` applied to ${f.name || "the function"} was called with ${given.length} ` +
            `arguments, but functions returned by \`jax.vjp\` must be called with a single argument corresponding to the ` +
            `single value returned by ${f.name || "the function"} (even if that returned value is a tuple or other container).`,
        );
      }
      const [cts, def] = flatten(given[0]);
      if (!def.equals(outTree!)) throw mismatch("vjp", outTree!, def, "cotangent");
      const checked = cts.map((c, i) =>
        checkCotangent("vjp", leafToArray(c, "vjp", `cotangent leaf ${i}`), outAvals[i], i),
      );
      return unflattenPerArg(materialize(backward(checked)), trees, counts);
    };
    registerVjpFunction(vjpFn, { arrays: consts, rebuild: makeVjpFn });
    return vjpFn;
  };
  const result = [unflatten(outTree!, outs), makeVjpFn(lin.jaxpr.consts)];
  return hasAux ? [...result, flattenAux(aux)] : result;
}

/** Aux outputs come back with numbers as arrays, as JAX returns them. */
function flattenAux(aux: unknown): unknown {
  const [ls, def] = flattenArrays(aux, "vjp", "the auxiliary output");
  return unflatten(def, ls);
}

/**
 * The options of `grad` and `valueAndGrad`, as `jax.grad(fun, argnums=0, has_aux=False)`.
 */
export interface GradOptions {
  /** Which positional arguments to differentiate (default 0); an array gives an array of gradients. */
  argnums?: number | readonly number[];
  /** `f` returns `[value, aux]`; aux is passed through undifferentiated. */
  hasAux?: boolean;
  /** JAX's complex differentiation: cotangent has no complex dtypes, so only false is accepted. */
  holomorphic?: boolean;
  /** Accept integer and bool inputs (their gradient is zero). */
  allowInt?: boolean;
  /** Removed from JAX (named-axis reductions); only an empty array is accepted. */
  reduceAxes?: readonly never[];
}

/** The optional arguments of grad / valueAndGrad: JAX's order, or a trailing {@link GradOptions}. */
export type GradArgs = OptArgs<
  [
    argnums?: number | readonly number[],
    hasAux?: boolean,
    holomorphic?: boolean,
    allowInt?: boolean,
    reduceAxes?: readonly never[],
  ],
  GradOptions
>;

const reduceAxesCheck = check<readonly never[]>(
  "an empty array (reduce_axes was removed from JAX; cotangent has no named axes)",
  (v) => Array.isArray(v) && v.length === 0,
);
const gradChecks = {
  argnums: argnumsCheck,
  hasAux: is.bool,
  holomorphic: is.bool,
  allowInt: is.bool,
  reduceAxes: reduceAxesCheck,
};
const GRAD_POSITIONAL = ["argnums", "hasAux", "holomorphic", "allowInt", "reduceAxes"] as const;
const gradOptions = defineOptions("grad", gradChecks, GRAD_POSITIONAL);
const valueAndGradOptions = defineOptions("valueAndGrad", gradChecks, GRAD_POSITIONAL);

type GradArgnums<O extends readonly unknown[]> = OptionOf<O, 0, "argnums", 0>;
type GradHasAux<O extends readonly unknown[]> = OptionOf<O, 1, "hasAux", false>;

/** What `grad(f, ...options)` returns when called: the gradient, or `[gradient, aux]` with hasAux. */
export type GradResult<A extends readonly unknown[], R, O extends readonly unknown[]> = IfAux<
  GradHasAux<O>,
  [GradOf<A, GradArgnums<O>>, Tangent<AuxOf<R>>],
  GradOf<A, GradArgnums<O>>
>;

/** What `valueAndGrad(f, ...options)` returns when called: `[value, gradient]`, or `[[value, aux], gradient]`. */
export type ValueAndGradResult<A extends readonly unknown[], R, O extends readonly unknown[]> = IfAux<
  GradHasAux<O>,
  [[NdArray, Tangent<AuxOf<R>>], GradOf<A, GradArgnums<O>>],
  [NdArray, GradOf<A, GradArgnums<O>>]
>;

export function checkInputDtypes(op: string, leaves: NdArray[], allowInt: boolean): void {
  if (allowInt) return;
  for (const l of leaves) {
    if (!isFloat(l.dtype)) {
      throw new DTypeError(
        `[${op}] ${op} requires real-valued inputs (a floating-point dtype), but got ${l.dtype}. ` +
          `If you want to use Boolean- or integer-valued inputs, use vjp or set allowInt to true.`,
      );
    }
  }
}

function checkScalarOutput(op: string, value: NdArray): void {
  if (value.ndim !== 0) {
    throw new ShapeError(
      `[${op}] gradient only defined for scalar-output functions: got output shape ${shapeStr(value.aval.shape)}, expected (). ` +
        `Reduce it first (np.sum, np.mean), or use jacrev / vjp for non-scalar outputs.`,
    );
  }
  if (!isFloat(value.dtype)) {
    throw new DTypeError(
      `[${op}] ${op} requires real-valued outputs (a floating-point dtype), but got ${value.dtype}.`,
    );
  }
}

interface ParsedGrad {
  argnums: number | readonly number[];
  hasAux: boolean;
  allowInt: boolean;
}

function valueAndGradImpl(op: string, f: Fn, o: ParsedGrad): (...args: unknown[]) => [unknown, unknown] {
  return (...args: unknown[]): [unknown, unknown] => {
    const argnums = normalizeArgnums(op, o.argnums, args.length);
    const { leaves, rebuild, trees, counts } = splitArgs(op, args, argnums);
    checkInputDtypes(op, leaves, o.allowInt);
    let auxTree: TreeDef | null = null;
    const flat = (xs: NdArray[]): NdArray[] => {
      let out = callUser(op, f, rebuild(xs));
      let auxLeaves: NdArray[] = [];
      if (o.hasAux) {
        const [value, aux] = splitAux(op, out);
        const [ls, def] = flattenArrays(aux, op, "the auxiliary output");
        auxTree = def;
        auxLeaves = ls;
        out = value;
      }
      const value = leafToArray(out, op, "the function's output");
      checkScalarOutput(op, value);
      return [value, ...auxLeaves];
    };
    const [outs, backward] = vjpFlat(flat, leaves);
    const value = outs[0];
    const cts: MaybeZero[] = [fullAval(value.aval, 1), ...outs.slice(1).map((x) => new Zero(x.aval))];
    const grads = unflattenPerArg(materialize(backward(cts)), trees, counts);
    const g = typeof o.argnums === "number" ? grads[0] : grads;
    const v = o.hasAux ? [value, unflatten(auxTree!, outs.slice(1))] : value;
    return [v, g];
  };
}

function parseGrad(op: string, parser: typeof gradOptions, f: unknown, options: readonly unknown[]): ParsedGrad {
  checkCallable(op, f);
  const o = parser.parse(options);
  refuseHolomorphic(op, o.holomorphic);
  return { argnums: o.argnums ?? 0, hasAux: o.hasAux ?? false, allowInt: o.allowInt ?? false };
}

/**
 * `jax.value_and_grad(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False, reduce_axes=())`:
 * `[value, grad]`; with hasAux `[[value, aux], grad]`. Options positionally in JAX's order or in a trailing object.
 * @example
 * const [v, g] = valueAndGrad((x: Array) => np.sum(np.square(x)))(np.array([1, 2])); // 5, [2, 4]
 */
export function valueAndGrad<A extends unknown[], R, const O extends GradArgs = []>(
  f: (...args: A) => R,
  ...options: O
): (...args: Args<A>) => ValueAndGradResult<A, R, O>;
export function valueAndGrad(f: Fn, ...options: unknown[]): (...args: unknown[]) => [unknown, unknown] {
  return valueAndGradImpl("valueAndGrad", f, parseGrad("valueAndGrad", valueAndGradOptions, f, options));
}

/**
 * `jax.grad(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False, reduce_axes=())`.
 * Options positionally in JAX's order (`grad(f, 1)`, `grad(f, [0, 1], true)`) or in a
 * trailing object (`grad(f, { argnums: 1, hasAux: true })`).
 * @example
 * grad((x: Array) => np.multiply(x, np.sin(x)))(1.0); // sin(1) + cos(1)
 */
export function grad<A extends unknown[], R, const O extends GradArgs = []>(
  f: (...args: A) => R,
  ...options: O
): (...args: Args<A>) => GradResult<A, R, O>;
export function grad(f: Fn, ...options: unknown[]): (...args: unknown[]) => unknown {
  const o = parseGrad("grad", gradOptions, f, options);
  const vg = valueAndGradImpl("grad", f, o);
  return (...args: unknown[]): unknown => {
    const [v, g] = vg(...args);
    return o.hasAux ? [g, (v as unknown[])[1]] : g;
  };
}
