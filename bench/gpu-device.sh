#!/usr/bin/env bash
# Issue 11 item 8: cotangent on webgpu, through Dawn and the NVIDIA Vulkan driver, on a real GPU (H100/H200).
# Runs everything in one go (bench/gpu-device.ts): W1 at 1024² and 4096² (TFLOP/s), W2, W5 (ms per call) and W3
# (steps/s). Installs nothing from the network: it needs node ≥ 20, Debian's libvulkan1 (the Vulkan loader), the
# NVIDIA driver's Vulkan ICD, and either the checkout's node_modules (tsx and webgpu) or a bundle made beforehand.
#
#   bench/gpu-device.sh                  # from a checkout with node_modules
#   bench/gpu-device.sh bundle           # here, before going to the device: writes dist/gpu-device.mjs
#   bench/gpu-device.sh [--sizes 1024,4096]
#
# With the bundle, the device needs only these paths of the checkout (about 23 MB): dist/gpu-device.mjs,
# dist/gemm-worker.js, node_modules/webgpu/{index.js,package.json,dist/linux-x64}.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "${1:-}" = "bundle" ]; then
  # The measurement and the library in one file; the webgpu package (Dawn's binary) stays outside it.
  npx esbuild bench/gpu-device.ts --bundle --platform=node --format=esm --target=node20 \
    --external:webgpu --log-level=warning --outfile=dist/gpu-device.mjs
  cp src/backends/wasm/gemm-worker.js dist/gemm-worker.js
  echo "wrote dist/gpu-device.mjs"
  exit 0
fi

command -v node >/dev/null || { echo "gpu-device: node is not installed (node ≥ 20 is needed)" >&2; exit 2; }

# The NVIDIA driver's own Vulkan ICD file: Dawn then sees the GPU and not a software driver (lavapipe).
if [ -z "${VK_ICD_FILENAMES:-}" ]; then
  for f in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json \
    /usr/share/vulkan/icd.d/nvidia_icd.x86_64.json /etc/vulkan/icd.d/nvidia_icd.x86_64.json \
    /usr/lib/x86_64-linux-gnu/nvidia/current/nvidia_icd.json; do
    if [ -e "$f" ]; then
      export VK_ICD_FILENAMES="$f"
      break
    fi
  done
fi
echo "VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-(unset: no NVIDIA ICD file found; Dawn takes whatever Vulkan driver it finds)}"
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
  echo "gpu-device: libvulkan.so.1 (Debian's libvulkan1, the Vulkan loader) is not installed" >&2
  exit 2
fi
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
fi

if [ -e node_modules/tsx ]; then
  exec node --import tsx bench/gpu-device.ts "$@"
elif [ -e dist/gpu-device.mjs ]; then
  exec node dist/gpu-device.mjs "$@"
else
  echo "gpu-device: neither node_modules/tsx nor dist/gpu-device.mjs (run 'bench/gpu-device.sh bundle' first)" >&2
  exit 2
fi
