/** Running part of a test on the plain-JS reference platform. */
import { config } from "../../src/index.js";

/** f() with the `cpu` platform selected, then back to `wasm` (the default). */
export function onCpu<T>(f: () => T): T {
  config.update("platform", "cpu");
  try {
    return f();
  } finally {
    config.update("platform", "wasm");
  }
}
