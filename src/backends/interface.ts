/**
 * The backend interface: what every backend implements (`Backend`), what its
 * compiled kernels are (`Executable`) and which operations fusion may give it
 * (`KernelSupport`). The backends import it from here; the registry and
 * everything above the backends read it through api.ts.
 */
import type { ShapedArray } from "../core/aval.js";
import type { DeviceBuffer } from "../core/buffer.js";
import type { DType, TypedArray } from "../core/dtypes.js";
import type { Kernel } from "../kernel/ir.js";
import type { Routine } from "../kernel/routines.js";

export type Platform = "cpu" | "wasm" | "webgpu";

/** A compiled kernel, ready to run on the backend that compiled it. */
export interface Executable {
  readonly kernel: Kernel;
}

/** Which elementwise operations a backend's compiled kernels take, and from what size fusing pays. */
export interface KernelSupport {
  unary: ReadonlySet<string>;
  binary: ReadonlySet<string>;
  /** Fused loops smaller than this many elements are left to the routines. */
  minSize: number;
  /** The most buffers (inputs and outputs) one kernel may take. */
  maxBuffers: number;
  /** Kernels that follow rows (row/col inputs, reductions by rows or columns) need cols a multiple of this. */
  colsMultiple: number;
}

export interface Backend {
  readonly platform: Platform;
  /** False where the backend cannot run (no WebAssembly SIMD, no GPU adapter). */
  available(): boolean;
  /** A buffer holding `data` (which the caller gives up). */
  upload(dtype: DType, data: TypedArray): DeviceBuffer;
  /** A buffer of `size` elements, to be written by a kernel or routine. */
  alloc(dtype: DType, size: number): DeviceBuffer;
  /** What `compile` takes; null when the backend compiles no kernels. */
  kernelSupport(): KernelSupport | null;
  /** A loop of the kernel IR compiled for this backend; null: not here (the caller runs the equations instead). */
  compile(kernel: Kernel): Executable | null;
  /**
   * Runs a compiled kernel over the iteration space [rows, cols]. False when it
   * cannot run this time (e.g. memory is short): the outputs are then unspecified.
   */
  run(exe: Executable, inputs: DeviceBuffer[], outputs: DeviceBuffer[], rows: number, cols: number): boolean;
  /** Runs a routine; null when this backend does not run it (or not for these operands). */
  routine(r: Routine, inputs: DeviceBuffer[], inAvals: ShapedArray[], outAvals: ShapedArray[]): DeviceBuffer[] | null;
}
