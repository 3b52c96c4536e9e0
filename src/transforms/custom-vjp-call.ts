/**
 * The custom_vjp call as each trace sees it (JAX's process_custom_vjp_call):
 *  - eval: the primal function only;
 *  - linearize (reverse mode): fwd on the parent trace, then a `custom_lin`
 *    equation in the linear program whose transpose calls bwd;
 *  - jvp (forward mode): JAX's error, after running fwd as JAX does;
 *  - vmap: a new call whose fun/fwd/bwd are batched sub-traces;
 *  - staging: one `custom_vjp_call` equation holding the traced primal.
 */
import type { ShapedArray } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { CustomVjpError } from "../core/errors.js";
import { defineCallPrimitive, defineMultiPrimitive, type BatchDim, type Primitive } from "../core/primitive.js";
import { bind, withTrace, Zero, type CustomCall, type MaybeZero } from "../core/trace.js";
import { evalJaxpr, type Jaxpr } from "../ir/jaxpr.js";
import type { StagingTrace } from "../ir/staging.js";
import { lowerInline } from "../ir/stablehlo-control.js";
import { batchedSubtrace, bindOnParent, stageCall, unbatchCotangents } from "./custom-common.js";
import type { DiffTrace } from "../interpreters/jvp.js";
import { LinearizeTrace } from "../interpreters/linearize.js";
import type { BatchTrace } from "../interpreters/batch.js";
import { instantiate, tangentAval } from "../interpreters/zeros.js";

/** fwd on flat leaves: primal outputs and residual leaves. */
export type FlatFwd = (args: NdArray[]) => [NdArray[], NdArray[]];
/** bwd on flat leaves: one cotangent (or symbolic zero) per differentiable input leaf. */
export type FlatBwd = (residuals: NdArray[], cts: NdArray[]) => MaybeZero[];

export const FORWARD_MODE_ERROR = "can't apply forward-mode autodiff (jvp) to a custom_vjp function.";

export function forwardModeError(): CustomVjpError {
  return new CustomVjpError(
    `[customVjp] ${FORWARD_MODE_ERROR} A customVjp function defines only reverse mode: use grad/vjp/jacrev, ` +
      `or define the function with customJvp if forward mode (jvp, jacfwd, hessian) is needed.`,
  );
}

const CLOSURE_ERROR =
  "Detected differentiation of a custom_vjp function with respect to a closed-over value. That isn't supported " +
  "because the custom VJP rule only specifies how to differentiate the custom_vjp function with respect to explicit " +
  "input parameters. Try passing the closed-over value into the custom_vjp function as an argument, and adapting the " +
  "custom_vjp fwd and bwd rules.";

export class CustomVjpCall implements CustomCall {
  readonly kind = "custom_vjp_call";
  constructor(
    readonly name: string,
    readonly fun: (args: NdArray[]) => NdArray[],
    readonly fwd: FlatFwd,
    readonly bwd: FlatBwd,
    /** Leading arguments that are constants the staged primal closed over (they get no cotangent). */
    readonly numConsts = 0,
    /** Called once fwd and bwd are known to run for an input signature (rule checking). */
    readonly onLinearize: ((primals: NdArray[]) => void) | null = null,
  ) {}

  jvp(trace: DiffTrace, primals: NdArray[], tangents: MaybeZero[]): [NdArray[], MaybeZero[]] {
    if (tangents.slice(0, this.numConsts).some((t) => !(t instanceof Zero)))
      throw new CustomVjpError(`[customVjp] ${CLOSURE_ERROR}`);
    const parent = trace.parent;
    if (!(trace instanceof LinearizeTrace)) {
      // JAX's JVPTrace: fwd runs, and bwd is bound as `custom_lin` on the tangents. Evaluating it
      // is forward mode, an error; staged (as checkpoint's linearization stages a JVP) it is
      // transposed later, so reverse mode through checkpoint works.
      const [outs, residuals] = withTrace(parent, () => this.fwd(primals));
      const inZero = tangents.map((t) => t instanceof Zero);
      const live = tangents.filter((_, i) => !inZero[i]) as NdArray[];
      const params = this.linParams(outs, residuals, inZero);
      const tOuts = withTrace(trace.ruleTrace, () => bind(customLinP, [...residuals, ...live], params));
      return [outs, tOuts];
    }
    this.onLinearize?.(primals);
    const [outs, residuals] = withTrace(parent, () => this.fwd(primals));
    const tt = trace.tangentTrace;
    const inZero = tangents.map((t) => t instanceof Zero || !tt.isOwn(t));
    const params = this.linParams(outs, residuals, inZero);
    const live = tangents.filter((_, i) => !inZero[i]) as NdArray[];
    const tOuts = withTrace(tt, () => bind(customLinP, [...residuals, ...live], params));
    return [outs, tOuts];
  }

  private linParams(outs: NdArray[], residuals: NdArray[], inZero: boolean[]): CustomLinParams {
    return {
      name: this.name,
      numRes: residuals.length,
      bwd: this.bwd,
      outAvals: outs.map((o) => tangentAval(o.aval)),
      inZero,
    };
  }

  vmap(trace: BatchTrace, vals: NdArray[], dims: BatchDim[]): [NdArray[], BatchDim[]] {
    // Batch axes of the outputs and residuals, recorded by whichever of fun / fwd runs.
    const outDims: BatchDim[] = [];
    let resDims: BatchDim[] = [];
    const funB = batchedSubtrace(trace, this.fun, dims, outDims);
    let numOuts = 0;
    const fwdB: FlatFwd = (xs) => {
      const joinedDims: BatchDim[] = [];
      const joined = batchedSubtrace(
        trace,
        (ys) => {
          const [o, r] = this.fwd(ys);
          numOuts = o.length;
          return [...o, ...r];
        },
        dims,
        joinedDims,
      )(xs);
      outDims.splice(0, outDims.length, ...joinedDims.slice(0, numOuts));
      resDims = joinedDims.slice(numOuts);
      return [joined.slice(0, numOuts), joined.slice(numOuts)];
    };
    const bwdB: FlatBwd = (res, cts) => {
      let zeros: boolean[] = [];
      const batched = batchedSubtrace(
        trace,
        (ys) => {
          const out = this.bwd(ys.slice(0, res.length), ys.slice(res.length));
          zeros = out.map((c) => c instanceof Zero);
          return out.map(instantiate);
        },
        [...resDims, ...outDims],
      )([...res, ...cts]);
      const kept = batched.map((c, i) => (zeros[i] ? new Zero(vals[i].aval) : c));
      return unbatchCotangents(kept, dims, vals);
    };
    const call = new CustomVjpCall(this.name, funB, fwdB, bwdB, this.numConsts, null);
    return bindOnParent(trace, call, vals, outDims);
  }

  stage(trace: StagingTrace, args: NdArray[]): NdArray[] {
    return stageCall(trace, customVjpCallP, this.fun, args, (callJaxpr, numConsts): CustomVjpCallParams => ({
      name: this.name,
      callJaxpr,
      numConsts,
      fwd: this.fwd,
      bwd: this.bwd,
    }));
  }
}

// --- custom_lin: the linear stand-in for bwd ---------------------------------------

interface CustomLinParams {
  name: string;
  numRes: number;
  bwd: FlatBwd;
  outAvals: ShapedArray[];
  /** Inputs whose tangent was zero: not operands, and their cotangents are dropped. */
  inZero: boolean[];
}

export const customLinP: Primitive = defineMultiPrimitive<CustomLinParams>({
  name: "custom_lin",
  abstractEval: (_avals, { outAvals }) => outAvals,
  impl: () => {
    throw forwardModeError();
  },
  jvp: () => {
    throw forwardModeError();
  },
  vmap: () => {
    throw forwardModeError();
  },
  /** ct_in = bwd(residuals, ct_out), keeping the entries of inputs that had tangents. */
  transpose(cts, args, { numRes, bwd, outAvals, inZero }) {
    const residuals = args.slice(0, numRes) as NdArray[];
    const ctsOut = cts.map((c, i) => (c instanceof Zero ? instantiate(new Zero(outAvals[i])) : (c as NdArray)));
    const ctsIn = bwd(residuals, ctsOut).filter((_, i) => !inZero[i]);
    return [...residuals.map(() => null), ...ctsIn];
  },
  printParams: ({ name, numRes }) => ({ bwd: name + "_bwd", num_res: numRes }),
  // Its bwd is a JS function, traced only when transposed: export the transposed program instead.
  stablehlo: () => {
    throw forwardModeError();
  },
});

// --- custom_vjp_call: the staged form --------------------------------------------------

interface CustomVjpCallParams {
  name: string;
  /** The primal function, with its constants as leading inputs. */
  callJaxpr: Jaxpr;
  numConsts: number;
  fwd: FlatFwd;
  bwd: FlatBwd;
}

function callFromParams(p: CustomVjpCallParams): CustomCall {
  const nc = p.numConsts;
  const fun = (xs: NdArray[]) => evalJaxpr(p.callJaxpr, [], xs);
  const fwd: FlatFwd = (xs) => p.fwd(xs.slice(nc));
  const bwd =
    (consts: ShapedArray[]): FlatBwd =>
    (res, cts) => [...consts.map((a) => new Zero(a)), ...p.bwd(res, cts)];
  return new CustomVjpCall(p.name, fun, fwd, bwd(p.callJaxpr.inAvals.slice(0, nc)), nc);
}

export const customVjpCallP: Primitive = defineCallPrimitive<CustomVjpCallParams>({
  name: "custom_vjp_call",
  abstractEval: (_avals, { callJaxpr }) => callJaxpr.outAvals,
  impl: (args, { callJaxpr }) => evalJaxpr(callJaxpr, [], args),
  customCall: (p) => callFromParams(p),
  printParams: ({ name, callJaxpr }) => ({
    bwd: `${name}_bwd`,
    call_jaxpr: callJaxpr,
    fwd: `${name}_fwd`,
    name,
    symbolic_zeros: false,
  }),
  // Once differentiation is done, the primal function (as JAX lowers custom_vjp_call).
  stablehlo: (c, args, { callJaxpr }) => lowerInline(c, callJaxpr, args),
});
