"""Where a request's time goes: cProfile over the engine answering 50 val requests.
Run from training/: .venv/bin/python ../docs/bench/probes/profile_engine.py gh"""
import cProfile
import pstats
import sys
import time
from pathlib import Path

from clitron_training.engine import Engine
from clitron_training.io import read_examples
from clitron_training.runtime import find_model
from clitron_training.schema import load_schema

name = sys.argv[1]
schema = load_schema(f"../schemas/{name}.yaml")
rows = read_examples(Path(f"data/{name}/train_val.jsonl"))[:50]
engine = Engine(find_model(name), schema)  # the file the pipeline made
engine.translate(rows[0]["input"])  # warm up
profile = cProfile.Profile()
started = time.perf_counter()
profile.enable()
for row in rows:
    engine.translate(row["input"])
profile.disable()
print(f"total {time.perf_counter() - started:.1f} s")
pstats.Stats(profile).sort_stats("cumulative").print_stats(8)
