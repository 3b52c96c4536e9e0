/** Option cases for random.gamma, beta, dirichlet and poisson: JAX's positional order and a trailing object. */
import { numpy as np, random } from "../../src/index.js";
import type { OptionTableEntry } from "./table.js";

const key = random.key(0);
const keywordOnly = [{ outSharding: null }, { method: "exact" }, { method: null }];

export const samplersOptions: OptionTableEntry[] = [
  {
    op: "random.gamma",
    call: (...o) => (random.gamma as (...a: unknown[]) => unknown)(key, 2, ...o),
    cases: [
      { positional: [[3]], object: { shape: [3] } },
      { positional: [[2], "float64"], object: { shape: [2], dtype: "float64" }, mixed: [[[2]], { dtype: "float64" }] },
      { positional: [null, "float32"], object: { shape: null, dtype: "float32" } },
    ],
    keywordOnly,
  },
  {
    op: "random.beta",
    call: (...o) => (random.beta as (...a: unknown[]) => unknown)(key, 2, 3, ...o),
    cases: [
      { positional: [[3]], object: { shape: [3] } },
      { positional: [[2], "float64"], object: { shape: [2], dtype: "float64" }, mixed: [[[2]], { dtype: "float64" }] },
    ],
    keywordOnly,
  },
  {
    op: "random.dirichlet",
    call: (...o) => (random.dirichlet as (...a: unknown[]) => unknown)(key, np.array([1, 2, 3]), ...o),
    cases: [
      { positional: [[2]], object: { shape: [2] } },
      { positional: [[2], "float64"], object: { shape: [2], dtype: "float64" }, mixed: [[[2]], { dtype: "float64" }] },
    ],
    keywordOnly: [{ outSharding: null }],
  },
  {
    op: "random.poisson",
    call: (...o) => (random.poisson as (...a: unknown[]) => unknown)(key, 4, ...o),
    cases: [
      { positional: [[3]], object: { shape: [3] } },
      { positional: [[2], "uint32"], object: { shape: [2], dtype: "uint32" }, mixed: [[[2]], { dtype: "uint32" }] },
      { positional: [null, "int32"], object: { shape: null, dtype: "int32" } },
    ],
    keywordOnly,
  },
];
