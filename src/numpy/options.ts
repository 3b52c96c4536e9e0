/**
 * JAX's calling convention in TypeScript: required parameters positional;
 * optional ones positional or, camelCased, in a trailing plain object.
 */
import { NdArray } from "../core/array.js";

function isOptionsObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x) || x instanceof NdArray) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Merges positional optional arguments (named by `names`, in order) with a
 * trailing options object. `parseOptional(["axis", "keepdims"], [1, { keepdims: true }])`
 * gives `{ axis: 1, keepdims: true }`.
 */
export function parseOptional<T extends object>(
  names: readonly (keyof T & string)[],
  args: readonly unknown[],
): Partial<T> {
  const out: Record<string, unknown> = {};
  let positional = args;
  const last = args[args.length - 1];
  if (args.length > 0 && isOptionsObject(last)) {
    Object.assign(out, last);
    positional = args.slice(0, -1);
  }
  positional.forEach((v, i) => {
    if (i < names.length && v !== undefined) out[names[i]] = v;
  });
  return out as Partial<T>;
}
