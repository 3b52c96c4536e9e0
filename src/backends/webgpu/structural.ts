/**
 * Routines on the GPU that place values without arithmetic: iota, pad (with
 * negative and interior padding) and concatenate. They move 32-bit words, so
 * pad and concatenate serve every dtype with one pipeline (per rank for pad);
 * shapes, strides and offsets are uniforms, never constants of the shader.
 */
import type { ShapedArray } from "../../core/aval.js";
import { stridesOf } from "../../core/aval.js";
import type { GpuRoutineTable } from "./gpu-routine.js";
import { INVOCATION, dispatchEach, storageType, uniformDecl } from "./device.js";
import { allocGpu, oneResult, type WebGpuBuffer } from "./buffer.js";
import { MAX_RANK } from "./routines.js";

/** iota: out[e] = (e / stride) % len, the position along `dimension`, in the output's dtype. */
function iota(dimension: number, o: ShapedArray): WebGpuBuffer {
  const t = storageType(o.dtype);
  const value = o.dtype === "bool" ? "select(0u, 1u, v != 0u)" : `${t}(v)`;
  const code = `${uniformDecl(3)}@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
${INVOCATION}
  if (e >= uget(0u)) { return; }
  let v = (e / uget(1u)) % uget(2u);
  out[e] = ${value};
}
`;
  const out = allocGpu(o.dtype, o.size, "iota");
  dispatchEach(code, Uint32Array.of(o.size, stridesOf(o.shape)[dimension], o.shape[dimension]), [], [out.gpu], o.size);
  return out;
}

/**
 * pad: output position i on axis d comes from x at q = (i - lo) / (interior + 1)
 * when i - lo ≥ 0 is a multiple of interior + 1 and q < x.shape[d]; every other
 * position (padding and holes) is the fill value. The pad primitive's lo and hi are
 * never negative: lax.pad crops with a slice after it.
 */
function pad(config: [number, number, number][], x: WebGpuBuffer, v: WebGpuBuffer, xa: ShapedArray, o: ShapedArray) {
  const rank = o.shape.length;
  if (rank > MAX_RANK) return null;
  // Uniform words: n, rank, then per axis (MAX_RANK each) out shape, lo, interior + 1, x shape, x stride.
  const at = (k: number): number => 2 + k * MAX_RANK;
  const code = `${uniformDecl(at(5))}@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read> fill: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
${INVOCATION}
  if (e >= uget(0u)) { return; }
  var rem = e;
  var src = 0u;
  var inside = true;
  for (var d = uget(1u); d > 0u; ) {
    d -= 1u;
    let n = uget(${at(0)}u + d);
    let j = i32(rem % n) - bitcast<i32>(uget(${at(1)}u + d));
    rem = rem / n;
    let step = i32(uget(${at(2)}u + d));
    let q = j / step;
    if (j < 0 || j % step != 0 || q >= i32(uget(${at(3)}u + d))) { inside = false; }
    else { src += u32(q) * uget(${at(4)}u + d); }
  }
  if (inside) { out[e] = x[src]; } else { out[e] = fill[0]; }
}
`;
  const u = new Uint32Array(at(5));
  u[0] = o.size;
  u[1] = rank;
  const xs = stridesOf(xa.shape);
  config.forEach(([lo, , interior], d) => {
    u[at(0) + d] = o.shape[d];
    u[at(1) + d] = lo >>> 0;
    u[at(2) + d] = interior + 1;
    u[at(3) + d] = xa.shape[d];
    u[at(4) + d] = xs[d];
  });
  const out = allocGpu(o.dtype, o.size, "pad");
  dispatchEach(code, u, [x.gpu, v.gpu], [out.gpu], o.size);
  return out;
}

/**
 * concatenate: operand k's element e, of row length row = its size from `dimension`
 * on, goes to out[(e / row) · rowOut + offset + e % row]; one dispatch per operand.
 */
export function concatenate(dimension: number, xs: WebGpuBuffer[], avals: ShapedArray[], o: ShapedArray): WebGpuBuffer {
  const code = `${uniformDecl(4)}@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
${INVOCATION}
  if (e >= uget(0u)) { return; }
  let row = uget(1u);
  out[(e / row) * uget(2u) + uget(3u) + e % row] = x[e];
}
`;
  const rowOf = (shape: readonly number[]): number => shape.slice(dimension).reduce((a, b) => a * b, 1);
  const rowOut = rowOf(o.shape);
  const out = allocGpu(o.dtype, o.size, "concatenate");
  let offset = 0;
  xs.forEach((x, k) => {
    const row = rowOf(avals[k].shape);
    if (row > 0)
      dispatchEach(code, Uint32Array.of(avals[k].size, row, rowOut, offset), [x.gpu], [out.gpu], avals[k].size);
    offset += row;
  });
  return out;
}

/** iota, pad and concatenate on GPU operands. */
export const STRUCTURAL_ROUTINES: GpuRoutineTable = {
  iota: (r, _xs, _inAvals, outAvals) => oneResult(iota(r.dimension, outAvals[0])),
  pad: (r, xs, inAvals, outAvals) => oneResult(pad(r.config, xs[0], xs[1], inAvals[0], outAvals[0])),
  concatenate: (r, xs, inAvals, outAvals) => [concatenate(r.dimension, xs, inAvals, outAvals[0])],
};
