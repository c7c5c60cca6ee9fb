"""GGUF files of HF checkpoints at q4_k_m and q8_0, made as the quantize stage makes them, into
WORK/{checkpoint's folder name}/ (score them with human_score.py). Run from training/:
    .venv/bin/python ../docs/bench/probes/quant_levels.py gh WORK DIR [DIR ...]"""
import sys
from pathlib import Path

from clitron_training.quantize import convert, quantize_file

name, work, checkpoints = sys.argv[1], Path(sys.argv[2]), [Path(d) for d in sys.argv[3:]]
for checkpoint in checkpoints:
    out = work / checkpoint.name
    out.mkdir(parents=True, exist_ok=True)
    f16 = out / f"clitron-{name}-f16.gguf"
    if not f16.exists():
        convert(checkpoint, f16)
    for level in ("q4_k_m", "q8_0"):
        path = out / f"clitron-{name}-{level}.gguf"
        if not path.exists():
            quantize_file(f16, path, level)
        print(path)
