/**
 * The routines the wasm backend runs (backend.ts): large float32 elementwise
 * operations, sums and maxima, sorts and cumulative operations, each on the
 * generated WebAssembly kernels. Each answers null where its operands do not
 * fit (dtype, size, broadcasting), and the cpu backend runs the routine instead.
 */
import { ShapedArray, shapesEqual } from "../../core/aval.js";
import { hostArray, NdArray } from "../../core/array.js";
import { outputBuffer } from "../../core/buffers.js";
import {
  BINARY_OPS,
  UNARY_OPS,
  wasmBinaryF32,
  wasmElementwiseAvailable,
  wasmUnaryF32,
  type WasmBinaryOp,
  type WasmUnaryOp,
} from "./elementwise.js";
import { kernelInput, kernelOutput, runKernel, type KernelOperand } from "./kernel-run.js";
import { allocOutput, WasmBuffer } from "./buffer.js";
import { radixSortLines, type RadixKeyType } from "./sort.js";
import { wasmCumulative, type CumulativeOp } from "./cumulative.js";
import { inputKind, matrixOf } from "../../kernel/shapes.js";
import type { Kernel, KernelInput, KernelOp, ReduceOver } from "../../kernel/ir.js";

/**
 * Sizes below which the plain-JS kernels run even on the wasm platform, where a JS loop
 * is as fast as copying into WebAssembly memory and back. Tests set them to 0 to run
 * every kernel they can on wasm.
 */
export const wasmThresholds = {
  /** Elements of a float32 elementwise operation. */
  elementwise: 256,
  /** Multiply-adds of a float32 matrix product. */
  matmul: 4096,
  /** Elements of a chain that jit fuses into one kernel. */
  fusion: 1024,
};

const UNARY = new Set<string>(UNARY_OPS);
const BINARY = new Set<string>(BINARY_OPS);

function useWasm(size: number): boolean {
  return size >= wasmThresholds.elementwise && wasmElementwiseAvailable();
}

/** `op(x)` on the wasm platform, or null when the reference kernel should run. */
export function wasmUnary(op: string, x: NdArray): NdArray | null {
  if (x.dtype !== "float32" || !UNARY.has(op) || !useWasm(x.size)) return null;
  const out = outputBuffer("float32", x.size) as Float32Array;
  if (!wasmUnaryF32(op as WasmUnaryOp, x._data as Float32Array, out)) return null;
  return hostArray(x.aval, out);
}

/** `op(x, y)` on the wasm platform (same shapes, or one scalar operand), or null. */
export function wasmBinary(op: string, x: NdArray, y: NdArray, weak: boolean): NdArray | null {
  if (x.dtype !== "float32" || y.dtype !== "float32" || !BINARY.has(op)) return null;
  const xs = x.aval.shape;
  const ys = y.aval.shape;
  const shape = x.size === 1 && y.size !== 1 ? ys : xs;
  const fits = shapesEqual(xs, ys) || (x.size === 1 && x.ndim <= y.ndim) || (y.size === 1 && y.ndim <= x.ndim);
  const size = Math.max(x.size, y.size);
  if (!fits || !useWasm(size)) return null;
  const out = outputBuffer("float32", size) as Float32Array;
  if (!wasmBinaryF32(op as WasmBinaryOp, x._data as Float32Array, y._data as Float32Array, out)) return null;
  return hostArray(new ShapedArray(shape, "float32", weak), out);
}

/**
 * reduce_sum / reduce_max of a float32 array on the wasm platform, over every
 * axis, every axis but the last, or the last (rows a multiple of 4 elements for
 * the last two), as a kernel with no operations: or null for the reference kernel.
 */
export function wasmReduce(reducer: "sum" | "max", x: NdArray, axes: number[]): NdArray | null {
  if (x.dtype !== "float32" || !useWasm(x.size) || x.ndim === 0) return null;
  const [rows, cols] = matrixOf(x.aval.shape);
  const sorted = [...axes].sort((a, b) => a - b);
  const over: ReduceOver | null =
    sorted.length === x.ndim
      ? "all"
      : sorted.length === x.ndim - 1 && sorted.every((a, i) => a === i)
        ? "rows"
        : sorted.length === 1 && sorted[0] === x.ndim - 1
          ? "cols"
          : null;
  if (over === null || (over !== "all" && cols % 4 !== 0)) return null;
  const kernel: Kernel = {
    inputs: [{ kind: "full", type: "float32" }],
    ops: [],
    outputs: [{ value: 0, kind: "reduce", reducer, over }],
  };
  const shape = x.aval.shape.filter((_, i) => !axes.includes(i));
  const out = new Float32Array(over === "all" ? 1 : over === "rows" ? cols : rows);
  if (!runKernel(kernel, [operandOf(x)], [out], rows, cols)) return null;
  return hostArray(new ShapedArray(shape, "float32", x.aval.weakType), out);
}

const RADIX_KEYS = new Set<string>(["float32", "int32", "uint32"]);

/**
 * The `sort` primitive on the wasm platform, when every key operand is float32,
 * int32 or uint32 (any carried operands): a stable radix sort with the reference's
 * order (NaN last, -0 equal to +0). Null for the reference kernel.
 */
export function wasmSort(xs: NdArray[], dimension: number, numKeys: number): NdArray[] | null {
  const x = xs[0];
  if (x.size < wasmThresholds.elementwise || x.size === 0) return null;
  if (numKeys < 1 || numKeys > xs.length || xs.slice(0, numKeys).some((k) => !RADIX_KEYS.has(k.dtype))) return null;
  const shape = x.aval.shape;
  const n = shape[dimension];
  const inner = shape.slice(dimension + 1).reduce((a, b) => a * b, 1);
  const outer = x.size / (n * inner);
  const outs = xs.map((a) => outputBuffer(a.dtype, a.size));
  radixSortLines(
    xs.slice(0, numKeys).map((k) => k.dtype as RadixKeyType),
    xs.map((a) => a._data!),
    outs,
    outer,
    n,
    inner,
  );
  sortCalls.radix++;
  return xs.map((a, j) => hostArray(a.aval, outs[j]));
}

/** How many times the fast sort and cumulative kernels ran (tests check the paths are taken). */
export const sortCalls = { radix: 0, cumulative: 0 };

/** cumsum/cumprod/cummax/cummin of a float32 array (or int32 but cumprod) on the wasm platform, or null. */
export function wasmCumulativeOp(op: CumulativeOp, x: NdArray, axis: number, reverse: boolean): NdArray | null {
  if (x.dtype !== "float32" && (x.dtype !== "int32" || op === "cumprod")) return null;
  if (!useWasm(x.size) || x.size === 0) return null;
  const shape = x.aval.shape;
  const n = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = x.size / (n * inner);
  const out = outputBuffer(x.dtype, x.size) as Float32Array | Int32Array;
  if (!wasmCumulative(op, x._data as Float32Array | Int32Array, out, outer, n, inner, reverse)) return null;
  sortCalls.cumulative++;
  return hostArray(x.aval, out);
}

const COMPARES = new Set(["lt", "le", "gt", "ge", "eq", "ne"]);
/** One-operation kernels by operation and operand kinds (kept, so that their compiled modules are found by object). */
const singleOpKernels = new Map<string, Kernel>();

function singleOpKernel(op: KernelOp["op"], inputs: KernelInput[]): Kernel {
  const key = `${op}:${inputs.map((i) => `${i.kind}/${i.type}`).join(",")}`;
  let k = singleOpKernels.get(key);
  if (k === undefined) {
    const args = inputs.map((_, i) => i);
    k = { inputs, ops: [{ op, args } as KernelOp], outputs: [{ value: inputs.length, kind: "store" }] };
    singleOpKernels.set(key, k);
  }
  return k;
}

/**
 * One elementwise operation as a kernel, for the cases the dedicated kernels
 * above do not take: operands in the pool's memory, float32 comparisons, `select_n` with a boolean predicate
 * and float32 cases, and float32 arithmetic whose operands broadcast by rows or
 * columns (a bias). Null when the operands do not fit (then the reference runs).
 */
export function wasmKernelOp(op: string, args: NdArray[], outShape: readonly number[]): NdArray | null {
  const size = outShape.reduce((a, b) => a * b, 1);
  if (!useWasm(size)) return null;
  const isSelect = op === "select_n";
  const floats = isSelect ? args.slice(1) : args;
  if (floats.some((a) => a.dtype !== "float32")) return null;
  if (isSelect && (args.length !== 3 || args[0].dtype !== "bool")) return null;
  if (!isSelect && !COMPARES.has(op) && !BINARY.has(op) && !(UNARY.has(op) && args.length === 1)) return null;
  const kinds = args.map((a) => inputKind(a.aval.shape, outShape));
  if (kinds.some((k) => k === null)) return null;
  const [rows, cols] = matrixOf(outShape);
  if (kinds.some((k) => k === "row" || k === "col") && cols % 4 !== 0) return null;
  const inputs = args.map(
    (a, i) => ({ kind: kinds[i]!, type: a.dtype === "bool" ? "bool" : "float32" }) as KernelInput,
  );
  const kernel = singleOpKernel((isSelect ? "select" : op) as KernelOp["op"], inputs);
  const outDtype = COMPARES.has(op) ? "bool" : "float32";
  const out = allocOutput(outDtype, size);
  if (!runKernel(kernel, args.map(operandOf), [kernelOutput(out)], rows, cols)) return null;
  const weak = outDtype === "float32" && floats.every((a) => a.aval.weakType);
  return new NdArray(new ShapedArray(outShape, outDtype, weak), out);
}

/** Whether `x` is an array in the pool's memory (a compiled program's intermediate value). */
export const isResident = (x: NdArray): boolean => x._buffer instanceof WasmBuffer;

/** A kernel operand: the array in the pool's memory, or its values in JS memory. */
const operandOf = (x: NdArray): KernelOperand => kernelInput(x._buffer!);
