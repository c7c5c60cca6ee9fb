"""Exact match and command-path accuracy of models (HF checkpoints, greedy, no grammar; or GGUFs,
through the engine) on the val set (the first 200, as eval scores it) and the hand-written test set,
scored as eval scores them. Run from training/:
    .venv/bin/python ../docs/bench/probes/human_score.py gh DIR_OR_GGUF [...]"""
import sys
from pathlib import Path

from clitron_training.evaluate import model_answers, score
from clitron_training.io import read_examples
from clitron_training.schema import load_schema

name, models = sys.argv[1], sys.argv[2:]
schema = load_schema(f"../schemas/{name}.yaml")
sets = {"val": read_examples(Path(f"data/{name}/train_val.jsonl"))[:200], "human": read_examples(Path(f"../testsets/{name}.jsonl"))}
for model in models:
    for set_name, rows in sets.items():
        m = score(rows, model_answers(Path(model), schema, rows)[0], schema)
        print(model, set_name, "exact (canonical)", m["exact_canonical"], "command path", m["field_accuracy"]["command_path"], flush=True)
