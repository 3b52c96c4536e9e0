/**
 * A fixed amount of work on cotangent, for timing a change as a whole process
 * (old and new code in turn, e.g. with farm-bench):
 *
 *   node --import tsx bench/fixed-count.ts "W3 MLP SGD step" 150
 *
 * Runs the named workload of bench/peers/cotangent.ts `count` times after two
 * warm-up calls and prints the median and total time of the timed calls.
 */
import { setup } from "./peers/cotangent.js";
import { WORKLOADS, type WorkloadName } from "./peers/workloads.js";

const [name = "W3 MLP SGD step", countText = "150"] = process.argv.slice(2);
const workloads = await setup();
if (!(WORKLOADS as readonly string[]).includes(name)) {
  throw new Error(`unknown workload ${JSON.stringify(name)}: one of ${WORKLOADS.join(", ")}`);
}
const run = workloads.get(name as WorkloadName)!;
run();
run();
const times: number[] = [];
for (let i = 0; i < Number(countText); i++) {
  const t0 = performance.now();
  run();
  times.push(performance.now() - t0);
}
const total = times.reduce((a, b) => a + b, 0);
times.sort((a, b) => a - b);
console.log(
  `${name}: median ${times[times.length >> 1].toFixed(3)} ms, total ${total.toFixed(1)} ms over ${times.length}`,
);
