/** Static slicing and assembling: slice (with strides), pad (with interior padding), concatenate, rev. */
import { ShapedArray, shapeStr } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import { ArgumentTypeError, AxisError, ShapeError } from "../core/errors.js";
import { definePrimitive, UndefinedPrimal, type Primitive } from "../core/primitive.js";
import { allZero, bind1, Zero } from "../core/trace.js";
import type { Routine } from "../kernel/routines.js";
import { batchFirst, moveAxis } from "./batching.js";
import { reduceSum } from "./reduce.js";
import { scalarLike, selectN, sub } from "./elementwise.js";
import { broadcastTo, reshape } from "./structural.js";
import { range } from "./shapes.js";
import { intList } from "../ir/stablehlo-text.js";

// --- slice -------------------------------------------------------------------

interface SliceParams {
  startIndices: number[];
  limitIndices: number[];
  strides: number[];
}

function sliceShape(p: SliceParams): number[] {
  return p.startIndices.map((s, i) => Math.max(0, Math.ceil((p.limitIndices[i] - s) / p.strides[i])));
}

export const sliceP: Primitive = definePrimitive<SliceParams>({
  name: "slice",
  abstractEval([x], p) {
    checkSlice("slice", x.shape, p);
    return new ShapedArray(sliceShape(p), x.dtype, x.weakType);
  },
  lower: (_avals, { startIndices, strides }): Routine => ({ name: "slice", startIndices, strides }),
  jvp: ([x], [t], p) => [slice(x, p), slice(t as NdArray, p)],
  transpose(ct, [x], p) {
    const shape = (x as UndefinedPrimal).aval.shape;
    const outShape = ct.aval.shape;
    const config = shape.map((n, i): [number, number, number] => {
      const lo = p.startIndices[i];
      const used = outShape[i] === 0 ? 0 : lo + (outShape[i] - 1) * p.strides[i] + 1;
      return [lo, n - used - (outShape[i] === 0 ? lo : 0), outShape[i] === 0 ? 0 : p.strides[i] - 1];
    });
    return [pad(ct, scalarLike(0, ct), config)];
  },
  vmap([x], [d], p) {
    const moved = moveAxis(x, d!, 0);
    const n = moved.aval.shape[0];
    return [
      slice(moved, {
        startIndices: [0, ...p.startIndices],
        limitIndices: [n, ...p.limitIndices],
        strides: [1, ...p.strides],
      }),
      0,
    ];
  },
  printParams: (p) => ({
    limit_indices: p.limitIndices,
    start_indices: p.startIndices,
    strides: p.strides.every((s) => s === 1) ? null : p.strides,
  }),
  stablehlo: (c, [x], { startIndices: lo, limitIndices: hi, strides: st }) => {
    const ranges = lo.map((s, i) => (st[i] === 1 ? `${s}:${hi[i]}` : `${s}:${hi[i]}:${st[i]}`));
    return c.op(`stablehlo.slice ${x} [${ranges.join(", ")}] : ${c.fnType(c.inAvals, c.outAvals)}`)[0];
  },
});

/**
 * Checks slice parameters against a shape (JAX's messages): one integer per axis,
 * 0 ≤ start ≤ limit ≤ size, strides ≥ 1.
 */
export function checkSlice(
  op: string,
  shape: readonly number[],
  p: { startIndices: readonly number[]; limitIndices: readonly number[]; strides: readonly number[] },
): void {
  const { startIndices: start, limitIndices: limit, strides } = p;
  const str = (v: readonly number[]) => `(${v.join(", ")}${v.length === 1 ? "," : ""})`;
  const ints = (v: readonly number[]) => Array.isArray(v) && v.every((k) => Number.isInteger(k));
  for (const [name, v] of [
    ["start_indices", start],
    ["limit_indices", limit],
    ["strides", strides],
  ] as const) {
    if (!ints(v)) {
      throw new ArgumentTypeError(`[${op}] slice ${name} must be integers: got ${JSON.stringify(v)}.`);
    }
    if (v.length !== shape.length) {
      throw new ShapeError(
        `[${op}] slice ${name} must have length equal to the number of dimensions of the operand, got ${name} ` +
          `${str(v)} for operand shape ${str(shape)}.`,
      );
    }
  }
  if (start.some((s) => s < 0)) {
    throw new ShapeError(
      `[${op}] slice start_indices must be greater than or equal to zero, got start_indices ${str(start)}.`,
    );
  }
  if (limit.some((l, i) => l > shape[i])) {
    throw new ShapeError(
      `[${op}] slice limit_indices must be less than or equal to operand shape, got limit_indices ${str(limit)} ` +
        `for operand shape ${str(shape)}.`,
    );
  }
  if (limit.some((l, i) => l < start[i])) {
    throw new ShapeError(
      `[${op}] slice limit_indices must be greater than or equal to start_indices, got start_indices ${str(start)} ` +
        `and limit_indices ${str(limit)}.`,
    );
  }
  if (strides.some((s) => s < 1)) throw new ShapeError(`[${op}] slice strides must be positive, got ${str(strides)}.`);
}

export function slice(x: NdArray, p: SliceParams): NdArray {
  if (p.startIndices.every((s, i) => s === 0 && p.limitIndices[i] === x.aval.shape[i] && p.strides[i] === 1)) return x;
  return bind1(sliceP as Primitive, [x], p as never);
}

/** x[start:stop] along one axis. */
export function sliceAxis(x: NdArray, axis: number, start: number, stop: number, step = 1): NdArray {
  const startIndices = x.aval.shape.map(() => 0);
  const limitIndices = x.aval.shape.slice();
  const strides = x.aval.shape.map(() => 1);
  startIndices[axis] = start;
  limitIndices[axis] = stop;
  strides[axis] = step;
  return slice(x, { startIndices, limitIndices, strides });
}

// --- pad -----------------------------------------------------------------------

/** Per axis: [low, high, interior] padding, all ≥ 0. */
interface PadParams {
  config: [number, number, number][];
}

function padShape(shape: readonly number[], config: [number, number, number][]): number[] {
  return shape.map((n, i) => {
    const [lo, hi, interior] = config[i];
    return lo + hi + n + Math.max(0, n - 1) * interior;
  });
}

export const padP: Primitive = definePrimitive<PadParams>({
  name: "pad",
  abstractEval([x, v], { config }) {
    const ok =
      Array.isArray(config) &&
      config.length === x.ndim &&
      config.every((c) => Array.isArray(c) && c.length === 3 && c.every((k) => Number.isInteger(k) && k >= 0));
    if (!ok) {
      throw new ShapeError(
        `[pad] padding ${JSON.stringify(config)} does not fit ${x.str()}: expected one [low, high, interior] triple of ` +
          `non-negative integers per axis.`,
      );
    }
    return new ShapedArray(padShape(x.shape, config), x.dtype, x.weakType && v.weakType);
  },
  lower: (_avals, { config }): Routine => ({ name: "pad", config }),
  jvp([x, v], [tx, tv], p) {
    const out = pad(x, v, p.config);
    if (tx instanceof Zero && tv instanceof Zero) return [out, new Zero(out.aval)];
    const t = tx instanceof Zero ? broadcastTo(scalarLike(0, x), x.aval.shape) : tx;
    const u = tv instanceof Zero ? scalarLike(0, v) : tv;
    return [out, pad(t, u, p.config)];
  },
  transpose(ct, [x, v], { config }) {
    const shape = x instanceof UndefinedPrimal ? x.aval.shape : (x as NdArray).aval.shape;
    const ctX = slice(ct, {
      startIndices: config.map(([lo]) => lo),
      limitIndices: config.map(([lo], i) => lo + (shape[i] === 0 ? 0 : (shape[i] - 1) * (config[i][2] + 1) + 1)),
      strides: config.map(([, , interior]) => interior + 1),
    });
    const all = range(ct.ndim);
    const ctV = v instanceof UndefinedPrimal ? sub(reduceSum(ct, all), reduceSum(ctX, all)) : null;
    return [x instanceof UndefinedPrimal ? ctX : null, ctV];
  },
  vmap([x, v], [dx, dv], { config }, size) {
    const xb = batchFirst(x, dx, size);
    const cfg: [number, number, number][] = [[0, 0, 0], ...config];
    if (dv === null) return [pad(xb, v, cfg), 0];
    // A batched padding value: pad with any value, then select each example's value where padding went.
    const bool = new ShapedArray([], "bool");
    const isPad = pad(broadcastTo(scalarLike(0, bool), xb.aval.shape), scalarLike(1, bool), cfg);
    const vb = reshape(moveAxis(v, dv, 0), [size, ...config.map(() => 1)]);
    return [selectN(isPad, [pad(xb, scalarLike(0, xb), cfg), vb]), 0];
  },
  printParams: ({ config }) => ({ padding_config: config }),
  stablehlo: (c, [x, v], { config }) => {
    const part = (k: number) => intList(config.map((t) => t[k]));
    const attrs = `low = ${part(0)}, high = ${part(1)}, interior = ${part(2)}`;
    return c.op(`stablehlo.pad ${x}, ${v}, ${attrs} : ${c.fnType(c.inAvals, c.outAvals)}`)[0];
  },
});

/**
 * Checks a padding configuration as JAX's `lax.pad` does: one [low, high, interior] triple of
 * integers per axis, interior ≥ 0 (low and high may be negative: they crop), no negative result.
 */
export function checkPadConfig(op: string, shape: readonly number[], config: unknown): [number, number, number][] {
  const triple = (c: unknown) => Array.isArray(c) && c.length === 3 && c.every((k) => Number.isInteger(k));
  if (!Array.isArray(config) || !config.every(triple)) {
    throw new ArgumentTypeError(
      `[${op}] padding_config must be an array of [low, high, interior] integer triples: got ${JSON.stringify(config) ?? String(config)}.`,
    );
  }
  const cfg = config as [number, number, number][];
  if (cfg.length !== shape.length) {
    throw new ShapeError(
      `[${op}] length of padding_config must equal the number of axes of operand, got padding_config ${JSON.stringify(cfg)} ` +
        `for operand shape ${shapeStr(shape)}.`,
    );
  }
  if (cfg.some(([, , interior]) => interior < 0)) {
    throw new ShapeError(
      `[${op}] interior padding in padding_config must be nonnegative, got padding_config ${JSON.stringify(cfg)}.`,
    );
  }
  const out = shape.map((n, i) => cfg[i][0] + cfg[i][1] + n + Math.max(0, n - 1) * cfg[i][2]);
  if (out.some((n) => n < 0)) {
    throw new ShapeError(
      `[${op}] Dimension size after padding is not at least 0, got result shape ${shapeStr(out)}, for padding_config ` +
        `${JSON.stringify(cfg)} and operand shape ${shapeStr(shape)}.`,
    );
  }
  return cfg;
}

export function pad(x: NdArray, value: NdArray, config: [number, number, number][]): NdArray {
  return bind1(padP as Primitive, [x, value], { config });
}

/** Pads one axis with `value` (lo before, hi after). */
export function padAxis(x: NdArray, axis: number, lo: number, hi: number, value: number): NdArray {
  const config = x.aval.shape.map((): [number, number, number] => [0, 0, 0]);
  config[axis] = [lo, hi, 0];
  return pad(x, scalarLike(value, x), config);
}

// --- concatenate -------------------------------------------------------------------

interface ConcatParams {
  dimension: number;
}

export const concatenateP: Primitive = definePrimitive<ConcatParams>({
  name: "concatenate",
  abstractEval(xs, { dimension }) {
    const first = xs[0];
    for (const x of xs) {
      const ok =
        x.ndim === first.ndim &&
        x.shape.every((n, i) => i === dimension || n === first.shape[i]) &&
        x.dtype === first.dtype;
      if (!ok) {
        throw new ShapeError(
          `[concatenate] operands do not fit together along axis ${dimension}: got ${xs.map((a) => a.str()).join(", ")}, ` +
            `expected equal dtypes and equal sizes on every other axis.`,
        );
      }
    }
    const shape = first.shape.slice();
    shape[dimension] = xs.reduce((a, x) => a + x.shape[dimension], 0);
    return new ShapedArray(
      shape,
      first.dtype,
      xs.every((x) => x.weakType),
    );
  },
  lower: (_avals, { dimension }): Routine => ({ name: "concatenate", dimension }),
  jvp(xs, ts, p) {
    const out = concatenate(xs, p.dimension);
    if (allZero(ts)) return [out, new Zero(out.aval)];
    const full = ts.map((t, i) => (t instanceof Zero ? broadcastTo(scalarLike(0, xs[i]), xs[i].aval.shape) : t));
    return [out, concatenate(full, p.dimension)];
  },
  transpose(ct, xs, { dimension }) {
    let start = 0;
    return xs.map((x) => {
      const n = x.aval.shape[dimension];
      const piece = x instanceof UndefinedPrimal ? sliceAxis(ct, dimension, start, start + n) : null;
      start += n;
      return piece;
    });
  },
  vmap(xs, dims, { dimension }, size) {
    return [
      concatenate(
        xs.map((x, i) => batchFirst(x, dims[i], size)),
        dimension + 1,
      ),
      0,
    ];
  },
  stablehlo: (c, xs, { dimension }) =>
    c.op(`stablehlo.concatenate ${xs.join(", ")}, dim = ${dimension} : ${c.fnType(c.inAvals, c.outAvals)}`)[0],
});

export function concatenate(xs: NdArray[], dimension: number): NdArray {
  if (xs.length === 1) return xs[0];
  return bind1(concatenateP as Primitive, xs, { dimension });
}

// --- rev ----------------------------------------------------------------------------

interface RevParams {
  dimensions: number[];
}

export const revP: Primitive = definePrimitive<RevParams>({
  name: "rev",
  abstractEval([x], { dimensions }) {
    checkRevDimensions("rev", x.ndim, dimensions);
    return x;
  },
  lower: (_avals, { dimensions }): Routine => ({ name: "rev", dimensions }),
  jvp: ([x], [t], p) => [rev(x, p.dimensions), rev(t as NdArray, p.dimensions)],
  transpose: (ct, _x, p) => [rev(ct, p.dimensions)],
  vmap: ([x], [d], p) => [
    rev(
      moveAxis(x, d!, 0),
      p.dimensions.map((a) => a + 1),
    ),
    0,
  ],
  stablehlo: (c, [x], { dimensions }) =>
    c.op(`stablehlo.reverse ${x}, dims = ${intList(dimensions)} : ${c.type(c.outAvals[0])}`)[0],
});

/** rev's dimensions: distinct integers in [0, ndim) (JAX's messages). */
export function checkRevDimensions(op: string, ndim: number, dimensions: readonly number[]): void {
  if (!Array.isArray(dimensions) || !dimensions.every((d) => Number.isInteger(d) && d >= 0 && d < ndim)) {
    throw new AxisError(
      `[${op}] rev dimensions must all be less than operand ndim: got dimensions ${JSON.stringify(dimensions)} for an ` +
        `array of rank ${ndim}, expected integers in [0, ${ndim}).`,
    );
  }
  if (new Set(dimensions).size !== dimensions.length) {
    throw new AxisError(`[${op}] rev dimensions must be unique, got ${JSON.stringify(dimensions)}.`);
  }
}

export function rev(x: NdArray, dimensions: number[]): NdArray {
  if (dimensions.length === 0) return x;
  return bind1(revP as Primitive, [x], { dimensions });
}
