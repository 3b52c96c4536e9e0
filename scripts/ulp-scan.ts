/**
 * `npm run ulp-scan -- <op> [startHex endHex]`: the error, in units in the last
 * place of float32, of one wasm unary kernel over a range of float32 bit
 * patterns (by default all 2³² of them; a few minutes per function), against
 * the float64 reference rounded to float32. Prints the largest error, where it
 * occurs, and a histogram (0, 1, 2, 3, ≥ 4 ulp, and mismatched NaN/±0/∞).
 * The bounds asserted in tests/wasm-elementwise.test.ts are the maxima this reports.
 */
import { wasmUnaryF32, type WasmUnaryOp } from "../src/backends/wasm/elementwise.js";
import { erf as erf64 } from "../src/kernel/special.js";

const REFERENCE: Partial<Record<WasmUnaryOp, (x: number) => number>> = {
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  tanh: Math.tanh,
  logistic: (x) => 1 / (1 + Math.exp(-x)),
  // erf(x) rounds to ±1 in float32 beyond |x| = 4.
  erf: (x) => (Math.abs(x) >= 4 ? Math.sign(x) : erf64(x)),
  rsqrt: (x) => 1 / Math.sqrt(x),
  sqrt: Math.sqrt,
  neg: (x) => -x,
  abs: Math.abs,
  floor: Math.floor,
  ceil: Math.ceil,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
};

const op = process.argv[2] as WasmUnaryOp;
const reference = REFERENCE[op];
if (!reference) throw new Error(`ulp-scan: unknown op ${op}; expected one of ${Object.keys(REFERENCE).join(", ")}`);
const start = process.argv[3] ? parseInt(process.argv[3], 16) : 0;
const end = process.argv[4] ? parseInt(process.argv[4], 16) : 2 ** 32;

const CHUNK = 1 << 20;
const bits = new Uint32Array(CHUNK);
const src = new Float32Array(bits.buffer);
const dst = new Float32Array(CHUNK);
const gotBits = new Uint32Array(dst.buffer);
const want32 = new Float32Array(1);
const wantBits = new Uint32Array(want32.buffer);
/** Float32 bits as a position on the number line (so that the distance counts representable floats). */
const ordinal = (b: number) => (b & 0x80000000 ? -(b & 0x7fffffff) : b);
const histogram = [0, 0, 0, 0, 0, 0]; // 0, 1, 2, 3, ≥ 4 ulp, mismatched special values
let worst = { ulp: 0, x: 0, got: 0, want: 0 };
const t0 = Date.now();

for (let base = start; base < end; base += CHUNK) {
  const n = Math.min(CHUNK, end - base);
  for (let i = 0; i < n; i++) bits[i] = base + i;
  wasmUnaryF32(op, src.subarray(0, n), dst.subarray(0, n));
  for (let i = 0; i < n; i++) {
    want32[0] = reference(src[i]);
    const w = wantBits[0];
    const g = gotBits[i];
    let ulp = 0;
    if (w !== g) {
      const gotNaN = dst[i] !== dst[i];
      const wantNaN = want32[0] !== want32[0];
      if (gotNaN || wantNaN) ulp = gotNaN && wantNaN ? 0 : Infinity;
      else if ((w & 0x7fffffff) === 0 && (g & 0x7fffffff) === 0)
        ulp = Infinity; // +0 against −0
      else ulp = Math.abs(ordinal(g) - ordinal(w));
    }
    histogram[ulp === Infinity ? 5 : Math.min(ulp, 4)]++;
    if (ulp > worst.ulp) worst = { ulp, x: src[i], got: dst[i], want: want32[0] };
  }
}
console.log(
  JSON.stringify({
    op,
    range: [start.toString(16), end.toString(16)],
    worst,
    histogram,
    seconds: (Date.now() - t0) / 1000,
  }),
);
