/**
 * The compared workloads on cotangent's webgpu platform: `await init("webgpu")`, arrays made on the GPU, every
 * iteration ending with `await x.data()` on its outputs, so the time includes the GPU's work and the copy back.
 */
import { config, init, numpy as np, type Array } from "../../src/index.js";
import { workloadsWith, type Reader } from "./cotangent.js";
import { describeAdapter, NoAdapterError } from "./webgpu-adapter.js";
import type { AsyncWorkloads, Readout } from "./workloads.js";

const readAsync: Reader<Promise<Readout>> = (...xs) => Promise.all(xs.map((x) => x.data()));

/**
 * Puts an input on the GPU once, at setup, as jax-js's `np.array` does on its webgpu device: arrays made from JS
 * values stay in JS memory until an operation on the GPU makes a result there (cotangent has no `devicePut` yet), and
 * scalars computed only from JS values run on the host (docs/design-decisions.md), so W4's scalar stays there.
 */
export const onGpu = (x: Array): Array => (x.size > 1 ? np.multiply(x, 1) : x);

/** Selects the webgpu platform (the cpu workloads of the same process select theirs again before they run). */
export const enter = (): void => config.update("platform", "webgpu");

export async function setup(): Promise<AsyncWorkloads> {
  await describeAdapter(); // a NoAdapterError when there is none
  try {
    await init("webgpu");
  } catch (e) {
    throw new NoAdapterError(e instanceof Error ? e.message : String(e));
  }
  const previous = config.values.platform;
  enter();
  try {
    return workloadsWith(readAsync, onGpu);
  } finally {
    config.update("platform", previous);
  }
}
