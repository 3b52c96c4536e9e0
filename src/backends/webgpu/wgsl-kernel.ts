/**
 * Fused loops of the kernel IR (kernel/ir.ts) as WGSL. A kernel over the
 * iteration space [rows, cols] becomes one shader for its stored outputs (a
 * thread per element) and one two-level reduction per reduced output
 * (reduce-shader.ts), each recomputing the elementwise chain it needs: the
 * chain is cheap next to a pass over memory. Sizes are uniforms, so one
 * pipeline serves every shape.
 */
import { valueTypes, type Kernel, type KernelOutput } from "../../kernel/ir.js";
import { dispatch, spread, uniformDecl } from "./device.js";
import { floatPrelude } from "./wgsl-math.js";
import { binaryExpr, loadAs, storeAs, unaryExpr, type ValueType } from "./wgsl-ops.js";
import { reductionShader, runReduction } from "./reduce-shader.js";

const WG = 256;

/** A kernel's shaders: `store` for its stored outputs (null: none), one per reduced output. */
export interface WgslKernel {
  store: string | null;
  storeOutputs: number[];
  reductions: { output: number; code: string; over: "all" | "rows" | "cols"; reducer: "sum" | "max" }[];
}

const vtype = (t: "float32" | "bool"): ValueType => (t === "float32" ? "f32" : "bool");
const word = (t: ValueType): string => (t === "bool" ? "u32" : t);

/**
 * WGSL statements computing values `v0..` at element `e` (row `r`, column `c`),
 * the uniform word 1 holding cols; null if an op has no WGSL form here.
 */
function chain(k: Kernel, types: ValueType[], upTo: number): string | null {
  const lines = ["  let cols = uget(1u);", "  let r = e / cols;", "  let c = e - r * cols;"];
  k.inputs.forEach((inp, i) => {
    const at = { full: "e", scalar: "0u", row: "c", col: "r" }[inp.kind];
    lines.push(`  let v${i} = ${loadAs(`in${i}[${at}]`, types[i])};`);
  });
  const n = k.inputs.length;
  for (let j = 0; j < k.ops.length && n + j <= upTo; j++) {
    const o = k.ops[j];
    const a = o.args.map((x) => `v${x}`);
    let expr: string | null;
    if (o.op === "select") expr = `select(${a[1]}, ${a[2]}, ${a[0]})`;
    else if (a.length === 1) expr = unaryExpr(o.op, a[0], types[o.args[0]]);
    else expr = binaryExpr(o.op, a[0], a[1], types[o.args[0]]);
    if (expr === null) return null;
    lines.push(`  let v${n + j} = ${expr};`);
  }
  return lines.join("\n");
}

function inputDecls(k: Kernel, types: ValueType[]): string {
  return k.inputs
    .map((_, i) => `@group(0) @binding(${i + 1}) var<storage, read> in${i}: array<${word(types[i])}>;`)
    .join("\n");
}

/** The shaders of `k`, or null when one of its ops has no WGSL form. */
export function kernelShaders(k: Kernel): WgslKernel | null {
  const types = valueTypes(k).map(vtype);
  const stores = k.outputs.flatMap((o, i) => (o.kind === "store" ? [i] : []));
  const nIn = k.inputs.length;
  let store: string | null = null;
  if (stores.length > 0) {
    const body = chain(k, types, Infinity);
    if (body === null) return null;
    const outs = stores
      .map((o, j) => {
        const t = types[k.outputs[o].value];
        return `@group(0) @binding(${nIn + j + 1}) var<storage, read_write> out${j}: array<${word(t)}>;`;
      })
      .join("\n");
    const writes = stores
      .map((o, j) => `  out${j}[e] = ${storeAs(`v${k.outputs[o].value}`, types[k.outputs[o].value])};`)
      .join("\n");
    store = `${uniformDecl(2)}${floatPrelude(body)}${inputDecls(k, types)}
${outs}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = (wid.x + wid.y * nwg.x) * ${WG}u + lid.x;
  if (e >= uget(0u)) { return; }
${body}
${writes}
}
`;
  }
  const reductions: WgslKernel["reductions"] = [];
  for (let i = 0; i < k.outputs.length; i++) {
    const o = k.outputs[i] as Extract<KernelOutput, { kind: "reduce" }>;
    if (o.kind !== "reduce") continue;
    if (types[o.value] !== "f32") return null;
    const body = chain(k, types, o.value);
    if (body === null) return null;
    // Uniform words: 0..3 the reduction's, 4 cols, 5 and 6 the group and element strides.
    const decls = `${inputDecls(k, types)}
@group(0) @binding(${nIn + 1}) var<storage, read_write> out: array<f32>;
fn elem(e: u32) -> f32 {
${body.replace("uget(1u)", "uget(4u)")}
  return v${o.value};
}
fn index(g: u32, j: u32) -> u32 { return g * uget(5u) + j * uget(6u); }`;
    // Over the rows, neighbouring results (columns) read neighbouring elements: the "columns" layout.
    const code = reductionShader(decls, o.reducer, "f32", 7, o.over === "rows");
    reductions.push({ output: i, code, over: o.over, reducer: o.reducer });
  }
  return { store, storeOutputs: stores, reductions };
}

/**
 * Records the kernel's passes over [rows, cols]. Groups and strides of each
 * reduction: over everything, one group of rows·cols contiguous elements; over
 * the columns (one result per row), rows groups of cols; over the rows (one
 * result per column), cols groups of rows elements cols apart.
 */
export function recordKernel(
  w: WgslKernel,
  inputs: GPUBuffer[],
  outputs: GPUBuffer[],
  rows: number,
  cols: number,
): void {
  const n = rows * cols;
  if (w.store !== null && n > 0) {
    dispatch(
      w.store,
      [n, cols],
      inputs,
      w.storeOutputs.map((o) => outputs[o]),
      spread(Math.ceil(n / WG)),
    );
  }
  for (const red of w.reductions) {
    const [groups, length, gStride, jStride] =
      red.over === "all" ? [1, n, 0, 1] : red.over === "cols" ? [rows, cols, cols, 1] : [cols, rows, 1, cols];
    // Elements are read only when cols > 0 (the max keeps the division defined); an empty reduction writes the identity.
    runReduction(
      red.code,
      red.reducer,
      "f32",
      inputs,
      [Math.max(cols, 1), gStride, jStride],
      outputs[red.output],
      groups,
      length,
      red.over === "rows",
    );
  }
}
