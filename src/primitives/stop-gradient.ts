/** stop_gradient: the identity, whose derivative is zero. */
import { definePrimitive, type Primitive } from "../core/primitive.js";
import { bind1, Zero } from "../core/trace.js";
import type { NdArray } from "../core/array.js";

export const stopGradientP: Primitive = definePrimitive({
  name: "stop_gradient",
  abstractEval: ([x]) => x,
  impl: ([x]) => x,
  jvp: ([x]) => [stopGradient(x), new Zero(x.aval)],
  vmap: ([x], [d]) => [stopGradient(x), d],
  // After differentiation the identity: JAX writes no op for it.
  stablehlo: (_c, [x]) => x,
});

export function stopGradient(x: NdArray): NdArray {
  return bind1(stopGradientP, [x]);
}
