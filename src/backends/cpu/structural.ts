/** Cpu routines that move data without arithmetic: broadcast_in_dim, transpose, iota, bitcast. */
import { shapeSize, stridesOf, type Shape } from "../../core/aval.js";
import { outputBuffer } from "../../core/buffers.js";
import { itemsize, type DType, type TypedArray } from "../../core/dtypes.js";
import { copyStrided } from "./strided.js";
import type { CpuRoutines } from "./table.js";

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The values of an array of `shape` with its axes permuted (out axis i is in axis permutation[i]). */
export function transposeData(src: TypedArray, shape: Shape, permutation: readonly number[], dtype: DType): TypedArray {
  const inStrides = stridesOf(shape);
  const outShape = permutation.map((p) => shape[p]);
  const strides = permutation.map((p) => inStrides[p]);
  const out = outputBuffer(dtype, src.length);
  copyStrided(src, 0, strides, outShape, out);
  return out;
}

/** Copies the bytes, swapping the two words of each 64-bit element on a big-endian host. */
function reinterpret(src: TypedArray, to: DType): TypedArray {
  const copy = src.slice();
  const words = new Uint32Array(copy.buffer);
  if (!LITTLE_ENDIAN && itemsize(to) !== src.BYTES_PER_ELEMENT) {
    for (let i = 0; i + 1 < words.length; i += 2) [words[i], words[i + 1]] = [words[i + 1], words[i]];
  }
  switch (to) {
    case "float32":
      return new Float32Array(copy.buffer);
    case "float64":
      return new Float64Array(copy.buffer);
    case "int32":
      return new Int32Array(copy.buffer);
    default:
      return words;
  }
}

export const structuralRoutines: Pick<CpuRoutines, "broadcast_in_dim" | "transpose" | "iota" | "bitcast"> = {
  broadcast_in_dim({ broadcastDimensions: bd }, [x], [o]) {
    const shape = o.shape;
    const inStrides = stridesOf(x.aval.shape);
    const strides = new Array<number>(shape.length).fill(0);
    bd.forEach((d, i) => (strides[d] = x.aval.shape[i] === 1 ? 0 : inStrides[i]));
    const src = x._data!;
    const out = outputBuffer(x.dtype, shapeSize(shape));
    if (src.length === 1) out.fill(src[0] as never);
    else copyStrided(src, 0, strides, shape, out);
    return [out];
  },
  transpose: ({ permutation }, [x]) => [transposeData(x._data!, x.aval.shape, permutation, x.dtype)],
  iota({ dimension }, _xs, [o]) {
    const { shape, dtype } = o;
    const n = shapeSize(shape);
    const out = outputBuffer(dtype, n);
    const stride = stridesOf(shape)[dimension];
    const len = shape[dimension];
    for (let i = 0; i < n; i++) out[i] = Math.floor(i / stride) % len;
    return [out];
  },
  bitcast: (_r, [x], [o]) => [reinterpret(x._data!, o.dtype)],
};
