"""Stage 3b: DPO on the preference pairs, with TRL's DPOTrainer.

Reads  {model_dir} (merged SFT checkpoint), {preference_file}
Writes {output_dir}/ merged checkpoint + tokenizer, adapter/, checkpoints/, log.jsonl, loss.png, metrics.json,
       answers.json (its val answers, which eval reuses)

A fresh LoRA adapter is trained on top of the SFT model; the reference model is the same weights
with the adapter disabled, so one model is in memory. Val exact match is measured before (SFT) and
after (DPO) on the same examples and both are written to metrics.json.

Run: python -m clitron_training.train_dpo --config ./configs/dpo_config.yaml --schema ../schemas/gh.yaml \
         --model-dir ./models/gh/sft --output-dir ./models/gh/dpo --preference-file ./data/gh/preferences.jsonl
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Literal

import click
import torch

from clitron_training.config import load_config, settings_of
from clitron_training.entry import run
from clitron_training.generate_preferences import PreferencesConfig
from clitron_training.io import read_examples, read_jsonl, write_json
from clitron_training.schema import load_schema
from clitron_training.evaluate import exact_match
from clitron_training.train_sft import (EvalSection, LoggingSection, Optimisation, Section, finished_run, last_checkpoint,
                                        load_tokenizer, lora_config, precision)


class ModelSection(Section):
    name: str = "./models/sft"
    attn_implementation: str = "sdpa"  # "eager" is faster on CPU for these short sequences


class TrainingSection(Optimisation):
    output_dir: str = "./models/dpo"
    num_train_epochs: float = 1
    per_device_train_batch_size: int = 4
    gradient_accumulation_steps: int = 8
    learning_rate: float = 5e-6
    warmup_ratio: float = 0.0
    lr_scheduler_type: str = "linear"
    save_steps: int = 50
    beta: float = 0.1
    loss_type: Literal["sigmoid", "hinge"] = "sigmoid"
    max_pairs: int | None = None


class DataSection(Section):
    preference_file: str = "./data/preferences.jsonl"
    validation_file: str | None = None  # default: train_val.jsonl beside the preference file


class DPOConfigFile(Section):
    model: ModelSection = ModelSection()
    training: TrainingSection = TrainingSection()
    data: DataSection = DataSection()
    preferences: PreferencesConfig = PreferencesConfig()
    eval: EvalSection = EvalSection()
    logging: LoggingSection = LoggingSection()
    hardware: str = "auto"
    profiles: dict = {}


def train(cfg: DPOConfigFile, schema_path: Path, output_dir: Path, force: bool = False) -> dict:
    from datasets import Dataset
    from transformers import AutoModelForCausalLM
    from trl import DPOConfig, DPOTrainer

    from clitron_training.tracking import JsonlLogger, plot_losses

    if (done := finished_run(output_dir, force, settings_of(cfg, {"logging", "profiles", "preferences"}),
                                    cfg.hardware)) is not None:
        return done
    metrics_path = output_dir / "metrics.json"
    schema = load_schema(schema_path)
    t = cfg.training
    pairs = read_jsonl(Path(cfg.data.preference_file))[: t.max_pairs or None]
    if not pairs:
        raise click.ClickException(f"{cfg.data.preference_file}: no preference pairs")
    val_file = Path(cfg.data.validation_file or Path(cfg.data.preference_file).with_name("train_val.jsonl"))
    val_rows = read_examples(val_file)[: cfg.eval.max_examples or None]

    tokenizer = load_tokenizer(cfg.model.name)
    dtype = torch.float32 if cfg.hardware == "cpu" else "auto"
    model = AutoModelForCausalLM.from_pretrained(cfg.model.name, dtype=dtype, attn_implementation=cfg.model.attn_implementation)
    before = exact_match(Path(cfg.model.name), schema, val_rows)  # the SFT stage's answers, where it scored these
    print(f"dpo: {len(pairs)} pairs; SFT val exact match {before['exact_canonical']:.3f} on {len(val_rows)}")

    dataset = Dataset.from_list([{k: p[k] for k in ("prompt", "chosen", "rejected")} for p in pairs])
    output_dir.mkdir(parents=True, exist_ok=True)
    args = DPOConfig(
        output_dir=str(output_dir / "checkpoints"),
        num_train_epochs=t.num_train_epochs,
        max_steps=t.max_steps,
        per_device_train_batch_size=t.per_device_train_batch_size,
        gradient_accumulation_steps=t.gradient_accumulation_steps,
        learning_rate=t.learning_rate,
        warmup_steps=t.warmup_ratio,  # transformers 5: a float below 1 is a ratio of all steps
        lr_scheduler_type=t.lr_scheduler_type,
        optim=t.optim,
        beta=t.beta,
        loss_type=[t.loss_type],
        gradient_checkpointing=False,
        save_strategy="steps",
        save_steps=t.save_steps,
        save_total_limit=2,
        logging_steps=cfg.logging.logging_steps,
        report_to=cfg.logging.report_to,
        seed=t.seed,
        **precision(cfg.hardware, t.precision),
    )
    trainer = DPOTrainer(model=model, args=args, train_dataset=dataset, processing_class=tokenizer,
                         peft_config=lora_config(t, model.config.num_hidden_layers),
                         callbacks=[JsonlLogger(output_dir / "log.jsonl")])
    resume = last_checkpoint(output_dir / "checkpoints")
    if resume:
        print(f"resuming from {resume}")
    started = time.monotonic()
    result = trainer.train(resume_from_checkpoint=resume)
    seconds = time.monotonic() - started

    peft_model = trainer.model
    peft_model.save_pretrained(output_dir / "adapter")
    merged = peft_model.merge_and_unload()
    merged.save_pretrained(output_dir)
    tokenizer.save_pretrained(output_dir)
    after = exact_match(output_dir, schema, val_rows)
    logs = [r for r in read_jsonl(output_dir / "log.jsonl") if "rewards/accuracies" in r]
    metrics = {
        "pairs": len(pairs),
        "steps": result.global_step,
        "train_seconds": round(seconds, 1),
        "train_loss": round(result.training_loss, 4),
        "final_reward_accuracy": logs[-1]["rewards/accuracies"] if logs else None,
        "val_sft": before,
        "val": after,
    }
    plot_losses(output_dir / "log.jsonl", output_dir / "loss.png", "DPO")
    write_json(metrics_path, metrics)
    print(f"dpo: {result.global_step} steps in {seconds:.0f}s; val exact match SFT {before['exact_canonical']:.3f} "
          f"-> DPO {after['exact_canonical']:.3f}; model in {output_dir}")
    return metrics


@click.command(context_settings={"ignore_unknown_options": True})
@click.option("--config", type=click.Path(path_type=Path), default="./configs/dpo_config.yaml", show_default=True)
@click.option("--schema", "schema_path", type=click.Path(path_type=Path), required=True)
@click.option("--model-dir", type=click.Path(path_type=Path), help="the merged SFT checkpoint")
@click.option("--output-dir", type=click.Path(path_type=Path))
@click.option("--preference-file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="retrain from scratch")
@click.argument("overrides", nargs=-1)
def main(config, schema_path, model_dir, output_dir, preference_file, force, overrides):
    """DPO of the SFT model on preference pairs."""
    overrides = list(overrides)
    for flag, key in ((model_dir, "model.name"), (output_dir, "training.output_dir"), (preference_file, "data.preference_file")):
        if flag:
            overrides.append(f"{key}={flag}")
    cfg = load_config(DPOConfigFile, config, overrides)
    train(cfg, schema_path, Path(cfg.training.output_dir), force=force)


if __name__ == "__main__":
    run(main)
