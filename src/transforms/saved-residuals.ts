/**
 * `printSavedResiduals(f, ...args)` (JAX's `jax.ad_checkpoint.print_saved_residuals`):
 * what reverse mode would keep from the forward pass to use in the backward
 * pass: each residual's type, size and where it comes from.
 */
import { ShapedArray } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import { itemsize } from "../core/dtypes.js";
import { Var } from "../ir/jaxpr.js";
import { traceToJaxpr } from "../ir/staging.js";
import { callUser, checkCallable, flattenArrays } from "./args.js";
import { linearizeFlat } from "../interpreters/linearize.js";

/**
 * One value reverse mode keeps from the forward pass, as `jax.ad_checkpoint.print_saved_residuals` lists them.
 */
export interface SavedResidual {
  aval: ShapedArray;
  bytes: number;
  /** "from the argument 0", "output of sin", or "a constant". */
  source: string;
}

/**
 * The residuals reverse mode saves for `f` at `args`: the data behind
 * `jax.ad_checkpoint.print_saved_residuals`, as objects (type, bytes, source).
 *
 * @example
 * savedResiduals((x: Array) => np.sin(np.sin(x)), np.ones([3])).map((r) => r.source); // ["output of cos", "output of cos"]
 */
export function savedResiduals(f: (...args: never[]) => unknown, ...args: unknown[]): SavedResidual[] {
  checkCallable("savedResiduals", f);
  const [leaves, argTree] = flattenArrays(args, "printSavedResiduals", "the arguments");
  void argTree;
  const flat = (xs: NdArray[]): NdArray[] => {
    const [, lin] = linearizeFlat((ys) => {
      const out = callUser("printSavedResiduals", f, unflattenArgs(args, ys));
      return flattenArrays(out, "printSavedResiduals", "the output")[0];
    }, xs);
    return lin.jaxpr.consts;
  };
  const closed = traceToJaxpr(
    flat,
    leaves.map((l) => l.aval),
  );
  const j = closed.jaxpr;
  const producers = new Map<Var, string>();
  for (const e of j.eqns) for (const v of e.outvars) producers.set(v, e.prim.name);
  return j.outvars.map((a) => {
    const aval = a.aval;
    const bytes = aval.size * itemsize(aval.dtype);
    let source = "a constant";
    if (a instanceof Var) {
      const argIndex = j.invars.indexOf(a);
      if (argIndex >= 0) source = `from the argument ${argIndex}`;
      else if (producers.has(a)) source = `output of ${producers.get(a)}`;
    }
    return { aval, bytes, source };
  });
}

import { flatten, unflatten } from "../tree/tree.js";
function unflattenArgs(args: unknown[], leaves: NdArray[]): unknown[] {
  return unflatten(flatten(args)[1], leaves) as unknown[];
}

/**
 * `jax.ad_checkpoint.print_saved_residuals(f, *args)`: prints the saved residuals, one per line
 * (`f32[3] 12 bytes output of sin`), and returns the text.
 *
 * @example
 * printSavedResiduals((x: Array) => np.sin(np.sin(x)), np.ones([3]));
 * // f32[3] 12 bytes output of cos
 * // f32[3] 12 bytes output of cos
 */
export function printSavedResiduals(f: (...args: never[]) => unknown, ...args: unknown[]): string {
  checkCallable("printSavedResiduals", f);
  const lines = savedResiduals(f, ...args).map((r) => `${r.aval.str()} ${r.bytes} bytes ${r.source}`);
  const text = lines.join("\n");
  console.log(text);
  return text;
}
