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
  | { name: "threefry2x32" };

export type RoutineName = Routine["name"];
export type RoutineOf<N extends RoutineName> = Extract<Routine, { name: N }>;
