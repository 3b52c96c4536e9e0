/**
 * optim.losses against NumPy float64 values (computed with numpy's logaddexp and a shifted
 * logsumexp, pasted below), their stable forms at extreme inputs, their gradients against
 * central differences (checkGrads, float64), and their bad-input errors. Values to 1e-12
 * relative: each loss is a handful of roundings from the reference.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  checkGrads,
  config,
  DTypeError,
  grad,
  nn,
  numpy as np,
  optim,
  OptionError,
  ShapeError,
  type Array as NdArray,
} from "../src/index.js";

const L = optim.losses;
const vals = (x: NdArray): number[] => Array.from(x.dataSync());
function close(got: NdArray, want: number[], rtol = 1e-12): void {
  expect(got.shape.reduce((a, b) => a * b, 1)).toBe(want.length);
  vals(got).forEach((g, i) =>
    expect(Math.abs(g - want[i]), `[${i}] ${g} vs ${want[i]}`).toBeLessThanOrEqual(rtol * (1 + Math.abs(want[i]))),
  );
}

describe("losses (float64) match NumPy", () => {
  beforeEach(() => config.update("enableX64", true));
  afterEach(() => config.update("enableX64", false));
  const z = () =>
    np.array([
      [1.0, -2.0, 0.5],
      [30.0, -40.0, 2.0],
    ]);
  const y = () =>
    np.array([
      [0.2, 0.3, 0.5],
      [0.0, 1.0, 0.0],
    ]);
  const p = () => np.array([0.5, -2.0, 3.0, 1000.0]);
  const q = () => np.array([0.25, 1.0, -0.5, 2.0]);

  it("softmaxCrossEntropy", () => close(L.softmaxCrossEntropy(z(), y()), [1.6545969023422833, 70.0000000000007]));
  it("softmaxCrossEntropy along axis 0 equals the transposed problem", () => {
    close(L.softmaxCrossEntropy(z().T, y().T, 0), [1.6545969023422833, 70.0000000000007]);
  });
  it("softmaxCrossEntropyWithIntegerLabels", () => {
    close(
      L.softmaxCrossEntropyWithIntegerLabels(z(), np.array([2, 1], "int32")),
      [1.0045969023422834, 70.0000000000007],
    );
  });
  it("the two cross entropies agree on one-hot labels", () => {
    const labels = np.array([0, 2], "int32");
    close(
      L.softmaxCrossEntropy(
        z(),
        np.array([
          [1, 0, 0],
          [0, 0, 1],
        ]),
      ),
      vals(L.softmaxCrossEntropyWithIntegerLabels(z(), labels)),
    );
  });
  it("sigmoidBinaryCrossEntropy, stable at ±50 and 60", () => {
    const s = np.array([-50.0, -1.5, 0.0, 0.7, 60.0]);
    const t = np.array([1.0, 0.0, 0.5, 1.0, 0.0]);
    close(L.sigmoidBinaryCrossEntropy(s, t), [50, 0.2014132779827524, 0.6931471805599453, 0.4031860488854579, 60]);
  });
  it("squaredError and l2Loss", () => {
    close(L.squaredError(p(), q()), [0.0625, 9, 12.25, 996004]);
    close(L.l2Loss(p(), q()), [0.03125, 4.5, 6.125, 498002]);
    close(L.squaredError(q()), vals(np.square(q())));
  });
  it("huberLoss with delta 1.5 (keyword-only, as optax)", () => {
    close(L.huberLoss(p(), q(), { delta: 1.5 }), [0.03125, 3.375, 4.125, 1495.875]);
  });
  it("logCosh, stable at an error of 998", () => {
    close(L.logCosh(p(), q()), [0.0309298036201614, 2.3093285045777852, 2.8077642858938288, 997.30685281944011]);
  });
  it("cosineSimilarity", () => {
    const a = np.array([
      [1.0, 2.0, -3.0],
      [0.5, 0.0, 0.25],
    ]);
    const b = np.array([
      [2.0, -1.0, 0.5],
      [1.0, 1.0, 1.0],
    ]);
    close(L.cosineSimilarity(a, b), [-0.1749635530559413, 0.7745966692414834]);
    close(L.cosineSimilarity(np.zeros([1, 2]), np.ones([1, 2]), { epsilon: 1e-12 }), [0]);
  });

  it("gradients match central differences", () => {
    const a = np.array([
      [0.3, -1.2, 0.8],
      [2.0, 0.1, -0.4],
    ]);
    const b = np.array([
      [0.1, 0.6, 0.3],
      [0.5, 0.25, 0.25],
    ]);
    const sum = (f: (x: NdArray) => NdArray) => (x: NdArray) => np.sum(f(x));
    checkGrads(
      sum((x) => L.softmaxCrossEntropy(x, b)),
      [a],
      2,
    );
    checkGrads(
      sum((x) => L.softmaxCrossEntropyWithIntegerLabels(x, np.array([1, 0], "int32"))),
      [a],
      2,
    );
    checkGrads(
      sum((x) => L.sigmoidBinaryCrossEntropy(x, b)),
      [a],
      2,
    );
    checkGrads(
      sum((x) => L.l2Loss(x, b)),
      [a],
      2,
    );
    checkGrads(
      sum((x) => L.huberLoss(x, b, { delta: 0.5 })),
      [a],
      1,
    );
    checkGrads(
      sum((x) => L.logCosh(x, b)),
      [a],
      2,
    );
    checkGrads(
      sum((x) => L.cosineSimilarity(x, b)),
      [a],
      2,
    );
  });
  it("the softmax cross entropy's gradient is softmax - labels", () => {
    const g = grad((x: NdArray) => np.sum(L.softmaxCrossEntropy(x, y())))(z());
    close(g, vals(np.subtract(nn.softmax(z()), y())), 1e-12);
  });
});

describe("losses: float32 and bad input", () => {
  it("keep float32", () => {
    expect(L.logCosh(np.array([1, 2], "float32")).dtype).toBe("float32");
    expect(L.softmaxCrossEntropyWithIntegerLabels(np.zeros([2, 3]), np.array([0, 1], "int32")).dtype).toBe("float32");
  });
  it("refuse integer logits and float labels", () => {
    expect(() => L.sigmoidBinaryCrossEntropy(np.array([1, 2], "int32"), np.array([1, 0]))).toThrow(DTypeError);
    expect(() => L.softmaxCrossEntropyWithIntegerLabels(np.zeros([2, 3]), np.array([0.0, 1.0]))).toThrow(
      /integer class indices/,
    );
  });
  it("refuse mismatched shapes", () => {
    expect(() => L.squaredError(np.zeros([3]), np.zeros([2]))).toThrow(ShapeError);
    expect(() => L.softmaxCrossEntropyWithIntegerLabels(np.zeros([2, 3]), np.array([[0]], "int32"))).toThrow(
      ShapeError,
    );
  });
  it("delta is keyword-only, as optax", () => {
    expect(() => (L.huberLoss as (...a: unknown[]) => unknown)(np.zeros([2]), null, 1.5)).toThrow(OptionError);
  });
});
