/**
 * `npm run bench` (with the training-memory loop after it) or `npm run bench:compare`: the same workloads (bench/peers/workloads.ts) on cotangent, @jax-js/jax and TensorFlow.js
 * (wasm backend), each library in its fastest mode.
 *
 * First every workload runs twice on every library, in this process, and the results are compared (W3's second call
 * returns the loss after one SGD step). Then each library is timed alone in a child process (time-library.ts), one
 * library after the other: the median per call over several batches after a warm-up, with settings scaled to the
 * cost of one call so that no cell takes more than a few seconds. Each iteration includes
 * reading its results back into JS. Speedup = peer time / cotangent time: below 1 means cotangent is slower.
 */
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { defaultBackend } from "../src/index.js";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { fmtUs } from "./harness.js";
import type { Cell, LibraryTimings } from "./time-library.js";
import { AGREEMENT_TOLERANCE, relativeDifference } from "./peers/agreement.js";
import * as cotangent from "./peers/cotangent.js";
import * as jaxjs from "./peers/jaxjs.js";
import * as tfjs from "./peers/tfjs.js";
import {
  FLOAT64_VALUES,
  CONV_FLOPS,
  MATMUL_FLOPS,
  WORKLOADS,
  type Readout,
  type WorkloadName,
  type Workloads,
} from "./peers/workloads.js";

const LIBRARIES = [
  { name: "cotangent", setup: cotangent.setup },
  { name: "jax-js", setup: jaxjs.setup },
  { name: "tfjs", setup: tfjs.setup },
] as const;
type LibraryName = (typeof LIBRARIES)[number]["name"];

/** The installed version of a package (from its package.json: jax-js's "exports" does not expose it to require). */
function version(name: string): string {
  const file = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

const message = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

console.log(
  `cotangent vs @jax-js/jax vs TensorFlow.js — Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
console.log(`CPU: ${cpus()[0]?.model ?? "unknown"} × ${cpus().length}, load average ${loadavg()[0].toFixed(2)}`);

// Set up every library; one that fails to initialise has "error" in all its cells.
const workloads = new Map<LibraryName, Workloads>();
const cells = new Map<LibraryName, Map<WorkloadName, Cell>>();
for (const lib of LIBRARIES) {
  cells.set(lib.name, new Map());
  try {
    workloads.set(lib.name, await lib.setup());
  } catch (e) {
    for (const w of WORKLOADS) cells.get(lib.name)!.set(w, { kind: "error", message: `setup: ${message(e)}` });
  }
}
console.log(
  `cotangent: backend ${defaultBackend()} | jax-js ${version("@jax-js/jax")}: device wasm | ` +
    `tfjs ${version("@tensorflow/tfjs-core")}: ${tfjs.tfjsInfo()}`,
);
console.log('cotangent and jax-js run W2, W3, W5 and "W4 jit" under jit; W1, W6 and "W4 eager" are direct calls.');
console.log("W6 convolves NCHW images with OIHW kernels; tfjs (NHWC only) also transposes its result back to NCHW.");
console.log(`On a shared or loaded machine (load average above) these numbers are noisy: compare runs with care.\n`);

// Agreement: two calls per cell; both results are compared with cotangent's (or the first library that ran), and
// where the exact value is known, each library's first output element with it.
console.log(`Agreement before timing (max relative difference from the reference; tolerance ${AGREEMENT_TOLERANCE}):`);
const disagreements: string[] = [];
for (const w of WORKLOADS) {
  const results = new Map<LibraryName, Readout[]>();
  for (const lib of LIBRARIES) {
    const fn = workloads.get(lib.name)?.get(w);
    if (cells.get(lib.name)!.has(w)) continue;
    if (!fn) {
      cells.get(lib.name)!.set(w, { kind: "n/a" });
      continue;
    }
    try {
      results.set(lib.name, [fn(), fn()]);
    } catch (e) {
      cells.get(lib.name)!.set(w, { kind: "error", message: message(e) });
    }
  }
  const [refName, ref] = [...results][0] ?? [];
  if (!refName || !ref) continue;
  const outside: string[] = [];
  const parts = [...results].slice(1).map(([name, got]) => {
    const d = Math.max(relativeDifference(got[0], ref[0]), relativeDifference(got[1], ref[1]));
    if (!(d <= AGREEMENT_TOLERANCE)) outside.push(name);
    return `${name} ${d.toExponential(1)}${d <= AGREEMENT_TOLERANCE ? "" : " (outside)"}`;
  });
  if (outside.length) disagreements.push(`${w} (${outside.join(", ")})`);
  const first = (r: Readout): string => r[0][0].toPrecision(7);
  const value = w.startsWith("W3")
    ? `loss ${first(ref[0])} → ${first(ref[1])} after one step`
    : `value ${first(ref[0])}`;
  console.log(`  ${w.padEnd(28)} vs ${refName}: ${parts.join(", ") || "no peer ran"}; ${value}`);
  const exact = FLOAT64_VALUES[w]?.();
  if (exact !== undefined) {
    const errors = [...results].map(([name, got]) => {
      return `${name} ${(Math.abs(got[0][0][0] - exact) / Math.abs(exact)).toExponential(1)}`;
    });
    console.log(`      float64 value ${exact.toPrecision(9)}; relative error of each: ${errors.join(", ")}`);
  }
}
console.log(
  disagreements.length === 0
    ? `All libraries agree on every workload they ran (within ${AGREEMENT_TOLERANCE} relative).\n`
    : `All libraries agree within ${AGREEMENT_TOLERANCE} relative except on: ${disagreements.join("; ")}. ` +
        "The float64 errors above show which result is off.\n",
);

// Timing: each library alone in a child process (see time-library.ts), one after the other.
let tensors: [number, number] | undefined;
for (const lib of LIBRARIES) {
  if (!workloads.has(lib.name)) continue; // failed to set up: "error" cells already
  const script = fileURLToPath(new URL("./time-library.ts", import.meta.url));
  const out = execFileSync(process.execPath, ["--import", "tsx", script, lib.name], { encoding: "utf8" });
  const timings = JSON.parse(out.trim().split("\n").pop()!) as LibraryTimings;
  for (const w of WORKLOADS) {
    const c = timings.cells[w];
    if (c && !cells.get(lib.name)!.has(w)) cells.get(lib.name)!.set(w, c);
  }
  tensors ??= timings.tensors;
}

// The table: median per call, a derived rate for W1 and W3, and cotangent's speedup against each peer.
const cell = (lib: LibraryName, w: WorkloadName): Cell => cells.get(lib)!.get(w) ?? { kind: "n/a" };
const show = (c: Cell, f: (us: number) => string): string => (c.kind === "time" ? f(c.us) : c.kind);
const speedup = (w: WorkloadName, peer: LibraryName): string => {
  const [ours, theirs] = [cell("cotangent", w), cell(peer, w)];
  if (ours.kind !== "time" || theirs.kind !== "time") return "—";
  const s = theirs.us / ours.us;
  return `${s >= 0.1 ? s.toFixed(2) : s.toPrecision(2)}×`;
};
const rates: Partial<Record<WorkloadName, [string, (us: number) => string]>> = {
  "W1 matmul 1024×1024": ["  GFLOP/s", (us) => (MATMUL_FLOPS / (us * 1e3)).toFixed(2)],
  "W3 MLP SGD step": ["  steps/s", (us) => (1e6 / us).toFixed(1)],
  "W6 conv2d 3×3": ["  GFLOP/s", (us) => (CONV_FLOPS / (us * 1e3)).toFixed(2)],
};
const libs = LIBRARIES.map((l) => l.name);
const peers = libs.filter((l) => l !== "cotangent");
const speedupHeaders = peers.map((p) => `vs ${p}`);
const line = (first: string, cols: string[], extra: string[]): string =>
  first.padEnd(28) + cols.map((c) => c.padStart(13)).join("") + extra.map((c) => c.padStart(14)).join("");

console.log("Median per call (lower is better); speedup = peer time / cotangent time (< 1: cotangent is slower):\n");
const header = line("workload", libs, speedupHeaders);
console.log(`${header}\n${"-".repeat(header.length)}`);
for (const w of WORKLOADS) {
  const times = libs.map((l) => show(cell(l, w), fmtUs));
  const speedups = peers.map((p) => speedup(w, p));
  console.log(line(w, times, speedups));
  const rate = rates[w];
  if (!rate) continue;
  const values = libs.map((l) => show(cell(l, w), rate[1]));
  console.log(line(rate[0], values, []));
}

const errors = libs.flatMap((l) =>
  WORKLOADS.flatMap((w) => {
    const c = cell(l, w);
    return c.kind === "error" ? [`  ${l} / ${w}: ${c.message}`] : [];
  }),
);
if (errors.length) console.log(`\nErrors:\n${errors.join("\n")}`);
console.log("\nn/a: the library has no such mode (TensorFlow.js has no jit).");
if (tensors) {
  const [before, after] = tensors;
  console.log(
    `tfjs live tensors before / after timing: ${before} / ${after}` +
      (after === before ? " (memory stays flat)." : " (LEAK: tensors are not freed)."),
  );
}
