/**
 * Bundles the browser example (examples/browser/main.ts and the library) into
 * examples/browser/dist/main.js, with the worker script beside it: `new URL(
 * "./gemm-worker-web.js", import.meta.url)` in the bundle resolves there.
 */
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";

mkdirSync("examples/browser/dist", { recursive: true });
await build({
  entryPoints: ["examples/browser/main.ts"],
  outfile: "examples/browser/dist/main.js",
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  logLevel: "warning",
});
copyFileSync("src/backends/wasm/gemm-worker-web.js", "examples/browser/dist/gemm-worker-web.js");
