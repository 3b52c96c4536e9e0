/**
 * The registry of backends and its one fallback rule: the only file of this folder that
 * upper layers import.
 *
 * A backend owns buffers (`upload`, `alloc`), compiles fused loops of the
 * kernel IR (`compile` → `run`) and runs routines (`routine`). `cpu` runs every
 * routine; the others run what they do well and answer null for the rest. One
 * fallback rule: try the inputs' backend, else move the inputs to cpu.
 *
 * cpu and wasm both keep values in JS memory (HostBuffer, platform "cpu"): for
 * such buffers "the inputs' backend" is the selected host backend
 * (`config.platform`: wasm by default, where WebAssembly SIMD exists), and
 * moving to cpu costs nothing.
 */
import type { ShapedArray } from "../core/aval.js";
import { NdArray } from "../core/array.js";
import { HostBuffer, type DeviceBuffer } from "../core/buffer.js";
import { config, installPlatformCheck } from "../core/config.js";
import { ArgumentTypeError } from "../core/errors.js";
import { OptionError, describeValue } from "../core/options.js";
import type { TypedArray } from "../core/dtypes.js";
import { installEvaluator, type Lowering } from "../core/primitive.js";
import type { Kernel } from "../kernel/ir.js";
import type { Backend, KernelSupport, Platform } from "./interface.js";
import { routineLabel, type Routine } from "../kernel/routines.js";
import { cpuBackend, runOnHost } from "./cpu/backend.js";
import { wasmBackend } from "./wasm/backend.js";
import { WebGpuError } from "./webgpu/errors.js";

export type { Backend, Executable, KernelSupport, Platform } from "./interface.js";

/** Every platform this build has, loaded or not. */
const PLATFORMS: readonly Platform[] = ["cpu", "wasm", "webgpu"];

/** The backends that are loaded, by platform: the host ones always, a device one once `init` loads it. */
const registry = new Map<Platform, Backend>([
  ["cpu", cpuBackend],
  ["wasm", wasmBackend],
]);

/**
 * Device backends that `init` loads and starts. Their code is imported only then
 * (the package's bundle keeps it in a chunk of its own), so that importing
 * cotangent does not compile a GPU backend that most programs never start.
 */
const STARTERS: Partial<Record<Platform, () => Promise<void>>> = {
  async webgpu() {
    const { webgpuBackend, startWebGpu } = await import("./webgpu/backend.js");
    registry.set("webgpu", webgpuBackend);
    await startWebGpu();
  },
};

// A device platform is selectable only once its `init` has resolved.
installPlatformCheck((p) => {
  if (!registry.get(p as Platform)?.available()) {
    throw new OptionError(
      `[config.update] platform "${p}" is not ready: got it before its backend started, expected \`await init("${p}")\` first. ` +
        `Call \`await init("${p}")\`, then config.update("platform", "${p}").`,
    );
  }
});

/** The backend of the selected device platform (webgpu), or null when the selected platform is a host one. */
function deviceBackend(): Backend | null {
  const p = config.values.platform;
  return p === "wasm" || p === "cpu" ? null : (registry.get(p) ?? null);
}

/** The backend that runs operations on values in JS memory: wasm when selected and available, else cpu. */
export function hostBackend(): Backend {
  return config.values.platform !== "cpu" && wasmBackend.available() ? wasmBackend : cpuBackend;
}

/**
 * The backend for operations on `inputs`: their device's, else the selected
 * device's (webgpu), else the host backend for JS memory (and for no inputs).
 */
export function backendFor(inputs: readonly DeviceBuffer[]): Backend {
  for (const b of inputs) {
    if (b.platform !== "cpu") return registry.get(b.platform as Platform) ?? cpuBackend;
  }
  return deviceBackend() ?? hostBackend();
}

/** The error for a routine a device backend does not run, on operands that cannot be read synchronously. */
export function notOnDeviceMessage(r: Routine, platform: string): string {
  const name = routineLabel(r);
  return (
    `[${name}] ${name} is not available on ${platform} yet: got operands in ${platform} memory, expected a primitive ` +
    `${platform} runs (elementwise maps, reductions, dot_general, broadcasts and transposes). Run this part on cpu or wasm: ` +
    `config.update("platform", "wasm") and make its inputs there from their values (np.array(await x.data())).`
  );
}

/** `buffer` in JS memory (already there for cpu and wasm). */
function toHost(buffer: DeviceBuffer): DeviceBuffer {
  return buffer.platform === "cpu" ? buffer : cpuBackend.upload(buffer.dtype, buffer.readSync());
}

/**
 * A primitive's eager evaluation, by the one fallback rule: its routine on the
 * arguments' backend, else on cpu, which runs every routine (arguments on a
 * device are moved to JS memory first).
 */
function evaluate(lowering: Lowering, args: NdArray[], avals: ShapedArray[], outAvals: ShapedArray[]): NdArray[] {
  const r = lowering as Routine;
  const inputs = new Array<DeviceBuffer>(args.length);
  let onHost = true;
  for (let i = 0; i < args.length; i++) {
    inputs[i] = args[i]._buffer!;
    onHost &&= inputs[i].platform === "cpu";
  }
  const arrays = new Array<NdArray>(outAvals.length);
  const backend = backendFor(inputs);
  const outs = backend === cpuBackend ? null : backend.routine(r, inputs, avals, outAvals);
  if (outs !== null) {
    for (let i = 0; i < outs.length; i++) arrays[i] = new NdArray(outAvals[i], outs[i]);
  } else if (onHost) {
    // The cpu runs it on the arrays themselves: the common small-operand path, kept short.
    const values = runOnHost(r, args, outAvals);
    for (let i = 0; i < values.length; i++)
      arrays[i] = new NdArray(outAvals[i], new HostBuffer(outAvals[i].dtype, values[i]));
  } else if (backend.platform === "webgpu") {
    // No synchronous read exists to move GPU operands to cpu.
    throw new WebGpuError(notOnDeviceMessage(r, backend.platform));
  } else {
    const moved = cpuBackend.routine(r, inputs.map(toHost), avals, outAvals)!;
    for (let i = 0; i < moved.length; i++) arrays[i] = new NdArray(outAvals[i], moved[i]);
  }
  return arrays;
}

installEvaluator(evaluate);

/** What the selected backend's compiled kernels take (jit fuses for it), or null: it compiles none. */
export function kernelSupport(): KernelSupport | null {
  return (deviceBackend() ?? hostBackend()).kernelSupport();
}

/**
 * Runs a fused loop of the kernel IR on the arguments' backend, over the
 * iteration space [rows, cols]: the outputs, or null where that backend does
 * not compile or cannot run it (the caller then runs the loop's equations).
 */
export function runFusedKernel(
  kernel: Kernel,
  args: NdArray[],
  outAvals: ShapedArray[],
  rows: number,
  cols: number,
): NdArray[] | null {
  const inputs = args.map((a) => a._buffer!);
  const backend = backendFor(inputs);
  const exe = backend.compile(kernel);
  if (exe === null) return null;
  const outs = outAvals.map((a) => backend.alloc(a.dtype, a.size));
  if (!backend.run(exe, inputs, outs, rows, cols)) return null;
  return outs.map((b, i) => new NdArray(outAvals[i], b));
}

/** An array of `aval` holding `data` (which the caller gives up), on the host backend. */
export function upload(aval: ShapedArray, data: TypedArray): NdArray {
  return new NdArray(aval, hostBackend().upload(aval.dtype, data));
}

/** A device: one backend's one processor (JAX's `Device`). */
export interface Device {
  /** The backend's name: "cpu", "wasm". */
  readonly platform: string;
  readonly id: number;
  toString(): string;
}

const DEVICE_NAMES: Record<Platform, string> = { cpu: "Cpu", wasm: "Wasm", webgpu: "WebGpu" };

/**
 * `jax.default_backend()`: "webgpu" when selected (after `await init("webgpu")`), else "wasm" where WebAssembly
 * SIMD is available (unless `config.platform` is "cpu"), else "cpu".
 *
 * @example
 * defaultBackend(); // "wasm" (or "cpu" without WebAssembly SIMD)
 */
export function defaultBackend(): string {
  return (deviceBackend() ?? hostBackend()).platform;
}

/**
 * `jax.devices()`: the devices of the default backend.
 *
 * @example
 * devices()[0].platform; // "wasm"
 */
export function devices(): Device[] {
  const platform = defaultBackend() as Platform;
  return [{ platform, id: 0, toString: () => `${DEVICE_NAMES[platform]}Device(id=0)` }];
}

/** The loaded backends that can run here, by platform (for tests that loop over every backend). */
export function availableBackends(): Backend[] {
  return [...registry.values()].filter((b) => b.available());
}

/**
 * `await init(...platforms)`: makes the named backends ready and returns those
 * that are (cpu and wasm are always loaded; wasm is ready where WebAssembly
 * SIMD is; "webgpu" opens the GPU, through `navigator.gpu` or in Node the optional
 * `webgpu` package, and rejects with a typed error saying what is missing; devices
 * start only when named). A platform this build does not have is a typed error naming those it has.
 * No JAX twin (JAX's backends start on first use); jax-js's `init` is the model.
 *
 * @example
 * await init("wasm");
 * config.update("platform", "wasm");
 * await init("webgpu"); // Node: npm i webgpu
 * config.update("platform", "webgpu");
 */
export function init(...platforms: string[]): Promise<string[]> {
  // Checked before the Promise exists: a bad argument is an error at the call, not a rejection.
  for (const p of platforms) {
    if (!PLATFORMS.includes(p as Platform)) {
      const known = PLATFORMS.map((k) => JSON.stringify(k)).join(", ");
      throw new ArgumentTypeError(
        `[init] unknown platform: got ${describeValue(p)}, expected one of ${known}. Call init() with no arguments for every platform.`,
      );
    }
  }
  const wanted = platforms.length === 0 ? [...registry.keys()] : platforms;
  // Devices start only when named (init() alone readies the host backends): a failure is the caller's error.
  const starts = platforms.map((p) => STARTERS[p as Platform]?.() ?? Promise.resolve());
  return Promise.all(starts).then(() => wanted.filter((p) => registry.get(p as Platform)?.available() === true));
}
