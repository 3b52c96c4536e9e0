/** Products: matmul, dot, tensordot, einsum, outer, inner, vdot; linalg.norm. */
import { shapeStr } from "../core/aval.js";
import type { NdArray, ArrayLike } from "../core/array.js";
import { ShapeError } from "../core/errors.js";
import { dotGeneral } from "../primitives/dot.js";
import * as st from "../primitives/structural.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import * as red from "../primitives/reduce.js";
import { bind1 } from "../core/trace.js";
import { broadcastShapes, normalizeAxes, normalizeAxis, range } from "../primitives/shapes.js";
import { promoteOperands, promoteToFloat } from "./convert.js";
import { parseOptional } from "./options.js";

function matmulShapeError(a: NdArray, b: NdArray): ShapeError {
  return new ShapeError(
    `[matmul] contracting dimensions do not match: got ${a.aval.str()} @ ${b.aval.str()}, expected the last axis of the first ` +
      `(${a.aval.shape[a.ndim - 1]}) to equal the ${b.ndim === 1 ? "only" : "second-to-last"} axis of the second (${b.aval.shape[Math.max(0, b.ndim - 2)]}).`,
  );
}

/** `jnp.matmul` (`a @ b`): 1-D operands are promoted to matrices; leading axes broadcast. */
export function matmul(x: ArrayLike, y: ArrayLike): NdArray {
  let [a, b] = promoteOperands("matmul", [x, y]);
  if (a.ndim === 0 || b.ndim === 0)
    throw new ShapeError(
      `[matmul] operands must have at least one axis: got ${a.aval.str()} and ${b.aval.str()}. Use np.multiply for scalars.`,
    );
  const aVec = a.ndim === 1;
  const bVec = b.ndim === 1;
  if (aVec) a = st.reshape(a, [1, a.size]);
  if (bVec) b = st.reshape(b, [b.size, 1]);
  const [m, k] = a.aval.shape.slice(-2);
  const [k2, n] = b.aval.shape.slice(-2);
  if (k !== k2) throw matmulShapeError(aVec ? st.reshape(a, [k]) : a, bVec ? st.reshape(b, [k2]) : b);
  let out: NdArray;
  if (b.ndim === 2) {
    // [..., m, k] · [k, n]: contract without batch axes, result already [..., m, n].
    out = dotGeneral(a, b, { contracting: [[a.ndim - 1], [0]], batch: [[], []] });
  } else if (a.ndim === 2) {
    // [m, k] · [..., k, n] → [m, ..., n] → move m before the last axis.
    const r = dotGeneral(a, b, { contracting: [[1], [b.ndim - 2]], batch: [[], []] });
    const nb = b.ndim - 2;
    out = st.transpose(r, [...range(nb).map((i) => i + 1), 0, nb + 1]);
  } else {
    const batch = broadcastShapes("matmul", a.aval.shape.slice(0, -2), b.aval.shape.slice(0, -2));
    const ab = st.broadcastTo(a, [...batch, m, k]);
    const bb = st.broadcastTo(b, [...batch, k, n]);
    const bd = range(batch.length);
    out = dotGeneral(ab, bb, { contracting: [[batch.length + 1], [batch.length]], batch: [bd, bd] });
  }
  if (aVec) out = st.reshape(out, [...out.aval.shape.slice(0, -2), n]);
  if (bVec) out = st.reshape(out, out.aval.shape.slice(0, -1));
  return out;
}

/** `jnp.dot`: scalars multiply; N-D·1-D and N-D·M-D contract a's last axis with b's second-to-last. */
export function dot(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promoteOperands("dot", [x, y]);
  if (a.ndim === 0 || b.ndim === 0) return ew.mul(a, b);
  const bAxis = b.ndim === 1 ? 0 : b.ndim - 2;
  if (a.aval.shape[a.ndim - 1] !== b.aval.shape[bAxis]) {
    throw new ShapeError(
      `[dot] shapes ${shapeStr(a.aval.shape)} and ${shapeStr(b.aval.shape)} are not aligned: expected the last axis of the first to equal axis ${bAxis} of the second.`,
    );
  }
  return dotGeneral(a, b, { contracting: [[a.ndim - 1], [bAxis]], batch: [[], []] });
}

/** `jnp.tensordot(a, b, axes)`: axes is N (last N of a with first N of b) or [axesA, axesB]. */
export function tensordot(
  x: ArrayLike,
  y: ArrayLike,
  axes: number | [number | number[], number | number[]] = 2,
): NdArray {
  const [a, b] = promoteOperands("tensordot", [x, y]);
  let ax: number[];
  let bx: number[];
  if (typeof axes === "number") {
    ax = range(axes).map((i) => a.ndim - axes + i);
    bx = range(axes);
  } else {
    ax = typeof axes[0] === "number" ? [axes[0]] : axes[0];
    bx = typeof axes[1] === "number" ? [axes[1]] : axes[1];
  }
  ax = normalizeAxes("tensordot", ax, a.ndim);
  bx = normalizeAxes("tensordot", bx, b.ndim);
  if (ax.length !== bx.length || ax.some((i, k) => a.aval.shape[i] !== b.aval.shape[bx[k]])) {
    throw new ShapeError(
      `[tensordot] shape mismatch: got ${a.aval.str()} and ${b.aval.str()} contracting axes ${shapeStr(ax)} and ${shapeStr(bx)}, expected paired axes of equal size.`,
    );
  }
  return dotGeneral(a, b, { contracting: [ax, bx], batch: [[], []] });
}

export function outer(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promoteOperands("outer", [x, y]);
  return ew.mul(st.reshape(a, [a.size, 1]), st.reshape(b, [1, b.size]));
}

/** `jnp.inner`: contracts the last axes. */
export function inner(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promoteOperands("inner", [x, y]);
  if (a.ndim === 0 || b.ndim === 0) return ew.mul(a, b);
  return dotGeneral(a, b, { contracting: [[a.ndim - 1], [b.ndim - 1]], batch: [[], []] });
}

export function vdot(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promoteOperands("vdot", [x, y]);
  return dotGeneral(st.reshape(a, [a.size]), st.reshape(b, [b.size]), { contracting: [[0], [0]], batch: [[], []] });
}

// --- einsum --------------------------------------------------------------------------

/**
 * `jnp.einsum("ij,jk->ik", a, b)`. Operands are contracted left to right with
 * dot_general: indices shared with later operands or the output are kept as
 * batch axes, the rest are contracted; indices used only once are summed first.
 */
export function einsum(subscripts: string, ...operands: ArrayLike[]): NdArray {
  const spec = subscripts.replace(/\s/g, "");
  const [lhs, rhsGiven] = spec.split("->");
  const inputs = lhs.split(",");
  if (inputs.length !== operands.length) {
    throw new ShapeError(
      `[einsum] the subscripts name ${inputs.length} operands: got ${operands.length}, expected ${inputs.length}.`,
    );
  }
  const arrays = promoteOperands("einsum", operands);
  inputs.forEach((s, i) => {
    if (s.length !== arrays[i].ndim) {
      throw new ShapeError(
        `[einsum] subscripts "${s}" do not fit operand ${i} of shape ${shapeStr(arrays[i].aval.shape)}: expected ${arrays[i].ndim} letters.`,
      );
    }
    if (new Set(s).size !== s.length)
      throw new ShapeError(`[einsum] repeated index in "${s}" (diagonals) is not supported: use np.diagonal first.`);
  });
  const counts = new Map<string, number>();
  for (const c of inputs.join("")) counts.set(c, (counts.get(c) ?? 0) + 1);
  const output =
    rhsGiven ??
    [...counts.keys()]
      .filter((c) => counts.get(c) === 1)
      .sort()
      .join("");
  const sizes = new Map<string, number>();
  inputs.forEach((s, i) =>
    [...s].forEach((c, j) => {
      const n = arrays[i].aval.shape[j];
      if (sizes.has(c) && sizes.get(c) !== n)
        throw new ShapeError(`[einsum] index "${c}" has sizes ${sizes.get(c)} and ${n}: expected one size.`);
      sizes.set(c, n);
    }),
  );
  // Sum out indices that appear in one operand only and not in the output.
  let terms = arrays.map((a, i) => {
    const s = inputs[i];
    const lone = [...s].map((c, j) => (counts.get(c) === 1 && !output.includes(c) ? j : -1)).filter((j) => j >= 0);
    return { a: red.reduceSum(a, lone), s: [...s].filter((_, j) => !lone.includes(j)).join("") };
  });
  while (terms.length > 1) {
    const [x, y] = terms;
    const rest = terms.slice(2);
    const later = new Set([...output, ...rest.flatMap((t) => [...t.s])]);
    const shared = [...x.s].filter((c) => y.s.includes(c));
    const batch = shared.filter((c) => later.has(c));
    const contract = shared.filter((c) => !later.has(c));
    const out = dotGeneral(x.a, y.a, {
      contracting: [contract.map((c) => x.s.indexOf(c)), contract.map((c) => y.s.indexOf(c))],
      batch: [batch.map((c) => x.s.indexOf(c)), batch.map((c) => y.s.indexOf(c))],
    });
    const s = [
      ...batch,
      ...[...x.s].filter((c) => !shared.includes(c)),
      ...[...y.s].filter((c) => !shared.includes(c)),
    ].join("");
    terms = [{ a: out, s }, ...rest];
  }
  const { a, s } = terms[0];
  const extra = [...s].map((c, j) => (output.includes(c) ? -1 : j)).filter((j) => j >= 0);
  const summed = red.reduceSum(a, extra);
  const kept = [...s].filter((c) => output.includes(c));
  return st.transpose(
    summed,
    [...output].map((c) => kept.indexOf(c)),
  );
}

// --- norm -------------------------------------------------------------------------------

export interface NormOptions {
  ord?: number | "fro" | null;
  axis?: number | number[] | null;
  keepdims?: boolean;
}

/** `jnp.linalg.norm`: vector p-norms (2, 1, ∞, -∞, 0, p) and the Frobenius norm. */
export function norm(
  x: ArrayLike,
  ...args: [(number | "fro" | null)?, (number | number[] | null)?, NormOptions?] | [NormOptions]
): NdArray {
  const [a] = promoteToFloat("norm", [x]);
  const o = parseOptional<NormOptions>(["ord", "axis", "keepdims"], args);
  const axes =
    o.axis === null || o.axis === undefined
      ? range(a.ndim)
      : normalizeAxes("norm", typeof o.axis === "number" ? [o.axis] : o.axis, a.ndim);
  const ord = o.ord ?? null;
  const keep = (y: NdArray): NdArray =>
    o.keepdims
      ? st.reshape(
          y,
          a.aval.shape.map((n, i) => (axes.includes(i) ? 1 : n)),
        )
      : y;
  const absA = un.abs(a);
  if (ord === null || ord === "fro" || ord === 2) {
    if (ord === 2 && axes.length === 2)
      throw new ShapeError(
        `[norm] the matrix 2-norm needs singular values, which cotangent does not compute yet: use ord "fro" or a vector norm.`,
      );
    return keep(un.sqrt(red.reduceSum(ew.mul(a, a), axes)));
  }
  if (axes.length !== 1)
    throw new ShapeError(
      axes.length === 2
        ? `[norm] matrix norm ord=${ord} is not supported: got 2 axes, expected ord null or "fro" for a matrix (or one axis for a vector norm).`
        : `[norm] ord ${ord} is a vector norm: got ${axes.length} axes, expected one axis.`,
    );
  const ax = normalizeAxis("norm", axes[0], a.ndim);
  if (ord === Infinity) return keep(bind1(red.reduceMaxP, [absA], { axes: [ax] }));
  if (ord === -Infinity) return keep(bind1(red.reduceMinP, [absA], { axes: [ax] }));
  if (ord === 0) return keep(red.reduceSum(ew.convert(ew.ne(a, ew.scalarLike(0, a)), a.dtype), [ax]));
  if (ord === 1) return keep(red.reduceSum(absA, [ax]));
  const p = ew.scalarLike(ord, a);
  return keep(ew.pow(red.reduceSum(ew.pow(absA, p), [ax]), ew.div(ew.scalarLike(1, a), p)));
}

/**
 * `jnp.diagonal(a, offset, axis1, axis2)`: the entries a[..., i, i + offset] over the
 * two axes, which are removed; the diagonal becomes the last axis.
 */
export function diagonal(x: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): NdArray {
  const [a] = promoteOperands("diagonal", [x]);
  if (a.ndim < 2) throw new ShapeError(`[diagonal] the array must have at least two axes: got ${a.aval.str()}.`);
  const [i1, i2] = normalizeAxes("diagonal", [axis1, axis2], a.ndim);
  const rest = range(a.ndim).filter((d) => d !== i1 && d !== i2);
  const moved = st.transpose(a, [...rest, i1, i2]);
  const rows = a.aval.shape[i1];
  const cols = a.aval.shape[i2];
  const n = Math.max(0, Math.min(rows - Math.max(0, -offset), cols - Math.max(0, offset)));
  const r = Array.from({ length: n }, (_, i) => i + Math.max(0, -offset));
  const c = Array.from({ length: n }, (_, i) => i + Math.max(0, offset));
  return moved.get("...", r, c);
}

/** `jnp.trace(a, offset, axis1, axis2)`: the sum of the diagonal. */
export function trace(x: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): NdArray {
  const d = diagonal(x, offset, axis1, axis2);
  return red.reduceSum(d, [d.ndim - 1]);
}
