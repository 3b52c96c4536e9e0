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
import { lowerInline } from "../ir/stablehlo-control.js";
import { instantiate } from "../interpreters/zeros.js";
import { dotGeneralP } from "../primitives/dot.js";
import { optimizationBarrier } from "../primitives/optimization-barrier.js";
import { unflatten, type TreeDef } from "../tree/tree.js";
import { TransformError } from "../core/errors.js";
import { check, defineOptions, is, orNull } from "../core/options.js";
import { argnumsCheck, callUser, checkCallable, flattenArrays } from "./args.js";
import { batchedSubtrace, bindOnParent, stageCall } from "./custom-common.js";
import { jvpFlat, type DiffTrace } from "../interpreters/jvp.js";
import { LinearizeTrace } from "../interpreters/linearize.js";
import type { BatchTrace } from "../interpreters/batch.js";

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
  preventCse = true,
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
      const inputs = j.invars.slice(0, n).map(read(now));
      const held = preventCse ? optimizationBarrier(inputs) : inputs;
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

/**
 * `jax.checkpoint_policies`.
 *
 * @example
 * const f = checkpoint((x: Array) => np.sin(np.matmul(x, x)), { policy: checkpointPolicies.dotsSaveable });
 * printSavedResiduals(f, np.ones([3, 3])); // keeps the matmul output, recomputes the rest
 */
export const checkpointPolicies = {
  /**
   * `jax.checkpoint_policies.nothing_saveable`: save nothing, recompute everything inside the function (JAX's default).
   *
   * @example
   * checkpoint(f, { policy: checkpointPolicies.nothingSaveable });
   */
  nothingSaveable: (() => false) as CheckpointPolicy,
  /**
   * `jax.checkpoint_policies.everything_saveable`: save everything, the same as not checkpointing.
   *
   * @example
   * checkpoint(f, { policy: checkpointPolicies.everythingSaveable });
   */
  everythingSaveable: (() => true) as CheckpointPolicy,
  /**
   * `jax.checkpoint_policies.dots_saveable`: save the results of matrix multiplications (dot_general), recompute the rest.
   *
   * @example
   * checkpoint(f, { policy: checkpointPolicies.dotsSaveable });
   */
  dotsSaveable: ((prim) => prim === dotGeneralP) as CheckpointPolicy,
  /**
   * `jax.checkpoint_policies.dots_with_no_batch_dims_saveable`: save dot_general results that have no batch dimensions.
   *
   * @example
   * checkpoint(f, { policy: checkpointPolicies.dotsWithNoBatchDimsSaveable });
   */
  dotsWithNoBatchDimsSaveable: ((prim, params) =>
    prim === dotGeneralP && (params as { batch: [number[], number[]] }).batch[0].length === 0) as CheckpointPolicy,
};

/** The options of checkpoint: keyword-only in JAX, so only in a trailing object. */
export interface CheckpointOptions {
  /** Keep the recomputation from being merged with the forward pass (default true). */
  preventCse?: boolean;
  /** Which values may be saved for the backward pass (default: none, everything is recomputed). */
  policy?: CheckpointPolicy | null;
  /** Positions of arguments that are JS values, passed through untraced. */
  staticArgnums?: number | readonly number[];
}

const checkpointOptions = defineOptions(
  "checkpoint",
  {
    preventCse: is.bool,
    policy: orNull(
      check<CheckpointPolicy>("a policy function (prim, params) => boolean", (v) => typeof v === "function"),
    ),
    staticArgnums: argnumsCheck,
  },
  [],
);

class CheckpointCall implements CustomCall {
  readonly kind = "checkpoint";
  constructor(
    readonly name: string,
    readonly fun: (args: NdArray[]) => NdArray[],
    readonly policy: CheckpointPolicy,
    readonly preventCse = true,
  ) {}

  jvp(trace: DiffTrace, primals: NdArray[], tangents: MaybeZero[]): [NdArray[], MaybeZero[]] {
    if (!(trace instanceof LinearizeTrace)) {
      const outs = withTrace(trace, () => this.fun(primals.map((p, i) => trace.wrap(p, tangents[i]))));
      const pairs = outs.map((o) => trace.pair(o));
      return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
    }
    return rematLinearize(trace, this.fun, this.policy, primals, tangents, this.preventCse);
  }

  vmap(trace: BatchTrace, vals: NdArray[], dims: BatchDim[]): [NdArray[], BatchDim[]] {
    const outDims: BatchDim[] = [];
    const call = new CheckpointCall(
      this.name,
      batchedSubtrace(trace, this.fun, dims, outDims),
      this.policy,
      this.preventCse,
    );
    return bindOnParent(trace, call, vals, outDims);
  }

  stage(trace: StagingTrace, args: NdArray[]): NdArray[] {
    return stageCall(trace, checkpointP, this.fun, args, (jaxpr): CheckpointParams => ({
      name: this.name,
      jaxpr,
      policy: this.policy,
      preventCse: this.preventCse,
    }));
  }
}

interface CheckpointParams {
  name: string;
  /** The function, with its constants as leading inputs. */
  jaxpr: Jaxpr;
  policy: CheckpointPolicy;
  preventCse: boolean;
}

export const checkpointP: Primitive = defineCallPrimitive<CheckpointParams>({
  name: "checkpoint",
  abstractEval: (_avals, { jaxpr }) => jaxpr.outAvals,
  impl: (args, { jaxpr }) => evalJaxpr(jaxpr, [], args),
  customCall: ({ name, jaxpr, policy, preventCse }) =>
    new CheckpointCall(name, (xs) => evalJaxpr(jaxpr, [], xs), policy, preventCse),
  printParams: ({ jaxpr, policy, preventCse }) => ({ jaxpr, policy: policyName(policy), prevent_cse: preventCse }),
  // In place, as JAX lowers a remat that is not differentiated; under grad the recomputation
  // is staged through optimization_barrier equations of its own.
  stablehlo: (c, args, { jaxpr }) => lowerInline(c, jaxpr, args),
});

function policyName(p: CheckpointPolicy): string {
  const entry = Object.entries(checkpointPolicies).find(([, v]) => v === p);
  return entry ? entry[0] : p.name || "custom";
}

/**
 * `jax.checkpoint(fun, *, prevent_cse=True, policy=None, static_argnums=())` (alias `remat`).
 * Options are keyword-only, as in JAX.
 * @example
 * const layer = checkpoint((w, x) => np.tanh(np.matmul(x, w)), { policy: checkpointPolicies.dotsSaveable });
 */
export function checkpoint<F extends (...args: never[]) => unknown>(f: F, ...options: [] | [CheckpointOptions]): F {
  checkCallable("checkpoint", f);
  const o = checkpointOptions.parse(options);
  const policy = o.policy ?? checkpointPolicies.nothingSaveable;
  const preventCse = o.preventCse ?? true;
  const name = f.name || "fn";
  return ((...args: unknown[]) => {
    const statics = staticPositions(o.staticArgnums, args.length);
    const dynamic = args.map((a, i) => (statics.has(i) ? null : a));
    const [leaves, argTree] = flattenArrays(dynamic, "checkpoint", "the arguments");
    let outTree: TreeDef | null = null;
    const fun = (xs: NdArray[]): NdArray[] => {
      const filled = unflatten(argTree, xs) as unknown[];
      const full = args.map((a, i) => (statics.has(i) ? a : filled[i]));
      const [ls, def] = flattenArrays(callUser("checkpoint", f, full), "checkpoint", "the output");
      outTree = def;
      return ls;
    };
    const outs = bindCustom(new CheckpointCall(name, fun, policy, preventCse), leaves);
    return unflatten(outTree!, outs);
  }) as unknown as F;
}

function staticPositions(opt: number | readonly number[] | undefined, nargs: number): Set<number> {
  const list = opt === undefined ? [] : typeof opt === "number" ? [opt] : [...opt];
  return new Set(
    list.map((i) => {
      if (i < -nargs || i >= nargs) {
        throw new TransformError(
          `[checkpoint] staticArgnums ${i} is out of range for a call with ${nargs} arguments: expected indices in [${-nargs}, ${nargs - 1}].`,
        );
      }
      return i < 0 ? i + nargs : i;
    }),
  );
}

/**
 * `jax.remat`: the same as {@link checkpoint}.
 *
 * @example
 * const f = remat((x: Array) => np.sin(np.sin(x)));
 * grad((x: Array) => np.sum(f(x)))(np.zeros([2])); // [1, 1]
 */
export const remat = checkpoint;
