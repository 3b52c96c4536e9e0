import { describe, expect, it } from "vitest";
import { digamma, erf, erfc, erfInv, lgamma, polygamma } from "../src/kernel/special.js";

// Reference values: mpmath at 50 significant digits, rounded to the nearest double.

/** |actual − expected| ≤ tol, with the input named in the failure message. */
function expectNear(label: string, actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected), `${label} = ${actual}, expected ${expected}`).toBeLessThanOrEqual(tol);
}

/** Tolerance relative to |v| when |v| ≥ 1 and absolute below (for functions with real zeros). */
const scaled = (tol: number, ...vs: number[]) => tol * Math.max(1, ...vs.map(Math.abs));

function grid(from: number, to: number, step: number): number[] {
  const xs: number[] = [];
  for (let x = from; x <= to; x += step) xs.push(x);
  return xs;
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

describe("erf / erfc", () => {
  // Worst relative error measured against mpmath over 8000 random points was 1.2e-15 (~5 ulp).
  const TOL = 2e-15;

  it("matches reference values", () => {
    const erfRef: [number, number][] = [
      [1e-10, 1.1283791670955126e-10],
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [1.5, 0.9661051464753108],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [4, 0.9999999845827421],
      [-0.5, -0.5204998778130465],
      [-2, -0.9953222650189527],
    ];
    for (const [x, want] of erfRef) expectNear(`erf(${x})`, erf(x), want, TOL * Math.abs(want));
    const erfcRef: [number, number][] = [
      [0.1, 0.887537083981715],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [5, 1.537459794428035e-12],
      [10, 2.088487583762545e-45],
      [15, 7.212994172451207e-100],
      [20, 5.395865611607901e-176],
      [26, 5.663192408856143e-296],
      [-1, 1.8427007929497148],
      [-3, 1.9999779095030015],
    ];
    for (const [x, want] of erfcRef) expectNear(`erfc(${x})`, erfc(x), want, TOL * Math.abs(want));
  });

  it("handles special values", () => {
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(Object.is(erf(0), 0)).toBe(true);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(NaN)).toBeNaN();
    expect(erfc(0)).toBe(1);
    expect(erfc(-0)).toBe(1);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(NaN)).toBeNaN();
    expect(erfc(27)).toBeGreaterThan(0); // 5.2e-319, subnormal
    expect(erfc(30)).toBe(0); // below the smallest subnormal
  });

  it("satisfies erf + erfc = 1, erfc(−x) = 2 − erfc(x) and erf(−x) = −erf(x)", () => {
    // erf and erfc share one tail or series, so each identity costs one rounding near 1 or 2 (≤ 1 ulp of 1).
    for (const x of grid(-6, 6, 1 / 64)) {
      expectNear(`erf+erfc at ${x}`, erf(x) + erfc(x), 1, 2 ** -52);
      expectNear(`erfc(-x) at ${x}`, erfc(-x), 2 - erfc(x), 2 ** -52);
      expect(erf(-x)).toBe(-erf(x));
    }
  });
});

describe("erfInv", () => {
  it("matches reference values", () => {
    // Worst relative error measured against mpmath over 12000 random points (incl. the tails) was 8.4e-16.
    const ref: [number, number][] = [
      [1e-300, 8.86226925452758e-301],
      [1e-10, 8.862269254527581e-11],
      [0.1, 0.08885599049425769],
      [0.5, 0.4769362762044699],
      [0.9, 1.1630871536766743],
      [0.99, 1.8213863677184494],
      [0.999999, 3.458910737275499],
      [1 - 2 ** -53, 5.8635847487551676],
      [-0.5, -0.4769362762044699],
      [-0.999, -2.3267537655135246],
    ];
    for (const [y, want] of ref) expectNear(`erfInv(${y})`, erfInv(y), want, 2e-15 * Math.abs(want));
  });

  it("handles special values", () => {
    expect(erfInv(1)).toBe(Infinity);
    expect(erfInv(-1)).toBe(-Infinity);
    expect(Object.is(erfInv(-0), -0)).toBe(true);
    expect(erfInv(1.5)).toBeNaN();
    expect(erfInv(-1 - 2 ** -52)).toBeNaN();
    expect(erfInv(NaN)).toBeNaN();
  });

  it("inverts erf", () => {
    // An erfInv error δ·x moves erf by ≤ max(x·erf'(x))·δ ≈ 0.48δ ≈ 5e-16 for δ = 1e-15, plus erf's own rounding.
    for (const y of grid(-1 + 1 / 1024, 1 - 1 / 1024, 1 / 1024))
      expectNear(`erf(erfInv(${y}))`, erf(erfInv(y)), y, 6e-16);
    // In the tail, check erfc(erfInv(y)) = 1 − y relatively: erfc amplifies a relative error δ of x by 2x²,
    // so allow erfc's own 1.5e-15 plus 2x² times one rounding of x (1.2e-16).
    for (const k of grid(1, 16, 1 / 8)) {
      const y = 1 - 10 ** -k;
      const x = erfInv(y);
      expectNear(`erfc(erfInv(${y}))`, erfc(x) / (1 - y), 1, 1.5e-15 + 2 * x * x * 1.2e-16);
    }
  });
});

describe("lgamma", () => {
  // Worst error measured against mpmath over 12000 random points: 5.5e-15 relative where |lgamma| ≥ ½,
  // 4e-15 absolute near the zeros at 1 and 2 (cancellation between Stirling's sum and the recurrence's log).
  const TOL = 8e-15;

  it("matches reference values", () => {
    const ref: [number, number][] = [
      [0.5, 0.5723649429247001],
      [1.5, -0.12078223763524522],
      [2.5, 0.2846828704729192],
      [3, 0.6931471805599453],
      [10, 12.801827480081469],
      [100, 359.1342053695754],
      [1e5, 1051287.7089736569],
      [1e10, 220258509288.81058],
      [1e300, 6.897755278982137e302],
      [1e-3, 6.907178885383853],
      [1e-10, 23.025850929882736],
      [1e-20, 46.051701859880914],
      [-0.5, 1.2655121234846454],
      [-1.5, 0.860047015376481],
      [-2.5, -0.056243716497674054],
      [-0.1, 2.3689613327287886],
      [-10.3, -14.457515440024208],
      [-1000000.5, -12815524.147683937],
      [1 + 2 ** -20, -5.504750066148867e-7],
      [2 - 2 ** -20, -4.0319826848018475e-7],
    ];
    for (const [x, want] of ref) expectNear(`lgamma(${x})`, lgamma(x), want, scaled(TOL, want));
  });

  it("is exact at the positive integers up to 23", () => {
    // lgamma(n) = log((n−1)!) with (n−1)! exact in float64 up to 22!, so only log's own rounding (≤ 1 ulp) remains.
    expect(lgamma(1)).toBe(0);
    expect(lgamma(2)).toBe(0);
    const ref: [number, number][] = [
      [3, 0.6931471805599453],
      [5, 3.1780538303479458],
      [11, 15.104412573075516],
      [23, 48.47118135183523],
    ];
    for (const [n, want] of ref) expectNear(`lgamma(${n})`, lgamma(n), want, 2 ** -52 * want);
    expectNear("lgamma(24)", lgamma(24), 51.60667556776438, 8e-15 * 51.6); // log(23!), via Stirling again
  });

  it("handles special values", () => {
    for (const x of [0, -0, -1, -2, -100, Infinity, -Infinity]) expect(lgamma(x)).toBe(Infinity);
    expect(lgamma(NaN)).toBeNaN();
  });

  it("satisfies lgamma(x+1) − lgamma(x) = log|x|", () => {
    // Two lgamma errors of ≤ 5.5e-15·max(1, |lgamma|) each; grid points are exact in binary, so x+1 is exact.
    for (const x of grid(-10 + 1 / 128, 20, 1 / 64)) {
      if (Number.isInteger(x)) continue;
      const [a, b] = [lgamma(x), lgamma(x + 1)];
      expectNear(`lgamma recurrence at ${x}`, b - a, Math.log(Math.abs(x)), scaled(1.2e-14, a, b));
    }
  });
});

describe("digamma", () => {
  // Worst error measured against mpmath over 12000 random points: 1.4e-15·max(1, |ψ|) (absolute near its zeros).
  const TOL = 3e-15;

  it("matches reference values", () => {
    const ref: [number, number][] = [
      [1, -0.5772156649015329],
      [0.5, -1.9635100260214235],
      [2, 0.42278433509846713],
      [3.7, 1.1671535393615113],
      [10, 2.251752589066721],
      [100, 4.600161852738087],
      [1e-5, -100000.57719921567],
      [1e10, 23.025850929890456],
      [0.1, -10.423754940411076],
      [-0.5, 0.03648997397857652],
      [-1.5, 0.7031566406452432],
      [-2.7, -1.1153471291406896],
      [-1000000.25, 16.957103961553827],
      [1.4616321449683622, -9.241265521729427e-17], // next to the positive zero
    ];
    for (const [x, want] of ref) expectNear(`digamma(${x})`, digamma(x), want, scaled(TOL, want));
  });

  it("handles special values", () => {
    for (const x of [0, -0, -1, -7, -Infinity, NaN]) expect(digamma(x)).toBeNaN();
    expect(digamma(Infinity)).toBe(Infinity);
  });

  it("satisfies ψ(x+1) − ψ(x) = 1/x", () => {
    // Two ψ errors of ≤ 1.5e-15·max(1, |ψ|); x+1 is exact on this grid.
    for (const x of grid(-10 + 1 / 128, 20, 1 / 64)) {
      if (Number.isInteger(x)) continue;
      const [a, b] = [digamma(x), digamma(x + 1)];
      expectNear(`digamma recurrence at ${x}`, b - a, 1 / x, scaled(4e-15, a, b));
    }
  });
});

describe("polygamma", () => {
  it("matches reference values", () => {
    // Worst relative error measured against mpmath: 9.5e-16 for x > 0 (n ≤ 28), 5.3e-15·max(1, |ψ⁽ⁿ⁾|) for x < 0.
    const ref: [number, number, number][] = [
      [1, 1, Math.PI ** 2 / 6],
      [1, 0.5, Math.PI ** 2 / 2],
      [2, 1, -2.4041138063191885], // −2ζ(3)
      [3, 1, Math.PI ** 4 / 15],
      [1, 10, 0.10516633568168575],
      [2, 0.3, -75.27253658872604],
      [4, 2.5, -0.3137559995067314],
      [5, 100, 2.460599944011996e-9],
      [1, 1e-3, 1000001.6425331958],
      [10, 1, -3630593.311606629],
      [20, 3, -233141556.11225682],
      [1, 1e8, 1.000000005e-8],
    ];
    for (const [n, x, want] of ref) expectNear(`polygamma(${n}, ${x})`, polygamma(n, x), want, 2e-15 * Math.abs(want));
    const negative: [number, number, number][] = [
      [1, -0.5, 8.934802200544679],
      [2, -1.5, -0.2362040516417274],
      [3, -2.3, 768.9350646661422],
      [2, -0.25, 122.69736678366236],
    ];
    for (const [n, x, want] of negative)
      expectNear(`polygamma(${n}, ${x})`, polygamma(n, x), want, scaled(1e-14, want));
    expect(polygamma(0, 0.5)).toBe(digamma(0.5));
  });

  it("handles special values", () => {
    for (const x of [0, -0, -1, -3, -Infinity, NaN]) expect(polygamma(2, x)).toBeNaN();
    expect(polygamma(1.5, 1)).toBeNaN();
    expect(polygamma(-1, 1)).toBeNaN();
    expect(polygamma(3, Infinity)).toBe(0);
  });

  it("satisfies ψ⁽ⁿ⁾(x) − ψ⁽ⁿ⁾(x+1) = (−1)ⁿ⁺¹ n!/xⁿ⁺¹", () => {
    // Two errors of ≤ 2e-15·max(1, |ψ⁽ⁿ⁾|) (measured ≤ 1.7e-15 for n ≤ 8 on either side of 0); x+1 is exact.
    for (const n of [1, 2, 3, 5, 8]) {
      const sign = n % 2 ? 1 : -1;
      for (const x of grid(-10 + 1 / 128, 20, 1 / 64)) {
        if (Number.isInteger(x)) continue;
        const [a, b] = [polygamma(n, x), polygamma(n, x + 1)];
        expectNear(
          `polygamma(${n}) recurrence at ${x}`,
          a - b,
          (sign * factorial(n)) / x ** (n + 1),
          scaled(5e-15, a, b),
        );
      }
    }
  });
});

describe("derivative relations (central differences)", () => {
  // 4-point stencil f' ≈ (f(x−2h) − 8f(x−h) + 8f(x+h) − f(x+2h))/(12h) with h = 2⁻¹²: truncation h⁴|f⁽⁵⁾|/30 is
  // ≲ 1e-11·max(1,|f'|) at distance ≥ 0.4 from a pole, rounding ≈ 1.5·(4e-15 absolute)/h ≈ 2.5e-11.
  const h = 2 ** -12;
  const derivative = (f: (x: number) => number, x: number) =>
    (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h);
  const points = [...grid(0.5, 12, 1 / 16), ...[1, 2, 3, 4, 5].flatMap((k) => [-k + 0.4, -k + 0.5, -k + 0.6])];
  const TOL = 5e-11;

  it("d/dx lgamma = digamma", () => {
    for (const x of points) {
      const want = digamma(x);
      expectNear(`lgamma' at ${x}`, derivative(lgamma, x), want, scaled(TOL, want));
    }
  });

  it("d/dx digamma = polygamma(1, ·)", () => {
    for (const x of points) {
      const want = polygamma(1, x);
      expectNear(`digamma' at ${x}`, derivative(digamma, x), want, scaled(TOL, want));
    }
  });

  it("d/dx polygamma(n, ·) = polygamma(n + 1, ·)", () => {
    for (const n of [1, 2]) {
      for (const x of points) {
        const want = polygamma(n + 1, x);
        expectNear(
          `polygamma(${n})' at ${x}`,
          derivative((t) => polygamma(n, t), x),
          want,
          scaled(TOL, want),
        );
      }
    }
  });
});
