/** `stablehlo.export`: traces a function at example arguments into an `Exported`. */
import { ShapedArray } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import { isDType, type DType } from "../core/dtypes.js";
import { flattenTree, unflattenTree } from "../tree/tree.js";
import type { TreeDef } from "../tree/tree.js";
import { traceToJaxpr } from "../ir/staging.js";
import { dceClosed, optimize } from "../ir/passes.js";
import { ClosedJaxpr } from "../ir/jaxpr.js";
import { callUser, checkCallable, flattenArrays, leafToArray } from "../transforms/args.js";
import { ArgumentTypeError } from "../primitives/as-array.js";
import { describeValue } from "../core/options.js";
import { Exported } from "./exported.js";

/** A `jax.ShapeDtypeStruct`-like leaf: `{ shape, dtype }` stands for an array of that shape and dtype. */
export interface ShapeDtypeStruct {
  shape: readonly number[];
  dtype: DType;
}

function isShapeDtypeStruct(x: unknown): x is ShapeDtypeStruct {
  if (typeof x !== "object" || x === null || x instanceof ShapedArray) return false;
  const o = x as Record<string, unknown>;
  const keys = Object.keys(o);
  return keys.length === 2 && "shape" in o && "dtype" in o;
}

/** An example argument leaf as the aval it stands for (weak types dropped: the signature is exact). */
function exampleAval(leaf: unknown, i: number): ShapedArray {
  if (leaf instanceof ShapedArray) return leaf.withWeak(false);
  if (isShapeDtypeStruct(leaf)) {
    const { shape, dtype } = leaf;
    const shapeOk = Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0);
    if (!shapeOk || !isDType(dtype)) {
      throw new ArgumentTypeError(
        `[stablehlo.export] argument leaf ${i} is {shape, dtype} with shape ${describeValue(shape)} and dtype ${describeValue(dtype)}: ` +
          `expected an array of non-negative integers and a dtype name ("float32", "int32", ...).`,
      );
    }
    return new ShapedArray([...shape], dtype);
  }
  return leafToArray(leaf, "stablehlo.export", `argument leaf ${i}`).aval.withWeak(false);
}

/**
 * `jax.export.export(jax.jit(f))(*args)`: traces `f` at the example arguments (arrays, numbers,
 * `ShapedArray`s or `{ shape, dtype }` objects standing for arrays, in any pytree) and returns
 * the `Exported` program: its avals, pytrees, StableHLO text and `call`.
 *
 * @example
 * const exp = stablehlo.export((w: Array, x: Array) => np.tanh(np.matmul(x, w)), np.ones([3, 4]), { shape: [2, 3], dtype: "float32" });
 * exp.outAvals[0].toString(); // "f32[2,4]"
 * exp.mlirModule(); // "module @jit_fn attributes {...} { func.func public @main(%arg0: tensor<3x4xf32>, ..."
 */
export function exportFn(f: (...args: never[]) => unknown, ...exampleArgs: unknown[]): Exported {
  checkCallable("stablehlo.export", f);
  const [leaves, inTree] = flattenTree(exampleArgs, isShapeDtypeStruct, "stablehlo.export");
  const avals = leaves.map(exampleAval);
  let outTree: TreeDef | null = null;
  const closed = traceToJaxpr((xs: NdArray[]) => {
    const args = unflattenTree(inTree, xs, "stablehlo.export");
    const [outs, def] = flattenArrays(
      callUser("stablehlo.export", f as (...a: unknown[]) => unknown, args as unknown[]),
      "stablehlo.export",
      "the output",
    );
    outTree = def;
    return outs;
  }, avals);
  return new Exported({
    fnName: f.name || "fn",
    jaxpr: dceClosed(new ClosedJaxpr(optimize(closed.jaxpr), closed.consts)),
    inTree,
    outTree: outTree!,
  });
}
