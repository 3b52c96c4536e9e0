/** Option cases for np.linalg's solves (solve, inv, det, slogdet, cholesky, matrixPower) and scipy.linalg's factorizations. */
import { numpy as np, scipy } from "../../src/index.js";
import type { NoOptionsEntry, OptionTableEntry } from "./table.js";

const A = np.array([
  [4, 2, 1],
  [2, 5, 3],
  [1, 3, 6],
]);
const b = np.array([1, 2, 3]);

export const linalgSolveOptions: OptionTableEntry[] = [
  {
    op: "linalg.cholesky",
    call: (...o) => np.linalg.cholesky(A, ...(o as [])),
    cases: [],
    keywordOnly: [{ upper: true }, { symmetrizeInput: false }, { upper: false, symmetrizeInput: true }],
  },
  {
    op: "linalg.slogdet",
    call: (...o) => np.linalg.slogdet(A, ...(o as [])),
    cases: [],
    keywordOnly: [{ method: "lu" }, { method: null }],
  },
  {
    op: "scipy.linalg.solveTriangular",
    call: (...o) => scipy.linalg.solveTriangular(A, b, ...(o as [])),
    cases: [
      { positional: [1], object: { trans: 1 } },
      { positional: ["T", true], object: { trans: "T", lower: true }, mixed: [["T"], { lower: true }] },
      { positional: [0, false, true], object: { trans: 0, lower: false, unitDiagonal: true } },
      {
        positional: ["C", true, false, true, null, false],
        object: { trans: "C", lower: true, unitDiagonal: false, overwriteB: true, debug: null, checkFinite: false },
      },
    ],
  },
  {
    op: "scipy.linalg.choFactor",
    call: (...o) => scipy.linalg.choFactor(A, ...(o as [])),
    cases: [
      { positional: [true], object: { lower: true } },
      { positional: [false, true, false], object: { lower: false, overwriteA: true, checkFinite: false } },
    ],
  },
  {
    op: "scipy.linalg.choSolve",
    call: (...o) => scipy.linalg.choSolve(scipy.linalg.choFactor(A), b, ...(o as [])),
    cases: [{ positional: [true, false], object: { overwriteB: true, checkFinite: false } }],
  },
  {
    op: "scipy.linalg.luFactor",
    call: (...o) => scipy.linalg.luFactor(A, ...(o as [])),
    cases: [{ positional: [true, false], object: { overwriteA: true, checkFinite: false } }],
  },
  {
    op: "scipy.linalg.luSolve",
    call: (...o) => scipy.linalg.luSolve(scipy.linalg.luFactor(A), b, ...(o as [])),
    cases: [
      { positional: [1], object: { trans: 1 } },
      { positional: [2, true, false], object: { trans: 2, overwriteB: true, checkFinite: false } },
    ],
  },
  {
    op: "scipy.linalg.lu",
    call: (...o) => scipy.linalg.lu(A, ...(o as [])),
    cases: [
      { positional: [true], object: { permuteL: true } },
      { positional: [false, true, false], object: { permuteL: false, overwriteA: true, checkFinite: false } },
    ],
  },
];

export const linalgSolveNoOptions: NoOptionsEntry[] = [
  { name: "linalg.solve", args: [A, b] },
  { name: "linalg.inv", args: [A] },
  { name: "linalg.det", args: [A] },
  { name: "linalg.matrixPower", args: [A, 3] },
];
