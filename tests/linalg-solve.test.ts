/**
 * np.linalg's solves (solve, inv, det, slogdet, cholesky, matrixPower), scipy.linalg's
 * triangular solves and factorizations, and the primitives below them (cholesky, lu,
 * triangular_solve): NumPy/SciPy float64 values (pasted from python3), reconstruction
 * identities, gradients against central differences in float64 (checkGrads), vmap
 * against a loop, jit against eager, singular inputs and bad-input errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkGrads,
  config,
  jit,
  numpy as np,
  scipy,
  ShapeError,
  ArgumentTypeError,
  CotangentError,
  vmap,
  type Array as NdArray,
} from "../src/index.js";
import { triangularSolve, type TriangularSolveParams } from "../src/primitives/linalg-solve.js";

// Tolerances: float64 results of O(n³) eliminations on well-conditioned matrices of order ≤ 5
// agree with LAPACK's to a few ulp of the entries' scale; 1e-12 leaves ~100x room.
const TOL64 = 1e-12;

function close(x: NdArray | number, want: unknown, atol = TOL64, rtol = TOL64): void {
  const got = typeof x === "number" ? [x] : Array.from(x.dataSync() as ArrayLike<number>);
  const flat = [want].flat(Infinity as 1) as number[];
  expect(got.length).toBe(flat.length);
  got.forEach((g, i) => {
    const w = flat[i];
    if (!Number.isFinite(w)) expect(g).toBe(w);
    else expect(Math.abs(g - w), `entry ${i}: ${g} vs ${w}`).toBeLessThanOrEqual(atol + rtol * Math.abs(w));
  });
}

// Reference matrices and NumPy 2 / SciPy 1.17 float64 values.
const A = [
  [4, 2, 1],
  [2, 5, 3],
  [1, 3, 6],
];
const B = [
  [0.5, 2, 1, 3],
  [2, 5, 3, 1],
  [1, 3, 6, 2],
  [7, 1, 2, 2],
];
const R = [
  [1, 2, 3, 4, 5],
  [2, -1, 0, 3, 1],
  [4, 4, -2, 1, 0],
];
const REF = {
  cholA: [
    [2.0, 0.0, 0.0],
    [1.0, 2.0, 0.0],
    [0.5, 1.25, 2.0463381929681126],
  ],
  solveB: [0.418848167539267, -0.03664921465968589, 0.3965968586387435, 0.1557591623036649],
  invB: [
    [-0.07329842931937172, 0.031413612565445025, -0.05235602094240838, 0.14659685863874344],
    [0.031413612565445025, 0.27225130890052357, -0.12041884816753928, -0.06282722513089005],
    [-0.1256544502617801, -0.08900523560209425, 0.23167539267015708, 0.001308900523560209],
    [0.36649214659685864, -0.15706806282722513, 0.011780104712041894, 0.017015706806282723],
  ],
  detB: -382.00000000000006,
  slogdetB: [-1.0, 5.945420608606575],
  detA: 66.99999999999997,
  luB: [
    [7.0, 1.0, 2.0, 2.0],
    [0.2857142857142857, 4.714285714285714, 2.428571428571429, 0.4285714285714286],
    [0.14285714285714285, 0.6060606060606061, 4.242424242424242, 1.4545454545454546],
    [0.07142857142857142, 0.4090909090909091, -0.03214285714285717, 2.7285714285714286],
  ],
  pivB: [3, 1, 2, 3],
  luR: [
    [
      [0.0, 0.0, 1.0],
      [0.0, 1.0, 0.0],
      [1.0, 0.0, 0.0],
    ],
    [
      [1.0, 0.0, 0.0],
      [0.5, 1.0, 0.0],
      [0.25, -0.3333333333333333, 1.0],
    ],
    [
      [4.0, 4.0, -2.0, 1.0, 0.0],
      [0.0, -3.0, 1.0, 2.5, 1.0],
      [0.0, 0.0, 3.833333333333333, 4.583333333333333, 5.333333333333333],
    ],
  ],
  luRT: [
    [
      [0.0, 0.0, 0.0, 0.0, 1.0],
      [0.0, 0.0, 1.0, 0.0, 0.0],
      [0.0, 0.0, 0.0, 1.0, 0.0],
      [0.0, 1.0, 0.0, 0.0, 0.0],
      [1.0, 0.0, 0.0, 0.0, 0.0],
    ],
    [
      [1.0, 0.0, 0.0],
      [0.8, 1.0, 0.0],
      [0.4, -0.6363636363636364, 1.0],
      [0.6000000000000001, -0.27272727272727276, -0.3725490196078431],
      [0.2, 0.8181818181818181, 0.6862745098039215],
    ],
    [
      [5.0, 1.0, 0.0],
      [0.0, 2.2, 1.0],
      [0.0, 0.0, 4.636363636363637],
    ],
  ],
  solveTriUpperT: [2.0, -0.4, 0.3666666666666667, -1.1666666666666667],
  solveTriLowerUnit: [1.0, 0.0, 2.0, -7.0],
  mp5: [
    [17077.03125, 22481.125, 24881.8125, 14885.9375],
    [29640.625, 39211.5, 43825.25, 25121.75],
    [34615.8125, 45790.25, 51406.125, 29547.375],
    [26716.1875, 33545.75, 37361.875, 22004.625],
  ],
  mpm2: [
    [0.06666483923138071, -0.012115895945834815, -0.01034785230668019, -0.01029302924810175],
    [-0.0016446917573531413, 0.09569364874866369, -0.06306707601217074, -0.013726323291576439],
    [-0.022217044488912038, -0.049004961486801356, 0.07098558153559388, -0.012503083797045032],
    [-0.027041473643814585, -0.0349702584907212, 0.0026554918998931013, 0.06389970121433074],
  ],
  luSolveT: [1.0785340314136127, -0.31937172774869127, 0.4489528795811519, 0.0929319371727749],
  choSolve: [0.08955223880597016, 0.10447761194029848, 0.4328358208955224],
};

const f64 = (x: unknown): NdArray => np.asarray(x as number[][], "float64");
/** A seeded, well-conditioned n×n matrix: diagonally dominant, entries in [-1, 1] off the diagonal. */
function wellConditioned(n: number, seed: number, batch: number[] = []): NdArray {
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const size = batch.reduce((a, b) => a * b, 1);
  const data: number[] = [];
  for (let b = 0; b < size; b++)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data.push(i === j ? n + 1 + rand() : rand());
  return np.reshape(np.asarray(data, "float64"), [...batch, n, n]);
}
const spd = (x: NdArray): NdArray =>
  np.add(
    np.matmul(x, np.swapaxes(x, -1, -2)),
    np.multiply(x.shape.at(-1)!, np.eye(x.shape.at(-1)!, { dtype: "float64" })),
  );

beforeAll(() => config.update("enableX64", true));
afterAll(() => config.update("enableX64", false));

describe("values against NumPy and SciPy (float64)", () => {
  it("cholesky, solve, inv, det, slogdet", () => {
    close(np.linalg.cholesky(f64(A)), REF.cholA);
    close(np.linalg.cholesky(f64(A), { upper: true }), np.transpose(f64(REF.cholA)).tolist());
    close(np.linalg.solve(f64(B), f64([1, 2, 3, 4])), REF.solveB);
    close(np.linalg.inv(f64(B)), REF.invB);
    close(np.linalg.det(f64(B)), [REF.detB]);
    close(np.linalg.det(f64(A)), [REF.detA]);
    const [sign, logdet] = np.linalg.slogdet(f64(B));
    close(sign, [REF.slogdetB[0]]);
    close(logdet, [REF.slogdetB[1]]);
  });

  it("lu factors and pivots (scipy.linalg.luFactor, lu on square and rectangular matrices)", () => {
    const [lu, piv] = scipy.linalg.luFactor(f64(B));
    close(lu, REF.luB);
    expect(piv.dtype).toBe("int32");
    expect(piv.tolist()).toEqual(REF.pivB);
    for (const [m, ref] of [
      [R, REF.luR],
      [np.transpose(f64(R)).tolist(), REF.luRT],
    ] as const) {
      const [p, l, u] = scipy.linalg.lu(f64(m)) as NdArray[];
      close(p, ref[0]);
      close(l, ref[1]);
      close(u, ref[2]);
      close(np.matmul(p, np.matmul(l, u)), m); // P·L·U = A
      const [pl, u2] = scipy.linalg.lu(f64(m), true);
      close(np.matmul(pl, u2), m);
    }
  });

  it("solveTriangular, luSolve, choSolve, choFactor", () => {
    close(scipy.linalg.solveTriangular(f64(B), f64([1, 2, 3, 4]), { trans: 1 }), REF.solveTriUpperT);
    close(scipy.linalg.solveTriangular(f64(B), f64([1, 2, 3, 4]), "T"), REF.solveTriUpperT);
    close(scipy.linalg.solveTriangular(f64(B), f64([1, 2, 3, 4]), 0, true, true), REF.solveTriLowerUnit);
    close(scipy.linalg.luSolve(scipy.linalg.luFactor(f64(B)), f64([1, 2, 3, 4]), 1), REF.luSolveT);
    close(scipy.linalg.luSolve(scipy.linalg.luFactor(f64(B)), f64([1, 2, 3, 4])), REF.solveB);
    close(scipy.linalg.choSolve(scipy.linalg.choFactor(f64(A)), f64([1, 2, 3])), REF.choSolve);
    close(scipy.linalg.choSolve(scipy.linalg.choFactor(f64(A), true), f64([1, 2, 3])), REF.choSolve);
    const [c, lower] = scipy.linalg.choFactor(f64(A));
    expect(lower).toBe(false);
    close(c, np.transpose(f64(REF.cholA)).tolist()); // upper factor, zeros below
  });

  it("matrixPower", () => {
    close(np.linalg.matrixPower(f64(B), 5), REF.mp5, 1e-9);
    close(np.linalg.matrixPower(f64(B), -2), REF.mpm2);
    close(np.linalg.matrixPower(f64(B), 0), np.eye(4).tolist());
    close(np.linalg.matrixPower(f64(B), 1), B);
    close(np.linalg.matrixPower(f64(B), 3), np.matmul(np.matmul(f64(B), f64(B)), f64(B)).tolist());
    const ints = np.linalg.matrixPower(
      np.asarray(
        [
          [1, 1],
          [0, 1],
        ],
        "int32",
      ),
      3,
    );
    expect(ints.dtype).toBe("int32");
    expect(ints.tolist()).toEqual([
      [1, 3],
      [0, 1],
    ]);
  });

  it("float32 inputs give float32 results within float32 rounding", () => {
    // Computed in float64 and rounded once: within a few float32 ulp of the float64 values (cond(B) ≈ 8).
    const x = np.linalg.solve(np.asarray(B, "float32"), np.asarray([1, 2, 3, 4], "float32"));
    expect(x.dtype).toBe("float32");
    close(x, REF.solveB, 1e-6, 1e-6);
    close(np.linalg.inv(np.asarray(B, "float32")), REF.invB, 1e-6, 1e-6);
    close(np.linalg.cholesky(np.asarray(A, "float32")), REF.cholA, 1e-6, 1e-6);
    expect(
      np.linalg.det(
        np.asarray(
          [
            [1, 2],
            [3, 4],
          ],
          "int32",
        ),
      ).dtype,
    ).toBe("float64");
  });
});

describe("identities on random matrices, batched", () => {
  it("L·Lᵀ = A; P·L·U = A; A·inv(A) = I; solve residuals with broadcasting", () => {
    const a = spd(wellConditioned(6, 3, [2, 3]));
    const L = np.linalg.cholesky(a);
    close(np.matmul(L, np.swapaxes(L, -1, -2)), a.tolist(), 1e-11);
    close(np.triu(L, 1), np.zeros([2, 3, 6, 6]).tolist(), 0);
    const m = wellConditioned(5, 7, [4]);
    const [p, l, u] = scipy.linalg.lu(m) as NdArray[];
    close(np.matmul(p, np.matmul(l, u)), m.tolist());
    close(np.matmul(m, np.linalg.inv(m)), np.broadcastTo(np.eye(5), [4, 5, 5]).tolist());
    const b = np.reshape(np.arange(15, { dtype: "float64" }), [5, 3]); // broadcast against 4 matrices
    const x = np.linalg.solve(m, b);
    expect(x.shape).toEqual([4, 5, 3]);
    close(np.matmul(m, x), np.broadcastTo(b, [4, 5, 3]).tolist(), 1e-11);
  });

  it("det and slogdet agree and are stable for large matrices", () => {
    const m = wellConditioned(6, 11, [3]);
    const [sign, logdet] = np.linalg.slogdet(m);
    close(np.linalg.det(m), np.multiply(sign, np.exp(logdet)).tolist());
    // det(100·I₂₀₀) = 1e400 overflows float64; log|det| = 200·log(100) does not.
    const big = np.multiply(100, np.eye(200, { dtype: "float64" }));
    const [s2, l2] = np.linalg.slogdet(big);
    close(s2, [1]);
    close(l2, [200 * Math.log(100)], 1e-10);
    expect(np.linalg.det(big).item()).toBe(Infinity);
  });

  it("triangular_solve: every side, triangle, transpose and unit diagonal", () => {
    const a = wellConditioned(4, 5, [2]);
    const b = wellConditioned(4, 9, [2]);
    for (const leftSide of [true, false])
      for (const lower of [true, false])
        for (const transposeA of [true, false])
          for (const unitDiagonal of [true, false]) {
            const p: TriangularSolveParams = { leftSide, lower, transposeA, unitDiagonal };
            const x = triangularSolve(a, b, p);
            let t = lower ? np.tril(a) : np.triu(a);
            if (unitDiagonal) t = np.add(np.subtract(t, np.multiply(t, np.eye(4))), np.eye(4));
            if (transposeA) t = np.swapaxes(t, -1, -2);
            close(leftSide ? np.matmul(t, x) : np.matmul(x, t), b.tolist(), 1e-12);
          }
  });
});

describe("singular and non-positive-definite inputs give JAX's values, no exception", () => {
  it("solve, inv, det, slogdet, cholesky", () => {
    const s = f64([
      [1, 2],
      [2, 4],
    ]);
    expect(np.linalg.det(s).item()).toBe(0);
    const s3 = f64([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    const s4 = f64([
      [1, 2, 3, 4],
      [2, 4, 6, 8],
      [0, 1, 0, 1],
      [5, 0, 1, 2],
    ]);
    expect(np.linalg.det(s4).item()).toBe(0);
    const [sign, logdet] = np.linalg.slogdet(s4);
    expect([sign.item(), logdet.item()]).toEqual([0, -Infinity]);
    const x = np.linalg.solve(np.zeros([2, 2], "float64"), f64([1, 2]));
    expect(x.tolist()).toEqual([NaN, Infinity]); // U = 0: x₁ = 2/0, x₀ = (1 − 0·∞)/0
    expect(() => np.linalg.inv(s3)).not.toThrow(); // singular only in exact arithmetic: a tiny pivot
    expect(Array.from(np.linalg.inv(s4).dataSync()).some((v) => !Number.isFinite(v))).toBe(true);
    const notPd = np.linalg.cholesky(
      f64([
        [
          [1, 2],
          [2, 1],
        ],
        [
          [4, 2],
          [2, 5],
        ],
      ]),
    );
    expect(notPd.tolist()).toEqual([
      [
        [NaN, NaN],
        [NaN, NaN],
      ],
      [
        [2, 0],
        [1, 2],
      ],
    ]);
  });
});

describe("gradients against central differences (float64)", () => {
  // checkGrads' float64 defaults (eps 1e-4 central differences, tolerances ~1e-5) on well-conditioned inputs.
  const opts = { modes: ["fwd", "rev"] as const };
  it("cholesky, of a symmetric input", () => {
    const x = wellConditioned(4, 21);
    checkGrads((y: NdArray) => np.linalg.cholesky(spd(y)), [x], 2, opts);
    checkGrads((y: NdArray) => scipy.linalg.choFactor(spd(y))[0], [x], 1, opts);
  });
  it("lu (square and rectangular), through scipy.linalg.lu", () => {
    checkGrads((y: NdArray) => (scipy.linalg.lu(y) as NdArray[]).slice(1), [wellConditioned(4, 22)], 2, opts);
    const wide = np.concatenate([wellConditioned(3, 23), f64([[0.3], [-0.2], [0.5]])], 1);
    checkGrads((y: NdArray) => (scipy.linalg.lu(y) as NdArray[]).slice(1), [wide], 1, opts);
    checkGrads((y: NdArray) => (scipy.linalg.lu(y) as NdArray[]).slice(1), [np.transpose(wide)], 1, opts);
  });
  it("triangular_solve in a and b, both sides", () => {
    const a = wellConditioned(4, 24);
    for (const leftSide of [true, false])
      for (const transposeA of [true, false]) {
        const p = { leftSide, lower: !transposeA, transposeA, unitDiagonal: leftSide };
        checkGrads((u: NdArray, v: NdArray) => triangularSolve(u, v, p), [a, wellConditioned(4, 25)], 2, opts);
        const tall = np.reshape(np.linspace(-1, 1, 8, { dtype: "float64" }), leftSide ? [4, 2] : [2, 4]);
        checkGrads((u: NdArray, v: NdArray) => triangularSolve(u, v, p), [a, tall], 1, opts);
      }
  });
  it("solve, inv, det, slogdet, matrixPower, solveTriangular, luSolve, choSolve", () => {
    const a = wellConditioned(4, 26);
    const b = f64([0.5, -1, 2, 0.25]);
    checkGrads(np.linalg.solve, [a, b], 2, opts);
    checkGrads(np.linalg.inv, [a], 2, opts);
    checkGrads(np.linalg.det, [a], 2, opts);
    checkGrads(np.linalg.det, [wellConditioned(2, 27)], 2, opts);
    checkGrads(np.linalg.det, [wellConditioned(3, 28)], 2, opts);
    checkGrads((y: NdArray) => np.linalg.slogdet(y)[1], [a], 2, opts);
    checkGrads((y: NdArray) => np.linalg.matrixPower(y, -3), [a], 1, opts);
    checkGrads(
      (u: NdArray, v: NdArray) => scipy.linalg.solveTriangular(u, v, { trans: "T", lower: true }),
      [a, b],
      1,
      opts,
    );
    checkGrads((u: NdArray, v: NdArray) => scipy.linalg.luSolve(scipy.linalg.luFactor(u), v, 1), [a, b], 1, opts);
    checkGrads((u: NdArray, v: NdArray) => scipy.linalg.choSolve(scipy.linalg.choFactor(spd(u)), v), [a, b], 1, opts);
  });
});

describe("vmap against a loop, jit against eager", () => {
  it("vmap", () => {
    const a = wellConditioned(4, 31, [3]);
    const b = wellConditioned(4, 32, [3]);
    const fns: [string, (u: NdArray, v: NdArray) => NdArray][] = [
      ["solve", (u, v) => np.linalg.solve(u, v)],
      ["cholesky", (u) => np.linalg.cholesky(spd(u))],
      ["det", (u) => np.linalg.det(u)],
      ["lu", (u) => scipy.linalg.luFactor(u)[0]],
      ["piv", (u) => scipy.linalg.luFactor(u)[1]],
      ["tri", (u, v) => triangularSolve(u, v, { leftSide: false, lower: true, transposeA: true, unitDiagonal: false })],
    ];
    for (const [name, f] of fns) {
      const loop = np.stack([0, 1, 2].map((i) => f(a.get(i), b.get(i))));
      close(vmap(f)(a, b), loop.tolist(), 0, 0);
      // an unbatched operand, and the batch on another axis
      const loop2 = np.stack([0, 1, 2].map((i) => f(a.get(0), b.get(i))));
      close(vmap(f, { inAxes: [null, 2] })(a.get(0), np.moveaxis(b, 0, 2)), loop2.tolist(), 0, 0);
      expect(name).toBeTruthy();
    }
  });
  it("jit", () => {
    const a = wellConditioned(5, 41, [2]);
    const b = wellConditioned(5, 42, [2]);
    const f = (u: NdArray, v: NdArray) => [
      np.linalg.solve(u, v),
      np.linalg.inv(u),
      np.linalg.det(u),
      ...np.linalg.slogdet(u),
      np.linalg.cholesky(spd(u)),
      np.linalg.matrixPower(u, 4),
      ...(scipy.linalg.lu(u) as NdArray[]),
      scipy.linalg.luSolve(scipy.linalg.luFactor(u), v),
    ];
    const eager = f(a, b);
    const jitted = jit(f)(a, b);
    eager.forEach((e, i) => close(jitted[i], e.tolist(), 1e-13, 1e-13));
  });
});

describe("bad input: typed errors", () => {
  it("shapes, exponents, pairs", () => {
    expect(() => np.linalg.solve(np.ones([2, 3]), np.ones([2]))).toThrow(ShapeError);
    expect(() => np.linalg.solve(np.ones([3, 3]), np.ones([2]))).toThrow(/b does not match a/);
    expect(() => np.linalg.inv(np.ones([3]))).toThrow(ShapeError);
    expect(() => np.linalg.det(np.ones([2, 3]))).toThrow(/must be square/);
    expect(() => np.linalg.cholesky(np.ones([2, 3]))).toThrow(ShapeError);
    expect(() => np.linalg.matrixPower(np.ones([2, 2]), 1.5)).toThrow(ArgumentTypeError);
    expect(() => np.linalg.matrixPower(np.ones([2]), 2)).toThrow(ShapeError);
    expect(() => scipy.linalg.solveTriangular(np.ones([3, 3]), np.ones([2]))).toThrow(ShapeError);
    expect(() => scipy.linalg.choSolve(np.ones([2, 2]) as never, np.ones([2]))).toThrow(ArgumentTypeError);
    expect(() => scipy.linalg.luSolve([np.ones([2, 2]), np.ones([2])], np.ones([2]))).toThrow(ArgumentTypeError);
    expect(() => np.linalg.slogdet(np.eye(2), { method: "qr" } as never)).toThrow(/option "method" must be/);
  });
});

describe("awkward inputs: only typed errors (scipy.linalg is outside tests/fuzz.test.ts's namespaces)", () => {
  it("every function of this file over a pool of awkward arguments", () => {
    const pool: unknown[] = [
      ...[undefined, null, true, 0, 2, -1, 1.5, NaN, "a", [], [2, 3], [[1, 2], [3]], {}, { bogus: 1 }],
      ...[np.array(1.5), np.zeros([0]), np.zeros([2, 0]), np.zeros([0, 0]), np.array([1, -2, 3]), np.ones([3, 3])],
      ...[np.ones([2, 3]), np.array([0, 1, 5], { dtype: "int32" }), np.array([true, false])],
      ...[
        [np.ones([3, 3]), true],
        [np.ones([3, 3]), np.array([0, 5, 1], { dtype: "int32" })],
      ],
    ];
    const names = ["solveTriangular", "choFactor", "choSolve", "luFactor", "luSolve", "lu"];
    const fns = [
      ...names.map((n) => [n, (scipy.linalg as Record<string, unknown>)[n]]),
      ...["solve", "inv", "det", "slogdet", "cholesky", "matrixPower"].map((n) => [
        n,
        (np.linalg as Record<string, unknown>)[n],
      ]),
    ] as [string, (...a: unknown[]) => unknown][];
    const untyped: string[] = [];
    for (const [name, f] of fns)
      for (const a of pool)
        for (const b of pool)
          for (const c of [undefined, 1, { trans: 1 }]) {
            try {
              f(a, b, c);
            } catch (e) {
              if (!(e instanceof CotangentError)) untyped.push(`${name}: ${String(e)}`);
            }
          }
    expect(untyped).toEqual([]);
  });
});
