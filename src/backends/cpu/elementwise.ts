/** Elementwise CPU routines: the op table's maps with NumPy broadcasting, select_n and conversions. */
import { shapesEqual, type Shape } from "../../core/aval.js";
import type { NdArray } from "../../core/array.js";
import { allocate, isFloat, isInteger, type DType, type TypedArray } from "../../core/dtypes.js";
import { binaryScalar, polygammaOp, unaryScalar, type Scalar1, type Scalar2 } from "../../kernel/ops.js";
import { broadcastStrides, forEachStrided } from "./strided.js";
import type { CpuRoutines } from "./table.js";

export function mapUnary(x: NdArray, fn: Scalar1, dtype: DType): TypedArray {
  const src = x._data!;
  const out = allocate(dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = fn(src[i]);
  return out;
}

export function mapBinary(a: NdArray, b: NdArray, fn: Scalar2, outShape: Shape, dtype: DType): TypedArray {
  const x = a._data!;
  const y = b._data!;
  const n = outShape.reduce((p, q) => p * q, 1);
  const out = allocate(dtype, n);
  if (x.length === n && y.length === n && shapesEqual(a.aval.shape, b.aval.shape)) {
    for (let i = 0; i < n; i++) out[i] = fn(x[i], y[i]);
  } else if (y.length === 1 && x.length === n) {
    const s = y[0];
    for (let i = 0; i < n; i++) out[i] = fn(x[i], s);
  } else if (x.length === 1 && y.length === n) {
    const s = x[0];
    for (let i = 0; i < n; i++) out[i] = fn(s, y[i]);
  } else if (x.length === n && isTrailing(b.aval.shape, outShape)) {
    // y repeats along the leading axes (a bias added to every row): index it modulo its size.
    const m = y.length;
    for (let i = 0; i < n; i += m) for (let j = 0; j < m; j++) out[i + j] = fn(x[i + j], y[j]);
  } else if (y.length === n && isTrailing(a.aval.shape, outShape)) {
    const m = x.length;
    for (let i = 0; i < n; i += m) for (let j = 0; j < m; j++) out[i + j] = fn(x[j], y[i + j]);
  } else {
    const strides = [broadcastStrides(a.aval.shape, outShape), broadcastStrides(b.aval.shape, outShape)];
    forEachStrided(outShape, strides, (i, o) => {
      out[i] = fn(x[o[0]], y[o[1]]);
    });
  }
  return out;
}

/** True when `shape` (non-empty) is the trailing part of `outShape`, possibly with leading 1s. */
function isTrailing(shape: Shape, outShape: Shape): boolean {
  const dims = shape.slice(shape.findIndex((d) => d !== 1));
  if (dims.length === 0 || shape.findIndex((d) => d !== 1) < 0) return false;
  const off = outShape.length - dims.length;
  return off >= 0 && dims.every((d, i) => d === outShape[off + i]);
}

/** `select_n(pred, cases...)` with broadcasting: picks cases[pred] elementwise. */
export function mapSelect(pred: NdArray, cases: NdArray[], outShape: Shape): TypedArray {
  const p = pred._data!;
  const c = cases.map((k) => k._data!);
  const n = outShape.reduce((a, b) => a * b, 1);
  const out = allocate(cases[0].dtype, n);
  if (p.length === n && c.every((k) => k.length === n || k.length === 1)) {
    // Same-shape predicate, cases full-size or scalar (relu, where with a constant): one plain loop.
    const full = c.map((k) => k.length === n);
    for (let i = 0; i < n; i++) {
      const w = p[i] as number;
      out[i] = c[w][full[w] ? i : 0];
    }
    return out;
  }
  const strides = [pred, ...cases].map((k) => broadcastStrides(k.aval.shape, outShape));
  forEachStrided(outShape, strides, (i, o) => {
    const which = p[o[0]] as number;
    out[i] = c[which][o[which + 1]];
  });
  return out;
}

/** Float → int truncates toward zero (NaN → 0) and saturates, → bool is x ≠ 0 (NaN is true), as XLA converts. */
function converter(from: DType, to: DType): Scalar1 {
  if (to === "bool") return (v) => (v !== 0 ? 1 : 0);
  if (isFloat(from) && isInteger(to)) {
    const lo = to === "int32" ? -2147483648 : 0;
    const hi = to === "int32" ? 2147483647 : 4294967295;
    return (v) => (v !== v ? 0 : Math.min(hi, Math.max(lo, Math.trunc(v))));
  }
  return (v) => v;
}

export const elementwiseRoutines: Pick<CpuRoutines, "unary" | "binary" | "polygamma" | "select" | "convert"> = {
  unary: ({ op }, [x], [o]) => [mapUnary(x, unaryScalar(op, x.dtype), o.dtype)],
  binary: ({ op }, [x, y], [o]) => [mapBinary(x, y, binaryScalar(op, x.dtype), o.shape, o.dtype)],
  polygamma: ({ n }, [x], [o]) => [mapUnary(x, polygammaOp(n), o.dtype)],
  select: (_r, [pred, ...cases], [o]) => [mapSelect(pred, cases, o.shape)],
  convert: (_r, [x], [o]) => [mapUnary(x, converter(x.dtype, o.dtype), o.dtype)],
};
