/**
 * The primitive table again with every float32 kernel that has a WebAssembly
 * version running it at every size (elementwise ops, matrix products, fused
 * jit chains), so that the wasm kernels meet the same checks as the reference.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config, defaultBackend } from "../src/index.js";
import { wasmThresholds } from "../src/backends/dispatch.js";

const saved = { ...wasmThresholds };

describe("on the wasm platform, at every size", async () => {
  beforeAll(() => {
    config.update("platform", "wasm");
    Object.assign(wasmThresholds, { elementwise: 0, matmul: 0, fusion: 0 });
  });
  afterAll(() => {
    Object.assign(wasmThresholds, saved);
  });
  it("runs with the wasm kernels switched on for every size", () => {
    expect(defaultBackend()).toBe("wasm");
    expect(wasmThresholds).toEqual({ elementwise: 0, matmul: 0, fusion: 0 });
  });
  await import("./primitives.test.js");
});
