/**
 * Forward mode: the JVP trace carries (primal, tangent) pairs and applies each
 * primitive's JVP rule on the parent trace. Tangents may be symbolic zeros.
 */
import type { ShapedArray } from "../core/aval.js";
import { TransformError } from "../core/errors.js";
import { NdArray } from "../core/array.js";
import type { Primitive } from "../core/primitive.js";
import { Trace, Tracer, Zero, withTrace, type CustomCall, type MaybeZero, type Params } from "../core/trace.js";
import { tangentAval } from "./zeros.js";

/** A primal value with its tangent (the tracers of JVP and linearize traces). */
export abstract class PairTracer extends Tracer {
  constructor(
    trace: DiffTrace,
    readonly primal: NdArray,
    readonly tangent: MaybeZero,
  ) {
    super(trace);
  }
  override get aval(): ShapedArray {
    return this.primal.aval;
  }
  override concreteOrNull(): NdArray | null {
    return this.primal instanceof Tracer ? this.primal.concreteOrNull() : this.primal;
  }
}

export class JVPTracer extends PairTracer {}

/** Base of the two differentiation traces: pairs values with tangents. */
export abstract class DiffTrace extends Trace {
  constructor(readonly parent: Trace) {
    super();
  }

  abstract makeTracer(primal: NdArray, tangent: MaybeZero): NdArray;
  abstract ownPair(x: NdArray): [NdArray, MaybeZero] | null;
  /** The trace on which JVP rules run: where primal ops go to the parent. */
  abstract get ruleTrace(): Trace;

  /** Splits a value into (primal, tangent); a foreign value has a zero tangent. */
  pair(x: NdArray): [NdArray, MaybeZero] {
    return this.ownPair(x) ?? [x, new Zero(tangentAval(x.aval))];
  }

  /** Output: a tracer, or the bare primal when its tangent is a symbolic zero. */
  wrap(primal: NdArray, tangent: MaybeZero): NdArray {
    return tangent instanceof Zero ? primal : this.makeTracer(primal, tangent);
  }

  processPrimitive(prim: Primitive, args: NdArray[], params: Params): NdArray[] {
    const pairs = args.map((a) => this.pair(a));
    const primals = pairs.map((p) => p[0]);
    const tangents = pairs.map((p) => p[1]);
    const jvp = prim.rules.jvp;
    const parent = this.parent;
    if (prim.rules.customCall) return this.processCustom(prim.rules.customCall(params, args), args);
    if (jvp === "zero" || tangents.every((t) => t instanceof Zero)) {
      return withTrace(parent, () => parent.processPrimitive(prim, primals, params));
    }
    if (jvp === "nondifferentiable") throw notDifferentiable(prim);
    const [outs, outTangents] = withTrace(this.ruleTrace, () => jvp(primals, tangents, params));
    return outs.map((o, i) => this.wrap(o, outTangents[i]));
  }

  override processCustom(call: CustomCall, args: NdArray[]): NdArray[] {
    const pairs = args.map((a) => this.pair(a));
    const primals = pairs.map((p) => p[0]);
    const tangents = pairs.map((p) => p[1]);
    const parent = this.parent;
    if (tangents.every((t) => t instanceof Zero)) {
      return withTrace(parent, () => parent.processCustom(call, primals));
    }
    const [outs, outTangents] = call.jvp(this, primals, tangents);
    return outs.map((o, i) => this.wrap(o, outTangents[i]));
  }
}

export class JVPTrace extends DiffTrace {
  get kind(): string {
    return "JVPTrace";
  }
  get ruleTrace(): Trace {
    return this.parent;
  }
  makeTracer(primal: NdArray, tangent: MaybeZero): NdArray {
    return new JVPTracer(this, primal, tangent);
  }
  ownPair(x: NdArray): [NdArray, MaybeZero] | null {
    return x instanceof JVPTracer && x.trace === this ? [x.primal, x.tangent] : null;
  }
}

/**
 * Forward-mode derivative of a flat function: returns (outputs, output tangents).
 * Zero tangents stay symbolic.
 */
export function jvpFlat(
  f: (args: NdArray[]) => NdArray[],
  primals: NdArray[],
  tangents: MaybeZero[],
  parent: Trace,
): [NdArray[], MaybeZero[]] {
  const trace = new JVPTrace(parent);
  try {
    const inputs = primals.map((p, i) => trace.wrap(p, tangents[i]));
    const outs = withTrace(trace, () => f(inputs));
    const pairs = outs.map((o) => trace.pair(o));
    return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
  } finally {
    trace.active = false;
  }
}

function notDifferentiable(prim: Primitive): TransformError {
  return new TransformError(
    `[${prim.name}] differentiation rule for '${prim.name}' not implemented: got a non-zero tangent, ` +
      `expected ${prim.name} to be applied only to values that are not differentiated. ` +
      `Wrap its operands in stopGradient, or compute it outside the differentiated function.`,
  );
}
