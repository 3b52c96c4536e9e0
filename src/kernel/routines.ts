/**
 * Routines: the named operations a primitive lowers to when it is not a fused
 * loop of the kernel IR (ir.ts), with their static parameters. A backend runs a
 * routine on buffers; the shapes and dtypes of the operands and results come
 * with the call (`Backend.routine`). `cpu` implements every routine (a total
 * table: a missing one does not compile); other backends take those they run
 * fast and answer null for the rest.
 *
 * Backends see routines and kernels, never primitives: a primitive's `lower`
 * rule says which routine computes it.
 */
import type { BinaryOpName, UnaryOpName } from "./ops.js";

export type Reducer = "sum" | "max" | "min" | "prod" | "and" | "or";
export type CumulativeOp = "cumsum" | "cumprod" | "cummax" | "cummin";
export type ScatterMode = "set" | "add" | "mul" | "min" | "max";

export type Routine =
  /** An elementwise operation of the op table (ops.ts), operands broadcasting as NumPy's. */
  | { name: "unary"; op: UnaryOpName }
  | { name: "binary"; op: BinaryOpName }
  /** polygamma(n, x), n static. */
  | { name: "polygamma"; n: number }
  /** select_n(pred, ...cases): cases[pred] elementwise, broadcasting. */
  | { name: "select" }
  /** convert_element_type: float → int truncates (NaN → 0) and saturates, → bool is x ≠ 0. */
  | { name: "convert" }
  /** The same bits seen as another 32-bit dtype. */
  | { name: "bitcast" }
  /** Strided copies. */
  | { name: "broadcast_in_dim"; broadcastDimensions: number[] }
  | { name: "transpose"; permutation: number[] }
  | { name: "slice"; startIndices: number[]; strides: number[] }
  | { name: "pad"; config: [number, number, number][] }
  | { name: "concatenate"; dimension: number }
  | { name: "rev"; dimensions: number[] }
  | { name: "iota"; dimension: number }
  /** Contraction over `contracting` axes, batched over `batch` axes (lax.dot_general). */
  | { name: "dot_general"; contracting: [number[], number[]]; batch: [number[], number[]] }
  | { name: "reduce"; reducer: Reducer; axes: number[] }
  | { name: "argreduce"; which: "argmax" | "argmin"; axis: number }
  | { name: "cumulative"; op: CumulativeOp; axis: number; reverse: boolean }
  /** Stable sort of all operands along `dimension` by the first `numKeys` (lexicographic). */
  | { name: "sort"; dimension: number; numKeys: number }
  /**
   * x at int indices idx [...batch, k] on `axes` (k = axes.length), whole slices elsewhere: the result is
   * [...batch, ...x.shape without axes]; out-of-range indices are clamped into range.
   */
  | { name: "gather"; axes: number[] }
  /** A copy of x with updates (shaped as gather's result) combined in by `mode`; out-of-range updates are dropped. */
  | { name: "scatter"; axes: number[]; mode: ScatterMode }
  /** The threefry2x32 block cipher on (key0, key1, x0, x1). */
  | { name: "threefry2x32" }
  /**
   * lax.conv_general_dilated: specs give [batch, feature, ...spatial] axes of lhs and out and
   * [out feature, in feature, ...spatial] of rhs; padding is one [lo, hi] pair per spatial axis.
   */
  | {
      name: "conv_general_dilated";
      windowStrides: number[];
      /** One [lo, hi] pair per spatial axis. */
      padding: [number, number][];
      lhsDilation: number[];
      rhsDilation: number[];
      /** lhs axes [batch, feature, ...spatial]. */
      lhsSpec: number[];
      /** rhs axes [out feature, in feature, ...spatial]. */
      rhsSpec: number[];
      /** out axes [batch, feature, ...spatial]. */
      outSpec: number[];
      featureGroupCount: number;
      batchGroupCount: number;
    }
  /** lax.reduce_window_{sum,max,min}: one window over every axis; padding and dilation holes are the identity. */
  | ({ name: "reduce_window"; reducer: "sum" | "max" | "min" } & WindowParams)
  /** Per window, t at the position of x's max (min) in it, 0 for windows with no element (JAX's select_and_gather_add). */
  | ({ name: "select_and_gather_add"; select: "max" | "min" } & WindowParams)
  /** Its transpose: each window's ct added at the position of x's max (min) in that window. */
  | ({ name: "select_and_scatter_add"; select: "max" | "min" } & WindowParams)
  /** Cholesky factor L (zeros above the diagonal) of [..., n, n] from its lower triangle; NaN where not positive definite. */
  | { name: "cholesky" }
  /** LU with partial pivoting of [..., m, n]: lu (L's strict lower part and U), pivots [..., min(m,n)], permutation [..., m] (int32). */
  | { name: "lu" }
  /** Solves op(a)·x = b (leftSide) or x·op(a) = b, a triangular, equal batch axes; op(a) = aᵀ when transposeA. */
  | { name: "triangular_solve"; leftSide: boolean; lower: boolean; transposeA: boolean; unitDiagonal: boolean }
  /** Householder QR of [..., m, n]: q [..., m, m or k] and r [..., m or k, n], k = min(m, n) (LAPACK's signs). */
  | { name: "qr"; fullMatrices: boolean }
  /** Symmetric eigendecomposition from one triangle of [..., n, n]: v (eigenvectors as columns), w (ascending when sorted). */
  | { name: "eigh"; lower: boolean; sortEigenvalues: boolean }
  /** SVD of [..., m, n]: s descending [..., k], then u and vt (reduced or full) when computeUv. */
  | { name: "svd"; fullMatrices: boolean; computeUv: boolean };

/** The window of a reduce_window: one entry per axis of the operand. */
export interface WindowParams {
  windowDimensions: number[];
  windowStrides: number[];
  padding: [number, number][];
  baseDilation: number[];
  windowDilation: number[];
}

export type RoutineName = Routine["name"];
export type RoutineOf<N extends RoutineName> = Extract<Routine, { name: N }>;

/** The name of a routine as the primitive users called reads it (for error messages). */
export function routineLabel(r: Routine): string {
  if (r.name === "unary" || r.name === "binary") return r.op;
  if (r.name === "reduce") return `reduce_${r.reducer}`;
  if (r.name === "cumulative") return r.op;
  if (r.name === "argreduce") return r.which;
  if (r.name === "select") return "select_n";
  if (r.name === "convert") return "convert_element_type";
  return r.name;
}
