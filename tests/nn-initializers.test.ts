/**
 * nn.initializers: each initializer equals its JAX definition (jax/_src/nn/initializers.py) composed
 * from random.* on the same key (random.* matches JAX bit for bit, tests/random.test.ts), fans of dense
 * and conv kernels, sample statistics, orthogonality, dtypes and bad input.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  config,
  CotangentError,
  jit,
  vmap,
  nn,
  numpy as np,
  random,
  ArgumentTypeError,
  DTypeError,
  ShapeError,
  OptionError,
  type Array as NdArray,
} from "../src/index.js";

const init = nn.initializers;
const values = (a: NdArray): number[] => Array.from(a.dataSync() as ArrayLike<number>);
const key = random.key(42);

afterEach(() => config.update("enableX64", false));

describe("nn.initializers: fans", () => {
  it("dense and conv kernels (receptive field = product of the other axes)", () => {
    expect(init.computeFans([64, 32])).toEqual([64, 32]);
    expect(init.computeFans([3, 3, 16, 32])).toEqual([144, 288]);
    expect(init.computeFans([5, 3, 3, 16, 32], -2, -1, 0)).toEqual([144, 288]);
    expect(init.computeFans([4, 6, 8], [0, 1], 2)).toEqual([24, 8]);
    // JAX: in = out = 7 and the receptive field 7 / 7 / 7, so both fans are 1.
    expect(init.computeFans([7], 0, 0)).toEqual([1, 1]);
  });
  it("rank < 2 with the default inAxis, zero sizes and bad axes are typed errors", () => {
    expect(() => init.computeFans([7])).toThrow(ShapeError);
    expect(() => init.computeFans([7])).toThrow(/1-dimensional weights tensor with the default inAxis/);
    expect(() => init.computeFans([0, 3])).toThrow(ShapeError);
    expect(() => init.computeFans([2, 3], 5)).toThrow(/axis/i);
  });
});

describe("nn.initializers: JAX's definitions from the same key", () => {
  // Exact equality: the same random.* draw scaled by the same float32 constants, as in JAX.
  const f32 = (v: number) => np.array(v, { dtype: "float32" });
  it("zeros, ones, constant", () => {
    expect(values(init.zeros(key, [2, 3]))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(init.ones(key, [3, 2]).shape).toEqual([3, 2]);
    expect(values(init.constant(-7)(key, [2, 3]))).toEqual([-7, -7, -7, -7, -7, -7]);
    expect(init.constant(2, "float64")(key, [1]).dtype).toBe("float64");
    expect(init.zeros(key, [2], "float64").dtype).toBe("float64");
  });
  it("uniform, normal, truncatedNormal", () => {
    expect(values(init.uniform(10)(key, [2, 3]))).toEqual(values(np.multiply(random.uniform(key, [2, 3]), f32(10))));
    expect(values(init.normal(5)(key, [2, 3]))).toEqual(values(np.multiply(random.normal(key, [2, 3]), f32(5))));
    expect(values(init.normal()(key, [4]))).toEqual(values(np.multiply(random.normal(key, [4]), f32(0.01))));
    expect(values(init.truncatedNormal(5, null, -1, 3)(key, [2, 3]))).toEqual(
      values(np.multiply(random.truncatedNormal(key, -1, 3, [2, 3]), f32(5))),
    );
  });
  it("variance scaling family (fan_avg of [2, 3] is 2.5; of [3, 3, 16, 32] fan_in is 144)", () => {
    const vsUniform = (scale: number, n: number, shape: number[]) =>
      np.multiply(random.uniform(key, shape, null, -1), np.sqrt(np.multiply(3, f32(scale / n))));
    const vsTrunc = (scale: number, n: number, shape: number[]) =>
      np.multiply(
        random.truncatedNormal(key, -2, 2, shape),
        np.divide(np.sqrt(f32(scale / n)), f32(0.87962566103423978)),
      );
    const conv = [3, 3, 16, 32];
    expect(values(init.glorotUniform()(key, [2, 3]))).toEqual(values(vsUniform(1, 2.5, [2, 3])));
    expect(values(init.glorotNormal()(key, [2, 3]))).toEqual(values(vsTrunc(1, 2.5, [2, 3])));
    expect(values(init.lecunUniform()(key, conv))).toEqual(values(vsUniform(1, 144, conv)));
    expect(values(init.lecunNormal()(key, conv))).toEqual(values(vsTrunc(1, 144, conv)));
    expect(values(init.heUniform()(key, conv))).toEqual(values(vsUniform(2, 144, conv)));
    expect(values(init.heNormal()(key, conv))).toEqual(values(vsTrunc(2, 144, conv)));
    const normalFanOut = init.varianceScaling(3, "fan_out", "normal")(key, conv);
    expect(values(normalFanOut)).toEqual(values(np.multiply(random.normal(key, conv), np.sqrt(f32(3 / 288)))));
    const geo = init.varianceScaling(1, "fanGeoAvg", "uniform", { inAxis: 0, outAxis: 1 })(key, [4, 9]);
    expect(values(geo)).toEqual(values(vsUniform(1, 6, [4, 9])));
    expect(init.xavierUniform).toBe(init.glorotUniform);
    expect(init.kaimingNormal).toBe(init.heNormal);
  });
  it("float64 under enableX64 draws the float64 samples", () => {
    config.update("enableX64", true);
    const w = init.heNormal()(key, [8, 4]);
    expect(w.dtype).toBe("float64");
    const want = np.multiply(
      random.truncatedNormal(key, -2, 2, [8, 4]),
      np.divide(np.sqrt(np.array(2 / 8)), 0.87962566103423978),
    );
    expect(values(w)).toEqual(values(want));
  });
});

describe("nn.initializers: under jit and vmap", () => {
  it("jit gives the eager draw; vmap over split keys gives each key's draw", () => {
    const f = (k: NdArray) => init.heUniform()(k, [3, 4]);
    expect(values(jit(f)(key))).toEqual(values(f(key)));
    const keys = random.split(key, 3);
    const batched = vmap(f)(keys);
    expect(batched.shape).toEqual([3, 3, 4]);
    expect(values(batched).slice(12, 24)).toEqual(values(f(keys.get(1))));
  });
});

describe("nn.initializers: distributions", () => {
  // 200 000 draws: the sample variance's relative standard error is about √(2/n) ≈ 0.3% (normal),
  // so 2% is over 6 standard errors.
  const n = [500, 400];
  const variance = (a: NdArray) => {
    const v = values(a);
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    return v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length;
  };
  it.each([
    ["glorotUniform", init.glorotUniform(), 1 / 450],
    ["glorotNormal", init.glorotNormal(), 1 / 450],
    ["heUniform", init.heUniform(), 2 / 500],
    ["heNormal", init.heNormal(), 2 / 500],
    ["lecunNormal", init.lecunNormal(), 1 / 500],
  ] as const)("%s has variance scale / fan", (_name, f, want) => {
    expect(Math.abs(variance(f(random.key(7), n)) / want - 1)).toBeLessThan(0.02);
  });
  it("truncated normal stays within 2 standard deviations (before the correction)", () => {
    const v = values(init.truncatedNormal(1)(random.key(3), [10000]));
    expect(Math.max(...v.map(Math.abs))).toBeLessThan(2);
  });
});

describe("nn.initializers: orthogonal", () => {
  const gram = (w: NdArray, rows: boolean) => (rows ? np.matmul(w, w.T) : np.matmul(w.T, w));
  it.each([
    [[6, 4], false],
    [[4, 6], true],
    [[5, 5], false],
  ] as const)("%j has orthonormal columns (or rows): QᵀQ = I within float32 rounding", (shape, rows) => {
    const w = init.orthogonal()(key, [...shape]);
    const g = values(gram(w, rows));
    const k = Math.min(...shape);
    const eye = values(np.eye(k));
    // float32 QR: entries of QᵀQ - I are a few ulps (1.2e-7) times the dimension.
    g.forEach((x, i) => expect(Math.abs(x - eye[i])).toBeLessThan(1e-5));
  });
  it("is Q·sign(diag R) of the QR of JAX's normal draw, scaled", () => {
    const z = random.normal(key, [6, 4]);
    const [q, r] = np.linalg.qr(z);
    const want = np.multiply(2, np.multiply(q, np.expandDims(np.sign(np.diagonal(r)), -2)));
    expect(values(init.orthogonal(2)(key, [6, 4]))).toEqual(values(want));
  });
  it("columnAxis: conv kernels are reshaped around it; zero sizes give zeros", () => {
    const w = init.orthogonal(1, 0)(key, [4, 3, 2]);
    expect(w.shape).toEqual([4, 3, 2]);
    const m = np.reshape(np.moveaxis(w, 0, -1), [6, 4]);
    values(np.matmul(m.T, m)).forEach((x, i) => expect(Math.abs(x - (i % 5 === 0 ? 1 : 0))).toBeLessThan(1e-5));
    expect(values(init.orthogonal()(key, [0, 3]))).toEqual([]);
  });
  it("needs at least 2 dimensions", () => {
    expect(() => init.orthogonal()(key, [3])).toThrow(ShapeError);
    expect(() => init.orthogonal()(key, [3])).toThrow(/at least a 2D shape/);
  });
});

describe("nn.initializers: deltaOrthogonal", () => {
  it("zero except at the spatial centre, which is orthogonal([in, out]) from the same key", () => {
    const w = init.deltaOrthogonal()(key, [3, 4, 2, 5]);
    expect(w.shape).toEqual([3, 4, 2, 5]);
    const v = values(w);
    const centre = (1 * 4 + 1) * 10; // index [1, 1, 0, 0]: (k - 1) // 2 on each spatial axis
    expect(v.slice(centre, centre + 10)).toEqual(values(init.orthogonal()(key, [2, 5])));
    expect(v.filter((x, i) => x !== 0 && (i < centre || i >= centre + 10))).toEqual([]);
  });
  it("needs 3 to 5 dimensions and fan_in <= fan_out", () => {
    expect(() => init.deltaOrthogonal()(key, [3, 3])).toThrow(/requires a 3D, 4D or 5D shape/);
    expect(() => init.deltaOrthogonal()(key, [3, 5, 2])).toThrow(/fan_in must be less or equal than fan_out/);
  });
});

describe("nn.initializers: bad input", () => {
  it("mode, distribution, dtype, key, shape, options", () => {
    expect(() => init.varianceScaling(1, "fan_sideways" as never, "normal")).toThrow(ArgumentTypeError);
    expect(() => init.varianceScaling(1, "fan_sideways" as never, "normal")).toThrow(/invalid mode.*"fanIn"/);
    expect(() => init.varianceScaling(1, "fanIn", "cauchy" as never)).toThrow(/invalid distribution/);
    expect(() => init.varianceScaling("1" as never, "fanIn", "normal")).toThrow(ArgumentTypeError);
    expect(() => init.normal()(key, [2], "int32")).toThrow(DTypeError);
    expect(() => init.normal()(np.array([1, 2]), [2])).toThrow(/\[nn\.initializers\.normal\] a key must be/);
    expect(() => init.heNormal()(key, [5])).toThrow(ShapeError);
    expect(() => init.normal()(key, 3 as never)).toThrow(/\[nn\.initializers\.normal\] invalid shape/);
    expect(() => init.normal({ stdev: 1 } as never)).toThrow(OptionError);
  });
});

describe("nn.initializers: awkward arguments give typed errors only", () => {
  const awkward: unknown[] = [
    undefined,
    null,
    true,
    0,
    -1,
    1.5,
    NaN,
    "a",
    "float32",
    [],
    [2, 3],
    [-1],
    [1.5],
    {},
    np.zeros([2]),
    key,
  ];
  it("every factory and the initializer it builds", () => {
    const untyped: string[] = [];
    const attempt = (label: string, f: () => unknown) => {
      try {
        f();
      } catch (e) {
        if (!(e instanceof CotangentError)) untyped.push(`${label}: ${(e as Error).message}`);
      }
    };
    for (const [name, v] of Object.entries(init)) {
      if (typeof v !== "function") continue;
      for (const a of awkward) {
        for (const b of awkward) {
          attempt(`${name}(${String(a)}, ${String(b)})`, () => {
            const r = (v as (...x: unknown[]) => unknown)(a, b);
            if (typeof r === "function") (r as (...x: unknown[]) => unknown)(key, a, b);
          });
        }
      }
    }
    expect(untyped.slice(0, 5)).toEqual([]);
  });
});
