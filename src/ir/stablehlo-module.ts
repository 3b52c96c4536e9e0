/** A closed jaxpr written out as a StableHLO module (MLIR text), as `jax.export` emits it. */
import type { ClosedJaxpr } from "./jaxpr.js";
import { StableHloEmitter } from "./stablehlo-emit.js";

/** The module's attributes, as `jax.export` writes them for a single-device program. */
const MODULE_ATTRIBUTES =
  "jax.uses_shape_polymorphism = false, mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32";

/**
 * The module text of `closed`, exported under `fnName`: `module @jit_<fnName>` with a public
 * `@main` (the jaxpr's inputs, its outputs labelled with `resultInfo`), then the private
 * functions it calls. The constants are written into `@main` as dense constants.
 */
export function emitModule(fnName: string, closed: ClosedJaxpr, resultInfo: string[] | null = null): string {
  const e = new StableHloEmitter();
  e.beginMain();
  const j = closed.jaxpr;
  const args = j.invars.map(() => e.freshArg());
  const consts = closed.consts.map((c) => e.arrayConstant(c));
  const outs = e.lowerJaxpr(j, consts, args);
  const info = resultInfo ?? j.outvars.map((_, i) => (j.outvars.length === 1 ? "result" : `result[${i}]`));
  const main = e.funcText("public", "main", args, j.inAvals, j.outAvals, outs, info);
  const name = `jit_${fnName}`.replace(/[^A-Za-z0-9_$.]/g, "_");
  const body = [main, ...e.privateFuncs()].map((f) => f.replace(/^/gm, "  ")).join("\n");
  return `module @${name} attributes {${MODULE_ATTRIBUTES}} {\n${body}\n}\n`;
}
