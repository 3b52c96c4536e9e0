/** Formatting for the examples' output. */
import type { Array } from "../src/index.js";

/** Prints as Python prints a float32 scalar: the shortest digits that read back the same (4.0, -3.496911e-07, nan). */
export function show(x: unknown): string {
  if (globalThis.Array.isArray(x)) return `(${x.map(show).join(", ")})`;
  const v = Number((x as Array).item());
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === Math.fround(v)) {
      const n = Number(s);
      const a = Math.abs(n);
      if (a !== 0 && (a < 1e-4 || a >= 1e16)) return n.toExponential(p - 1).replace(/e([+-])(\d)$/, "e$10$2");
      return Number.isInteger(n) ? n.toFixed(1) : String(n);
    }
  }
  return String(v);
}
