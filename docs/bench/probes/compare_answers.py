"""Which requests two models (HF checkpoints or GGUFs) answer differently, scored as eval scores
them (stored answers are reused): the val requests SFT and eval score, or a test file. Run from training/:
    .venv/bin/python ../docs/bench/probes/compare_answers.py gh MODEL_A MODEL_B [TEST_FILE]"""
import sys
from pathlib import Path

from clitron_training.evaluate import model_answers, score
from clitron_training.io import read_examples
from clitron_training.schema import load_schema

name, first, second = sys.argv[1:4]
schema = load_schema(f"../schemas/{name}.yaml")
rows = read_examples(Path(sys.argv[4])) if len(sys.argv) > 4 else read_examples(Path(f"data/{name}/train_val.jsonl"))[:200]


def right(answer: str, row: dict) -> bool:
    return score([row], [answer], schema)["exact_canonical"] == 1


marks = [[right(a, r) for a, r in zip(model_answers(Path(m), schema, rows)[0], rows)] for m in (first, second)]
for label, mine, theirs in ((first, *marks), (second, *marks[::-1])):
    only = [r["input"] for r, a, b in zip(rows, mine, theirs) if a and not b]
    print(f"right only for {label}: {len(only)}")
    for text in only:
        print("   ", text)
