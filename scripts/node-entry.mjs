/**
 * The package's entry in Node (the "node" condition of package.json's "exports"): the same
 * library as dist/cotangent.js, compiled from a V8 code cache after the first import.
 *
 * Importing a module makes V8 parse and compile all of it, which for the 700 kB bundle is
 * most of an import's time (BENCHMARKS.md). Node caches compiled code only on request
 * (`module.enableCompileCache()`, Node 22.1+), so this entry does it for the library alone:
 * it runs the bundle in script form (dist/cotangent.script.js, one function of the module's
 * `import.meta.url` and `import()` returning its exports) through `vm.Script` with the cache that V8 made
 * on an earlier import, kept beside it (dist/cotangent.v8cache), or makes that cache when
 * there is none, it is stale (another Node, another bundle: V8 rejects it), or unreadable.
 * The cache is written next to the code it was made from (same owner, same trust), through a
 * temporary file and a rename; where the folder is read-only, or
 * `COTANGENT_NO_COMPILE_CACHE=1` is set, nothing is written and the import compiles as usual.
 * Bundled by a bundler, or wherever the script form is missing, this entry imports
 * dist/cotangent.js instead.
 *
 * scripts/bundle.mjs copies this file to dist/cotangent-node.js and appends the export list.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import vm from "node:vm";

const SCRIPT = new URL("./cotangent.script.js", import.meta.url);
const CACHE = new URL("./cotangent.v8cache", import.meta.url);

/** The library's exports from the script form with the code cache, or null where the script form is not there. */
function loadCached() {
  let source;
  try {
    // The script is ASCII (esbuild escapes the rest): latin1 makes the one-byte string V8 wants, without decoding.
    source = readFileSync(SCRIPT, "latin1");
  } catch {
    return null;
  }
  const useCache = process.env.COTANGENT_NO_COMPILE_CACHE !== "1";
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(CACHE);
    } catch {
      cachedData = undefined;
    }
  }
  let script, library;
  try {
    script = new vm.Script(source, { filename: SCRIPT.href, cachedData });
    // The script's value is a function: nothing of the library has run yet.
    library = script.runInThisContext();
  } catch {
    // A runtime whose node:vm cannot do this: the ESM bundle instead.
    return null;
  }
  // Its dynamic imports (node: modules, the webgpu package) are this module's.
  const exports = library(import.meta.url, (specifier) => import(specifier));
  if (useCache && (cachedData === undefined || script.cachedDataRejected)) saveCache(script);
  return exports;
}

/** Writes the code cache beside the script (through a temporary file and a rename); where it cannot, nothing. */
function saveCache(script) {
  const tmp = new URL(`./cotangent.v8cache.${process.pid}.tmp`, import.meta.url);
  try {
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, CACHE);
  } catch {
    // A read-only install: every import compiles, as without the cache.
    rmSync(tmp, { force: true });
  }
}

// scripts/bundle.mjs appends one `export const name = api.name;` per export of the library.
// eslint-disable-next-line no-unused-vars
const api = loadCached() ?? (await import("./cotangent.js"));
