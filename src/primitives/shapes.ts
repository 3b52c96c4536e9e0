/** Shape arithmetic shared by primitives and the numpy layer. */
import type { Shape } from "../core/aval.js";
import { AxisError, ShapeError } from "../core/errors.js";
import { shapeStr } from "../core/aval.js";

/** NumPy broadcasting of several shapes, or a ShapeError naming `op`. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = nd - s.length + i;
      const d = s[i];
      if (d === out[j] || d === 1) continue;
      if (out[j] === 1) out[j] = d;
      else {
        throw new ShapeError(
          `[${op}] incompatible shapes for broadcasting: got ${shapes.map(shapeStr).join(" and ")}, expected sizes that are equal ` +
            `or 1 on each axis, aligned from the right. Reshape or expand one operand (np.expandDims) so that they line up.`,
        );
      }
    }
  }
  return out;
}

/** Normalises a possibly negative axis for an array of rank `ndim`. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    const range = ndim === 0 ? "no axis (the array is a scalar)" : `an integer in [${-ndim}, ${ndim - 1}]`;
    throw new AxisError(
      `[${op}] axis ${axis} is out of bounds for an array of rank ${ndim}: got ${axis}, expected ${range}.`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalises a list of axes, rejecting repeats. */
export function normalizeAxes(op: string, axes: readonly number[], ndim: number): number[] {
  const out = axes.map((a) => normalizeAxis(op, a, ndim));
  if (new Set(out).size !== out.length) {
    throw new AxisError(`[${op}] repeated axis: got ${JSON.stringify(axes)}, expected each axis at most once.`);
  }
  return out;
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The inverse of a permutation. */
export function invertPerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}
