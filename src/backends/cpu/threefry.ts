/** (being moved from src/primitives) */
import type { CpuRoutines } from "./table.js";

export const threefryRoutines: Pick<CpuRoutines, "threefry2x32"> = {
  threefry2x32: () => {
    throw new Error("[threefry2x32] not moved yet");
  },
};
