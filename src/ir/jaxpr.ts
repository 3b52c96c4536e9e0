/**
 * Jaxprs: the staged form of a program. A jaxpr has constant inputs, inputs,
 * equations (a primitive applied to variables or literals) and outputs, in
 * JAX's sense and with JAX's text form.
 */
import type { ShapedArray } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import type { Primitive } from "../core/primitive.js";
import { bind, type Params } from "../core/trace.js";
import { printJaxpr } from "./printer.js";

export class Var {
  constructor(readonly aval: ShapedArray) {}
}

/** A scalar constant written into the program text (`2.0:f32[]`). */
export class Literal {
  constructor(readonly value: NdArray) {}
  get aval(): ShapedArray {
    return this.value.aval;
  }
}

export type Atom = Var | Literal;

export interface JaxprEqn {
  readonly prim: Primitive;
  readonly inputs: Atom[];
  readonly params: Params;
  readonly outvars: Var[];
}

/**
 * A staged program: input variables, equations (one primitive application each) and outputs,
 * as `jax.core.Jaxpr`; `toString()` prints JAX's text form.
 *
 * @example
 * makeJaxpr((x: Array) => np.sin(x))(1).jaxpr.toString(); // "{ lambda ; a:f32[]. let b:f32[] = sin a in (b,) }"
 */
export class Jaxpr {
  constructor(
    readonly constvars: Var[],
    readonly invars: Var[],
    readonly eqns: JaxprEqn[],
    readonly outvars: Atom[],
  ) {}

  get inAvals(): ShapedArray[] {
    return this.invars.map((v) => v.aval);
  }
  get outAvals(): ShapedArray[] {
    return this.outvars.map((v) => v.aval);
  }

  toString(): string {
    return printJaxpr(this);
  }
}

/**
 * A jaxpr together with the values of its constant inputs.
 *
 * As `jax.core.ClosedJaxpr`.
 *
 * @example
 * const closed = makeJaxpr((x: Array) => np.sin(x))(1);
 * closed.jaxpr.eqns.length; // 1
 * closed.consts; // the values of the constant inputs ([] here)
 */
export class ClosedJaxpr {
  constructor(
    readonly jaxpr: Jaxpr,
    readonly consts: NdArray[],
  ) {}

  get inAvals(): ShapedArray[] {
    return this.jaxpr.inAvals;
  }
  get outAvals(): ShapedArray[] {
    return this.jaxpr.outAvals;
  }

  /** JAX's text form: `{ lambda ; a:f32[]. let b:f32[] = sin a in (b,) }`. */
  toString(): string {
    return printJaxpr(this.jaxpr);
  }
}

/** Runs a jaxpr under the current trace, one equation at a time. */
export function evalJaxpr(jaxpr: Jaxpr, consts: NdArray[], args: NdArray[]): NdArray[] {
  const env = new Map<Var, NdArray>();
  const read = (a: Atom): NdArray => (a instanceof Literal ? a.value : env.get(a)!);
  jaxpr.constvars.forEach((v, i) => env.set(v, consts[i]));
  jaxpr.invars.forEach((v, i) => env.set(v, args[i]));
  for (const eqn of jaxpr.eqns) {
    const outs = bind(eqn.prim, eqn.inputs.map(read), eqn.params);
    eqn.outvars.forEach((v, i) => env.set(v, outs[i]));
  }
  return jaxpr.outvars.map(read);
}
