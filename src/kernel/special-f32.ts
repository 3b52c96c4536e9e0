/**
 * Float32 kernels that follow XLA's own float32 algorithms, where JAX's float32
 * result is not the correctly rounded one and bit-for-bit agreement matters
 * (`jax.random.normal` is `√2·erf_inv(u)`, so its draws depend on every bit).
 */

const f32 = Math.fround;
const box = new Float32Array(1);
const bits = new Int32Array(box.buffer);

/** The float32 neighbour of `r` (a float32) in the direction of `toward`. */
function neighbour(r: number, toward: number): number {
  box[0] = r;
  bits[0] += toward > r === r >= 0 ? 1 : -1;
  return r === 0 ? (toward > 0 ? 2 ** -149 : -(2 ** -149)) : box[0];
}

/**
 * Fused multiply-add in float32, rounded once: a·b + c for float32 a, b, c.
 * a·b is exact in float64 (24 + 24 bits ≤ 53); the float64 sum s carries an
 * error e (TwoSum). Rounding s to float32 is the correct rounding of s + e
 * except when s sits exactly halfway between two float32 values, where the
 * sign of e decides.
 */
export function fmaF32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const v = s - p;
  const e = p - (s - v) + (c - v);
  const r = f32(s);
  if (e === 0 || r === s || !Number.isFinite(s)) return r;
  const other = neighbour(r, s);
  if ((r + other) / 2 !== s) return r;
  return e > 0 === other > r ? other : r;
}

// Giles' single-precision erf⁻¹ ("Approximating the erfinv function", GPU Gems, 2010),
// the coefficients of XLA's ErfInv32 / StableHLO's materializeErfInvF32.
const W_LT_5 = [
  2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164,
  0.246640727, 1.50140941,
].map(f32);
const W_GE_5 = [
  -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047,
  1.00167406, 2.83297682,
].map(f32);

/**
 * erf⁻¹(x) as XLA computes it in float32: w = -log1p(-x²); a degree-8
 * polynomial p in w - 2.5 (w < 5) or √w - 3 (w ≥ 5); erf⁻¹(x) ≈ p·x. Every
 * operation rounds to float32 and XLA's CPU compiler contracts the Horner
 * steps p·w + c into FMAs, which is what makes `random.normal` match JAX bit
 * for bit. Accuracy: a few float32 ulps; ±∞ at ±1, NaN outside [-1, 1].
 */
export function erfInvF32(x: number): number {
  if (Math.abs(x) === 1) return x * Infinity;
  let w = -f32(Math.log1p(f32(-x * x)));
  const coeffs = w < 5 ? W_LT_5 : W_GE_5;
  w = w < 5 ? f32(w - 2.5) : f32(f32(Math.sqrt(w)) - 3);
  let p = coeffs[0];
  for (let i = 1; i < coeffs.length; i++) p = fmaF32(p, w, coeffs[i]);
  return f32(p * x);
}
