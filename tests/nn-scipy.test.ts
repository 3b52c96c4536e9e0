/**
 * `nn` activations and the softmax family, and `scipy.special`: values against
 * closed forms evaluated in JS float64 (computed by the library in float64, so
 * the tolerances measure the library and not float32 rounding), the
 * float32 behaviour at extreme inputs, and gradients against closed-form
 * derivatives or central differences.
 */
import { describe, expect, it } from "vitest";
import { grad, nn, numpy as np, scipy, type Array as NdArray } from "../src/index.js";

const vals = (a: NdArray): number[] => Array.from(a.dataSync() as ArrayLike<number>);
const f64 = (xs: number[]): NdArray => np.asarray(new Float64Array(xs));

/** |a − e| ≤ atol + rtol·|e| elementwise; NaN and ±∞ must match exactly. */
function expectClose(actual: NdArray | number[], expected: number[], rtol: number, atol = 0): void {
  const a = Array.isArray(actual) ? actual : vals(actual);
  expect(a.length, "length").toBe(expected.length);
  const bad = expected
    .map((e, i) => {
      const ok = Number.isNaN(e) ? Number.isNaN(a[i]) : a[i] === e || Math.abs(a[i] - e) <= atol + rtol * Math.abs(e);
      return ok ? null : `[${i}] got ${a[i]}, expected ${e}`;
    })
    .filter((s) => s !== null);
  expect(bad).toEqual([]);
}

/** Float64 results of a handful of roundings: 2⁻⁵² ≈ 2.2e-16 each. */
const F64 = 2e-15;
/** A few float32 roundings: 2⁻²³ ≈ 1.2e-7 each. */
const F32 = 5e-7;

/** Central difference (f(x + h) − f(x − h)) / 2h of a scalar function, in float64. */
function centralDiff(f: (x: NdArray) => NdArray, x: number, h = 1e-5): number {
  const at = (v: number): number => f(np.float64(v)).item() as number;
  return (at(x + h) - at(x - h)) / (2 * h);
}
/** Gradient against central differences: truncation O(h²·f''') ≈ 1e-10, rounding O(ε/h) ≈ 1e-11. */
function expectGradFd(f: (x: NdArray) => NdArray, xs: number[]): void {
  for (const x of xs) {
    const g = grad(f)(np.float64(x));
    expect(g.dtype).toBe("float64");
    expectClose([g.item() as number], [centralDiff(f, x)], 1e-8, 1e-9);
  }
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

// Φ(x) and erf reference values (mpmath, 20 digits, rounded to double).
const PHI = new Map([
  [1, 0.8413447460685429],
  [2, 0.9772498680518208],
  [-2, 0.02275013194817921],
  [-1.96, 0.024997895148220435],
  [0, 0.5],
]);

describe("nn activations", () => {
  const xs = [-3, -2, -0.5, 0, 0.5, 2, 7];
  const x = f64(xs);

  it("relu, relu6, leakyRelu, hardTanh, softSign: piecewise closed forms", () => {
    expectClose(
      nn.relu(x),
      xs.map((v) => Math.max(v, 0)),
      0,
    );
    expectClose(
      nn.relu6(x),
      xs.map((v) => Math.min(Math.max(v, 0), 6)),
      0,
    );
    expectClose(
      nn.leakyRelu(x),
      xs.map((v) => (v >= 0 ? v : 0.01 * v)),
      F64,
    );
    expectClose(
      nn.leakyRelu(x, 0.2),
      xs.map((v) => (v >= 0 ? v : 0.2 * v)),
      F64,
    );
    expectClose(
      nn.hardTanh(x),
      xs.map((v) => Math.min(Math.max(v, -1), 1)),
      0,
    );
    expectClose(
      nn.softSign(x),
      xs.map((v) => v / (Math.abs(v) + 1)),
      F64,
    );
    // NaN propagates, as jnp.maximum does.
    expectClose(nn.relu(np.array([NaN, -1])), [NaN, 0], 0);
    expectClose(nn.relu6(np.array([NaN, 9])), [NaN, 6], 0);
    expect(nn.relu(np.arange(3)).dtype).toBe("float32");
  });

  it("relu and relu6 have derivative 0 at their kinks, as JAX", () => {
    expect(grad((v: NdArray) => nn.relu(v))(np.float32(0)).item()).toBe(0);
    expectClose(grad((v: NdArray) => np.sum(nn.relu(v)))(np.array([-1, 0, 1])), [0, 0, 1], 0);
    expectClose(grad((v: NdArray) => np.sum(nn.relu6(v)))(np.array([-1, 0, 1, 6, 7])), [0, 0, 1, 0, 0], 0);
    expectClose(grad((v: NdArray) => np.sum(nn.leakyRelu(v)))(np.array([-1, 0, 1])), [0.01, 1, 1], F32);
    expectClose(grad((v: NdArray) => np.sum(nn.hardTanh(v)))(np.array([-2, 0.5, 2])), [0, 1, 0], 0);
  });

  it("sigmoid, softplus, logSigmoid, silu", () => {
    expectClose(nn.sigmoid(x), xs.map(sigmoid), F64);
    expectClose(nn.softplus(x), xs.map(softplus), F64);
    expectClose(
      nn.logSigmoid(x),
      xs.map((v) => -softplus(-v)),
      F64,
    );
    expectClose(
      nn.silu(x),
      xs.map((v) => v * sigmoid(v)),
      F64,
    );
    expectClose(
      nn.swish(x),
      xs.map((v) => v * sigmoid(v)),
      F64,
    );
    // σ'(0) = ¼; silu'(x) = σ(x)(1 + x(1 − σ(x))).
    expect(grad((v: NdArray) => nn.sigmoid(v))(np.float64(0)).item()).toBe(0.25);
    const s1 = sigmoid(1);
    expectClose([grad((v: NdArray) => nn.silu(v))(np.float64(1)).item() as number], [s1 * (1 + (1 - s1))], F64);
    // softplus'(x) = σ(x).
    expectClose([grad((v: NdArray) => nn.softplus(v))(np.float64(-1.5)).item() as number], [sigmoid(-1.5)], F64);
  });

  it("softplus and logSigmoid stay finite and exact at large inputs (float32)", () => {
    // log(1 + e¹⁰⁰) = 100 + log1p(e⁻¹⁰⁰) rounds to 100; its derivative σ(100) rounds to 1.
    expect(nn.softplus(np.float32(100)).item()).toBe(100);
    expect(grad((v: NdArray) => nn.softplus(v))(np.float32(100)).item()).toBe(1);
    expect(nn.logSigmoid(np.float32(-100)).item()).toBe(-100);
    expect(nn.softplus(np.float32(-100)).item()).toBeGreaterThan(0);
    // σ(−100) ≈ e⁻¹⁰⁰ is a float32 subnormal: within one subnormal step (2⁻¹⁴⁹).
    expectClose(nn.sigmoid(np.array([-100, 100])), [Math.exp(-100), 1], 0, 2 ** -149);
  });

  it("gelu, approximate (tanh) and exact (erf)", () => {
    const c = Math.sqrt(2 / Math.PI);
    const tanhGelu = (v: number) => 0.5 * v * (1 + Math.tanh(c * (v + 0.044715 * v ** 3)));
    expectClose(nn.gelu(x), xs.map(tanhGelu), F64);
    expectClose(nn.gelu(x, true), xs.map(tanhGelu), F64);
    // Exact: x·Φ(x).
    const pts = [1, 2, -2, 0];
    expectClose(
      nn.gelu(f64(pts), false),
      pts.map((v) => v * PHI.get(v)!),
      4e-15,
    );
    expectGradFd((v) => nn.gelu(v), [-1.5, 0.3, 2]);
    expectGradFd((v) => nn.gelu(v, false), [-1.5, 0.3, 2]);
    // d/dx x·Φ(x) = Φ(x) + x·φ(x) at 1.
    const phi1 = Math.exp(-0.5) / Math.sqrt(2 * Math.PI);
    expectClose([grad((v: NdArray) => nn.gelu(v, false))(np.float64(1)).item() as number], [PHI.get(1)! + phi1], 4e-15);
  });

  it("elu, celu, selu with their alphas", () => {
    const elu = (v: number, a = 1) => (v > 0 ? v : a * Math.expm1(v));
    expectClose(
      nn.elu(x),
      xs.map((v) => elu(v)),
      F64,
    );
    expectClose(
      nn.elu(x, 2),
      xs.map((v) => elu(v, 2)),
      F64,
    );
    expectClose(
      nn.celu(x),
      xs.map((v) => Math.max(v, 0) + Math.min(0, Math.expm1(v))),
      F64,
    );
    expectClose(
      nn.celu(x, 2),
      xs.map((v) => Math.max(v, 0) + Math.min(0, 2 * Math.expm1(v / 2))),
      F64,
    );
    expectClose(
      nn.selu(x),
      xs.map((v) => SELU_SCALE * elu(v, SELU_ALPHA)),
      F64,
    );
    // elu'(x) = eˣ for x < 0, 1 for x > 0.
    expectClose(grad((v: NdArray) => np.sum(nn.elu(v)))(f64([-1, 1])), [Math.exp(-1), 1], F64);
    expectGradFd((v) => nn.celu(v, 2), [-1.3, 0.7]);
    expectGradFd((v) => nn.selu(v), [-1.3, 0.7]);
  });
});

describe("softmax, logSoftmax, logsumexp", () => {
  const refSoftmax = (row: number[]) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((p, q) => p + q, 0);
    return e.map((v) => v / s);
  };
  const refLse = (row: number[]) => {
    const m = Math.max(...row);
    if (!Number.isFinite(m)) return m === -Infinity ? -Infinity : m;
    return m + Math.log(row.reduce((p, v) => p + Math.exp(v - m), 0));
  };

  it("softmax along the last axis by default, along any axis, over all axes", () => {
    const m = [
      [1, 2, 3],
      [1, 1, 1],
    ];
    expectClose(nn.softmax(np.array(m, "float64")), m.flatMap(refSoftmax), F64);
    // axis 0: columns.
    const cols = [0, 1, 2].map((j) => refSoftmax([m[0][j], m[1][j]]));
    expectClose(
      nn.softmax(np.array(m, "float64"), 0),
      [0, 1].flatMap((i) => cols.map((c) => c[i])),
      F64,
    );
    expectClose(nn.softmax(np.array(m, "float64"), { axis: null }), refSoftmax(m.flat()), F64);
    expectClose(nn.softmax(np.array(m, "float64"), [0, 1]), refSoftmax(m.flat()), F64);
    // -∞ entries get probability 0.
    expectClose(nn.softmax(f64([-Infinity, 0, 0])), [0, 0.5, 0.5], 0);
  });

  it("is stable at large inputs (float32): shifted by the maximum", () => {
    // x − max is exact, so these equal softmax([−2, −1, 0]) to float32 rounding.
    expectClose(nn.softmax(np.array([1000, 1001, 1002])), refSoftmax([0, 1, 2]), F32);
    expectClose(
      nn.logSoftmax(np.array([1000, 1001, 1002])),
      [-2, -1, 0].map((v) => v - refLse([-2, -1, 0])),
      F32,
    );
    expectClose(nn.softmax(np.array([-1000, -1001])), refSoftmax([0, -1]), F32);
  });

  it("logSoftmax = x − logsumexp(x), along an axis", () => {
    const m = [
      [0, 0],
      [0, Math.log(3)],
    ];
    // Columns: (0, 0) → log ½ each; (0, log 3) → log ¼, log ¾.
    expectClose(
      nn.logSoftmax(np.array(m, "float64"), 0),
      [Math.log(0.5), Math.log(0.25), Math.log(0.5), Math.log(0.75)],
      F64,
    );
    const row = [0.5, -1, 2];
    expectClose(
      nn.logSoftmax(f64(row)),
      row.map((v) => v - refLse(row)),
      F64,
    );
  });

  it("gradients: ∂softmax₀/∂xⱼ = s₀(δ₀ⱼ − sⱼ), ∂logSoftmax₀/∂xⱼ = δ₀ⱼ − sⱼ, ∇logsumexp = softmax", () => {
    const row = [1, 2, 3];
    const s = refSoftmax(row);
    expectClose(
      grad((v: NdArray) => nn.softmax(v).get(0))(f64(row)),
      s.map((sj, j) => s[0] * ((j === 0 ? 1 : 0) - sj)),
      F64,
      1e-17,
    );
    expectClose(
      grad((v: NdArray) => nn.logSoftmax(v).get(0))(f64(row)),
      s.map((sj, j) => (j === 0 ? 1 : 0) - sj),
      F64,
      1e-16,
    );
    expectClose(grad((v: NdArray) => nn.logsumexp(v))(f64(row)), s, F64);
    // A -∞ entry gets zero gradient.
    expectClose(grad((v: NdArray) => nn.logsumexp(v))(f64([-Infinity, 0])), [0, 1], 0);
  });

  it("logsumexp: axis, keepdims, -∞ and +∞ entries, large values", () => {
    expectClose(nn.logsumexp(f64([1, 2, 3])), [refLse([1, 2, 3])], F64);
    const m = [
      [1, 2],
      [3, 4],
    ];
    expectClose(nn.logsumexp(np.array(m, "float64"), 1), m.map(refLse), F64);
    const kd = nn.logsumexp(np.array(m, "float64"), { axis: 0, keepdims: true });
    expect(kd.shape).toEqual([1, 2]);
    expectClose(kd, [refLse([1, 3]), refLse([2, 4])], F64);
    expect(nn.logsumexp(np.array(m), -1, { keepdims: true }).shape).toEqual([2, 1]);
    expectClose(nn.logsumexp(f64([-Infinity, 0])), [0], 0);
    expectClose(nn.logsumexp(f64([-Infinity, -Infinity])), [-Infinity], 0);
    expectClose(nn.logsumexp(f64([Infinity, 0])), [Infinity], 0);
    // float32: 1000 + log 2 without overflow.
    expectClose(nn.logsumexp(np.array([1000, 1000])), [Math.fround(1000 + Math.LN2)], 0);
    expectClose(scipy.special.logsumexp(f64([1, 2])), [refLse([1, 2])], F64);
  });
});

describe("oneHot and standardize", () => {
  it("oneHot: out-of-range classes are all zeros; dtype; axis", () => {
    const h = nn.oneHot(np.array([0, 2, 5, -1], "int32"), 3);
    expect([h.dtype, h.tolist()]).toEqual([
      "float32",
      [
        [1, 0, 0],
        [0, 0, 1],
        [0, 0, 0],
        [0, 0, 0],
      ],
    ]);
    const i = nn.oneHot([1, 0], 2, { dtype: "int32" });
    expect([i.dtype, i.tolist()]).toEqual([
      "int32",
      [
        [0, 1],
        [1, 0],
      ],
    ]);
    expect(nn.oneHot(np.array([0, 2]), 3, { axis: 0 }).tolist()).toEqual([
      [1, 0],
      [0, 0],
      [0, 1],
    ]);
    const b = nn.oneHot(np.array([[0, 2]]), 3, { axis: 1 });
    expect(b.shape).toEqual([1, 3, 2]);
    expect(b.tolist()).toEqual([
      [
        [1, 0],
        [0, 0],
        [0, 1],
      ],
    ]);
    expect(nn.oneHot(np.array([1]), 2, { dtype: "bool" }).tolist()).toEqual([[false, true]]);
  });

  it("standardize: (x − mean) / √(var + ε)", () => {
    const rows = [
      [1, 2, 3],
      [2, 2, 2],
      [-1, 4, 0.5],
    ];
    const ref = (r: number[], eps = 1e-5) => {
      const mu = r.reduce((p, q) => p + q, 0) / r.length;
      const v = r.reduce((p, q) => p + (q - mu) ** 2, 0) / r.length;
      return r.map((q) => (q - mu) / Math.sqrt(v + eps));
    };
    expectClose(
      nn.standardize(np.array(rows, "float64")),
      rows.flatMap((r) => ref(r)),
      F64,
      1e-16,
    );
    expectClose(
      nn.standardize(np.array(rows, "float64"), -1, null, null, 0.5),
      rows.flatMap((r) => ref(r, 0.5)),
      F64,
      1e-16,
    );
    // axis 0: columns.
    const cols = [0, 1, 2].map((j) => ref(rows.map((r) => r[j])));
    expectClose(
      nn.standardize(np.array(rows, "float64"), 0),
      [0, 1, 2].flatMap((i) => cols.map((c) => c[i])),
      F64,
      1e-16,
    );
  });
});

describe("scipy.special", () => {
  const sp = scipy.special;
  const EULER = 0.5772156649015329;
  const ZETA3 = 1.2020569031595942;

  it("erf, erfc, erfinv", () => {
    // mpmath values rounded to double.
    expectClose(sp.erf(f64([0, 0.5, 1, -2])), [0, 0.5204998778130465, 0.8427007929497149, -0.9953222650189527], F64);
    expectClose(sp.erfc(f64([0, 0.5, 3, -1])), [1, 0.4795001221869535, 2.209049699858544e-5, 1.8427007929497148], F64);
    expectClose(
      sp.erfinv(f64([0, 0.5, -0.9, 1, -1])),
      [0, 0.4769362762044699, -1.1630871536766743, Infinity, -Infinity],
      4e-15,
    );
    expectClose(sp.erfinv(f64([1.5])), [NaN], 0);
    // float32: erfinv is XLA's float32 polynomial (a few ulps).
    expectClose(sp.erfinv(np.array([0.5, -0.9])), [0.4769362762044699, -1.1630871536766743], 1e-6);
    expectClose(sp.erf(np.array([0.5])), [0.5204998778130465], F32);
    // d erf/dx = 2/√π e^{−x²}; d erfinv/dy = √π/2 e^{erfinv(y)²}.
    expectClose(
      [grad((v: NdArray) => sp.erf(v))(np.float64(0.5)).item() as number],
      [(2 / Math.sqrt(Math.PI)) * Math.exp(-0.25)],
      F64,
    );
    const y = 0.4769362762044699;
    expectClose(
      [grad((v: NdArray) => sp.erfinv(v))(np.float64(0.5)).item() as number],
      [(Math.sqrt(Math.PI) / 2) * Math.exp(y * y)],
      1e-14,
    );
    expectClose(
      [grad((v: NdArray) => sp.erfc(v))(np.float64(1)).item() as number],
      [(-2 / Math.sqrt(Math.PI)) * Math.exp(-1)],
      F64,
    );
  });

  it("gammaln, digamma, polygamma", () => {
    // log Γ(1) = log Γ(2) = 0, log Γ(½) = log √π, log Γ(10) = log 9!, log|Γ(−½)| = log 2√π.
    expectClose(
      sp.gammaln(f64([1, 2, 0.5, 10, -0.5])),
      [0, 0, 0.5 * Math.log(Math.PI), Math.log(362880), Math.log(2 * Math.sqrt(Math.PI))],
      1e-14,
      1e-16,
    );
    // ψ(1) = −γ, ψ(2) = 1 − γ, ψ(½) = −γ − 2 log 2.
    expectClose(sp.digamma(f64([1, 2, 0.5])), [-EULER, 1 - EULER, -EULER - 2 * Math.LN2], 4e-15);
    // ψ⁽¹⁾(1) = π²/6, ψ⁽¹⁾(2) = π²/6 − 1, ψ⁽²⁾(1) = −2ζ(3), ψ⁽⁰⁾ = ψ.
    expectClose(sp.polygamma(1, f64([1, 2])), [Math.PI ** 2 / 6, Math.PI ** 2 / 6 - 1], 1e-14);
    expectClose(sp.polygamma(2, f64([1])), [-2 * ZETA3], 1e-14);
    expectClose(sp.polygamma(0, f64([1])), [-EULER], 4e-15);
    expectClose(sp.gammaln(np.array([0.5])), [0.5 * Math.log(Math.PI)], F32);
    // (log Γ)' = ψ: ψ(3) = 3/2 − γ; ψ'(1) = π²/6.
    expectClose([grad((v: NdArray) => sp.gammaln(v))(np.float64(3)).item() as number], [1.5 - EULER], 1e-14);
    expectClose([grad((v: NdArray) => sp.digamma(v))(np.float64(1)).item() as number], [Math.PI ** 2 / 6], 1e-14);
  });

  it("expit, logit, xlogy (0·log 0 = 0), ndtr", () => {
    const ps = [0, 2, -100, 0.5];
    expectClose(sp.expit(f64(ps)), ps.map(sigmoid), F64);
    expectClose(sp.logit(f64([0.5, 0.25, 0, 1])), [0, Math.log(1 / 3), -Infinity, Infinity], F64);
    expectClose(sp.xlogy(f64([0, 2, 0, 1, 0]), f64([0, 3, 2, 0, -1])), [0, 2 * Math.log(3), 0, -Infinity, 0], F64);
    expectClose(
      sp.ndtr(f64([0, 1, -1.96, -2])),
      [0, 1, -1.96, -2].map((v) => PHI.get(v)!),
      4e-15,
    );
    // ndtr far in the tail through erfc, without cancellation: Φ(−10) ≈ 7.6198530241605e-24.
    expectClose(sp.ndtr(f64([-10])), [7.61985302416047e-24], 1e-13);
    // logit(expit(x)) = x.
    expectClose(sp.logit(sp.expit(f64([-3, 0.25, 4]))), [-3, 0.25, 4], 1e-14, 1e-15);
    // expit' = σ(1 − σ); logit'(p) = 1/(p(1 − p)); ∂xlogy/∂x = log y, ∂/∂y = x/y; Φ' = φ.
    const s = sigmoid(0.7);
    expectClose([grad((v: NdArray) => sp.expit(v))(np.float64(0.7)).item() as number], [s * (1 - s)], F64);
    expectClose([grad((v: NdArray) => sp.logit(v))(np.float64(0.25)).item() as number], [1 / (0.25 * 0.75)], F64);
    expectClose([grad((v: NdArray) => sp.xlogy(v, 3))(np.float64(2)).item() as number], [Math.log(3)], F64);
    expectClose([grad((v: NdArray) => sp.xlogy(2, v))(np.float64(4)).item() as number], [0.5], F64);
    expectClose([grad((v: NdArray) => sp.ndtr(v))(np.float64(0)).item() as number], [1 / Math.sqrt(2 * Math.PI)], F64);
  });
});
