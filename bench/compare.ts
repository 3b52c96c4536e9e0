/**
 * `npm run bench` (with the training-memory loop after it) or `npm run bench:compare`: the same workloads (bench/peers/workloads.ts) on cotangent, @jax-js/jax and TensorFlow.js
 * (wasm backend), each library in its fastest mode; then cotangent and jax-js on webgpu (Dawn, the `webgpu` package,
 * in Node), read back with `await x.data()`. Without a WebGPU adapter the webgpu columns say "no adapter" and the
 * rest runs; on a software adapter (lavapipe, SwiftShader) they show agreement, not a GPU's speed.
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
import * as cotangentWebgpu from "./peers/cotangent-webgpu.js";
import * as jaxjs from "./peers/jaxjs.js";
import * as jaxjsWebgpu from "./peers/jaxjs-webgpu.js";
import * as tfjs from "./peers/tfjs.js";
import { describeAdapter, NoAdapterError, type AdapterReport } from "./peers/webgpu-adapter.js";
import {
  FLOAT64_VALUES,
  CONV_FLOPS,
  MATMUL_FLOPS,
  WORKLOADS,
  type AsyncWorkloads,
  type Readout,
  type WorkloadName,
  type Workloads,
} from "./peers/workloads.js";

/** `enter` selects the library's device before its calls: two devices of one library share this process. */
const LIBRARIES = [
  { name: "cotangent", label: "cotangent", setup: cotangent.setup, enter: cotangent.enter },
  { name: "jax-js", label: "jax-js", setup: jaxjs.setup, enter: jaxjs.enter },
  { name: "tfjs", label: "tfjs", setup: tfjs.setup, enter: () => {} },
  { name: "cotangent webgpu", label: "webgpu", setup: cotangentWebgpu.setup, enter: cotangentWebgpu.enter },
  { name: "jax-js webgpu", label: "jax-js webgpu", setup: jaxjsWebgpu.setup, enter: jaxjsWebgpu.enter },
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

// Set up every library; one that fails to initialise has "error" in all its cells ("no adapter" for webgpu without
// a GPU, said once below).
const hostBackend = defaultBackend();
const adapter: AdapterReport | Error = await describeAdapter().catch((e: Error) => e);
const workloads = new Map<LibraryName, Workloads | AsyncWorkloads>();
const cells = new Map<LibraryName, Map<WorkloadName, Cell>>();
for (const lib of LIBRARIES) {
  cells.set(lib.name, new Map());
  try {
    workloads.set(lib.name, await lib.setup());
  } catch (e) {
    const cell: Cell =
      e instanceof NoAdapterError
        ? { kind: "no adapter", message: e.message }
        : { kind: "error", message: `setup: ${message(e)}` };
    for (const w of WORKLOADS) cells.get(lib.name)!.set(w, cell);
  }
}
console.log(
  `cotangent: backend ${hostBackend} | jax-js ${version("@jax-js/jax")}: device wasm | ` +
    `tfjs ${version("@tensorflow/tfjs-core")}: ${tfjs.tfjsInfo()}`,
);
const softwareNote =
  "a software adapter, the CPU emulating a GPU: the webgpu columns show that the results agree, not a GPU's speed";
console.log(
  adapter instanceof Error
    ? `webgpu: no adapter (${adapter.message}); the webgpu columns say "no adapter" and the rest runs.`
    : `webgpu (cotangent and jax-js ${version("@jax-js/jax")}, Dawn: webgpu ${version("webgpu")}): adapter ${adapter.description}` +
        (adapter.software ? ` — ${softwareNote}.` : "."),
);
console.log('cotangent and jax-js run W2, W3, W5 and "W4 jit" under jit; W1, W6 and "W4 eager" are direct calls.');
console.log(
  "On webgpu the inputs are put on the GPU once (cotangent keeps W4's scalar in JS memory, where scalars made only " +
    "from JS values run) and every call ends with `await x.data()`.",
);
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
      lib.enter();
      results.set(lib.name, [await fn(), await fn()]);
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
  let timings: LibraryTimings;
  try {
    // stderr is captured (Dawn prints warnings about its limits there) and shown only if the child fails.
    const out = execFileSync(process.execPath, ["--import", "tsx", script, lib.name], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    timings = JSON.parse(out.trim().split("\n").pop()!) as LibraryTimings;
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim().split("\n").slice(-3).join(" | ");
    const failed: Cell = { kind: "error", message: `timing process failed: ${stderr || message(e)}` };
    timings = { cells: Object.fromEntries(WORKLOADS.map((w) => [w, failed])) };
  }
  for (const w of WORKLOADS) {
    const c = timings.cells[w];
    if (c && !cells.get(lib.name)!.has(w)) cells.get(lib.name)!.set(w, c);
  }
  tensors ??= timings.tensors;
}

// The table: median per call, a derived rate for W1 and W3, and cotangent's speedup against each peer.
const cell = (lib: LibraryName, w: WorkloadName): Cell => cells.get(lib)!.get(w) ?? { kind: "n/a" };
const show = (c: Cell, f: (us: number) => string): string => (c.kind === "time" ? f(c.us) : c.kind);
const speedup = (w: WorkloadName, ourLib: LibraryName, peer: LibraryName): string => {
  const [ours, theirs] = [cell(ourLib, w), cell(peer, w)];
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
/** Speedup columns: cotangent against each peer on the same kind of device. */
const pairs: [LibraryName, LibraryName, string][] = [
  ["cotangent", "jax-js", "vs jax-js"],
  ["cotangent", "tfjs", "vs tfjs"],
  ["cotangent webgpu", "jax-js webgpu", "webgpu vs jax"],
];
const line = (first: string, cols: string[], extra: string[]): string =>
  first.padEnd(28) + cols.map((c) => c.padStart(14)).join("") + extra.map((c) => c.padStart(14)).join("");

console.log("Median per call (lower is better); speedup = peer time / cotangent time (< 1: cotangent is slower).");
console.log(
  '"webgpu" is cotangent on webgpu; "webgpu vs jax" compares it with jax-js on webgpu' +
    (adapter instanceof Error ? "." : adapter.software ? `; ${softwareNote}.` : ` (adapter ${adapter.description}).`),
);
console.log("");
const header = line(
  "workload",
  LIBRARIES.map((l) => l.label),
  pairs.map((p) => p[2]),
);
console.log(`${header}\n${"-".repeat(header.length)}`);
for (const w of WORKLOADS) {
  const times = libs.map((l) => show(cell(l, w), fmtUs));
  const speedups = pairs.map(([ours, peer]) => speedup(w, ours, peer));
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
const noAdapter = libs.map((l) => cell(l, WORKLOADS[0])).find((c) => c.kind === "no adapter");
if (noAdapter?.kind === "no adapter") console.log(`no adapter: webgpu could not start here: ${noAdapter.message}`);
if (tensors) {
  const [before, after] = tensors;
  console.log(
    `tfjs live tensors before / after timing: ${before} / ${after}` +
      (after === before ? " (memory stays flat)." : " (LEAK: tensors are not freed)."),
  );
}
process.exit(0); // the Dawn instance behind navigator.gpu would keep the process alive
