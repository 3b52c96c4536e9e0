/**
 * scipy.linalg.expm and expmFrechet: values against float64 references (pasted from python3 with
 * NumPy: a 40-term Taylor series of A/2ˢ with ‖A/2ˢ‖₁ ≤ 1/4, squared s times, or the
 * eigendecomposition of a symmetric matrix), exact cases (zero, diagonal, nilpotent, rotation
 * generators), every Padé degree and squaring, the NaN beyond maxSquarings, batches, vmap, jit,
 * gradients against central differences and the Fréchet derivative against a block-matrix reference.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkGrads,
  config,
  jit,
  numpy as np,
  scipy,
  ShapeError,
  OptionError,
  vmap,
  type Array as NdArray,
} from "../src/index.js";

function close(x: NdArray, want: unknown, atol: number, rtol = 0): void {
  const got = Array.from(x.dataSync() as ArrayLike<number>);
  const flat = [want].flat(Infinity as 1) as number[];
  expect(got.length).toBe(flat.length);
  got.forEach((g, i) => {
    const w = flat[i];
    if (Number.isNaN(w)) expect(g).toBeNaN();
    else expect(Math.abs(g - w), `entry ${i}: ${g} vs ${w}`).toBeLessThanOrEqual(atol + rtol * Math.abs(w));
  });
}
const f64 = (v: unknown): NdArray => np.array(v as number[], { dtype: "float64" });
const f32 = (v: unknown): NdArray => np.array(v as number[], { dtype: "float32" });

const G = [
  [0.3, -1.2, 0.5, 0.8],
  [0.7, 0.1, -0.4, 1.1],
  [-0.9, 0.6, 0.2, -0.3],
  [0.4, -0.5, 1.3, -0.6],
];
const scaled = (s: number): number[][] => G.map((r) => r.map((v) => v * s));
// ‖G‖₁ = 2.8: the scales below reach Padé degrees 3 (0.011), 5 (0.028), 7 (0.28), 9 (1.4),
// 13 (2.8, 8.4) and 13 with three squarings (56).
const REF: [number, number[][]][] = [
  [
    0.004,
    [
      [1.001192928594057, -0.00480460887466594, 0.0020141378010188255, 0.0031863109865024907],
      [0.0028086159449673973, 1.0003870344257393, -0.001586702010930646, 0.00440102404279276],
      [-0.0036011796937746934, 0.0024112764092676024, 1.0007916718309569, -0.001199501788173123],
      [0.0015868789278326474, -0.001995577805402222, 0.005199025025813723, 0.9975979145379914],
    ],
  ],
  [
    0.01,
    [
      [1.0029555099590743, -0.01202851291985508, 0.005088152103256232, 0.00791435966300467],
      [0.007053623352106705, 1.0009189140072943, -0.003916719555192047, 0.011006250173735627],
      [-0.009007182290440278, 0.0060704429866722965, 1.001947873148457, -0.0029967153524092975],
      [0.003917983870151113, -0.004972153276312378, 0.012993765573251022, 0.9939869153905315],
    ],
  ],
  [
    0.1,
    [
      [1.025120646058459, -0.12240219426526062, 0.05848669289899471, 0.07131753646560782],
      [0.07501180704786521, 1.0018308379369285, -0.03142952810840814, 0.11039306635026537],
      [-0.09042626696085741, 0.06697932676406415, 1.014685231288739, -0.0294143123782194],
      [0.03179344616166554, -0.046904683460279775, 0.1291590993453315, 0.9386264353445797],
    ],
  ],
  [
    0.5,
    [
      [0.9874660958530839, -0.6058348115112144, 0.4179434521083434, 0.17506656692758824],
      [0.431020101323932, 0.8487371697002375, 0.03457745581007449, 0.5311756561912359],
      [-0.42601891795326585, 0.4598878495452795, 0.962913368367181, -0.10703755368052213],
      [3.34154762845095e-5, -0.14002360756575435, 0.6023692838931974, 0.6644265030281787],
    ],
  ],
  [
    1,
    [
      [0.5359163413160692, -0.9447421961264887, 0.8996548223280167, -0.07734918201919833],
      [0.7767276167478849, 0.40075242155187923, 0.5627481951401498, 0.8755118299194122],
      [-0.6326812181475727, 1.1062409453491617, 0.7005759549824077, -0.004486917996628759],
      [-0.316918501275235, 0.06512343405011684, 0.975431858659811, 0.3026151616677503],
    ],
  ],
  [
    3,
    [
      [-0.48520019344993903, 1.4793485021235329, -1.3525654889692602, -0.10456426791091153],
      [-1.4168628744375187, 2.393184818376833, 2.206095370840062, 0.2434938509481492],
      [0.789820685706674, 1.3167209584835045, 2.4585449724489887, 1.8877766576409294],
      [0.1448517402701047, 2.1757183438744674, 0.7287818272774259, 1.359131222129808],
    ],
  ],
  [
    20,
    [
      [105.1586321123366, -376.1594836301805, -271.5511747804315, -136.06410239685377],
      [-1482.467962755771, 17862.7278986607, 19150.91297656082, 11139.520922141253],
      [-1747.7773821177284, 19595.29837268336, 21123.756517198388, 12130.578696686174],
      [-1223.017608056925, 14364.708970715692, 15590.665258930194, 8970.512845642977],
    ],
  ],
];
// The symmetric S·3 (‖·‖₁ = 25.5, two squarings): V·diag(e^w)·Vᵀ from np.linalg.eigh.
const S3 = [
  [12, 3, -6],
  [3, -9, 1.5],
  [-6, 1.5, 18],
];
const S3_REF = [
  [748299000.4721158, 14291805.096500466, -1203994989.9988158],
  [14291805.096500466, 273168.2369958963, -22992850.780103803],
  [-1203994989.998816, -22992850.780103803, 1937224613.806754],
];
const UPPER = [
  [0.5, 2, -1],
  [0, -0.3, 1.5],
  [0, 0, 0.8],
];
const UPPER_REF = [
  [1.6487212707001244, 2.2697576250460236, 0.22595884404464822],
  [0.0, 0.7408182206817181, 2.024621874287383],
  [0.0, 0.0, 2.225540928492461],
];
// L(G/2, E), the upper-right block of expm([[A, E], [0, A]]) (Taylor reference as above).
const E = [
  [1, 0, 2, 0],
  [0, -1, 0, 1],
  [0.5, 0, 0, 0],
  [0, 0, 1, 1],
];
const FRECHET_REF = [
  [0.7066438024095694, 0.4196613914775013, 2.342398399387749, -0.10804314224248023],
  [-0.06390191125392447, -0.973125081106006, 1.0997876040093633, 0.760698456434356],
  [0.34361150826434234, -0.3862517504810784, -0.4099125947687306, 0.15848598987531717],
  [0.01989779246599141, 0.17089924417997773, 1.1848999769218684, 0.5894220315475549],
];

const maxAbs = (m: unknown): number => Math.max(...([m].flat(Infinity as 1) as number[]).map(Math.abs));

describe("scipy.linalg.expm in float64", () => {
  beforeAll(() => config.update("enableX64", true));
  afterAll(() => config.update("enableX64", false));

  it("matches the Taylor references at every Padé degree and with squaring", () => {
    // The Padé approximants are accurate to ~u·‖A‖ before squaring; s squarings amplify the
    // rounding by about 2ˢ·cond: 1e-13 of the largest entry (5e-12 with three squarings) is ample.
    for (const [s, want] of REF)
      close(scipy.linalg.expm(f64(scaled(s))), want, (s > 10 ? 5e-12 : 1e-13) * maxAbs(want));
    close(scipy.linalg.expm(f64(S3)), S3_REF, 1e-13 * maxAbs(S3_REF));
  });

  it("exact cases: zero, diagonal, nilpotent, rotation generators", () => {
    close(scipy.linalg.expm(np.zeros([3, 3], { dtype: "float64" })), np.eye(3).tolist(), 0);
    const d = [0.5, -2, 7];
    // ‖diag‖₁ = 7 < 2θ₁₃ takes no squaring (JAX's floor), so degree 13 runs past θ₁₃: ~1e-12 relative.
    close(scipy.linalg.expm(np.diag(f64(d))), np.diag(f64(d.map(Math.exp))).tolist(), 0, 1e-11);
    // N³ = 0: e^N = I + N + N²/2 with N² = [[0, 0, 3], 0, 0].
    const N = [
      [0, 1, 2],
      [0, 0, 3],
      [0, 0, 0],
    ];
    close(
      scipy.linalg.expm(f64(N)),
      [
        [1, 1, 3.5],
        [0, 1, 3],
        [0, 0, 1],
      ],
      1e-14,
    );
    for (const t of [0.3, 1, 4, 30]) {
      const want = [
        [Math.cos(t), Math.sin(t)],
        [-Math.sin(t), Math.cos(t)],
      ];
      // JAX's floor(log2(‖A‖/θ)) leaves ‖A/2ˢ‖ up to 2θ: the degree-13 error grows to ~1e-11 at t = 30.
      close(
        scipy.linalg.expm(
          f64([
            [0, t],
            [-t, 0],
          ]),
        ),
        want,
        t > 10 ? 1e-10 : 1e-14,
      );
    }
  });

  it("upperTriangular solves triangularly; more than maxSquarings gives NaN", () => {
    close(scipy.linalg.expm(f64(UPPER), { upperTriangular: true }), UPPER_REF, 1e-14);
    close(scipy.linalg.expm(f64(UPPER), { upperTriangular: false }), UPPER_REF, 1e-14);
    // ‖20·G‖₁ = 56 needs three squarings.
    close(scipy.linalg.expm(f64(scaled(20)), { maxSquarings: 2 }), new Array(16).fill(NaN), 0);
    const last = REF[REF.length - 1][1];
    close(scipy.linalg.expm(f64(scaled(20)), { maxSquarings: 3 }), last, 5e-12 * maxAbs(last));
    close(
      scipy.linalg.expm(
        f64([
          [0.1, 0],
          [0, 0.2],
        ]),
        { maxSquarings: 0 },
      ),
      [
        [Math.exp(0.1), 0],
        [0, Math.exp(0.2)],
      ],
      1e-15,
    );
    close(
      scipy.linalg.expm(
        f64([
          [Infinity, 0],
          [0, 1],
        ]),
      ),
      [NaN, NaN, NaN, NaN],
      0,
    );
  });

  it("batches over leading axes; vmap and jit agree with the loop", () => {
    const ms = [0.004, 0.5, 3, 20].map(scaled);
    const batch = f64([ms.slice(0, 2), ms.slice(2)]);
    const out = scipy.linalg.expm(batch);
    expect(out.shape).toEqual([2, 2, 4, 4]);
    const loop = ms.map((m) => scipy.linalg.expm(f64(m)).tolist());
    // Batched and single runs take the same branches; only summation order may differ.
    close(out, loop, 1e-12 * maxAbs(loop));
    close(vmap((m: NdArray) => scipy.linalg.expm(m))(f64(ms)), loop, 1e-9);
    const j = jit((m: NdArray) => scipy.linalg.expm(m));
    for (const m of ms) close(j(f64(m)), scipy.linalg.expm(f64(m)).tolist(), 1e-9);
    expect(scipy.linalg.expm(np.zeros([0, 3, 3], { dtype: "float64" })).shape).toEqual([0, 3, 3]);
  });

  it("gradients against central differences", () => {
    // checkGrads' float64 defaults; each input exercises one branch (Padé 3, 7, 13, 13 + squaring).
    const opts = { modes: ["fwd", "rev"] as const };
    for (const s of [0.004, 0.1, 1, 3]) checkGrads((a: NdArray) => scipy.linalg.expm(a), [f64(scaled(s))], 1, opts);
    checkGrads((a: NdArray) => scipy.linalg.expm(a), [f64(scaled(0.5))], 2, opts);
    checkGrads((a: NdArray) => scipy.linalg.expm(a), [f64(S3.map((r) => r.map((v) => v / 10)))], 1, opts);
  });

  it("expmFrechet: the jvp of expm, against the block-matrix reference and finite differences", () => {
    const A = f64(scaled(0.5));
    const [eA, L] = scipy.linalg.expmFrechet(A, f64(E)) as NdArray[];
    close(eA, REF[3][1], 1e-13);
    close(L, FRECHET_REF, 1e-12);
    close(scipy.linalg.expmFrechet(A, f64(E), { computeExpm: false }) as NdArray, FRECHET_REF, 1e-12);
    // Central difference (expm(A + hE) − expm(A − hE)) / 2h: error O(h²‖E‖³) ≈ 1e-10 with h = 1e-5.
    const h = 1e-5;
    const fd = np.divide(
      np.subtract(
        scipy.linalg.expm(np.add(A, np.multiply(h, f64(E)))),
        scipy.linalg.expm(np.subtract(A, np.multiply(h, f64(E)))),
      ),
      2 * h,
    );
    close(L, fd.tolist(), 1e-8);
    const Lb = scipy.linalg.expmFrechet(f64([scaled(0.5), scaled(3)]), f64([E, E]), {
      computeExpm: false,
      method: null,
    });
    expect((Lb as NdArray).shape).toEqual([2, 4, 4]);
    close((Lb as NdArray).get(0), FRECHET_REF, 1e-12);
  });
});

describe("scipy.linalg.expm in float32 and bad input", () => {
  it("float32 uses Padé degrees 3–7 and keeps float32", () => {
    for (const [s, want] of REF.slice(0, 6)) {
      const out = scipy.linalg.expm(f32(scaled(s)));
      expect(out.dtype).toBe("float32");
      // float32 rounding (u ≈ 6e-8) times the Padé solve's condition: 2e-6 of the largest entry.
      close(out, want, 2e-6 * maxAbs(want));
    }
    expect(
      scipy.linalg.expm([
        [1, 0],
        [0, 1],
      ]).dtype,
    ).toBe("float32");
  });

  it("typed errors", () => {
    expect(() => scipy.linalg.expm(f32([1, 2]))).toThrow(ShapeError);
    expect(() =>
      scipy.linalg.expm(
        f32([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
    ).toThrow(/square matrix/);
    expect(() => scipy.linalg.expm(f32([[1]]), { maxSquarings: -1 })).toThrow(OptionError);
    expect(() => scipy.linalg.expm(f32([[1]]), { upper: true } as never)).toThrow(OptionError);
    expect(() =>
      scipy.linalg.expmFrechet(
        f32([
          [1, 2],
          [3, 4],
        ]),
        f32([[1]]),
      ),
    ).toThrow(/same shape/);
    expect(() =>
      scipy.linalg.expmFrechet(
        f32([
          [1, 2],
          [3, 4],
        ]),
        f32([1, 2]),
      ),
    ).toThrow(ShapeError);
  });
});
