/** (being moved from src/primitives) */
import type { CpuRoutines } from "./table.js";

export const structuralRoutines: Pick<CpuRoutines, "broadcast_in_dim" | "transpose" | "iota" | "bitcast"> = {
  broadcast_in_dim: () => {
    throw new Error("[broadcast_in_dim] not moved yet");
  },
  transpose: () => {
    throw new Error("[transpose] not moved yet");
  },
  iota: () => {
    throw new Error("[iota] not moved yet");
  },
  bitcast: () => {
    throw new Error("[bitcast] not moved yet");
  },
};
