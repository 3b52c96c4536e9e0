/** The whole golden suite again, with the WebAssembly kernels at every size: it must give JAX's numbers. */
import { describe } from "vitest";
import { withWasmAtEverySize } from "./helpers/wasm-everywhere.js";

describe("on the wasm platform, at every size", async () => {
  withWasmAtEverySize();
  // The suite's cases register inside this describe, so the hooks above apply to them.
  await import("./golden.test.js");
});
