"""The HF model's top next tokens, step by step, as it answers one request greedily (no grammar):
where it decides, and by how much. Run from training/:
    .venv/bin/python ../docs/bench/probes/next_tokens.py gh models/gh/dpo 'show me my open prs'"""
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from clitron_training.prompt import render_prompt

name, model_dir, request = sys.argv[1:4]
tokenizer = AutoTokenizer.from_pretrained(model_dir)
model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
ids = tokenizer(render_prompt(tokenizer.chat_template, name, request), add_special_tokens=False)["input_ids"]
end = tokenizer.convert_tokens_to_ids("<|im_end|>")
for _ in range(32):
    with torch.no_grad():
        probs = model(torch.tensor([ids])).logits[0, -1].softmax(-1)
    top = probs.topk(4)
    print(" | ".join(f"{tokenizer.decode([int(i)])!r} {float(p):.2f}" for p, i in zip(top.values, top.indices)))
    ids.append(int(top.indices[0]))
    if ids[-1] == end:
        break
