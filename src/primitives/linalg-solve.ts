/**
 * The factorizations and the triangular solve, as JAX's `lax.linalg`:
 * cholesky (the lower factor, NaN where the matrix is not positive definite),
 * lu (partial pivoting: lu, pivots, permutation) and triangular_solve (linear
 * in b, with its transpose rule). Each is batched over leading axes; the jvp
 * rules are JAX's `_cholesky_jvp_rule`, `_lu_jvp_rule` and
 * `_triangular_solve_jvp_rule_a`.
 */
import { ShapedArray, type Shape } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import { isFloat } from "../core/dtypes.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { defineMultiPrimitive, definePrimitive, UndefinedPrimal, type Primitive } from "../core/primitive.js";
import { lowerCholesky, lowerLu, lowerTriangularSolve } from "../ir/stablehlo-linalg.js";
import { bind, bind1, Zero, type MaybeZero } from "../core/trace.js";
import { NonLinearError } from "../interpreters/transpose.js";
import { batchFirst, moveAxis } from "./batching.js";
import { fullConst } from "./constants.js";
import { dotGeneral } from "./dot.js";
import { add, convert, div, eq, ge, le, selectN, sub } from "./elementwise.js";
import { iota } from "./iota.js";
import { range } from "./shapes.js";
import { padAxis, sliceAxis } from "./slicing.js";
import { broadcastInDim, transpose } from "./structural.js";
import { takeAlongAxis } from "./take.js";
import { neg } from "./unary.js";

// --- helpers on stacks of matrices (the last two axes) -----------------------------------

/** Keeps the entries with col − row ≤ k (`lower`, jnp.tril(x, k)) or ≥ k (jnp.triu(x, k)); zeros elsewhere. */
export function band(x: NdArray, k: number, lower: boolean): NdArray {
  const shape = x.aval.shape;
  const [r, c] = shape.slice(-2);
  const diff = sub(iota("int32", [r, c], 1), iota("int32", [r, c], 0));
  const kk = fullConst([r, c], k, "int32");
  const mask = broadcastInDim(lower ? le(diff, kk) : ge(diff, kk), shape, [shape.length - 2, shape.length - 1]);
  return selectN(mask, [fullConst(shape, 0, x.dtype), x]);
}

/** Swaps the last two axes. */
export function mT(x: NdArray): NdArray {
  const perm = range(x.ndim);
  perm[x.ndim - 2] = x.ndim - 1;
  perm[x.ndim - 1] = x.ndim - 2;
  return transpose(x, perm);
}

/** a @ b over equal leading (batch) axes. */
export function bmm(a: NdArray, b: NdArray): NdArray {
  const nb = a.ndim - 2;
  const batch = range(nb);
  return dotGeneral(a, b, { contracting: [[nb + 1], [nb]], batch: [batch, batch] });
}

/** The identity of order n in `dtype`, broadcast over `batch` leading axes. */
export function eyeLike(batch: Shape, n: number, dtype: NdArray["dtype"]): NdArray {
  const e = convert(eq(iota("int32", [n, n], 0), iota("int32", [n, n], 1)), dtype);
  return broadcastInDim(e, [...batch, n, n], [batch.length, batch.length + 1]);
}

/** A float matrix (square where asked), or a stack of them. */
export function checkMatrix(op: string, x: ShapedArray, square: boolean): void {
  if (!isFloat(x.dtype)) {
    throw new DTypeError(`[${op}] unsupported dtype: got ${x.str()}, expected a float32 or float64 array.`);
  }
  if (x.ndim < 2 || (square && x.shape[x.ndim - 1] !== x.shape[x.ndim - 2])) {
    throw new ShapeError(
      `[${op}] the operand must be a ${square ? "square matrix" : "matrix"} or a stack of them: got ${x.str()}, ` +
        `expected shape [..., ${square ? "n, n" : "m, n"}].`,
    );
  }
}

// --- cholesky -------------------------------------------------------------------------

/** cholesky_p: the lower factor L of x = L·Lᵀ, from x's lower triangle. */
export const choleskyP: Primitive = definePrimitive({
  name: "cholesky",
  abstractEval([x]) {
    checkMatrix("cholesky", x, true);
    return new ShapedArray(x.shape, x.dtype, false);
  },
  lower: () => ({ name: "cholesky" }),
  /**
   * Murray, "Differentiation of the Cholesky decomposition" (arXiv:1602.07527):
   * L̇ = L·Φ(L⁻¹·Σ̇·L⁻ᵀ), Φ taking the lower triangle with the diagonal halved.
   */
  jvp([x], [t]) {
    const L = cholesky(x);
    if (t instanceof Zero) return [L, new Zero(L.aval)];
    const tmp = triangularSolve(L, t, { leftSide: false, lower: true, transposeA: true, unitDiagonal: false });
    const inner = triangularSolve(L, tmp, { leftSide: true, lower: true, transposeA: false, unitDiagonal: false });
    const n = x.aval.shape[x.ndim - 1];
    const halfDiag = add(fullConst([n, n], 1, x.dtype), eyeLike([], n, x.dtype));
    const phi = div(band(inner, 0, true), broadcastInDim(halfDiag, inner.aval.shape, [x.ndim - 2, x.ndim - 1]));
    return [L, bmm(L, phi)];
  },
  vmap: ([x], [d]) => [cholesky(moveAxis(x, d!, 0)), 0],
  stablehlo: (c, [x]) => lowerCholesky(c, x),
});

/** `lax.linalg.cholesky(x, symmetrize_input=False)`: L with x = L·Lᵀ (only x's lower triangle is read). */
export function cholesky(x: NdArray): NdArray {
  return bind1(choleskyP, [x]);
}

// --- lu ---------------------------------------------------------------------------------

/** lu_p: P·x = L·U with partial pivoting; outputs lu, pivots and permutation. */
export const luP: Primitive = defineMultiPrimitive({
  name: "lu",
  abstractEval([x]) {
    checkMatrix("lu", x, false);
    const batch = x.shape.slice(0, -2);
    const [m, n] = x.shape.slice(-2);
    return [
      new ShapedArray(x.shape, x.dtype, false),
      new ShapedArray([...batch, Math.min(m, n)], "int32"),
      new ShapedArray([...batch, m], "int32"),
    ];
  },
  lower: () => ({ name: "lu" }),
  /**
   * De Hoog, Anderssen and Lukas: from L·U = P·A, L⁻¹·L̇ + U̇·U⁻¹ = L⁻¹·P·Ȧ·U⁻¹ =: X, so
   * L̇ = L·tril(X, −1) and U̇ = triu(X)·U (L padded to m×m, U to n×n with identities).
   */
  jvp([x], [t]) {
    const [luOut, pivots, perm] = lu(x);
    const zeros: MaybeZero[] = [new Zero(pivots.aval), new Zero(perm.aval)];
    if (t instanceof Zero)
      return [
        [luOut, pivots, perm],
        [new Zero(luOut.aval), ...zeros],
      ];
    const nd = x.ndim;
    const shape = x.aval.shape;
    const batch = shape.slice(0, -2);
    const [m, n] = shape.slice(-2);
    const k = Math.min(m, n);
    const rows = broadcastInDim(perm, shape, [...range(nd - 1)]);
    const pa = takeAlongAxis(t, rows, nd - 2);
    const l = add(
      padAxis(band(sliceAxis(luOut, nd - 1, 0, k), -1, true), nd - 1, 0, m - k, 0),
      eyeLike(batch, m, x.dtype),
    );
    const uEye = padAxis(padAxis(eyeLike(batch, n - k, x.dtype), nd - 2, k, 0, 0), nd - 1, k, 0, 0);
    const u = add(padAxis(band(sliceAxis(luOut, nd - 2, 0, k), 0, false), nd - 2, 0, n - k, 0), uEye);
    const la = triangularSolve(l, pa, { leftSide: true, lower: true, transposeA: false, unitDiagonal: true });
    const lau = triangularSolve(u, la, { leftSide: false, lower: false, transposeA: false, unitDiagonal: false });
    const dot = add(bmm(l, band(lau, -1, true)), bmm(band(lau, 0, false), u));
    return [
      [luOut, pivots, perm],
      [dot, ...zeros],
    ];
  },
  vmap: ([x], [d]) => [lu(moveAxis(x, d!, 0)), [0, 0, 0]],
  stablehlo: (c, [x]) => lowerLu(c, x),
});

/** `lax.linalg.lu(x)`: [lu, pivots, permutation]; P·x = L·U with L unit lower (below lu's diagonal) and U upper. */
export function lu(x: NdArray): [NdArray, NdArray, NdArray] {
  const [a, b, c] = bind(luP, [x], {});
  return [a, b, c];
}

// --- triangular_solve ---------------------------------------------------------------------

/** The static parameters of triangular_solve. */
export interface TriangularSolveParams {
  /** Solve op(a)·x = b (true) or x·op(a) = b (false). */
  leftSide: boolean;
  /** Read a's lower triangle (true) or upper one. */
  lower: boolean;
  /** op(a) = aᵀ. */
  transposeA: boolean;
  /** Take a's diagonal as ones (it is not read). */
  unitDiagonal: boolean;
}

/** triangular_solve_p: x with op(a)·x = b or x·op(a) = b; linear in b. */
export const triangularSolveP: Primitive = definePrimitive<TriangularSolveParams & Record<string, unknown>>({
  name: "triangular_solve",
  abstractEval([a, b], p) {
    checkMatrix("triangular_solve", a, true);
    if (a.dtype !== b.dtype) {
      throw new DTypeError(
        `[triangular_solve] operands must share a dtype: got ${a.str()} and ${b.str()}, expected equal dtypes.`,
      );
    }
    const m = a.shape[a.ndim - 1];
    const sameBatch = b.ndim === a.ndim && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
    if (!sameBatch || b.shape[b.ndim - (p.leftSide ? 2 : 1)] !== m) {
      throw new ShapeError(
        `[triangular_solve] shapes do not match: got a ${a.str()} and b ${b.str()}, expected b of shape ` +
          `[...batch, ${p.leftSide ? `${m}, k` : `k, ${m}`}] with a's batch axes (leftSide=${p.leftSide}).`,
      );
    }
    return new ShapedArray(b.shape, b.dtype, false);
  },
  lower: (_avals, p) => ({
    name: "triangular_solve",
    leftSide: p.leftSide,
    lower: p.lower,
    transposeA: p.transposeA,
    unitDiagonal: p.unitDiagonal,
  }),
  /** d(op(a)⁻¹·b) = op(a)⁻¹·ḃ − op(a)⁻¹·op(ȧ)·x, ȧ restricted to the triangle read (JAX's order of products). */
  jvp([a, b], [ta, tb], p) {
    const out = triangularSolve(a, b, p);
    let t: MaybeZero = new Zero(out.aval);
    if (!(ta instanceof Zero)) {
      const [m, n] = out.aval.shape.slice(-2);
      const k = p.unitDiagonal ? 1 : 0;
      let g = neg(p.lower ? band(ta, -k, true) : band(ta, k, false));
      if (p.transposeA) g = mT(g);
      const inv = (rhs: NdArray) => triangularSolve(a, rhs, p);
      if (p.leftSide) t = m > n ? inv(bmm(g, out)) : bmm(inv(g), out);
      else t = m < n ? inv(bmm(out, g)) : bmm(out, inv(g));
    }
    if (!(tb instanceof Zero)) {
      const term = triangularSolve(a, tb, p);
      t = t instanceof Zero ? term : add(t, term);
    }
    return [out, t];
  },
  transpose(ct, [a, b], p) {
    if (a instanceof UndefinedPrimal || !(b instanceof UndefinedPrimal)) {
      throw new NonLinearError("[triangular_solve] is linear in b only: a must be a known value to transpose it.");
    }
    return [null, triangularSolve(a, ct, { ...p, transposeA: !p.transposeA })];
  },
  vmap([a, b], [da, db], p, size) {
    return [triangularSolve(batchFirst(a, da, size), batchFirst(b, db, size), p), 0];
  },
  printParams: (p) => ({
    left_side: p.leftSide,
    lower: p.lower,
    transpose_a: p.transposeA,
    conjugate_a: false,
    unit_diagonal: p.unitDiagonal,
  }),
  stablehlo: (c, xs, p) => lowerTriangularSolve(c, xs, p),
});

/** `lax.linalg.triangular_solve(a, b, ...)` with a and b of equal batch axes. */
export function triangularSolve(a: NdArray, b: NdArray, p: TriangularSolveParams): NdArray {
  const params = { leftSide: p.leftSide, lower: p.lower, transposeA: p.transposeA, unitDiagonal: p.unitDiagonal };
  return bind1(triangularSolveP, [a, b], params);
}
