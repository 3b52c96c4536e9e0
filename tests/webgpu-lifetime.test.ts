/**
 * Releasing arrays early: `x.dispose()` and `using` give a webgpu array's buffer
 * back to the pool at once (a later use is a typed error); in JS memory they
 * release nothing and the values stay readable. Same adapter and skip rule as
 * tests/webgpu.test.ts (COTANGENT_NO_WEBGPU=1 skips it).
 */
import { describe, expect, it } from "vitest";
import { config, numpy as np, WebGpuError } from "../src/index.js";
import { pooledBytes } from "../src/backends/webgpu/pool.js";
import { useWebGpu } from "./helpers/webgpu-everywhere.js";

const SKIP = process.env.COTANGENT_NO_WEBGPU === "1";

describe.skipIf(SKIP)("array lifetimes on webgpu", () => {
  useWebGpu("tests/webgpu-lifetime.test.ts");

  it("dispose() returns the buffer to the pool; a later read is a typed error", async () => {
    const x = np.exp(np.arange(2000).astype("float32").mul(1e-3));
    expect(x._buffer!.platform).toBe("webgpu");
    const before = pooledBytes();
    x.dispose();
    expect(pooledBytes()).toBe(before + 8000);
    await expect(x.data()).rejects.toThrow(WebGpuError);
    await expect(x.data()).rejects.toThrow(/a disposed buffer was used/);
  });

  it("`using` disposes at the end of its block, after the values were read", async () => {
    let total = 0;
    let escaped: ReturnType<typeof np.ones> | null = null;
    const before = pooledBytes();
    {
      using h = np.tanh(np.ones([1000]).mul(0.5));
      escaped = h;
      total = (await np.sum(h).data())[0];
    }
    expect(total).toBeCloseTo(1000 * Math.tanh(0.5), 2);
    expect(pooledBytes()).toBeGreaterThanOrEqual(before + 4000);
    await expect(escaped.data()).rejects.toThrow(/a disposed buffer was used/);
  });

  it("in JS memory dispose() releases nothing: the values stay readable", () => {
    config.update("platform", "wasm");
    try {
      const x = np.arange(5);
      x.dispose();
      {
        using y = x.add(1);
        expect(y.tolist()).toEqual([1, 2, 3, 4, 5]);
      }
      expect(x.tolist()).toEqual([0, 1, 2, 3, 4]);
    } finally {
      config.update("platform", "webgpu");
    }
  });
});
