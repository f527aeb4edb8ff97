#!/usr/bin/env bash
# Build llama-cpp-python once per (version, build flags) into ~/.cache/syngen/wheels and install it into .venv.
# Why not pip's own wheel cache: it is keyed by the source archive alone, so a wheel built with other CMAKE_ARGS
# (or on another CPU) is reused silently. Why these flags: a native build on Sapphire Rapids-class CPUs compiles
# llama.cpp's AMX kernels, which crash in ggml_backend_amx_mul_mat on the first token (llama.cpp issue 20824);
# an AVX2/FMA build (x86-64-v3) runs on every x86 machine this project meets.
set -euo pipefail
cd "$(dirname "$0")/.."
spec="$(grep -o '"llama-cpp-python[^"[]*"' pyproject.toml | head -1 | tr -d '"')"
default_flags="-DLLAVA_BUILD=OFF"
if [ "$(uname -m)" = "x86_64" ]; then
  default_flags="$default_flags -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
fi
export CMAKE_ARGS="${CMAKE_ARGS:-$default_flags}"
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}"
key="$(printf '%s %s' "$spec" "$CMAKE_ARGS" | sha256sum | cut -c1-16)"
dir="${SYNGEN_WHEEL_CACHE:-$HOME/.cache/syngen/wheels}/$key"
if ! ls "$dir"/llama_cpp_python-*.whl >/dev/null 2>&1; then
  echo "setup: building $spec ($CMAKE_ARGS); about 7-9 minutes on 2 cores, once per machine" >&2
  mkdir -p "$dir.tmp"
  .venv/bin/python -m pip wheel --quiet --no-cache-dir --no-deps "$spec" -w "$dir.tmp"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi
.venv/bin/python -m pip install --quiet --no-deps --force-reinstall "$dir"/llama_cpp_python-*.whl
