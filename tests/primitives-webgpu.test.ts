/**
 * The primitive table again on the webgpu platform (Dawn; lavapipe in CI), with every input in GPU memory: float32
 * values against the float64 references (TOL_DEVICE), jit against eager and vmap against a loop (bit for bit),
 * zero derivatives, and each row's jvp, vjp and second order against the same programs on the cpu in float32
 * (DEVICE_DERIV). float64, which webgpu does not have, stays with the host runs.
 */
import { describe } from "vitest";
import { NO_WEBGPU, withWebGpu } from "./helpers/webgpu-everywhere.js";

describe.skipIf(NO_WEBGPU)("on the webgpu platform", async () => {
  withWebGpu();
  await import("./primitives.test.js");
});
