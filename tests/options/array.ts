/** Option cases for the Array methods that declare options of their own (the others forward to numpy's). */
import { numpy as np } from "../../src/index.js";
import type { OptionTableEntry } from "./table.js";

const x = np.arange(6).reshape([2, 3]);

export const arrayMethodOptions: OptionTableEntry[] = [
  {
    // JAX: x.reshape(*shape, order="C"); order is keyword-only after the variadic shape.
    op: "Array.reshape",
    call: (...o) => (x.reshape as (...a: unknown[]) => unknown)([3, 2], ...o),
    cases: [],
    keywordOnly: [{ order: "F" }, { order: "C" }],
  },
];
