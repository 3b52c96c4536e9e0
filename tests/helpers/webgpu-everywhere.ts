/**
 * Runs a whole test suite again with webgpu as the selected platform (Dawn; in
 * CI, Mesa's lavapipe). Call `withWebGpu()` inside a `describe` that imports the
 * suite; the suite reads values with `await x.data()` (no synchronous read
 * exists on webgpu) and passes its inputs through `onTestDevice`, which puts
 * them in GPU memory on this run, so that every operation runs on the GPU.
 * COTANGENT_NO_WEBGPU=1 skips it, as it skips tests/webgpu.test.ts.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { config, defaultBackend, init, type Array as NdArray } from "../../src/index.js";
import { NdArray as ArrayClass } from "../../src/core/array.js";
import { uploadGpu } from "../../src/backends/webgpu/buffer.js";

/** True where the webgpu reruns are switched off explicitly (no adapter on this machine). */
export const NO_WEBGPU = process.env.COTANGENT_NO_WEBGPU === "1";

/** Marks the suite about to be imported as running on a device (its float64 checks are left out there). */
function markDeviceRun(): void {
  (globalThis as { cotangentTestDevice?: string }).cotangentTestDevice = "webgpu";
}

/** The device a suite was imported under, or null on the host platforms. */
export function testDevice(): string | null {
  return (globalThis as { cotangentTestDevice?: string }).cotangentTestDevice ?? null;
}

/**
 * `x` where the suite's operations should find it: in GPU memory on a device run (a host array meeting only host
 * scalars would stay on the host, and an op webgpu lacks would quietly run on cpu), unchanged otherwise.
 */
export function onTestDevice(x: NdArray): NdArray {
  return testDevice() === null ? x : toGpu(x);
}

/** `x` in GPU memory (uploaded from the host, or itself). */
export function toGpu(x: NdArray): NdArray {
  if ((x as ArrayClass)._buffer?.platform === "webgpu") return x;
  return new ArrayClass(x.aval, uploadGpu(x.dtype, x.dataSync()));
}

/** Opens the device and selects webgpu for the enclosing `describe` (wasm again after it). */
export function withWebGpu(): void {
  markDeviceRun();
  beforeAll(async () => {
    // init's own message (no package, no adapter) fails every test: nothing is skipped silently.
    const ready = await init("webgpu").catch((e: Error) => {
      throw new Error(`${e.message} (COTANGENT_NO_WEBGPU=1 skips the webgpu reruns explicitly)`);
    });
    expect(ready).toEqual(["webgpu"]);
    config.update("platform", "webgpu");
  });
  afterAll(() => config.update("platform", "wasm"));
  it("runs with webgpu selected", () => expect(defaultBackend()).toBe("webgpu"));
}

/**
 * For the webgpu test files: opens the device before the enclosing `describe` (init's own message
 * fails every test where there is none: nothing is skipped silently), selects webgpu for each test,
 * and wasm again after the last.
 */
export function useWebGpu(file: string): void {
  beforeAll(async () => {
    const ready = await init("webgpu").catch((e: Error) => {
      throw new Error(`${e.message} (COTANGENT_NO_WEBGPU=1 skips ${file} explicitly)`);
    });
    expect(ready).toEqual(["webgpu"]);
    config.update("platform", "webgpu");
  });
  afterEach(() => config.update("platform", "webgpu"));
  afterAll(() => config.update("platform", "wasm"));
}
