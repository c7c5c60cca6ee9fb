"""Exact match of HF checkpoints on a hand-written test set, scored as eval scores it (greedy, no
grammar). Run from training/: .venv/bin/python ../docs/bench/probes/human_score.py gh DIR [DIR ...]"""
import sys
from pathlib import Path

from clitron_training.evaluate import model_answers, score
from clitron_training.io import read_examples
from clitron_training.schema import load_schema

name, models = sys.argv[1], sys.argv[2:]
schema = load_schema(f"../schemas/{name}.yaml")
rows = read_examples(Path(f"../testsets/{name}.jsonl"))
for model in models:
    m = score(rows, model_answers(Path(model), schema, rows)[0], schema)
    print(model, "exact (canonical)", m["exact_canonical"], "command path", m["field_accuracy"]["command_path"])
