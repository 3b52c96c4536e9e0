/**
 * The examples run as written (`npm start`): the printing ones without an
 * error, the classifier to its expected accuracy, with weights NumPy reads back.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as basics from "../examples/basics.js";
import * as classifier from "../examples/classifier.js";
import * as customVjp from "../examples/custom-vjp.js";
import * as fixedPoint from "../examples/fixed-point.js";

beforeAll(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterAll(() => vi.restoreAllMocks());

describe("examples", () => {
  it.each([
    ["basics", basics.main],
    ["custom-vjp", customVjp.main],
    ["fixed-point", fixedPoint.main],
  ])("%s runs", (_name, main) => {
    expect(() => main()).not.toThrow();
  });

  it("classifier: Iris to at least 90% test accuracy, weights NumPy reads, a loss curve", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cotangent-example-"));
    const { accuracy, loss } = await classifier.main(dir);
    // 30 test flowers: Iris is nearly separable; a 4→16→3 network after 300 Adam steps misclassifies at most 3.
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    expect(loss).toBeLessThan(0.15);
    const svg = readFileSync(join(dir, "iris-loss.svg"), "utf8");
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/points="([^"]*)"/)![1].split(" ")).toHaveLength(300);
    const keys = execFileSync(
      "python3",
      [
        "-c",
        "import numpy as np, sys; z = np.load(sys.argv[1]); print(sorted((k, z[k].shape) for k in z.files))",
        join(dir, "iris-weights.npz"),
      ],
      { encoding: "utf8" },
    );
    for (const [name, shape] of [
      ["hidden/w", "(4, 16)"],
      ["hidden/b", "(16,)"],
      ["out/w", "(16, 3)"],
      ["out/b", "(3,)"],
    ])
      expect(keys).toContain(`('${name}', ${shape})`);
  }, 120_000);
});
