"""What a model gets wrong on a test set, by kind: a wrong command path, or, on the right path, a
missing, extra or wrong arg (and whether the wrong value appears in the request) and a missing or
extra flag. One line per miss, then the counts. Run from training/:
    .venv/bin/python ../docs/bench/probes/misses.py gh MODEL [TEST_FILE]   (default: ../testsets/gh.jsonl)"""
import collections
import sys
from pathlib import Path

from clitron_training.command import canonical
from clitron_training.evaluate import model_answers, score
from clitron_training.io import read_examples
from clitron_training.schema import load_schema

name, model = sys.argv[1], sys.argv[2]
schema = load_schema(f"../schemas/{name}.yaml")
rows = read_examples(Path(sys.argv[3] if len(sys.argv) > 3 else f"../testsets/{name}.jsonl"))
kinds = collections.Counter()


def where(value, request: str) -> str:
    """Whether the request contains the value (each item of a list) as it was written."""
    found = all(str(v).lower() in request.lower() for v in (value if isinstance(value, list) else [value]))
    return "in" if found else "not in"


for row, answer in zip(rows, model_answers(Path(model), schema, rows)[0]):
    if score([row], [answer], schema)["exact_canonical"] == 1:
        continue
    if not isinstance(answer, dict):
        kinds["not a command"] += 1
        print(f"INVALID {row['input']!r}: {answer!r}")
        continue
    gold, said = canonical(row["output"], schema), canonical(answer, schema)
    gold_path, said_path = (gold["command"], gold.get("subcommand")), (said["command"], said.get("subcommand"))
    if gold_path != said_path:
        kinds["path"] += 1
        print(f"PATH  {row['input']!r}: {' '.join(filter(None, gold_path))} -> {' '.join(filter(None, said_path))}")
        continue
    notes = []
    for key in sorted(set(gold["args"]) | set(said["args"])):
        if key not in said["args"]:
            kinds["missing arg"] += 1
            notes.append(f"-{key}={gold['args'][key]!r}")
        elif key not in gold["args"]:
            kinds[f"extra arg, value {where(said['args'][key], row['input'])} request"] += 1
            notes.append(f"+{key}={said['args'][key]!r}")
        elif gold["args"][key] != said["args"][key]:
            kinds[f"wrong value, {where(said['args'][key], row['input'])} request"] += 1
            notes.append(f"~{key}: {gold['args'][key]!r} -> {said['args'][key]!r}")
    for flag in sorted(set(gold["flags"]) - set(said["flags"])):
        kinds["missing flag"] += 1
        notes.append(f"-{flag}")
    for flag in sorted(set(said["flags"]) - set(gold["flags"])):
        kinds["extra flag"] += 1
        notes.append(f"+{flag}")
    print(f"ARGS  {row['input']!r}: {' '.join(notes)}")
print(dict(kinds.most_common()))
