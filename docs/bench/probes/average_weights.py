"""Average the weights of HF checkpoints of one architecture (a model soup; or a run's last
checkpoints) into a new checkpoint, with the first one's config, tokenizer and chat template.
Score it with human_score.py. Run from training/:
    .venv/bin/python ../docs/bench/probes/average_weights.py OUT DIR DIR [...]"""
import shutil
import sys
from pathlib import Path

from safetensors.torch import load_file, save_file

out, checkpoints = Path(sys.argv[1]), [Path(d) for d in sys.argv[2:]]
out.mkdir(parents=True, exist_ok=True)
for name in ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "chat_template.jinja"):
    shutil.copy(checkpoints[0] / name, out / name)
first = load_file(checkpoints[0] / "model.safetensors")
dtypes = {k: v.dtype for k, v in first.items()}
total = {k: v.double() for k, v in first.items()}
del first
for checkpoint in checkpoints[1:]:
    for k, v in load_file(checkpoint / "model.safetensors").items():
        total[k] += v
save_file({k: (v / len(checkpoints)).to(dtypes[k]) for k, v in total.items()}, out / "model.safetensors", metadata={"format": "pt"})
print("wrote", out)
