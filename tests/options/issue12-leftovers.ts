/** Option cases for scipy.linalg.expm/expmFrechet and the approximate samplers (random.gamma/beta/poisson method). */
import { numpy as np, random, scipy } from "../../src/index.js";
import type { OptionTableEntry } from "./table.js";

const key = random.key(0);
type Fn = (...args: unknown[]) => unknown;
const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
/** The sampler with method "approximate" added to its options (a given method, right or wrong, wins). */
const approximate =
  (f: Fn): Fn =>
  (...o) => {
    const last = o[o.length - 1];
    return isPlain(last)
      ? f(...o.slice(0, -1), { method: "approximate", ...last })
      : f(...o, { method: "approximate" });
  };
const shapeDtypeCases = [
  { positional: [[3]], object: { shape: [3] } },
  {
    positional: [[2], "float64"],
    object: { shape: [2], dtype: "float64" },
    mixed: [[[2]], { dtype: "float64" }] as [unknown[], Record<string, unknown>],
  },
];

const A = np.array([
  [0.1, 0.2],
  [0, 0.3],
]);

export const issue12LeftoverOptions: OptionTableEntry[] = [
  {
    op: "scipy.linalg.expm",
    call: (...o) => scipy.linalg.expm(A, ...(o as [])),
    cases: [],
    keywordOnly: [{ upperTriangular: true }, { maxSquarings: 4 }, { upperTriangular: false, maxSquarings: 16 }],
  },
  {
    op: "scipy.linalg.expmFrechet",
    call: (...o) => scipy.linalg.expmFrechet(A, A, ...(o as [])),
    cases: [],
    keywordOnly: [{ computeExpm: false }, { method: null }, { method: "SPS", computeExpm: true }],
  },
  {
    op: "random.gamma",
    call: approximate((...o) => (random.gamma as Fn)(key, 2, ...o)),
    cases: shapeDtypeCases,
    keywordOnly: [{ outSharding: null, method: "approximate" }],
  },
  {
    op: "random.beta",
    call: approximate((...o) => (random.beta as Fn)(key, 2, 3, ...o)),
    cases: shapeDtypeCases,
    keywordOnly: [{ outSharding: null, method: "approximate" }],
  },
  {
    op: "random.poisson",
    call: approximate((...o) => (random.poisson as Fn)(key, 4, ...o)),
    cases: [
      { positional: [[3]], object: { shape: [3] } },
      { positional: [[2], "uint32"], object: { shape: [2], dtype: "uint32" }, mixed: [[[2]], { dtype: "uint32" }] },
    ],
    keywordOnly: [{ outSharding: null, method: "approximate" }],
  },
];
