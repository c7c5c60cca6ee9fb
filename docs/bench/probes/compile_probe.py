"""Is torch.compile worth it for the CPU SFT step? Times forward, backward and AdamW on 12 batches of 16 gh
examples (top 22 layers trained, bf16 autocast), eager or compiled. Run from training/:
.venv/bin/python ../docs/bench/probes/compile_probe.py eager|compile"""
import sys, time, torch
from pathlib import Path
from transformers import AutoModelForCausalLM
from clitron_training.base_model import resolve
from clitron_training.train_sft import freeze_below, tokenize, load_tokenizer, CompletionCollator, completion_loss
from clitron_training.io import read_examples
mode = sys.argv[1]
base = resolve("smollm2-135m-instruct")
tok = load_tokenizer(base)
model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32, attn_implementation=sys.argv[2] if len(sys.argv) > 2 else "eager")
freeze_below(model, 22)
rows = read_examples(Path("data/gh/train.jsonl"))[:16*12]
feats = [tokenize(r, tok, "gh", 2048) for r in rows]
feats.sort(key=lambda f: f["length"])
col = CompletionCollator(tok.pad_token_id)
batches = [col(feats[i:i+16]) for i in range(0, len(feats), 16)]
opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-5, fused=True)
fwd = model
if mode == "compile":
    fwd = torch.compile(model, dynamic=True)
def step(b):
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = fwd(input_ids=b["input_ids"], attention_mask=b["attention_mask"], logits_to_keep=b["logits_to_keep"])
    loss = completion_loss(out, b["labels"])
    loss.backward(); opt.step(); opt.zero_grad()
    return loss.item()
t0 = time.perf_counter(); step(batches[0]); print("first step", round(time.perf_counter()-t0,1), flush=True)
toks = 0; t0 = time.perf_counter()
for b in batches[1:]:
    step(b); toks += int(b["attention_mask"].sum())
dt = time.perf_counter()-t0
print(mode, "tokens/s", round(toks/dt,1), "s/step", round(dt/(len(batches)-1),2), "widths", [b["input_ids"].shape[1] for b in batches])
