/**
 * qr, svd, eigh and what JAX builds on them (eigvalsh, pinv, lstsq, matrixRank, the
 * matrix norms 2, -2 and "nuc"): values against NumPy's float64 results (LAPACK),
 * the reconstruction identities, orthogonality, gradients against central
 * differences in float64, vmap against a loop, jit against eager, bad input.
 *
 * Tolerances: Householder QR, Jacobi eigh and one-sided Jacobi SVD in float64 agree
 * with LAPACK to a few ulps of the matrix norm on these well-conditioned matrices
 * (norms ≤ 20, condition ≤ 30), so 1e-12 absolute leaves two orders of margin;
 * float32 results are float64 values rounded once, so 1e-5 relative to norms ~10.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkGrads, config, grad, jit, jvp, numpy as np, vmap, type Array as NdArray } from "../src/index.js";
import { OptionError } from "../src/core/options.js";
import { ShapeError, TransformError } from "../src/core/errors.js";

// NumPy 2.x float64 results (tests/linalg-spectral.test.ts's script: numpy.linalg on the matrices below).
const REF = {
  qrA: [
    [
      [-0.12216944435630528, -0.3625135725463339, 0.9042248064222357],
      [-0.48867777742522095, -0.17171695541668416, 0.0444700724469953],
      [-0.8551861104941366, 0.01907966171296488, -0.2075270047526443],
      [-0.12216944435630524, 0.9158237622223161, 0.37058393705829373],
    ],
    [
      [-8.18535277187245, -9.407047215435503, -12.094774991274218],
      [0.0, -2.3467983906946857, -0.0953983085648254],
      [0.0, 0.0, 1.6453926805388233],
    ],
  ],
  qrAc: [
    [
      [-0.12216944435630528, -0.3625135725463339, 0.9042248064222357, -0.18983159915049994],
      [-0.48867777742522095, -0.17171695541668416, 0.0444700724469953, 0.8542421961772492],
      [-0.8551861104941366, 0.01907966171296488, -0.2075270047526443, -0.4745789978762496],
      [-0.12216944435630524, 0.9158237622223161, 0.37058393705829373, 0.09491579957524962],
    ],
    [
      [-8.18535277187245, -9.407047215435503, -12.094774991274218],
      [0.0, -2.3467983906946857, -0.0953983085648254],
      [0.0, 0.0, 1.6453926805388233],
      [0.0, 0.0, 0.0],
    ],
  ],
  qrW: [
    [
      [-0.2672612419124243, 0.8728715609439696, 0.40824829046386285],
      [-0.5345224838248488, 0.21821789023599236, -0.816496580927726],
      [-0.8017837257372732, -0.4364357804719846, 0.40824829046386313],
    ],
    [
      [-3.7416573867739413, -8.55235974119758, -14.164845821358494, -1.3363062095621223],
      [0.0, 1.963961012123933, 3.4914862437758805, -0.2182178902359917],
      [0.0, 0.0, 0.40824829046386313, 2.041241452319315],
    ],
  ],
  svdA: [17.461124885049948, 2.0873690516404917, 0.8671840582845542],
  svdW: [17.461124885049948, 2.0873690516404917, 0.8671840582845542],
  svdR: [8.435448515787048, 0.9182637624920782, 5.299674564334575e-16],
  eighS: [
    [1.047138640929087, 2.3609454269745447, 3.602574400339762, 6.989341531756605],
    [
      [-0.2695752192603055, -0.7174994986878304, 0.22717960250456745, -0.6007604337415514],
      [0.5187947492237331, 0.23482246109287186, 0.7939353884583266, -0.21301882287181995],
      [-0.3245014994934472, -0.32874040391810944, 0.5049175736331961, 0.7291685453272297],
      [-0.7435589997876064, 0.5674351310773387, 0.2512255381042264, -0.24904440338690398],
    ],
  ],
  eigvalsU: [1.0471386409290866, 2.3609454269745447, 3.602574400339762, 6.9893415317566046],
  pinvA: [
    [-0.9489489489489481, -0.06306306306306288, 0.29429429429429405, 0.1411411411411407],
    [0.13213213213213196, 0.07207207207207203, -0.003003003003002896, -0.3993993993993996],
    [0.549549549549549, 0.027027027027026956, -0.12612612612612603, 0.22522522522522567],
  ],
  pinvR: [
    [-0.03333333333333385, -0.06666666666666661, 0.8333333333333339],
    [0.0666666666666671, 0.13333333333333325, -0.666666666666667],
    [0.033333333333333236, 0.06666666666666664, 0.16666666666666682],
  ],
  lstsqA: [
    [0.3723723723723719, -1.330330330330331, 1.1261261261261268],
    [0.22522522522522415],
    3,
    [17.46112488504995, 2.087369051640492, 0.8671840582845541],
  ],
  lstsqR: [
    [
      [-0.16666666666666688, 2.433333333333336],
      [0.33333333333333326, -1.8666666666666663],
      [0.16666666666666663, 0.5666666666666669],
    ],
    [1.0484762617244112e-30, 0.2],
    2,
    [8.435448515787048, 0.9182637624920782, 5.299674564334575e-16],
  ],
  rankR: 2,
  norms: [17.461124885049948, 0.8671840582845542, 20.415677994974995],
  normAxes: [17.461124885049948, 34.922249770099896],
  normNuc: [20.415677994974995, 40.831355989949984],
};

// Hilbert(8) (condition 1.5e10), B[i][j] = sin(7i + 3j + 1) (12×7, rank 2) and C = BᵀB + diag(0..6).
const REF2 = {
  hilbS: [
    1.6959389969219496, 0.2981252113169307, 0.026212843578119035, 0.0014676881177418427, 5.436943369749979e-5,
    1.2943320918688685e-6, 1.798873745949071e-8, 1.1115389812040764e-10,
  ],
  hilbW: [
    1.1115390158041429e-10, 1.7988737457918858e-8, 1.294332091873755e-6, 5.4369433697499504e-5, 0.0014676881177417907,
    0.0262128435781189, 0.2981252113169306, 1.695938996921949,
  ],
  bS: [6.490537822798693, 1.7127369763479985],
  cW: [
    0.48851277714509855, 1.647899544412675, 2.7877088194286137, 3.9336973308597067, 5.117971131139462,
    6.900796845266814, 45.18396273107772,
  ],
};

type Nested = number | Nested[];
const A = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 10],
  [1, -1, 2],
];
const W = [
  [1, 4, 7, 1],
  [2, 5, 8, -1],
  [3, 6, 10, 2],
];
const S = [
  [4, 1, -2, 0.5],
  [1, 3, 0, 1],
  [-2, 0, 5, -1],
  [0.5, 1, -1, 2],
];
const R = [
  [1, 2, 3],
  [2, 4, 6],
  [1, 0, 1],
];

const flat = (x: Nested): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x]);
const vals = (x: NdArray): number[] => Array.from(x.dataSync());

function close(actual: NdArray, expected: Nested | NdArray, atol = 1e-12): void {
  const a = vals(actual);
  const e = Array.isArray(expected) || typeof expected === "number" ? flat(expected) : vals(expected);
  expect(a.length).toBe(e.length);
  const worst = Math.max(0, ...a.map((v, i) => Math.abs(v - e[i])));
  expect(worst).toBeLessThanOrEqual(atol);
}

const f64 = (x: Nested) => np.array(x as number[][], "float64");
const mm = (a: NdArray, b: NdArray) => np.matmul(a, b);
const tT = (a: NdArray) => np.swapaxes(a, -1, -2);
const eye = (n: number) => np.eye(n, { dtype: "float64" });
/** Columns with their largest entry positive: eigenvectors and singular vectors are unique up to sign. */
function signFixed(v: NdArray): NdArray {
  const idx = np.argmax(np.abs(v), { axis: -2, keepdims: true });
  return np.multiply(v, np.sign(np.takeAlongAxis(v, idx, -2)));
}

beforeAll(() => config.update("enableX64", true));
afterAll(() => config.update("enableX64", false));

describe("qr", () => {
  it("reduced and complete modes give NumPy's Q and R (LAPACK's signs)", () => {
    const [q, r] = np.linalg.qr(f64(A));
    expect(q.shape).toEqual([4, 3]);
    close(q, REF.qrA[0]);
    close(r, REF.qrA[1]);
    const [qc, rc] = np.linalg.qr(f64(A), "complete");
    expect([qc.shape, rc.shape]).toEqual([
      [4, 4],
      [4, 3],
    ]);
    close(qc, REF.qrAc[0]);
    close(rc, REF.qrAc[1]);
    const [qw, rw] = np.linalg.qr(f64(W), { mode: "reduced" });
    close(qw, REF.qrW[0]);
    close(rw, REF.qrW[1]);
    close(np.linalg.qr(f64(A), "r"), REF.qrA[1]);
  });

  it("Q·R = A, QᵀQ = I and R upper triangular, batched and in float32", () => {
    const x = np.stack([f64(A), np.multiply(f64(A), -0.5), np.flip(f64(A), 0)]);
    for (const mode of ["reduced", "complete"] as const) {
      const [q, r] = np.linalg.qr(x, mode);
      close(mm(q, r), x);
      close(mm(tT(q), q), np.broadcastTo(eye(q.shape[2]), [3, q.shape[2], q.shape[2]]));
      close(r, np.triu(r), 0);
    }
    config.update("enableX64", false);
    try {
      const x32 = np.array(W);
      const [q, r] = np.linalg.qr(x32);
      expect(q.dtype).toBe("float32");
      close(mm(q, r), W, 1e-5);
    } finally {
      config.update("enableX64", true);
    }
  });

  it("integer input is promoted; empty matrices have empty factors", () => {
    const [q] = np.linalg.qr(np.array(A, "int32"));
    expect(q.dtype).toBe("float64");
    const [qe, re] = np.linalg.qr(np.zeros([0, 3]));
    expect([qe.shape, re.shape]).toEqual([
      [0, 0],
      [0, 3],
    ]);
  });
});

describe("svd", () => {
  it("singular values are NumPy's, descending, tall, wide and rank-deficient", () => {
    close(np.linalg.svd(f64(A), { computeUv: false }) as NdArray, REF.svdA);
    close(np.linalg.svd(f64(W), false, false) as NdArray, REF.svdW);
    close(np.linalg.svd(f64(R), false, false) as NdArray, REF.svdR);
  });

  it("U·diag(S)·Vh = A with orthonormal U and V, reduced and full", () => {
    for (const x of [f64(A), f64(W), f64(R), np.zeros([3, 2], "float64")]) {
      const [m, n] = x.shape;
      const k = Math.min(m, n);
      const [u, s, vh] = np.linalg.svd(x, false) as NdArray[];
      close(mm(np.multiply(u, s), vh), x);
      close(mm(tT(u), u), eye(k));
      close(mm(vh, tT(vh)), eye(k));
      const [uf, sf, vf] = np.linalg.svd(x) as NdArray[];
      expect([uf.shape, sf.shape, vf.shape]).toEqual([[m, m], [k], [n, n]]);
      close(mm(tT(uf), uf), eye(m));
      close(mm(vf, tT(vf)), eye(n));
      close(mm(np.multiply(uf.get("...", np.slice(0, k)), sf), vf.get(np.slice(0, k))), x);
    }
  });

  it("singular vectors agree with the eigenvectors of AᵀA up to sign", () => {
    const [, , vh] = np.linalg.svd(f64(A), false) as NdArray[];
    const [, v] = np.linalg.eigh(mm(tT(f64(A)), f64(A)));
    // eigh ascending, svd descending.
    close(signFixed(tT(vh)), signFixed(np.flip(v, 1)), 1e-10);
  });

  it("hermitian is accepted and changes nothing", () => {
    close(np.linalg.svd(f64(S), false, false, true) as NdArray, vals(np.linalg.svd(f64(S), false, false) as NdArray));
  });
});

describe("eigh and eigvalsh", () => {
  it("eigenvalues ascending and eigenvectors as NumPy's (up to sign)", () => {
    const [w, v] = np.linalg.eigh(f64(S));
    close(w, REF.eighS[0]);
    close(signFixed(v), signFixed(f64(REF.eighS[1])));
    close(np.linalg.eigvalsh(f64(S)), REF.eighS[0]);
  });

  it("V·diag(w)·Vᵀ = A and VᵀV = I, batched", () => {
    const x = np.stack([f64(S), np.add(f64(S), eye(4)), np.multiply(f64(S), -2)]);
    const [w, v] = np.linalg.eigh(x);
    close(mm(np.multiply(v, np.expandDims(w, 1)), tT(v)), x);
    close(mm(tT(v), v), np.broadcastTo(eye(4), [3, 4, 4]));
  });

  it("UPLO picks the triangle read when symmetrizeInput is false", () => {
    const up = np.triu(f64(S));
    const low = np.tril(f64(S));
    close(np.linalg.eigh(up, "U", false)[0], REF.eighS[0]);
    close(np.linalg.eigh(low, { symmetrizeInput: false })[0], REF.eighS[0]);
    close(np.linalg.eigvalsh(up, "U", { symmetrizeInput: false }), REF.eigvalsU);
    // By default the input is symmetrized: (triu + triuᵀ)/2 is not S.
    expect(Math.abs(vals(np.linalg.eigvalsh(up))[0] - (REF.eighS[0] as number[])[0])).toBeGreaterThan(0.1);
  });
});

describe("pinv, lstsq, matrixRank, norm", () => {
  it("pinv is NumPy's, full rank and rank-deficient", () => {
    close(np.linalg.pinv(f64(A)), REF.pinvA);
    close(np.linalg.pinv(f64(R)), REF.pinvR, 1e-11);
    close(np.linalg.pinv(f64(R), { rcond: 1e-15 }), REF.pinvR, 1e-11);
    // A cutoff above σ₂/σ₁ drops the second singular value too.
    const [u, s, vh] = np.linalg.svd(f64(R), false) as NdArray[];
    const rank1 = np.multiply(np.outer(vh.get(0), u.get("...", 0)), 1 / vals(s)[0]);
    close(np.linalg.pinv(f64(R), 0.5), rank1);
    expect(np.linalg.pinv(np.zeros([2, 0])).shape).toEqual([0, 2]);
  });

  it("lstsq is NumPy's: [x, residuals, rank, s]", () => {
    const [x, res, rank, s] = np.linalg.lstsq(f64(A), [1, 2, 3, 4]);
    close(x, REF.lstsqA[0] as number[]);
    close(res, REF.lstsqA[1] as number[], 1e-11);
    expect(rank.dtype).toBe("int32");
    expect(rank.item()).toBe(REF.lstsqA[2]);
    close(s, REF.lstsqA[3] as number[]);
    const [x2, res2, rank2] = np.linalg.lstsq(f64(R), [
      [1, 0],
      [2, 1],
      [0, 3],
    ]);
    close(x2, REF.lstsqR[0] as number[][], 1e-11);
    close(res2, REF.lstsqR[1] as number[], 1e-10);
    expect(rank2.item()).toBe(2);
    expect(np.linalg.lstsq(f64(R), [1, 2, 3], { rcond: 0.9 })[2].item()).toBe(1);
  });

  it("matrixRank counts singular values above the tolerance", () => {
    expect(np.linalg.matrixRank(f64(R)).item()).toBe(REF.rankR);
    expect(np.linalg.matrixRank(f64(A)).item()).toBe(3);
    expect(np.linalg.matrixRank(f64(R), 2).item()).toBe(1);
    expect(np.linalg.matrixRank(f64(R), { tol: 100 }).item()).toBe(0);
    expect(np.linalg.matrixRank([0, 0, 1]).item()).toBe(1);
    expect(vals(np.linalg.matrixRank(np.stack([f64(R), f64(A).get(np.slice(0, 3))])))).toEqual([2, 3]);
  });

  it("norm takes the matrix orders 2, -2 and nuc", () => {
    close(np.linalg.norm(f64(A), 2), REF.norms[0]);
    close(np.linalg.norm(f64(A), -2), REF.norms[1]);
    close(np.linalg.norm(f64(A), "nuc"), REF.norms[2]);
    const t = np.stack([f64(A), np.multiply(np.flip(f64(A), 0), 2)]);
    close(np.linalg.norm(t, 2, [2, 1]), REF.normAxes);
    close(np.linalg.norm(t, { ord: "nuc", axis: [1, 2] }), REF.normNuc);
    expect(np.linalg.norm(t, "nuc", [1, 2], true).shape).toEqual([2, 1, 1]);
  });
});

describe("ill-conditioned and rank-deficient matrices", () => {
  const H = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => 1 / (i + j + 1)));
  const B = Array.from({ length: 12 }, (_, i) => Array.from({ length: 7 }, (_, j) => Math.sin(i * 7 + j * 3 + 1)));
  it("Hilbert(8): singular values and eigenvalues to LAPACK's absolute accuracy (eps·‖H‖)", () => {
    close(np.linalg.svd(f64(H), false, false), REF2.hilbS, 1e-15);
    close(np.linalg.eigvalsh(f64(H)), REF2.hilbW, 1e-15);
    const [u, s, vh] = np.linalg.svd(f64(H), false);
    close(mm(np.multiply(u, s), vh), H, 1e-15);
    const [q, r] = np.linalg.qr(f64(H));
    close(mm(q, r), H, 1e-15);
  });
  it("a rank-2 12×7 matrix: two singular values, the rest at rounding level; rank 2", () => {
    const s = vals(np.linalg.svd(f64(B), false, false));
    close(np.array(s.slice(0, 2), "float64"), REF2.bS, 1e-14);
    expect(Math.max(...s.slice(2))).toBeLessThan(1e-14);
    expect(np.linalg.matrixRank(f64(B)).item()).toBe(2);
    const [u, , vh] = np.linalg.svd(f64(B));
    close(mm(tT(u), u), eye(12), 1e-14);
    close(mm(vh, tT(vh)), eye(7), 1e-14);
    const [q, r] = np.linalg.qr(f64(B));
    close(mm(q, r), B, 1e-14);
    const C = np.add(mm(tT(f64(B)), f64(B)), np.diag(np.arange(7, { dtype: "float64" })));
    close(np.linalg.eigvalsh(C), REF2.cW, 1e-13);
  });
  it("float32 inputs give float32 factors of float64 quality, rounded once", () => {
    config.update("enableX64", false);
    try {
      const x = np.array(A);
      const [u, s, vh] = np.linalg.svd(x, false);
      expect([u.dtype, s.dtype, vh.dtype]).toEqual(["float32", "float32", "float32"]);
      close(s, REF.svdA, 2e-6);
      const [w, v] = np.linalg.eigh(np.array(S));
      expect(v.dtype).toBe("float32");
      close(w, REF.eighS[0], 4e-6);
    } finally {
      config.update("enableX64", true);
    }
  });
});

describe("gradients against central differences (float64)", () => {
  // checkGrads' float64 defaults (eps 1e-4 steps, tolerances ~1e-5 relative) suit these
  // well-separated spectra; both modes: jvp against differences, vjp against jvp.
  const opts = { modes: ["fwd", "rev"] as const };
  it("qr (tall and square)", () => {
    checkGrads((x: NdArray) => np.linalg.qr(x), [f64(A)], 1, opts);
    checkGrads((x: NdArray) => np.linalg.qr(x, "complete"), [f64(S)], 1, opts);
  });
  it("eigh (distinct eigenvalues) and eigvalsh", () => {
    checkGrads((x: NdArray) => np.linalg.eigh(x), [f64(S)], 1, opts);
    checkGrads((x: NdArray) => np.linalg.eigvalsh(x), [f64(S)], 1, opts);
  });
  it("svd (reduced; tall, wide, square) and singular values", () => {
    checkGrads((x: NdArray) => np.linalg.svd(x, false), [f64(A)], 1, opts);
    checkGrads((x: NdArray) => np.linalg.svd(x, false), [f64(W)], 1, opts);
    checkGrads((x: NdArray) => np.linalg.svd(x, false), [f64(S)], 1, opts);
    checkGrads((x: NdArray) => np.linalg.svd(x, { computeUv: false }), [f64(A)], 1, opts);
  });
  it("pinv, lstsq and the matrix norms", () => {
    checkGrads((x: NdArray) => np.linalg.pinv(x), [f64(A)], 1, opts);
    checkGrads((x: NdArray) => np.linalg.pinv(x), [f64(W)], 1, opts);
    checkGrads((x: NdArray) => np.linalg.lstsq(x, [1, 2, 3, 4])[0], [f64(A)], 1, opts);
    checkGrads(
      (x: NdArray) => [np.linalg.norm(x, 2), np.linalg.norm(x, -2), np.linalg.norm(x, "nuc")],
      [f64(A)],
      1,
      opts,
    );
  });

  it("repeated eigenvalues: finite eigenvalue tangents, non-finite eigenvector tangents (JAX's convention)", () => {
    const t = f64([
      [0.1, 0.2, 0],
      [0.2, -0.3, 0.5],
      [0, 0.5, 0.7],
    ]);
    const [, [dw, dv]] = jvp((x: NdArray) => np.linalg.eigh(x), [eye(3)], [t]);
    // At the identity no rotation happens (v = I), so dw = diag(vᵀ·t·v) = diag(t).
    close(dw, [0.1, -0.3, 0.7], 1e-15);
    expect(vals(dw).every(Number.isFinite)).toBe(true);
    expect(vals(dv).some((v) => !Number.isFinite(v))).toBe(true);
  });
});

describe("vmap, jit and batching", () => {
  const stack = np.stack([f64(A), np.multiply(f64(A), 1.5), np.flip(f64(A), 1)]);
  const fns: [string, (x: NdArray) => NdArray[]][] = [
    ["qr", (x) => np.linalg.qr(x)],
    ["svd", (x) => np.linalg.svd(x, false) as NdArray[]],
    ["eigh", (x) => np.linalg.eigh(mm(tT(x), x))],
    ["pinv", (x) => [np.linalg.pinv(x)]],
    ["lstsq", (x) => np.linalg.lstsq(x, [1, 0, 2, 1])],
    ["norm", (x) => [np.linalg.norm(x, 2), np.linalg.matrixRank(x)]],
  ];
  it.each(fns)("%s: vmap equals a loop, jit equals eager", (_name, f) => {
    const batched = vmap(f)(stack);
    for (let i = 0; i < 3; i++) {
      const one = f(stack.get(i));
      one.forEach((o, k) => close(batched[k].get(i), vals(o), 1e-13));
    }
    const eager = f(f64(A));
    jit(f)(f64(A)).forEach((o, k) => close(o, vals(eager[k]), 1e-13));
  });

  it.each(fns.slice(0, 5))("%s: vmap of grad equals a loop, jit of grad equals grad", (_name, f) => {
    const loss = (x: NdArray) =>
      f(x).reduce((acc: NdArray, o) => np.add(acc, np.sum(np.sin(o))), np.zeros([], "float64"));
    const g = grad(loss);
    const batched = vmap(g)(stack);
    for (let i = 0; i < 3; i++) close(batched.get(i), g(stack.get(i)), 1e-12);
    close(jit(g)(f64(A)), g(f64(A)), 1e-12);
  });

  it("gradients under vmap and jit agree with eager", () => {
    const loss = (x: NdArray) => np.sum(np.multiply((np.linalg.svd(x, false) as NdArray[])[0], f64(A)));
    const [, g] = jvp(loss, [f64(A)], [np.onesLike(f64(A))]);
    const [, gj] = jvp(jit(loss), [f64(A)], [np.onesLike(f64(A))]);
    close(gj, vals(g), 1e-12);
  });
});

describe("bad input: typed errors", () => {
  it("shapes, modes and unsupported derivatives", () => {
    expect(() => np.linalg.qr([1, 2, 3])).toThrow(ShapeError);
    expect(() => np.linalg.qr([1, 2, 3])).toThrow(/\[linalg\.qr\] 1-dimensional array given/);
    expect(() => np.linalg.eigh(f64(A))).toThrow(/must be square: got f64\[4,3\]/);
    expect(() => np.linalg.svd(5)).toThrow(ShapeError);
    expect(() => np.linalg.qr(f64(A), "raw" as never)).toThrow(OptionError);
    expect(() => np.linalg.eigh(f64(S), "X" as never)).toThrow(OptionError);
    expect(() => np.linalg.lstsq(f64(A), [1, 2])).toThrow(/leading dimensions of input arrays must match/);
    expect(() => np.linalg.lstsq(f64(A), np.zeros([4, 1, 1]))).toThrow(ShapeError);
    expect(() => checkGrads((x: NdArray) => np.linalg.svd(x), [f64(A)], 1)).toThrow(TransformError);
    expect(() => checkGrads((x: NdArray) => np.linalg.qr(x), [f64(W)], 1)).toThrow(
      /unimplemented case of QR decomposition derivative/,
    );
    expect(() => np.linalg.norm(np.zeros([0, 3]), -2)).toThrow(ShapeError);
  });

  it("NaN input gives NaN, not a hang", () => {
    const x = f64([
      [1, NaN],
      [2, 3],
    ]);
    expect(vals(np.linalg.svd(x, false, false) as NdArray).some(Number.isNaN)).toBe(true);
    expect(vals(np.linalg.eigvalsh(x)).some(Number.isNaN)).toBe(true);
    // Full matrices complete U and Vh to a basis; with NaN in them the completion is NaN, not a crash.
    const tall = f64([
      [1, NaN],
      [2, 3],
      [4, 5],
    ]);
    const [u, s, vh] = np.linalg.svd(tall, true) as NdArray[];
    expect(u.shape).toEqual([3, 3]);
    expect(vh.shape).toEqual([2, 2]);
    expect(vals(u).some(Number.isNaN) && vals(s).some(Number.isNaN)).toBe(true);
  });
});
