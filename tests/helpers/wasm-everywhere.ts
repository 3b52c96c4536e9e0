/**
 * Runs a whole test suite again with every float32 kernel that has a
 * WebAssembly version running it at every size (elementwise ops, matrix
 * products, fused jit chains). Call inside a `describe` that imports the suite.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { config, defaultBackend } from "../../src/index.js";
import { wasmThresholds } from "../../src/backends/wasm/routines.js";

export function withWasmAtEverySize(): void {
  const saved = { ...wasmThresholds };
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
}
