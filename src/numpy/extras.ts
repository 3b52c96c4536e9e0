/**
 * NumPy's everyday helpers, all composites of existing functions (so grad, vmap
 * and jit come for free): roll, tril/triu, diff, sinc, kron, cross, meshgrid,
 * trapezoid, polyval, isclose/allclose, countNonzero, ndim, isscalar.
 */
import { NdArray, type ArrayLike } from "../core/array.js";
import { isInteger, type DType } from "../core/dtypes.js";
import { ArgumentTypeError, AxisError, DTypeError, ShapeError } from "../core/errors.js";
import {
  check,
  defineOptions,
  describeValue,
  either,
  is,
  isPlainObject,
  noExtraArgs,
  oneOf,
  orNull,
  type OptArgs,
} from "../core/options.js";
import * as ew from "../primitives/elementwise.js";
import * as un from "../primitives/unary.js";
import { broadcastInDim, broadcastTo, reshape as reshapeP } from "../primitives/structural.js";
import { concatenate as concatP, sliceAxis } from "../primitives/slicing.js";
import { iota } from "../primitives/iota.js";
import { broadcastShapes, normalizeAxis } from "../primitives/shapes.js";
import { asArray, fromValues, promoteOperands, promoteToFloat } from "../primitives/as-array.js";
import { customJvp } from "../transforms/custom-jvp.js";
import { add, subtract, multiply, equal, isinf, isnan, logicalAnd, logicalOr, logicalNot, lessEqual } from "./math.js";
import { sum, all, type AxisArg } from "./reductions.js";
import { concatenate, moveaxis, take } from "./shape.js";

const arr = (op: string, x: unknown): NdArray => asArray(x, undefined, op);
const shapeText = (s: readonly number[]): string => `[${s.join(",")}]`;

/** x[..., i, ...] along `axis`, the axis removed. */
function pick(x: NdArray, axis: number, i: number): NdArray {
  const s = sliceAxis(x, axis, i, i + 1);
  return reshapeP(
    s,
    x.aval.shape.filter((_, k) => k !== axis),
  );
}

/** An integer or a list of integers, checked. */
function intList(op: string, v: unknown, what: string): number[] {
  const ok = (d: unknown): d is number => typeof d === "number" && Number.isInteger(d);
  if (ok(v)) return [v];
  if (Array.isArray(v) && v.every(ok)) return v as number[];
  throw new ArgumentTypeError(`[${op}] ${what} must be an integer or an array of integers: got ${describeValue(v)}.`);
}

// --- roll ----------------------------------------------------------------------------------

/** Options of `np.roll` (JAX: axis). */
export interface RollOptions {
  /** The axis or axes to roll along; null or absent: the flattened array, reshaped back. */
  axis?: AxisArg;
}
const rollOptions = defineOptions("roll", { axis: orNull(is.axes) }, ["axis"]);

/**
 * `jnp.roll(a, shift, axis=None)`: elements shifted along axes, wrapping around.
 * `shift` and `axis` broadcast against each other; a shift may be an integer Array
 * (traced under jit), which rolls through a gather.
 *
 * @example
 * np.roll(np.array([1, 2, 3, 4]), 1);             // [4, 1, 2, 3]
 * np.roll(x, [1, -1], { axis: [0, 1] });
 */
export function roll(
  a: ArrayLike,
  shift: number | readonly number[] | NdArray,
  ...args: OptArgs<[AxisArg], RollOptions>
): NdArray {
  const op = "roll";
  const o = rollOptions.parse(args);
  const x = arr(op, a);
  if (o.axis === null || o.axis === undefined) {
    return reshapeP(rollAxes(op, reshapeP(x, [x.aval.size]), shift, [0]), [...x.aval.shape]);
  }
  const axes = (typeof o.axis === "number" ? [o.axis] : [...o.axis]).map((ax) => normalizeAxis(op, ax, x.ndim));
  return rollAxes(op, x, shift, axes);
}

function rollAxes(op: string, x: NdArray, shift: number | readonly number[] | NdArray, axes: number[]): NdArray {
  if (shift instanceof NdArray) return rollDynamic(op, x, shift, axes);
  const shifts = intList(op, shift, "shift");
  const n = Math.max(shifts.length, axes.length);
  if ((shifts.length !== 1 && shifts.length !== n) || (axes.length !== 1 && axes.length !== n)) {
    throw new ShapeError(
      `[${op}] shift and axis must broadcast against each other: got ${shifts.length} shift(s) and ${axes.length} axes, ` +
        `expected equal counts or one of them a single value.`,
    );
  }
  // Rolls along one axis compose by adding their shifts.
  const total = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const ax = axes[axes.length === 1 ? 0 : i];
    total.set(ax, (total.get(ax) ?? 0) + shifts[shifts.length === 1 ? 0 : i]);
  }
  let y = x;
  for (const [ax, s0] of total) {
    const len = y.aval.shape[ax];
    if (len === 0) continue;
    const s = ((s0 % len) + len) % len;
    if (s === 0) continue;
    // roll by s: the last s elements first.
    y = concatP([sliceAxis(y, ax, len - s, len), sliceAxis(y, ax, 0, len - s)], ax);
  }
  return y;
}

/** A traced shift: out[i] = x[(i - shift) mod n] along each axis, a gather. */
function rollDynamic(op: string, x: NdArray, shift: NdArray, axes: number[]): NdArray {
  if (!isInteger(shift.dtype) || shift.ndim > 1) {
    throw new ArgumentTypeError(
      `[${op}] an Array shift must be an integer scalar or 1-D integer Array: got ${shift.aval.str()}.`,
    );
  }
  const count = shift.ndim === 0 ? 1 : shift.aval.shape[0];
  const n = Math.max(count, axes.length);
  if ((count !== 1 && count !== n) || (axes.length !== 1 && axes.length !== n)) {
    throw new ShapeError(
      `[${op}] shift and axis must broadcast against each other: got shift ${shift.aval.str()} and ${axes.length} axes.`,
    );
  }
  const s32 = shift.dtype === "int32" ? shift : ew.convert(shift, "int32");
  let y = x;
  for (let i = 0; i < n; i++) {
    const ax = axes[axes.length === 1 ? 0 : i];
    const len = y.aval.shape[ax];
    if (len === 0) continue;
    const si = s32.ndim === 0 ? s32 : pick(s32, 0, count === 1 ? 0 : i);
    const lenK = ew.scalarLike(len, s32);
    // ((i - s) mod len + len) mod len: rem keeps the sign of the dividend.
    const m = ew.rem(ew.sub(iota("int32", [len], 0), ew.rem(si, lenK)), lenK);
    const idx = ew.rem(ew.add(m, lenK), lenK);
    y = take(y, idx, { axis: ax });
  }
  return y;
}

// --- tril / triu ---------------------------------------------------------------------------

/** Options of `np.tril` / `np.triu` (JAX: k). */
export interface TriOptions {
  /** The diagonal: 0 the main one, positive above it, negative below. */
  k?: number;
}
const triOptions = {
  tril: defineOptions("tril", { k: is.int }, ["k"]),
  triu: defineOptions("triu", { k: is.int }, ["k"]),
};

function triangle(op: "tril" | "triu", m: ArrayLike, args: unknown[]): NdArray {
  const k0 = triOptions[op].parse(args).k ?? 0;
  const x = arr(op, m);
  if (x.ndim < 2) {
    throw new ShapeError(
      `[${op}] Argument to jax.numpy.${op} must be at least 2D: got ${x.aval.str()}, expected an array with at least 2 dimensions.`,
    );
  }
  const shape = [...x.aval.shape];
  const [N, M] = shape.slice(-2);
  // Only j - i in [-N, M] matters, so k is clamped there (no int32 overflow).
  const k = Math.max(-N - 1, Math.min(M + 1, k0));
  const d = ew.sub(iota("int32", [N, M], 1), iota("int32", [N, M], 0));
  const kk = ew.scalarLike(k, d);
  // tril keeps j - i <= k; triu keeps j - i >= k.
  const mask = op === "tril" ? ew.le(d, kk) : ew.ge(d, kk);
  const full = broadcastInDim(mask, shape, [shape.length - 2, shape.length - 1]);
  const zero = broadcastTo(ew.scalarLike(0, x), shape);
  return ew.selectN(full, [ew.convert(zero, x.dtype, x.weakType), x]);
}

/**
 * `jnp.tril(m, k=0)`: the lower triangle (on and below diagonal `k`) of the last two axes; zeros elsewhere.
 *
 * @example
 * np.tril(np.ones([3, 3]));        // [[1,0,0],[1,1,0],[1,1,1]]
 * np.tril(x, -1);                  // strictly below the diagonal
 */
export function tril(m: ArrayLike, ...args: OptArgs<[number], TriOptions>): NdArray {
  return triangle("tril", m, args);
}

/**
 * `jnp.triu(m, k=0)`: the upper triangle (on and above diagonal `k`) of the last two axes; zeros elsewhere.
 *
 * @example
 * np.triu(np.ones([3, 3]), 1);     // [[0,1,1],[0,0,1],[0,0,0]]
 */
export function triu(m: ArrayLike, ...args: OptArgs<[number], TriOptions>): NdArray {
  return triangle("triu", m, args);
}

// --- diff ----------------------------------------------------------------------------------

/** Options of `np.diff` (JAX: n, axis, prepend, append). */
export interface DiffOptions {
  /** How many times to difference (default 1). */
  n?: number;
  /** The axis (default -1). */
  axis?: number;
  /** Values put before the array along `axis` first (a scalar is broadcast). */
  prepend?: ArrayLike | null;
  /** Values put after the array along `axis` first (a scalar is broadcast). */
  append?: ArrayLike | null;
}
const diffOptions = defineOptions(
  "diff",
  { n: is.nonNegativeInt, axis: is.axis, prepend: orNull(is.arrayLike), append: orNull(is.arrayLike) },
  ["n", "axis", "prepend", "append"],
);

/**
 * `jnp.diff(a, n=1, axis=-1, prepend=None, append=None)`: the n-th discrete difference
 * `out[i] = a[i+1] - a[i]` along `axis` (booleans: `a[i+1] != a[i]`).
 *
 * @example
 * np.diff(np.array([1, 4, 9, 16]));        // [3, 5, 7]
 * np.diff(x, 2, { prepend: 0 });
 */
export function diff(
  a: ArrayLike,
  ...args: OptArgs<[number, number, (ArrayLike | null)?, (ArrayLike | null)?], DiffOptions>
): NdArray {
  const op = "diff";
  const o = diffOptions.parse(args);
  let x = arr(op, a);
  if (x.ndim === 0) {
    throw new ShapeError(
      `[${op}] diff requires input that is at least one dimensional: got ${x.aval.str()}, expected an array with at least 1 dimension.`,
    );
  }
  const axis = normalizeAxis(op, o.axis ?? -1, x.ndim);
  const edge = (v: ArrayLike): NdArray => {
    const e = arr(op, v);
    if (e.ndim !== 0) return e;
    return broadcastTo(
      e,
      x.aval.shape.map((n, i) => (i === axis ? 1 : n)),
    );
  };
  const parts: NdArray[] = [];
  if (o.prepend != null) parts.push(edge(o.prepend));
  parts.push(x);
  if (o.append != null) parts.push(edge(o.append));
  if (parts.length > 1) x = concatenate(parts, axis);
  for (let i = 0; i < (o.n ?? 1); i++) {
    const len = x.aval.shape[axis];
    if (len === 0) break;
    const hi = sliceAxis(x, axis, 1, len);
    const lo = sliceAxis(x, axis, 0, len - 1);
    x = x.dtype === "bool" ? ew.ne(hi, lo) : ew.sub(hi, lo);
  }
  return x;
}

// --- sinc ----------------------------------------------------------------------------------

/** The k-th derivative of sin(x)/x at 0: (-1)^(k/2) / (k+1) for even k, 0 for odd k. */
const maclaurinCoeff = (k: number): number => (k % 2 ? 0 : (k / 2) % 2 ? -1 / (k + 1) : 1 / (k + 1));

type Unary1 = (x: NdArray) => NdArray;
const maclaurins: Unary1[] = [];

/**
 * JAX's `_sinc_maclaurin(k, x)`: the constant k-th derivative of sin(x)/x at 0, shaped like x,
 * whose jvp is the (k+1)-th, so every order of derivative of sinc at 0 is right.
 */
function sincMaclaurin(k: number): Unary1 {
  if (maclaurins[k]) return maclaurins[k];
  const f = customJvp((x: NdArray) => ew.add(ew.mul(x, ew.scalarLike(0, x)), ew.scalarLike(maclaurinCoeff(k), x)));
  f.defjvp(([x]: NdArray[], [t]: NdArray[]) => [sincMaclaurin(k)(x), ew.mul(sincMaclaurin(k + 1)(x), t)]);
  maclaurins[k] = f as unknown as Unary1;
  return maclaurins[k];
}

/**
 * `jnp.sinc(x)`: the normalized sinc, sin(πx)/(πx), and 1 at x = 0; derivatives of
 * every order are exact at 0 (JAX's Maclaurin rule).
 *
 * @example
 * np.sinc(np.array([0, 0.5, 1]));   // [1, 0.63662, 0]
 */
export function sinc(x: ArrayLike, ...rest: []): NdArray {
  noExtraArgs("sinc", rest);
  const [a] = promoteToFloat("sinc", [x]);
  const isZero = ew.eq(a, ew.scalarLike(0, a));
  const piX = ew.mul(ew.scalarLike(Math.PI, a), a);
  const one = broadcastTo(ew.scalarLike(1, a), a.aval.shape);
  const safe = ew.selectN(isZero, [piX, one]);
  return ew.selectN(isZero, [ew.div(un.sin(safe), safe), sincMaclaurin(0)(piX)]);
}

// --- kron ----------------------------------------------------------------------------------

/**
 * `jnp.kron(a, b)`: the Kronecker product; the shorter shape is padded with leading 1s,
 * and the result's shape is the elementwise product of the shapes.
 *
 * @example
 * np.kron(np.eye(2), np.ones([2, 2]));   // a 4x4 block-diagonal matrix
 */
export function kron(a: ArrayLike, b: ArrayLike, ...rest: []): NdArray {
  noExtraArgs("kron", rest);
  const [x, y] = promoteOperands("kron", [a, b]);
  const nd = Math.max(x.ndim, y.ndim);
  const pad = (v: NdArray): number[] => [...Array<number>(nd - v.ndim).fill(1), ...v.aval.shape];
  const sa = pad(x);
  const sb = pad(y);
  // out[i*nb + j] = a[i] * b[j] along each axis: a as [a0,1,a1,1,...], b as [1,b0,1,b1,...].
  const xa = reshapeP(
    x,
    sa.flatMap((n) => [n, 1]),
  );
  const yb = reshapeP(
    y,
    sb.flatMap((n) => [1, n]),
  );
  return reshapeP(
    x.dtype === "bool" ? logicalAnd(xa, yb) : multiply(xa, yb),
    sa.map((n, i) => n * sb[i]),
  );
}

// --- cross ---------------------------------------------------------------------------------

/** Options of `np.cross` (JAX: axisa, axisb, axisc, axis). */
export interface CrossOptions {
  /** The axis of `a` holding the vectors (default -1). */
  axisa?: number;
  /** The axis of `b` holding the vectors (default -1). */
  axisb?: number;
  /** The axis of the result holding the vectors (default -1); unused for 2-vectors. */
  axisc?: number;
  /** When given, overrides axisa, axisb and axisc. */
  axis?: number | null;
}
const crossOptions = defineOptions("cross", { axisa: is.axis, axisb: is.axis, axisc: is.axis, axis: orNull(is.axis) }, [
  "axisa",
  "axisb",
  "axisc",
  "axis",
]);

/**
 * `jnp.cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None)`: the cross product of
 * 2- or 3-vectors, broadcast over the other axes. Two 2-vectors give the z component
 * (a scalar per pair); a 2-vector meeting a 3-vector is taken with z = 0.
 *
 * @example
 * np.cross(np.array([1, 0, 0]), np.array([0, 1, 0]));   // [0, 0, 1]
 * np.cross(u, v, { axis: 0 });
 */
export function cross(
  a: ArrayLike,
  b: ArrayLike,
  ...args: OptArgs<[number, number, number, (number | null)?], CrossOptions>
): NdArray {
  const op = "cross";
  const o = crossOptions.parse(args);
  const [x0, y0] = promoteOperands(op, [a, b]);
  if (x0.dtype === "bool") {
    throw new DTypeError(
      `[${op}] cross does not accept dtype bool: got ${x0.aval.str()} and ${y0.aval.str()}, expected numeric arrays.`,
    );
  }
  const axis = o.axis ?? null;
  const [axa, axb, axc] = axis === null ? [o.axisa ?? -1, o.axisb ?? -1, o.axisc ?? -1] : [axis, axis, axis];
  for (const [v, ax, name] of [
    [x0, axa, "axisa"],
    [y0, axb, "axisb"],
  ] as const) {
    if (v.ndim === 0) {
      throw new AxisError(`[${op}] ${name} ${ax} is out of bounds: got a scalar ${v.aval.str()}, expected vectors.`);
    }
  }
  const x = moveaxis(x0, normalizeAxis(op, axa, x0.ndim), -1);
  const y = moveaxis(y0, normalizeAxis(op, axb, y0.ndim), -1);
  const na = x.aval.shape[x.ndim - 1];
  const nb = y.aval.shape[y.ndim - 1];
  if ((na !== 2 && na !== 3) || (nb !== 2 && nb !== 3)) {
    throw new ShapeError(
      `[${op}] Dimension must be either 2 or 3 for cross product: got vectors of length ${na} and ${nb}, expected 2 or 3.`,
    );
  }
  broadcastShapes(op, x.aval.shape.slice(0, -1), y.aval.shape.slice(0, -1));
  const comps = (v: NdArray, n: number): NdArray[] => {
    const c = [0, 1].map((i) => pick(v, v.ndim - 1, i));
    return [
      ...c,
      n === 3
        ? pick(v, v.ndim - 1, 2)
        : ew.convert(broadcastTo(ew.scalarLike(0, v), c[0].aval.shape), v.dtype, v.weakType),
    ];
  };
  const [a0, a1, a2] = comps(x, na);
  const [b0, b1, b2] = comps(y, nb);
  const det = (p: NdArray, q: NdArray, r: NdArray, s: NdArray): NdArray => subtract(multiply(p, q), multiply(r, s));
  if (na === 2 && nb === 2) return det(a0, b1, a1, b0);
  const cs = [det(a1, b2, a2, b1), det(a2, b0, a0, b2), det(a0, b1, a1, b0)];
  const shape = broadcastShapes(op, ...cs.map((c) => c.aval.shape));
  const c = concatP(
    cs.map((v) => reshapeP(broadcastTo(v, shape), [1, ...shape])),
    0,
  );
  return moveaxis(c, 0, normalizeAxis(op, axc, c.ndim));
}

// --- meshgrid ------------------------------------------------------------------------------

/** Options of `np.meshgrid` (JAX: copy, sparse, indexing, all keyword-only). */
export interface MeshgridOptions {
  /** Accepted for NumPy compatibility: JAX arrays are immutable, so a copy changes nothing. */
  copy?: boolean;
  /** Give each output length-1 axes except its own (broadcastable grids). */
  sparse?: boolean;
  /** "xy" (Cartesian, default: the first two output axes swapped) or "ij" (matrix). */
  indexing?: "xy" | "ij";
}
const meshgridOptions = defineOptions("meshgrid", { copy: is.bool, sparse: is.bool, indexing: oneOf("xy", "ij") }, []);

/**
 * `jnp.meshgrid(*xi, copy=True, sparse=False, indexing='xy')`: coordinate grids from
 * 1-D arrays, one output per input; the options go in a trailing object.
 *
 * @example
 * const [X, Y] = np.meshgrid(np.arange(3), np.arange(2));                  // both of shape [2, 3]
 * const [I, J] = np.meshgrid(np.arange(3), np.arange(2), { indexing: "ij" }); // both [3, 2]
 */
export function meshgrid(...xi: (ArrayLike | MeshgridOptions)[]): NdArray[] {
  const op = "meshgrid";
  const last = xi[xi.length - 1];
  const o = isPlainObject(last) ? meshgridOptions.parseObject(last) : {};
  const args = (isPlainObject(last) ? xi.slice(0, -1) : xi).map((v) => arr(op, v));
  if (!args.every((v) => v.ndim === 1)) {
    throw new ShapeError(
      `[${op}] Arguments to jax.numpy.meshgrid must be 1D: got shapes ${args.map((v) => shapeText(v.aval.shape)).join(", ")}, ` +
        `expected 1-D arrays. Flatten them first (np.ravel).`,
    );
  }
  const xy = (o.indexing ?? "xy") === "xy" && args.length >= 2;
  if (xy) [args[0], args[1]] = [args[1], args[0]];
  const sparse = o.sparse ?? false;
  const shape = args.map((v) => (sparse ? 1 : v.aval.shape[0]));
  const out = args.map((v, i) =>
    broadcastInDim(v, sparse ? shape.map((n, j) => (j === i ? v.aval.shape[0] : n)) : shape, [i]),
  );
  // "xy": built with the first two inputs swapped, then given back in order, so out[0] varies along axis 1.
  if (xy) [out[0], out[1]] = [out[1], out[0]];
  return out;
}

// --- trapezoid -----------------------------------------------------------------------------

/** Options of `np.trapezoid` (JAX: x, dx, axis). */
export interface TrapezoidOptions {
  /** The sample points; null or absent: evenly spaced by `dx`. */
  x?: ArrayLike | null;
  /** The spacing when `x` is not given (default 1). */
  dx?: ArrayLike;
  /** The axis to integrate along (default -1). */
  axis?: number;
}
const trapezoidOptions = defineOptions("trapezoid", { x: orNull(is.arrayLike), dx: is.arrayLike, axis: is.axis }, [
  "x",
  "dx",
  "axis",
]);

/**
 * `jnp.trapezoid(y, x=None, dx=1.0, axis=-1)`: the integral of `y` along `axis` by the
 * trapezoidal rule, Σ (x[i+1] - x[i]) · (y[i+1] + y[i]) / 2.
 *
 * @example
 * np.trapezoid(np.array([1, 2, 3]));                            // 4
 * np.trapezoid(y, { x: np.linspace(0, 1, 11) });
 */
export function trapezoid(
  y: ArrayLike,
  ...args: OptArgs<[ArrayLike | null, ArrayLike, number], TrapezoidOptions>
): NdArray {
  const op = "trapezoid";
  const o = trapezoidOptions.parse(args);
  const hasX = o.x !== undefined && o.x !== null;
  const [ya, xa] = hasX ? promoteToFloat(op, [y, o.x]) : [promoteToFloat(op, [y])[0], null];
  if (ya.ndim === 0) {
    throw new AxisError(`[${op}] y must have at least one axis: got ${ya.aval.str()}, expected an array to integrate.`);
  }
  const axis = normalizeAxis(op, o.axis ?? -1, ya.ndim);
  const n = ya.aval.shape[axis];
  let dx: NdArray;
  if (xa === null) {
    dx = arr(op, o.dx ?? 1);
  } else if (xa.ndim === 1) {
    if (xa.aval.shape[0] !== n) {
      throw new ShapeError(
        `[${op}] x and y must have the same length along the axis: got x ${xa.aval.str()} and y ${ya.aval.str()} (axis ${axis}).`,
      );
    }
    dx = diff(xa);
  } else {
    if (xa.ndim !== ya.ndim || xa.aval.shape[axis] !== n) {
      throw new ShapeError(
        `[${op}] x and y must have the same length along the axis: got x ${xa.aval.str()} and y ${ya.aval.str()} (axis ${axis}).`,
      );
    }
    dx = moveaxis(diff(xa, { axis }), axis, -1);
  }
  const yl = moveaxis(ya, axis, -1);
  const last = yl.ndim - 1;
  const pairs = n === 0 ? yl : add(sliceAxis(yl, last, 1, n), sliceAxis(yl, last, 0, n - 1));
  return multiply(0.5, sum(multiply(dx, pairs), -1));
}

// --- polyval -------------------------------------------------------------------------------

/** Options of `np.polyval` (JAX: unroll, keyword-only). */
export interface PolyvalOptions {
  /** Accepted for JAX compatibility: the Horner loop is always unrolled here. */
  unroll?: number | boolean;
}
const polyvalOptions = defineOptions("polyval", { unroll: either(is.positiveInt, is.bool) }, []);

/**
 * `jnp.polyval(p, x, *, unroll=16)`: the polynomial p[0]·x^(N-1) + … + p[N-1] by Horner's
 * rule; p's trailing axes broadcast against x.
 *
 * @example
 * np.polyval(np.array([3, 0, 1]), 2);   // 3·4 + 1 = 13
 */
export function polyval(p: ArrayLike, x: ArrayLike, ...args: [] | [PolyvalOptions]): NdArray {
  const op = "polyval";
  if (args.length > 1 || (args.length === 1 && args[0] !== undefined && !isPlainObject(args[0]))) {
    throw new ArgumentTypeError(
      `[${op}] too many arguments: polyval takes p and x, and the keyword-only option unroll in a trailing object.`,
    );
  }
  polyvalOptions.parseObject(args[0]);
  const [pa, xa] = promoteToFloat(op, [p, x]);
  if (pa.ndim === 0) {
    throw new ShapeError(`[${op}] p must be an array of coefficients: got ${pa.aval.str()}, expected at least 1 axis.`);
  }
  const shape = broadcastShapes(op, pa.aval.shape.slice(1), xa.aval.shape);
  // y ← y·x + p[k], from the highest power down.
  let y = broadcastTo(ew.convert(ew.scalarLike(0, xa), xa.dtype, false), shape);
  for (let k = 0; k < pa.aval.shape[0]; k++) y = add(multiply(y, xa), pick(pa, 0, k));
  return y;
}

// --- isclose / allclose ----------------------------------------------------------------------

/** Options of `np.isclose` / `np.allclose` (JAX: rtol, atol, equal_nan). */
export interface IscloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: ArrayLike;
  /** Absolute tolerance (default 1e-8). */
  atol?: ArrayLike;
  /** Count NaN as equal to NaN (default false). */
  equalNan?: boolean;
}
const tolCheck = check<ArrayLike>(
  "a number or an Array",
  (v) => (typeof v === "number" && !Number.isNaN(v)) || v instanceof NdArray,
);
const closeChecks = { rtol: tolCheck, atol: tolCheck, equalNan: is.bool };
const closeOptions = {
  isclose: defineOptions("isclose", closeChecks, ["rtol", "atol", "equalNan"]),
  allclose: defineOptions("allclose", closeChecks, ["rtol", "atol", "equalNan"]),
};
type CloseArgs = OptArgs<[ArrayLike, ArrayLike, boolean], IscloseOptions>;

function closeness(op: "isclose" | "allclose", a: ArrayLike, b: ArrayLike, args: unknown[]): NdArray {
  const o = closeOptions[op].parse(args);
  const [x, y] = promoteToFloat(op, [a, b]);
  broadcastShapes(op, x.aval.shape, y.aval.shape);
  const d: DType = x.dtype;
  const tol = (v: ArrayLike): NdArray =>
    typeof v === "number" ? fromValues([v], [], d, true) : ew.convert(arr(op, v), d, false);
  const rtol = tol(o.rtol ?? 1e-5);
  const atol = tol(o.atol ?? 1e-8);
  // |a - b| <= atol + rtol·|b|, false where either is inf (unless the same inf) or NaN.
  let out = lessEqual(un.abs(subtract(x, y)), add(atol, multiply(rtol, un.abs(y))));
  const xi = isinf(x);
  const yi = isinf(y);
  out = logicalAnd(out, logicalNot(logicalOr(xi, yi)));
  out = logicalOr(out, logicalAnd(logicalAnd(xi, yi), equal(x, y)));
  const xn = isnan(x);
  const yn = isnan(y);
  out = logicalAnd(out, logicalNot(logicalOr(xn, yn)));
  if (o.equalNan) out = logicalOr(out, logicalAnd(xn, yn));
  return out;
}

/**
 * `jnp.isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False)`: elementwise
 * |a − b| ≤ atol + rtol·|b|, with infinities equal only to themselves and NaN to nothing
 * (to NaN too with `equalNan`).
 *
 * @example
 * np.isclose(np.array([1, 1.1]), 1, { rtol: 0.05 });   // [true, false]
 */
export function isclose(a: ArrayLike, b: ArrayLike, ...args: CloseArgs): NdArray {
  return closeness("isclose", a, b, args);
}

/**
 * `jnp.allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False)`: `all(isclose(...))`, a 0-d bool Array.
 *
 * @example
 * np.allclose(x, y, 1e-6).item();   // true or false
 */
export function allclose(a: ArrayLike, b: ArrayLike, ...args: CloseArgs): NdArray {
  return all(closeness("allclose", a, b, args));
}

// --- countNonzero, ndim, isscalar ------------------------------------------------------------

/** Options of `np.countNonzero` (JAX: axis, keepdims). */
export interface CountNonzeroOptions {
  /** The axis or axes to count along; null or absent: all. */
  axis?: AxisArg;
  /** Keep the counted axes as length-1 axes. */
  keepdims?: boolean;
}
const countOptions = defineOptions("countNonzero", { axis: orNull(is.axes), keepdims: is.bool }, ["axis", "keepdims"]);

/**
 * `jnp.count_nonzero(a, axis=None, keepdims=False)`: how many elements are not zero
 * (NaN counts), as int32.
 *
 * @example
 * np.countNonzero(np.array([[0, 1], [2, 0]]), 0);   // [1, 1]
 */
export function countNonzero(a: ArrayLike, ...args: OptArgs<[AxisArg, boolean], CountNonzeroOptions>): NdArray {
  const o = countOptions.parse(args);
  const x = arr("countNonzero", a);
  const nz = ew.ne(x, ew.scalarLike(0, x));
  return sum(nz, { axis: o.axis ?? null, dtype: "int32", keepdims: o.keepdims ?? false });
}

/**
 * `jnp.ndim(a)`: the number of axes, a JS number (0 for a JS number).
 *
 * @example
 * np.ndim([[1, 2], [3, 4]]);   // 2
 */
export function ndim(a: ArrayLike, ...rest: []): number {
  noExtraArgs("ndim", rest);
  return a instanceof NdArray ? a.ndim : arr("ndim", a).ndim;
}

/**
 * `jnp.isscalar(element)`: true for a JS number, boolean, bigint or string (as NumPy's
 * `np.isscalar`) and for a 0-d Array; false for everything else (JS arrays included).
 *
 * @example
 * np.isscalar(1);               // true
 * np.isscalar(np.array(1));     // true
 * np.isscalar([1]);             // false
 */
export function isscalar(element: unknown, ...rest: []): boolean {
  noExtraArgs("isscalar", rest);
  const t = typeof element;
  if (t === "number" || t === "boolean" || t === "bigint" || t === "string") return true;
  return element instanceof NdArray && element.ndim === 0;
}
