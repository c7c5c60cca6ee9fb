"""Does the engine stop too early? Exact match with a logit penalty on closing the args object
(tokens that start with "}", where the grammar also allows another item), on val (first 200) and
the hand-written set. Run from training/:
    .venv/bin/python ../docs/bench/probes/close_bias.py gh GGUF 0 1 2"""
import sys
from pathlib import Path

import numpy as np

from clitron_training.engine import Engine
from clitron_training.evaluate import score
from clitron_training.io import read_examples
from clitron_training.schema import load_schema

name, gguf, biases = sys.argv[1], sys.argv[2], [float(b) for b in sys.argv[3:]]
schema = load_schema(f"../schemas/{name}.yaml")
sets = {"val": read_examples(Path(f"data/{name}/train_val.jsonl"))[:200], "human": read_examples(Path(f"../testsets/{name}.jsonl"))}
engine = Engine(gguf, schema)
closers = np.array([t for t in range(engine.n_vocab) if engine.text_of(t).startswith("}")])
plain_choose = Engine._choose


def penalised(bias: float):
    def choose(self, logits, position, close_string=False):
        g = self.grammar
        may_go_on = g.advance(position, ",") is not None or g.advance(position, '"') is not None
        if bias and may_go_on and g.advance(position, "}") is not None:
            logits = logits.copy()
            logits[closers] -= bias
        return plain_choose(self, logits, position, close_string)
    return choose


for bias in biases:
    Engine._choose = penalised(bias)
    for set_name, rows in sets.items():
        m = score(rows, [engine.translate(r["input"]).command for r in rows], schema)
        print(f"close penalty {bias}: {set_name} exact {m['exact_canonical']:.3f}, command path "
              f"{m['field_accuracy']['command_path']:.3f}, args given the path {m['field_accuracy']['args_given_path']:.3f}", flush=True)
