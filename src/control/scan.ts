/**
 * scan: a loop of `length` steps over a body jaxpr taking
 * [consts..., carry..., x slices...] to [carry..., y slices...]; the ys are
 * stacked along a new leading axis. Forward mode scans the body's JVP with the
 * tangents carried along. Reverse mode scans the body's known part now,
 * stacking its per-step residuals, and stages a linear scan over them, whose
 * transpose is a scan in the other direction that accumulates the constants'
 * cotangents in its carry.
 */
import { ShapedArray, type Shape } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { isFloat } from "../core/dtypes.js";
import { defineCallPrimitive, UndefinedPrimal, type BatchDim, type Primitive } from "../core/primitive.js";
import { bind, withTrace, Zero, type CustomCall, type MaybeZero } from "../core/trace.js";
import type { ClosedJaxpr, Var } from "../ir/jaxpr.js";
import type { StagingTrace } from "../ir/staging.js";
import { lowerScan } from "../ir/stablehlo-control.js";
import { add } from "../primitives/elementwise.js";
import { fullAval } from "../primitives/constants.js";
import { concatenate, sliceAxis } from "../primitives/slicing.js";
import { reshape } from "../primitives/structural.js";
import { moveAxis } from "../primitives/batching.js";
import type { DiffTrace } from "../interpreters/jvp.js";
import { LinearizeTrace } from "../interpreters/linearize.js";
import type { BatchTrace } from "../interpreters/batch.js";
import { zerosLikeAval } from "../interpreters/zeros.js";
import {
  batchClosed,
  batchFirst,
  floatMask,
  floatTangents,
  jvpClosed,
  linearizeClosed,
  runClosed,
  traceClosed,
  transposeClosed,
} from "./jaxprs.js";

export interface ScanParams {
  body: ClosedJaxpr;
  numConsts: number;
  numCarry: number;
  length: number;
  reverse: boolean;
  /**
   * Set on the linear scans that reverse mode stages: the first xs are known
   * residuals, all other operands are linear (even where a zero tangent was given as a value).
   */
  numKnownXs?: number;
  /**
   * Set on the linear scans that reverse mode stages: the first constants are known
   * loop-invariant residuals (the body's own constants, which are not stacked per step).
   */
  numKnownConsts?: number;
}

const stackedAval = (a: ShapedArray, length: number) => a.withShape([length, ...a.shape]);

/** Output avals: the carry, then each y stacked to [length, ...]. */
function scanOutAvals({ body, numCarry, length }: ScanParams): ShapedArray[] {
  const outs = body.outAvals;
  return [...outs.slice(0, numCarry), ...outs.slice(numCarry).map((a) => stackedAval(a, length))];
}

/** Row i of a stacked array: x[i]. */
function row(x: NdArray, i: number): NdArray {
  return reshape(sliceAxis(x, 0, i, i + 1), x.aval.shape.slice(1));
}

function scanImpl(args: NdArray[], p: ScanParams): NdArray[] {
  const consts = args.slice(0, p.numConsts);
  let carry = args.slice(p.numConsts, p.numConsts + p.numCarry);
  const xs = args.slice(p.numConsts + p.numCarry);
  const yAvals = p.body.outAvals.slice(p.numCarry);
  // Row i of every y, as [1, ...] for the final concatenation (null until step i has run).
  const ys: NdArray[][] = yAvals.map(() => new Array<NdArray>(p.length));
  const run = runClosed(p.body);
  for (let s = 0; s < p.length; s++) {
    const i = p.reverse ? p.length - 1 - s : s;
    const outs = run([...consts, ...carry, ...xs.map((x) => row(x, i))]);
    carry = outs.slice(0, p.numCarry);
    outs.slice(p.numCarry).forEach((y, k) => (ys[k][i] = reshape(y, [1, ...yAvals[k].shape])));
  }
  const stacked = ys.map((rows, k) => (p.length === 0 ? fullAval(stackedAval(yAvals[k], 0), 0) : concatenate(rows, 0)));
  return [...carry, ...stacked];
}

export const scanP: Primitive = defineCallPrimitive<ScanParams>({
  name: "scan",
  abstractEval: (_avals, p) => scanOutAvals(p),
  impl: scanImpl,
  customCall: (params) => new ScanCall(params),
  transpose: (cts, args, params) => transposeScan(cts, args, params),
  printParams: ({ body, numConsts, numCarry, length, reverse }) => ({
    jaxpr: body,
    length,
    linear: null,
    num_carry: numCarry,
    num_consts: numConsts,
    reverse,
    unroll: 1,
  }),
  stablehlo: (c, ops, p) => lowerScan(c, ops, p),
});

export function bindScan(
  consts: NdArray[],
  carry: NdArray[],
  xs: NdArray[],
  body: ClosedJaxpr,
  length: number,
  reverse: boolean,
  numKnownXs?: number,
  numKnownConsts?: number,
): NdArray[] {
  const params: ScanParams = {
    body,
    numConsts: consts.length,
    numCarry: carry.length,
    length,
    reverse,
    numKnownXs,
    numKnownConsts,
  };
  return bind(scanP, [...consts, ...carry, ...xs], params);
}

/** Reorders a body's inputs: `order[k]` is the position (in the body's own order) of new input k. */
function permuteInputs(body: ClosedJaxpr, order: number[]): ClosedJaxpr {
  const avals = order.map((i) => body.inAvals[i]);
  return traceClosed((xs) => {
    const inputs = new Array<NdArray>(order.length);
    order.forEach((i, k) => (inputs[i] = xs[k]));
    return runClosed(body)(inputs);
  }, avals);
}

class ScanCall implements CustomCall {
  readonly kind = "scan";
  readonly name = "scan";
  constructor(readonly p: ScanParams) {}

  fun(args: NdArray[]): NdArray[] {
    return bind(scanP, args, this.p);
  }

  jvp(trace: DiffTrace, primals: NdArray[], tangents: MaybeZero[]): [NdArray[], MaybeZero[]] {
    const outAvals = scanOutAvals(this.p);
    const [outs, floatOuts] =
      trace instanceof LinearizeTrace
        ? this.linearize(trace, primals, tangents)
        : this.forward(trace, primals, tangents);
    let k = 0;
    return [outs, outAvals.map((a) => (isFloat(a.dtype) ? floatOuts[k++] : new Zero(a)))];
  }

  /** Forward mode: scan the body's JVP, with [consts, constsT] as constants, [carry, carryT] as carry, [xs, xsT] as xs. */
  private forward(trace: DiffTrace, primals: NdArray[], tangents: MaybeZero[]): [NdArray[], NdArray[]] {
    const { numConsts: nc, numCarry: nk, body, length, reverse } = this.p;
    const n = primals.length;
    const isF = floatMask(body.inAvals);
    // jvpClosed's inputs: [primals (n)..., tangents of float inputs...]; group them by role.
    const tIndex: number[] = [];
    let t = n;
    isF.forEach((f) => tIndex.push(f ? t++ : -1));
    const role = (lo: number, hi: number) => ({
      p: Array.from({ length: hi - lo }, (_, i) => lo + i),
      t: tIndex.slice(lo, hi).filter((i) => i >= 0),
    });
    const c = role(0, nc);
    const k = role(nc, nc + nk);
    const x = role(nc + nk, n);
    const jb = jvpClosed(body);
    const order = [...c.p, ...c.t, ...k.p, ...k.t, ...x.p, ...x.t];
    const reordered = permuteInputs(jb, order);
    // Outputs of the JVP body: [carry, y, tangents of float (carry, y)]; regroup as [carry, carryT, y, yT].
    const outF = floatMask(body.outAvals);
    const nOut = body.outAvals.length;
    const outT: number[] = [];
    let o = nOut;
    outF.forEach((f) => outT.push(f ? o++ : -1));
    const outOrder = [
      ...Array.from({ length: nk }, (_, i) => i),
      ...outT.slice(0, nk).filter((i) => i >= 0),
      ...Array.from({ length: nOut - nk }, (_, i) => nk + i),
      ...outT.slice(nk).filter((i) => i >= 0),
    ];
    const regrouped = traceClosed((xs) => {
      const r = runClosed(reordered)(xs);
      return outOrder.map((i) => r[i]);
    }, reordered.inAvals);
    const ts = floatTangents(primals, tangents);
    const tsOf = (idx: number[]) => idx.map((i) => ts[i - n]);
    const parent = trace.parent;
    const nkT = k.t.length;
    const res = withTrace(parent, () =>
      bindScan(
        [...primals.slice(0, nc), ...tsOf(c.t)],
        [...primals.slice(nc, nc + nk), ...tsOf(k.t)],
        [...primals.slice(nc + nk), ...tsOf(x.t)],
        regrouped,
        length,
        reverse,
      ),
    );
    const carry = res.slice(0, nk);
    const carryT = res.slice(nk, nk + nkT);
    const ys = res.slice(nk + nkT, nk + nkT + (nOut - nk));
    const ysT = res.slice(nk + nkT + (nOut - nk));
    return [
      [...carry, ...ys],
      [...carryT, ...ysT],
    ];
  }

  /**
   * Reverse mode: the known scan runs now and stacks the body's residuals; the
   * linear scan is staged with [loop-invariant residuals, tangents of constants]
   * as constants, the carry tangents as carry, and [stacked residuals, x tangents] as xs.
   * A residual that is one of the body's constants (or a constant of the known
   * body) is loop-invariant: it is passed once, not stacked `length` times.
   */
  private linearize(trace: LinearizeTrace, primals: NdArray[], tangents: MaybeZero[]): [NdArray[], NdArray[]] {
    const { numConsts: nc, numCarry: nk, body, length, reverse } = this.p;
    const { known, linear, resAvals } = linearizeClosed(body);
    const nOut = body.outAvals.length;
    const kj = known.jaxpr;
    const invariant: (NdArray | null)[] = resAvals.map((_, r) => {
      const v = kj.outvars[nOut + r];
      const i = kj.invars.indexOf(v as Var);
      if (i >= 0 && i < nc) return primals[i];
      const c = kj.constvars.indexOf(v as Var);
      return c >= 0 ? known.consts[c] : null;
    });
    const stackedIdx = resAvals.map((_, r) => r).filter((r) => invariant[r] === null);
    const invariantIdx = resAvals.map((_, r) => r).filter((r) => invariant[r] !== null);
    const knownStacked = invariantIdx.length
      ? traceClosed((xs) => {
          const r = runClosed(known)(xs);
          return [...r.slice(0, nOut), ...stackedIdx.map((k) => r[nOut + k])];
        }, known.inAvals)
      : known;
    const parent = trace.parent;
    const all = withTrace(parent, () =>
      bindScan(primals.slice(0, nc), primals.slice(nc, nc + nk), primals.slice(nc + nk), knownStacked, length, reverse),
    );
    const outs = all.slice(0, nOut);
    const stackedRes = all.slice(nOut);
    // linear's inputs: [res..., tangents of float (consts, carry, x)...] → tangents of float (carry', y).
    const isF = floatMask(body.inAvals);
    const nr = resAvals.length;
    const fc = isF.slice(0, nc).filter(Boolean).length;
    const fk = isF.slice(nc, nc + nk).filter(Boolean).length;
    const fx = isF.slice(nc + nk).filter(Boolean).length;
    const linBody = permuteInputs(linear, [
      ...invariantIdx,
      ...Array.from({ length: fc }, (_, i) => nr + i),
      ...Array.from({ length: fk }, (_, i) => nr + fc + i),
      ...stackedIdx,
      ...Array.from({ length: fx }, (_, i) => nr + fc + fk + i),
    ]);
    const ts = floatTangents(primals, tangents);
    const tOuts = withTrace(trace.tangentTrace, () =>
      bindScan(
        [...invariantIdx.map((r) => invariant[r]!), ...ts.slice(0, fc)],
        ts.slice(fc, fc + fk),
        [...stackedRes, ...ts.slice(fc + fk, fc + fk + fx)],
        linBody,
        length,
        reverse,
        stackedRes.length,
        invariantIdx.length,
      ),
    );
    return [outs, tOuts];
  }

  vmap(trace: BatchTrace, vals: NdArray[], dims: BatchDim[]): [NdArray[], BatchDim[]] {
    const { numConsts: nc, numCarry: nk, body, length, reverse } = this.p;
    const size = trace.axisSize;
    const constDims = dims.slice(0, nc).map((d) => (d === null ? null : 0));
    const bodyDims = [
      ...constDims,
      ...Array.from({ length: nk }, () => 0),
      ...dims.slice(nc + nk).map((d) => (d === null ? null : 0)),
    ];
    const batched = batchClosed(body, bodyDims, size);
    const parent = trace.parent;
    const outs = withTrace(parent, () => {
      const consts = vals.slice(0, nc).map((c, i) => (dims[i] === null ? c : moveAxis(c, dims[i]!, 0)));
      // Every carry is batched (an unbatched one is broadcast), so the body's carry types stay fixed.
      const carry = vals.slice(nc, nc + nk).map((c, i) => batchFirst(c, dims[nc + i], size));
      // xs keep the scanned axis first and carry their batch axis second.
      const xs = vals
        .slice(nc + nk)
        .map((x, i) => (dims[nc + nk + i] === null ? x : moveAxis(x, dims[nc + nk + i]!, 1)));
      return bindScan(consts, carry, xs, batched, length, reverse);
    });
    return [outs, outs.map((_, i) => (i < nk ? 0 : 1))];
  }

  stage(trace: StagingTrace, args: NdArray[]): NdArray[] {
    return trace.stageEqn(scanP, args, this.p, scanOutAvals(this.p));
  }
}

/**
 * Transpose of a linear scan laid out as the linearize rule stages it:
 * constants = [known loop-invariant residuals..., linear...], carry all linear,
 * xs = [known residuals..., linear tangents...]. It scans the other way with
 * the known constants as constants, carry [cotangent sums of the linear
 * constants, carry cotangent] over [residuals, y cotangents], producing x cotangents.
 */
function transposeScan(cts: MaybeZero[], args: (NdArray | UndefinedPrimal)[], p: ScanParams): (MaybeZero | null)[] {
  const { numConsts: nc, numCarry: nk, body, length, reverse } = p;
  const nkc = p.numKnownConsts ?? 0;
  const nlc = nc - nkc;
  const isLin = args.map((a) => a instanceof UndefinedPrimal);
  const xsLin = isLin.slice(nc + nk);
  const firstLinear = xsLin.findIndex((l) => l);
  const nk2 = p.numKnownXs ?? (firstLinear < 0 ? xsLin.length : firstLinear);
  if (
    isLin.slice(0, nkc).some(Boolean) ||
    xsLin.slice(0, nk2).some(Boolean) ||
    (p.numKnownXs === undefined && !xsLin.slice(nk2).every(Boolean))
  ) {
    throw new Error("[scan] transpose expects known constants and xs before linear ones");
  }
  const knownConsts = args.slice(0, nkc) as NdArray[];
  const known = args.slice(nc + nk, nc + nk + nk2) as NdArray[];
  const nxLin = xsLin.length - nk2;
  // Body inputs reordered to [known x..., known consts..., linear consts..., carry..., linear x...] and transposed.
  const order = [
    ...Array.from({ length: nk2 }, (_, i) => nc + nk + i),
    ...Array.from({ length: nc + nk }, (_, i) => i),
    ...Array.from({ length: nxLin }, (_, i) => nc + nk + nk2 + i),
  ];
  const bodyT = transposeClosed(permuteInputs(body, order), nk2 + nkc);
  const outAvals = scanOutAvals(p);
  const ctsIn = cts.map((c, i) => (c instanceof Zero ? zerosLikeAval(outAvals[i]) : c));
  const knownConstAvals = body.inAvals.slice(0, nkc);
  const constAvals = body.inAvals.slice(nkc, nc);
  const carryAvals = body.inAvals.slice(nc, nc + nk);
  const yAvals = body.outAvals.slice(nk);
  // Scan body: consts [known consts...], carry [constAcc..., ctCarry...], xs [known x..., ct y...] → carry', ys = ct x.
  const scanBodyT = traceClosed(
    (xs) => {
      const kc = xs.slice(0, nkc);
      const acc = xs.slice(nkc, nkc + nlc);
      const ctCarry = xs.slice(nkc + nlc, nkc + nlc + nk);
      const kx = xs.slice(nkc + nlc + nk, nkc + nlc + nk + nk2);
      const ctY = xs.slice(nkc + nlc + nk + nk2);
      const r = runClosed(bodyT)([...kx, ...kc, ...ctCarry, ...ctY]);
      const ctConsts = r.slice(0, nlc);
      const ctCarryPrev = r.slice(nlc, nlc + nk);
      const ctX = r.slice(nlc + nk);
      return [...acc.map((a, i) => add(a, ctConsts[i])), ...ctCarryPrev, ...ctX];
    },
    [
      ...knownConstAvals,
      ...constAvals,
      ...carryAvals,
      ...known.map((k) => k.aval.withShape(k.aval.shape.slice(1))),
      ...yAvals,
    ],
  );
  const res = bindScan(
    knownConsts,
    [...constAvals.map((a) => zerosLikeAval(a)), ...ctsIn.slice(0, nk)],
    [...known, ...ctsIn.slice(nk)],
    scanBodyT,
    length,
    !reverse,
  );
  // Operands given as values (zero tangents) get no cotangent.
  const keep = (ct: NdArray, i: number) => (isLin[i] ? ct : null);
  return [
    ...knownConsts.map(() => null),
    ...res.slice(0, nlc + nk).map((ct, i) => keep(ct, nkc + i)),
    ...known.map(() => null),
    ...res.slice(nlc + nk).map((ct, i) => keep(ct, nc + nk + nk2 + i)),
  ];
}

export type { Shape };
