/**
 * Transposition: runs a linear jaxpr backwards. Equations that do not touch a
 * linear input are evaluated forward first; then each linear equation, in
 * reverse order, hands its output cotangents to its primitive's transpose
 * rule, and the results are summed into the cotangents of its linear inputs.
 */
import { NdArray } from "../core/array.js";
import { UndefinedPrimal } from "../core/primitive.js";
import { bind, Zero, type MaybeZero } from "../core/trace.js";
import { CotangentError } from "../core/errors.js";
import { Literal, type Atom, type Jaxpr, type Var } from "../ir/jaxpr.js";
import { addAny } from "./hooks.js";

/** A linear program whose equations are not all linear in its inputs. */
export class NonLinearError extends CotangentError {}

/**
 * Cotangents of the jaxpr's inputs given cotangents of its outputs. Inputs
 * with a value in `known` are constants, not linear inputs (their entry is null).
 */
export function backwardPass(
  jaxpr: Jaxpr,
  consts: NdArray[],
  cts: MaybeZero[],
  known?: (NdArray | null)[],
): (MaybeZero | null)[] {
  const values = new Map<Var, NdArray>();
  const linear = new Set<Var>(jaxpr.invars.filter((_, i) => !known?.[i]));
  jaxpr.constvars.forEach((v, i) => values.set(v, consts[i]));
  jaxpr.invars.forEach((v, i) => {
    const k = known?.[i];
    if (k) values.set(v, k);
  });
  const read = (a: Atom): NdArray => (a instanceof Literal ? a.value : values.get(a)!);
  const isLinear = (a: Atom): boolean => !(a instanceof Literal) && linear.has(a);

  // Forward: evaluate what does not depend on the linear inputs.
  const linearEqns = [];
  for (const eqn of jaxpr.eqns) {
    if (eqn.inputs.some(isLinear)) {
      eqn.outvars.forEach((v) => linear.add(v));
      linearEqns.push(eqn);
    } else {
      const outs = bind(eqn.prim, eqn.inputs.map(read), eqn.params);
      eqn.outvars.forEach((v, i) => values.set(v, outs[i]));
    }
  }

  const ctEnv = new Map<Var, NdArray>();
  const accumulate = (v: Var, ct: MaybeZero | null): void => {
    if (ct === null || ct instanceof Zero) return;
    const prev = ctEnv.get(v);
    ctEnv.set(v, prev === undefined ? ct : addAny(prev, ct));
  };
  jaxpr.outvars.forEach((a, i) => {
    if (isLinear(a)) accumulate(a as Var, cts[i]);
  });

  for (let k = linearEqns.length - 1; k >= 0; k--) {
    const eqn = linearEqns[k];
    const ctsOut: MaybeZero[] = eqn.outvars.map((v) => ctEnv.get(v) ?? new Zero(v.aval));
    eqn.outvars.forEach((v) => ctEnv.delete(v));
    if (ctsOut.every((c) => c instanceof Zero)) continue;
    const transpose = eqn.prim.rules.transpose;
    if (!transpose) {
      throw new NonLinearError(
        `[transpose] ${eqn.prim.name} is applied to a tangent, but it is not linear: got a program that is ` +
          `not linear in its tangents, expected only linear operations on tangents. A custom JVP rule must ` +
          `return tangents that are linear functions of the input tangents (sums, scalings by primal values, ` +
          `reshapes, ...), not ${eqn.prim.name} of a tangent.`,
      );
    }
    const args = eqn.inputs.map((a) => (isLinear(a) ? new UndefinedPrimal(a.aval) : read(a)));
    const ctsIn = transpose(ctsOut, args, eqn.params);
    eqn.inputs.forEach((a, i) => {
      if (isLinear(a)) accumulate(a as Var, ctsIn[i]);
    });
  }
  return jaxpr.invars.map((v, i) => (known?.[i] ? null : (ctEnv.get(v) ?? new Zero(v.aval))));
}
