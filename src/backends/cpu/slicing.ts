/** Cpu routines for static slicing and assembling: slice (with strides), pad (with interior padding), concatenate, rev. */
import { shapeSize, stridesOf } from "../../core/aval.js";
import { outputBuffer } from "../../core/buffers.js";
import { copyStrided, forEachStrided } from "./strided.js";
import type { CpuRoutines } from "./table.js";

export const slicingRoutines: Pick<CpuRoutines, "slice" | "pad" | "concatenate" | "rev"> = {
  slice({ startIndices, strides: steps }, [x], [o]) {
    const outShape = o.shape;
    const inStrides = stridesOf(x.aval.shape);
    const base = startIndices.reduce((acc, s, i) => acc + s * inStrides[i], 0);
    const src = x._data!;
    const out = outputBuffer(x.dtype, shapeSize(outShape));
    const strides = inStrides.map((s, i) => s * steps[i]);
    copyStrided(src, base, strides, outShape, out);
    return [out];
  },
  pad({ config }, [x, v], [o]) {
    const outShape = o.shape;
    const out = outputBuffer(x.dtype, shapeSize(outShape));
    out.fill(v._data![0] as never);
    const outStrides = stridesOf(outShape);
    const base = config.reduce((acc, [lo], i) => acc + lo * outStrides[i], 0);
    const strides = outStrides.map((s, i) => s * (config[i][2] + 1));
    const src = x._data!;
    forEachStrided(x.aval.shape, [strides], (i, off) => (out[base + off[0]] = src[i]));
    return [out];
  },
  concatenate({ dimension }, xs, [o]) {
    const shape = o.shape;
    const out = outputBuffer(xs[0].dtype, shapeSize(shape));
    const outer = shape.slice(0, dimension).reduce((a, b) => a * b, 1);
    const rowOut = shapeSize(shape.slice(dimension));
    let offset = 0;
    for (const x of xs) {
      const row = shapeSize(x.aval.shape.slice(dimension));
      const src = x._data!;
      for (let k = 0; k < outer; k++) out.set(src.subarray(k * row, (k + 1) * row) as never, k * rowOut + offset);
      offset += row;
    }
    return [out];
  },
  rev({ dimensions }, [x]) {
    const shape = x.aval.shape;
    const inStrides = stridesOf(shape);
    const strides = inStrides.map((s, i) => (dimensions.includes(i) ? -s : s));
    const base = dimensions.reduce((acc, d) => acc + (shape[d] - 1) * inStrides[d], 0);
    const src = x._data!;
    const out = outputBuffer(x.dtype, src.length);
    copyStrided(src, base, strides, shape, out);
    return [out];
  },
};
