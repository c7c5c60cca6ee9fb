"""Training logs: every logged step appended to `{output_dir}/log.jsonl` (durable, survives a kill),
plotted to `loss.png` at the end; Weights & Biases too when `report_to` asks for it."""

from __future__ import annotations

from pathlib import Path

from transformers import TrainerCallback

from clitron_training.io import append_jsonl, read_jsonl


class JsonlLogger(TrainerCallback):
    def __init__(self, path: Path):
        self.path = Path(path)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if state.is_world_process_zero and logs:
            append_jsonl(self.path, {"step": state.global_step, "epoch": state.epoch, **logs})


def plot_losses(log_path: Path, png_path: Path, title: str) -> Path | None:
    """Train and validation loss and learning rate by step, from a log.jsonl."""
    if not Path(log_path).exists():
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = read_jsonl(log_path)
    fig, (ax_loss, ax_lr) = plt.subplots(1, 2, figsize=(10, 3.5))
    for key, label in (("loss", "train"), ("eval_loss", "validation")):
        points = [(r["step"], r[key]) for r in rows if key in r]
        if points:
            ax_loss.plot(*zip(*points), marker="." if key == "eval_loss" else None, label=label)
    ax_loss.set(xlabel="step", ylabel="loss", title=title, yscale="log")
    ax_loss.legend()
    lr = [(r["step"], r["learning_rate"]) for r in rows if "learning_rate" in r]
    if lr:
        ax_lr.plot(*zip(*lr))
    ax_lr.set(xlabel="step", ylabel="learning rate")
    fig.tight_layout()
    fig.savefig(png_path, dpi=100)
    plt.close(fig)
    return png_path
