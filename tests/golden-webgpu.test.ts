/**
 * The whole golden suite again on the webgpu platform (Dawn; lavapipe in CI): it must give JAX's numbers there
 * too, with the suite's own float32 tolerances (ELEMENTWISE rtol 2e-5, REDUCTION, LINALG, SHAPE: see
 * golden.test.ts). Those already allow ~170 ulp; the GPU's float functions are within 2 to 8 ulp
 * (tests/webgpu-math.test.ts) and its sums differ from XLA's only in order, which REDUCTION covers.
 * Every case's inputs are uploaded to GPU memory first, so an operation webgpu lacks fails here rather than
 * running on the host.
 */
import { describe } from "vitest";
import { NO_WEBGPU, withWebGpu } from "./helpers/webgpu-everywhere.js";

describe.skipIf(NO_WEBGPU)("on the webgpu platform", async () => {
  withWebGpu();
  // The suite's cases register inside this describe, so the hooks above apply to them.
  await import("./golden.test.js");
});
