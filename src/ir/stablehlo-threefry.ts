/**
 * threefry2x32 as JAX lowers it: the operands broadcast to one shape, then a call to a
 * private function `@threefry2x32` that expands the 20 rounds into adds, shifts and xors
 * (`_threefry2x32_lowering` through `mlir.lower_fun`, cached as one function per shape).
 */
import { ShapedArray } from "../core/aval.js";
import type { StableHloEmitter } from "./stablehlo-emit.js";

/** Rotation distances of the even (0, 2, 4) and odd (1, 3) groups of four rounds. */
const ROTATIONS = [
  [13, 15, 26, 6],
  [17, 29, 16, 24],
];
/** Skein's key-schedule parity constant: ks[2] = k0 ^ k1 ^ C240. */
const C240 = 0x1bd11bda;

/** The cipher on four u32 values of `aval`: ks = [k0, k1, k0^k1^C240]; five groups of four rounds. */
function threefryBody(c: StableHloEmitter, [k0, k1, x0, x1]: string[], aval: ShapedArray): string[] {
  const add = (a: string, b: string) => c.binary("add", a, b, aval);
  const k = (v: number) => c.constant(v, aval);
  const rotl = (v: string, d: number) =>
    c.binary("or", c.binary("shift_left", v, k(d), aval), c.binary("shift_right_logical", v, k(32 - d), aval), aval);
  const ks = [k0, k1, c.binary("xor", c.binary("xor", k0, k1, aval), k(C240), aval)];
  let v0 = add(x0, ks[0]);
  let v1 = add(x1, ks[1]);
  for (let g = 0; g < 5; g++) {
    for (const r of ROTATIONS[g % 2]) {
      v0 = add(v0, v1);
      v1 = c.binary("xor", rotl(v1, r), v0, aval);
    }
    v0 = add(v0, ks[(g + 1) % 3]);
    v1 = add(add(v1, ks[(g + 2) % 3]), k(g + 1));
  }
  return [v0, v1];
}

/** threefry2x32(k0, k1, x0, x1) → [y0, y1]: broadcast, then `call @threefry2x32`. */
export function lowerThreefry(c: StableHloEmitter, xs: string[]): string[] {
  const out = c.outAvals[0];
  const args = xs.map((x, i) => c.broadcastTo(x, c.inAvals[i], out.shape));
  const ins = [out, out, out, out];
  const fn = c.privateFunc(`threefry2x32:${out.shape.join("x")}`, "threefry2x32", ins, [out, out], (a) =>
    threefryBody(c, a, out),
  );
  return c.call(fn, args, ins, [out, out]);
}
