/** (being moved from src/primitives) */
import type { CpuRoutines } from "./table.js";

export const slicingRoutines: Pick<CpuRoutines, "slice" | "pad" | "concatenate" | "rev"> = {
  slice: () => {
    throw new Error("[slice] not moved yet");
  },
  pad: () => {
    throw new Error("[pad] not moved yet");
  },
  concatenate: () => {
    throw new Error("[concatenate] not moved yet");
  },
  rev: () => {
    throw new Error("[rev] not moved yet");
  },
};
