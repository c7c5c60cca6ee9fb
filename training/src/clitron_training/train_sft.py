"""Stage 2: LoRA supervised fine-tuning on train.jsonl.

Reads  {data_dir}/train.jsonl, {data_dir}/train_val.jsonl, a base model (embedded, hub id or path)
Writes {output_dir}/               merged checkpoint (what the next stages load) + tokenizer
       {output_dir}/adapter/       the LoRA adapter alone
       {output_dir}/checkpoints/   Trainer checkpoints every `save_steps` (a rerun resumes from the last)
       {output_dir}/log.jsonl, loss.png, metrics.json, answers.json (its val answers, which eval reuses)

Run: python -m clitron_training.train_sft --config ./configs/sft_config.yaml \
         --schema ../schemas/gh.yaml --data-dir ./data/gh --output-dir ./models/gh/sft [key=value ...]

Built on transformers' Trainer + PEFT rather than TRL's SFTTrainer for one reason, measured in
`just bench-train`: the loss needs logits only at answer positions, so the (large-vocabulary) output
layer runs on those positions alone (`completion_loss`); SFTTrainer computes logits, entropy and
token accuracy over every position. Prompt tokens are masked either way.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import time
from functools import lru_cache
from pathlib import Path
from typing import Literal

import click
import torch
from pydantic import BaseModel, ConfigDict

from clitron_training.config import load_config, settings_of
from clitron_training.entry import run
from clitron_training.io import read_examples, write_json
from clitron_training.schema import load_schema


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ModelSection(Section):
    name: str = "smollm2-135m-instruct"
    attn_implementation: str = "sdpa"  # "eager" is faster on CPU for these short sequences


class Optimisation(Section):
    """What SFT and DPO share: the schedule, checkpoints and the LoRA adapter's shape."""

    num_train_epochs: float = 3
    per_device_train_batch_size: int = 8
    gradient_accumulation_steps: int = 4
    learning_rate: float = 2e-5
    warmup_ratio: float = 0.1
    lr_scheduler_type: str = "cosine"
    # Transformers' optimizer name. Fused AdamW's step over 78M params took 0.06 s against 0.21 s
    # unfused on 2 CPU cores, though whole 40-step SFT runs differed by less than their noise (4 %).
    optim: str = "adamw_torch_fused"
    max_steps: int = -1
    save_steps: int = 100
    seed: int = 42
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    lora_target_modules: list[str] = ["q_proj", "v_proj", "k_proj", "o_proj"]
    top_layers: int | None = None  # train (or put LoRA on) the top N decoder layers only
    precision: Literal["auto", "fp32", "bf16", "fp16"] = "auto"


class TrainingSection(Optimisation):
    output_dir: str = "./models/sft"
    use_lora: bool = True
    max_train_examples: int | None = None
    sampling: str = "group_by_length"  # batches of similar length pad little; or "random"


class DataSection(Section):
    train_file: str = "./data/train.jsonl"
    validation_file: str = "./data/train_val.jsonl"
    max_seq_length: int = 2048


class EvalSection(Section):
    max_examples: int | None = None


class LoggingSection(Section):
    report_to: str = "none"
    logging_steps: int = 10
    wandb_project: str = "clitron"


class SFTConfig(Section):
    model: ModelSection = ModelSection()
    training: TrainingSection = TrainingSection()
    data: DataSection = DataSection()
    eval: EvalSection = EvalSection()
    logging: LoggingSection = LoggingSection()
    hardware: str = "auto"
    profiles: dict = {}


BF16_MIN_SPEEDUP = 1.3  # bf16 matmul over fp32 at which a CPU trains in bf16 (see precision)


def on_cpu(hardware: str) -> bool:
    return hardware != "cuda" or not torch.cuda.is_available()


def precision(hardware: str, choice: str = "auto") -> dict:
    """The Trainer's mixed precision. auto: bf16 on GPUs that have it, else fp16; on CPU, bf16 only
    where its matrix multiply measures at least 1.3x as fast as fp32's (AMX or AVX512-BF16; without
    them bf16 makes a step 14-19x slower), else fp32. Measured on an AMD EPYC with AVX512-BF16 and
    no AMX: the probe read 1.4-2.7 and a bf16 SFT step ran 1.67x faster than fp32."""
    cpu = on_cpu(hardware)
    if choice == "auto" and cpu:
        choice = "bf16" if cpu_bf16_speedup() >= BF16_MIN_SPEEDUP else "fp32"
    elif choice == "auto":
        choice = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    return {"bf16": choice == "bf16", "fp16": choice == "fp16", **({"use_cpu": True} if cpu else {})}


@lru_cache(maxsize=1)
def cpu_bf16_speedup() -> float:
    """How many times faster a bf16 matrix multiply runs than an fp32 one on this CPU (a short probe:
    the median of 5 rounds, each the best of 10 multiplies; one round of 5 had read 1.44 and 2.2-2.7
    on the same machine)."""

    def fastest(a: torch.Tensor, b: torch.Tensor) -> float:
        a @ b
        times = []
        for _ in range(10):
            started = time.perf_counter()
            a @ b
            times.append(time.perf_counter() - started)
        return min(times)

    a, b = torch.randn(256, 576), torch.randn(576, 1536)
    a16, b16 = a.bfloat16(), b.bfloat16()
    return statistics.median(fastest(a, b) / fastest(a16, b16) for _ in range(5))


def precision_name(cfg) -> str:
    chosen = precision(cfg.hardware, cfg.training.precision)
    return "bf16 mixed" if chosen["bf16"] else "fp16 mixed" if chosen["fp16"] else "fp32"


def load_tokenizer(path: str):
    from transformers import AutoTokenizer

    from clitron_training.prompt import DEFAULT_CHAT_TEMPLATE

    tokenizer = AutoTokenizer.from_pretrained(path)
    tokenizer.chat_template = tokenizer.chat_template or DEFAULT_CHAT_TEMPLATE
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def tokenize(example: dict, tokenizer, cli_name: str, max_length: int) -> dict:
    """Prompt (masked from the loss) + answer text + end-of-turn token."""
    from clitron_training.prompt import completion, render_prompt

    prompt = render_prompt(tokenizer.chat_template, cli_name, example["input"], tokenizer.bos_token or "")
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    answer_ids = tokenizer(completion(example["output"], example["input"]), add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    ids = (prompt_ids + answer_ids)[:max_length]
    labels = ([-100] * len(prompt_ids) + answer_ids)[:max_length]
    return {"input_ids": ids, "labels": labels, "length": len(ids)}


class CompletionCollator:
    """Right-pads a batch and names the positions whose logits the loss needs: from the earliest
    answer start in the batch to the end (`logits_to_keep`, understood by transformers' models)."""

    def __init__(self, pad_id: int, full_logits: bool = False):
        self.pad_id = pad_id
        self.full_logits = full_logits

    def __call__(self, features: list[dict]) -> dict:
        width = max(len(f["input_ids"]) for f in features)
        ids = torch.full((len(features), width), self.pad_id)
        labels = torch.full((len(features), width), -100)
        mask = torch.zeros((len(features), width), dtype=torch.long)
        for row, f in enumerate(features):
            n = len(f["input_ids"])
            ids[row, :n] = torch.tensor(f["input_ids"])
            labels[row, :n] = torch.tensor(f["labels"])
            mask[row, :n] = 1
        first_answer = 1 if self.full_logits else int((labels != -100).int().argmax(dim=1).min())
        keep = torch.arange(max(first_answer - 1, 0), width - 1)
        return {"input_ids": ids, "attention_mask": mask, "labels": labels, "logits_to_keep": keep}


def completion_loss(outputs, labels, num_items_in_batch=None):
    """Cross-entropy of the kept logits (positions s..L-2) against the tokens they predict
    (s+1..L-1), summed and divided by the answer tokens in the whole accumulated batch."""
    logits = outputs.logits
    targets = labels[:, -logits.shape[1]:].to(logits.device)
    loss = torch.nn.functional.cross_entropy(
        logits.float().reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-100, reduction="sum")
    count = num_items_in_batch if num_items_in_batch is not None else (targets != -100).sum()
    return loss / count


def lora_config(t: TrainingSection, num_layers: int):
    from peft import LoraConfig

    layers = None
    if t.top_layers and t.top_layers < num_layers:
        layers = list(range(num_layers - t.top_layers, num_layers))
    return LoraConfig(r=t.lora_r, lora_alpha=t.lora_alpha, lora_dropout=t.lora_dropout,
                      target_modules=t.lora_target_modules, layers_to_transform=layers, task_type="CAUSAL_LM")


def freeze_below(model, top_layers: int) -> None:
    """Full fine-tuning of the top decoder layers and the final norm only: the backward pass stops
    at the first trainable layer, so the frozen bottom costs a forward pass and nothing more."""
    layers = model.model.layers
    for param in model.parameters():
        param.requires_grad = False
    for module in [*layers[len(layers) - top_layers :], model.model.norm]:
        for param in module.parameters():
            param.requires_grad = True


def checkpoint_complete(checkpoint: Path) -> bool:
    """The Trainer writes trainer_state.json last: a checkpoint whose writing a kill cut short lacks
    it, or holds a truncated one."""
    try:
        json.loads((checkpoint / "trainer_state.json").read_text())
        return True
    except (OSError, ValueError):
        return False


def last_checkpoint(folder: Path) -> str | None:
    """The newest complete Trainer checkpoint, or None; incomplete ones are removed, so the run
    resumes from the one before."""
    newest = None
    for checkpoint in sorted(folder.glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1])):
        if checkpoint_complete(checkpoint):
            newest = checkpoint
        else:
            print(f"removing {checkpoint}: its writing was cut short")
            shutil.rmtree(checkpoint)
    return str(newest) if newest else None


def build_trainer(cfg: SFTConfig, schema, train_rows: list[dict], val_rows: list[dict], output_dir: Path,
                  full_logits: bool = False):
    """The Trainer for a config (also used by the training benchmark, with `full_logits` to measure
    what computing logits only at answer positions saves)."""
    from datasets import Dataset
    from peft import get_peft_model
    from transformers import AutoModelForCausalLM, Trainer, TrainingArguments

    from clitron_training.base_model import resolve
    from clitron_training.tracking import JsonlLogger

    t = cfg.training
    base = resolve(cfg.model.name)
    tokenizer = load_tokenizer(base)
    dtype = torch.float32 if cfg.hardware == "cpu" else "auto"
    model = AutoModelForCausalLM.from_pretrained(base, dtype=dtype, attn_implementation=cfg.model.attn_implementation)
    if t.use_lora:
        model = get_peft_model(model, lora_config(t, model.config.num_hidden_layers))
    elif t.top_layers:
        freeze_below(model, t.top_layers)

    def to_dataset(rows):
        return Dataset.from_list([tokenize(r, tokenizer, schema.cli_name, cfg.data.max_seq_length) for r in rows])

    if cfg.logging.report_to == "wandb":
        os.environ.setdefault("WANDB_PROJECT", cfg.logging.wandb_project)
    args = TrainingArguments(
        output_dir=str(output_dir / "checkpoints"),
        num_train_epochs=t.num_train_epochs,
        max_steps=t.max_steps,
        per_device_train_batch_size=t.per_device_train_batch_size,
        per_device_eval_batch_size=t.per_device_train_batch_size * 2,
        gradient_accumulation_steps=t.gradient_accumulation_steps,
        learning_rate=t.learning_rate,
        warmup_steps=t.warmup_ratio,  # transformers 5: a float below 1 is a ratio of all steps
        lr_scheduler_type=t.lr_scheduler_type,
        optim=t.optim,
        train_sampling_strategy=t.sampling,
        eval_strategy="epoch" if val_rows else "no",
        save_strategy="steps",
        save_steps=t.save_steps,
        save_total_limit=2,
        logging_steps=cfg.logging.logging_steps,
        report_to=cfg.logging.report_to,
        seed=t.seed,
        gradient_checkpointing=False,
        remove_unused_columns=False,
        **precision(cfg.hardware, t.precision),
    )
    trainer = Trainer(
        model=model, args=args, train_dataset=to_dataset(train_rows), eval_dataset=to_dataset(val_rows) if val_rows else None,
        data_collator=CompletionCollator(tokenizer.pad_token_id, full_logits), compute_loss_func=completion_loss,
        callbacks=[JsonlLogger(output_dir / "log.jsonl")],
    )
    return trainer, tokenizer


def final_eval_loss(trainer) -> float | None:
    """The val loss the Trainer logged at the last step (eval_strategy "epoch"), else a fresh evaluation."""
    for record in reversed(trainer.state.log_history):
        if "eval_loss" in record and record.get("step") == trainer.state.global_step:
            return record["eval_loss"]
    return trainer.evaluate()["eval_loss"] if trainer.eval_dataset is not None else None


def run_settings(cfg: SFTConfig) -> dict:
    """What decides an SFT run's result: the config (less logging and the unmerged profiles) and
    the answer text's version."""
    from clitron_training.prompt import ANSWER_FORMAT

    return {**settings_of(cfg, {"logging", "profiles"}), "answer_format": ANSWER_FORMAT}


def finished_run(output_dir: Path, force: bool, settings: dict, hardware: str) -> dict | None:
    """The metrics of a run already finished in `output_dir` with these settings (so it is
    skipped), or None. What is there is removed first with `force`, or when it was trained or begun
    (checkpoints) with other settings or with settings it did not record; `settings.json` then
    records this run's. In a data-parallel run the main process does this first, then the others
    find its record (without that, one process cleared the folder while another wrote to it)."""
    from accelerate import PartialState

    with PartialState(cpu=on_cpu(hardware)).main_process_first():  # the Trainer's own process group
        return _finished_run(output_dir, force, settings)


def _finished_run(output_dir: Path, force: bool, settings: dict) -> dict | None:
    recorded_path = output_dir / "settings.json"
    recorded = json.loads(recorded_path.read_text()) if recorded_path.exists() else {}
    if output_dir.exists() and any(output_dir.iterdir()) and recorded != settings and not force:
        changed = sorted(k for k in settings.keys() | recorded.keys() if settings.get(k) != recorded.get(k))
        why = f"other settings ({', '.join(changed)})" if recorded else "settings it did not record"
        print(f"{output_dir} was trained with {why}: training again")
        force = True
    if force:
        shutil.rmtree(output_dir, ignore_errors=True)
    metrics_path = output_dir / "metrics.json"
    if metrics_path.exists():
        print(f"{output_dir} is trained already: skipping (force to retrain)")
        return json.loads(metrics_path.read_text())
    write_json(recorded_path, settings)
    return None


def train(cfg: SFTConfig, schema_path: Path, output_dir: Path, force: bool = False) -> dict:
    from clitron_training.evaluate import exact_match
    from clitron_training.tracking import plot_losses

    if (done := finished_run(output_dir, force, run_settings(cfg), cfg.hardware)) is not None:
        return done
    metrics_path = output_dir / "metrics.json"
    schema = load_schema(schema_path)
    train_rows = read_examples(Path(cfg.data.train_file))
    val_rows = read_examples(Path(cfg.data.validation_file))
    t = cfg.training
    if t.max_train_examples:
        train_rows = train_rows[: t.max_train_examples]
    scored = val_rows[: cfg.eval.max_examples or None]
    print(f"sft: base {cfg.model.name}, {len(train_rows)} train / {len(val_rows)} val examples, "
          f"profile {cfg.hardware}, {torch.get_num_threads()} threads, {precision_name(cfg)}")
    output_dir.mkdir(parents=True, exist_ok=True)
    trainer, tokenizer = build_trainer(cfg, schema, train_rows, scored, output_dir)
    resume = last_checkpoint(output_dir / "checkpoints")
    if resume:
        print(f"resuming from {resume}")
    started = time.monotonic()
    result = trainer.train(resume_from_checkpoint=resume)
    seconds = time.monotonic() - started
    eval_loss = final_eval_loss(trainer)
    if not trainer.is_world_process_zero():  # data-parallel runs: one process writes the results
        return {}

    model = trainer.model
    if t.use_lora:
        model.save_pretrained(output_dir / "adapter")
        model = model.merge_and_unload()
    model.save_pretrained(output_dir)
    tokenizer.save_pretrained(output_dir)
    start_step = int(resume.rsplit("-", 1)[1]) if resume else 0
    lengths = trainer.train_dataset["length"]
    examples_seen = ((result.global_step - start_step) * t.per_device_train_batch_size
                     * t.gradient_accumulation_steps * trainer.args.world_size)
    tokens = examples_seen * sum(lengths) / len(lengths)
    metrics = {
        "base_model": cfg.model.name,
        "profile": cfg.hardware,
        "processes": trainer.args.world_size,
        "precision": precision_name(cfg),
        "train_examples": len(train_rows),
        "epochs": t.num_train_epochs,
        "steps": result.global_step,
        "train_seconds": round(seconds, 1),
        "tokens_per_second": round(tokens / seconds, 1),
        "train_loss": round(result.training_loss, 4),
        "eval_loss": round(eval_loss, 4) if eval_loss is not None else None,
        "val": exact_match(output_dir, schema, scored),
    }
    plot_losses(output_dir / "log.jsonl", output_dir / "loss.png", "SFT")
    write_json(metrics_path, metrics)
    print(f"sft: {metrics['steps']} steps in {seconds:.0f}s ({metrics['tokens_per_second']} tokens/s), "
          f"val exact match {metrics['val']['exact_canonical']:.3f} on {metrics['val']['examples']}; model in {output_dir}")
    return metrics


@click.command(context_settings={"ignore_unknown_options": True})
@click.option("--config", type=click.Path(path_type=Path), default="./configs/sft_config.yaml", show_default=True)
@click.option("--schema", "schema_path", type=click.Path(path_type=Path), required=True)
@click.option("--data-dir", type=click.Path(path_type=Path), help="folder with train.jsonl and train_val.jsonl")
@click.option("--output-dir", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="retrain from scratch")
@click.argument("overrides", nargs=-1)
def main(config, schema_path, data_dir, output_dir, force, overrides):
    """LoRA SFT of the base model on a CLI's training data."""
    overrides = list(overrides)
    if data_dir:
        overrides += [f"data.train_file={data_dir / 'train.jsonl'}", f"data.validation_file={data_dir / 'train_val.jsonl'}"]
    if output_dir:
        overrides.append(f"training.output_dir={output_dir}")
    cfg = load_config(SFTConfig, config, overrides)
    train(cfg, schema_path, Path(cfg.training.output_dir), force=force)


if __name__ == "__main__":
    run(main)
