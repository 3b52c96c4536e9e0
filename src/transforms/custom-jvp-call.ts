/**
 * The custom_jvp call as each trace sees it (JAX's process_custom_jvp_call):
 *  - eval: the primal function;
 *  - jvp: the rule, on the parent trace;
 *  - linearize: the rule on the tangent trace, so its primal part runs now and
 *    its tangent part is staged into the linear program (and later transposed);
 *  - vmap: a new call whose function and rule are batched sub-traces;
 *  - staging: one `custom_jvp_call` equation holding the traced primal.
 */
import { NdArray } from "../core/array.js";
import { CustomJvpError } from "../core/errors.js";
import { defineCallPrimitive, UndefinedPrimal, type BatchDim, type Primitive } from "../core/primitive.js";
import { withTrace, Zero, type CustomCall, type MaybeZero } from "../core/trace.js";
import { evalJaxpr, type Jaxpr } from "../ir/jaxpr.js";
import type { StagingTrace } from "../ir/staging.js";
import { lowerInline } from "../ir/stablehlo-control.js";
import { batchedSubtrace, bindOnParent, stageCall } from "./custom-common.js";
import { batchTo } from "../primitives/batching.js";
import type { DiffTrace } from "../interpreters/jvp.js";
import { backwardPass } from "../interpreters/transpose.js";
import type { BatchTrace } from "../interpreters/batch.js";
import { instantiate } from "../interpreters/zeros.js";

/** The rule on flat leaves: (primals, tangents) → (outputs, output tangents). */
export type FlatJvpRule = (primals: NdArray[], tangents: NdArray[]) => [NdArray[], MaybeZero[]];

export class CustomJvpCall implements CustomCall {
  readonly kind = "custom_jvp_call";
  constructor(
    readonly name: string,
    readonly fun: (args: NdArray[]) => NdArray[],
    readonly rule: FlatJvpRule,
    readonly numConsts = 0,
    readonly onJvp: ((primals: NdArray[]) => void) | null = null,
  ) {}

  jvp(trace: DiffTrace, primals: NdArray[], tangents: MaybeZero[]): [NdArray[], MaybeZero[]] {
    if (tangents.slice(0, this.numConsts).some((t) => !(t instanceof Zero))) {
      throw new CustomJvpError(
        `[customJvp] Detected differentiation of a custom_jvp function with respect to a closed-over value: got a tangent for a value ` +
          `that ${this.name} captures from an enclosing function, expected tangents only for its explicit arguments. ` +
          `Pass the value into the custom_jvp function as an argument, and adapt the rule.`,
      );
    }
    this.onJvp?.(primals);
    // Zero tangents are passed to the rule as zeros (JAX's symbolic_zeros=False).
    const ts = tangents.map(instantiate);
    return withTrace(trace.ruleTrace, () => this.rule(primals, ts));
  }

  vmap(trace: BatchTrace, vals: NdArray[], dims: BatchDim[]): [NdArray[], BatchDim[]] {
    // Batch axes of the outputs, recorded by whichever of fun / the rule runs.
    const outDims: BatchDim[] = [];
    const funB = batchedSubtrace(trace, this.fun, dims, outDims);
    let numOuts = 0;
    const ruleB: FlatJvpRule = (ps, ts) => {
      const joinedDims: BatchDim[] = [];
      const joined = batchedSubtrace(
        trace,
        (xs) => {
          const [o, t] = this.rule(xs.slice(0, ps.length), xs.slice(ps.length));
          numOuts = o.length;
          return [...o, ...t.map(instantiate)];
        },
        [...dims, ...dims],
        joinedDims,
      )([...ps, ...ts]);
      // An output and its tangent share a batch axis: if either is batched, both are.
      const size = trace.axisSize;
      const outs = joined.slice(0, numOuts);
      const tOuts = joined.slice(numOuts);
      const both = outs.map((_, i) => joinedDims[i] !== null || joinedDims[numOuts + i] !== null);
      outDims.splice(0, outDims.length, ...both.map((b) => (b ? 0 : null)));
      const fit = (x: NdArray, d: BatchDim, b: boolean) => (b && d === null ? batchTo(x, null, 0, size) : x);
      return [
        outs.map((o, i) => fit(o, joinedDims[i], both[i])),
        tOuts.map((t, i) => fit(t, joinedDims[numOuts + i], both[i])),
      ];
    };
    const call = new CustomJvpCall(this.name, funB, ruleB, this.numConsts, null);
    return bindOnParent(trace, call, vals, outDims);
  }

  stage(trace: StagingTrace, args: NdArray[]): NdArray[] {
    return stageCall(trace, customJvpCallP, this.fun, args, (callJaxpr, numConsts): CustomJvpCallParams => ({
      name: this.name,
      callJaxpr,
      numConsts,
      jvp: this.rule,
    }));
  }
}

interface CustomJvpCallParams {
  name: string;
  callJaxpr: Jaxpr;
  numConsts: number;
  jvp: FlatJvpRule;
}

function callFromParams(p: CustomJvpCallParams): CustomCall {
  const nc = p.numConsts;
  const fun = (xs: NdArray[]) => evalJaxpr(p.callJaxpr, [], xs);
  const rule: FlatJvpRule = (ps, ts) => p.jvp(ps.slice(nc), ts.slice(nc));
  return new CustomJvpCall(p.name, fun, rule, nc);
}

export const customJvpCallP: Primitive = defineCallPrimitive<CustomJvpCallParams>({
  name: "custom_jvp_call",
  abstractEval: (_avals, { callJaxpr }) => callJaxpr.outAvals,
  impl: (args, { callJaxpr }) => evalJaxpr(callJaxpr, [], args),
  customCall: (p) => callFromParams(p),
  /** Applied to tangents inside a linear program: transpose the primal function itself (it must be linear there). */
  transpose(cts, args, { callJaxpr }) {
    const known = args.map((a) => (a instanceof UndefinedPrimal ? null : a));
    return backwardPass(callJaxpr, [], cts, known);
  },
  printParams: ({ name, callJaxpr }) => ({ call_jaxpr: callJaxpr, jvp: `${name}_jvp`, name, symbolic_zeros: false }),
  // Once differentiation is done, the primal function (as JAX lowers custom_jvp_call).
  stablehlo: (c, args, { callJaxpr }) => lowerInline(c, callJaxpr, args),
});
