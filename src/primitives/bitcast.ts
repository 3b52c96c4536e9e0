/**
 * bitcast_convert_type: reinterprets the bits of each element as another dtype
 * (`lax.bitcast_convert_type`), e.g. uint32 0x3F800000 ↔ float32 1.0.
 *
 * Between dtypes of one width (float32, int32, uint32) the shape is kept. As in
 * XLA, a 32-bit array with a trailing axis of 2 becomes float64 (the axis is
 * consumed), and float64 becomes a 32-bit array with a new trailing axis of 2;
 * element [..., 0] holds the low 32 bits (the little-endian order of XLA's CPU).
 */
import { ShapedArray, shapeStr, type Shape } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import { itemsize, SHORT_NAME, type DType } from "../core/dtypes.js";
import { DTypeError, ShapeError } from "../core/errors.js";
import { definePrimitive, type Primitive } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import type { Routine } from "../kernel/routines.js";
import { moveAxis } from "./batching.js";

interface BitcastParams {
  newDtype: DType;
}

function outShape(aval: ShapedArray, to: DType): Shape {
  const from = aval.dtype;
  if (from === "bool" || to === "bool") {
    throw new DTypeError(
      `[bitcast_convert_type] bool has no bit pattern to reinterpret: got ${SHORT_NAME[from]} to ${SHORT_NAME[to]}, ` +
        `expected float32, float64, int32 or uint32. Convert bools with .astype() instead.`,
    );
  }
  const ratio = itemsize(to) / itemsize(from);
  if (ratio === 1) return aval.shape;
  if (ratio < 1) return [...aval.shape, 2];
  if (aval.shape[aval.ndim - 1] !== 2) {
    throw new ShapeError(
      `[bitcast_convert_type] a ${SHORT_NAME[from]} → ${SHORT_NAME[to]} bitcast pairs 32-bit words: got shape ${shapeStr(aval.shape)}, ` +
        `expected a trailing axis of size 2 (low word, high word).`,
    );
  }
  return aval.shape.slice(0, -1);
}

export const bitcastP: Primitive = definePrimitive<BitcastParams>({
  name: "bitcast_convert_type",
  abstractEval: ([x], { newDtype }) => new ShapedArray(outShape(x, newDtype), newDtype),
  lower: (): Routine => ({ name: "bitcast" }),
  // Bit patterns are piecewise constant in the value: JAX declares a zero derivative.
  jvp: "zero",
  // The trailing axis may be consumed or added: keep the batch axis in front.
  vmap: ([x], [d], p) => [bitcast(moveAxis(x, d!, 0), p.newDtype), 0],
  printParams: ({ newDtype }) => ({ new_dtype: newDtype }),
  stablehlo: (c, [x]) => c.op(`stablehlo.bitcast_convert ${x} : ${c.fnType(c.inAvals, c.outAvals)}`)[0],
});

/** `lax.bitcast_convert_type(x, newDtype)`. */
export function bitcast(x: NdArray, newDtype: DType): NdArray {
  if (x.dtype === newDtype) return x;
  return bind1(bitcastP, [x], { newDtype });
}
