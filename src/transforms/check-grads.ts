/**
 * `checkGrads` (JAX's `jax.test_util.check_grads`): compares jvp with central
 * finite differences and vjp with jvp through ⟨ct, J·t⟩ = ⟨Jᵀ·ct, t⟩, in
 * random directions, recursively up to `order`.
 */
import { NdArray } from "../core/array.js";
import { CotangentError } from "../core/errors.js";
import { flatten, unflatten } from "../tree/tree.js";
import { fromValues } from "../primitives/as-array.js";
import { TransformError } from "../core/errors.js";
import { check, defineOptions, is, orNull, type OptArgs } from "../core/options.js";
import { checkCallable, flattenArrays } from "./args.js";
import { jvp } from "./forward.js";
import { vjp } from "./grad.js";

/**
 * The error `checkGrads` throws when a derivative disagrees with finite differences, as
 * `jax.test_util.check_grads` raises an `AssertionError`.
 *
 * @example
 * const f = customVjp((x: Array) => np.sin(x));
 * f.defvjp((x: Array) => [np.sin(x), null], (_r: null, g: Array) => [g]); // wrong: should be g·cos(x)
 * checkGrads(f, [np.array(0.5)], 1, { modes: ["rev"] }); // throws GradientCheckError
 */
export class GradientCheckError extends CotangentError {}

/** The options of checkGrads (JAX's `modes`, `atol`, `rtol`, `eps`; `seed` is cotangent's). */
export interface CheckGradsOptions {
  /** Which modes to check: "fwd" (jvp against finite differences), "rev" (vjp against jvp). Default both. */
  modes?: readonly ("fwd" | "rev")[] | null;
  /** Absolute tolerance (default by dtype). */
  atol?: number | null;
  /** Relative tolerance (default by dtype). */
  rtol?: number | null;
  /** Finite-difference step (default by dtype). */
  eps?: number | null;
  /** Seed of the random directions (keyword-only). */
  seed?: number;
}

const nonNegative = check<number>("a non-negative number", (v) => typeof v === "number" && v >= 0 && v !== Infinity);
const checkGradsOptions = defineOptions(
  "checkGrads",
  {
    modes: orNull(
      check<readonly ("fwd" | "rev")[]>(
        'an array of "fwd" and "rev"',
        (v) => Array.isArray(v) && v.every((m) => m === "fwd" || m === "rev"),
      ),
    ),
    atol: orNull(nonNegative),
    rtol: orNull(nonNegative),
    eps: orNull(check<number>("a positive number", (v) => typeof v === "number" && v > 0 && v !== Infinity)),
    seed: is.int,
  },
  ["modes", "atol", "rtol", "eps"],
);

type Fn = (...args: never[]) => unknown;

/** A small deterministic generator of standard normal numbers (xorshift + Box–Muller). */
function normals(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  const u = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

function randLike(tree: unknown, next: () => number): unknown {
  const [leaves, def] = flattenArrays(tree, "checkGrads", "argument");
  return unflatten(
    def,
    leaves.map((l) =>
      fromValues(Array.from({ length: l.size }, next), l.shape, l.dtype === "float64" ? "float64" : "float32"),
    ),
  );
}

function values(tree: unknown): number[] {
  return flattenArrays(tree, "checkGrads", "value")[0].flatMap((l) => Array.from(l.dataSync() as ArrayLike<number>));
}

function combine(args: unknown[], dirs: unknown[], scale: number): unknown[] {
  const [a, def] = flatten(args);
  const [d] = flatten(dirs);
  return unflatten(
    def,
    a.map((x, i) => (x as NdArray).add((d[i] as NdArray).mul(scale))),
  ) as unknown[];
}

function numericalJvp(f: Fn, args: unknown[], tangents: unknown[], eps: number): number[] {
  const call = (xs: unknown[]) => (f as (...a: unknown[]) => unknown)(...xs);
  const plus = values(call(combine(args, tangents, eps)));
  const minus = values(call(combine(args, tangents, -eps)));
  return plus.map((p, i) => (p - minus[i]) / (2 * eps));
}

function checkClose(what: string, got: number[], expected: number[], atol: number, rtol: number): void {
  got.forEach((g, i) => {
    const e = expected[i];
    if (Number.isNaN(g) && Number.isNaN(e)) return;
    if (!(Math.abs(g - e) <= atol + rtol * Math.abs(e))) {
      throw new GradientCheckError(
        `[checkGrads] ${what} does not match: got ${g} at element ${i}, expected ${e} (atol ${atol}, rtol ${rtol}).`,
      );
    }
  });
}

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

/**
 * `jax.test_util.check_grads(f, args, order, modes, atol, rtol, eps)`.
 * @example
 * checkGrads((x) => np.sin(x), [0.5], 2);
 */
export function checkGrads(
  f: Fn,
  args: unknown[],
  order: number,
  ...optional: OptArgs<
    [modes?: readonly ("fwd" | "rev")[] | null, atol?: number | null, rtol?: number | null, eps?: number | null],
    CheckGradsOptions
  >
): void {
  checkCallable("checkGrads", f);
  if (!Array.isArray(args)) {
    throw new TransformError(`[checkGrads] args must be a JS array with one entry per argument: got ${typeof args}.`);
  }
  if (!Number.isInteger(order) || order < 1) {
    throw new TransformError(`[checkGrads] order must be a positive integer: got ${String(order)}.`);
  }
  const parsed = checkGradsOptions.parse(optional);
  const options: CheckGradsOptions = Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== null));
  checkGradsFrom(f, args, order, options);
}

function checkGradsFrom(f: Fn, args: unknown[], order: number, options: CheckGradsOptions): void {
  const [leaves] = flattenArrays(args, "checkGrads", "args");
  const f64 = leaves.every((l) => l.dtype === "float64");
  const atol = options.atol ?? (f64 ? 1e-5 : 2e-2);
  const rtol = options.rtol ?? (f64 ? 1e-5 : 2e-2);
  const eps = options.eps ?? (f64 ? 1e-6 : 1e-3);
  const modes = options.modes ?? ["fwd", "rev"];
  const next = normals(options.seed ?? 0);
  const call = (xs: unknown[]) => (f as (...a: unknown[]) => unknown)(...xs);
  const g = f as (...a: unknown[]) => unknown;

  if (modes.includes("fwd")) {
    const t = randLike(args, next) as unknown[];
    const [out, tOut] = jvp(g, args, t);
    checkClose("jvp primal output", values(out), values(call(args)), atol, rtol);
    checkClose("jvp tangent vs finite differences", values(tOut), numericalJvp(f, args, t, eps), atol, rtol);
    if (order > 1) {
      const fJvp = (...xs: unknown[]) => jvp(g, xs, t)[1];
      checkGradsFrom(fJvp as Fn, args, order - 1, { ...options, modes: ["fwd"], seed: (options.seed ?? 0) + 1 });
    }
  }
  if (modes.includes("rev")) {
    const [out, pullback] = vjp(g, ...args);
    const t = randLike(args, next) as unknown[];
    const tOut = numericalJvp(f, args, t, eps);
    const ct = randLike(out, next);
    const ctIn = pullback(ct);
    const ip = dot(values(t), values(ctIn));
    const expected = dot(tOut, values(ct));
    checkClose("vjp ⟨t, Jᵀct⟩ vs ⟨J t, ct⟩", [ip], [expected], atol * Math.max(1, tOut.length), rtol);
    if (order > 1) {
      const fVjp = (...xs: unknown[]) => vjp(g, ...xs)[1](ct);
      checkGradsFrom(fVjp as Fn, args, order - 1, { ...options, modes: ["rev"], seed: (options.seed ?? 0) + 2 });
    }
  }
}
