/**
 * How long `import` takes in a fresh Node process: the package's entry in Node
 * (dist/cotangent-node.js: the script form from its V8 code cache, made by one
 * untimed import first), the ESM bundle that browsers and bundlers take
 * (dist/cotangent.js), the unbundled modules (dist/index.js) and jax-js, in turn,
 * `RUNS` times each; medians and ratios. Run after a build:
 *
 *   npm run bench:import
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const RUNS = 15;
const root = fileURLToPath(new URL("..", import.meta.url));
const targets: Record<string, string> = {
  "cotangent (Node's entry, code cache)": new URL("../dist/cotangent-node.js", import.meta.url).href,
  "cotangent (ESM bundle, no cache)": new URL("../dist/cotangent.js", import.meta.url).href,
  "cotangent (unbundled dist/index.js)": new URL("../dist/index.js", import.meta.url).href,
  "@jax-js/jax": "@jax-js/jax",
};

/** Milliseconds one fresh process spends in `await import(specifier)`. */
function importTime(specifier: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
  return Number(out.trim());
}

// The first import in Node makes the compile cache: not timed.
importTime(targets["cotangent (Node's entry, code cache)"]);
const times = Object.fromEntries(Object.keys(targets).map((k) => [k, [] as number[]]));
for (let i = 0; i < RUNS; i++) for (const [name, spec] of Object.entries(targets)) times[name].push(importTime(spec));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ours = median(times["cotangent (Node's entry, code cache)"]);
console.log(`import in a fresh Node ${process.version} process, median of ${RUNS} (interleaved):`);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(`  ${name.padEnd(40)} ${m.toFixed(1).padStart(7)} ms   ${(m / ours).toFixed(2)}× Node's entry`);
}
