/**
 * The webgpu routines of threefry.ts (threefry2x32, bitcast), scan.ts and sort.ts, by name: the
 * backend asks here before answering null.
 */
import type { ShapedArray } from "../../core/aval.js";
import type { DeviceBuffer } from "../../core/buffer.js";
import type { Routine } from "../../kernel/routines.js";
import { onGpu, type WebGpuBuffer } from "./buffer.js";
import { cumulative } from "./scan.js";
import { sort } from "./sort.js";
import { bitcast, threefry2x32 } from "./threefry.js";

/** The results of `r` computed on the GPU, or null when it is not one of these routines (or not for these operands). */
export function scanSortRoutine(
  r: Routine,
  inputs: DeviceBuffer[],
  inAvals: ShapedArray[],
  outAvals: ShapedArray[],
  label: string,
): WebGpuBuffer[] | null {
  const gpu = (): WebGpuBuffer[] => inputs.map((b) => onGpu(b, label));
  switch (r.name) {
    case "threefry2x32":
      return threefry2x32(r, gpu(), inAvals, outAvals);
    case "bitcast": {
      const out = bitcast(gpu(), inAvals, outAvals);
      return out === null ? null : [out];
    }
    case "cumulative": {
      const out = cumulative(r, gpu(), inAvals, outAvals);
      return out === null ? null : [out];
    }
    case "sort":
      return sort(r, gpu(), inAvals);
    default:
      return null;
  }
}
