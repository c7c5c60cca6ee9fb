#!/usr/bin/env bash
# Create training/.venv and install clitron into it. Idempotent: a second run only compares a stamp.
set -euo pipefail
cd "$(dirname "$0")/../training"

stamp=.venv/.clitron-installed
want=$(cat pyproject.toml ../scripts/setup.sh | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "environment up to date: training/.venv"
    exit 0
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
pip() { .venv/bin/python -m pip --disable-pip-version-check -q "$@"; }
pip install --upgrade pip
# torch first and pinned: on these machines torch==2.13.0 is a local CPU build, while an unpinned
# torch (asked for by any later package) would download a multi-GB CUDA build.
pip install torch==2.13.0
# llama-cpp-python has no binary wheel on PyPI: it compiles (15-30 min on 2 cores) once into a wheel
# kept in ~/.cache/clitron/wheels, so later installs take seconds. The build is portable (AVX2), not
# -march=native: some of these VMs advertise AMX but fault on it (SIGILL in ggml's AMX kernels).
llama=llama-cpp-python==0.3.36
wheels=${CLITRON_WHEELS:-$HOME/.cache/clitron/wheels}
if ! ls "$wheels"/llama_cpp_python-0.3.36-*.whl >/dev/null 2>&1; then
    echo "building $llama once (about 20 minutes on 2 cores) into $wheels"
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON" \
    CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) pip wheel --no-deps --no-cache-dir -w "$wheels" "$llama"
fi
pip install --no-deps --force-reinstall --find-links "$wheels" --no-index "$llama"
pip install -e '.[test]'
echo "$want" > "$stamp"
echo "installed: training/.venv"
