/** Option cases for the numpy reductions. */
import { numpy as np } from "../../src/index.js";
import type { OptionTableEntry } from "./table.js";

const x = np.array([
  [1, -2, 3],
  [4, 5, -6],
]);
const mask = np.array([
  [true, false, true],
  [true, true, false],
]);

const sumLike = (op: "sum" | "prod"): OptionTableEntry => ({
  op,
  call: (...o) => (np[op] as (...a: unknown[]) => unknown)(x, ...o),
  cases: [
    { positional: [1], object: { axis: 1 } },
    { positional: [[0, 1]], object: { axis: [0, 1] } },
    { positional: [null, "int32"], object: { dtype: "int32" } },
    {
      positional: [0, null, null, true],
      object: { axis: 0, out: null, keepdims: true },
      mixed: [[0], { keepdims: true }],
    },
    { positional: [1, undefined, undefined, false, 10], object: { axis: 1, initial: 10 } },
    { positional: [0, null, null, false, null, mask], object: { axis: 0, where: mask } },
    { positional: [null, null, null, false, null, null, false], object: { promoteIntegers: false } },
  ],
});

const extreme = (op: "max" | "min"): OptionTableEntry => ({
  op,
  call: (...o) => (np[op] as (...a: unknown[]) => unknown)(x, ...o),
  cases: [
    { positional: [1], object: { axis: 1 } },
    { positional: [0, null, true], object: { axis: 0, out: null, keepdims: true } },
    { positional: [1, null, false, 4], object: { axis: 1, initial: 4 } },
    { positional: [0, null, false, 0, mask], object: { axis: 0, initial: 0, where: mask } },
  ],
});

const logical = (op: "all" | "any"): OptionTableEntry => ({
  op,
  call: (...o) => (np[op] as (...a: unknown[]) => unknown)(np.greater(x, 0), ...o),
  cases: [
    { positional: [1], object: { axis: 1 } },
    { positional: [0, null, true], object: { axis: 0, out: null, keepdims: true } },
  ],
  keywordOnly: [{ axis: 1, where: mask }],
});

const variance = (op: "var" | "std"): OptionTableEntry => ({
  op,
  call: (...o) => (np[op] as (...a: unknown[]) => unknown)(x, ...o),
  cases: [
    { positional: [1], object: { axis: 1 } },
    { positional: [null, "float64"], object: { dtype: "float64" } },
    { positional: [0, null, null, 1, true], object: { axis: 0, out: null, ddof: 1, keepdims: true } },
  ],
  keywordOnly: [{ axis: 1, where: mask }, { correction: 1 }],
});

const argLike = (op: "argmax" | "argmin"): OptionTableEntry => ({
  op,
  call: (...o) => (np[op] as (...a: unknown[]) => unknown)(x, ...o),
  cases: [
    { positional: [1], object: { axis: 1 } },
    { positional: [0, null, true], object: { axis: 0, out: null, keepdims: true } },
    { positional: [null, null, true], object: { keepdims: true } },
  ],
});

const cumulative = (op: "cumsum" | "cumprod"): OptionTableEntry => ({
  op,
  call: (...o) => (np[op] as (...a: unknown[]) => unknown)(x, ...o),
  cases: [
    { positional: [1], object: { axis: 1 } },
    { positional: [0, "float32", null], object: { axis: 0, dtype: "float32", out: null } },
  ],
});

export const reductionCases: OptionTableEntry[] = [
  sumLike("sum"),
  sumLike("prod"),
  extreme("max"),
  extreme("min"),
  logical("all"),
  logical("any"),
  variance("var"),
  variance("std"),
  argLike("argmax"),
  argLike("argmin"),
  cumulative("cumsum"),
  cumulative("cumprod"),
  {
    op: "mean",
    call: (...o) => (np.mean as (...a: unknown[]) => unknown)(x, ...o),
    cases: [
      { positional: [1], object: { axis: 1 } },
      { positional: [0, "float64", null, true], object: { axis: 0, dtype: "float64", out: null, keepdims: true } },
    ],
    keywordOnly: [{ axis: 1, where: mask }],
  },
];
