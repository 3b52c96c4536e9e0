/** How arrays map onto a kernel's [rows, cols] iteration space (ir.ts). */
import { shapesEqual } from "../core/aval.js";
import type { InputKind } from "./ir.js";

/** The shape as [rows, cols]: cols is the last axis (1 for a scalar shape). */
export function matrixOf(shape: readonly number[]): [number, number] {
  const cols = shape.length === 0 ? 1 : shape[shape.length - 1];
  return [cols === 0 ? 0 : shape.reduce((a, b) => a * b, 1) / cols, cols];
}

/** How an operand of shape `x` reads into a run of shape `s`, or null if it cannot. */
export function inputKind(x: readonly number[], s: readonly number[]): InputKind | null {
  const size = x.reduce((a, b) => a * b, 1);
  if (size === 1) return "scalar";
  if (shapesEqual(x, s)) return "full";
  if (x.length > s.length || s.length < 2) return null;
  const [rows, cols] = matrixOf(s);
  const aligned = [...new Array<number>(s.length - x.length).fill(1), ...x];
  const leadingOnes = aligned.slice(0, -1).every((d) => d === 1);
  if (leadingOnes && aligned[aligned.length - 1] === cols) return "row";
  const sameLeading = aligned.slice(0, -1).every((d, i) => d === s[i]);
  if (sameLeading && aligned[aligned.length - 1] === 1 && size === rows) return "col";
  return null;
}
