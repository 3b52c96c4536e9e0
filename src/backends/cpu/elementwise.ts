/** Elementwise CPU kernels: unary maps and broadcasting binary/ternary maps. */
import { ShapedArray, shapesEqual, type Shape } from "../../core/aval.js";
import { hostArray, NdArray } from "../../core/array.js";
import { allocate, type DType } from "../../core/dtypes.js";
import { broadcastStrides, forEachStrided } from "./strided.js";

export type Scalar1 = (x: number) => number;
export type Scalar2 = (x: number, y: number) => number;

export function mapUnary(x: NdArray, fn: Scalar1, dtype: DType = x.dtype, weak = x.weakType): NdArray {
  const src = x._data!;
  const out = allocate(dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = fn(src[i]);
  return hostArray(new ShapedArray(x.aval.shape, dtype, weak), out);
}

export function mapBinary(a: NdArray, b: NdArray, fn: Scalar2, outShape: Shape, dtype: DType, weak: boolean): NdArray {
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
  return hostArray(new ShapedArray(outShape, dtype, weak), out);
}

/** True when `shape` (non-empty) is the trailing part of `outShape`, possibly with leading 1s. */
function isTrailing(shape: Shape, outShape: Shape): boolean {
  const dims = shape.slice(shape.findIndex((d) => d !== 1));
  if (dims.length === 0 || shape.findIndex((d) => d !== 1) < 0) return false;
  const off = outShape.length - dims.length;
  return off >= 0 && dims.every((d, i) => d === outShape[off + i]);
}

/** `select_n(pred, cases...)` with broadcasting: picks cases[pred] elementwise. */
export function mapSelect(pred: NdArray, cases: NdArray[], outShape: Shape): NdArray {
  const p = pred._data!;
  const c = cases.map((k) => k._data!);
  const dtype = cases[0].dtype;
  const n = outShape.reduce((a, b) => a * b, 1);
  const out = allocate(dtype, n);
  if (p.length === n && c.every((k) => k.length === n || k.length === 1)) {
    // Same-shape predicate, cases full-size or scalar (relu, where with a constant): one plain loop.
    const full = c.map((k) => k.length === n);
    for (let i = 0; i < n; i++) {
      const w = p[i] as number;
      out[i] = c[w][full[w] ? i : 0];
    }
    return hostArray(
      new ShapedArray(
        outShape,
        dtype,
        cases.every((k) => k.weakType),
      ),
      out,
    );
  }
  const strides = [pred, ...cases].map((k) => broadcastStrides(k.aval.shape, outShape));
  forEachStrided(outShape, strides, (i, o) => {
    const which = p[o[0]] as number;
    out[i] = c[which][o[which + 1]];
  });
  const weak = cases.every((k) => k.weakType);
  return hostArray(new ShapedArray(outShape, dtype, weak), out);
}
