/** The primitive table again, with the WebAssembly kernels at every size: they meet the reference's checks. */
import { describe } from "vitest";
import { withWasmAtEverySize } from "./helpers/wasm-everywhere.js";

describe("on the wasm platform, at every size", async () => {
  withWasmAtEverySize();
  await import("./primitives.test.js");
});
