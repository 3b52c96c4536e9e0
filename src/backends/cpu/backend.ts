/**
 * The cpu backend: plain JavaScript, always available, the reference the others
 * are tested against. It runs every routine (the table below is total) and
 * compiles no kernels: a fused loop runs as its equations, one routine each.
 */
import type { ShapedArray } from "../../core/aval.js";
import { NdArray } from "../../core/array.js";
import { HostBuffer, type DeviceBuffer } from "../../core/buffer.js";
import { outputBuffer } from "../../core/buffers.js";
import type { DType, TypedArray } from "../../core/dtypes.js";
import type { Routine, RoutineName } from "../../kernel/routines.js";
import type { Backend } from "../interface.js";
import { dotRoutines } from "./dot.js";
import { elementwiseRoutines } from "./elementwise.js";
import { indexingRoutines } from "./indexing.js";
import { linalgSolveRoutines } from "./linalg-solve.js";
import { linalgSpectralRoutines } from "./linalg-spectral.js";
import { reduceRoutines } from "./reduce.js";
import { slicingRoutines } from "./slicing.js";
import { structuralRoutines } from "./structural.js";
import type { CpuRoutine, CpuRoutines } from "./table.js";
import { threefryRoutines } from "./threefry.js";
import { convRoutines } from "./conv.js";

const ROUTINES: CpuRoutines = {
  ...elementwiseRoutines,
  ...structuralRoutines,
  ...slicingRoutines,
  ...reduceRoutines,
  ...dotRoutines,
  ...indexingRoutines,
  ...threefryRoutines,
  ...convRoutines,
  ...linalgSolveRoutines,
  ...linalgSpectralRoutines,
};

/** The operands as arrays over their buffers (cpu routines read values through `_data`). */
function asArrays(inputs: DeviceBuffer[], avals: ShapedArray[]): NdArray[] {
  const xs = new Array<NdArray>(inputs.length);
  for (let i = 0; i < inputs.length; i++) xs[i] = new NdArray(avals[i], inputs[i]);
  return xs;
}

/**
 * A routine on arrays whose values are in JS memory, as the cpu runs it: the
 * eager path's shortcut (the arrays are the operands themselves, not re-wrapped).
 */
export function runOnHost(r: Routine, xs: NdArray[], outAvals: ShapedArray[]): TypedArray[] {
  return (ROUTINES[r.name] as CpuRoutine<RoutineName>)(r, xs, outAvals);
}

export const cpuBackend: Backend = {
  platform: "cpu",
  available: () => true,
  upload: (dtype: DType, data: TypedArray) => new HostBuffer(dtype, data),
  alloc: (dtype: DType, size: number) => new HostBuffer(dtype, outputBuffer(dtype, size)),
  kernelSupport: () => null,
  compile: () => null,
  run: () => false,
  routine(r: Routine, inputs: DeviceBuffer[], inAvals: ShapedArray[], outAvals: ShapedArray[]): DeviceBuffer[] {
    const run = ROUTINES[r.name] as CpuRoutine<RoutineName>;
    const outs = run(r, asArrays(inputs, inAvals), outAvals);
    const buffers = new Array<DeviceBuffer>(outs.length);
    for (let i = 0; i < outs.length; i++) buffers[i] = new HostBuffer(outAvals[i].dtype, outs[i]);
    return buffers;
  },
};
