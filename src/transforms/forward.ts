/** Forward mode: jvp and linearize with pytrees. */
import { NdArray } from "../core/array.js";
import { isFloat } from "../core/dtypes.js";
import { DTypeError, ShapeError, TransformError } from "../core/errors.js";
import { currentTrace, Zero, type MaybeZero } from "../core/trace.js";
import { flatten, mismatch, unflatten, type TreeDef } from "../tree/tree.js";
import { convert } from "../primitives/elementwise.js";
import { checkCallable, flattenArrays, leafToArray } from "./args.js";
import { jvpFlat } from "./jvp.js";
import { applyLinear, linearizeFlat } from "./linearize.js";
import { zerosLikeAval } from "./zeros.js";
import type { Args, Fn, Tangent } from "./types.js";

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

/**
 * `jax.jvp(f, primals, tangents)`: `[f(...primals), J·tangents]`.
 * @example
 * const [y, dy] = jvp((x) => np.sin(x), [0.5], [1.0]); // sin(0.5), cos(0.5)
 */
export function jvp<A extends unknown[], R>(
  f: (...args: A) => R,
  primals: Args<A>,
  tangents: Args<A>,
): [Tangent<R>, Tangent<R>];
export function jvp(f: Fn, primals: readonly unknown[], tangents: readonly unknown[]): [unknown, unknown] {
  checkCallable("jvp", f);
  if (!Array.isArray(primals) || !Array.isArray(tangents)) {
    throw new TransformError(
      `[jvp] primals and tangents must be JS arrays (one entry per argument): got ${typeof primals} and ${typeof tangents}.`,
    );
  }
  const [ps, pdef] = flattenArrays(primals, "jvp", "primals");
  const [ts, tdef] = flattenArrays(tangents, "jvp", "tangents");
  if (!pdef.equals(tdef)) throw mismatch("jvp", pdef, tdef, "tangent");
  const tangentsIn = checkTangents("jvp", ps, ts);
  let outTree: TreeDef | null = null;
  const flat = (xs: NdArray[]): NdArray[] => {
    const out = (f as (...a: unknown[]) => unknown)(...(unflatten(pdef, xs) as unknown[]));
    const [ls, def] = flattenArrays(out, "jvp", "the function's output");
    outTree = def;
    return ls;
  };
  const [outs, tOuts] = jvpFlat(flat, ps, tangentsIn, currentTrace());
  return [unflatten(outTree!, outs), unflatten(outTree!, materialize(tOuts))];
}

/**
 * `jax.linearize(f, *primals)`: `[f(...primals), jvpFn]` where `jvpFn(...tangents)`
 * applies the linear map without re-running f.
 */
export function linearize<A extends unknown[], R>(
  f: (...args: A) => R,
  ...primals: Args<A>
): [Tangent<R>, (...tangents: Args<A>) => Tangent<R>];
export function linearize(f: Fn, ...primals: unknown[]): [unknown, (...tangents: unknown[]) => unknown] {
  checkCallable("linearize", f);
  const [ps, pdef] = flattenArrays(primals, "linearize", "primals");
  let outTree: TreeDef | null = null;
  const flat = (xs: NdArray[]): NdArray[] => {
    const out = (f as (...a: unknown[]) => unknown)(...(unflatten(pdef, xs) as unknown[]));
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
  return [unflatten(outTree!, outs), jvpFn];
}
