/**
 * Bundles the compiled package (dist/index.js and the files it imports) into
 * one module, dist/cotangent.js, the package's entry point: Node resolves,
 * reads and compiles one file instead of about 150, which takes importing from
 * about 150 ms to under 50 (`npm run bench:import`). The worker files are
 * copied beside it, where the bundle's `new URL("./gemm-worker.js", import.meta.url)` finds them.
 *
 * What is imported dynamically (the webgpu backend, loaded by `init("webgpu")`)
 * becomes a chunk of its own beside the entry (dist/cotangent-backend-*.js),
 * compiled only when loaded; code both need goes to a shared chunk there too
 * (same folder, so `import.meta.url` means the same place in all of them).
 *
 * Identifiers are kept (errors report their class names); whitespace and syntax are minified.
 */
import { build } from "esbuild";
import { copyFileSync } from "node:fs";

await build({
  entryPoints: { cotangent: "dist/index.js" },
  outdir: "dist",
  entryNames: "[name]",
  chunkNames: "cotangent-[name]-[hash]",
  splitting: true,
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  logLevel: "warning",
});
for (const f of ["gemm-worker.js", "gemm-worker-web.js"]) copyFileSync(`dist/backends/wasm/${f}`, `dist/${f}`);
