/** (being moved from src/primitives) */
import type { CpuRoutines } from "./table.js";

export const dotRoutines: Pick<CpuRoutines, "dot_general"> = {
  dot_general: () => {
    throw new Error("[dot_general] not moved yet");
  },
};
