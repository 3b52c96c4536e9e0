/**
 * The staging trace: records every operation as a jaxpr equation instead of
 * running it (JAX's DynamicJaxprTrace). Used by jit, makeJaxpr and linearize.
 *
 * With a `parent`, it stages only operations that touch its own tracers and
 * hands every other operation to the parent (online partial evaluation): this
 * is how linearize keeps primal work concrete and stages only the tangent work.
 */
import type { ShapedArray } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import type { Primitive } from "../core/primitive.js";
import { Trace, Tracer, escapedTracerError, withTrace, type CustomCall, type Params } from "../core/trace.js";
import { ClosedJaxpr, Jaxpr, Literal, Var, type Atom, type JaxprEqn } from "./jaxpr.js";

export class StagingTracer extends Tracer {
  constructor(
    trace: StagingTrace,
    readonly variable: Var,
  ) {
    super(trace);
  }
  override get aval(): ShapedArray {
    return this.variable.aval;
  }
}

export class StagingTrace extends Trace {
  readonly eqns: JaxprEqn[] = [];
  private readonly constVars = new Map<NdArray, Var>();

  constructor(readonly parent: Trace | null = null) {
    super();
  }

  get kind(): string {
    return this.parent ? "LinearizeTrace" : "DynamicJaxprTrace";
  }

  /** A fresh input of the program being staged. */
  newArg(aval: ShapedArray): StagingTracer {
    return new StagingTracer(this, new Var(aval));
  }

  isOwn(x: NdArray): x is StagingTracer {
    return x instanceof StagingTracer && x.trace === this;
  }

  /** The program-text form of a value: its variable, a literal, or a captured constant. */
  toAtom(x: NdArray): Atom {
    if (this.isOwn(x)) return x.variable;
    if (x instanceof Tracer && !x.trace.active) throw escapedTracerError(x);
    if (!(x instanceof Tracer) && x.ndim === 0) return new Literal(x);
    let v = this.constVars.get(x);
    if (v === undefined) {
      v = new Var(x.aval);
      this.constVars.set(x, v);
    }
    return v;
  }

  /** In rematerialisation, known operations are staged too (recomputed later) unless `saveable`. */
  remat: ((prim: Primitive, params: Params) => boolean) | null = null;

  processPrimitive(prim: Primitive, args: NdArray[], params: Params): NdArray[] {
    if (this.parent && !args.some((a) => this.isOwn(a)) && (this.remat === null || this.remat(prim, params))) {
      const parent = this.parent;
      return withTrace(parent, () => parent.processPrimitive(prim, args, params));
    }
    const inputs = args.map((a) => this.toAtom(a));
    const outAvals = prim.rules.abstractEval(
      inputs.map((a) => a.aval),
      params,
    );
    const outvars = outAvals.map((a) => new Var(a));
    this.eqns.push({ prim, inputs, params, outvars });
    return outvars.map((v) => new StagingTracer(this, v));
  }

  /** Stages an equation whose output avals are already known (higher-order primitives). */
  stageEqn(prim: Primitive, args: NdArray[], params: Params, outAvals: ShapedArray[]): NdArray[] {
    const inputs = args.map((a) => this.toAtom(a));
    const outvars = outAvals.map((a) => new Var(a));
    this.eqns.push({ prim, inputs, params, outvars });
    return outvars.map((v) => new StagingTracer(this, v));
  }

  override processCustom(call: CustomCall, args: NdArray[]): NdArray[] {
    if (this.parent && !args.some((a) => this.isOwn(a))) {
      const parent = this.parent;
      return withTrace(parent, () => parent.processCustom(call, args));
    }
    return call.stage(this, args);
  }

  /** Closes the program over `inputs` → `outputs`. Constants become constvars with their values. */
  build(inputs: StagingTracer[], outputs: NdArray[]): ClosedJaxpr {
    const outvars = outputs.map((o) => this.toAtom(o));
    const constvars = [...this.constVars.values()];
    const consts = [...this.constVars.keys()];
    const jaxpr = new Jaxpr(
      constvars,
      inputs.map((t) => t.variable),
      this.eqns.slice(),
      outvars,
    );
    return new ClosedJaxpr(jaxpr, consts);
  }
}

/** Traces `f` on abstract inputs into a closed jaxpr (no parent: everything is staged). */
export function traceToJaxpr(f: (args: NdArray[]) => NdArray[], inAvals: ShapedArray[]): ClosedJaxpr {
  const trace = new StagingTrace(null);
  const inputs = inAvals.map((a) => trace.newArg(a));
  try {
    const outs = withTrace(trace, () => f(inputs));
    return trace.build(inputs, outs);
  } finally {
    trace.active = false;
  }
}
