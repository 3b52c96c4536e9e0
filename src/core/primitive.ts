/**
 * Primitive declarations. A primitive is declared once, with every rule it
 * needs: abstract evaluation (shapes and dtypes), its lowering (the routine of
 * kernel/routines.ts that computes it: backends run it), a JVP rule (or an
 * explicit statement that it is not differentiable), a batching rule, and, for
 * linear primitives, a transpose rule. Every declared primitive is in one registry.
 */
import type { ShapedArray } from "./aval.js";
import { config } from "./config.js";
import { FloatingPointError } from "./errors.js";
import type { NdArray } from "./array.js";
import { Zero, type CustomCall, type MaybeZero, type Params } from "./trace.js";

/** A linear input of an equation being transposed: only its aval is known. */
export class UndefinedPrimal {
  constructor(readonly aval: ShapedArray) {}
}

export type BatchDim = number | null;

/**
 * A primitive without a JVP rule says why: "zero" (piecewise constant, or integer
 * outputs: its tangents are symbolic zeros, as JAX's `defjvp_zero`), or
 * "nondifferentiable" (a non-zero tangent reaching it is an error).
 */
export type JvpDeclaration = "zero" | "nondifferentiable";

/**
 * What a primitive lowers to: a routine of kernel/routines.ts (typed there;
 * core, below the kernel layer, knows only that it is named).
 */
export interface Lowering {
  readonly name: string;
}

/** Runs a lowering on the arguments' backend (installed by backends/api.ts). */
type Evaluator = (lowering: Lowering, args: NdArray[], avals: ShapedArray[], outAvals: ShapedArray[]) => NdArray[];

let evaluator: Evaluator = (lowering) => {
  throw new Error(
    `[${lowering.name}] no backend is loaded to run it: import the library through its entry point ("cotangent").`,
  );
};

/** @internal Called once by the backend registry. */
export function installEvaluator(e: Evaluator): void {
  evaluator = e;
}

/**
 * What a `stablehlo` rule writes with: the StableHLO emitter of src/ir/stablehlo-emit.ts,
 * which declares its members (core, the lowest layer, only names it).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StableHloContext {}

/**
 * A primitive's StableHLO lowering, as JAX's `mlir.register_lowering`: given the
 * operands' SSA names (`%arg0`, `%3`; their avals are `ctx.inAvals`, the results'
 * `ctx.outAvals`), emits ops and returns the results' SSA names.
 */
export type StableHloRule<P> = (ctx: StableHloContext, operands: string[], params: P) => string[];

export interface MultiRules<P> {
  name: string;
  abstractEval(avals: ShapedArray[], params: P): ShapedArray[];
  /** The routine that computes the primitive (given the operands' avals). */
  lower?(avals: ShapedArray[], params: P): Lowering;
  /**
   * Only for what no backend runs: higher-order primitives (evaluating their
   * sub-programs) and those that return their operands (stop_gradient). Never touches storage.
   */
  impl?(args: NdArray[], params: P): NdArray[];
  /** Returns primal outputs and their tangents; runs on the parent trace. */
  jvp: ((primals: NdArray[], tangents: MaybeZero[], params: P) => [NdArray[], MaybeZero[]]) | JvpDeclaration;
  /** Runs on the parent trace with unbatched values and their batch dims (null: not batched). */
  vmap(args: NdArray[], dims: BatchDim[], params: P, axisSize: number): [NdArray[], BatchDim[]];
  /** For linear primitives: cotangents of the linear inputs (null for the others). */
  transpose?(cts: MaybeZero[], args: (NdArray | UndefinedPrimal)[], params: P): (MaybeZero | null)[];
  /** Printing of params in jaxprs; by default every param. */
  printParams?(params: P): Record<string, unknown>;
  /**
   * For staged custom calls (custom_vjp_call, custom_jvp_call, checkpoint): the call
   * to hand to differentiation and batching traces instead of the jvp/vmap rules.
   */
  customCall?(params: P, args: NdArray[]): CustomCall;
  /** Its StableHLO lowering (what `stablehlo.export` writes). */
  stablehlo: StableHloRule<P>;
}

export interface SingleRules<P> {
  name: string;
  abstractEval(avals: ShapedArray[], params: P): ShapedArray;
  lower?(avals: ShapedArray[], params: P): Lowering;
  impl?(args: NdArray[], params: P): NdArray;
  jvp: ((primals: NdArray[], tangents: MaybeZero[], params: P) => [NdArray, MaybeZero]) | JvpDeclaration;
  vmap(args: NdArray[], dims: BatchDim[], params: P, axisSize: number): [NdArray, BatchDim];
  /** `ct` is never a symbolic zero: the machinery skips those. */
  transpose?(ct: NdArray, args: (NdArray | UndefinedPrimal)[], params: P): (MaybeZero | null)[];
  printParams?(params: P): Record<string, unknown>;
  /** Its StableHLO lowering (what `stablehlo.export` writes): the result's SSA name. */
  stablehlo(ctx: StableHloContext, operands: string[], params: P): string;
}

/** Every declared primitive, by name. */
const registry = new Map<string, Primitive>();

/** The declared primitives (for coverage tests and tools). */
export function registeredPrimitives(): Primitive[] {
  return [...registry.values()];
}

/** A declared primitive. Its params type lives in its declaration; here params are opaque objects. */
export class Primitive {
  readonly rules: MultiRules<Params>;
  constructor(rules: MultiRules<never>) {
    this.rules = rules as unknown as MultiRules<Params>;
    if (this.rules.lower === undefined && this.rules.impl === undefined) {
      throw new Error(`[${this.rules.name}] a primitive needs a lower rule (or, for a call, an impl)`);
    }
    registry.set(this.rules.name, this);
  }

  get name(): string {
    return this.rules.name;
  }

  /** True when the primitive has a JVP rule. */
  get isDifferentiable(): boolean {
    return typeof this.rules.jvp === "function";
  }

  /** Eager evaluation: lower, then run on the arguments' backend; with the debugNans check. */
  evaluate(args: NdArray[], params: Params): NdArray[] {
    // The shape/dtype checks live in abstractEval: run them eagerly too, so that
    // eager mode rejects what jit rejects (e.g. a reshape to a different size).
    const avals = args.map((a) => a.aval);
    const outAvals = this.rules.abstractEval(avals, params);
    const { lower, impl } = this.rules;
    const outs = lower ? evaluator(lower(avals, params), args, avals, outAvals) : impl!(args, params);
    if (config.values.debugNans) checkNans(this.name, args, outs);
    return outs;
  }
}

/** Declares a primitive with several outputs. */
export function defineMultiPrimitive<P extends Params = Params>(rules: MultiRules<P>): Primitive {
  return new Primitive(rules as unknown as MultiRules<never>);
}

/**
 * Declares a higher-order primitive whose differentiation and batching go
 * through its `customCall` (pjit, custom_vjp_call, cond, scan, ...): traces
 * rebuild the call from the params and hand it to their hook.
 */
export function defineCallPrimitive<P extends Params>(
  rules: Omit<MultiRules<P>, "jvp" | "vmap"> & Required<Pick<MultiRules<P>, "customCall">>,
): Primitive {
  const viaCall = (what: string) => () => {
    throw new Error(`[${rules.name}] is ${what} through its custom call, by the trace`);
  };
  return defineMultiPrimitive<P>({ ...rules, jvp: viaCall("differentiated"), vmap: viaCall("batched") });
}

/** Declares a single-output primitive; its rules speak of one output. */
export function definePrimitive<P extends Params = Params>(r: SingleRules<P>): Primitive {
  const jvp = r.jvp;
  const transpose = r.transpose;
  const rules: MultiRules<P> = {
    name: r.name,
    abstractEval: (avals, p) => [r.abstractEval(avals, p)],
    lower: r.lower,
    impl: r.impl ? (args, p) => [r.impl!(args, p)] : undefined,
    jvp:
      typeof jvp === "string"
        ? jvp
        : (primals, tangents, p) => {
            const [out, t] = jvp(primals, tangents, p);
            return [[out], [t]];
          },
    vmap: (args, dims, p, n) => {
      const [out, d] = r.vmap(args, dims, p, n);
      return [[out], [d]];
    },
    transpose: transpose
      ? (cts, args, p) => {
          const ct = cts[0];
          if (ct instanceof UndefinedPrimal || ct instanceof Zero) return args.map(() => null);
          return transpose(ct as NdArray, args, p);
        }
      : undefined,
    printParams: r.printParams,
    stablehlo: (ctx, operands, p) => [r.stablehlo(ctx, operands, p)],
  };
  return new Primitive(rules as unknown as MultiRules<never>);
}

// --- debugNans -----------------------------------------------------------

function hasNan(x: NdArray): boolean {
  const d = x._data;
  if (d === null || (x.dtype !== "float32" && x.dtype !== "float64")) return false;
  for (let i = 0; i < d.length; i++) if (d[i] !== d[i]) return true;
  return false;
}

/**
 * The library's own directory (src/ or dist/, the parent of core/), as a URL and as a path:
 * every stack frame under it is the library's; the first frame outside it is the user's.
 */
const LIBRARY_DIR = new URL("..", import.meta.url);
const LIBRARY_PREFIXES = [LIBRARY_DIR.href, decodeURIComponent(LIBRARY_DIR.pathname)];

/** The first stack frame outside this library's files (and Node's internals): the user's line. */
export function userSourceLine(): string | null {
  // V8 keeps 10 frames by default: too few to climb out of a loop or a jit call.
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = 200;
  const stack = new Error().stack?.split("\n").slice(1) ?? [];
  E.stackTraceLimit = limit;
  for (const line of stack) {
    const m = line.match(/\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/);
    if (!m) continue;
    const file = m[1].replace(/\\/g, "/");
    if (LIBRARY_PREFIXES.some((p) => file.startsWith(p)) || file.startsWith("node:")) continue;
    return `${m[1]}:${m[2]}:${m[3]}`;
  }
  return null;
}

function checkNans(name: string, args: NdArray[], outs: NdArray[]): void {
  if (!outs.some(hasNan) || args.some(hasNan)) return;
  const where = userSourceLine();
  throw new FloatingPointError(
    `[${name}] invalid value (nan) encountered in ${name}: got a NaN output from inputs without NaN, ` +
      `expected finite values (debugNans is on).${where ? ` The operation was called at ${where}.` : ""} ` +
      `Turn it off with config.update("debugNans", false).`,
  );
}
