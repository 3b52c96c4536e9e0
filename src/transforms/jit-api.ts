/** `jit` and `makeJaxpr` with pytrees and static arguments. */

import { NdArray } from "../core/array.js";
import { TransformError } from "../core/errors.js";
import { flatten, unflatten, type TreeDef } from "../tree/tree.js";
import { ClosedJaxpr, Jaxpr } from "../ir/jaxpr.js";
import { traceToJaxpr } from "../ir/staging.js";
import { checkCallable, leafToArray } from "./args.js";
import { bindPjit, hasTracerConsts, stageFlat } from "./jit.js";
import { compileProgram } from "../kernel/compile.js";
import type { Args, Tangent } from "./types.js";

export interface JitOptions {
  /** Positions of arguments that are JS values fixed at trace time (a new value retraces). */
  staticArgnums?: number | readonly number[];
}

function staticPositions(op: string, opt: number | readonly number[] | undefined, nargs: number): Set<number> {
  const list = opt === undefined ? [] : typeof opt === "number" ? [opt] : [...opt];
  return new Set(
    list.map((i) => {
      if (!Number.isInteger(i) || i < -nargs || i >= nargs) {
        throw new TransformError(
          `[${op}] staticArgnums ${i} is out of range for a call with ${nargs} arguments: expected indices in [${-nargs}, ${nargs - 1}].`,
        );
      }
      return i < 0 ? i + nargs : i;
    }),
  );
}

/** A key for a static argument value: JSON where possible, identity otherwise. */
const identities = new WeakMap<object, number>();
let nextIdentity = 0;
function staticKey(v: unknown): string {
  if (typeof v === "function" || (typeof v === "object" && v !== null)) {
    try {
      if (typeof v !== "function") return "j" + JSON.stringify(v);
    } catch {
      /* fall through to identity */
    }
    if (!identities.has(v as object)) identities.set(v as object, nextIdentity++);
    return "o" + identities.get(v as object);
  }
  return typeof v + ":" + String(v);
}

interface Split {
  dynamicLeaves: NdArray[];
  tree: TreeDef;
  rebuild: (leaves: NdArray[]) => unknown[];
  key: string;
}

function splitStatic(op: string, args: unknown[], statics: Set<number>): Split {
  const dynamic = args.map((a, i) => (statics.has(i) ? null : a));
  const [leaves, tree] = flatten(dynamic);
  const arrays = leaves.map((l, i) => leafToArray(l, op, `argument leaf ${i}`));
  const avalKey = arrays.map((a) => `${a.aval.str()}${a.weakType ? "w" : ""}`).join(";");
  const staticPart = [...statics]
    .sort()
    .map((i) => `${i}=${staticKey(args[i])}`)
    .join(";");
  const rebuild = (xs: NdArray[]): unknown[] => {
    const filled = unflatten(tree, xs) as unknown[];
    return args.map((a, i) => (statics.has(i) ? a : filled[i]));
  };
  return { dynamicLeaves: arrays, tree, rebuild, key: `${tree}|${avalKey}|${staticPart}` };
}

interface Compiled {
  jaxpr: Jaxpr;
  /** The jaxpr prepared for running: elementwise chains fused into single kernels. */
  fused: Jaxpr;
  consts: NdArray[];
  outTree: TreeDef;
}

/**
 * `jax.jit`: traces `f` once per input signature (shapes, dtypes, weak types,
 * pytree structure and static values), caches the optimised program, and runs it.
 * @example
 * const f = jit((x) => np.sum(np.sin(x)));
 * f(np.ones([3])); // traced; later calls with f32[3] reuse the program
 */
/** A jitted function: `f`'s arguments (numbers accepted for arrays), Arrays out, and its cache size. */
export type Jitted<A extends unknown[], R> = ((...args: Args<A>) => Tangent<R>) & { cacheSize(): number };

export function jit<A extends unknown[], R>(f: (...args: A) => R, options: JitOptions = {}): Jitted<A, R> {
  checkCallable("jit", f);
  const cache = new Map<string, Compiled>();
  const name = f.name || "fn";
  const jitted = (...args: unknown[]): unknown => {
    const statics = staticPositions("jit", options.staticArgnums, args.length);
    const split = splitStatic("jit", args, statics);
    let compiled = cache.get(split.key);
    if (!compiled) {
      let outTree: TreeDef | null = null;
      const flat = (xs: NdArray[]): NdArray[] => {
        const [ls, def] = flatten((f as unknown as (...a: unknown[]) => unknown)(...split.rebuild(xs)));
        outTree = def;
        return ls.map((l, i) => leafToArray(l, "jit", `output leaf ${i}`));
      };
      const { jaxpr, consts } = stageFlat(
        flat,
        split.dynamicLeaves.map((a) => a.aval),
      );
      compiled = { jaxpr, fused: compileProgram(jaxpr), consts, outTree: outTree! };
      if (!hasTracerConsts(consts)) cache.set(split.key, compiled);
    }
    const outs = bindPjit(compiled.jaxpr, compiled.fused, compiled.consts, split.dynamicLeaves, name);
    return unflatten(compiled.outTree, outs);
  };
  return Object.assign(jitted, { cacheSize: () => cache.size }) as unknown as Jitted<A, R>;
}

/** The staged program of `f` at the given arguments, printed as JAX prints jaxprs. */
export class TracedJaxpr extends ClosedJaxpr {
  constructor(
    closed: ClosedJaxpr,
    readonly outTree: TreeDef,
  ) {
    super(closed.jaxpr, closed.consts);
  }
}

/**
 * `jax.make_jaxpr(f)(*args)`.
 * @example
 * String(makeJaxpr((x) => np.sin(x).mul(2))(1.0));
 * // { lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = mul b 2.0:f32[] in (c,) }
 */
export function makeJaxpr<A extends unknown[], R>(
  f: (...args: A) => R,
  options: JitOptions = {},
): (...args: Args<A>) => TracedJaxpr {
  checkCallable("makeJaxpr", f);
  return ((...args: unknown[]) => {
    const statics = staticPositions("makeJaxpr", options.staticArgnums, args.length);
    const split = splitStatic("makeJaxpr", args, statics);
    let outTree: TreeDef | null = null;
    const flat = (xs: NdArray[]): NdArray[] => {
      const [ls, def] = flatten((f as unknown as (...a: unknown[]) => unknown)(...split.rebuild(xs)));
      outTree = def;
      return ls.map((l, i) => leafToArray(l, "makeJaxpr", `output leaf ${i}`));
    };
    const closed = traceToJaxpr(
      flat,
      split.dynamicLeaves.map((a) => a.aval),
    );
    return new TracedJaxpr(closed, outTree!);
  }) as unknown as (...args: Args<A>) => TracedJaxpr;
}
