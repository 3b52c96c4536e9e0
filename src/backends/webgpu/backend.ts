/**
 * The webgpu backend: arrays in GPU memory (buffer.ts), fused loops of the
 * kernel IR as WGSL (wgsl-kernel.ts), and the routines it runs on the GPU:
 * elementwise maps, conversions, strided copies, reductions (routines.ts) and
 * dot_general (matmul.ts), and the routines of routine-table.ts. It answers null for every other routine; on GPU
 * operands backends/api.ts then throws a typed error naming the primitive (no
 * synchronous read exists to move them to cpu).
 *
 * Ready after `await init("webgpu")` (device.ts), never before.
 */
import type { ShapedArray } from "../../core/aval.js";
import type { DeviceBuffer } from "../../core/buffer.js";
import type { DType, TypedArray } from "../../core/dtypes.js";
import { kernelKey, type Kernel } from "../../kernel/ir.js";
import { routineLabel, type Routine } from "../../kernel/routines.js";
import type { Backend, Executable, KernelSupport } from "../interface.js";
import { allocGpu, onGpu, uploadGpu, wgslType, WebGpuBuffer } from "./buffer.js";
import { gpuDevice, hasDevice, openDevice } from "./device.js";
import { dotGeneral } from "./matmul.js";
import { elementwiseRoutine } from "./routines.js";
import type { GpuRoutine } from "./gpu-routine.js";
import { GPU_ROUTINES } from "./routine-table.js";
import { kernelShaders, recordKernel, type WgslKernel } from "./wgsl-kernel.js";

interface WgslExecutable extends Executable {
  shaders: WgslKernel;
}

/** Generated shaders by kernel (null: not expressible in WGSL here). */
const compiled = new Map<string, WgslKernel | null>();

const KERNEL_UNARY = ["neg", "abs", "sqrt", "rsqrt", "exp", "exp2", "log", "log1p", "expm1", "sin", "cos", "tanh"];
/** Float ops with a WGSL form in wgsl-ops.ts beyond the common ones: fused too. */
const KERNEL_SPECIAL = ["asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "cbrt", "erfc", "erf_inv"];
const SUPPORT: KernelSupport = {
  unary: new Set([
    ...KERNEL_UNARY,
    ...KERNEL_SPECIAL,
    ...["logistic", "floor", "ceil", "round", "round_even", "trunc", "sign", "tan", "erf", "lgamma", "digamma"],
  ]),
  binary: new Set(["add", "sub", "mul", "div", "max", "min", "pow", "atan2", "rem"]),
  minSize: 1,
  // Chromium allows 10 storage buffers per shader; lavapipe and Dawn's defaults 8 or more.
  get maxBuffers() {
    return Math.min(8, gpuDevice().maxStorageBuffers);
  },
  colsMultiple: 1,
};

/**
 * Scalars computed only from values in JS memory stay there: jit reads such
 * constants synchronously while it traces (literals, predicates).
 */
const hostScalar = (inputs: DeviceBuffer[], outSizes: number[]): boolean =>
  inputs.every((b) => !(b instanceof WebGpuBuffer)) && outSizes.every((n) => n <= 1);

/** float64 anywhere among the avals: a DTypeError naming the choice. */
function checkDtypes(op: string, avals: ShapedArray[]): void {
  for (const a of avals) wgslType(a.dtype, op);
}

export const webgpuBackend: Backend = {
  platform: "webgpu",
  available: hasDevice,
  upload: (dtype: DType, data: TypedArray): DeviceBuffer => uploadGpu(dtype, data),
  alloc: (dtype: DType, size: number): DeviceBuffer => allocGpu(dtype, size),
  kernelSupport: () => (hasDevice() ? SUPPORT : null),
  compile(kernel: Kernel): Executable | null {
    if (!hasDevice()) return null;
    const key = kernelKey(kernel);
    let shaders = compiled.get(key);
    if (shaders === undefined) {
      shaders = kernelShaders(kernel);
      compiled.set(key, shaders);
    }
    return shaders === null ? null : ({ kernel, shaders } as WgslExecutable);
  },
  run(exe: Executable, inputs: DeviceBuffer[], outputs: DeviceBuffer[], rows: number, cols: number): boolean {
    const { maxBinding } = gpuDevice();
    if (
      rows * cols * 4 > maxBinding ||
      hostScalar(
        inputs,
        outputs.map((o) => o.size),
      )
    )
      return false;
    const ins = inputs.map((b) => onGpu(b, "jit").gpu);
    const outs = outputs.map((b) => (b as WebGpuBuffer).gpu);
    recordKernel((exe as WgslExecutable).shaders, ins, outs, rows, cols);
    return true;
  },
  routine(r: Routine, inputs: DeviceBuffer[], inAvals: ShapedArray[], outAvals: ShapedArray[]): DeviceBuffer[] | null {
    const label = routineLabel(r);
    checkDtypes(label, inAvals);
    checkDtypes(label, outAvals);
    const { maxBinding } = gpuDevice();
    if (
      hostScalar(
        inputs,
        outAvals.map((a) => a.size),
      )
    )
      return null;
    if ([...inAvals, ...outAvals].some((a) => a.size * 4 > maxBinding)) return null;
    if (r.name === "dot_general" || isElementwise(r)) {
      const xs = inputs.map((b) => onGpu(b, label));
      const out =
        r.name === "dot_general" ? dotGeneral(r, xs, inAvals, outAvals) : elementwiseRoutine(r, xs, inAvals, outAvals);
      return out === null ? null : [out];
    }
    const run = GPU_ROUTINES[r.name] as GpuRoutine | undefined;
    return run === undefined
      ? null
      : run(
          r,
          inputs.map((b) => onGpu(b, label)),
          inAvals,
          outAvals,
        );
  },
};

const ELEMENTWISE = new Set([
  "unary",
  "binary",
  "select",
  "convert",
  "reduce",
  "broadcast_in_dim",
  "transpose",
  "slice",
  "rev",
]);
const isElementwise = (r: Routine): boolean => ELEMENTWISE.has(r.name);

/** Opens the device (`await init("webgpu")`). */
export const startWebGpu = openDevice;
