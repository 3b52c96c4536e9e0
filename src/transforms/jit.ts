/**
 * jit: traces a function once per input signature into a jaxpr, optimises it,
 * caches it, and binds it as one `pjit` equation. Other transformations see
 * through pjit by transforming its jaxpr (jvp, vmap), so jit composes with all
 * of them. For now a compiled program runs its optimised jaxpr op by op.
 */
import { ShapedArray } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { defineMultiPrimitive, type Primitive } from "../core/primitive.js";
import { bind, currentTrace, Tracer } from "../core/trace.js";
import { ClosedJaxpr, Jaxpr, evalJaxpr } from "../ir/jaxpr.js";
import { traceToJaxpr } from "../ir/staging.js";
import { optimize } from "../ir/passes.js";
import { jvpFlat } from "./jvp.js";
import { vmapFlat } from "./vmap.js";

export interface PjitParams {
  /** Every constant is a leading input: the jaxpr has no constvars. */
  jaxpr: Jaxpr;
  name: string;
}

const run = (jaxpr: Jaxpr) => (args: NdArray[]) => evalJaxpr(jaxpr, [], args);

export const pjitP: Primitive = defineMultiPrimitive<PjitParams>({
  name: "pjit",
  abstractEval: (_avals, { jaxpr }) => jaxpr.outAvals,
  impl: (args, { jaxpr }) => run(jaxpr)(args),
  jvp: (primals, tangents, { jaxpr }) => jvpFlat(run(jaxpr), primals, tangents, currentTrace()),
  vmap(args, dims, { jaxpr }, size) {
    const [outs] = vmapFlat(run(jaxpr), args, dims, size, 0);
    return [outs, outs.map(() => 0)];
  },
  printParams: ({ jaxpr, name }) => ({ jaxpr, name }),
});

/**
 * Traces `f` (flat) at `inAvals`, moving its constants to leading inputs,
 * and optimises the result. Returns the jaxpr and the constants' values.
 */
export function stageFlat(f: (args: NdArray[]) => NdArray[], inAvals: ShapedArray[]): { jaxpr: Jaxpr; consts: NdArray[] } {
  const closed: ClosedJaxpr = traceToJaxpr(f, inAvals);
  const j = closed.jaxpr;
  const opened = new Jaxpr([], [...j.constvars, ...j.invars], j.eqns, j.outvars);
  return { jaxpr: optimize(opened), consts: closed.consts };
}

export function bindPjit(jaxpr: Jaxpr, consts: NdArray[], args: NdArray[], name: string): NdArray[] {
  return bind(pjitP as Primitive, [...consts, ...args], { jaxpr, name });
}

/** Constants that are tracers of an enclosing transformation make a trace single-use. */
export function hasTracerConsts(consts: NdArray[]): boolean {
  return consts.some((c) => c instanceof Tracer);
}
