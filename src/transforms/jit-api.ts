/** `jit` and `makeJaxpr` with pytrees and static arguments. */

import type { ShapedArray } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { config } from "../core/config.js";
import { TransformError } from "../core/errors.js";
import { check, defineOptions, is, isPlainObject, orNull, type OptArgs } from "../core/options.js";
import { flatten, unflatten, type TreeDef } from "../tree/tree.js";
import { ClosedJaxpr, Jaxpr } from "../ir/jaxpr.js";
import { traceToJaxpr } from "../ir/staging.js";
import { argnumsCheck, callUser, checkCallable, flattenExpanding, leafToArray } from "./args.js";
import { bindPjit, hasTracerConsts, stageFlat } from "./jit.js";
import { compileProgram } from "../compile/program.js";
import type { Args, Fn, Tangent } from "./types.js";

/** The options of jit: keyword-only in JAX, so only in a trailing object. */
export interface JitOptions {
  /**
   * Positions of arguments that are JS values fixed at trace time: a new value
   * retraces. Values are compared by value for numbers, strings, booleans, null,
   * undefined, bigints, and arrays, plain objects, Maps, Sets, Dates and typed
   * arrays of them; by identity for functions and other objects.
   */
  staticArgnums?: number | readonly number[];
  /** JAX's static_argnames: JS has no keyword arguments, so only an empty list (or null) is accepted. */
  staticArgnames?: string | readonly string[] | null;
  /** JAX's buffer-donation hint: accepted (validated) and ignored; arrays are never invalidated. */
  donateArgnums?: number | readonly number[] | null;
  /** JAX's buffer-donation hint by name: accepted and ignored. */
  donateArgnames?: string | readonly string[] | null;
  /** JAX keeps unused arguments in the compiled program when true: no visible effect here, accepted and ignored. */
  keepUnused?: boolean;
  /** JAX inlines the call into an enclosing jaxpr when true: no visible effect here, accepted and ignored. */
  inline?: boolean;
}

const names = check<string | readonly string[]>(
  "a string or an array of strings",
  (v) => typeof v === "string" || (Array.isArray(v) && v.every((s) => typeof s === "string")),
);
const jitOptions = defineOptions(
  "jit",
  {
    staticArgnums: orNull(argnumsCheck),
    staticArgnames: orNull(names),
    donateArgnums: orNull(argnumsCheck),
    donateArgnames: orNull(names),
    keepUnused: is.bool,
    inline: is.bool,
  },
  [],
);

/** The options of makeJaxpr (JAX's order: static_argnums, axis_env, return_shape). */
export interface MakeJaxprOptions {
  /** Positions of arguments that are JS values fixed at trace time. */
  staticArgnums?: number | readonly number[];
  /** JAX's named-axis sizes for collectives: cotangent has none, so only an empty list (or null) is accepted. */
  axisEnv?: readonly (readonly [string, number])[] | null;
  /** Also return the output's shapes and dtypes: `[jaxpr, shapes]`, a pytree of ShapedArray. */
  returnShape?: boolean;
}

const makeJaxprOptions = defineOptions(
  "makeJaxpr",
  {
    staticArgnums: orNull(argnumsCheck),
    axisEnv: orNull(
      check<readonly (readonly [string, number])[]>(
        "an array of [name, size] pairs",
        (v) =>
          Array.isArray(v) &&
          v.every(
            (p) =>
              Array.isArray(p) &&
              p.length === 2 &&
              typeof p[0] === "string" &&
              Number.isInteger(p[1]) &&
              (p[1] as number) >= 0,
          ),
      ),
    ),
    returnShape: is.bool,
  },
  ["staticArgnums", "axisEnv", "returnShape"],
);

function staticPositions(op: string, opt: number | readonly number[] | null | undefined, nargs: number): Set<number> {
  const list = opt === undefined || opt === null ? [] : typeof opt === "number" ? [opt] : [...opt];
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

// --- cache keys of static arguments ------------------------------------------------------

const identities = new WeakMap<object, number>();
const symbolIds = new Map<symbol, number>();
let nextIdentity = 0;

function identity(o: object): string {
  let id = identities.get(o);
  if (id === undefined) identities.set(o, (id = nextIdentity++));
  return `#${id}`;
}

/**
 * A cache key for a static argument. By value: numbers (-0 apart from 0, every
 * NaN alike), strings, booleans, null, undefined, bigints, registered symbols,
 * and arrays, plain objects (keys in order), Maps, Sets, Dates and typed arrays
 * of such values. By identity: functions, class instances, Arrays, other symbols,
 * and any object met again inside itself (a cycle).
 */
export function staticKey(v: unknown, seen: Set<object> = new Set()): string {
  switch (typeof v) {
    case "number":
      return Object.is(v, -0) ? "n-0" : `n${v}`;
    case "string":
      return `s${JSON.stringify(v)}`;
    case "boolean":
      return v ? "T" : "F";
    case "undefined":
      return "u";
    case "bigint":
      return `b${v}`;
    case "symbol": {
      const registered = Symbol.keyFor(v);
      if (registered !== undefined) return `y${JSON.stringify(registered)}`;
      let id = symbolIds.get(v);
      if (id === undefined) symbolIds.set(v, (id = nextIdentity++));
      return `Y#${id}`;
    }
    case "function":
      return `f${identity(v)}`;
  }
  if (v === null) return "null";
  const o = v as object;
  if (seen.has(o)) return `c${identity(o)}`;
  seen.add(o);
  try {
    if (Array.isArray(o)) return `[${Array.from(o, (x) => staticKey(x, seen)).join(",")}]`;
    if (isPlainObject(o)) {
      // Insertion order is kept: a function may read the keys in order.
      return `{${Object.keys(o)
        .map((k) => `${JSON.stringify(k)}:${staticKey(o[k], seen)}`)
        .join(",")}}`;
    }
    if (o instanceof Map)
      return `M{${[...o].map(([k, x]) => `${staticKey(k, seen)}=>${staticKey(x, seen)}`).join(",")}}`;
    if (o instanceof Set) return `S{${[...o].map((x) => staticKey(x, seen)).join(",")}}`;
    if (o instanceof Date) return `D${o.getTime()}`;
    if (ArrayBuffer.isView(o) && !(o instanceof DataView)) {
      return `A${o.constructor.name}[${Array.from(o as unknown as ArrayLike<number | bigint>, String).join(",")}]`;
    }
  } finally {
    seen.delete(o);
  }
  return `o${identity(o)}`;
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
    .sort((a, b) => a - b)
    .map((i) => `${i}=${staticKey(args[i])}`)
    .join(";");
  const rebuild = (xs: NdArray[]): unknown[] => {
    const filled = unflatten(tree, xs) as unknown[];
    return args.map((a, i) => (statics.has(i) ? a : filled[i]));
  };
  // The x64 flag changes the dtypes a trace creates, as JAX keys its caches on it.
  const context = config.values.enableX64 ? "x64" : "x32";
  return { dynamicLeaves: arrays, tree, rebuild, key: `${context}|${tree}|${avalKey}|${staticPart}` };
}

interface Compiled {
  jaxpr: Jaxpr;
  /** The jaxpr prepared for running: elementwise chains fused into single kernels. */
  fused: Jaxpr;
  consts: NdArray[];
  /** The output pytree from the program's outputs. */
  rebuildOut: (leaves: NdArray[]) => unknown;
}

/** Programs kept per jitted function, least recently used dropped first (JAX's caches hold 4096). */
export const JIT_CACHE_SIZE = 4096;

/** A jitted function: `f`'s arguments (numbers accepted for arrays), Arrays out, and its cache size. */
export type Jitted<F extends Fn> = ((...args: Args<Parameters<F>>) => Tangent<ReturnType<F>>) & {
  /** How many traced programs are cached (at most 4096). */
  cacheSize(): number;
};

/**
 * `jax.jit(fun, *, static_argnums, static_argnames, donate_argnums, ...)`: traces `f` once
 * per input signature (shapes, dtypes, weak types, pytree structure and static values),
 * caches the optimised program (an LRU of 4096 programs), and runs it.
 * Options are keyword-only, as in JAX: `jit(f, { staticArgnums: [1] })`.
 * @example
 * const f = jit((x: Array) => np.sum(np.sin(x)));
 * f(np.ones([3])); // traced; later calls with f32[3] reuse the program
 */
export function jit<F extends Fn>(f: F, ...options: [] | [JitOptions]): Jitted<F> {
  checkCallable("jit", f);
  const o = jitOptions.parse(options);
  refuseNames("jit", "staticArgnames", o.staticArgnames, "staticArgnums");
  const cache = new Map<string, Compiled>();
  const name = f.name || "fn";
  const jitted = (...args: unknown[]): unknown => {
    const statics = staticPositions("jit", o.staticArgnums, args.length);
    const split = splitStatic("jit", args, statics);
    let compiled = cache.get(split.key);
    if (compiled) {
      // Most recently used last.
      cache.delete(split.key);
      cache.set(split.key, compiled);
    } else {
      let rebuildOut: ((leaves: NdArray[]) => unknown) | null = null;
      const flat = (xs: NdArray[]): NdArray[] => {
        const [ls, rebuild] = flattenExpanding(callUser("jit", f, split.rebuild(xs)), "jit", "the output");
        rebuildOut = rebuild;
        return ls;
      };
      const { jaxpr, consts } = stageFlat(
        flat,
        split.dynamicLeaves.map((a) => a.aval),
      );
      compiled = { jaxpr, fused: compileProgram(jaxpr), consts, rebuildOut: rebuildOut! };
      if (!hasTracerConsts(consts)) {
        if (cache.size >= JIT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(split.key, compiled);
      }
    }
    const outs = bindPjit(compiled.jaxpr, compiled.fused, compiled.consts, split.dynamicLeaves, name);
    return compiled.rebuildOut(outs);
  };
  return Object.assign(jitted, { cacheSize: () => cache.size }) as unknown as Jitted<F>;
}

/** Options by name need keyword arguments, which JS does not have. */
function refuseNames(op: string, key: string, v: string | readonly string[] | null | undefined, instead: string): void {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return;
  throw new TransformError(
    `[${op}] ${key} needs keyword arguments, which JS functions do not have: got ${JSON.stringify(v)}, expected [] or null. ` +
      `Give the positions with ${instead}.`,
  );
}

/**
 * The staged program of `f` at the given arguments, printed as JAX prints jaxprs.
 *
 * What `makeJaxpr` returns, as `jax.make_jaxpr(f)(*args)` does: a `ClosedJaxpr` and the output's pytree structure.
 *
 * @example
 * makeJaxpr((x: Array) => np.sin(x))(1).toString(); // "{ lambda ; a:f32[]. let b:f32[] = sin a in (b,) }"
 */
export class TracedJaxpr extends ClosedJaxpr {
  constructor(
    closed: ClosedJaxpr,
    readonly outTree: TreeDef,
  ) {
    super(closed.jaxpr, closed.consts);
  }
}

/**
 * `jax.make_jaxpr(fun, static_argnums=(), axis_env=None, return_shape=False)(*args)`:
 * the staged program; with returnShape, `[jaxpr, shapes]` (a pytree of ShapedArray).
 * @example
 * String(makeJaxpr((x: Array) => np.sin(x).mul(2))(1.0));
 * // { lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = mul b 2.0:f32[] in (c,) }
 */
export function makeJaxpr<F extends Fn>(
  f: F,
  ...options: OptArgs<
    [staticArgnums?: number | readonly number[], axisEnv?: MakeJaxprOptions["axisEnv"], returnShape?: false],
    MakeJaxprOptions & { returnShape?: false }
  >
): (...args: Args<Parameters<F>>) => TracedJaxpr;
export function makeJaxpr<F extends Fn>(
  f: F,
  ...options: OptArgs<
    [staticArgnums?: number | readonly number[], axisEnv?: MakeJaxprOptions["axisEnv"], returnShape?: boolean],
    MakeJaxprOptions
  >
): (...args: Args<Parameters<F>>) => [TracedJaxpr, unknown];
export function makeJaxpr(f: Fn, ...options: unknown[]): (...args: unknown[]) => unknown {
  checkCallable("makeJaxpr", f);
  const o = makeJaxprOptions.parse(options);
  if (o.axisEnv && o.axisEnv.length > 0) {
    throw new TransformError(
      `[makeJaxpr] axisEnv names axes for collectives, which cotangent does not have: got ${JSON.stringify(o.axisEnv)}, expected [] or null.`,
    );
  }
  return (...args: unknown[]) => {
    const statics = staticPositions("makeJaxpr", o.staticArgnums, args.length);
    const split = splitStatic("makeJaxpr", args, statics);
    let outTree: TreeDef | null = null;
    const flat = (xs: NdArray[]): NdArray[] => {
      const [ls, def] = flatten(callUser("makeJaxpr", f, split.rebuild(xs)));
      outTree = def;
      return ls.map((l, i) => leafToArray(l, "makeJaxpr", `output leaf ${i}`));
    };
    const closed = traceToJaxpr(
      flat,
      split.dynamicLeaves.map((a) => a.aval),
    );
    const traced = new TracedJaxpr(closed, outTree!);
    if (!o.returnShape) return traced;
    const shapes: ShapedArray[] = closed.jaxpr.outvars.map((v) => v.aval);
    return [traced, unflatten(outTree!, shapes)];
  };
}
