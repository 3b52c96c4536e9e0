/**
 * optimization_barrier: the identity on several values, which passes never
 * look through. Rematerialisation feeds recomputed work through it so that
 * CSE cannot merge the recomputation with the original forward computation.
 */
import { defineMultiPrimitive, UndefinedPrimal, type Primitive } from "../core/primitive.js";
import { bind } from "../core/trace.js";
import type { NdArray } from "../core/array.js";

export const optimizationBarrierP: Primitive = defineMultiPrimitive({
  name: "optimization_barrier",
  abstractEval: (avals) => avals,
  impl: (args) => args,
  jvp: (primals, tangents) => [optimizationBarrier(primals), tangents],
  transpose: (cts, args) => args.map((a, i) => (a instanceof UndefinedPrimal ? cts[i] : null)),
  vmap: (args, dims) => [optimizationBarrier(args), dims],
  stablehlo: (c, xs) => c.op(`stablehlo.optimization_barrier ${xs.join(", ")} : ${c.types(c.inAvals)}`, xs.length),
});

export function optimizationBarrier(xs: NdArray[]): NdArray[] {
  if (xs.length === 0) return xs;
  return bind(optimizationBarrierP, xs);
}
