/**
 * Every webgpu routine beyond the elementwise ones and dot_general, by routine
 * name: each file of this folder that runs routines exports a table of handlers,
 * and the backend looks a routine up here before answering null.
 */
import type { GpuRoutineTable } from "./gpu-routine.js";
import { INDEXING_ROUTINES } from "./indexing.js";
import { LINALG_ROUTINES } from "./linalg.js";
import { SCAN_SORT_ROUTINES } from "./scan-sort-table.js";
import { SPECTRAL_ROUTINES } from "./spectral.js";
import { STRUCTURAL_ROUTINES } from "./structural.js";
import { WINDOW_ROUTINES } from "./windows.js";

/** All of them. */
export const GPU_ROUTINES: GpuRoutineTable = {
  ...STRUCTURAL_ROUTINES,
  ...INDEXING_ROUTINES,
  ...SCAN_SORT_ROUTINES,
  ...SPECTRAL_ROUTINES,
  ...LINALG_ROUTINES,
  ...WINDOW_ROUTINES,
};
