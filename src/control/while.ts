/**
 * while: repeat a body jaxpr on the carry while a condition jaxpr is true.
 * Operands: [cond consts..., body consts..., carry...]. Forward mode carries
 * the tangents along; reverse mode is JAX's error (the number of steps is not
 * known ahead); under vmap a batched condition runs until every example is
 * done, leaving finished examples unchanged.
 */
import type { ShapedArray } from "../core/aval.js";
import { NdArray, readableNow, readValues } from "../core/array.js";
import { isFloat } from "../core/dtypes.js";
import { TransformError, WebGpuError } from "../core/errors.js";
import { defineCallPrimitive, type BatchDim, type Primitive } from "../core/primitive.js";
import { bind, currentTrace, withTrace, Zero, type CustomCall, type MaybeZero } from "../core/trace.js";
import type { ClosedJaxpr } from "../ir/jaxpr.js";
import type { StagingTrace } from "../ir/staging.js";
import { lowerWhile } from "../ir/stablehlo-control.js";
import { selectN } from "../primitives/elementwise.js";
import { reduceOrP } from "../primitives/reduce.js";
import { broadcastTo, reshape } from "../primitives/structural.js";
import { jvpFlat, type DiffTrace } from "../interpreters/jvp.js";
import { LinearizeTrace } from "../interpreters/linearize.js";
import { vmapFlat, type BatchTrace } from "../interpreters/batch.js";
import { batchClosed, batchFirst, floatMask, floatTangents, runClosed, traceClosed } from "./jaxprs.js";

export interface WhileParams {
  cond: ClosedJaxpr;
  body: ClosedJaxpr;
  numCondConsts: number;
  numBodyConsts: number;
}

export const REVERSE_WHILE_ERROR =
  "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. " +
  "Try using lax.scan, or using fori_loop with static start/stop.";

/**
 * The loop's predicate, read now. On a device that reads back only asynchronously
 * (webgpu) no step can wait for it: a typed error with the ways out.
 */
function readPredicate(pred: NdArray): boolean {
  if (!readableNow(pred)) {
    throw new WebGpuError(
      "[whileLoop] the loop's predicate cannot be read on this device: got a predicate in webgpu memory, " +
        "expected one the host can read before each step (WebGPU reads back only asynchronously). " +
        "Give the loop a fixed number of steps (lax.foriLoop or lax.scan, keeping finished steps with np.where), " +
        'or run it on cpu or wasm (config.update("platform", "wasm")).',
    );
  }
  return readValues(pred)[0] !== 0;
}

function whileImpl(args: NdArray[], p: WhileParams): NdArray[] {
  const cc = args.slice(0, p.numCondConsts);
  const bc = args.slice(p.numCondConsts, p.numCondConsts + p.numBodyConsts);
  let carry = args.slice(p.numCondConsts + p.numBodyConsts);
  const cond = runClosed(p.cond);
  const body = runClosed(p.body);
  while (readPredicate(cond([...cc, ...carry])[0])) carry = body([...bc, ...carry]);
  return carry;
}

export const whileP: Primitive = defineCallPrimitive<WhileParams>({
  name: "while",
  abstractEval: (_avals, { body }) => body.outAvals,
  impl: whileImpl,
  customCall: (params) => new WhileCall(params),
  /** Reverse mode would need every step's residuals, and the number of steps is not known ahead. */
  transpose: () => {
    throw new TransformError(`[whileLoop] ${REVERSE_WHILE_ERROR}`);
  },
  printParams: ({ cond, body, numCondConsts, numBodyConsts }) => ({
    body_jaxpr: body,
    body_nconsts: numBodyConsts,
    cond_jaxpr: cond,
    cond_nconsts: numCondConsts,
  }),
  stablehlo: (c, ops, p) => lowerWhile(c, ops, p),
});

export function bindWhile(
  condConsts: NdArray[],
  bodyConsts: NdArray[],
  carry: NdArray[],
  cond: ClosedJaxpr,
  body: ClosedJaxpr,
): NdArray[] {
  const params: WhileParams = { cond, body, numCondConsts: condConsts.length, numBodyConsts: bodyConsts.length };
  return bind(whileP, [...condConsts, ...bodyConsts, ...carry], params);
}

class WhileCall implements CustomCall {
  readonly kind = "while";
  readonly name = "while";
  constructor(readonly p: WhileParams) {}

  fun(args: NdArray[]): NdArray[] {
    return bind(whileP, args, this.p);
  }

  /** Forward mode: carry [carry, carry tangents]; the body's constants get their tangents too. */
  /**
   * Forward mode: a while loop over [carry, carry tangents]. Under linearize the
   * outputs are computed now and that loop is staged whole into the linear program
   * (recomputing the primal steps), so `linearize` works and applying its function
   * works; transposing it raises JAX's error (the number of steps is not stored).
   */
  jvp(trace: DiffTrace, primals: NdArray[], tangents: MaybeZero[]): [NdArray[], MaybeZero[]] {
    const { cond, body, numCondConsts: ncc, numBodyConsts: nbc } = this.p;
    const cc = primals.slice(0, ncc);
    const bc = primals.slice(ncc, ncc + nbc);
    const carry = primals.slice(ncc + nbc);
    const bcT = floatTangents(bc, tangents.slice(ncc, ncc + nbc));
    const carryT = floatTangents(carry, tangents.slice(ncc + nbc));
    const carryF = floatMask(carry.map((c) => c.aval));
    const bcF = floatMask(bc.map((c) => c.aval));
    const nk = carry.length;
    // New carry: [carry..., float carry tangents...]; new body constants: [bc..., float bc tangents...].
    const jBody = traceClosed(
      (xs) => {
        const b = xs.slice(0, nbc);
        const bt = xs.slice(nbc, nbc + bcT.length);
        const k = xs.slice(nbc + bcT.length, nbc + bcT.length + nk);
        const kt = xs.slice(nbc + bcT.length + nk);
        let i = 0;
        let j = 0;
        const tIn = [
          ...b.map((v, m) => (bcF[m] ? bt[i++] : new Zero(v.aval))),
          ...k.map((v, m) => (carryF[m] ? kt[j++] : new Zero(v.aval))),
        ];
        const [outs, tOuts] = jvpFlat(runClosed(body), [...b, ...k], tIn, currentTrace());
        return [...outs, ...floatTangents(outs, tOuts)];
      },
      [...bc, ...bcT, ...carry, ...carryT].map((x) => x.aval),
    );
    const jCond = traceClosed(
      (xs) => runClosed(cond)(xs.slice(0, ncc + nk)),
      [...cc, ...carry, ...carryT].map((x) => x.aval),
    );
    const parent = trace.parent;
    const tangentTrace = trace instanceof LinearizeTrace ? trace.tangentTrace : null;
    const res = withTrace(tangentTrace ?? parent, () =>
      bindWhile(cc, [...bc, ...bcT], [...carry, ...carryT], jCond, jBody),
    );
    const outs = tangentTrace ? withTrace(parent, () => bindWhile(cc, bc, carry, cond, body)) : res.slice(0, nk);
    const outT = res.slice(nk);
    let k = 0;
    return [outs, outs.map((o) => (isFloat(o.dtype) ? outT[k++] : new Zero(o.aval)))];
  }

  /**
   * Batching, as JAX: the carry components batched are those batched on entry plus those the
   * body makes batched (to a fixed point). An unbatched predicate keeps a plain while loop; a
   * batched one batches the whole carry, loops while any example goes on, and leaves finished
   * examples unchanged.
   */
  vmap(trace: BatchTrace, vals: NdArray[], dims: BatchDim[]): [NdArray[], BatchDim[]] {
    const { cond, body, numCondConsts: ncc, numBodyConsts: nbc } = this.p;
    const size = trace.axisSize;
    const parent = trace.parent;
    const ccDims = dims.slice(0, ncc).map((d) => (d === null ? null : 0));
    const bcDims = dims.slice(ncc, ncc + nbc).map((d) => (d === null ? null : 0));
    const carryIn = vals.slice(ncc + nbc);
    const carryInDims = dims.slice(ncc + nbc);
    const avalOf = (x: NdArray, d: BatchDim, batched: boolean): ShapedArray => {
      const shape = x.aval.shape.slice();
      if (d !== null) shape.splice(d, 1);
      return x.aval.withShape(batched ? [size, ...shape] : shape);
    };
    const ccAvals = vals.slice(0, ncc).map((c, i) => avalOf(c, dims[i], dims[i] !== null));
    const bcAvals = vals.slice(ncc, ncc + nbc).map((c, i) => avalOf(c, dims[ncc + i], dims[ncc + i] !== null));
    const carryAvals = (b: boolean[]) => carryIn.map((c, i) => avalOf(c, carryInDims[i], b[i]));
    const dimsOf = (b: boolean[]): BatchDim[] => b.map((x) => (x ? 0 : null));
    let carryB = carryInDims.map((d) => d !== null);
    for (;;) {
      const flags = batchedOutputs(body, [...bcDims, ...dimsOf(carryB)], size, [...bcAvals, ...carryAvals(carryB)]);
      const next = carryB.map((b, i) => b || flags[i]);
      if (next.every((b, i) => b === carryB[i])) break;
      carryB = next;
    }
    const predBatched = batchedOutputs(cond, [...ccDims, ...dimsOf(carryB)], size, [
      ...ccAvals,
      ...carryAvals(carryB),
    ])[0];
    if (predBatched) carryB = carryB.map(() => true);
    const carryDims = dimsOf(carryB);
    const outs = withTrace(parent, () => {
      const cc = vals.slice(0, ncc).map((c, i) => (dims[i] === null ? c : batchFirst(c, dims[i], size)));
      const bc = vals
        .slice(ncc, ncc + nbc)
        .map((c, i) => (dims[ncc + i] === null ? c : batchFirst(c, dims[ncc + i], size)));
      const carry = carryIn.map((c, i) => (carryB[i] ? batchFirst(c, carryInDims[i], size) : c));
      const bBody = traceClosed(
        (xs) => vmapFlat(runClosed(body), xs, [...bcDims, ...carryDims], size, carryDims)[0],
        [...bc, ...carry].map((x) => x.aval),
      );
      if (!predBatched) {
        const bCond = traceClosed(
          (xs) => vmapFlat(runClosed(cond), xs, [...ccDims, ...carryDims], size, [null])[0],
          [...cc, ...carry].map((x) => x.aval),
        );
        return bindWhile(cc, bc, carry, bCond, bBody);
      }
      // A batched condition: loop while any example goes on; finished examples keep their carry.
      const bCond = batchClosed(cond, [...ccDims, ...carryDims], size);
      const anyCond = traceClosed(
        (xs) => [bind(reduceOrP, [runClosed(bCond)(xs)[0]], { axes: [0] })[0]],
        [...cc, ...carry].map((x) => x.aval),
      );
      const maskedBody = traceClosed(
        (xs) => {
          const c = xs.slice(0, ncc);
          const b = xs.slice(ncc, ncc + nbc);
          const k = xs.slice(ncc + nbc);
          const going = runClosed(bCond)([...c, ...k])[0];
          const next = runClosed(bBody)([...b, ...k]);
          return next.map((n, i) => {
            const mask = broadcastTo(reshape(going, [size, ...n.aval.shape.slice(1).map(() => 1)]), n.aval.shape);
            return selectN(mask, [k[i], n]);
          });
        },
        [...cc, ...bc, ...carry].map((x) => x.aval),
      );
      return bindWhile(cc, [...cc, ...bc], carry, anyCond, maskedBody);
    });
    return [outs, carryDims];
  }

  stage(trace: StagingTrace, args: NdArray[]): NdArray[] {
    return trace.stageEqn(whileP, args, this.p, this.p.body.outAvals);
  }
}

/** Which outputs of a jaxpr depend on the batch, found by batching it abstractly at `avals`. */
function batchedOutputs(j: ClosedJaxpr, dims: BatchDim[], size: number, avals: ShapedArray[]): boolean[] {
  let batched: boolean[] = [];
  traceClosed((xs) => {
    const [, flags] = vmapFlat(runClosed(j), xs, dims, size, 0);
    batched = flags;
    return [];
  }, avals);
  return batched;
}
