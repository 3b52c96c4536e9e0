/**
 * Routines on the GPU (kernel/routines.ts): elementwise maps with NumPy
 * broadcasting, conversions, strided copies (broadcast_in_dim, transpose,
 * slice, rev) and reductions over any axes. Every one reads its operands
 * through per-axis strides and an offset passed as uniforms, so a shader
 * serves every shape of rank up to MAX_RANK; anything else answers null.
 */
import type { ShapedArray } from "../../core/aval.js";
import { stridesOf } from "../../core/aval.js";
import type { DType } from "../../core/dtypes.js";
import type { Routine } from "../../kernel/routines.js";
import { dispatch, spread, uniformDecl } from "./device.js";
import { allocGpu, wgslType, type WebGpuBuffer } from "./buffer.js";
import { floatPrelude } from "./wgsl-math.js";
import { binaryExpr, loadAs, storeAs, unaryExpr, type ValueType } from "./wgsl-ops.js";
import { reductionShader, runReduction, type Reduction } from "./reduce-shader.js";

export const MAX_RANK = 8;
const WG = 256;

/** The value type of a dtype inside shaders. */
export const valueType = (d: DType, op: string): ValueType => (d === "bool" ? "bool" : wgslType(d, op));
const word = (t: ValueType): string => (t === "bool" ? "u32" : t);

/** How an operand is read: element offset + Σ index[d]·strides[d] over the output's axes. */
interface View {
  offset: number;
  strides: number[];
}

/** An operand of `shape` broadcast (NumPy's rules, right-aligned) to `out`. */
function broadcastView(shape: readonly number[], out: readonly number[]): View {
  const s = stridesOf(shape);
  const lead = out.length - shape.length;
  return { offset: 0, strides: out.map((n, d) => (d < lead || shape[d - lead] === 1 ? 0 : s[d - lead])) };
}

/**
 * Records out[i] = f(inputs read through their views) for every element of
 * `outShape`; `expr` builds f from the loaded values a0, a1, ...
 */
function mapped(
  op: string,
  inputs: WebGpuBuffer[],
  inTypes: ValueType[],
  views: View[],
  outShape: readonly number[],
  outDtype: DType,
  expr: (a: string[]) => string | null,
): WebGpuBuffer | null {
  const rank = outShape.length;
  if (rank > MAX_RANK) return null;
  const outType = valueType(outDtype, op);
  const body = expr(inputs.map((_, k) => `a${k}`));
  if (body === null) return null;
  const K = inputs.length;
  // Uniform words: n, rank, then each input's offset, the shape (MAX_RANK), each input's strides (MAX_RANK each).
  const shapeAt = 2 + K;
  const strideAt = (k: number): number => shapeAt + MAX_RANK + k * MAX_RANK;
  const words = strideAt(K);
  const decls = inputs
    .map((_, k) => `@group(0) @binding(${k + 1}) var<storage, read> in${k}: array<${word(inTypes[k])}>;`)
    .join("\n");
  const offs = inputs.map((_, k) => `  var o${k} = uget(${2 + k}u);`).join("\n");
  const steps = inputs.map((_, k) => `o${k} += i * uget(${strideAt(k)}u + d);`).join(" ");
  const loads = inputs.map((_, k) => `  let a${k} = ${loadAs(`in${k}[o${k}]`, inTypes[k])};`).join("\n");
  const code = `${uniformDecl(words)}${floatPrelude(body)}${decls}
@group(0) @binding(${K + 1}) var<storage, read_write> out: array<${word(outType)}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = (wid.x + wid.y * nwg.x) * ${WG}u + lid.x;
  if (e >= uget(0u)) { return; }
${offs}
  var rem = e;
  for (var d = uget(1u); d > 0u; ) {
    d -= 1u;
    let n = uget(${shapeAt}u + d);
    let i = rem % n;
    rem = rem / n;
    ${steps}
  }
${loads}
  out[e] = ${storeAs(body, outType)};
}
`;
  const n = outShape.reduce((a, b) => a * b, 1);
  const u = new Uint32Array(words);
  u[0] = n;
  u[1] = rank;
  views.forEach((v, k) => {
    u[2 + k] = v.offset >>> 0;
    v.strides.forEach((s, d) => (u[strideAt(k) + d] = s >>> 0));
  });
  outShape.forEach((s, d) => (u[shapeAt + d] = s));
  const out = allocGpu(outDtype, n, op);
  dispatch(
    code,
    u,
    inputs.map((b) => b.gpu),
    [out.gpu],
    spread(Math.ceil(n / WG)),
  );
  return out;
}

/** convert_element_type between 32-bit dtypes and bool: float → int truncates (NaN → 0) and saturates. */
function convertExpr(a: string, from: ValueType, to: ValueType): string {
  if (from === to) return a;
  // NaN is true (it is not 0); tested by its bits, as some drivers fold NaN != 0.0 to false.
  if (to === "bool")
    return from === "f32" ? `(${a} != 0.0 || f_isnan(${a}))` : `(${a} != 0${from === "i32" ? "i" : "u"})`;
  if (from === "bool") return `select(${to}(0), ${to}(1), ${a})`;
  if (from === "f32") {
    // WGSL clamps to the largest float below the type's maximum (2147483520 for i32): the top saturates exactly.
    const [max, top] = to === "i32" ? ["2147483647i", "2147483648.0"] : ["4294967295u", "4294967296.0"];
    return `select(select(${to}(${a}), ${max}, ${a} >= ${top}), ${to}(0), f_isnan(${a}))`;
  }
  return to === "f32" ? `f32(${a})` : `bitcast<${to}>(${a})`;
}

/**
 * select_n: cases[p] for a bool predicate (two cases) or an integer one (any number; out of range picks case 0,
 * where the op leaves it unspecified).
 */
function selectExpr(p: string, cases: string[], pType: ValueType): string {
  if (pType === "bool") return `select(${cases[0]}, ${cases[1]}, ${p})`;
  const k = (i: number): string => `${i}${pType === "i32" ? "i" : "u"}`;
  return cases.slice(1).reduce((e, c, i) => `select(${e}, ${c}, ${p} == ${k(i + 1)})`, cases[0]);
}

/** The views of a strided copy routine, or null for other routines. */
function copyView(r: Routine, x: ShapedArray, out: ShapedArray): View | null {
  const s = stridesOf(x.shape);
  switch (r.name) {
    case "broadcast_in_dim": {
      const strides = out.shape.map(() => 0);
      r.broadcastDimensions.forEach((d, i) => (strides[d] = x.shape[i] === 1 ? 0 : s[i]));
      return { offset: 0, strides };
    }
    case "transpose":
      return { offset: 0, strides: r.permutation.map((p) => s[p]) };
    case "slice":
      return {
        offset: r.startIndices.reduce((a, st, d) => a + st * s[d], 0),
        strides: r.strides.map((st, d) => st * s[d]),
      };
    case "rev":
      return {
        offset: r.dimensions.reduce((a, d) => a + (x.shape[d] - 1) * s[d], 0),
        strides: s.map((st, d) => (r.dimensions.includes(d) ? -st : st)),
      };
    default:
      return null;
  }
}

/** reduce over `axes`: groups are the kept axes' positions, elements the reduced axes'. */
function reduce(
  reducer: Reduction,
  axes: number[],
  x: WebGpuBuffer,
  xa: ShapedArray,
  oa: ShapedArray,
): WebGpuBuffer | null {
  const kept = xa.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  if (kept.length > MAX_RANK || axes.length > MAX_RANK || oa.dtype !== xa.dtype) return null;
  // Bool words are 0/1: and/or/max/min act on them as u32. and/or are bitwise on integers and not for floats.
  const bitwise = reducer === "and" || reducer === "or";
  if (xa.dtype === "bool" ? reducer === "sum" || reducer === "prod" : bitwise && xa.dtype === "float32") return null;
  const t = xa.dtype === "bool" ? "u32" : valueType(xa.dtype, "reduce");
  const s = stridesOf(xa.shape);
  // Uniform words from 4: kept rank, reduced rank, kept shape, kept strides, reduced shape, reduced strides.
  const K = 6;
  const R = K + 2 * MAX_RANK;
  const decompose = (v: string, rankAt: number, shapeAt: number, strideAt: number): string => `
  var rem = ${v}; var o = 0u;
  for (var d = uget(${rankAt}u); d > 0u; ) {
    d -= 1u;
    let n = uget(${shapeAt}u + d);
    o += (rem % n) * uget(${strideAt}u + d);
    rem = rem / n;
  }
  return o;`;
  const decls = `@group(0) @binding(1) var<storage, read> x: array<${t}>;
@group(0) @binding(2) var<storage, read_write> out: array<${t}>;
fn elem(e: u32) -> ${t} { return x[e]; }
fn base(g: u32) -> u32 {${decompose("g", 4, K, K + MAX_RANK)}
}
fn step(j: u32) -> u32 {${decompose("j", 5, R, R + MAX_RANK)}
}
fn index(g: u32, j: u32) -> u32 { return base(g) + step(j); }`;
  const extra = new Array<number>(2 + 4 * MAX_RANK).fill(0);
  extra[0] = kept.length;
  extra[1] = axes.length;
  kept.forEach((d, i) => ((extra[2 + i] = xa.shape[d]), (extra[2 + MAX_RANK + i] = s[d])));
  axes.forEach((d, i) => ((extra[2 + 2 * MAX_RANK + i] = xa.shape[d]), (extra[2 + 3 * MAX_RANK + i] = s[d])));
  const out = allocGpu(oa.dtype, oa.size, "reduce");
  const length = axes.reduce((a, d) => a * xa.shape[d], 1);
  // The last axis kept and some before it reduced: neighbouring results read neighbouring elements.
  const columns = axes.length > 0 && kept.length > 0 && kept[kept.length - 1] === xa.shape.length - 1;
  const code = reductionShader(decls, reducer, t, 4 + extra.length, columns);
  runReduction(code, reducer, t, [x.gpu], extra, out.gpu, oa.size, length, columns);
  return out;
}

/** A routine of this file on GPU operands, or null when it is not one of them (or not for these operands). */
export function elementwiseRoutine(
  r: Routine,
  xs: WebGpuBuffer[],
  inAvals: ShapedArray[],
  outAvals: ShapedArray[],
): WebGpuBuffer | null {
  const o = outAvals[0];
  const types = inAvals.map((a) => valueType(a.dtype, r.name));
  const views = inAvals.map((a) => broadcastView(a.shape, o.shape));
  switch (r.name) {
    case "unary":
      return mapped(r.op, xs, types, views, o.shape, o.dtype, ([a]) => unaryExpr(r.op, a, types[0]));
    case "binary":
      if (types[0] !== types[1]) return null;
      return mapped(r.op, xs, types, views, o.shape, o.dtype, ([a, b]) => binaryExpr(r.op, a, b, types[0]));
    case "select":
      return mapped("select_n", xs, types, views, o.shape, o.dtype, ([p, ...cases]) => selectExpr(p, cases, types[0]));
    case "convert": {
      const to = valueType(o.dtype, "convert_element_type");
      return mapped("convert_element_type", xs, types, views, o.shape, o.dtype, ([a]) => convertExpr(a, types[0], to));
    }
    case "reduce":
      return reduce(r.reducer, r.axes, xs[0], inAvals[0], o);
    default: {
      const v = copyView(r, inAvals[0], o);
      return v === null ? null : mapped(r.name, [xs[0]], types, [v], o.shape, o.dtype, ([a]) => a);
    }
  }
}
