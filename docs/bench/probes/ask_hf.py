"""An HF checkpoint's answers to requests given on the command line (greedy, no grammar), as SFT
and eval decode them. Run from training/:
    .venv/bin/python ../docs/bench/probes/ask_hf.py gh models/gh/sft "show me my open prs" ..."""
import sys

from transformers import AutoModelForCausalLM, AutoTokenizer

from clitron_training.hf_infer import generate

name, model, requests = sys.argv[1], sys.argv[2], sys.argv[3:]
answers = generate(AutoModelForCausalLM.from_pretrained(model), AutoTokenizer.from_pretrained(model), name, requests)
for request, answer in zip(requests, answers):
    print(f"{request!r}: {answer}")
