/** Forward mode: jvp and linearize with pytrees. */
import { NdArray } from "../core/array.js";
import { isFloat } from "../core/dtypes.js";
import { DTypeError, ShapeError, TransformError } from "../core/errors.js";
import { currentTrace, Zero, type MaybeZero } from "../core/trace.js";
import { flatten, mismatch, unflatten, type TreeDef } from "../tree/tree.js";
import { convert } from "../primitives/elementwise.js";
import { defineOptions, is, type OptArgs } from "../core/options.js";
import { callUser, checkCallable, flattenArrays, leafToArray } from "./args.js";
import { splitAux, splitTrailingOptions } from "./grad.js";
import { jvpFlat } from "../interpreters/jvp.js";
import { applyLinear, linearizeFlat } from "../interpreters/linearize.js";
import { zerosLikeAval } from "../interpreters/zeros.js";
import type { Args, AuxOf, Fn, MainOf, OptionOf, Tangent } from "./types.js";

function checkTangents(op: string, primals: NdArray[], tangents: NdArray[]): MaybeZero[] {
  return tangents.map((t, i) => {
    const p = primals[i];
    if (t.ndim !== p.ndim || t.aval.shape.some((n, k) => n !== p.aval.shape[k])) {
      throw new ShapeError(
        `[${op}] primal and tangent arguments do not match: got primal ${p.aval.str()} and tangent ${t.aval.str()} at leaf ${i}, expected equal shapes.`,
      );
    }
    if (!isFloat(p.dtype)) return new Zero(p.aval);
    if (!isFloat(t.dtype)) {
      throw new DTypeError(
        `[${op}] primal and tangent arguments do not match: got primal dtype ${p.dtype} and tangent dtype ${t.dtype} at leaf ${i}, expected a ${p.dtype} tangent.`,
      );
    }
    return t.dtype === p.dtype ? t : convert(t, p.dtype, p.weakType);
  });
}

function materialize(ts: MaybeZero[]): NdArray[] {
  return ts.map((t) => (t instanceof Zero ? zerosLikeAval(t.aval.withWeak(false)) : t));
}

/** The options of `jvp` and `linearize`. */
export interface JvpOptions {
  /** `f` returns `[out, aux]`: aux is returned undifferentiated, as a third result. */
  hasAux?: boolean;
}

const jvpOptions = defineOptions("jvp", { hasAux: is.bool }, ["hasAux"]);
const linearizeOptions = defineOptions("linearize", { hasAux: is.bool }, [], { trailingMayBeData: true });

/**
 * `jax.jvp(fun, primals, tangents, has_aux=False)`: `[f(...primals), J·tangents]`;
 * with hasAux (`jvp(f, p, t, true)` or `{ hasAux: true }`), `[out, J·tangents, aux]`.
 * @example
 * const [y, dy] = jvp((x: Array) => np.sin(x), [0.5], [1.0]); // sin(0.5), cos(0.5)
 */
export function jvp<A extends unknown[], R, const O extends OptArgs<[hasAux?: boolean], JvpOptions> = []>(
  f: (...args: A) => R,
  primals: Args<A>,
  tangents: Args<A>,
  ...options: O
): OptionOf<O, 0, "hasAux", false> extends true
  ? [Tangent<MainOf<R>>, Tangent<MainOf<R>>, Tangent<AuxOf<R>>]
  : [Tangent<R>, Tangent<R>];
export function jvp(
  f: Fn,
  primals: readonly unknown[],
  tangents: readonly unknown[],
  ...options: unknown[]
): unknown[] {
  checkCallable("jvp", f);
  const hasAux = jvpOptions.parse(options).hasAux ?? false;
  if (!Array.isArray(primals) || !Array.isArray(tangents)) {
    throw new TransformError(
      `[jvp] primals and tangents must be JS arrays (one entry per argument), as JAX's must be tuples or lists: ` +
        `got ${describe(primals)} and ${describe(tangents)}.`,
    );
  }
  const [ps, pdef] = flattenArrays(primals, "jvp", "primals");
  const [ts, tdef] = flattenArrays(tangents, "jvp", "tangents");
  if (!pdef.equals(tdef)) throw mismatch("jvp", pdef, tdef, "tangent");
  const tangentsIn = checkTangents("jvp", ps, ts);
  let outTree: TreeDef | null = null;
  let aux: unknown = undefined;
  const flat = (xs: NdArray[]): NdArray[] => {
    let out = callUser("jvp", f, unflatten(pdef, xs) as unknown[]);
    if (hasAux) [out, aux] = splitAux("jvp", out);
    const [ls, def] = flattenArrays(out, "jvp", "the function's output");
    outTree = def;
    return ls;
  };
  const [outs, tOuts] = jvpFlat(flat, ps, tangentsIn, currentTrace());
  const result = [unflatten(outTree!, outs), unflatten(outTree!, materialize(tOuts))];
  return hasAux ? [...result, auxArrays("jvp", aux)] : result;
}

/** Aux outputs come back with numbers as arrays. */
function auxArrays(op: string, aux: unknown): unknown {
  const [ls, def] = flattenArrays(aux, op, "the auxiliary output");
  return unflatten(def, ls);
}

function describe(x: unknown): string {
  return Array.isArray(x)
    ? "an array"
    : x === null
      ? "null"
      : typeof x === "object"
        ? "an object"
        : `${typeof x} ${String(x)}`;
}

/**
 * `jax.linearize(fun, *primals, has_aux=False)`: `[f(...primals), jvpFn]` where `jvpFn(...tangents)`
 * applies the linear map without re-running f; with `{ hasAux: true }` (a trailing object
 * whose only key is hasAux: the primals are data), `[out, jvpFn, aux]`.
 *
 * @example
 * const [y, fJvp] = linearize((x: Array) => np.sin(x), 0);
 * y; // 0
 * fJvp(2); // 2 = cos(0)·2, without re-running sin
 */
export function linearize<A extends unknown[], R>(
  f: (...args: A) => R,
  ...primals: [...Args<A>, JvpOptions & { hasAux: true }]
): [Tangent<MainOf<R>>, (...tangents: Args<A>) => Tangent<MainOf<R>>, Tangent<AuxOf<R>>];
export function linearize<A extends unknown[], R>(
  f: (...args: A) => R,
  ...primals: Args<A> | [...Args<A>, JvpOptions & { hasAux?: false }]
): [Tangent<R>, (...tangents: Args<A>) => Tangent<R>];
export function linearize(f: Fn, ...given: unknown[]): unknown[] {
  checkCallable("linearize", f);
  const [primals, optionObject] = splitTrailingOptions(given, linearizeOptions.spec.keys);
  const hasAux = linearizeOptions.parseObject(optionObject).hasAux ?? false;
  const [ps, pdef] = flattenArrays(primals, "linearize", "primals");
  let outTree: TreeDef | null = null;
  let aux: unknown = undefined;
  const flat = (xs: NdArray[]): NdArray[] => {
    let out = callUser("linearize", f, unflatten(pdef, xs) as unknown[]);
    if (hasAux) [out, aux] = splitAux("linearize", out);
    const [ls, def] = flattenArrays(out, "linearize", "the function's output");
    outTree = def;
    return ls;
  };
  const [outs, lin] = linearizeFlat(flat, ps);
  const jvpFn = (...tangents: unknown[]): unknown => {
    const [ts, tdef] = flatten(tangents);
    if (!tdef.equals(pdef)) throw mismatch("linearize", pdef, tdef, "tangent");
    const checked = checkTangents(
      "linearize",
      ps,
      ts.map((t, i) => leafToArray(t, "linearize", `tangent leaf ${i}`)),
    );
    return unflatten(outTree!, materialize(applyLinear(lin, materialize(checked))));
  };
  const result = [unflatten(outTree!, outs), jvpFn];
  return hasAux ? [...result, auxArrays("linearize", aux)] : result;
}
