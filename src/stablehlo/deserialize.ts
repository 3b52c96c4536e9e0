/**
 * `stablehlo.deserialize`: StableHLO text (what `jax.export` writes, or `Exported.mlirModule()`)
 * read back into an `Exported`. The module's public `main` is interpreted once under the
 * staging trace: each StableHLO op becomes the cotangent primitives that compute it, so the
 * result is an ordinary jaxpr that runs on any backend and composes with grad, vmap and jit.
 */
import { ShapedArray } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import { ArgumentTypeError } from "../core/errors.js";
import { describeValue, noExtraArgs } from "../core/options.js";
import { traceToJaxpr } from "../ir/staging.js";
import { dceClosed, optimize } from "../ir/passes.js";
import { ClosedJaxpr } from "../ir/jaxpr.js";
import { flattenTree } from "../tree/tree.js";
import { Exported } from "./exported.js";
import { errorAt } from "./errors.js";
import { interpret } from "./interpret.js";
import { dtypeOf } from "./interpret-util.js";
import { parseModule } from "./parse-module.js";
import type { Module } from "./parse-ops.js";

/**
 * Reads function `fnName` of parsed StableHLO text as an `Exported`; `fnName` defaults to the
 * public `main` (the entry point `jax.export` writes).
 */
export function exportedFromText(text: string, fnName?: string): Exported {
  const mod: Module = parseModule(text);
  const name = fnName ?? (mod.funcs.has("main") ? "main" : [...mod.funcs.values()].find((f) => f.public)?.name);
  const fn = name === undefined ? undefined : mod.funcs.get(name);
  if (fn === undefined) {
    throw errorAt(
      null,
      `no function @${name ?? "main"}`,
      `: got ${[...mod.funcs.keys()].map((k) => "@" + k).join(", ")}, expected func.func public @main.`,
    );
  }
  const inAvals = fn.args.map((a) => new ShapedArray(a.type.shape, dtypeOf(a.type)));
  fn.results.forEach((t) => dtypeOf(t));
  const closed = traceToJaxpr((xs: NdArray[]) => interpret(mod, fn, xs), inAvals);
  const outCount = closed.jaxpr.outvars.length;
  // The text carries no pytrees: the arguments are positional, and one result is returned
  // as an array, several as a JS array (as a function returning a tuple would).
  const inTree = flattenTree(inAvals.map(() => 0))[1];
  const outTree = flattenTree(outCount === 1 ? 0 : new Array<number>(outCount).fill(0))[1];
  return new Exported({
    fnName: mod.name.replace(/^jit_/, ""),
    jaxpr: dceClosed(new ClosedJaxpr(optimize(closed.jaxpr), closed.consts)),
    inTree,
    outTree,
  });
}

/**
 * `jax.export.deserialize(blob)`: reads StableHLO text, as `jax.export` writes it
 * (`exported.mlir_module()`) or as `Exported.mlirModule()` writes it, into an `Exported`
 * whose `call` runs the module's `main` on any backend and composes with `grad`, `vmap` and
 * `jit`. Both MLIR forms are read (pretty and generic), with location info and attributes.
 * The text carries no pytrees: `call` takes the arguments of `main` in order and returns one
 * array, or a JS array of arrays when `main` has several results. Element types f32, f64,
 * i1 and the integers are read (i64 / ui64 as 32-bit integers, i8 / i16 / ui8 / ui16 widened
 * and wrapped back). custom_call runs the LAPACK calls JAX makes on CPU (potrf, getrf, geqrf,
 * orgqr, syevd, gesdd); a counted `while` (JAX's scan) runs as `lax.scan`, so reverse mode
 * differentiates it. An op cotangent does not run, or malformed text, is a `StableHloError`
 * with the line and column.
 *
 * @example
 * const exp = stablehlo.deserialize(`
 *   module @jit_f {
 *     func.func public @main(%arg0: tensor<3xf32>) -> (tensor<3xf32> {jax.result_info = "result"}) {
 *       %0 = stablehlo.sine %arg0 : tensor<3xf32>
 *       return %0 : tensor<3xf32>
 *     }
 *   }`);
 * exp.call(np.zeros([3])); // Array [0, 0, 0]
 * grad((x: Array) => np.sum(exp.call(x) as Array))(np.zeros([3])); // Array [1, 1, 1]
 */
export function deserialize(text: string, ...rest: []): Exported {
  noExtraArgs("stablehlo.deserialize", rest);
  if (typeof text !== "string") {
    throw new ArgumentTypeError(
      `[stablehlo.deserialize] text must be a string of StableHLO: got ${describeValue(text)}, expected the text of a module (Exported.mlirModule() or jax.export's mlir_module()).`,
    );
  }
  return exportedFromText(text);
}
