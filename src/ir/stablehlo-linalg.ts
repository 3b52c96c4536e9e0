/**
 * StableHLO lowerings of the linear-algebra primitives. cholesky and triangular_solve have
 * StableHLO ops; lu, qr, eigh and svd are the LAPACK custom calls JAX's CPU lowering emits
 * (`lapack_sgetrf_ffi`, `lapack_sgeqrf_ffi` + `lapack_sorgqr_ffi`, `lapack_ssyevd_ffi`,
 * `lapack_sgesdd_ffi`; `d` for float64), on column-major layouts, with JAX's post-processing
 * (0-based pivots and the permutation, r's triangle). Unlike JAX, a failed factorization's
 * info is not turned into NaNs.
 */
import { ShapedArray } from "../core/aval.js";
import type { StableHloEmitter } from "./stablehlo-emit.js";
import { emitWhile } from "./stablehlo-control.js";

/** `dense<[1, 2, 0]> : tensor<3xindex>`: column-major on the last two axes for matrices, row-major else. */
function layout(a: ShapedArray, matrix: boolean): string {
  const r = a.ndim;
  const dims =
    matrix && r >= 2
      ? [r - 2, r - 1, ...Array.from({ length: r - 2 }, (_, i) => r - 3 - i)]
      : Array.from({ length: r }, (_, i) => r - 1 - i);
  if (r === 0) return "dense<> : tensor<0xindex>";
  return `dense<${r === 1 ? dims[0] : `[${dims.join(", ")}]`}> : tensor<${r}xindex>`;
}

/** A LAPACK FFI custom call: `stablehlo.custom_call @lapack_sgetrf_ffi(%a) {api_version = 4 : i32, ...}`. */
function lapack(
  c: StableHloEmitter,
  routine: string,
  operands: string[],
  ins: ShapedArray[],
  outs: ShapedArray[],
  matrixOut: boolean[],
  config = "",
): string[] {
  const prefix = ins[0].dtype === "float64" ? "d" : "s";
  const attrs = [
    "api_version = 4 : i32",
    `mhlo.backend_config = {${config}}`,
    `operand_layouts = [${ins.map((a) => layout(a, true)).join(", ")}]`,
    `result_layouts = [${outs.map((a, i) => layout(a, matrixOut[i])).join(", ")}]`,
  ].join(", ");
  return c.op(
    `stablehlo.custom_call @lapack_${prefix}${routine}_ffi(${operands.join(", ")}) {${attrs}} : ${c.fnType(ins, outs)}`,
    outs.length,
  );
}

/** `x` with zeros strictly above (keepLower) or below the diagonal offset 0: iota compares and a select. */
function triangle(c: StableHloEmitter, x: string, a: ShapedArray, keepLower: boolean): string {
  const r = a.ndim;
  const i32 = new ShapedArray(a.shape, "int32");
  const rows = c.op(`stablehlo.iota dim = ${r - 2} : ${c.type(i32)}`)[0];
  const cols = c.op(`stablehlo.iota dim = ${r - 1} : ${c.type(i32)}`)[0];
  const keep = c.compare(keepLower ? "GE" : "LE", rows, cols, i32);
  return c.select(keep, x, c.constant(0, a), a);
}

/** cholesky: `stablehlo.cholesky %x, lower = true`, zeros above the diagonal (as JAX's tril). */
export function lowerCholesky(c: StableHloEmitter, x: string): string {
  const a = c.outAvals[0];
  const l = c.op(`stablehlo.cholesky ${x}, lower = true : ${c.type(a)}`)[0];
  return triangle(c, l, a, true);
}

/** triangular_solve: `"stablehlo.triangular_solve"(%a, %b)` with the side, triangle and transpose. */
export function lowerTriangularSolve(
  c: StableHloEmitter,
  [a, b]: string[],
  p: { leftSide: boolean; lower: boolean; transposeA: boolean; unitDiagonal: boolean },
): string {
  const attrs =
    `left_side = ${p.leftSide}, lower = ${p.lower}, ` +
    `transpose_a = #stablehlo<transpose ${p.transposeA ? "TRANSPOSE" : "NO_TRANSPOSE"}>, unit_diagonal = ${p.unitDiagonal}`;
  return c.generic("stablehlo.triangular_solve", [a, b], c.inAvals, c.outAvals, attrs)[0];
}

/**
 * lu: getrf gives lu, 1-based pivots and info; pivots - 1, and the permutation from the
 * pivots by a loop of swaps (perm starts as iota; step k swaps entries k and pivots[k]).
 */
export function lowerLu(c: StableHloEmitter, x: string): string[] {
  const [luA, pivA, permA] = c.outAvals;
  const info = new ShapedArray(luA.shape.slice(0, -2), "int32");
  const [lu, ipiv] = lapack(c, "getrf", [x], [c.inAvals[0]], [luA, pivA, info], [true, false, false]);
  const pivots = c.binary("subtract", ipiv, c.constant(1, pivA), pivA);
  const r = permA.ndim;
  const iota = c.op(`stablehlo.iota dim = ${r - 1} : ${c.type(permA)}`)[0];
  const i32 = new ShapedArray([], "int32");
  const batchK = permA.withShape(permA.shape.slice(0, -1));
  const kSteps = pivA.shape[r - 1];
  const [, perm] = emitWhile(
    c,
    [c.constant(0, i32), iota],
    [i32, permA],
    ([k]) => c.compare("LT", k, c.constant(kSteps, i32), i32),
    ([k, p]) => {
      // j = pivots[..., k]; pk = p[..., k]; pj = p[..., j] (masked sums over the last axis).
      const kB = c.broadcastInDim(k, i32, permA, []);
      const atK = c.compare("EQ", iota, kB, permA);
      const pivFull = pivA.shape[r - 1] === permA.shape[r - 1] ? pivots : padLast(c, pivots, pivA, permA);
      const zero = c.constant(0, permA);
      const sumLast = (v: string) => c.reduce([v], [c.constant(0, i32)], [permA], [r - 1], "add")[0];
      const j = sumLast(c.select(atK, pivFull, zero, permA));
      const atJ = c.compare("EQ", iota, c.broadcastInDim(j, batchK, permA, range(r - 1)), permA);
      const pk = c.broadcastInDim(sumLast(c.select(atK, p, zero, permA)), batchK, permA, range(r - 1));
      const pj = c.broadcastInDim(sumLast(c.select(atJ, p, zero, permA)), batchK, permA, range(r - 1));
      const swapped = c.select(atK, pj, c.select(atJ, pk, p, permA), permA);
      return [c.binary("add", k, c.constant(1, i32), i32), swapped];
    },
  );
  return [lu, pivots, perm];
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Pads the last axis of `x` with zeros up to `to`'s. */
function padLast(c: StableHloEmitter, x: string, a: ShapedArray, to: ShapedArray): string {
  const hi = a.shape.map((d, i) => (i === a.ndim - 1 ? to.shape[i] - d : 0));
  const zeros = a.shape.map(() => 0);
  const list = (v: number[]) => `[${v.join(", ")}]`;
  return c.op(
    `stablehlo.pad ${x}, ${c.constant(0, a.withShape([]))}, low = ${list(zeros)}, high = ${list(hi)}, interior = ${list(zeros)} : ` +
      c.fnType([a, a.withShape([])], [to]),
  )[0];
}

/** qr: geqrf (Householder vectors and tau), orgqr for q (from the first columns), r the upper triangle. */
export function lowerQr(c: StableHloEmitter, x: string): string[] {
  const a = c.inAvals[0].withWeak(false);
  const [qA, rA] = c.outAvals;
  const [m, n] = a.shape.slice(-2);
  const batch = a.shape.slice(0, -2);
  const k = Math.min(m, n);
  const tauA = a.withShape([...batch, k]);
  const [h, tau] = lapack(c, "geqrf", [x], [a], [a, tauA], [true, false]);
  const qCols = qA.shape[qA.ndim - 1];
  const hq = sliceOrPadCols(c, h, a, qCols);
  const hqA = a.withShape([...batch, m, qCols]);
  const [q] = lapack(c, "orgqr", [hq, tau], [hqA, tauA], [qA], [true]);
  const rRows = rA.shape[rA.ndim - 2];
  const top = sliceOrPadRows(c, h, a, rRows);
  return [q, triangle(c, top, rA, false)];
}

function sliceOrPadCols(c: StableHloEmitter, x: string, a: ShapedArray, cols: number): string {
  const n = a.shape[a.ndim - 1];
  if (cols === n) return x;
  const to = a.withShape([...a.shape.slice(0, -1), cols]);
  if (cols < n) {
    const ranges = a.shape.map((d, i) => `0:${i === a.ndim - 1 ? cols : d}`);
    return c.op(`stablehlo.slice ${x} [${ranges.join(", ")}] : ${c.fnType([a], [to])}`)[0];
  }
  return padLast(c, x, a, to);
}

function sliceOrPadRows(c: StableHloEmitter, x: string, a: ShapedArray, rows: number): string {
  const m = a.shape[a.ndim - 2];
  if (rows === m) return x;
  const to = a.withShape([...a.shape.slice(0, -2), rows, a.shape[a.ndim - 1]]);
  const ranges = a.shape.map((d, i) => `0:${i === a.ndim - 2 ? rows : d}`);
  return c.op(`stablehlo.slice ${x} [${ranges.join(", ")}] : ${c.fnType([a], [to])}`)[0];
}

/** eigh: syevd with eigenvectors (mode 'V' = 86) from the lower ('L' = 76) or upper ('U' = 85) triangle. */
export function lowerEigh(c: StableHloEmitter, x: string, lower: boolean): string[] {
  const a = c.inAvals[0].withWeak(false);
  const [vA, wA] = c.outAvals;
  const info = new ShapedArray(a.shape.slice(0, -2), "int32");
  const config = `mode = 86 : ui8, uplo = ${lower ? 76 : 85} : ui8`;
  const [v, w] = lapack(c, "syevd", [x], [a], [vA, wA, info], [true, false, false], config);
  return [v, w];
}

/** svd: gesdd with mode 'A' (65, full), 'S' (83, reduced) or 'N' (78, values only). */
export function lowerSvd(c: StableHloEmitter, x: string, fullMatrices: boolean, computeUv: boolean): string[] {
  const a = c.inAvals[0].withWeak(false);
  const [m, n] = a.shape.slice(-2);
  const batch = a.shape.slice(0, -2);
  const k = Math.min(m, n);
  const sA = c.outAvals[0];
  const uA = computeUv ? c.outAvals[1] : a.withShape([...batch, m, fullMatrices ? m : k]);
  const vtA = computeUv ? c.outAvals[2] : a.withShape([...batch, fullMatrices ? n : k, n]);
  const info = new ShapedArray(batch, "int32");
  const mode = !computeUv ? 78 : fullMatrices ? 65 : 83;
  const outs = lapack(
    c,
    "gesdd",
    [x],
    [a],
    [a, sA, uA, vtA, info],
    [true, false, true, true, false],
    `mode = ${mode} : ui8`,
  );
  return computeUv ? [outs[1], outs[2], outs[3]] : [outs[1]];
}
