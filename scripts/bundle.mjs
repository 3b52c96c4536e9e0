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
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";

/** What both forms share: the whole library from its compiled entry, whitespace and syntax minified. */
const common = {
  bundle: true,
  platform: "neutral",
  target: "es2022",
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  logLevel: "warning",
};

await build({
  ...common,
  entryPoints: { cotangent: "dist/index.js" },
  outdir: "dist",
  entryNames: "[name]",
  chunkNames: "cotangent-[name]-[hash]",
  splitting: true,
  format: "esm",
});
for (const f of ["gemm-worker.js", "gemm-worker-web.js"]) copyFileSync(`dist/backends/wasm/${f}`, `dist/${f}`);

// The script form for Node's entry (scripts/node-entry.mjs): one function of the module's
// import.meta.url (and of its import()) returning the exports, run through vm.Script with a
// V8 code cache.
const script = await build({
  ...common,
  entryPoints: ["dist/index.js"],
  write: false,
  format: "iife",
  globalName: "cotangentExports",
  // ASCII only (the rest as escapes), so that the entry reads it as latin1, without decoding.
  charset: "ascii",
  define: { "import.meta.url": "cotangentModuleUrl" },
});
// Its dynamic imports (node: modules, the webgpu package) go through the entry's own
// import(), passed in: V8 code loaded from a cache has no dynamic import callback of its own.
const body = script.outputFiles[0].text.replace(/\bimport\(/g, "cotangentImport(");
writeFileSync(
  "dist/cotangent.script.js",
  `(function (cotangentModuleUrl, cotangentImport) {\n${body}\nreturn cotangentExports;})`,
);
// Node's entry: the loader, then one export per name of the library's entry.
const names = Object.keys(await import(new URL("../dist/index.js", import.meta.url).href));
writeFileSync(
  "dist/cotangent-node.js",
  readFileSync("scripts/node-entry.mjs", "utf8") + names.map((n) => `export const ${n} = api.${n};`).join("\n") + "\n",
);
