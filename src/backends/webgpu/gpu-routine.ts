/** The shape of a webgpu routine and of the table each routine file exports (routine-table.ts gathers them). */
import type { ShapedArray } from "../../core/aval.js";
import type { Routine } from "../../kernel/routines.js";
import type { WebGpuBuffer } from "./buffer.js";

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
