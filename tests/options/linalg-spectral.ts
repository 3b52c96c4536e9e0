/** Option cases for np.linalg's spectral functions: qr, svd, eigh, eigvalsh, pinv, lstsq, matrixRank. */
import { numpy as np } from "../../src/index.js";
import type { OptionTableEntry } from "./table.js";

const A = np.array([
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 10],
  [1, -1, 2],
]);
const S = np.array([
  [4, 1, -2],
  [1, 3, 0],
  [-2, 0, 5],
]);
const b = np.array([1, 2, 3, 4]);

const F = np.linalg as unknown as Record<string, (...a: unknown[]) => unknown>;
const call =
  (name: string, ...required: unknown[]) =>
  (...o: unknown[]) =>
    F[name](...required, ...o);

export const linalgSpectralOptions: OptionTableEntry[] = [
  {
    op: "linalg.qr",
    call: call("qr", A),
    cases: [
      { positional: ["complete"], object: { mode: "complete" } },
      { positional: ["r"], object: { mode: "r" } },
    ],
  },
  {
    op: "linalg.svd",
    call: call("svd", A),
    cases: [
      { positional: [false], object: { fullMatrices: false } },
      {
        positional: [true, false],
        object: { fullMatrices: true, computeUv: false },
        mixed: [[true], { computeUv: false }],
      },
      { positional: [false, true, true], object: { fullMatrices: false, computeUv: true, hermitian: true } },
    ],
  },
  {
    op: "linalg.eigh",
    call: call("eigh", S),
    cases: [
      { positional: ["U"], object: { UPLO: "U" } },
      { positional: [null, false], object: { symmetrizeInput: false }, mixed: [[null], { symmetrizeInput: false }] },
    ],
  },
  {
    op: "linalg.eigvalsh",
    call: call("eigvalsh", S),
    cases: [{ positional: ["U"], object: { UPLO: "U" } }],
    keywordOnly: [{ symmetrizeInput: false }, { UPLO: "L", symmetrizeInput: true }],
  },
  {
    op: "linalg.pinv",
    call: call("pinv", A),
    cases: [
      { positional: [0.1], object: { rtol: 0.1 } },
      { positional: [null, true], object: { hermitian: true } },
    ],
    keywordOnly: [{ rcond: 0.1 }],
  },
  {
    op: "linalg.lstsq",
    call: call("lstsq", A, b),
    cases: [{ positional: [0.01], object: { rcond: 0.01 } }],
  },
  {
    op: "linalg.matrixRank",
    call: call("matrixRank", A),
    cases: [{ positional: [0.5], object: { rtol: 0.5 } }],
    keywordOnly: [{ tol: 0.5 }],
  },
];
