/**
 * Every public export carries the documentation a user sees on hover:
 * - every export has a doc comment;
 * - functions, classes, namespace objects (`np.linalg`), constants and namespaces name their JAX
 *   twin: the comment mentions `jax.`, `jnp.`, `lax.`, `numpy.` or `scipy.` (JAX's and NumPy's
 *   module names, e.g. `jnp.roll(a, shift, axis=None)`) or optax, or says "No JAX twin" where
 *   there is none;
 * - functions, classes and namespace objects have an `@example`.
 * Types (option interfaces and aliases) need a comment, and every property of an options type
 * (a name ending in `Options`) needs its own, since that is what hover shows for `{ axis }`.
 */
import { describe, expect, it } from "vitest";
import { publicExports, type PublicExport } from "./helpers/docs-exports.js";

const TWIN = /\b(jax|jnp|lax|optax|numpy|scipy)\.[A-Za-z_]|\boptax\b|No\s+JAX\s+twin/;

function problems(e: PublicExport): string[] {
  const out: string[] = [];
  if (!e.text) out.push("no doc comment");
  if (e.undocumentedProperties?.length) out.push(`options without a comment: ${e.undocumentedProperties.join(", ")}`);
  if (e.kind === "type") return out;
  if (e.text && !TWIN.test(e.text)) out.push("no JAX twin");
  const needsExample = e.kind === "function" || e.kind === "class" || e.kind === "object";
  if (needsExample && !e.tags.some((t) => t.name === "example")) out.push("no @example");
  return out;
}

describe("documentation of the public surface", () => {
  const all = publicExports();

  it("walks the whole surface, namespaces included", () => {
    const names = new Set(all.map((e) => e.name));
    for (const n of ["grad", "jit", "numpy.sum", "numpy.linalg.svd", "lax.scan", "nn.relu", "scipy.special.erf"]) {
      expect(names.has(n), n).toBe(true);
    }
    expect(all.length).toBeGreaterThan(400);
  });

  it("documents every export: a comment, its JAX twin and an example", () => {
    const byFile = new Map<string, string[]>();
    for (const e of all) {
      const p = problems(e);
      if (p.length === 0) continue;
      const list = byFile.get(e.file) ?? [];
      list.push(`  ${e.name} (${e.kind}): ${p.join(", ")}`);
      byFile.set(e.file, list);
    }
    const report = [...byFile].map(([file, lines]) => `${file}\n${lines.join("\n")}`).join("\n");
    const count = [...byFile.values()].reduce((n, l) => n + l.length, 0);
    const hint =
      "Add a /** ... */ comment on the declaration naming the JAX twin (`jnp.roll(a, shift, axis=None)`;" +
      ' "No JAX twin" where there is none) with an @example, and a comment on each option property.';
    expect(count, `${count} exports lack documentation:\n${report}\n${hint}`).toBe(0);
  });
});
