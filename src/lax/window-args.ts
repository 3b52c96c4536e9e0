/**
 * Window arguments shared by the convolutions and reduceWindow: strides and dilations (one
 * positive integer per spatial axis) and padding ("SAME", "SAME_LOWER", "VALID" or pairs).
 */
import { ArgumentTypeError } from "../core/errors.js";
import { describeValue } from "../core/options.js";

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const isIntList = (v: unknown): v is number[] => Array.isArray(v) && v.every(isInt);

/** A list of positive integers, one per spatial axis (strides, dilations). */
export function positiveInts(op: string, v: unknown, n: number, what: string): number[] {
  if (!isIntList(v) || v.length !== n || v.some((k) => k < 1)) {
    throw new ArgumentTypeError(
      `[${op}] ${what} must be ${n} positive integers (one per spatial axis): got ${describeValue(v)}.`,
    );
  }
  return [...v];
}

/** JAX's padtype_to_pads: "SAME" keeps ceil(n / stride) outputs, the odd extra pad at the end ("SAME_LOWER": the start). */
export function padtypeToPads(
  op: string,
  inShape: number[],
  window: number[],
  strides: number[],
  padding: unknown,
): [number, number][] {
  if (padding === "VALID") return inShape.map(() => [0, 0]);
  if (padding === "SAME" || padding === "SAME_LOWER") {
    return inShape.map((n, d) => {
      const out = Math.ceil(n / strides[d]);
      const total = Math.max(0, (out - 1) * strides[d] + window[d] - n);
      const small = Math.floor(total / 2);
      return padding === "SAME" ? [small, total - small] : [total - small, small];
    });
  }
  return explicitPads(op, padding, inShape.length);
}

/** Explicit padding: one [low, high] integer pair per spatial axis. */
export function explicitPads(op: string, padding: unknown, n: number): [number, number][] {
  const ok =
    Array.isArray(padding) &&
    padding.length === n &&
    padding.every((p) => Array.isArray(p) && p.length === 2 && p.every(isInt));
  if (!ok) {
    throw new ArgumentTypeError(
      `[${op}] padding must be "SAME", "SAME_LOWER", "VALID" or ${n} [low, high] integer pairs (one per spatial axis): ` +
        `got ${describeValue(padding)}.`,
    );
  }
  return (padding as [number, number][]).map(([lo, hi]) => [lo, hi]);
}
