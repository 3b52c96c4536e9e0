/**
 * The loop-level kernel IR that jit lowers fused regions of a jaxpr into.
 *
 * A kernel is one loop nest over an array of shape [rows, cols] (the region's
 * shape, seen as a matrix: cols is its last axis, rows the product of the
 * others). Every value in the loop is one element of that matrix (four lanes at
 * a time in the generated code). Inputs are read by how they broadcast to it;
 * operations are elementwise; outputs are either stored elementwise or
 * reduced. Backends see kernels, never primitives: a backend that compiles
 * kernels turns one into one generated function (`Backend.compile`).
 */

/** How an input maps onto the [rows, cols] iteration space. */
export type InputKind =
  /** Same shape: element (r, c). */
  | "full"
  /** One value for every element. */
  | "scalar"
  /** A vector of length cols repeated on every row (a bias): element c. */
  | "row"
  /** A vector of length rows repeated along each row: element r. */
  | "col";

/** Value types inside a kernel: float32 numbers, or booleans (comparison results). */
export type KernelType = "float32" | "bool";

export interface KernelInput {
  kind: InputKind;
  type: KernelType;
}

export type UnaryOpName =
  | "neg"
  | "abs"
  | "sqrt"
  | "rsqrt"
  | "exp"
  | "log"
  | "log1p"
  | "expm1"
  | "sin"
  | "cos"
  | "tanh"
  | "logistic"
  | "floor"
  | "ceil"
  | "sign"
  | "tan"
  | "erf";
export type BinaryOpName = "add" | "sub" | "mul" | "div" | "max" | "min" | "pow";
export type CompareOpName = "lt" | "le" | "gt" | "ge" | "eq" | "ne";

/**
 * One operation. `args` index the kernel's values: inputs first (in order),
 * then one value per operation. `select` is lax.select_n with a boolean
 * predicate: args [pred, onFalse, onTrue].
 */
export type KernelOp =
  | { op: UnaryOpName; args: [number] }
  | { op: BinaryOpName; args: [number, number] }
  | { op: CompareOpName; args: [number, number] }
  | { op: "select"; args: [number, number, number] }
  | { op: "not"; args: [number] };

/**
 * Where a reduction goes: over every element (a scalar), over the rows (one
 * result per column: all axes but the last reduced), or over the columns (one
 * result per row: the last axis reduced).
 */
export type ReduceOver = "all" | "rows" | "cols";

/** What the kernel writes for a value: the value itself (an array of the kernel's shape), or a reduction of it. */
export type KernelOutput =
  { value: number; kind: "store" } | { value: number; kind: "reduce"; reducer: "sum" | "max"; over: ReduceOver };

export interface Kernel {
  inputs: KernelInput[];
  ops: KernelOp[];
  outputs: KernelOutput[];
}

/** A stable key for caching compiled kernels (sizes are run-time arguments, not part of it). */
export const kernelKey = (k: Kernel): string => JSON.stringify(k);

/** The type of every value of a kernel (inputs, then one per operation). */
export function valueTypes(k: Kernel): KernelType[] {
  const types = k.inputs.map((i) => i.type);
  for (const o of k.ops) {
    const cmp = ["lt", "le", "gt", "ge", "eq", "ne"].includes(o.op);
    types.push(cmp || o.op === "not" ? "bool" : o.op === "select" ? types[o.args[1]] : "float32");
  }
  return types;
}

/** True if the kernel's loop must follow the real rows (row/col inputs, reductions over rows or columns). */
export const needsRows = (k: Kernel): boolean =>
  k.inputs.some((i) => i.kind === "row" || i.kind === "col") ||
  k.outputs.some((o) => o.kind === "reduce" && o.over !== "all");

/** Does the output accumulate per row (one partial per row: reductions over everything, or over columns)? */
export const perRow = (o: KernelOutput): boolean => o.kind === "reduce" && o.over !== "rows";
