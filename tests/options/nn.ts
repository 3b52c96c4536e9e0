/** Option cases for `nn` and `scipy.special`. */
import { nn, numpy as np, scipy } from "../../src/index.js";
import type { NoOptionsEntry, OptionTableEntry } from "./table.js";

const x = np.array([
  [1, -2.5, 3],
  [4, 0.5, -6],
]);
const mask = np.array([
  [true, false, true],
  [true, true, false],
]);
const b = np.array([1, -1, 2]);

const call =
  (f: unknown, ...required: unknown[]) =>
  (...o: unknown[]) =>
    (f as (...a: unknown[]) => unknown)(...required, ...o);

const logsumexpEntry = (op: string, f: unknown): OptionTableEntry => ({
  op,
  call: call(f, x),
  cases: [
    { positional: [1], object: { axis: 1 } },
    { positional: [null, b], object: { b } },
    { positional: [1, null, true], object: { axis: 1, keepdims: true }, mixed: [[1], { keepdims: true }] },
    { positional: [-1, b, false, true], object: { axis: -1, b, returnSign: true } },
    { positional: [[0, 1], null, false, false, mask], object: { axis: [0, 1], where: mask } },
  ],
});

export const nnOptions: OptionTableEntry[] = [
  {
    op: "nn.gelu",
    call: call(nn.gelu, x),
    cases: [
      { positional: [false], object: { approximate: false } },
      { positional: [true], object: { approximate: true } },
    ],
  },
  { op: "nn.elu", call: call(nn.elu, x), cases: [{ positional: [0.5], object: { alpha: 0.5 } }] },
  { op: "nn.celu", call: call(nn.celu, x), cases: [{ positional: [2], object: { alpha: 2 } }] },
  { op: "nn.leakyRelu", call: call(nn.leakyRelu, x), cases: [{ positional: [0.2], object: { negativeSlope: 0.2 } }] },
  ...(
    [
      ["nn.softmax", nn.softmax],
      ["nn.logSoftmax", nn.logSoftmax],
    ] as const
  ).map(([op, f]): OptionTableEntry => ({
    op,
    call: call(f, x),
    cases: [
      { positional: [0], object: { axis: 0 } },
      { positional: [null], object: { axis: null } },
      { positional: [1, mask], object: { axis: 1, where: mask }, mixed: [[1], { where: mask }] },
    ],
  })),
  logsumexpEntry("nn.logsumexp", nn.logsumexp),
  logsumexpEntry("scipy.special.logsumexp", scipy.special.logsumexp),
  {
    op: "nn.standardize",
    call: call(nn.standardize, x),
    cases: [
      { positional: [0], object: { axis: 0 } },
      { positional: [-1, 1, 4], object: { mean: 1, variance: 4 } },
      { positional: [null, null, null, 0.5], object: { axis: null, epsilon: 0.5 } },
      { positional: [1, null, null, 1e-5, mask], object: { axis: 1, where: mask }, mixed: [[1], { where: mask }] },
    ],
  },
  {
    op: "nn.oneHot",
    call: call(nn.oneHot, np.array([0, 2, 1], "int32"), 3),
    cases: [],
    keywordOnly: [{ dtype: "int32" }, { axis: 0 }, { dtype: "bool", axis: -2 }],
  },
];

const activations = ["relu", "relu6", "sigmoid", "softplus", "logSigmoid", "silu", "selu", "hardTanh", "softSign"];
const specials = ["erf", "erfc", "erfinv", "gammaln", "digamma", "expit", "logit", "ndtr"];
const p = np.array([0.25, 0.5]);

export const nnNoOptions: NoOptionsEntry[] = [
  ...activations.map((n) => ({ name: `nn.${n}`, args: [x] })),
  ...specials.map((n) => ({ name: `scipy.special.${n}`, args: [p] })),
  { name: "scipy.special.polygamma", args: [2, p] },
  { name: "scipy.special.xlogy", args: [p, p] },
];
