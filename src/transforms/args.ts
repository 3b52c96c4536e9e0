/** Flattening arguments and results at the API boundary, and checks on them. */
import { NdArray } from "../core/array.js";
import { TransformError } from "../core/errors.js";
import { asArray, ArgumentTypeError, describe } from "../numpy/convert.js";
import { flatten, unflatten, type TreeDef } from "../tree/tree.js";

/** A pytree leaf as an array (numbers and booleans become scalars). */
export function leafToArray(x: unknown, op: string, where: string): NdArray {
  if (x instanceof NdArray) return x;
  if (typeof x === "number" || typeof x === "boolean") return asArray(x);
  throw new ArgumentTypeError(
    `[${op}] ${where} is ${describe(x)}: expected an Array or a number at every leaf. Pass other values through ` +
      `an argument that is not differentiated (argnums) or mark it static (jit's staticArgnums).`,
  );
}

export function flattenArrays(tree: unknown, op: string, where: string): [NdArray[], TreeDef] {
  const [leaves, def] = flatten(tree);
  return [leaves.map((l, i) => leafToArray(l, op, leaves.length === 1 ? where : `leaf ${i} of ${where}`)), def];
}

/** Normalises argnums (number or list, negative allowed) against the argument count. */
export function normalizeArgnums(op: string, argnums: number | readonly number[], nargs: number): number[] {
  const list = typeof argnums === "number" ? [argnums] : [...argnums];
  return list.map((a) => {
    if (!Number.isInteger(a) || a < -nargs || a >= nargs) {
      throw new TransformError(
        `[${op}] differentiating with respect to argnums=${JSON.stringify(argnums)} requires at least ${a < 0 ? -a : a + 1} ` +
          `positional arguments to be passed by the caller, but got only ${nargs}: expected argnums in [${-nargs}, ${nargs - 1}].`,
      );
    }
    return a < 0 ? a + nargs : a;
  });
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
    throw new TransformError(`[${op}] expected a function to transform: got ${describe(f)}.`);
  }
}
