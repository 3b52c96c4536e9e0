/**
 * Linearize = JVP + partial evaluation. The linearize trace runs each JVP rule
 * on a staging trace whose parent is the outer trace: primal work (which does
 * not touch tangents) is handed to the parent and computed now; tangent work is
 * recorded into a linear jaxpr whose constants are the residuals.
 */
import type { ShapedArray } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { Zero, withTrace, currentTrace, type MaybeZero, type Trace } from "../core/trace.js";
import { ClosedJaxpr, evalJaxpr } from "../ir/jaxpr.js";
import { dceClosed } from "../ir/passes.js";
import { StagingTrace, type StagingTracer } from "../ir/staging.js";
import { DiffTrace, PairTracer } from "./jvp.js";
import { isDifferentiableAval, tangentAval } from "./zeros.js";

/** A primal value with its tangent, staged into the linear program. */
export class LinearizeTracer extends PairTracer {}

export class LinearizeTrace extends DiffTrace {
  readonly tangentTrace: StagingTrace;
  constructor(parent: Trace) {
    super(parent);
    this.tangentTrace = new StagingTrace(parent);
  }
  get kind(): string {
    return "LinearizeTrace";
  }
  get ruleTrace(): Trace {
    return this.tangentTrace;
  }
  makeTracer(primal: NdArray, tangent: MaybeZero): NdArray {
    return new LinearizeTracer(this, primal, tangent);
  }
  ownPair(x: NdArray): [NdArray, MaybeZero] | null {
    return x instanceof LinearizeTracer && x.trace === this ? [x.primal, x.tangent] : null;
  }
}

/**
 * A linear function recorded by linearize: `jaxpr` maps the tangents of the
 * differentiable inputs to the tangents of the outputs. Inputs and outputs
 * whose tangent is symbolically zero are not in the jaxpr (`inZero`, `outZero`).
 */
export interface LinearFunction {
  readonly jaxpr: ClosedJaxpr;
  readonly inAvals: ShapedArray[];
  readonly outAvals: ShapedArray[];
  readonly inZero: boolean[];
  readonly outZero: boolean[];
}

/** Linearizes a flat function at `primals`: its outputs, and its linear tangent map. */
export function linearizeFlat(f: (args: NdArray[]) => NdArray[], primals: NdArray[]): [NdArray[], LinearFunction] {
  const trace = new LinearizeTrace(currentTrace());
  const tt = trace.tangentTrace;
  const inZero = primals.map((p) => !isDifferentiableAval(p.aval));
  const tangentsIn: (StagingTracer | null)[] = primals.map((p, i) =>
    inZero[i] ? null : tt.newArg(tangentAval(p.aval)),
  );
  try {
    const inputs = primals.map((p, i) => trace.wrap(p, tangentsIn[i] ?? new Zero(tangentAval(p.aval))));
    const outs = withTrace(trace, () => f(inputs));
    const pairs = outs.map((o) => trace.pair(o));
    // A tangent that is not one of the staged values (a constant) is not linear: treat it as zero.
    const outZero = pairs.map(([, t]) => t instanceof Zero || !tt.isOwn(t));
    const jaxpr = dceClosed(
      tt.build(
        tangentsIn.filter((t): t is StagingTracer => t !== null),
        pairs.filter((_, i) => !outZero[i]).map((p) => p[1] as NdArray),
      ),
    );
    const linear: LinearFunction = {
      jaxpr,
      inAvals: primals.map((p) => tangentAval(p.aval)),
      outAvals: pairs.map(([p]) => tangentAval(p.aval)),
      inZero,
      outZero,
    };
    return [pairs.map((p) => p[0]), linear];
  } finally {
    trace.active = false;
    tt.active = false;
  }
}

/** Applies a linear function forward (what `linearize` returns). */
export function applyLinear(lin: LinearFunction, tangents: NdArray[]): MaybeZero[] {
  const args = tangents.filter((_, i) => !lin.inZero[i]);
  const outs = withTrace(currentTrace(), () => evalLinear(lin, args));
  let k = 0;
  return lin.outAvals.map((a, i) => (lin.outZero[i] ? new Zero(a) : outs[k++]));
}

function evalLinear(lin: LinearFunction, args: NdArray[]): NdArray[] {
  return evalJaxpr(lin.jaxpr.jaxpr, lin.jaxpr.consts, args);
}
