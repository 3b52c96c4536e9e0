/** Flattening arguments and results at the API boundary, and checks on them. */
import { NdArray } from "../core/array.js";
import { TransformError } from "../core/errors.js";
import { check, describeValue } from "../core/options.js";
import { asArray, ArgumentTypeError, describe } from "../primitives/as-array.js";
import { flatten, unflatten, type TreeDef } from "../tree/tree.js";

/** A value with a `then` method: what an async function returns. */
export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (
    (typeof x === "object" || typeof x === "function") &&
    x !== null &&
    typeof (x as { then?: unknown }).then === "function"
  );
}

/**
 * The error for a transformed function that returned a Promise. The abandoned
 * promise gets a no-op rejection handler: its continuation runs after the
 * transformation has returned and fails on the finished trace's tracers, and an
 * unhandled rejection would end the Node process.
 */
export function asyncFunctionError(op: string, value: PromiseLike<unknown>, what = "the function"): TransformError {
  try {
    void Promise.resolve(value).catch(() => undefined);
  } catch {
    /* a thenable whose then throws: nothing is pending */
  }
  return new TransformError(
    `[${op}] transformed functions must be synchronous: ${what} returned a Promise (is it async?), expected Arrays. ` +
      `Array operations are traced synchronously; await any data before calling the transformed function.`,
  );
}

/** Calls a user function given to a transformation, refusing a Promise result. */
export function callUser(op: string, f: unknown, args: readonly unknown[], what = "the function"): unknown {
  const out = (f as (...a: unknown[]) => unknown)(...args);
  if (isThenable(out)) throw asyncFunctionError(op, out, what);
  return out;
}

/** A pytree leaf as an array (numbers and booleans become scalars). */
export function leafToArray(x: unknown, op: string, where: string): NdArray {
  if (x instanceof NdArray) return x;
  if (typeof x === "number" || typeof x === "boolean") return asArray(x);
  if (isThenable(x)) throw asyncFunctionError(op, x, where);
  throw new ArgumentTypeError(
    `[${op}] ${where} is ${describe(x)}: expected an Array or a number at every leaf. Pass other values through ` +
      `an argument that is not differentiated (argnums) or mark it static (jit's staticArgnums).`,
  );
}

export function flattenArrays(tree: unknown, op: string, where: string): [NdArray[], TreeDef] {
  const [leaves, def] = flatten(tree);
  return [leaves.map((l, i) => leafToArray(l, op, leaves.length === 1 ? where : `leaf ${i} of ${where}`)), def];
}

// --- functions returned by vjp, as pytrees of their residual arrays ---------------------

/** What a function returned by `vjp` holds: its residual arrays, and how to rebuild it around new ones. */
export interface VjpFunctionParts {
  readonly arrays: NdArray[];
  rebuild(arrays: NdArray[]): (...cts: unknown[]) => unknown;
}

const vjpFunctions = new WeakMap<object, VjpFunctionParts>();

/** Marks `fn` as a function returned by vjp (JAX's `Partial` pytree: its leaves are the residuals). */
export function registerVjpFunction(fn: object, parts: VjpFunctionParts): void {
  vjpFunctions.set(fn, parts);
}

/**
 * Flattens a pytree into arrays, expanding functions returned by `vjp` into
 * their residual arrays (JAX's vjp returns a pytree, so such a function may be
 * a residual of a customVjp fwd rule or an output of jit). Returns the leaves
 * and a function that rebuilds the pytree from new leaves.
 */
export function flattenExpanding(
  tree: unknown,
  op: string,
  where: string,
): [NdArray[], (leaves: NdArray[]) => unknown] {
  const [raw, def] = flatten(tree);
  const parts: (VjpFunctionParts | null)[] = [];
  const leaves: NdArray[] = [];
  raw.forEach((l, i) => {
    const p = typeof l === "function" ? (vjpFunctions.get(l) ?? null) : null;
    parts.push(p);
    if (p) leaves.push(...p.arrays);
    else leaves.push(leafToArray(l, op, raw.length === 1 ? where : `leaf ${i} of ${where}`));
  });
  const rebuild = (xs: NdArray[]): unknown => {
    let k = 0;
    const rawLeaves = parts.map((p) => {
      if (!p) return xs[k++];
      const n = p.arrays.length;
      k += n;
      return p.rebuild(xs.slice(k - n, k));
    });
    return unflatten(def, rawLeaves);
  };
  return [leaves, rebuild];
}

// --- argnums ---------------------------------------------------------------------------

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/** JAX's argnums: an integer, or an array of distinct integers. */
export const argnumsCheck = check<number | readonly number[]>(
  "an integer or an array of distinct integers",
  (v) => isInt(v) || (Array.isArray(v) && v.every(isInt) && new Set(v).size === v.length),
);

/** Normalises argnums (number or list, negative allowed) against the argument count. */
export function normalizeArgnums(op: string, argnums: number | readonly number[], nargs: number): number[] {
  const list = typeof argnums === "number" ? [argnums] : Array.isArray(argnums) ? [...argnums] : null;
  if (list === null || !list.every(isInt)) {
    throw new TransformError(
      `[${op}] argnums must be an integer or an array of integers: got ${describeValue(argnums)}.`,
    );
  }
  const out = list.map((a) => {
    if (a < -nargs || a >= nargs) {
      throw new TransformError(
        `[${op}] differentiating with respect to argnums=${JSON.stringify(argnums)} requires at least ${a < 0 ? -a : a + 1} ` +
          `positional arguments to be passed by the caller, but got only ${nargs}: expected argnums in [${-nargs}, ${nargs - 1}].`,
      );
    }
    return a < 0 ? a + nargs : a;
  });
  if (new Set(out).size !== out.length) {
    throw new TransformError(
      `[${op}] argnums must not repeat an argument: got ${JSON.stringify(argnums)} for ${nargs} arguments, expected distinct positions.`,
    );
  }
  return out;
}

/**
 * Splits `args` into the flat leaves of the selected ones and a function that
 * rebuilds the full argument list from new leaves (the others stay as they are).
 */
export function splitArgs(
  op: string,
  args: unknown[],
  argnums: number[],
): { leaves: NdArray[]; rebuild: (leaves: NdArray[]) => unknown[]; trees: TreeDef[]; counts: number[] } {
  const trees: TreeDef[] = [];
  const counts: number[] = [];
  const leaves: NdArray[] = [];
  for (const i of argnums) {
    const [ls, def] = flattenArrays(args[i], op, `argument ${i}`);
    trees.push(def);
    counts.push(ls.length);
    leaves.push(...ls);
  }
  const rebuild = (flat: NdArray[]): unknown[] => {
    const out = args.slice();
    let k = 0;
    argnums.forEach((i, j) => {
      out[i] = unflatten(trees[j], flat.slice(k, k + counts[j]));
      k += counts[j];
    });
    return out;
  };
  return { leaves, rebuild, trees, counts };
}

/** Splits flat values back into one pytree per selected argument. */
export function unflattenPerArg(flat: unknown[], trees: TreeDef[], counts: number[]): unknown[] {
  let k = 0;
  return trees.map((t, j) => {
    const part = flat.slice(k, k + counts[j]);
    k += counts[j];
    return unflatten(t, part);
  });
}

export function checkCallable(op: string, f: unknown): void {
  if (typeof f !== "function") {
    throw new TransformError(`[${op}] expected a function to transform: got ${describeValue(f)}.`);
  }
}

/** JAX's `holomorphic=True`: cotangent has no complex dtypes, so it is refused. */
export function refuseHolomorphic(op: string, holomorphic: boolean | undefined): void {
  if (holomorphic) {
    throw new TransformError(
      `[${op}] holomorphic differentiation needs complex inputs and outputs: got holomorphic=true, expected false. ` +
        `cotangent has no complex dtypes; differentiate the real and imaginary parts as separate real functions.`,
    );
  }
}
