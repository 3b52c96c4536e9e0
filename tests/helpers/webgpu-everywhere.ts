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

/** A float32 unit roundoff, and γ_n = n·u/(1 − n·u): the classic bound on n roundings (a sum of n terms). */
export const U = 2 ** -24;
export const gamma = (n: number): number => (n * U) / (1 - n * U);

/** An array's values read back (on any backend), as numbers. */
export async function read(x: NdArray): Promise<number[]> {
  return Array.from((await x.data()) as ArrayLike<number>);
}

/** `f` run with the cpu platform selected, its results read synchronously; webgpu selected again after. */
export function onCpu(f: () => NdArray | NdArray[]): number[][] {
  config.update("platform", "cpu");
  try {
    const out = f();
    return (Array.isArray(out) ? out : [out]).map((a) => Array.from(a.dataSync() as ArrayLike<number>));
  } finally {
    config.update("platform", "webgpu");
  }
}

/** `f` on webgpu (every result of more than one element on the GPU), read back. */
export async function onGpu(f: () => NdArray | NdArray[]): Promise<number[][]> {
  const out = f();
  const list = Array.isArray(out) ? out : [out];
  for (const a of list) if (a.size > 1) expect((a as ArrayClass)._buffer!.platform).toBe("webgpu");
  return Promise.all(list.map(read));
}

/** Deterministic values in [-1, 1) (a linear congruential sequence from `seed`). */
export function unitValues(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}
