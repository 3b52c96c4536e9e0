/**
 * Float64 reference computations for the primitive tests: a tiny row-major
 * tensor type with plain-JS loops (no library code), and independent
 * implementations of the special functions.
 */

/** A row-major float64 tensor: the reference side of every comparison. */
export interface T {
  shape: number[];
  data: Float64Array;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let k = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = k;
    k *= shape[i];
  }
  return s;
}

/** Calls `cb(index, flat)` for every multi-index of `shape`, in row-major order. */
export function forEachIndex(shape: readonly number[], cb: (idx: number[], flat: number) => void): void {
  const n = sizeOf(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    cb(idx, flat);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

export function tensor(shape: readonly number[], fill: (idx: number[]) => number): T {
  const data = new Float64Array(sizeOf(shape));
  forEachIndex(shape, (idx, flat) => (data[flat] = fill(idx)));
  return { shape: [...shape], data };
}

export function scalarT(v: number): T {
  return { shape: [], data: Float64Array.of(v) };
}

export function at(t: T, idx: readonly number[]): number {
  let off = 0;
  let stride = 1;
  for (let d = t.shape.length - 1; d >= 0; d--) {
    off += idx[d] * stride;
    stride *= t.shape[d];
  }
  return t.data[off];
}

export function map1(t: T, f: (x: number) => number): T {
  return { shape: [...t.shape], data: t.data.map(f) };
}

export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    s.forEach((d, i) => {
      const j = nd - s.length + i;
      if (d !== 1) out[j] = d;
    });
  }
  return out;
}

/** The element of `t` that NumPy broadcasting puts at `idx` of a larger shape. */
function atBroadcast(t: T, idx: readonly number[]): number {
  const lead = idx.length - t.shape.length;
  return at(
    t,
    t.shape.map((n, i) => (n === 1 ? 0 : idx[i + lead])),
  );
}

/** Elementwise with NumPy broadcasting. */
export function mapN(ts: T[], f: (...xs: number[]) => number): T {
  const shape = broadcastShapes(...ts.map((t) => t.shape));
  return tensor(shape, (idx) => f(...ts.map((t) => atBroadcast(t, idx))));
}

export function reduce(t: T, axes: number[], init: number, op: (acc: number, x: number) => number): T {
  const kept = t.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const out = tensor(
    kept.map((i) => t.shape[i]),
    () => init,
  );
  forEachIndex(t.shape, (idx, flat) => {
    const o = kept.map((i) => idx[i]);
    const pos = o.reduce((acc, v, j) => acc * out.shape[j] + v, 0);
    out.data[pos] = op(out.data[pos], t.data[flat]);
  });
  return out;
}

export function transpose(t: T, perm: number[]): T {
  return tensor(
    perm.map((p) => t.shape[p]),
    (idx) => {
      const src = new Array<number>(perm.length);
      perm.forEach((p, i) => (src[p] = idx[i]));
      return at(t, src);
    },
  );
}

export function reshape(t: T, shape: number[]): T {
  return { shape: [...shape], data: t.data.slice() };
}

export function broadcastInDim(t: T, shape: number[], dims: number[]): T {
  return tensor(shape, (idx) =>
    at(
      t,
      dims.map((o, i) => (t.shape[i] === 1 ? 0 : idx[o])),
    ),
  );
}

export function slice(t: T, start: number[], limit: number[], strides: number[]): T {
  const shape = start.map((s, i) => Math.max(0, Math.ceil((limit[i] - s) / strides[i])));
  return tensor(shape, (idx) =>
    at(
      t,
      idx.map((k, i) => start[i] + k * strides[i]),
    ),
  );
}

/** lax.pad semantics with non-negative [lo, hi, interior] per axis. */
export function pad(t: T, value: number, config: [number, number, number][]): T {
  const shape = t.shape.map((n, i) => config[i][0] + config[i][1] + n + Math.max(0, n - 1) * config[i][2]);
  return tensor(shape, (idx) => {
    const src: number[] = [];
    for (let i = 0; i < idx.length; i++) {
      const [lo, , interior] = config[i];
      const k = idx[i] - lo;
      if (k < 0 || k % (interior + 1) !== 0 || k / (interior + 1) >= t.shape[i]) return value;
      src.push(k / (interior + 1));
    }
    return at(t, src);
  });
}

export function concat(ts: T[], axis: number): T {
  const shape = [...ts[0].shape];
  shape[axis] = ts.reduce((a, t) => a + t.shape[axis], 0);
  return tensor(shape, (idx) => {
    let k = idx[axis];
    for (const t of ts) {
      if (k < t.shape[axis])
        return at(
          t,
          idx.map((v, i) => (i === axis ? k : v)),
        );
      k -= t.shape[axis];
    }
    throw new Error("unreachable");
  });
}

export function rev(t: T, dims: number[]): T {
  return tensor(t.shape, (idx) =>
    at(
      t,
      idx.map((v, i) => (dims.includes(i) ? t.shape[i] - 1 - v : v)),
    ),
  );
}

/** Stacks equal-shape tensors along a new axis. */
export function stack(ts: T[], axis: number): T {
  const shape = [...ts[0].shape];
  shape.splice(axis, 0, ts.length);
  return tensor(shape, (idx) => {
    const rest = idx.filter((_, i) => i !== axis);
    return at(ts[idx[axis]], rest);
  });
}

/** Index `k` of axis `axis`, dropped. */
export function take(t: T, axis: number, k: number): T {
  return tensor(
    t.shape.filter((_, i) => i !== axis),
    (idx) => {
      const src = [...idx];
      src.splice(axis, 0, k);
      return at(t, src);
    },
  );
}

/** lax.dot_general: output axes are batch, lhs free, rhs free. Sums in ascending contraction order. */
export function dotGeneral(a: T, b: T, [lc, rc]: [number[], number[]], [lb, rb]: [number[], number[]]): T {
  const lFree = a.shape.map((_, i) => i).filter((i) => !lc.includes(i) && !lb.includes(i));
  const rFree = b.shape.map((_, i) => i).filter((i) => !rc.includes(i) && !rb.includes(i));
  const shape = [...lb.map((i) => a.shape[i]), ...lFree.map((i) => a.shape[i]), ...rFree.map((i) => b.shape[i])];
  const kShape = lc.map((i) => a.shape[i]);
  return tensor(shape, (idx) => {
    const ai = new Array<number>(a.shape.length);
    const bi = new Array<number>(b.shape.length);
    lb.forEach((ax, k) => ((ai[ax] = idx[k]), (bi[rb[k]] = idx[k])));
    lFree.forEach((ax, k) => (ai[ax] = idx[lb.length + k]));
    rFree.forEach((ax, k) => (bi[ax] = idx[lb.length + lFree.length + k]));
    let s = 0;
    forEachIndex(kShape, (kk) => {
      lc.forEach((ax, j) => ((ai[ax] = kk[j]), (bi[rc[j]] = kk[j])));
      s += at(a, ai) * at(b, bi);
    });
    return s;
  });
}

/** Applies `f` to every 1-D line of `t` along `axis` (f maps a line to a line of the same length). */
export function alongAxis(t: T, axis: number, f: (line: number[]) => number[]): T {
  const out = { shape: [...t.shape], data: new Float64Array(t.data.length) };
  const outer = t.shape.filter((_, i) => i !== axis);
  forEachIndex(outer, (o) => {
    const pos = (k: number) => {
      const idx = [...o];
      idx.splice(axis, 0, k);
      return idx.reduce((acc, v, j) => acc * t.shape[j] + v, 0);
    };
    const line = Array.from({ length: t.shape[axis] }, (_, k) => t.data[pos(k)]);
    f(line).forEach((v, k) => (out.data[pos(k)] = v));
  });
  return out;
}

/** Reduces every 1-D line along `axis` to one number. */
export function reduceLines(t: T, axis: number, f: (line: number[]) => number): T {
  return take(
    alongAxis(t, axis, (line) => line.map(() => f(line))),
    axis,
    0,
  );
}

export function scan(line: number[], op: (a: number, b: number) => number, reverse: boolean): number[] {
  const n = line.length;
  const out = new Array<number>(n);
  let acc = 0;
  for (let s = 0; s < n; s++) {
    const k = reverse ? n - 1 - s : s;
    acc = s === 0 ? line[k] : op(acc, line[k]);
    out[k] = acc;
  }
  return out;
}

// --- special functions, written independently of src/backends/cpu/special.ts ---------------

/** erf by the all-positive series erf(x) = 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)); no cancellation for |x| ≲ 4. */
export function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-18 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

/** erfc = 1 − erf: fine in relative terms on the moderate domains used here (erfc ≥ 1e-3). */
export function erfc(x: number): number {
  return 1 - erf(x);
}

/** erf⁻¹ by Newton's method on the reference erf. */
export function erfInv(y: number): number {
  let x = (y * Math.sqrt(Math.PI)) / 2;
  for (let i = 0; i < 100; i++) {
    const step = (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
    x -= step;
    if (Math.abs(step) < 1e-17 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

const BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6];

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** Shifts x up by the recurrence until x + N ≥ 20, where the asymptotic series are accurate to ~1e-17. */
const SHIFT_TO = 20;

/** log Γ(x), x > 0: Stirling's series at x + N minus log(x(x+1)…(x+N−1)). */
export function lgamma(x: number): number {
  let shift = 0;
  let z = x;
  while (z < SHIFT_TO) {
    shift += Math.log(z);
    z += 1;
  }
  let series = 0;
  BERNOULLI.forEach((b, k) => {
    const m = 2 * k + 2;
    series += b / (m * (m - 1) * Math.pow(z, m - 1));
  });
  return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

/** ψ(x), x > 0: ψ(x + N) − Σ 1/(x + k), with ψ(z) ~ log z − 1/(2z) − Σ B₂ₖ/(2k z²ᵏ). */
export function digamma(x: number): number {
  let shift = 0;
  let z = x;
  while (z < SHIFT_TO) {
    shift += 1 / z;
    z += 1;
  }
  let series = Math.log(z) - 1 / (2 * z);
  BERNOULLI.forEach((b, k) => (series -= b / ((2 * k + 2) * Math.pow(z, 2 * k + 2))));
  return series - shift;
}

/**
 * ψ⁽ⁿ⁾(x), n ≥ 1, x > 0: (−1)ⁿ⁺¹ n! Σ 1/(x + k)ⁿ⁺¹ plus the asymptotic series
 * (−1)ⁿ⁺¹ [(n−1)!/zⁿ + n!/(2zⁿ⁺¹) + Σ B₂ₖ (2k+n−1)!/((2k)! z²ᵏ⁺ⁿ)] at z = x + N.
 */
export function polygamma(n: number, x: number): number {
  if (n === 0) return digamma(x);
  const sign = n % 2 === 1 ? 1 : -1;
  let shift = 0;
  let z = x;
  while (z < SHIFT_TO) {
    shift += 1 / Math.pow(z, n + 1);
    z += 1;
  }
  let series = factorial(n - 1) / Math.pow(z, n) + factorial(n) / (2 * Math.pow(z, n + 1));
  BERNOULLI.forEach((b, k) => {
    const m = 2 * k + 2;
    series += (b * factorial(m + n - 1)) / (factorial(m) * Math.pow(z, m + n));
  });
  return sign * (factorial(n) * shift + series);
}
