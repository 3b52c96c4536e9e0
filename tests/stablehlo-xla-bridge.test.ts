/**
 * scripts/stablehlo_on_xla.py, the bridge to XLA, on a real export: an MLP training step's
 * module and its inputs (saved with np.savez) pass the script's check of @main's signature,
 * and a wrong input is refused with a message naming the argument. Running the module needs
 * JAX, which this machine lacks: without it the script says so (exit 3) rather than failing
 * deep inside; where JAX is installed the same command runs the step on XLA.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { grad, numpy as np, random, stablehlo, tree, type Array as JaxArray } from "../src/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const script = path.join(root, "scripts", "stablehlo_on_xla.py");
const dir = mkdtempSync(path.join(tmpdir(), "cotangent-xla-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Params = { w: JaxArray; b: JaxArray };

/** One SGD step of a one-layer tanh model on a squared error. */
function step(params: Params, x: JaxArray, y: JaxArray): Params {
  const loss = (p: Params): JaxArray => np.mean(np.square(np.tanh(np.matmul(x, p.w).add(p.b)).sub(y)));
  const g = grad(loss)(params) as Params;
  return tree.map((p: JaxArray, d: JaxArray) => p.sub(d.mul(0.1)), params, g) as Params;
}

const hasJax = spawnSync("python3", ["-c", "import jax"]).status === 0;

function run(args: string[]): { status: number | null; out: string } {
  const r = spawnSync("python3", [script, ...args], { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe("the XLA bridge script", () => {
  const [k1, k2] = random.split(random.PRNGKey(0));
  const params: Params = { w: random.normal(k1, [4, 3]), b: np.zeros([3]) };
  const x = random.normal(k2, [8, 4]);
  const y = np.ones([8, 3]);
  const exp = stablehlo.export(step, params, x, y);
  const modulePath = path.join(dir, "step.mlir");
  writeFileSync(modulePath, exp.mlirModule());

  it("compiles, and its --help describes it", () => {
    // Compiled in memory: py_compile would leave a __pycache__ in scripts/.
    execFileSync("python3", ["-c", "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')", script]);
    expect(run(["--help"]).out).toContain("Runs a StableHLO module written by cotangent's `stablehlo.export` on XLA");
  });

  it("checks the inputs saved by np.savez against @main's signature", async () => {
    const inputs = path.join(dir, "inputs.npz");
    await np.savez(inputs, tree.leaves([params, x, y]));
    const r = run([modulePath, inputs, "--check-only"]);
    expect(r.out).toContain("inputs match @main: 4 arguments");
    expect(r.status).toBe(0);
  });

  it("refuses inputs of the wrong shape or number, naming the argument", async () => {
    const wrongShape = path.join(dir, "wrong-shape.npz");
    await np.savez(wrongShape, tree.leaves([params, np.zeros([8, 5]), y]));
    const r = run([modulePath, wrongShape, "--check-only"]);
    expect(r.status).toBe(2);
    expect(r.out).toContain("argument 2: @main expects float32[8, 4], got float32[8, 5]");
    const tooFew = path.join(dir, "too-few.npz");
    await np.savez(tooFew, tree.leaves([params, x]));
    expect(run([modulePath, tooFew, "--check-only"]).out).toContain("@main takes 4 arguments, got 3 arrays");
  });

  it("runs the step on XLA with cotangent's numbers where JAX is installed; else says to install it", async () => {
    const inputs = path.join(dir, "inputs.npz");
    const outputs = path.join(dir, "outputs.npz");
    await np.savez(inputs, tree.leaves([params, x, y]));
    const r = run([modulePath, inputs, "--out", outputs]);
    if (!hasJax) {
      expect(r.status).toBe(3);
      expect(r.out).toContain("JAX is not installed here: `pip install jax`");
      return;
    }
    expect(r.status, r.out).toBe(0);
    const got = await np.load(outputs as `${string}.npz`);
    const want = tree.leaves(step(params, x, y)) as JaxArray[];
    // float32 on both sides, the same operations: a few ulps apart where XLA fuses or reorders.
    want.forEach((w, i) => expect(np.allclose(got.get(`arr_${i}`), w, 1e-5, 1e-6).item()).toBe(true));
  });
});
