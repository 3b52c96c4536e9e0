/**
 * The typed errors of the webgpu backend, and the messages they carry (built by
 * small functions, so that tests check the words without a GPU or a missing package).
 */
import { WebGpuError } from "../../core/errors.js";

export { WebGpuError };

/** Why `init("webgpu")` failed in Node: the optional `webgpu` package is not installed. */
export function missingPackageMessage(cause: string): string {
  return (
    `[init] the webgpu backend needs the "webgpu" package in Node: got an error importing it (${cause}), ` +
    `expected it installed. Run \`npm i webgpu\` (an optional peer dependency that ships Dawn), then \`await init("webgpu")\`.`
  );
}

/** Why `init("webgpu")` failed: WebGPU exists but no adapter could be made (no GPU and no software driver). */
export function noAdapterMessage(where: string): string {
  return (
    `[init] no WebGPU adapter: got none from ${where}, expected a GPU or a software Vulkan driver ` +
    `(Debian: \`apt-get install -t bookworm-backports mesa-vulkan-drivers\` for lavapipe). Run on cpu or wasm meanwhile.`
  );
}

/** The message of `x.dataSync()` (and every other synchronous read) on an array on webgpu. */
export function syncReadMessage(dtype: string, size: number): string {
  return (
    `[dataSync()] arrays on webgpu cannot be read synchronously: got a ${dtype} array of ${size} elements on webgpu, ` +
    "expected values in JS memory. Use `await x.data()` (WebGPU reads back only asynchronously); item(), tolist() " +
    "and printing need the values in JS memory too: `np.array(await x.data())`."
  );
}

/** The message for a buffer used after `dispose()`. */
export function disposedMessage(dtype: string, size: number): string {
  return `[webgpu] a disposed buffer was used: got a ${dtype} array of ${size} elements after dispose(), expected a live one. Dispose an array only after its last use.`;
}

/** The message for float64, which WebGPU does not have. */
export function float64Message(op: string): string {
  return (
    `[${op}] float64 is not available on webgpu: got a float64 operand, expected float32, int32, uint32 or bool. ` +
    'Run float64 work on cpu or wasm (config.update("platform", "wasm")), or use float32 (config.update("enableX64", false)).'
  );
}
