/**
 * The webgpu routines of threefry.ts (threefry2x32, bitcast), scan.ts and sort.ts, by name.
 */
import { oneResult as one } from "./buffer.js";
import type { GpuRoutineTable } from "./gpu-routine.js";
import { cumulative } from "./scan.js";
import { sort } from "./sort.js";
import { bitcast, threefry2x32 } from "./threefry.js";

/** threefry2x32, bitcast, cumulative and sort on GPU operands. */
export const SCAN_SORT_ROUTINES: GpuRoutineTable = {
  threefry2x32: (r, xs, inAvals, outAvals) => threefry2x32(r, xs, inAvals, outAvals),
  bitcast: (_r, xs, inAvals, outAvals) => one(bitcast(xs, inAvals, outAvals)),
  cumulative: (r, xs, inAvals, outAvals) => one(cumulative(r, xs, inAvals, outAvals)),
  sort: (r, xs, inAvals) => sort(r, xs, inAvals),
};
