/** The whole golden suite again on the plain-JS cpu platform (the reference kernels only). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config, defaultBackend } from "../src/index.js";

describe("on the cpu platform", async () => {
  beforeAll(() => config.update("platform", "cpu"));
  afterAll(() => config.update("platform", "wasm"));
  it("runs with the reference kernels", () => expect(defaultBackend()).toBe("cpu"));
  await import("./golden.test.js");
});
