/**
 * The compared workloads on @jax-js/jax's webgpu device, in Node through Dawn: `navigator.gpu` is installed before
 * jax-js is loaded (webgpu-adapter.ts), then `init("webgpu")` and `defaultDevice("webgpu")`. Every iteration ends
 * with `await x.data()` on its outputs, like cotangent's.
 */
import { describeAdapter, installNavigatorGpu, NoAdapterError } from "./webgpu-adapter.js";
import type { AsyncWorkloads, Readout } from "./workloads.js";

/** jax-js's default device, set once in setup; the other jax-js peer (wasm) of the same process sets its own. */
let selectDevice: (() => void) | undefined;
export const enter = (): void => selectDevice?.();

export async function setup(): Promise<AsyncWorkloads> {
  await installNavigatorGpu();
  await describeAdapter();
  const jax = await import("@jax-js/jax");
  const { workloadsWith } = await import("./jaxjs.js");
  const ready = await jax.init("webgpu");
  if (!ready.includes("webgpu")) throw new NoAdapterError('jax-js: init("webgpu") found no WebGPU device');
  selectDevice = () => void jax.defaultDevice("webgpu");
  const previous = jax.defaultDevice();
  selectDevice();
  try {
    return workloadsWith<Promise<Readout>>((...xs) => Promise.all(xs.map((x) => x.data())));
  } finally {
    jax.defaultDevice(previous);
  }
}
