#!/usr/bin/env bash
# Pack smoke test: build the npm tarball exactly as `npm publish` would, check what it
# contains, install it into an empty ESM project and use it the way a consumer would.
#
#   .ci/pack-smoke.sh            # from anywhere; needs `npm ci` to have been run
#   KEEP_PACK_WORKDIR=1 .ci/pack-smoke.sh   # keep the temp dir for inspection
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

section() { printf '\n==== pack smoke: %s ====\n' "$*"; }
die() {
  printf 'pack smoke test: FAILED: %s\n' "$*" >&2
  exit 1
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cotangent-pack.XXXXXX")"
cleanup() {
  if [[ -n "${KEEP_PACK_WORKDIR:-}" ]]; then
    echo "pack smoke: keeping $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# --------------------------------------------------------------------------------------
section "npm pack (prepack runs the build)"
mkdir -p "$WORK/pkg"
npm pack --loglevel=warn --pack-destination "$WORK/pkg" </dev/null
shopt -s nullglob
tarballs=("$WORK"/pkg/*.tgz)
shopt -u nullglob
[[ ${#tarballs[@]} -eq 1 ]] || die "expected exactly one tarball in $WORK/pkg, found ${#tarballs[@]}"
TARBALL="${tarballs[0]}"
echo "tarball: $TARBALL ($(du -k "$TARBALL" | cut -f1) KiB)"

# --------------------------------------------------------------------------------------
section "package contents"
# --ignore-scripts: dist/ was just built by prepack, and lifecycle output would pollute the JSON.
npm pack --dry-run --json --ignore-scripts </dev/null >"$WORK/pack.json"
tar -tzf "$TARBALL" | sed 's|^package/||' | sort >"$WORK/tar-files.txt"
README_TRACKED=0
if [[ -f README.md ]]; then README_TRACKED=1; fi
README_TRACKED="$README_TRACKED" node - "$WORK/pack.json" "$WORK/tar-files.txt" <<'JS' || die "package contents"
const fs = require("node:fs");
const [packJson, tarList] = process.argv.slice(2);
const info = JSON.parse(fs.readFileSync(packJson, "utf8"));
const files = info[0].files.map((f) => f.path).sort();
const inTar = fs.readFileSync(tarList, "utf8").split("\n").filter(Boolean).sort();
const problems = [];

const allowed = (p) => p === "package.json" || p === "README.md" || p === "LICENSE" || p.startsWith("dist/");
const stray = files.filter((p) => !allowed(p));
if (stray.length) problems.push(`unexpected files in package: ${stray.join(", ")}`);

const required = ["package.json", "LICENSE", "dist/cotangent.js", "dist/cotangent-node.js", "dist/cotangent.script.js", "dist/gemm-worker.js", "dist/index.d.ts"];
if (process.env.README_TRACKED === "1") required.push("README.md");
else console.warn("warning: README.md does not exist yet, so the package has no README");
for (const r of required) if (!files.includes(r)) problems.push(`missing from package: ${r}`);

if (JSON.stringify(files) !== JSON.stringify(inTar)) {
  problems.push("`npm pack --dry-run --json` and the real tarball disagree about the file list");
}

const bytes = info[0].files.reduce((n, f) => n + f.size, 0);
const top = [...new Set(files.map((p) => (p.includes("/") ? p.split("/")[0] + "/" : p)))];
console.log(`${files.length} files, ${(bytes / 1024).toFixed(0)} KiB unpacked: ${top.join(", ")}`);
if (problems.length) {
  for (const p of problems) console.error(`error: ${p}`);
  process.exit(1);
}
console.log("package contents: ok");
JS

# --------------------------------------------------------------------------------------
section "install into an empty ESM project"
CONSUMER="$WORK/consumer"
mkdir -p "$CONSUMER"
(
  cd "$CONSUMER"
  npm init -y >/dev/null </dev/null
  npm pkg set type=module
  # The tarball has no runtime dependencies, so this must work without the network.
  npm install --offline --no-audit --no-fund --ignore-scripts "$TARBALL" </dev/null
)

cat >"$CONSUMER/smoke.mjs" <<'JS'
import { grad, init, numpy as np, jit, vmap } from "cotangent";

const fail = (msg) => {
  console.error(`pack smoke test: FAILED: ${msg}`);
  process.exit(1);
};
const close = (a, b, tol = 1e-6) => Math.abs(a - b) <= tol;

for (const [name, fn] of Object.entries({ grad, jit, vmap, "numpy.sin": np?.sin, "numpy.multiply": np?.multiply })) {
  if (typeof fn !== "function") fail(`export ${name} is ${typeof fn}, expected a function`);
}

const f = (x) => np.multiply(x, np.sin(x));
const want = Math.sin(1) + Math.cos(1);

const got = grad(f)(1.0).item();
if (!close(got, want)) fail(`grad(x * sin x)(1) = ${got}, expected ${want}`);

const gotJit = jit(grad(f))(1.0).item();
if (!close(gotJit, want)) fail(`jit(grad(x * sin x))(1) = ${gotJit}, expected ${want}`);

const xs = [0.5, 1, 2];
const batched = vmap(grad(f))(np.array(xs));
xs.forEach((x, i) => {
  const v = batched.get(i).item();
  const w = Math.sin(x) + x * Math.cos(x);
  if (!close(v, w)) fail(`vmap(grad(x * sin x))[${i}] = ${v}, expected ${w}`);
});

// Array methods are installed by a side-effect import inside the package (see "sideEffects").
const viaMethod = np.array(1.5).add(1).item();
if (!close(viaMethod, 2.5)) fail(`np.array(1.5).add(1) = ${viaMethod}, expected 2.5`);

// A product large enough for the worker threads (their file sits beside the bundle).
const ones = np.ones([256, 256]);
const total = np.matmul(ones, ones).sum().item();
if (total !== 256 ** 3) fail(`sum(ones·ones) over 256² = ${total}, expected ${256 ** 3}`);

// The webgpu backend is a chunk beside the bundle, loaded by init("webgpu"). This project has no
// "webgpu" package, so the chunk must load and then reject with the typed error naming it.
const gpu = await init("webgpu").then(
  () => "resolved",
  (e) => `${e.name}: ${e.message}`,
);
if (!gpu.startsWith("WebGpuError") || !gpu.includes("npm i webgpu"))
  fail(`init("webgpu") without the webgpu package gave ${gpu}, expected a WebGpuError naming npm i webgpu`);

console.log("pack smoke test: ok");
JS

# --------------------------------------------------------------------------------------
section "node: import the installed package"
# Node takes the "node" entry: the script form with a V8 code cache kept beside it.
CACHE="$CONSUMER/node_modules/cotangent/dist/cotangent.v8cache"
(cd "$CONSUMER" && COTANGENT_NO_COMPILE_CACHE=1 node smoke.mjs) || die "node smoke.mjs without the compile cache"
[[ ! -e "$CACHE" ]] || die "COTANGENT_NO_COMPILE_CACHE=1 still wrote $CACHE"
(cd "$CONSUMER" && node smoke.mjs) || die "node smoke.mjs (making the compile cache)"
[[ -s "$CACHE" ]] || die "the first import did not write the compile cache $CACHE"
(cd "$CONSUMER" && node smoke.mjs) || die "node smoke.mjs (from the compile cache)"
echo "compile cache: $(du -k "$CACHE" | cut -f1) KiB, used on the second import"

# --------------------------------------------------------------------------------------
section "typescript: typecheck a consumer against the shipped .d.ts"
cat >"$CONSUMER/smoke-types.ts" <<'TS'
// Checks that "exports" -> "types" resolves under NodeNext and that the shipped
// declarations compile with skipLibCheck off and no @types/node or DOM lib.
import { grad, jit, numpy as np, vmap, type Array as NdArray, type DType } from "cotangent";

const f = (x: NdArray): NdArray => np.multiply(x, np.sin(x));
const df = grad(f);
const g = df(1.0) as NdArray;
const v: number | boolean = (jit(df)(1.0) as NdArray).item();
const b = vmap(df)(np.array([0.5, 1, 2])) as NdArray;
const d: DType = b.dtype;
export { g, v, d };
TS
cat >"$CONSUMER/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "lib": ["ES2022"],
    "types": [],
    "strict": true,
    "skipLibCheck": false,
    "noEmit": true
  },
  "files": ["smoke-types.ts"]
}
JSON
(cd "$CONSUMER" && node "$ROOT/node_modules/typescript/bin/tsc" -p tsconfig.json) || die "consumer typecheck"
echo "consumer typecheck: ok"

# --------------------------------------------------------------------------------------
section "bundler: esbuild honours package.json sideEffects"
ESBUILD="$ROOT/node_modules/.bin/esbuild"
if [[ -x "$ESBUILD" ]]; then
  (
    cd "$CONSUMER"
    "$ESBUILD" smoke.mjs --bundle --platform=node --format=esm --outfile=bundle.mjs --log-level=warning
    node bundle.mjs
  ) || die "bundled smoke test (is a side-effect module missing from \"sideEffects\" in package.json?)"
else
  echo "warning: esbuild not found at $ESBUILD (it comes with tsx); skipping the bundler check"
fi

printf '\npack smoke test: all checks passed\n'
