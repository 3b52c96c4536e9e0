/**
 * What the Jacobi shaders of spectral-eigh.ts and spectral-svd.ts share: the
 * round-robin pairing, the rotation's tangent, the sort orders, the limits.
 */
import { WebGpuError } from "./errors.js";
import { FLOAT_PRELUDE } from "./wgsl-math.js";

/**
 * The largest n of eigh and min(m, n) of svd on the GPU: the rotations of one
 * round (n/2 vec4) and the ranks (n u32) fill 12 KiB of the 16 KiB of workgroup
 * memory WebGPU guarantees; one workgroup per matrix also bounds the time a
 * dispatch takes (drivers reset devices whose dispatches run for seconds).
 */
export const MAX_SPECTRAL = 1024;

/** Sweep cap: float32 Jacobi meets its test in well under ten sweeps; NaN input never does. */
export const MAX_SWEEPS = 40;

/** float32's ε = 2⁻²³ as a WGSL literal. */
export const EPS_F32 = "1.1920929e-7";

/** 64 threads for small matrices (batches of them waste fewer idle threads), 128 above (lavapipe compiles larger workgroups of these barrier-heavy shaders slowly). */
export const workgroupSize = (n: number): number => (n <= 64 ? 64 : 128);

/** A typed error for matrices beyond MAX_SPECTRAL. */
export function spectralSizeCheck(op: string, n: number): void {
  if (n > MAX_SPECTRAL) {
    throw new WebGpuError(
      `[${op}] matrices this large do not factor on webgpu yet: got a dimension of ${n}, expected at most ${MAX_SPECTRAL}. ` +
        "Factor on cpu or wasm (np.array(await x.data())).",
    );
  }
}

export const SPECTRAL_PRELUDE = `${FLOAT_PRELUDE}
// Pair k of round r of the circle method over N (even) indices: (N−1, r), then ((r+k), (r−k)) mod N−1; (min, max).
fn round_pair(r: u32, k: u32, N: u32) -> vec2u {
  let m = N - 1u;
  var p = N - 1u; var q = r;
  if (k != 0u) { p = (r + k) % m; q = (r + m - k) % m; }
  return vec2u(min(p, q), max(p, q));
}
// t = tan θ of the rotation for cot 2θ = zeta: the smaller root of t² + 2ζt − 1 = 0, 1/(2ζ) where ζ² would overflow.
fn jacobi_tan(zeta: f32) -> f32 {
  if (abs(zeta) > 1e18) { return 0.5 / zeta; }
  return select(-1.0, 1.0, zeta >= 0.0) / (abs(zeta) + sqrt(1.0 + zeta * zeta));
}
// a (index i) before b (index j): ascending, NaN last, ties by index.
fn before_asc(a: f32, i: u32, b: f32, j: u32) -> bool {
  if (f_isnan(a)) { return f_isnan(b) && i < j; }
  if (f_isnan(b)) { return true; }
  return a < b || (a == b && i < j);
}
// Descending, NaN last, ties by index.
fn before_desc(a: f32, i: u32, b: f32, j: u32) -> bool {
  if (f_isnan(a)) { return f_isnan(b) && i < j; }
  if (f_isnan(b)) { return true; }
  return a > b || (a == b && i < j);
}
`;
