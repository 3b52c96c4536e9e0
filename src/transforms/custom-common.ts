/** Pieces shared by customVjp, customJvp and checkpoint: batching sub-traces, argument handling, messages. */
import { NdArray } from "../core/array.js";
import type { BatchDim } from "../core/primitive.js";
import { currentTrace, Tracer, withTrace, Zero, type CustomCall, type MaybeZero, type Params } from "../core/trace.js";
import type { Primitive } from "../core/primitive.js";
import type { Jaxpr } from "../ir/jaxpr.js";
import type { StagingTrace } from "../ir/staging.js";
import { stageFlat } from "./jit.js";
import { TransformError } from "../core/errors.js";
import { flatten, unflatten, type TreeDef } from "../tree/tree.js";
import { batchTo, moveAxis } from "../primitives/batching.js";
import { reduceSum } from "../primitives/reduce.js";
import { leafToArray } from "./args.js";
import { BatchTrace } from "../interpreters/batch.js";

/**
 * Runs a flat function under a sub-trace of `trace` (same tag, parent = the
 * current trace when it runs), so that it sees per-example values and any
 * tracer of `trace` it closed over is recognised. Outputs come back batched
 * along axis 0; given `outDims`, outputs that do not depend on the batch stay
 * unbatched and `outDims` records which are which (0 or null).
 */
export function batchedSubtrace(
  trace: BatchTrace,
  fn: (xs: NdArray[]) => NdArray[],
  inDims: BatchDim[],
  outDims?: BatchDim[],
): (xs: NdArray[]) => NdArray[] {
  return (xs) => {
    const sub = new BatchTrace(currentTrace(), trace.axisSize, trace.tag);
    try {
      const outs = withTrace(sub, () => fn(xs.map((x, i) => sub.wrap(x, inDims[i]))));
      if (outDims) outDims.length = 0;
      return outs.map((o) => {
        const [v, d] = sub.unpack(o);
        // With `outDims`, an output that does not depend on the batch stays unbatched (and says so).
        if (outDims) outDims.push(d === null ? null : 0);
        return outDims && d === null ? v : batchTo(v, d, 0, trace.axisSize);
      });
    } finally {
      sub.active = false;
    }
  };
}

/**
 * Cotangents batched along axis 0, brought back to their inputs' batch axes:
 * moved for batched inputs, summed over the batch for unbatched ones (the
 * gradient of a value shared by every example is the sum of the per-example ones).
 */
export function unbatchCotangents(cts: MaybeZero[], inDims: BatchDim[], inputs: NdArray[]): MaybeZero[] {
  return cts.map((c, i) => {
    if (c instanceof Zero) return new Zero(inputs[i].aval);
    const d = inDims[i];
    return d === null ? reduceSum(c, [0]) : moveAxis(c, 0, d);
  });
}

/** Positions of non-differentiable arguments, sorted and checked. */
export function nondiffPositions(op: string, argnums: number | readonly number[] | undefined): number[] {
  const list = typeof argnums === "number" ? [argnums] : [...(argnums ?? [])];
  for (const a of list) {
    if (!Number.isInteger(a) || a < 0)
      throw new TransformError(`[${op}] nondiffArgnums must be non-negative integers: got ${JSON.stringify(argnums)}.`);
  }
  return [...new Set(list)].sort((a, b) => a - b);
}

/** The arguments split into non-differentiable values and the flat leaves of the others. */
export interface SplitCall {
  nondiff: unknown[];
  leaves: NdArray[];
  /** Structure of the JS array of differentiable arguments. */
  inTree: TreeDef;
  /** Full argument list from new differentiable leaves. */
  rebuild(leaves: NdArray[]): unknown[];
  /** Differentiable arguments (as a JS array of pytrees) from leaves. */
  dynArgs(leaves: NdArray[]): unknown[];
}

export function splitCall(op: string, args: unknown[], nondiffPos: number[]): SplitCall {
  for (const p of nondiffPos) {
    if (p >= args.length) {
      throw new TransformError(`[${op}] nondiffArgnums ${p} is out of range for a call with ${args.length} arguments.`);
    }
  }
  const nondiff = nondiffPos.map((p) => args[p]);
  const dyn = args.filter((_, i) => !nondiffPos.includes(i));
  const [raw, inTree] = flatten(dyn);
  const leaves = raw.map((l, i) => leafToArray(l, op, `leaf ${i} of the differentiable arguments`));
  const dynArgs = (xs: NdArray[]) => unflatten(inTree, xs) as unknown[];
  const rebuild = (xs: NdArray[]): unknown[] => {
    const d = dynArgs(xs);
    let k = 0;
    return args.map((a, i) => (nondiffPos.includes(i) ? a : d[k++]));
  };
  return { nondiff, leaves, inTree, rebuild, dynArgs };
}

export function containsTracer(x: unknown): boolean {
  return flatten(x)[0].some((l) => l instanceof Tracer);
}

/** JAX's "type tree": the structure with avals at the leaves, e.g. `(f32[], f32[3])`. */
export function typeTree(tree: TreeDef, leaves: NdArray[]): string {
  const shown = unflatten(
    tree,
    leaves.map((l) => l.aval.str()),
  );
  const text = (x: unknown): string => {
    if (x === null) return "None";
    if (Array.isArray(x)) return `(${x.map(text).join(", ")}${x.length === 1 ? "," : ""})`;
    if (typeof x === "object")
      return `{${Object.entries(x as object)
        .map(([k, v]) => `${k}: ${text(v)}`)
        .join(", ")}}`;
    return String(x);
  };
  return text(shown);
}

export function fnName(f: unknown, fallback = "<anonymous>"): string {
  return (typeof f === "function" && f.name) || fallback;
}

/** Binds `call` on the batch trace's parent; its outputs have the batch axes recorded in `outDims`. */
export function bindOnParent(
  trace: BatchTrace,
  call: CustomCall,
  vals: NdArray[],
  outDims: BatchDim[],
): [NdArray[], BatchDim[]] {
  const parent = trace.parent;
  const outs = withTrace(parent, () => parent.processCustom(call, vals));
  return [outs, outDims.slice()];
}

/**
 * Stages a call as one equation of `prim`: `fun` traced at the arguments' avals
 * (its constants become leading operands) and `params` built from that jaxpr.
 */
export function stageCall(
  trace: StagingTrace,
  prim: Primitive,
  fun: (xs: NdArray[]) => NdArray[],
  args: NdArray[],
  params: (jaxpr: Jaxpr, numConsts: number) => Params,
): NdArray[] {
  const { jaxpr, consts } = stageFlat(
    fun,
    args.map((a) => a.aval),
  );
  return trace.stageEqn(prim, [...consts, ...args], params(jaxpr, consts.length), jaxpr.outAvals);
}
