"""The `just` recipes: `name=gh num=10000 quant=auto` parameters, mapped to stage commands.

    python -m clitron_training.pipeline train name=gh num=5000
    python -m clitron_training.pipeline sft name=gh training.learning_rate=1e-4   (extra key=value: config overrides)

Each stage runs as its own process (`python -m clitron_training.<stage>`), from training/, with the
spec's arguments; each skips work already done and prints where its outputs are. Work done on
inputs that changed since is done again, as make would: a stage whose output (or, stopped part-way,
the checkpoints it would resume from) is older than an output of a stage it reads from runs with
--force. New data retrains SFT, a new SFT model makes new preference pairs, and so on down the line.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from clitron_training.config import TRAINING_DIR
from clitron_training.io import write_json

DEFAULTS = {"name": "gh", "num": "10000", "quant": "auto"}  # auto: q4_k_m or q8_0 by the model (quantize.resolve_quant)


@dataclass(frozen=True)
class Stage:
    """One stage for one CLI: its module and arguments (run from training/), the file it writes when
    it does its work (None: eval, which always runs), and what it leaves to resume from when
    stopped part-way (its checkpoints, its progress log)."""

    command: list[str]
    output: Path | None = None
    progress: Path | None = None


def stage_of(stage: str, p: dict[str, str]) -> Stage:
    name, data, models = p["name"], f"./data/{p['name']}", f"./models/{p['name']}"
    data_dir, models_dir = TRAINING_DIR / "data" / name, TRAINING_DIR / "models" / name
    schema = ["--schema", f"../schemas/{name}.yaml"]
    human_set = TRAINING_DIR.parent / "testsets" / f"{name}.jsonl"
    generate = Stage(["generate_dataset", *schema, "--output", f"{data}/train.jsonl", "--num-examples", p["num"]],
                     data_dir / "train.jsonl")
    return {
        "generate": generate,
        "generate-force": replace(generate, command=[*generate.command, "--force"]),
        "sft": Stage(["train_sft", "--config", "./configs/sft_config.yaml", *schema, "--data-dir", data,
                      "--output-dir", f"{models}/sft"], models_dir / "sft" / "metrics.json", models_dir / "sft" / "checkpoints"),
        "preferences": Stage(["generate_preferences", "--config", "./configs/dpo_config.yaml", *schema, "--model-dir",
                              f"{models}/sft", "--data-dir", data, "--output", f"{data}/preferences.jsonl"],
                             data_dir / "preferences.jsonl", data_dir / "preferences.jsonl.progress.jsonl"),
        "dpo": Stage(["train_dpo", "--config", "./configs/dpo_config.yaml", *schema, "--model-dir", f"{models}/sft",
                      "--output-dir", f"{models}/dpo", "--preference-file", f"{data}/preferences.jsonl"],
                     models_dir / "dpo" / "metrics.json", models_dir / "dpo" / "checkpoints"),
        "quantize": Stage(["quantize", *schema, "--model-dir", models, "--quant", p["quant"], "--data-dir", data],
                          models_dir / f"clitron-{name}-{p['quant']}.gguf"),
        "eval": Stage(["evaluate", *schema, "--model-dir", models, "--quant", p["quant"], "--data-dir", data,
                       *(["--test-file", f"../testsets/{name}.jsonl"] if human_set.exists() else [])]),
    }[stage]


PIPELINE = ["generate", "sft", "preferences", "dpo", "quantize", "eval"]
READS_FROM = {"sft": ["generate"], "preferences": ["sft"], "dpo": ["sft", "preferences"], "quantize": ["sft", "dpo"]}


def written_at(path) -> int | None:
    return path.stat().st_mtime_ns if path is not None and path.exists() else None


def newer_input(stage: str, p: dict[str, str]):
    """The output of a stage this one reads from that was written after this stage's own output, or
    after the progress it would resume from (so that work is out of date), or None."""
    this = stage_of(stage, p)
    done = written_at(this.output) or written_at(this.progress)
    if done is None:
        return None
    inputs = [stage_of(upstream, p).output for upstream in READS_FROM.get(stage, [])]
    return next((path for path in inputs if (written_at(path) or 0) > done), None)


def parse(words: list[str]) -> tuple[dict[str, str], list[str]]:
    """Recipe parameters (name, num, quant) and the remaining key=value config overrides."""
    params, overrides = dict(DEFAULTS), []
    for word in words:
        key, eq, value = word.partition("=")
        if not eq:
            sys.exit(f"error: expected key=value, got {word!r} (e.g. name=gh num=5000 quant=q8_0)")
        if key in params:
            params[key] = value
        else:
            overrides.append(word)
    return params, overrides


def quant_level(p: dict[str, str]) -> str:
    """The quantization level `quant` stands for (`auto` is resolved from the trained model)."""
    import click

    from clitron_training.quantize import resolve_quant

    try:
        return resolve_quant(p["quant"], TRAINING_DIR / "models" / p["name"])
    except click.ClickException as e:
        sys.exit(f"error: {e.message}")


def run_stage(stage: str, params: dict[str, str], overrides: list[str]) -> None:
    this = stage_of(stage, params)
    module, *args = this.command
    command = [sys.executable, "-m", f"clitron_training.{module}", *args]
    print(f"\n== {stage} ({params['name']}) ==", flush=True)
    before = written_at(this.output)
    if (changed := newer_input(stage, params)) is not None:
        print(f"{stage}'s work is older than {changed.relative_to(TRAINING_DIR)}: redoing it", flush=True)
        command.append("--force")
    started = time.monotonic()
    code = subprocess.run([*command, *overrides], cwd=TRAINING_DIR).returncode
    if code != 0:
        sys.exit(f"error: stage {stage} failed (exit {code}); rerun to resume where it stopped")
    seconds = round(time.monotonic() - started, 1)
    print(f"== {stage} done in {seconds:.0f}s ==", flush=True)
    if before is not None and written_at(this.output) == before:  # skipped: the time of the run that did the work stands
        return
    times_path = TRAINING_DIR / "models" / params["name"] / "stage_times.json"
    times = json.loads(times_path.read_text()) if times_path.exists() else {}
    write_json(times_path, {**times, stage: seconds})


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in [*PIPELINE, "generate-force", "train"]:
        sys.exit(f"usage: pipeline {{train|{'|'.join(PIPELINE)}|generate-force}} [name=gh] [num=10000] [quant=auto] [key=value ...]")
    params, overrides = parse(argv[1:])
    if not (TRAINING_DIR.parent / "schemas" / f"{params['name']}.yaml").exists():
        sys.exit(f"error: no schema schemas/{params['name']}.yaml (see `just train-list-schemas`)")
    if argv[0] == "train" and overrides:
        sys.exit(f"error: {overrides[0]!r}: config overrides go to one stage's recipe (e.g. just train-sft name=gh ...)")
    for stage in PIPELINE if argv[0] == "train" else [argv[0]]:
        if stage in ("quantize", "eval"):  # the model is trained by now: `auto` can be resolved
            params = {**params, "quant": quant_level(params)}
        run_stage(stage, params, overrides)
    if argv[0] in ("train", "eval"):
        print(f"\nmodel: training/models/{params['name']}/clitron-{params['name']}-{params['quant']}.gguf\n"
              f"try:   training/.venv/bin/clitron {params['name']} \"...\"")


if __name__ == "__main__":
    main()
