/** The whole golden suite again, with every optional argument written in a trailing options object. */
import { describe } from "vitest";

describe("with options as objects", async () => {
  (globalThis as { goldenObjectForm?: boolean }).goldenObjectForm = true;
  await import("./golden.test.js");
});
