/**
 * Lowering a run of jaxpr equations into one kernel (ir.ts): which equations
 * a kernel can take, and how their operands map onto its iteration space.
 *
 * A run has one shape S (its elementwise equations' output shape), seen as
 * [rows, cols] with cols = S's last axis. Operands from outside the run are
 * kernel inputs, classified by how they broadcast to S; `broadcast_in_dim` of
 * an outside operand is just another way to read it. A `reduce_sum` or
 * `reduce_max` of a run value over all axes, all but the last, or the last, is a
 * kernel output whose value later equations of the run cannot read (it is
 * complete only after the loop).
 */
import { readValues } from "../core/array.js";
import type { ShapedArray } from "../core/aval.js";
import { shapesEqual } from "../core/aval.js";
import { Literal, Var, type Atom, type JaxprEqn } from "../ir/jaxpr.js";
import { inputKind } from "../kernel/shapes.js";
import type { InputKind, Kernel, KernelInput, KernelOp, KernelOutput, KernelType, ReduceOver } from "../kernel/ir.js";

/** Elementwise primitives with a kernel operation of the same name (the backend's op lists). */
export interface KernelOpSet {
  unary: ReadonlySet<string>;
  binary: ReadonlySet<string>;
}

const COMPARE = new Set(["lt", "le", "gt", "ge", "eq", "ne"]);
const REDUCERS: Record<string, "sum" | "max"> = { reduce_sum: "sum", reduce_max: "max" };

const kernelType = (a: ShapedArray): KernelType | null =>
  a.dtype === "float32" ? "float32" : a.dtype === "bool" ? "bool" : null;

/** A literal's value as text, telling −0 from 0. */
const literalText = (a: Literal): string => {
  const v = readValues(a.value)[0];
  return Object.is(v, -0) ? "-0" : String(v);
};

/** The kind an outside operand is read as through `broadcast_in_dim` into shape `s`, or null. */
function broadcastKind(e: JaxprEqn, s: readonly number[]): InputKind | null {
  const x = e.inputs[0].aval;
  const { broadcastDimensions: dims } = e.params as { broadcastDimensions: number[] };
  if (x.size === 1) return "scalar";
  const last = s.length - 1;
  if (x.ndim === 1 && dims[0] === last && x.shape[0] === s[last]) return "row";
  if (dims.every((d, i) => d === i) && x.ndim === last && shapesEqual(x.shape, s.slice(0, last))) return "col";
  return null;
}

/** Is the equation an elementwise operation a kernel of shape `s` can run? */
export function isElementwise(e: JaxprEqn, s: readonly number[], ops: KernelOpSet): boolean {
  const out = e.outvars[0].aval;
  if (e.outvars.length !== 1 || !shapesEqual(out.shape, s)) return false;
  const name = e.prim.name;
  const f32 = (a: Atom) => a.aval.dtype === "float32";
  const reads = e.inputs.every((a) => inputKind(a.aval.shape, s) !== null);
  if (!reads) return false;
  if (name === "broadcast_in_dim") {
    // (An identity broadcast would read a run value: not taken.)
    const identity = shapesEqual(e.inputs[0].aval.shape, s);
    return !identity && kernelType(out) !== null && broadcastKind(e, s) !== null;
  }
  if (ops.unary.has(name)) return out.dtype === "float32" && f32(e.inputs[0]);
  if (ops.binary.has(name)) return out.dtype === "float32" && e.inputs.every(f32);
  if (COMPARE.has(name)) return e.inputs.every(f32);
  if (name === "not") return out.dtype === "bool";
  if (name === "select_n") {
    return e.inputs.length === 3 && e.inputs[0].aval.dtype === "bool" && kernelType(out) !== null;
  }
  return false;
}

/** Is the equation a reduction of a value of shape `s` that a kernel can compute? Returns where it reduces. */
export function reductionOver(e: JaxprEqn, s: readonly number[]): ReduceOver | null {
  if (!(e.prim.name in REDUCERS) || e.inputs[0].aval.dtype !== "float32" || !shapesEqual(e.inputs[0].aval.shape, s))
    return null;
  const axes = [...(e.params as { axes: number[] }).axes].sort((a, b) => a - b);
  if (axes.length === s.length) return "all";
  if (s.length >= 2 && axes.length === s.length - 1 && axes.every((a, i) => a === i)) return "rows";
  if (s.length >= 2 && axes.length === 1 && axes[0] === s.length - 1) return "cols";
  return null;
}

/**
 * The kernel for a run of equations (each elementwise over `s` or a reduction
 * of a run value), its outside operands in input order, and the run's
 * variables it writes (those in `usedLater`, and every reduction).
 */
export function lowerRun(
  run: JaxprEqn[],
  s: readonly number[],
  usedLater: Set<Var>,
): { kernel: Kernel; externals: Atom[]; outvars: Var[] } {
  const defined = new Set<Var>(run.flatMap((e) => e.outvars));
  const isInternal = (a: Atom) => a instanceof Var && defined.has(a);
  const externals: Atom[] = [];
  const inputs: KernelInput[] = [];
  const index = new Map<Atom, number>();
  const seen = new Map<Atom | string, Map<InputKind, number>>();
  /** The input reading outside operand `a` as `kind` (one input per operand, or literal value, and kind). */
  const external = (a: Atom, kind: InputKind): number => {
    const key = a instanceof Literal ? `${a.aval.str()}:${literalText(a)}` : a;
    let byKind = seen.get(key);
    if (byKind === undefined) seen.set(key, (byKind = new Map()));
    let k = byKind.get(kind);
    if (k === undefined) {
      k = externals.length;
      externals.push(a);
      inputs.push({ kind, type: kernelType(a.aval)! });
      byKind.set(kind, k);
    }
    return k;
  };
  const valueOf = (a: Atom): number => (isInternal(a) ? index.get(a)! : external(a, inputKind(a.aval.shape, s)!));
  // Outside operands first: their indices come before the operations'.
  for (const e of run) {
    if (e.prim.name === "broadcast_in_dim") index.set(e.outvars[0], external(e.inputs[0], broadcastKind(e, s)!));
    else if (!(e.prim.name in REDUCERS)) e.inputs.forEach((a) => !isInternal(a) && valueOf(a));
  }
  const ops: KernelOp[] = [];
  const outputs: KernelOutput[] = [];
  const outvars: Var[] = [];
  for (const e of run) {
    const over = reductionOver(e, s);
    if (over !== null) {
      outputs.push({ value: valueOf(e.inputs[0]), kind: "reduce", reducer: REDUCERS[e.prim.name], over });
      outvars.push(e.outvars[0]);
      continue;
    }
    if (e.prim.name === "broadcast_in_dim") continue;
    const args = e.inputs.map(valueOf);
    // select_n(pred, onFalse, onTrue)
    ops.push({ op: e.prim.name === "select_n" ? "select" : e.prim.name, args } as KernelOp);
    index.set(e.outvars[0], externals.length + ops.length - 1);
  }
  for (const e of run) {
    const v = e.outvars[0];
    if (reductionOver(e, s) === null && usedLater.has(v)) {
      outputs.push({ value: index.get(v)!, kind: "store" });
      outvars.push(v);
    }
  }
  return { kernel: { inputs, ops, outputs }, externals, outvars };
}
