/**
 * jit: traces a function once per input signature into a jaxpr, optimises it,
 * caches it, and binds it as one `pjit` equation. Other transformations see
 * through pjit by transforming its jaxpr (jvp, vmap), so jit composes with all
 * of them. A compiled program runs its optimised, fused jaxpr equation by
 * equation, reusing the buffers of its intermediates (ir/run-program.ts).
 */
import { ShapedArray } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { defineCallPrimitive, type Primitive } from "../core/primitive.js";
import { bind, Tracer, withTrace, type CustomCall, type MaybeZero } from "../core/trace.js";
import type { BatchDim } from "../core/primitive.js";
import type { StagingTrace } from "../ir/staging.js";
import type { DiffTrace } from "../interpreters/jvp.js";
import type { BatchTrace } from "../interpreters/batch.js";
import { ClosedJaxpr, Jaxpr, evalJaxpr } from "../ir/jaxpr.js";
import { traceToJaxpr } from "../ir/staging.js";
import { runProgram } from "../compile/run-program.js";
import { optimize } from "../ir/passes.js";
import { lowerPjit } from "../ir/stablehlo-control.js";

export interface PjitParams {
  /** Every constant is a leading input: the jaxpr has no constvars. */
  jaxpr: Jaxpr;
  /** The same program prepared for running (elementwise chains fused); transformations read `jaxpr`. */
  compiled: Jaxpr;
  name: string;
}

const run = (jaxpr: Jaxpr) => (args: NdArray[]) => evalJaxpr(jaxpr, [], args);

/**
 * How transformations see a pjit equation: they inline it, running its jaxpr
 * under themselves (so reverse mode linearizes it, vmap batches it); staging
 * traces keep it as one equation.
 */
class InlineCall implements CustomCall {
  readonly kind = "pjit";
  constructor(readonly params: PjitParams) {}
  get name(): string {
    return this.params.name;
  }
  fun(args: NdArray[]): NdArray[] {
    return run(this.params.jaxpr)(args);
  }
  jvp(trace: DiffTrace, primals: NdArray[], tangents: MaybeZero[]): [NdArray[], MaybeZero[]] {
    const outs = withTrace(trace, () => this.fun(primals.map((p, i) => trace.wrap(p, tangents[i]))));
    const pairs = outs.map((o) => trace.pair(o));
    return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
  }
  vmap(trace: BatchTrace, vals: NdArray[], dims: BatchDim[]): [NdArray[], BatchDim[]] {
    const outs = withTrace(trace, () => this.fun(vals.map((v, i) => trace.wrap(v, dims[i]))));
    const unpacked = outs.map((o) => trace.unpack(o));
    return [unpacked.map((u) => u[0]), unpacked.map((u) => u[1])];
  }
  stage(trace: StagingTrace, args: NdArray[]): NdArray[] {
    return trace.stageEqn(pjitP, args, this.params, this.params.jaxpr.outAvals);
  }
}

export const pjitP: Primitive = defineCallPrimitive<PjitParams>({
  name: "pjit",
  abstractEval: (_avals, { jaxpr }) => jaxpr.outAvals,
  impl: (args, { compiled }) => runProgram(compiled, args),
  customCall: (params) => new InlineCall(params),
  printParams: ({ jaxpr, name }) => ({ jaxpr, name }),
  stablehlo: (c, args, { jaxpr, name }) => lowerPjit(c, args, jaxpr, name),
});

/**
 * Traces `f` (flat) at `inAvals`, moving its constants to leading inputs,
 * and optimises the result. Returns the jaxpr and the constants' values.
 */
export function stageFlat(
  f: (args: NdArray[]) => NdArray[],
  inAvals: ShapedArray[],
): { jaxpr: Jaxpr; consts: NdArray[] } {
  const closed: ClosedJaxpr = traceToJaxpr(f, inAvals);
  const j = closed.jaxpr;
  const opened = new Jaxpr([], [...j.constvars, ...j.invars], j.eqns, j.outvars);
  return { jaxpr: optimize(opened), consts: closed.consts };
}

export function bindPjit(jaxpr: Jaxpr, compiled: Jaxpr, consts: NdArray[], args: NdArray[], name: string): NdArray[] {
  return bind(pjitP as Primitive, [...consts, ...args], { jaxpr, compiled, name });
}

/** Constants that are tracers of an enclosing transformation make a trace single-use. */
export function hasTracerConsts(consts: NdArray[]): boolean {
  return consts.some((c) => c instanceof Tracer);
}
