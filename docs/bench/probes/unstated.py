"""What the engine's value check (`command.drop_unstated`) does on the hand-written sets: the gold
commands it would change, and, given answers an engine stored before the check (a GGUF's
.answers.json), exact match before and after applying it. Run from training/:
    .venv/bin/python ../docs/bench/probes/unstated.py gh [ANSWERS_JSON]"""
import json
import sys
from pathlib import Path

from clitron_training.command import canonical, drop_unstated
from clitron_training.evaluate import score
from clitron_training.io import read_examples
from clitron_training.schema import load_schema

name = sys.argv[1]
changed = 0
for cli in ("gh", "docker"):
    schema = load_schema(f"../schemas/{cli}.yaml")
    for row in read_examples(Path(f"../testsets/{cli}.jsonl")):
        dropped = drop_unstated(canonical(row["output"], schema), row["input"], schema)[1]
        if dropped:
            changed += 1
            print(f"gold loses {dropped}: {row['input']!r}")
print(f"{changed} gold commands of the gh and docker sets change")
if len(sys.argv) > 2:
    schema = load_schema(f"../schemas/{name}.yaml")
    rows = read_examples(Path(f"../testsets/{name}.jsonl"))
    stored = json.loads(Path(sys.argv[2]).read_text()).values()
    answers = next(v["answers"] for v in stored if len(v["answers"]) == len(rows))
    checked = [drop_unstated(a, r["input"], schema)[0] for a, r in zip(answers, rows)]
    print(f"{name} human set exact: {score(rows, answers, schema)['exact_canonical']} before the check, "
          f"{score(rows, checked, schema)['exact_canonical']} after")
