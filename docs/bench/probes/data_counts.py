"""Counts behind the notes on the training data and the GGUF file (default repos, --author @me and
"my", comment bodies and issue titles, edit requests without an edit verb, the q4_k_m tensor types).
Run from training/: .venv/bin/python ../docs/bench/probes/data_counts.py [TRAIN_JSONL] (default
data/gh/train.jsonl; the tensor count needs the q4_k_m file: `just train-quantize name=gh
quant=q4_k_m`, since the default level is now q8_0, and is skipped without it)"""
import collections
import json
import re
import sys
from pathlib import Path

import gguf

from clitron_training.io import read_examples
from clitron_training.teachers.lexicon import VERBS

rows = read_examples(Path(sys.argv[1] if len(sys.argv) > 1 else "data/gh/train.jsonl"))
implied = re.compile(r"\b(this|the current|my current|my) (repo|repository|branch)\b", re.I)
print(f"{sum(bool(implied.search(r['input'])) for r in rows)} of {len(rows)} gh examples say a default repo or branch")
pr_list = [r for r in rows if (r["output"]["command"], r["output"]["subcommand"]) == ("pr", "list")]
mine = [r for r in pr_list if r["output"]["args"].get("author") == "@me"]
said_my = sum(bool(re.search(r"\bmy\b", r["input"], re.I)) for r in mine)
print(f"pr list: {len(pr_list)} examples, {len(mine)} with --author @me, {said_my} of those say 'my'")
say_my = [r for r in pr_list if re.search(r"\bmy\b", r["input"], re.I)]
print(f"pr list: {len(say_my)} say 'my', {sum(r not in mine for r in say_my)} of those without --author @me")
say_my_all = [r for r in rows if re.search(r"\bmy\b", r["input"], re.I)]
with_me = collections.Counter(" ".join(filter(None, (r["output"]["command"], r["output"]["subcommand"])))
                              for r in say_my_all if "@me" in json.dumps(r["output"]["args"]))
print(f"{len(say_my_all)} requests say 'my', {sum(with_me.values())} of them with @me:", dict(with_me.most_common(5)))
for path, arg in ((("pr", "comment"), "body"), (("issue", "create"), "title")):
    of_path = [r for r in rows if (r["output"]["command"], r["output"]["subcommand"]) == path]
    print(f"{' '.join(path)}: {len(of_path)} examples, {sum(arg in r['output']['args'] for r in of_path)} set --{arg}")
bodies = [r for r in rows if isinstance(r["output"]["args"].get("body"), str)]
after_colon = sum(f": {r['output']['args']['body']}".lower() in r["input"].lower() for r in bodies)
print(f"{len(bodies)} gh examples set --body, {after_colon} of them after a colon")
edit_verb = re.compile(rf"\b({VERBS['edit'][1]})\b", re.I)
edits = [r for r in rows if (r["output"]["subcommand"] or "").split(" ")[-1] == "edit"]
print(f"{len(edits)} edit requests, {sum(not edit_verb.search(r['input']) for r in edits)} of them without an edit verb")
q4_k_m = Path("models/gh/clitron-gh-q4_k_m.gguf")
if q4_k_m.exists():
    reader = gguf.GGUFReader(q4_k_m)
    print("q4_k_m tensor types:", dict(collections.Counter(t.tensor_type.name for t in reader.tensors)))
