/** The shape of cpu's routine table: one function per routine, total (a missing one does not compile). */
import type { ShapedArray } from "../../core/aval.js";
import type { NdArray } from "../../core/array.js";
import type { TypedArray } from "../../core/dtypes.js";
import type { RoutineName, RoutineOf } from "../../kernel/routines.js";

/**
 * A routine on the cpu: its operands as arrays in JS memory (aval and values),
 * the avals of its results, and the results' values (fresh typed arrays, or an
 * operand's own when the result equals it: values are never written once made).
 */
export type CpuRoutine<N extends RoutineName> = (r: RoutineOf<N>, xs: NdArray[], outs: ShapedArray[]) => TypedArray[];

export type CpuRoutines = { [N in RoutineName]: CpuRoutine<N> };
