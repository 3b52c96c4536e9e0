/**
 * Times every workload of one library, alone in this process, and prints the
 * results as one JSON line (bench/compare.ts starts one of these per library).
 * Alone, because libraries loaded side by side bill each other: one library's
 * heap makes every garbage collection of the others longer.
 */
import { time, timingSettings } from "./harness.js";
import { WORKLOADS, type WorkloadName, type Workloads } from "./peers/workloads.js";

export type Cell = { kind: "time"; us: number } | { kind: "error"; message: string } | { kind: "n/a" };
export interface LibraryTimings {
  cells: Partial<Record<WorkloadName, Cell>>;
  /** tfjs only: live tensors before and after timing (a leak check). */
  tensors?: [number, number];
}

const message = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

const SETUPS: Record<string, () => Promise<{ workloads: Workloads; liveTensors?: () => number }>> = {
  cotangent: async () => ({ workloads: await (await import("./peers/cotangent.js")).setup() }),
  "jax-js": async () => ({ workloads: await (await import("./peers/jaxjs.js")).setup() }),
  tfjs: async () => {
    const tfjs = await import("./peers/tfjs.js");
    return { workloads: await tfjs.setup(), liveTensors: tfjs.liveTensors };
  },
};

async function timeLibrary(name: string): Promise<LibraryTimings> {
  const cells: LibraryTimings["cells"] = {};
  const { workloads, liveTensors } = await SETUPS[name]();
  const before = liveTensors?.();
  for (const w of WORKLOADS) {
    const fn = workloads.get(w);
    if (!fn) {
      cells[w] = { kind: "n/a" };
      continue;
    }
    try {
      // Two calls first (the first one compiles, in the libraries that compile), then one timed call to choose the
      // timing settings from.
      fn();
      fn();
      const t0 = performance.now();
      fn();
      const oneCallUs = (performance.now() - t0) * 1000;
      cells[w] = { kind: "time", us: time(fn, timingSettings(oneCallUs)).medianUs };
    } catch (e) {
      cells[w] = { kind: "error", message: message(e) };
    }
  }
  return { cells, tensors: liveTensors ? [before!, liveTensors()] : undefined };
}

const name = process.argv[2];
if (!(name in SETUPS)) throw new Error(`time-library: unknown library ${name}, expected one of ${Object.keys(SETUPS)}`);
console.log(JSON.stringify(await timeLibrary(name)));
