/**
 * The wasm backend: WebAssembly generated at run time, on values in JS memory
 * (the cpu backend's buffers) and, inside compiled programs, on intermediate
 * arrays kept in the worker pool's memory (buffer.ts). It compiles fused float32 loops of the kernel
 * IR, and runs the routines it does fast: float32 elementwise maps, sums and
 * maxima, matrix products and convolutions (as products), sorts and cumulative operations of at least a few
 * hundred elements. Everything else it answers null for, and cpu runs it.
 */
import type { ShapedArray } from "../../core/aval.js";
import { NdArray } from "../../core/array.js";
import { HostBuffer, type DeviceBuffer } from "../../core/buffer.js";
import type { TypedArray } from "../../core/dtypes.js";
import type { Kernel } from "../../kernel/ir.js";
import type { Routine, RoutineName, RoutineOf } from "../../kernel/routines.js";
import type { Backend, Executable, KernelSupport } from "../interface.js";
import { cpuBackend } from "../cpu/backend.js";
import { allocOutput } from "./buffer.js";
import {
  isResident,
  wasmBinary,
  wasmCumulativeOp,
  wasmKernelOp,
  wasmReduce,
  wasmSort,
  wasmThresholds,
  wasmUnary,
} from "./routines.js";
import { wasmDotGeneral } from "./dot.js";
import { wasmConv } from "./conv.js";
import { BINARY_OPS, UNARY_OPS, wasmElementwiseAvailable } from "./elementwise.js";
import { kernelInput, kernelOutput, runKernel } from "./kernel-run.js";

/** A routine on wasm: the results, or null for the cpu to run it. */
type WasmRoutine<N extends RoutineName> = (r: RoutineOf<N>, xs: NdArray[], outs: ShapedArray[]) => NdArray[] | null;

const one = (x: NdArray | null): NdArray[] | null => (x === null ? null : [x]);

const ROUTINES: { [N in RoutineName]?: WasmRoutine<N> } = {
  // Operands in the pool's memory go to a kernel that reads them in place.
  unary: ({ op }, [x], [o]) => one(isResident(x) ? wasmKernelOp(op, [x], o.shape) : wasmUnary(op, x)),
  binary: ({ op }, [x, y], [o]) =>
    one(
      (isResident(x) || isResident(y) ? null : wasmBinary(op, x, y, o.weakType)) ?? wasmKernelOp(op, [x, y], o.shape),
    ),
  select: (_r, xs, [o]) => one(wasmKernelOp("select_n", xs, o.shape)),
  reduce: ({ reducer, axes }, [x]) =>
    reducer === "sum" || reducer === "max" ? one(wasmReduce(reducer, x, axes)) : null,
  cumulative: ({ op, axis, reverse }, [x]) => one(wasmCumulativeOp(op, x, axis, reverse)),
  sort: ({ dimension, numKeys }, xs) => wasmSort(xs, dimension, numKeys),
  dot_general: wasmDotGeneral,
  conv_general_dilated: wasmConv,
};

const SUPPORT: KernelSupport = {
  unary: new Set<string>(UNARY_OPS),
  binary: new Set<string>(BINARY_OPS),
  get minSize() {
    return wasmThresholds.fusion;
  },
  // The worker pool passes at most 20 arguments to a kernel, 6 of them sizes.
  maxBuffers: 14,
  // Row and column inputs are read four lanes at a time.
  colsMultiple: 4,
};

export const wasmBackend: Backend = {
  platform: "wasm",
  available: wasmElementwiseAvailable,
  upload: cpuBackend.upload,
  // Inside a compiled program, results stay in the pool's memory for the next kernel (buffer.ts).
  alloc: allocOutput,
  kernelSupport: () => (wasmElementwiseAvailable() ? SUPPORT : null),
  compile: (kernel: Kernel): Executable | null => (wasmElementwiseAvailable() ? { kernel } : null),
  run(exe: Executable, inputs: DeviceBuffer[], outputs: DeviceBuffer[], rows: number, cols: number): boolean {
    return runKernel(exe.kernel, inputs.map(kernelInput), outputs.map(kernelOutput), rows, cols);
  },
  routine(r: Routine, inputs: DeviceBuffer[], inAvals: ShapedArray[], outAvals: ShapedArray[]): DeviceBuffer[] | null {
    const run = ROUTINES[r.name] as WasmRoutine<RoutineName> | undefined;
    if (run === undefined) return null;
    // Below a few hundred elements a JS loop beats copying into WebAssembly memory and back
    // (matrix products and convolutions weigh their multiply-adds themselves).
    const size = Math.max(outAvals[0].size, inAvals.length > 0 ? inAvals[0].size : 0);
    if (r.name !== "dot_general" && r.name !== "conv_general_dilated" && size < wasmThresholds.elementwise) return null;
    const xs = new Array<NdArray>(inputs.length);
    for (let i = 0; i < inputs.length; i++) xs[i] = new NdArray(inAvals[i], inputs[i]);
    const outs = run(r, xs, outAvals);
    return outs === null ? null : outs.map((o) => o._buffer ?? new HostBuffer(o.dtype, o._data as TypedArray));
  },
};
