/**
 * Every webgpu routine beyond the elementwise ones and dot_general, by routine
 * name: each file of this folder that runs routines exports a table of handlers,
 * and the backend looks a routine up here before answering null.
 */
import type { ShapedArray } from "../../core/aval.js";
import type { Routine } from "../../kernel/routines.js";
import type { WebGpuBuffer } from "./buffer.js";
import { INDEXING_ROUTINES } from "./indexing.js";
import { LINALG_ROUTINES } from "./linalg.js";
import { SCAN_SORT_ROUTINES } from "./scan-sort-table.js";
import { SPECTRAL_ROUTINES } from "./spectral.js";
import { STRUCTURAL_ROUTINES } from "./structural.js";
import { WINDOW_ROUTINES } from "./windows.js";

/**
 * Runs one routine on operands already in GPU memory: its results, or null when
 * it does not run these operands here (the backend then answers null).
 */
export type GpuRoutine<R extends Routine = Routine> = (
  r: R,
  xs: WebGpuBuffer[],
  inAvals: ShapedArray[],
  outAvals: ShapedArray[],
) => WebGpuBuffer[] | null;

/** The handlers of one file, by routine name, each given its own kind of routine. */
export type GpuRoutineTable = { readonly [K in Routine["name"]]?: GpuRoutine<Extract<Routine, { name: K }>> };

/** All of them. */
export const GPU_ROUTINES: GpuRoutineTable = {
  ...STRUCTURAL_ROUTINES,
  ...INDEXING_ROUTINES,
  ...SCAN_SORT_ROUTINES,
  ...SPECTRAL_ROUTINES,
  ...LINALG_ROUTINES,
  ...WINDOW_ROUTINES,
};
