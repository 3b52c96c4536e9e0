/**
 * Option cases for `optim` (optax): each optimizer and building block runs two update
 * steps on a small tree, each schedule is evaluated at a few counts, so both forms of
 * the options must give the same numbers.
 */
import { numpy as np, optim } from "../../src/index.js";
import type { NoOptionsEntry, OptionTableEntry } from "./table.js";

type Maker = (...a: unknown[]) => optim.GradientTransformation;

/** Two update steps of a transformation on a fixed tree: the second step's updates. */
function twoSteps(t: optim.GradientTransformation): unknown {
  const params = { a: np.array([0.5, -1.0]), b: np.array([[2.0]]) };
  let state = t.init(params);
  let updates: unknown;
  for (const g of [
    [0.3, -0.2, 1.0],
    [-0.1, 0.4, 0.5],
  ]) {
    [updates, state] = t.update({ a: np.array(g.slice(0, 2)), b: np.array([[g[2]]]) }, state, params);
  }
  return updates;
}
const stepping =
  (f: unknown, ...required: unknown[]) =>
  (...o: unknown[]) =>
    twoSteps((f as Maker)(...required, ...o));
const atCounts =
  (f: unknown, ...required: unknown[]) =>
  (...o: unknown[]) => {
    const s = (f as (...a: unknown[]) => optim.Schedule)(...required, ...o);
    return [0, 3, 7].map((c) => np.asArray(s(c)));
  };
const loss =
  (f: unknown, ...required: unknown[]) =>
  (...o: unknown[]) =>
    (f as (...a: unknown[]) => unknown)(...required, ...o);

const lr = optim.linearSchedule(0.1, 0.01, 5);
const mask = { a: true, b: false };
const L = optim.losses;

export const optimOptionEntries: OptionTableEntry[] = [
  {
    op: "optim.scaleByLearningRate",
    call: stepping(optim.scaleByLearningRate, 0.1),
    cases: [],
    keywordOnly: [{ flipSign: false }, { flipSign: true }],
  },
  {
    // A trailing object may be the mask (a tree of booleans): data, not options.
    op: "optim.addDecayedWeights",
    trailingData: true,
    call: stepping(optim.addDecayedWeights),
    cases: [
      { positional: [0.1], object: { weightDecay: 0.1 } },
      { positional: [lr, mask], object: { weightDecay: lr, mask }, mixed: [[lr], { mask }] },
      { positional: [0.1, null], object: { weightDecay: 0.1, mask: null } },
    ],
  },
  {
    op: "optim.traceTransform",
    call: stepping(optim.traceTransform, 0.9),
    cases: [{ positional: [true, "float32"], object: { nesterov: true, accumulatorDtype: "float32" } }],
  },
  {
    op: "optim.scaleByAdam",
    call: stepping(optim.scaleByAdam),
    cases: [
      {
        positional: [0.8, 0.99, 1e-3, 1e-4, null],
        object: { b1: 0.8, b2: 0.99, eps: 1e-3, epsRoot: 1e-4, muDtype: null },
      },
    ],
    keywordOnly: [{ nesterov: true }],
  },
  ...(["scaleByRms", "scaleByStddev"] as const).map((name): OptionTableEntry => ({
    op: `optim.${name}`,
    call: stepping(optim[name]),
    cases: [
      {
        positional: [0.8, 1e-4, 0.5, false, true],
        object: { decay: 0.8, eps: 1e-4, initialScale: 0.5, epsInSqrt: false, biasCorrection: true },
      },
    ],
  })),
  {
    op: "optim.scaleByRss",
    call: stepping(optim.scaleByRss),
    cases: [{ positional: [0.5, 1e-3], object: { initialAccumulatorValue: 0.5, eps: 1e-3 } }],
  },
  {
    op: "optim.scaleByLion",
    call: stepping(optim.scaleByLion),
    cases: [{ positional: [0.5, 0.9, "float32"], object: { b1: 0.5, b2: 0.9, muDtype: "float32" } }],
  },
  {
    op: "optim.scaleByTrustRatio",
    call: stepping(optim.scaleByTrustRatio),
    cases: [{ positional: [0.1, 0.5, 1e-3], object: { minNorm: 0.1, trustCoefficient: 0.5, eps: 1e-3 } }],
  },
  {
    op: "optim.sgd",
    call: stepping(optim.sgd, 0.1),
    cases: [
      { positional: [0.9, true, null], object: { momentum: 0.9, nesterov: true, accumulatorDtype: null } },
      { positional: [null], object: { momentum: null } },
    ],
  },
  {
    op: "optim.adam",
    call: stepping(optim.adam, lr),
    cases: [
      {
        positional: [0.8, 0.99, 1e-3, 1e-4, null],
        object: { b1: 0.8, b2: 0.99, eps: 1e-3, epsRoot: 1e-4, muDtype: null },
      },
    ],
    keywordOnly: [{ nesterov: true }],
  },
  {
    op: "optim.adamw",
    trailingData: true,
    call: stepping(optim.adamw, 0.1),
    cases: [
      {
        positional: [0.8, 0.99, 1e-3, 0, null, 0.5, mask],
        object: { b1: 0.8, b2: 0.99, eps: 1e-3, epsRoot: 0, muDtype: null, weightDecay: 0.5, mask },
      },
    ],
    keywordOnly: [{ nesterov: true }],
  },
  {
    op: "optim.rmsprop",
    call: stepping(optim.rmsprop, 0.1),
    cases: [
      {
        positional: [0.8, 1e-4, 0.5, false, true, 0.9, true, true],
        object: {
          decay: 0.8,
          eps: 1e-4,
          initialScale: 0.5,
          epsInSqrt: false,
          centered: true,
          momentum: 0.9,
          nesterov: true,
          biasCorrection: true,
        },
      },
    ],
  },
  {
    op: "optim.adagrad",
    call: stepping(optim.adagrad, 0.1),
    cases: [{ positional: [0.5, 1e-3], object: { initialAccumulatorValue: 0.5, eps: 1e-3 } }],
  },
  {
    op: "optim.lamb",
    trailingData: true,
    call: stepping(optim.lamb, 0.1),
    cases: [
      {
        positional: [0.8, 0.99, 1e-3, 1e-4, 0.5, mask],
        object: { b1: 0.8, b2: 0.99, eps: 1e-3, epsRoot: 1e-4, weightDecay: 0.5, mask },
      },
    ],
  },
  {
    op: "optim.lion",
    trailingData: true,
    call: stepping(optim.lion, 0.1),
    cases: [
      {
        positional: [0.5, 0.9, null, 0.5, mask],
        object: { b1: 0.5, b2: 0.9, muDtype: null, weightDecay: 0.5, mask },
      },
    ],
  },
  {
    op: "optim.multiSteps",
    call: stepping(optim.multiSteps, optim.sgd(1), 2),
    cases: [
      {
        positional: [false, optim.skipNotFinite, "float32"],
        object: { useGradMean: false, shouldSkipUpdateFn: optim.skipNotFinite, accumulatorDtype: "float32" },
      },
      { positional: [true, null], object: { useGradMean: true, shouldSkipUpdateFn: null } },
    ],
  },
  {
    op: "optim.polynomialSchedule",
    call: atCounts(optim.polynomialSchedule, 1, 0.1, 2, 5),
    cases: [{ positional: [2], object: { transitionBegin: 2 } }],
  },
  {
    op: "optim.linearSchedule",
    call: atCounts(optim.linearSchedule, 1, 0.1, 5),
    cases: [{ positional: [2], object: { transitionBegin: 2 } }],
  },
  {
    op: "optim.exponentialDecay",
    call: atCounts(optim.exponentialDecay, 1, 2, 0.5),
    cases: [
      { positional: [1, true, 0.3], object: { transitionBegin: 1, staircase: true, endValue: 0.3 } },
      { positional: [0, false, null], object: { transitionBegin: 0, staircase: false, endValue: null } },
    ],
  },
  {
    op: "optim.cosineDecaySchedule",
    call: atCounts(optim.cosineDecaySchedule, 1, 10),
    cases: [{ positional: [0.1, 2], object: { alpha: 0.1, exponent: 2 } }],
  },
  {
    // Every parameter may be positional or in the one object (optax's config form).
    op: "optim.warmupCosineDecaySchedule",
    call: atCounts(optim.warmupCosineDecaySchedule),
    cases: [
      {
        positional: [0, 1, 2, 10, 0.1, 2],
        object: { initValue: 0, peakValue: 1, warmupSteps: 2, decaySteps: 10, endValue: 0.1, exponent: 2 },
        mixed: [[0, 1, 2, 10], { endValue: 0.1, exponent: 2 }],
      },
    ],
  },
  ...(["softmaxCrossEntropy", "softmaxCrossEntropyWithIntegerLabels"] as const).map((name): OptionTableEntry => ({
    op: `optim.losses.${name}`,
    call: loss(
      L[name],
      np.array([
        [1, 2],
        [3, 4],
        [0.5, -1],
      ]),
      name === "softmaxCrossEntropy"
        ? np.array([
            [0.5, 0.5],
            [1, 0],
            [0, 1],
          ])
        : np.array([1, 0, 1], "int32"),
    ),
    cases: [
      { positional: [-1, null], object: { axis: -1, where: null } },
      { positional: [1, [true, false, true]], object: { axis: 1, where: [true, false, true] } },
    ],
  })),
  {
    op: "optim.losses.huberLoss",
    call: loss(L.huberLoss, np.array([0.5, 3]), null),
    cases: [],
    keywordOnly: [{ delta: 2 }],
  },
  {
    op: "optim.losses.cosineSimilarity",
    call: loss(
      L.cosineSimilarity,
      np.array([
        [1.0, 2.0],
        [0.0, 0.0],
      ]),
      np.array([
        [2.0, 1.0],
        [1.0, 0.0],
      ]),
    ),
    cases: [],
    keywordOnly: [
      { epsilon: 1e-6, axis: 0 },
      {
        where: [
          [true, false],
          [true, true],
        ],
      },
    ],
  },
];

const params = { a: np.array([1.0]) };
export const optimNoOptions: NoOptionsEntry[] = [
  { name: "optim.chain", args: [optim.sgd(0.1)], variadic: "chain's arguments are any number of transformations" },
  { name: "optim.identity", args: [] },
  { name: "optim.scale", args: [0.5] },
  { name: "optim.scaleBySchedule", args: [lr] },
  { name: "optim.clip", args: [1] },
  { name: "optim.clipByGlobalNorm", args: [1] },
  { name: "optim.constantSchedule", args: [0.1] },
  { name: "optim.joinSchedules", args: [[lr, lr], [3]] },
  { name: "optim.applyIfFinite", args: [optim.sgd(0.1), 3] },
  { name: "optim.applyUpdates", args: [params, params] },
  {
    name: "optim.skipNotFinite",
    args: [params],
    variadic: "optax's signature (updates, gradient_step, params) takes and ignores two more arguments",
  },
  { name: "optim.losses.sigmoidBinaryCrossEntropy", args: [np.array([0.5]), np.array([1.0])] },
  { name: "optim.losses.squaredError", args: [np.array([0.5]), np.array([1.0])] },
  { name: "optim.losses.l2Loss", args: [np.array([0.5]), np.array([1.0])] },
  { name: "optim.losses.logCosh", args: [np.array([0.5]), np.array([1.0])] },
];
