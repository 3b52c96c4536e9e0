/** (being moved from src/primitives) */
import type { CpuRoutines } from "./table.js";

export const indexingRoutines: Pick<CpuRoutines, "gather" | "scatter"> = {
  gather: () => {
    throw new Error("[gather] not moved yet");
  },
  scatter: () => {
    throw new Error("[scatter] not moved yet");
  },
};
