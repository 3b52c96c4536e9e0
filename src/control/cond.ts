/**
 * cond: apply one of several branch jaxprs, chosen by an int32 index, to the
 * same operands. Only the chosen branch runs, except where the index lives on a
 * device that reads back only asynchronously (webgpu): there every branch runs
 * and select_n picks the results, as under vmap, so the program stays on the
 * device. Under forward mode each branch
 * is JVP'd; under reverse mode each branch is linearized, the known parts run
 * now (with residual slots shared by all branches) and a linear cond is staged,
 * whose transpose is a cond of the transposed branches; under vmap a batched
 * index turns into a select among all branches.
 */
import type { ShapedArray } from "../core/aval.js";
import { NdArray, readableNow, readValues } from "../core/array.js";
import { isFloat } from "../core/dtypes.js";
import { defineCallPrimitive, UndefinedPrimal, type BatchDim, type Primitive } from "../core/primitive.js";
import { bind, withTrace, Zero, type CustomCall, type MaybeZero } from "../core/trace.js";
import type { ClosedJaxpr } from "../ir/jaxpr.js";
import type { StagingTrace } from "../ir/staging.js";
import { lowerCond } from "../ir/stablehlo-control.js";
import { selectN } from "../primitives/elementwise.js";
import { broadcastTo, reshape } from "../primitives/structural.js";
import type { DiffTrace } from "../interpreters/jvp.js";
import { LinearizeTrace } from "../interpreters/linearize.js";
import type { BatchTrace } from "../interpreters/batch.js";
import { zerosLikeAval } from "../interpreters/zeros.js";
import {
  batchClosed,
  batchFirst,
  floatTangents,
  jvpClosed,
  linearizeClosed,
  runClosed,
  traceClosed,
  transposeClosed,
} from "./jaxprs.js";

export interface CondParams {
  /** Each takes the operands (after the index) and returns the outputs. */
  branches: ClosedJaxpr[];
  /**
   * Set on the linear conds that reverse mode stages: the number of known operands
   * (index, residuals); all later operands are linear, even where a zero tangent was given as a value.
   */
  numKnown?: number;
}

export const condP: Primitive = defineCallPrimitive<CondParams>({
  name: "cond",
  abstractEval: (_avals, { branches }) => branches[0].outAvals,
  impl: ([index, ...ops], { branches }) =>
    readableNow(index) ? runClosed(branches[readValues(index)[0]])(ops) : selectBranch(index, ops, branches),
  customCall: (params) => new CondCall(params),
  transpose: (cts, args, params) => transposeCond(cts, args, params),
  printParams: ({ branches }) => ({ branches }),
  stablehlo: (c, ops, { branches }) => lowerCond(c, ops, branches),
});

/**
 * Every branch on the operands, then each output taken from branch `index` by
 * select_n: cond where the index cannot be read now (it is on a device). Equal to
 * running the chosen branch alone; the others' values are computed and dropped.
 */
function selectBranch(index: NdArray, ops: NdArray[], branches: ClosedJaxpr[]): NdArray[] {
  const results = branches.map((b) => runClosed(b)(ops));
  return results[0].map((r, i) =>
    selectN(
      broadcastTo(index, r.aval.shape),
      results.map((res) => res[i]),
    ),
  );
}

export function bindCond(index: NdArray, ops: NdArray[], branches: ClosedJaxpr[], numKnown?: number): NdArray[] {
  const params: CondParams = numKnown === undefined ? { branches } : { branches, numKnown };
  return bind(condP, [index, ...ops], params);
}

class CondCall implements CustomCall {
  readonly kind = "cond";
  readonly name = "cond";
  constructor(readonly params: CondParams) {}

  fun(args: NdArray[]): NdArray[] {
    return bindCond(args[0], args.slice(1), this.params.branches);
  }

  jvp(trace: DiffTrace, primals: NdArray[], tangents: MaybeZero[]): [NdArray[], MaybeZero[]] {
    const [index, ...ops] = primals;
    const branches = this.params.branches;
    const outAvals = branches[0].outAvals;
    const ts = floatTangents(ops, tangents.slice(1));
    let floatOuts: NdArray[];
    let outs: NdArray[];
    if (trace instanceof LinearizeTrace) {
      [outs, floatOuts] = linearizeCond(trace, index, ops, ts, branches);
    } else {
      const parent = trace.parent;
      const jvps = branches.map(jvpClosed);
      const all = withTrace(parent, () => bindCond(index, [...ops, ...ts], jvps));
      outs = all.slice(0, outAvals.length);
      floatOuts = all.slice(outAvals.length);
    }
    let k = 0;
    return [outs, outAvals.map((a) => (isFloat(a.dtype) ? floatOuts[k++] : new Zero(a)))];
  }

  vmap(trace: BatchTrace, vals: NdArray[], dims: BatchDim[]): [NdArray[], BatchDim[]] {
    const [index, ...ops] = vals;
    const [indexDim, ...opDims] = dims;
    const size = trace.axisSize;
    const parent = trace.parent;
    const batched = this.params.branches.map((b) => batchClosed(b, opDims, size));
    const outs = withTrace(parent, () => {
      if (indexDim === null) return bindCond(index, ops, batched);
      // A batched index: every branch runs, then each example picks its own result.
      const results = batched.map((b) => runClosed(b)(ops));
      const which = batchFirst(index, indexDim, size);
      return results[0].map((r, i) => {
        const idx = reshape(which, [size, ...r.aval.shape.slice(1).map(() => 1)]);
        return selectN(
          broadcastTo(idx, r.aval.shape),
          results.map((res) => res[i]),
        );
      });
    });
    return [outs, outs.map(() => 0)];
  }

  stage(trace: StagingTrace, args: NdArray[]): NdArray[] {
    return trace.stageEqn(condP, args, this.params, this.params.branches[0].outAvals);
  }
}

/**
 * Reverse mode: each branch is split into a known part (run now, giving outputs
 * and residuals) and a linear part (staged). Residuals differ per branch, so
 * every branch's known part fills every branch's residual slots (zeros for the others').
 */
function linearizeCond(
  trace: LinearizeTrace,
  index: NdArray,
  ops: NdArray[],
  ts: NdArray[],
  branches: ClosedJaxpr[],
): [NdArray[], NdArray[]] {
  const split = branches.map(linearizeClosed);
  const numOuts = branches[0].outAvals.length;
  const slots: ShapedArray[] = split.flatMap((s) => s.resAvals);
  const offsets = split.map((_, b) => split.slice(0, b).reduce((n, s) => n + s.resAvals.length, 0));
  const known = split.map((s, b) =>
    traceClosed((xs) => {
      const r = runClosed(s.known)(xs);
      const filled = slots.map((a, k) => {
        const own = k - offsets[b];
        return own >= 0 && own < s.resAvals.length ? r[numOuts + own] : zerosLikeAval(a);
      });
      return [...r.slice(0, numOuts), ...filled];
    }, branches[b].inAvals),
  );
  const tAvals = ts.map((t) => t.aval);
  const linear = split.map((s, b) =>
    traceClosed(
      (xs) => {
        const res = xs.slice(offsets[b], offsets[b] + s.resAvals.length);
        return runClosed(s.linear)([...res, ...xs.slice(slots.length)]);
      },
      [...slots, ...tAvals],
    ),
  );
  const parent = trace.parent;
  const all = withTrace(parent, () => bindCond(index, ops, known));
  const outs = all.slice(0, numOuts);
  const residuals = all.slice(numOuts);
  const tOuts = withTrace(trace.tangentTrace, () =>
    bindCond(index, [...residuals, ...ts], linear, 1 + residuals.length),
  );
  return [outs, tOuts];
}

/** The linear cond's transpose: a cond of the transposed branches (index and residuals are known). */
function transposeCond(
  cts: MaybeZero[],
  args: (NdArray | UndefinedPrimal)[],
  { branches, numKnown: given }: CondParams,
): (MaybeZero | null)[] {
  const numKnown = given ?? args.findIndex((a) => a instanceof UndefinedPrimal);
  if (
    numKnown < 1 ||
    args.slice(0, numKnown).some((a) => a instanceof UndefinedPrimal) ||
    (given === undefined && args.slice(numKnown).some((a) => !(a instanceof UndefinedPrimal)))
  ) {
    throw new Error("[cond] transpose expects the known operands (index, residuals) before the linear ones");
  }
  const known = args.slice(0, numKnown) as NdArray[];
  const ctsIn = cts.map((c, i) => (c instanceof Zero ? zerosLikeAval(branches[0].outAvals[i]) : c));
  const transposed = branches.map((b) => transposeClosed(b, numKnown - 1));
  const out = bindCond(known[0], [...known.slice(1), ...ctsIn], transposed);
  // Operands given as values (zero tangents) get no cotangent.
  return [...known.map(() => null), ...out.map((ct, i) => (args[numKnown + i] instanceof UndefinedPrimal ? ct : null))];
}
