/**
 * Browser test of the webgpu platform (`npm run test:browser` runs it after run.mjs): serves
 * dist/ and tests-browser/webgpu-page.mjs on http://localhost (a secure context, which
 * `navigator.gpu` requires), opens it in headless Chromium with WebGPU enabled, and checks that
 * `await init("webgpu")` resolves and that a jitted gradient of a small MLP computed on webgpu
 * stays on the GPU and equals the cpu platform's within float32 rounding; then trains the browser
 * example (examples/browser, index.html?platform=webgpu) on the GPU and checks that it learns.
 *
 * Headless Chromium without a GPU gets SwiftShader (Vulkan on the CPU) as a fallback adapter, and
 * only with --enable-unsafe-webgpu (without it requestAdapter() gives null on Linux); Chromium 156
 * chose SwiftShader over Mesa's lavapipe even with --use-vulkan=native. The flag sets below are
 * tried in order until one gives an adapter. If none does, the test says so and exits 0 (nothing to test on
 * this machine), unless REQUIRE_WEBGPU=1 says an adapter must exist (then it fails).
 *
 *   npm run build && node tests-browser/webgpu.mjs
 *   CHROMIUM=/path/to/chrome REQUIRE_WEBGPU=1 node tests-browser/webgpu.mjs
 *   WEBGPU_FLAGS="--enable-unsafe-webgpu --use-vulkan=native" node tests-browser/webgpu.mjs
 */
/* global window */
import { createServer } from "node:http";
import { existsSync } from "node:fs";
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

/**
 * Flag sets that enable WebGPU in headless Chromium without a GPU, tried in this order
 * (WEBGPU_FLAGS="--flag --flag" tries that one set instead).
 */
const FLAG_SETS =
  process.env.WEBGPU_FLAGS !== undefined
    ? [process.env.WEBGPU_FLAGS.split(/\s+/).filter(Boolean)]
    : [
        // Chromium's own SwiftShader Vulkan (Linux ships WebGPU behind this flag).
        ["--enable-unsafe-webgpu"],
        [
          "--enable-unsafe-webgpu",
          "--enable-features=Vulkan",
          "--use-angle=swiftshader",
          "--use-webgpu-adapter=swiftshader",
        ],
        ["--enable-unsafe-webgpu", "--enable-unsafe-swiftshader", "--use-webgpu-adapter=swiftshader"],
        // The system's Vulkan driver (Mesa's lavapipe on CI machines, a GPU's driver elsewhere).
        ["--enable-unsafe-webgpu", "--enable-features=Vulkan", "--use-vulkan=native", "--ignore-gpu-blocklist"],
      ];

/**
 * Tolerance, relative to each gradient's largest entry: both platforms compute in float32; each
 * entry is a sum over the batch (32) of products through two layers (widths 6, 16, 4), so the
 * summation orders differ by at most ~(32 + 16 + 16)·2^-24 ≈ 4e-6 of the sum of magnitudes,
 * plus a few ulps from exp/log in logSoftmax (WGSL's are within 3 ulps on Vulkan). 1e-5 leaves
 * 2.5× that; a wrong kernel is off by far more (whole terms missing or misplaced).
 */
const TOLERANCE = 1e-5;

const page = `<!doctype html><meta charset="utf-8"><title>cotangent webgpu</title><script type="module" src="webgpu-page.mjs"></script>`;
const server = createServer(async (req, res) => {
  const path = normalize(new URL(req.url, "http://x").pathname.slice(1));
  let body = null;
  if (path === "webgpu.html") body = page;
  else if (path === "webgpu-page.mjs") body = await readFile(join(root, "tests-browser/webgpu-page.mjs"));
  else if (path.startsWith("dist/")) body = await readFile(join(root, path)).catch(() => null);
  else if (path.startsWith("example/") && !path.includes(".."))
    body = await readFile(join(root, "examples/browser", path.slice("example/".length))).catch(() => null);
  if (body === null) res.writeHead(404).end();
  else res.writeHead(200, { "Content-Type": types[extname(path)] ?? "application/octet-stream" }).end(body);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://localhost:${server.address().port}/webgpu.html`;

const { check, failures } = checker();

/** Opens a page with one flag set and waits for its `window[key]`; that, or a launch error. */
async function openWith(flags, pageUrl = url, key = "result") {
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", ...flags] });
  try {
    const tab = await browser.newPage();
    const errors = [];
    tab.on("pageerror", (e) => errors.push(String(e)));
    await tab.goto(pageUrl);
    await tab.waitForFunction((k) => window[k] !== undefined, key, { timeout: 300_000 });
    const r = await tab.evaluate((k) => window[k], key);
    if (errors.length) r.error ??= errors.join("\n");
    return { ...r, version: browser.version() };
  } finally {
    await browser.close();
  }
}

const tried = [];
let result = null;
try {
  for (const flags of FLAG_SETS) {
    let r;
    try {
      r = await openWith(flags);
    } catch (e) {
      tried.push(`${flags.join(" ") || "(no flags)"}: launch failed (${String(e).split("\n")[0]})`);
      continue;
    }
    if (!r.secure) throw new Error(`${url} is not a secure context: navigator.gpu needs one`);
    const why = !r.gpu ? "navigator.gpu is undefined" : r.adapter ? null : "navigator.gpu.requestAdapter() gave null";
    if (why === null) {
      result = { ...r, flags };
      break;
    }
    tried.push(`${flags.join(" ") || "(no flags)"}: ${why} (Chromium ${r.version})`);
  }
} catch (e) {
  server.close();
  throw e;
}

if (result === null) {
  server.close();
  const required = process.env.REQUIRE_WEBGPU === "1";
  console.log(
    `${required ? "FAIL" : "SKIP"} webgpu in headless Chromium: no WebGPU adapter with any of these flag sets:\n` +
      tried.map((t) => `  ${t}`).join("\n") +
      (required ? "" : "\n(REQUIRE_WEBGPU=1 makes this a failure.)"),
  );
  process.exit(required ? 1 : 0);
}

const a = result.adapter;
console.log(`Chromium ${result.version}, flags: ${result.flags.join(" ")}`);
console.log(
  `adapter: ${[a.vendor, a.architecture, a.description].filter(Boolean).join(" / ")}` +
    (a.fallback ? " (a fallback adapter: software rendering on the CPU)" : ""),
);
if (result.error) {
  check(false, `the page ran without error:\n${result.error}`);
} else {
  check(
    Array.isArray(result.init) && result.init.includes("webgpu"),
    `await init("webgpu") resolved to ${JSON.stringify(result.init)}`,
  );
  check(result.resultOnGpu === true, "the jitted gradient on webgpu lives on the GPU (dataSync() is a WebGpuError)");
  for (const k of ["w1", "b1", "w2", "b2"]) {
    const err = maxRelError(result.webgpu[k], result.cpu[k]);
    check(
      err <= TOLERANCE,
      `jit(grad(mlp loss)).${k} on webgpu equals cpu: max |Δ|/max|g| ${err.toExponential(2)} ≤ ${TOLERANCE}`,
    );
  }
}

// The browser example (examples/browser, built by `npm run build:browser-example`) trained on webgpu, for
// STEPS steps rather than 400: on SwiftShader a step takes 0.3–0.9 s, most of it each step's read of its loss.
const STEPS = 100;
if (!existsSync(join(root, "examples/browser/dist/main.js"))) {
  check(false, "example on webgpu: examples/browser/dist/main.js is missing (npm run build:browser-example)");
} else {
  const exampleUrl = `http://localhost:${server.address().port}/example/index.html?platform=webgpu&steps=${STEPS}`;
  const t = await openWith(result.flags, exampleUrl, "trainingResult");
  if (t.error) check(false, `example on webgpu ran without error:\n${t.error}`);
  else {
    const last = t.losses[t.losses.length - 1];
    console.log(`example on ${t.platform}: ${STEPS} steps, loss ${t.losses[0].toFixed(4)} → ${last.toFixed(4)}`);
    check(t.platform === "webgpu", "example: trained on the webgpu platform");
    check(t.losses.length === STEPS && t.losses.every(Number.isFinite), `example on webgpu: ${STEPS} finite losses`);
    check(last < t.losses[0] / 4, "example on webgpu: the loss fell to under a quarter of its start");
    check(t.accuracy >= 0.97, `example on webgpu: two moons classified with at least 97% accuracy (${t.accuracy})`);
  }
}
server.close();

if (failures.length) {
  console.error(`\n${failures.length} webgpu browser check(s) failed`);
  process.exit(1);
}
console.log("\nwebgpu browser tests passed");
