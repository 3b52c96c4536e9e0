/** (being moved from src/primitives) */
import type { CpuRoutines } from "./table.js";

export const reduceRoutines: Pick<CpuRoutines, "reduce" | "argreduce" | "cumulative" | "sort"> = {
  reduce: () => {
    throw new Error("[reduce] not moved yet");
  },
  argreduce: () => {
    throw new Error("[argreduce] not moved yet");
  },
  cumulative: () => {
    throw new Error("[cumulative] not moved yet");
  },
  sort: () => {
    throw new Error("[sort] not moved yet");
  },
};
