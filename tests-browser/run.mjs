/**
 * Browser test of the wasm worker pool (`npm run test:browser`; not part of
 * `npm test`, it needs Chromium): serves dist/ and a test page, once with the
 * cross-origin isolation headers (COOP/COEP: Web Workers on shared memory),
 * once without (one thread) and once isolated but without the worker script
 * (as in a bundle that left it out: one thread), opens each in headless
 * Chromium and checks the results against the cpu platform and each other;
 * then opens the browser example (examples/browser) and checks that it learns.
 *
 *   npm run build && npm run build:browser-example && node tests-browser/run.mjs
 *   CHROMIUM=/path/to/chrome node tests-browser/run.mjs
 */
/* global window, document */
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { checker, maxRelError } from "./checks.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const types = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
};
const isolation = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};
const page = `<!doctype html><meta charset="utf-8"><title>cotangent threads</title><script type="module" src="page.mjs"></script>`;

/**
 * /isolated/... with the headers, /plain/... without, /no-worker/... with them but no worker
 * script; under each, page.html, page.mjs and dist/. /example/... serves examples/browser/
 * (built by `npm run build:browser-example`) with the headers.
 */
const server = createServer(async (req, res) => {
  const [, mode, ...rest] = new URL(req.url, "http://x").pathname.split("/");
  const path = normalize(rest.join("/"));
  const headers = mode === "plain" ? {} : { ...isolation };
  if (mode === "example") {
    const file = await readFile(join(root, "examples/browser", path)).catch(() => null);
    if (file === null || path.startsWith("..")) res.writeHead(404, headers).end();
    else
      res.writeHead(200, { ...headers, "Content-Type": types[extname(path)] ?? "application/octet-stream" }).end(file);
    return;
  }
  let body;
  if (path === "page.html") body = page;
  else if (path === "page.mjs") body = await readFile(join(root, "tests-browser/page.mjs"));
  else if (mode === "no-worker" && path.endsWith("gemm-worker-web.js")) body = null;
  else if (path.startsWith("dist/")) body = await readFile(join(root, path)).catch(() => null);
  if (body === undefined || body === null || !["isolated", "plain", "no-worker"].includes(mode)) {
    res.writeHead(404, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, "Content-Type": types[extname(path)] ?? "application/octet-stream" }).end(body);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;

const { check, failures } = checker();

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const results = {};
try {
  for (const mode of ["isolated", "plain", "no-worker"]) {
    const tab = await browser.newPage();
    const errors = [];
    tab.on("pageerror", (e) => errors.push(String(e)));
    await tab.goto(`${origin}/${mode}/page.html`);
    await tab.waitForFunction(() => window.result !== undefined, null, { timeout: 120_000 });
    const r = await tab.evaluate(() => window.result);
    await tab.close();
    if (r.error || errors.length) throw new Error(`${mode} page: ${r.error ?? errors.join("\n")}`);
    results[mode] = r;
    const threads = `${r.workers} workers; threads used: gemm ${r.used.gemm}, fused kernel ${r.used.kernel}`;
    console.log(
      `${mode}: crossOriginIsolated ${r.crossOriginIsolated}, hardwareConcurrency ${r.hardwareConcurrency}, ${threads}`,
    );
    check(r.crossOriginIsolated === (mode !== "plain"), `${mode}: crossOriginIsolated is ${mode !== "plain"}`);
    check(maxRelError(r.wasm.matmul, r.cpu.matmul) < 1e-5, `${mode}: 512×512 matmul matches the cpu platform`);
    check(maxRelError(r.wasm.fused, r.cpu.fused) < 1e-5, `${mode}: fused elementwise+sum matches the cpu platform`);
    if (mode === "isolated") {
      check(r.hardwareConcurrency > 1, "isolated: more than one core (else no workers to test)");
      check(r.workers === Math.min(r.hardwareConcurrency - 1, 7), "isolated: every worker started");
      check(r.used.gemm > 1, "isolated: the matmul ran on more than one thread");
      check(r.used.kernel > 1, "isolated: the fused kernel ran on more than one thread");
    } else {
      check(r.workers === 0 && r.used.gemm === 1 && r.used.kernel === 1, `${mode}: one thread`);
    }
  }
  const same = (m, k) => results.isolated.wasm[k].every((v, i) => Object.is(v, results[m].wasm[k][i]));
  for (const m of ["plain", "no-worker"])
    check(same(m, "matmul") && same(m, "fused"), `threaded and ${m} (one thread) results are bit-identical`);

  // The browser example (examples/browser): trains two moons live; it must learn them.
  const tab = await browser.newPage();
  const errors = [];
  tab.on("pageerror", (e) => errors.push(String(e)));
  await tab.goto(`${origin}/example/index.html`);
  await tab.waitForFunction(() => window.trainingResult !== undefined, null, { timeout: 300_000 });
  const t = await tab.evaluate(() => window.trainingResult);
  const status = await tab.evaluate(() => document.getElementById("status").textContent);
  const drawn = await tab.evaluate(() => document.querySelector("#loss polyline")?.getAttribute("points") ?? "");
  await tab.close();
  if (t.error || errors.length) throw new Error(`example page: ${t.error ?? errors.join("\n")}`);
  console.log(`example: ${status}`);
  check(t.losses.length === 400 && t.losses.every(Number.isFinite), "example: 400 finite losses");
  check(t.losses[399] < t.losses[0] / 4, "example: the loss fell to under a quarter of its start");
  check(t.accuracy >= 0.97, "example: two moons classified with at least 97% accuracy");
  check(drawn.split(" ").length === 400, "example: the loss curve is drawn");
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  console.error(`\n${failures.length} browser check(s) failed`);
  process.exit(1);
}
console.log("\nbrowser tests passed");
