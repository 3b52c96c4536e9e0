/** The `stablehlo` namespace: export takes any number of example arguments (pytrees), and no options. */
import { numpy as np } from "../../src/index.js";
import type { NoOptionsEntry } from "./table.js";

export const stablehloNoOptions: NoOptionsEntry[] = [
  {
    name: "stablehlo.export",
    args: [(x: unknown) => np.sin(x as never), np.ones([2])],
    variadic: "export's trailing arguments are the example arguments, any pytrees (a plain object is a dict argument)",
  },
];
