/**
 * The trace machinery (autodidax, with JAX's "current trace" design).
 *
 * Every array operation is `bind(primitive, args, params)`. The *current trace*
 * (dynamically scoped) decides what bind means: the eval trace computes, a JVP
 * trace carries tangents, a batch trace carries batch axes, a staging trace
 * records a jaxpr. A trace that handles an operation runs the primitive's rule
 * on its *parent* trace, so transformations nest to any depth, and a value that
 * belongs to an outer trace is simply a constant to an inner one.
 */
import type { ShapedArray } from "./aval.js";
import { ConcretizationError, UnexpectedTracerError } from "./errors.js";
import { NdArray } from "./array.js";
import type { Primitive } from "./primitive.js";

/** Static parameters of a primitive application (axes, shapes, dtypes...). */
export type Params = object;

/** A trace: one interpretation of primitives. */
export abstract class Trace {
  /** False once the transformation that owns this trace has returned. */
  active = true;

  /** Interprets `prim` applied to `args`. */
  abstract processPrimitive(prim: Primitive, args: NdArray[], params: Params): NdArray[];

  /** A short name for messages (`JVPTrace`, `BatchTrace`, ...). */
  abstract get kind(): string;

  /**
   * Interprets a higher-order call whose meaning is a function of the trace
   * (customJvp / customVjp). Traces override this; the default raises.
   */
  abstract processCustom(call: CustomCall, args: NdArray[]): NdArray[];
}

/**
 * A higher-order call whose meaning depends on the trace (customVjp, customJvp,
 * checkpoint): each trace hands it to the matching hook, as JAX's
 * process_custom_vjp_call / process_custom_jvp_call do. Arguments are flat arrays.
 * The hooks are typed with `Trace` here; each implementation names the trace it
 * is handed (the JVP, batch or staging trace of the layers above).
 */
export interface CustomCall {
  readonly kind: string;
  readonly name: string;
  /** Evaluation: the primal function. */
  fun(args: NdArray[]): NdArray[];
  /** Under a JVP or linearize trace, with at least one non-zero tangent. */
  jvp(trace: Trace, primals: NdArray[], tangents: MaybeZero[]): [NdArray[], MaybeZero[]];
  /** Under a batch trace, with at least one batched argument. */
  vmap(trace: Trace, vals: NdArray[], dims: (number | null)[]): [NdArray[], (number | null)[]];
  /** Under a staging trace: record the call as one equation. */
  stage(trace: Trace, args: NdArray[]): NdArray[];
}

/** A value that stands for an array inside a transformation. */
export abstract class Tracer extends NdArray {
  constructor(readonly trace: Trace) {
    super(null as unknown as ShapedArray, null);
  }

  abstract override get aval(): ShapedArray;

  /** The concrete value behind this tracer, if there is one (JVP/linearize over eager values). */
  concreteOrNull(): NdArray | null {
    return null;
  }

  override concrete(op: string): NdArray {
    const c = this.concreteOrNull();
    if (c !== null) return c;
    throw concretizationError(op, this);
  }

  override toString(): string {
    return `Traced<${this.aval.str()}>with<${this.trace.kind}>`;
  }
}

export function concretizationError(op: string, t: Tracer): ConcretizationError {
  return new ConcretizationError(
    `[${op}] abstract tracer value encountered where a concrete value is expected: ` +
      `got a traced ${t.aval.str()} under ${t.trace.kind}, expected a concrete array. ` +
      `JS control flow and conversions cannot see traced values: use lax.cond or np.where ` +
      `for a branch on a value, or mark the argument static with jit(f, { staticArgnums: [i] }).`,
  );
}

export function escapedTracerError(t: Tracer): UnexpectedTracerError {
  return new UnexpectedTracerError(
    `[bind] encountered an unexpected tracer: got a ${t.aval.str()} tracer of a ${t.trace.kind} ` +
      `that has already returned, expected a value of the current computation. A traced value ` +
      `escaped its transformation (stored in an outer variable, or closed over by a function called later). ` +
      `Return it from the transformed function instead, or pass it in as an explicit argument.`,
  );
}

// --- the current trace ---------------------------------------------------

class EvalTraceImpl extends Trace {
  get kind(): string {
    return "EvalTrace";
  }
  processPrimitive(prim: Primitive, args: NdArray[], params: Params): NdArray[] {
    for (const a of args) if (a instanceof Tracer) throw unexpectedTracerAt(prim.name, a);
    return prim.evaluate(args, params);
  }
  override processCustom(call: CustomCall, args: NdArray[]): NdArray[] {
    return call.fun(args);
  }
}

function unexpectedTracerAt(op: string, t: Tracer): UnexpectedTracerError {
  if (!t.trace.active) return escapedTracerError(t);
  return new UnexpectedTracerError(
    `[${op}] encountered an unexpected tracer: got a ${t.aval.str()} tracer of a ${t.trace.kind} ` +
      `outside of that transformation, expected a concrete array. A function given to a transformation ` +
      `closed over a traced value that the transformation cannot see; pass it in as an explicit argument.`,
  );
}

/** The bottom trace: evaluates primitives on concrete arrays. */
export const evalTrace: Trace = new EvalTraceImpl();

let current: Trace = evalTrace;

export function currentTrace(): Trace {
  return current;
}

/** Runs `fn` with `trace` as the current trace. */
export function withTrace<T>(trace: Trace, fn: () => T): T {
  const prev = current;
  current = trace;
  try {
    return fn();
  } finally {
    current = prev;
  }
}

/** Applies a primitive under the current trace. Always returns a list of outputs. */
export function bind(prim: Primitive, args: NdArray[], params: Params = {}): NdArray[] {
  return current.processPrimitive(prim, args, params);
}

/** `bind` for single-output primitives. */
export function bind1(prim: Primitive, args: NdArray[], params: Params = {}): NdArray {
  return current.processPrimitive(prim, args, params)[0];
}

/** Applies a custom-derivative call under the current trace. */
export function bindCustom(call: CustomCall, args: NdArray[]): NdArray[] {
  return current.processCustom(call, args);
}

// --- symbolic zeros ------------------------------------------------------

/** A symbolic zero tangent or cotangent: costs nothing, knows its aval. */
export class Zero {
  constructor(readonly aval: ShapedArray) {}
  toString(): string {
    return `Zero(${this.aval.str()})`;
  }
}

export type MaybeZero = NdArray | Zero;

export function isZero(x: unknown): x is Zero {
  return x instanceof Zero;
}

/** True when every tangent is a symbolic zero. */
export function allZero(xs: readonly MaybeZero[]): boolean {
  for (const x of xs) if (!(x instanceof Zero)) return false;
  return true;
}
