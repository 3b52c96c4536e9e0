/** `evalShape`: the shapes and dtypes a function would return, computed without running it. */
import { ShapedArray } from "../core/aval.js";
import { flatten, unflatten, type TreeDef } from "../tree/tree.js";
import { traceToJaxpr } from "../ir/staging.js";
import { callUser, checkCallable, leafToArray } from "./args.js";
import type { NdArray } from "../core/array.js";

/**
 * `jax.eval_shape(fun, *args)`: `fun`'s outputs as a pytree of `ShapedArray`
 * (shape, dtype, weak type), found by tracing it abstractly: no value is computed.
 * Arguments may be arrays, JS numbers, or `ShapedArray`s standing for arrays.
 *
 * @example
 * evalShape((x: Array) => np.sum(x, 0), new ShapedArray([3, 4], "float32")); // ShapedArray f32[4]
 * evalShape((a, b) => np.matmul(a, b), np.ones([2, 3]), np.ones([3, 5])).shape; // [2, 5]
 */
export function evalShape(fun: (...args: never[]) => unknown, ...args: unknown[]): unknown {
  checkCallable("evalShape", fun);
  const [leaves, inTree] = flatten(args);
  const avals = leaves.map((l, i) =>
    l instanceof ShapedArray ? l : leafToArray(l, "evalShape", `argument leaf ${i}`).aval,
  );
  let outTree: TreeDef | null = null;
  const closed = traceToJaxpr((xs: NdArray[]) => {
    const [outs, def] = flatten(
      callUser("evalShape", fun as (...a: unknown[]) => unknown, unflatten(inTree, xs) as unknown[]),
    );
    outTree = def;
    return outs.map((l, i) => leafToArray(l, "evalShape", `output leaf ${i}`));
  }, avals);
  return unflatten(
    outTree!,
    closed.jaxpr.outvars.map((v) => v.aval),
  );
}
