/**
 * Convolutions and windowed reductions: lax.convGeneralDilated / conv / convTranspose and
 * lax.reduceWindow (np.convolve and scipy.signal are in conv-signal.test.ts).
 *
 * Values against direct float64 loops written here (independent of the cpu routine's
 * tables); derivatives against central
 * differences (checkGrads); the transpose rules by ⟨ct, J·t⟩ = ⟨Jᵀ·ct, t⟩; vmap against
 * a loop; jit against eager. Everything in float64 unless said otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkGrads,
  config,
  grad,
  jit,
  jvp,
  lax,
  numpy as np,
  vjp,
  vmap,
  type Array as NdArray,
} from "../src/index.js";
import { ArgumentTypeError, DTypeError, ShapeError } from "../src/core/errors.js";
import { OptionError } from "../src/core/options.js";
import { expectClose, fromNd, inner, rng, seedOf, toNd, uniformT } from "./helpers/check.js";
import type { T } from "./helpers/reference.js";

beforeAll(() => config.update("enableX64", true));
afterAll(() => config.update("enableX64", false));

/**
 * Sums of at most a few dozen products of values in (-1, 1): float64 rounding is below
 * 1e-14 relative to the result's scale, so 1e-12 leaves room without hiding a wrong index.
 */
const TOL = { rtol: 1e-12, atol: 1e-12 };

const rand = (label: string, shape: number[]): T => uniformT(rng(seedOf(label)), shape, -1, 1);
const f64 = (t: T): NdArray => toNd(t, "float64");
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const stridesOf = (s: readonly number[]) => s.map((_, i) => size(s.slice(i + 1)));
const dil = (n: number, d: number) => (n === 0 ? 0 : (n - 1) * d + 1);

// --- a direct float64 convolution in the canonical layouts (NC..., OI..., NC...) ------------------

interface Canon {
  strides: number[];
  pads: [number, number][];
  lhsDil: number[];
  rhsDil: number[];
  fgc: number;
  bgc: number;
}

function refConv(l: T, r: T, p: Canon): T {
  const [N, , ...ls] = l.shape;
  const [O, I, ...ks] = r.shape;
  const outSp = ls.map((n, d) => {
    const padded = dil(n, p.lhsDil[d]) + p.pads[d][0] + p.pads[d][1];
    const k = dil(ks[d], p.rhsDil[d]);
    return padded < k ? 0 : Math.floor((padded - k) / p.strides[d]) + 1;
  });
  const nOut = N / p.bgc;
  const shape = [nOut, O, ...outSp];
  const data = new Float64Array(size(shape));
  const lst = stridesOf(l.shape);
  const rst = stridesOf(r.shape);
  const G = Math.max(p.fgc, p.bgc);
  for (let flat = 0; flat < data.length; flat++) {
    const idx = stridesOf(shape).map((s, i) => Math.floor(flat / s) % shape[i]);
    const [n, o, ...y] = idx;
    const g = Math.floor(o / (O / G));
    const nIn = p.bgc > 1 ? g * nOut + n : n;
    let acc = 0;
    for (let kFlat = 0; kFlat < size(ks); kFlat++) {
      const k = stridesOf(ks).map((s, i) => Math.floor(kFlat / s) % ks[i]);
      const pos = y.map((yd, d) => yd * p.strides[d] + k[d] * p.rhsDil[d] - p.pads[d][0]);
      if (pos.some((q, d) => q < 0 || q >= dil(ls[d], p.lhsDil[d]) || q % p.lhsDil[d] !== 0)) continue;
      const xs = pos.map((q, d) => q / p.lhsDil[d]);
      for (let i = 0; i < I; i++) {
        const c = p.fgc > 1 ? g * I + i : i;
        let lo = nIn * lst[0] + c * lst[1];
        xs.forEach((x, d) => (lo += x * lst[d + 2]));
        let ro = o * rst[0] + i * rst[1];
        k.forEach((kd, d) => (ro += kd * rst[d + 2]));
        acc += l.data[lo] * r.data[ro];
      }
    }
    data[flat] = acc;
  }
  return { shape, data };
}

interface ConvCase {
  name: string;
  lhs: number[];
  rhs: number[];
  strides: number[];
  padding: "SAME" | "VALID" | [number, number][];
  /** The explicit padding the case's padding means (for the reference). */
  pads: [number, number][];
  lhsDil?: number[];
  rhsDil?: number[];
  fgc?: number;
  bgc?: number;
}

const CASES: ConvCase[] = [
  {
    name: "1-d strided, uneven padding",
    lhs: [2, 3, 7],
    rhs: [4, 3, 3],
    strides: [2],
    padding: [[1, 2]],
    pads: [[1, 2]],
  },
  // SAME: 5 rows, k 3, stride 1 → pad 2 split [1, 1]; 6 cols, k 2, stride 1 → pad 1 at the end.
  {
    name: "2-d SAME",
    lhs: [2, 2, 5, 6],
    rhs: [3, 2, 3, 2],
    strides: [1, 1],
    padding: "SAME",
    pads: [
      [1, 1],
      [0, 1],
    ],
  },
  // SAME with stride 2: 5 → 3 outputs, pad (3-1)·2+3-5 = 2 → [1, 1]; 6 → 3 outputs, pad 4+2-6 = 0.
  {
    name: "2-d SAME strided",
    lhs: [1, 2, 5, 6],
    rhs: [2, 2, 3, 2],
    strides: [2, 2],
    padding: "SAME",
    pads: [
      [1, 1],
      [0, 0],
    ],
  },
  {
    name: "2-d VALID strided",
    lhs: [2, 3, 6, 5],
    rhs: [2, 3, 2, 3],
    strides: [2, 1],
    padding: "VALID",
    pads: [
      [0, 0],
      [0, 0],
    ],
  },
  {
    name: "dilations and negative padding",
    lhs: [2, 2, 4, 5],
    rhs: [3, 2, 2, 2],
    strides: [1, 2],
    padding: [
      [2, 1],
      [1, -1],
    ],
    pads: [
      [2, 1],
      [1, -1],
    ],
    lhsDil: [2, 1],
    rhsDil: [1, 2],
  },
  {
    name: "feature groups",
    lhs: [2, 4, 5, 5],
    rhs: [6, 2, 2, 3],
    strides: [1, 1],
    padding: [
      [0, 1],
      [1, 0],
    ],
    pads: [
      [0, 1],
      [1, 0],
    ],
    fgc: 2,
  },
  {
    name: "depthwise",
    lhs: [1, 3, 4, 4],
    rhs: [3, 1, 3, 3],
    strides: [1, 1],
    padding: "SAME",
    pads: [
      [1, 1],
      [1, 1],
    ],
    fgc: 3,
  },
  {
    name: "batch groups",
    lhs: [4, 3, 5, 4],
    rhs: [6, 3, 2, 2],
    strides: [1, 2],
    padding: "VALID",
    pads: [
      [0, 0],
      [0, 0],
    ],
    bgc: 2,
  },
  {
    name: "3-d",
    lhs: [1, 2, 4, 3, 4],
    rhs: [2, 2, 2, 2, 3],
    strides: [1, 2, 1],
    padding: "VALID",
    pads: [
      [0, 0],
      [0, 0],
      [0, 0],
    ],
  },
];

const canon = (c: ConvCase): Canon => ({
  strides: c.strides,
  pads: c.pads,
  lhsDil: c.lhsDil ?? c.strides.map(() => 1),
  rhsDil: c.rhsDil ?? c.strides.map(() => 1),
  fgc: c.fgc ?? 1,
  bgc: c.bgc ?? 1,
});

const convOf =
  (c: ConvCase) =>
  (l: NdArray, r: NdArray): NdArray =>
    lax.convGeneralDilated(l, r, c.strides, c.padding, {
      lhsDilation: c.lhsDil ?? null,
      rhsDilation: c.rhsDil ?? null,
      featureGroupCount: c.fgc ?? 1,
      batchGroupCount: c.bgc ?? 1,
    });

describe("lax.convGeneralDilated", () => {
  for (const c of CASES) {
    describe(c.name, () => {
      const l = rand(`${c.name} lhs`, c.lhs);
      const r = rand(`${c.name} rhs`, c.rhs);
      const f = convOf(c);

      it("values match a direct float64 loop, in float64 and float32", () => {
        const expected = refConv(l, r, canon(c));
        expectClose(fromNd(f(f64(l), f64(r))), expected, TOL, "float64");
        const out32 = f(toNd(l, "float32"), toNd(r, "float32"));
        expect(out32.dtype).toBe("float32");
        // float32 inputs rounded (2⁻²⁴ relative each) and float64 accumulation: 1e-6 is ~8 ulp.
        expectClose(fromNd(out32), expected, { rtol: 1e-6, atol: 1e-6 }, "float32");
      });

      it("transpose rules: ⟨ct, J·t⟩ = ⟨Jᵀ·ct, t⟩ for lhs and rhs", () => {
        const L = f64(l);
        const R = f64(r);
        const out = f(L, R);
        const ct = f64(rand(`${c.name} ct`, out.shape));
        const tl = f64(rand(`${c.name} tl`, c.lhs));
        const tr = f64(rand(`${c.name} tr`, c.rhs));
        const [, jl] = jvp((x: NdArray) => f(x, R), [L], [tl]) as [NdArray, NdArray];
        const [, jr] = jvp((y: NdArray) => f(L, y), [R], [tr]) as [NdArray, NdArray];
        const [, back] = vjp(f, L, R);
        const [gl, gr] = back(ct) as NdArray[];
        expect(gl.shape).toEqual(c.lhs);
        expect(gr.shape).toEqual(c.rhs);
        const a1 = inner(fromNd(ct), fromNd(jl));
        const a2 = inner(fromNd(ct), fromNd(jr));
        // Both sides are sums of a few hundred float64 products of O(1) terms.
        expect(Math.abs(a1 - inner(fromNd(gl), fromNd(tl)))).toBeLessThan(1e-11 * (1 + Math.abs(a1)));
        expect(Math.abs(a2 - inner(fromNd(gr), fromNd(tr)))).toBeLessThan(1e-11 * (1 + Math.abs(a2)));
      });

      it("gradients match central differences (order 2)", () => {
        checkGrads(f, [f64(l), f64(r)], 2, { modes: ["fwd", "rev"] });
      });

      it("vmap matches a loop (lhs, rhs, both; batch axes not first)", () => {
        const B = 2;
        const ls = [0, 1].map((b) => f64(rand(`${c.name} lb${b}`, c.lhs)));
        const rs = [0, 1].map((b) => f64(rand(`${c.name} rb${b}`, c.rhs)));
        const L = f64(l);
        const R = f64(r);
        const loop = (g: (b: number) => NdArray) => np.stack(Array.from({ length: B }, (_, b) => g(b)));
        const close = (a: NdArray, e: NdArray, label: string) => expectClose(fromNd(a), fromNd(e), TOL, label);
        close(
          vmap(f, { inAxes: [0, null] })(np.stack(ls), R),
          loop((b) => f(ls[b], R)),
          "lhs batched",
        );
        close(
          vmap(f, { inAxes: [null, 0] })(L, np.stack(rs)),
          loop((b) => f(L, rs[b])),
          "rhs batched",
        );
        close(
          vmap(f, { inAxes: [1, 2], outAxes: 0 })(np.stack(ls, 1), np.stack(rs, 2)),
          loop((b) => f(ls[b], rs[b])),
          "both batched",
        );
        // Per-example gradients: the transposes under vmap, both operands batched.
        const loss = (x: NdArray, y: NdArray) => np.sum(np.sin(f(x, y)));
        const g = vmap(grad(loss, { argnums: [0, 1] }))(np.stack(ls), np.stack(rs)) as NdArray[];
        const each = [0, 1].map((b) => grad(loss, { argnums: [0, 1] })(ls[b], rs[b]) as NdArray[]);
        close(g[0], np.stack(each.map((e) => e[0])), "per-example lhs gradient");
        close(g[1], np.stack(each.map((e) => e[1])), "per-example rhs gradient");
      });

      it("jit matches eager", () => {
        const L = f64(l);
        const R = f64(r);
        expectClose(fromNd(jit(f)(L, R)), fromNd(f(L, R)), TOL, "jit");
        const gj = jit(grad((x: NdArray, y: NdArray) => np.sum(np.square(f(x, y)))))(L, R);
        const ge = grad((x: NdArray, y: NdArray) => np.sum(np.square(f(x, y))))(L, R);
        expectClose(fromNd(gj), fromNd(ge), TOL, "jit(grad)");
      });
    });
  }

  it("dimension numbers: layout strings and axis lists give the canonical result, permuted", () => {
    const l = rand("dn lhs", [2, 3, 5, 4]); // NCHW
    const r = rand("dn rhs", [4, 3, 2, 3]); // OIHW
    const c: Canon = {
      strides: [2, 1],
      pads: [
        [1, 0],
        [0, 2],
      ],
      lhsDil: [1, 1],
      rhsDil: [1, 2],
      fgc: 1,
      bgc: 1,
    };
    const expected = f64(refConv(l, r, c)); // NCHW
    const L = np.transpose(f64(l), [0, 2, 3, 1]); // NHWC
    const R = np.transpose(f64(r), [2, 3, 1, 0]); // HWIO
    const opts = { rhsDilation: [1, 2] };
    const nhwc = lax.convGeneralDilated(L, R, [2, 1], c.pads, { ...opts, dimensionNumbers: ["NHWC", "HWIO", "NHWC"] });
    expectClose(fromNd(nhwc), fromNd(np.transpose(expected, [0, 2, 3, 1])), TOL, "NHWC");
    const mixed = lax.convGeneralDilated(L, R, [2, 1], c.pads, { ...opts, dimensionNumbers: ["NHWC", "HWIO", "NCHW"] });
    expectClose(fromNd(mixed), fromNd(expected), TOL, "NHWC in, NCHW out");
    const tuples = lax.convGeneralDilated(L, R, [2, 1], c.pads, {
      ...opts,
      dimensionNumbers: [
        [0, 3, 1, 2],
        [3, 2, 0, 1],
        [0, 3, 1, 2],
      ],
    });
    expectClose(fromNd(tuples), fromNd(np.transpose(expected, [0, 2, 3, 1])), TOL, "axis lists");
    // Spatial axes follow rhs's order: "NWHC" with "HWIO" swaps which lhs axis is H.
    const Lw = np.transpose(f64(l), [0, 3, 2, 1]); // NWHC
    const swapped = lax.convGeneralDilated(Lw, R, [2, 1], c.pads, {
      ...opts,
      dimensionNumbers: ["NWHC", "HWIO", "NCHW"],
    });
    expectClose(fromNd(swapped), fromNd(expected), TOL, "NWHC");
    const f = (x: NdArray, y: NdArray) =>
      lax.convGeneralDilated(x, y, [2, 1], c.pads, { ...opts, dimensionNumbers: ["NHWC", "HWIO", "NCHW"] });
    checkGrads(f, [L, R], 1, { modes: ["fwd", "rev"] });
    const gv = vmap(
      grad((x: NdArray, y: NdArray) => np.sum(np.sin(f(x, y))), { argnums: [0, 1] }),
      {
        inAxes: [0, null],
      },
    )(np.stack([L, np.multiply(L, 2)]), R) as NdArray[];
    const g1 = grad((x: NdArray, y: NdArray) => np.sum(np.sin(f(x, y))), { argnums: [0, 1] })(
      np.multiply(L, 2),
      R,
    ) as NdArray[];
    expectClose(fromNd(gv[0].get(1)), fromNd(g1[0]), TOL, "vmap(grad) lhs under layouts");
    expectClose(fromNd(gv[1].get(1)), fromNd(g1[1]), TOL, "vmap(grad) rhs under layouts");
  });

  it("lax.conv is NCHW/OIHW convolution with ones for dilations", () => {
    const l = rand("conv lhs", [1, 2, 4, 4]);
    const r = rand("conv rhs", [3, 2, 3, 3]);
    const expected = refConv(l, r, {
      strides: [1, 1],
      pads: [
        [1, 1],
        [1, 1],
      ],
      lhsDil: [1, 1],
      rhsDil: [1, 1],
      fgc: 1,
      bgc: 1,
    });
    expectClose(fromNd(lax.conv(f64(l), f64(r), [1, 1], "SAME")), expected, TOL, "lax.conv");
  });

  it("integer operands convolve exactly; preferredElementType converts", () => {
    const x = np.reshape(np.arange(8, undefined, undefined, "int32"), [1, 1, 8]);
    const k = np.array([[[1, -1, 2]]], "int32");
    const y = lax.convGeneralDilated(x, k, [1], "VALID");
    expect(y.dtype).toBe("int32");
    // correlate([0..7], [1, -1, 2]): x[i] - x[i+1] + 2 x[i+2] = 2i + 3
    expect(y.tolist()).toEqual([[[3, 5, 7, 9, 11, 13]]]);
    const z = lax.convGeneralDilated(x, k, [1], "VALID", { preferredElementType: "float64" });
    expect(z.dtype).toBe("float64");
  });

  it("bad input is a typed error", () => {
    const x = np.zeros([1, 4, 5, 5]);
    const k = np.zeros([2, 4, 3, 3]);
    expect(() => lax.convGeneralDilated(x, np.zeros([2, 3, 3, 3]), [1, 1], "SAME")).toThrow(ShapeError);
    expect(() => lax.convGeneralDilated(x, np.zeros([3, 2, 3, 3]), [1, 1], "SAME", { featureGroupCount: 2 })).toThrow(
      /multiple of feature_group_count/,
    );
    expect(() => lax.convGeneralDilated(x, k, [1], "SAME")).toThrow(ArgumentTypeError);
    expect(() => lax.convGeneralDilated(x, k, [1, 1], "FULL" as never)).toThrow(/padding must be "SAME"/);
    expect(() => lax.convGeneralDilated(x, k, [1, 1], [[1, 1]])).toThrow(ArgumentTypeError);
    expect(() => lax.convGeneralDilated(x, k, [0, 1], "SAME")).toThrow(/window_strides must be 2 positive integers/);
    expect(() => lax.convGeneralDilated(x, k, [1, 1], "SAME", { lhsDilation: [2, 2] })).toThrow(/lax.convTranspose/);
    expect(() => lax.convGeneralDilated(x, k, [1, 1], "SAME", { dimensionNumbers: ["NCHW", "OIHW", "NCWX"] })).toThrow(
      ArgumentTypeError,
    );
    expect(() => lax.convGeneralDilated(x, k, [1, 1], "SAME", { dimensionNumbers: ["NCH", "OIH", "NCH"] })).toThrow(
      ShapeError,
    );
    expect(() => lax.convGeneralDilated(x, np.zeros([2, 4, 3]), [1], "SAME")).toThrow(/same number of dimensions/);
    expect(() => lax.convGeneralDilated(x, np.zeros([2, 4, 3, 3], "float32"), [1, 1], "SAME")).toThrow(DTypeError);
    expect(() =>
      lax.convGeneralDilated(
        x,
        k,
        [1, 1],
        [
          [-9, 0],
          [0, 0],
        ],
      ),
    ).toThrow(/negative padding/);
    expect(() => lax.convGeneralDilated(x, k, [1, 1], "SAME", { featureGroupCount: 0 })).toThrow(OptionError);
    expect(() =>
      lax.convGeneralDilated(np.zeros([4, 4, 5, 5]), np.zeros([4, 2, 3, 3]), [1, 1], "SAME", {
        featureGroupCount: 2,
        batchGroupCount: 2,
      }),
    ).toThrow(/at most one/);
  });
});

describe("lax.convTranspose", () => {
  const x = rand("ct x", [1, 4, 4, 2]); // NHWC, 2 channels
  const kf = rand("ct k", [3, 3, 5, 2]); // the forward convolution's HWIO kernel: 5 → 2 channels

  it("output sizes: SAME multiplies by the stride, VALID gives (n - 1)·s + k", () => {
    const k = np.ones([3, 3, 2, 5]);
    expect(lax.convTranspose(np.ones([1, 4, 4, 2]), k, [2, 2], "SAME").shape).toEqual([1, 8, 8, 5]);
    expect(lax.convTranspose(np.ones([1, 4, 4, 2]), k, [2, 2], "VALID").shape).toEqual([1, 9, 9, 5]);
    expect(lax.convTranspose(np.ones([1, 4, 2]), np.ones([3, 2, 5]), [3], "VALID").shape).toEqual([1, 12, 5]);
  });

  for (const [padding, n] of [
    ["VALID", 9],
    ["SAME", 8],
  ] as const) {
    it(`with transposeKernel it is the gradient of the forward convolution (${padding})`, () => {
      const fwd = (y: NdArray) =>
        lax.convGeneralDilated(y, f64(kf), [2, 2], padding, { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] });
      const [, back] = vjp(fwd, np.zeros([1, n, n, 5]));
      const [expected] = back(f64(x)) as NdArray[];
      const got = lax.convTranspose(f64(x), f64(kf), [2, 2], padding, { transposeKernel: true });
      expectClose(fromNd(got), fromNd(expected), TOL, padding);
    });
  }

  it("explicit pairs are the transposed convolution's padding; useConsistentPadding takes the forward one", () => {
    const k = f64(rand("ct k2", [3, 3, 2, 4]));
    const a = lax.convTranspose(
      f64(x),
      k,
      [2, 2],
      [
        [2, 2],
        [2, 2],
      ],
    );
    const b = lax.convGeneralDilated(
      f64(x),
      k,
      [1, 1],
      [
        [2, 2],
        [2, 2],
      ],
      {
        lhsDilation: [2, 2],
        dimensionNumbers: ["NHWC", "HWIO", "NHWC"],
      },
    );
    expectClose(fromNd(a), fromNd(b), TOL, "pairs");
    // forward padding (0, 0) with k = 3 is transposed padding (2, 2), which is VALID's.
    const c = lax.convTranspose(
      f64(x),
      k,
      [2, 2],
      [
        [0, 0],
        [0, 0],
      ],
      { useConsistentPadding: true },
    );
    expectClose(fromNd(c), fromNd(lax.convTranspose(f64(x), k, [2, 2], "VALID")), TOL, "consistent");
    checkGrads((u: NdArray, v: NdArray) => lax.convTranspose(u, v, [2, 2], "SAME"), [f64(x), k], 1, {
      modes: ["fwd", "rev"],
    });
  });

  it("ranks without a default layout need dimensionNumbers", () => {
    expect(() =>
      lax.convTranspose(np.ones([1, 1, 2, 2, 2, 2]), np.ones([1, 1, 1, 1, 1, 1]), [1, 1, 1, 1], "SAME"),
    ).toThrow(/dimension_number defaults/);
  });
});

// --- reduce_window ----------------------------------------------------------------

interface WindowCase {
  name: string;
  shape: number[];
  window: number[];
  strides: number[];
  padding: "SAME" | "VALID" | [number, number][];
  pads: [number, number][];
  baseDil?: number[];
  winDil?: number[];
}

const WINDOWS: WindowCase[] = [
  {
    name: "2×2 pooling",
    shape: [2, 4, 6],
    window: [1, 2, 2],
    strides: [1, 2, 2],
    padding: "VALID",
    pads: [
      [0, 0],
      [0, 0],
      [0, 0],
    ],
  },
  {
    name: "overlapping, padded",
    shape: [2, 5, 6],
    window: [1, 2, 3],
    strides: [1, 2, 1],
    padding: [
      [0, 0],
      [1, 0],
      [1, 1],
    ],
    pads: [
      [0, 0],
      [1, 0],
      [1, 1],
    ],
  },
  // SAME: 4 → 4 outputs with window 3, stride 1: pad [1, 1]; 5 → 3 with stride 2: pad (2·2+3-5) = 2 → [1, 1].
  {
    name: "SAME",
    shape: [4, 5],
    window: [3, 3],
    strides: [1, 2],
    padding: "SAME",
    pads: [
      [1, 1],
      [1, 1],
    ],
  },
  {
    name: "dilated",
    shape: [2, 4, 5],
    window: [1, 2, 2],
    strides: [1, 1, 2],
    padding: [
      [0, 0],
      [1, 1],
      [0, 0],
    ],
    pads: [
      [0, 0],
      [1, 1],
      [0, 0],
    ],
    baseDil: [1, 2, 1],
    winDil: [1, 1, 2],
  },
];

/** Per window: the reduction (identity when empty) and, for max/min, the flat index of its first extremum. */
function refWindow(x: T, c: WindowCase, reducer: "add" | "max" | "min"): { out: T; arg: number[] } {
  const bd = c.baseDil ?? c.shape.map(() => 1);
  const wd = c.winDil ?? c.shape.map(() => 1);
  const outShape = c.shape.map((n, d) => {
    const padded = dil(n, bd[d]) + c.pads[d][0] + c.pads[d][1];
    const w = dil(c.window[d], wd[d]);
    return padded < w ? 0 : Math.floor((padded - w) / c.strides[d]) + 1;
  });
  const data = new Float64Array(size(outShape));
  const arg: number[] = [];
  const xs = stridesOf(c.shape);
  for (let flat = 0; flat < data.length; flat++) {
    const y = stridesOf(outShape).map((s, i) => Math.floor(flat / s) % outShape[i]);
    let acc = reducer === "add" ? 0 : reducer === "max" ? -Infinity : Infinity;
    let best = -1;
    for (let kFlat = 0; kFlat < size(c.window); kFlat++) {
      const k = stridesOf(c.window).map((s, i) => Math.floor(kFlat / s) % c.window[i]);
      const pos = y.map((yd, d) => yd * c.strides[d] + k[d] * wd[d] - c.pads[d][0]);
      if (pos.some((q, d) => q < 0 || q >= dil(c.shape[d], bd[d]) || q % bd[d] !== 0)) continue;
      const off = pos.reduce((a, q, d) => a + (q / bd[d]) * xs[d], 0);
      const v = x.data[off];
      if (reducer === "add") acc += v;
      else if (best < 0 || (reducer === "max" ? v > acc : v < acc)) {
        acc = v;
        best = off;
      }
    }
    data[flat] = acc;
    arg.push(best);
  }
  return { out: { shape: outShape, data }, arg };
}

describe("lax.reduceWindow", () => {
  const computations = [
    ["add", lax.add, 0],
    ["max", lax.max, -Infinity],
    ["min", lax.min, Infinity],
  ] as const;

  for (const c of WINDOWS) {
    describe(c.name, () => {
      const x = rand(`${c.name} x`, c.shape);
      const rw = (name: "add" | "max" | "min") => (y: NdArray) =>
        lax.reduceWindow(
          y,
          name === "add" ? 0 : name === "max" ? -Infinity : Infinity,
          name,
          c.window,
          c.strides,
          c.padding,
          c.baseDil ?? null,
          c.winDil ?? null,
        );

      it("values match a direct loop (by name and by lax function)", () => {
        for (const [name, fn, init] of computations) {
          const { out } = refWindow(x, c, name);
          expectClose(fromNd(rw(name)(f64(x))), out, TOL, name);
          const viaFn = lax.reduceWindow(f64(x), init, fn, c.window, c.strides, c.padding, {
            baseDilation: c.baseDil ?? null,
            windowDilation: c.winDil ?? null,
          });
          expectClose(fromNd(viaFn), out, TOL, `${name} via lax.${name}`);
        }
      });

      it("sum: transpose by ⟨ct, J·t⟩ = ⟨Jᵀ·ct, t⟩; gradients by central differences", () => {
        const f = rw("add");
        const X = f64(x);
        const out = f(X);
        const ct = f64(rand(`${c.name} ct`, out.shape));
        const t = f64(rand(`${c.name} t`, c.shape));
        const [, jt] = jvp(f, [X], [t]) as [NdArray, NdArray];
        const [, back] = vjp(f, X);
        const [g] = back(ct) as NdArray[];
        const lhs = inner(fromNd(ct), fromNd(jt));
        expect(Math.abs(lhs - inner(fromNd(g), fromNd(t)))).toBeLessThan(1e-12 * (1 + Math.abs(lhs)));
        checkGrads(f, [X], 2, { modes: ["fwd", "rev"] });
      });

      it("max / min: the gradient goes to each window's selected element (JAX's chooser rule)", () => {
        for (const name of ["max", "min"] as const) {
          const f = rw(name);
          const X = f64(x);
          const { out, arg } = refWindow(x, c, name);
          const ct = rand(`${c.name} ct ${name}`, out.shape);
          const expected = new Float64Array(size(c.shape));
          arg.forEach((a, i) => {
            if (a >= 0) expected[a] += ct.data[i];
          });
          const [, back] = vjp(f, X);
          const [g] = back(f64(ct)) as NdArray[];
          expectClose(fromNd(g), { shape: c.shape, data: expected }, TOL, `${name} vjp`);
          // Distinct random values: each window's arg-max is isolated, so finite differences apply.
          checkGrads(f, [X], 2, { modes: ["fwd", "rev"] });
        }
      });

      it("vmap matches a loop; jit matches eager", () => {
        const xs = [0, 1, 2].map((b) => f64(rand(`${c.name} xb${b}`, c.shape)));
        for (const name of ["add", "max"] as const) {
          const f = rw(name);
          const loop = np.stack(xs.map((v) => f(v)));
          expectClose(fromNd(vmap(f, { inAxes: 1, outAxes: 0 })(np.stack(xs, 1))), fromNd(loop), TOL, `vmap ${name}`);
          const loss = (v: NdArray) => np.sum(np.sin(f(v)));
          const gl = np.stack(xs.map((v) => grad(loss)(v)));
          expectClose(fromNd(vmap(grad(loss))(np.stack(xs))), fromNd(gl), TOL, `vmap(grad) ${name}`);
          expectClose(fromNd(jit(f)(xs[0])), fromNd(f(xs[0])), TOL, `jit ${name}`);
          expectClose(fromNd(jit(grad(loss))(xs[0])), fromNd(grad(loss)(xs[0])), TOL, `jit(grad) ${name}`);
        }
      });
    });
  }

  it("ties: the whole gradient goes to one element of the window", () => {
    const g = grad((y: NdArray) => np.sum(lax.reduceWindow(y, -Infinity, "max", [2, 2], [2, 2], "VALID")))(
      np.ones([2, 2]),
    );
    expect(g.tolist()).toEqual([
      [1, 0],
      [0, 0],
    ]);
  });

  it("float32 and int32 operands keep their dtype; integer max uses the dtype's minimum", () => {
    const x32 = toNd(rand("rw32", [4, 4]), "float32");
    const y = lax.reduceWindow(x32, -Infinity, "max", [2, 2], [2, 2], "VALID");
    expect(y.dtype).toBe("float32");
    const xi = np.reshape(np.arange(6, undefined, undefined, "int32"), [2, 3]);
    const yi = lax.reduceWindow(
      xi,
      -2147483648,
      lax.max,
      [1, 2],
      [1, 1],
      [
        [0, 0],
        [0, 1],
      ],
    );
    expect(yi.dtype).toBe("int32");
    expect(yi.tolist()).toEqual([
      [1, 2, 2],
      [4, 5, 5],
    ]);
    expect(lax.reduceWindow(xi, 0, "add", [2, 1], [1, 1], "VALID").tolist()).toEqual([[3, 5, 7]]);
  });

  it("bad input is a typed error", () => {
    const x = np.zeros([4, 4]);
    expect(() => lax.reduceWindow(x, 1, "add", [2, 2], [1, 1], "VALID")).toThrow(/init_value must be the identity/);
    expect(() => lax.reduceWindow(np.array([true, false]), 0, "add", [1], [1], "VALID")).toThrow(DTypeError);
    expect(() => lax.reduceWindow(x, 0, "mul" as never, [2, 2], [1, 1], "VALID")).toThrow(ArgumentTypeError);
    expect(() => lax.reduceWindow(x, 0, 3 as never, [2, 2], [1, 1], "VALID")).toThrow(ArgumentTypeError);
    expect(() => lax.reduceWindow(x, 0, "add", [2], [1, 1], "VALID")).toThrow(/window_dimensions must be 2/);
    expect(() => lax.reduceWindow(x, 0, "add", [2, 2], [1, 1], [[0, 0]])).toThrow(/padding must be/);
    expect(() =>
      lax.reduceWindow(
        x,
        0,
        "add",
        [2, 2],
        [1, 1],
        [
          [-5, 0],
          [0, 0],
        ],
      ),
    ).toThrow(ShapeError);
    expect(() => lax.reduceWindow(x, 0, "add", [2, 2], [1, 1], "VALID", { baseDilation: [0, 1] })).toThrow(OptionError);
  });
});
