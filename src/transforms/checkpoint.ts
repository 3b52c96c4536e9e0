/**
 * `checkpoint(f, { policy })` (JAX's `jax.checkpoint` / remat): reverse mode
 * saves only what the policy allows from inside `f`, and recomputes the rest
 * during the backward pass. Forward mode and evaluation are unaffected.
 *
 * Under linearize, `f` runs once on the parent trace for its outputs, then its
 * JVP is staged into the linear program with the staging trace in remat mode:
 * operations the policy does not save are staged too (not computed now), so
 * the linear program holds `f`'s inputs and the saveable values as residuals
 * and recomputes everything else when it is transposed.
 */
import type { NdArray } from "../core/array.js";
import { defineCallPrimitive, type BatchDim, type Primitive } from "../core/primitive.js";
import {
  bind,
  bindCustom,
  currentTrace,
  withTrace,
  Zero,
  type CustomCall,
  type MaybeZero,
  type Params,
} from "../core/trace.js";
import { evalJaxpr, Literal, Var, type Atom, type Jaxpr, type JaxprEqn } from "../ir/jaxpr.js";
import { traceToJaxpr, type StagingTrace } from "../ir/staging.js";
import { instantiate } from "./zeros.js";
import { dotGeneralP } from "../primitives/dot.js";
import { optimizationBarrier } from "../primitives/optimization-barrier.js";
import { unflatten, type TreeDef } from "../tree/tree.js";
import { checkCallable, flattenArrays } from "./args.js";
import { batchedSubtrace, bindOnParent, stageCall } from "./custom-common.js";
import { jvpFlat, type DiffTrace } from "./jvp.js";
import { LinearizeTrace } from "./linearize.js";
import type { BatchTrace } from "./vmap.js";

/**
 * Linearizes `fun` saving only what `policy` allows. Its JVP is staged into a
 * jaxpr; every primal equation (one that does not depend on a tangent) is
 * computed now on the parent trace; the linear program receives the tangent
 * equations, plus a recomputation of each primal equation it needs whose
 * result the policy does not save. The recomputation reads the inputs through
 * an optimization barrier so that CSE cannot merge it with the forward pass.
 */
function rematLinearize(
  trace: LinearizeTrace,
  fun: (xs: NdArray[]) => NdArray[],
  policy: CheckpointPolicy,
  primals: NdArray[],
  tangents: MaybeZero[],
): [NdArray[], MaybeZero[]] {
  const live = tangents.map((t) => !(t instanceof Zero));
  const n = primals.length;
  const traced = traceToJaxpr(
    (xs) => {
      const ts = primals.map((p, i) => (live[i] ? xs[n + live.slice(0, i).filter(Boolean).length] : new Zero(p.aval)));
      const [outs, tOuts] = jvpFlat(fun, xs.slice(0, n), ts, currentTrace());
      return [...outs, ...tOuts.map(instantiate)];
    },
    [...primals.map((p) => p.aval), ...(tangents.filter((_, i) => live[i]) as NdArray[]).map((t) => t.aval)],
  );
  const j = traced.jaxpr;
  const liveTangents = tangents.filter((_, i) => live[i]) as NdArray[];
  // Which variables depend on a tangent.
  const tangentVars = new Set<Var>(j.invars.slice(n));
  const isTangentEqn = (e: JaxprEqn) => e.inputs.some((a) => a instanceof Var && tangentVars.has(a));
  for (const e of j.eqns) if (isTangentEqn(e)) e.outvars.forEach((v) => tangentVars.add(v));
  // Now: every primal equation on the parent trace.
  const now = new Map<Atom, NdArray>();
  j.constvars.forEach((v, i) => now.set(v, traced.consts[i]));
  j.invars.slice(0, n).forEach((v, i) => now.set(v, primals[i]));
  const read = (m: Map<Atom, NdArray>) => (a: Atom) => (a instanceof Literal ? a.value : m.get(a)!);
  withTrace(trace.parent, () => {
    for (const e of j.eqns) {
      if (isTangentEqn(e)) continue;
      bind(e.prim, e.inputs.map(read(now)), e.params).forEach((o, i) => now.set(e.outvars[i], o));
    }
  });
  const numOuts = j.outvars.length / 2; // outputs, then one tangent per output
  const outs = j.outvars.slice(0, numOuts).map(read(now));
  // Later: the linear program, recomputing the primal values the policy does not save.
  const tt = trace.tangentTrace;
  const staged = new Map<Atom, NdArray>();
  const tOuts = withTrace(tt, () => {
    const previous = tt.remat;
    tt.remat = () => false;
    try {
      const held = optimizationBarrier(j.invars.slice(0, n).map(read(now)));
      j.invars.slice(0, n).forEach((v, i) => staged.set(v, held[i]));
      j.constvars.forEach((v) => staged.set(v, now.get(v)!));
      j.invars.slice(n).forEach((v, i) => staged.set(v, liveTangents[i]));
      for (const e of j.eqns) {
        const saved = !isTangentEqn(e) && policy(e.prim, e.params);
        if (saved) e.outvars.forEach((v) => staged.set(v, now.get(v)!));
        else bind(e.prim, e.inputs.map(read(staged)), e.params).forEach((o, i) => staged.set(e.outvars[i], o));
      }
      return j.outvars.slice(numOuts).map(read(staged));
    } finally {
      tt.remat = previous;
    }
  });
  return [outs, tOuts];
}

/** Decides, per primitive application inside a checkpointed function, whether its output may be saved. */
export type CheckpointPolicy = (prim: Primitive, params: Params) => boolean;

/** `jax.checkpoint_policies`. */
export const checkpointPolicies = {
  /** Save nothing: recompute everything inside the function (JAX's default). */
  nothingSaveable: (() => false) as CheckpointPolicy,
  /** Save everything: the same as not checkpointing. */
  everythingSaveable: (() => true) as CheckpointPolicy,
  /** Save the results of matrix multiplications (dot_general), recompute the rest. */
  dotsSaveable: ((prim) => prim === dotGeneralP) as CheckpointPolicy,
  /** Save dot_general results that have no batch dimensions. */
  dotsWithNoBatchDimsSaveable: ((prim, params) =>
    prim === dotGeneralP && (params as { batch: [number[], number[]] }).batch[0].length === 0) as CheckpointPolicy,
};

export interface CheckpointOptions {
  policy?: CheckpointPolicy;
}

class CheckpointCall implements CustomCall {
  readonly kind = "checkpoint";
  constructor(
    readonly name: string,
    readonly fun: (args: NdArray[]) => NdArray[],
    readonly policy: CheckpointPolicy,
  ) {}

  jvp(trace: DiffTrace, primals: NdArray[], tangents: MaybeZero[]): [NdArray[], MaybeZero[]] {
    if (!(trace instanceof LinearizeTrace)) {
      const outs = withTrace(trace, () => this.fun(primals.map((p, i) => trace.wrap(p, tangents[i]))));
      const pairs = outs.map((o) => trace.pair(o));
      return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
    }
    return rematLinearize(trace, this.fun, this.policy, primals, tangents);
  }

  vmap(trace: BatchTrace, vals: NdArray[], dims: BatchDim[]): [NdArray[], BatchDim[]] {
    const outDims: BatchDim[] = [];
    const call = new CheckpointCall(this.name, batchedSubtrace(trace, this.fun, dims, outDims), this.policy);
    return bindOnParent(trace, call, vals, outDims);
  }

  stage(trace: StagingTrace, args: NdArray[]): NdArray[] {
    return stageCall(trace, checkpointP, this.fun, args, (jaxpr): CheckpointParams => ({
      name: this.name,
      jaxpr,
      policy: this.policy,
    }));
  }
}

interface CheckpointParams {
  name: string;
  /** The function, with its constants as leading inputs. */
  jaxpr: Jaxpr;
  policy: CheckpointPolicy;
}

export const checkpointP: Primitive = defineCallPrimitive<CheckpointParams>({
  name: "checkpoint",
  abstractEval: (_avals, { jaxpr }) => jaxpr.outAvals,
  impl: (args, { jaxpr }) => evalJaxpr(jaxpr, [], args),
  customCall: ({ name, jaxpr, policy }) => new CheckpointCall(name, (xs) => evalJaxpr(jaxpr, [], xs), policy),
  printParams: ({ jaxpr, policy }) => ({ jaxpr, policy: policyName(policy), prevent_cse: true }),
});

function policyName(p: CheckpointPolicy): string {
  const entry = Object.entries(checkpointPolicies).find(([, v]) => v === p);
  return entry ? entry[0] : p.name || "custom";
}

/**
 * `jax.checkpoint(f, policy=...)` (alias `remat`).
 * @example
 * const layer = checkpoint((w, x) => np.tanh(np.matmul(x, w)), { policy: checkpointPolicies.dotsSaveable });
 */
export function checkpoint<F extends (...args: never[]) => unknown>(f: F, options: CheckpointOptions = {}): F {
  checkCallable("checkpoint", f);
  const policy = options.policy ?? checkpointPolicies.nothingSaveable;
  const name = f.name || "fn";
  return ((...args: unknown[]) => {
    const [leaves, argTree] = flattenArrays(args, "checkpoint", "the arguments");
    let outTree: TreeDef | null = null;
    const fun = (xs: NdArray[]): NdArray[] => {
      const [ls, def] = flattenArrays(
        (f as unknown as (...a: unknown[]) => unknown)(...(unflatten(argTree, xs) as unknown[])),
        "checkpoint",
        "the output",
      );
      outTree = def;
      return ls;
    };
    const outs = bindCustom(new CheckpointCall(name, fun, policy), leaves);
    return unflatten(outTree!, outs);
  }) as unknown as F;
}

export const remat = checkpoint;
