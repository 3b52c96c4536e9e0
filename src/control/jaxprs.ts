/**
 * Transformations of closed jaxprs, the building blocks of the control-flow
 * primitives' rules: each traces a function that runs a jaxpr under a
 * transformation (jvp, linearize, vmap, transpose) into a new jaxpr.
 * Closed jaxprs here hold only concrete constants.
 */
import type { ShapedArray } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { isFloat } from "../core/dtypes.js";
import { currentTrace, Tracer, Zero, type MaybeZero } from "../core/trace.js";
import { ClosedJaxpr, evalJaxpr, Jaxpr } from "../ir/jaxpr.js";
import { optimize } from "../ir/passes.js";
import { traceToJaxpr } from "../ir/staging.js";
import { batchTo } from "../primitives/batching.js";
import { jvpFlat } from "../interpreters/jvp.js";
import { linearizeFlat } from "../interpreters/linearize.js";
import { backwardPass } from "../interpreters/transpose.js";
import { vmapFlat } from "../interpreters/batch.js";
import { zerosLikeAval } from "../interpreters/zeros.js";

export type Flat = (xs: NdArray[]) => NdArray[];

export function runClosed(j: ClosedJaxpr): Flat {
  return (xs) => evalJaxpr(j.jaxpr, j.consts, xs);
}

/** Traces `f` at `avals` into an optimised closed jaxpr whose constants are concrete. */
export function traceClosed(f: Flat, avals: ShapedArray[]): ClosedJaxpr {
  const closed = traceToJaxpr(f, avals);
  if (closed.consts.some((c) => c instanceof Tracer))
    throw new Error("[control flow] internal: a derived jaxpr captured a tracer");
  return new ClosedJaxpr(optimize(closed.jaxpr), closed.consts);
}

/**
 * A user function traced at `avals`, with every constant it captured (values of
 * enclosing traces included) turned into a leading input: [consts..., args...].
 */
export function traceHoisted(f: Flat, avals: ShapedArray[]): { jaxpr: ClosedJaxpr; consts: NdArray[] } {
  const closed = traceToJaxpr(f, avals);
  const j = closed.jaxpr;
  const opened = new Jaxpr([], [...j.constvars, ...j.invars], j.eqns, j.outvars);
  return { jaxpr: new ClosedJaxpr(optimize(opened), []), consts: closed.consts };
}

export const floatMask = (avals: ShapedArray[]): boolean[] => avals.map((a) => isFloat(a.dtype));

const instantiateAll = (ts: MaybeZero[]): NdArray[] =>
  ts.map((t) => (t instanceof Zero ? zerosLikeAval(t.aval.withWeak(false)) : t));

/**
 * JVP of a jaxpr: inputs [primals..., tangents of the float inputs...],
 * outputs [outputs..., tangents of the float outputs...] (zeros instantiated).
 */
export function jvpClosed(j: ClosedJaxpr): ClosedJaxpr {
  const inFloat = floatMask(j.inAvals);
  const outFloat = floatMask(j.outAvals);
  const n = j.inAvals.length;
  const tangentAvals = j.inAvals.filter((_, i) => inFloat[i]);
  return traceClosed(
    (xs) => {
      const primals = xs.slice(0, n);
      let k = n;
      const tangents = primals.map((p, i) => (inFloat[i] ? xs[k++] : new Zero(p.aval)));
      const [outs, tOuts] = jvpFlat(runClosed(j), primals, tangents, currentTrace());
      return [...outs, ...instantiateAll(tOuts.filter((_, i) => outFloat[i]))];
    },
    [...j.inAvals, ...tangentAvals],
  );
}

/** Splits [primals..., tangents of floats...] back into per-input tangents (Zero for the others). */
export function floatTangents(primals: NdArray[], tangents: MaybeZero[]): NdArray[] {
  return instantiateAll(tangents.filter((_, i) => isFloat(primals[i].dtype)));
}

/**
 * Linearization of a jaxpr, split as reverse mode needs it:
 *  - `known`: primals → [outputs..., residuals...], to run now;
 *  - `linear`: [residuals..., tangents of float inputs...] → tangents of float outputs,
 *    to stage into the linear program and transpose later.
 */
export function linearizeClosed(j: ClosedJaxpr): { known: ClosedJaxpr; linear: ClosedJaxpr; resAvals: ShapedArray[] } {
  const inFloat = floatMask(j.inAvals);
  const outFloat = floatMask(j.outAvals);
  let lin: ReturnType<typeof linearizeFlat>[1] | null = null;
  const known = traceClosed((xs) => {
    const [outs, l] = linearizeFlat(runClosed(j), xs);
    lin = l;
    return [...outs, ...l.jaxpr.consts];
  }, j.inAvals);
  const l = lin!;
  const resAvals = l.jaxpr.jaxpr.constvars.map((v) => v.aval);
  const tAvals = j.inAvals.filter((_, i) => inFloat[i]);
  const linear = traceClosed(
    (xs) => {
      const res = xs.slice(0, resAvals.length);
      const ts = xs.slice(resAvals.length);
      let k = 0;
      const live = j.inAvals.map((_, i) => (inFloat[i] ? ts[k++] : null)).filter((_, i) => !l.inZero[i]) as NdArray[];
      const outs = evalJaxpr(l.jaxpr.jaxpr, res, live);
      let m = 0;
      const full = l.outAvals.map((a, i) => (l.outZero[i] ? zerosLikeAval(a.withWeak(false)) : outs[m++]));
      return full.filter((_, i) => outFloat[i]);
    },
    [...resAvals, ...tAvals],
  );
  // Known's residual outputs may have picked up weak types; the linear program reads them as they are.
  return { known, linear, resAvals: known.outAvals.slice(j.outAvals.length) };
}

/**
 * Transpose of a jaxpr linear in its last inputs: inputs [known..., cotangents of outputs...],
 * outputs: cotangents of the linear inputs (zeros instantiated).
 */
export function transposeClosed(j: ClosedJaxpr, numKnown: number): ClosedJaxpr {
  const linAvals = j.inAvals.slice(numKnown);
  return traceClosed(
    (xs) => {
      const known = xs.slice(0, numKnown);
      const cts = xs.slice(numKnown);
      const res = backwardPass(j.jaxpr, j.consts, cts, [...known, ...linAvals.map(() => null)]);
      return instantiateAll(res.slice(numKnown) as MaybeZero[]);
    },
    [...j.inAvals.slice(0, numKnown), ...j.outAvals],
  );
}

/** A batched jaxpr: inputs batched at `dims` (null: not batched), every output batched at axis 0. */
export function batchClosed(j: ClosedJaxpr, dims: (number | null)[], size: number): ClosedJaxpr {
  const avals = j.inAvals.map((a, i) => {
    const d = dims[i];
    if (d === null) return a;
    const shape = a.shape.slice();
    shape.splice(d, 0, size);
    return a.withShape(shape);
  });
  return traceClosed((xs) => vmapFlat(runClosed(j), xs, dims, size, 0)[0], avals);
}

/** Moves a value's batch axis to 0 (broadcasting an unbatched one). */
export function batchFirst(x: NdArray, d: number | null, size: number): NdArray {
  return batchTo(x, d, 0, size);
}
