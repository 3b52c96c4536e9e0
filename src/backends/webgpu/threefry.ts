/**
 * threefry2x32 on the GPU: the Threefry-2x32 block cipher with 20 rounds, bit
 * for bit as cpu's (backends/cpu/threefry.ts): u32 arithmetic in WGSL wraps mod
 * 2³² as `>>> 0` does there. Its four uint32 operands (key0, key1, x0, x1)
 * broadcast NumPy's way to the result's shape, read through per-axis strides
 * passed as uniforms, so one pipeline serves every shape of rank ≤ MAX_RANK.
 * Also bitcast_convert_type between 32-bit dtypes (random turns bits into
 * floats with it): a copy of the words.
 */
import type { ShapedArray } from "../../core/aval.js";
import { stridesOf } from "../../core/aval.js";
import type { RoutineOf } from "../../kernel/routines.js";
import { allocGpu, type WebGpuBuffer } from "./buffer.js";
import { dispatch, spread, uniformDecl } from "./device.js";
import { MAX_RANK } from "./routines.js";

const WG = 256;
/** Uniform words: n, rank, the result's shape (MAX_RANK), then each operand's strides (MAX_RANK each). */
const SHAPE_AT = 2;
const strideAt = (k: number): number => SHAPE_AT + MAX_RANK + k * MAX_RANK;
const WORDS = strideAt(4);

/** Five groups of four rounds; even groups rotate by 13, 15, 26, 6, odd ones by 17, 29, 16, 24. */
const ROUNDS = [0, 1, 2, 3, 4]
  .map((g) => {
    const rots = g % 2 === 0 ? [13, 15, 26, 6] : [17, 29, 16, 24];
    const rounds = rots.map((r) => `  v0 += v1; v1 = ((v1 << ${r}u) | (v1 >> ${32 - r}u)) ^ v0;`).join("\n");
    return `${rounds}\n  v0 += ks[${(g + 1) % 3}]; v1 += ks[${(g + 2) % 3}] + ${g + 1}u;`;
  })
  .join("\n");

const SHADER = `${uniformDecl(WORDS)}
@group(0) @binding(1) var<storage, read> k0: array<u32>;
@group(0) @binding(2) var<storage, read> k1: array<u32>;
@group(0) @binding(3) var<storage, read> x0: array<u32>;
@group(0) @binding(4) var<storage, read> x1: array<u32>;
@group(0) @binding(5) var<storage, read_write> y0: array<u32>;
@group(0) @binding(6) var<storage, read_write> y1: array<u32>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = (wid.x + wid.y * nwg.x) * ${WG}u + lid.x;
  if (e >= uget(0u)) { return; }
  var o = vec4u(0u);
  var rem = e;
  for (var d = uget(1u); d > 0u; ) {
    d -= 1u;
    let i = rem % uget(${SHAPE_AT}u + d);
    rem = rem / uget(${SHAPE_AT}u + d);
    o += i * vec4u(uget(${strideAt(0)}u + d), uget(${strideAt(1)}u + d), uget(${strideAt(2)}u + d), uget(${strideAt(3)}u + d));
  }
  // Skein's key schedule: ks[2] = k0 ^ k1 ^ 0x1BD11BDA.
  let a = k0[o.x]; let b = k1[o.y];
  let ks = array<u32, 3>(a, b, a ^ b ^ 0x1bd11bdau);
  var v0 = x0[o.z] + ks[0];
  var v1 = x1[o.w] + ks[1];
${ROUNDS}
  y0[e] = v0;
  y1[e] = v1;
}
`;

/** Strides of `shape` broadcast (right-aligned) to `out`: 0 along broadcast axes. */
function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const s = stridesOf(shape);
  const lead = out.length - shape.length;
  return out.map((n, d) => (d < lead || shape[d - lead] === 1 ? 0 : s[d - lead]));
}

/** threefry2x32 on GPU operands; null beyond MAX_RANK. */
export function threefry2x32(
  _r: RoutineOf<"threefry2x32">,
  xs: WebGpuBuffer[],
  inAvals: ShapedArray[],
  [oa]: ShapedArray[],
): WebGpuBuffer[] | null {
  const shape = oa.shape;
  if (shape.length > MAX_RANK || inAvals.some((a) => a.dtype !== "uint32")) return null;
  const n = oa.size;
  const u = new Uint32Array(WORDS);
  u[0] = n;
  u[1] = shape.length;
  shape.forEach((s, d) => (u[SHAPE_AT + d] = s));
  inAvals.forEach((a, k) => broadcastStrides(a.shape, shape).forEach((s, d) => (u[strideAt(k) + d] = s)));
  const y0 = allocGpu("uint32", n, "threefry2x32");
  const y1 = allocGpu("uint32", n, "threefry2x32");
  dispatch(
    SHADER,
    u,
    xs.map((b) => b.gpu),
    [y0.gpu, y1.gpu],
    spread(Math.ceil(n / WG)),
  );
  return [y0, y1];
}

const COPY = `${uniformDecl(1)}
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = (wid.x + wid.y * nwg.x) * ${WG}u + lid.x;
  if (e < uget(0u)) { out[e] = x[e]; }
}
`;

/** bitcast between 32-bit dtypes (the same words); null for bool or a change of size. */
export function bitcast([x]: WebGpuBuffer[], [xa]: ShapedArray[], [oa]: ShapedArray[]): WebGpuBuffer | null {
  if (xa.dtype === "bool" || oa.dtype === "bool" || xa.size !== oa.size) return null;
  const out = allocGpu(oa.dtype, oa.size, "bitcast_convert_type");
  dispatch(COPY, [oa.size], [x.gpu], [out.gpu], spread(Math.ceil(oa.size / WG)));
  return out;
}
