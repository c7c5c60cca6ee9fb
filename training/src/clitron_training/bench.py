"""Benchmarks: they print figures (tests check behaviour, benchmarks measure it).

  python -m clitron_training.bench generate [--num 10000]       offline teacher throughput
  python -m clitron_training.bench train --data FILE [--ablations]  SFT tokens/s: ours vs plain TRL
  python -m clitron_training.bench infer --schema S --model GGUF|DIR --data FILE  latency: engine vs plain
  python -m clitron_training.bench accuracy|quant|ablate --schema S   accuracy, baselines, ablations
  python -m clitron_training.bench report                           docs/benchmarks.md from docs/bench/

Each prints a Markdown table and, with --json-out, writes the figures for docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import click

from clitron_training.entry import run
from clitron_training.io import read_examples, write_json
from clitron_training.schema import SCHEMAS_DIR, load_schema


@lru_cache(maxsize=1)
def machine() -> str:
    gpu = "no GPU"
    try:
        import torch

        if torch.cuda.is_available():
            gpu = torch.cuda.get_device_name(0)
    except ImportError:
        pass
    return f"{os.cpu_count()} CPU cores ({cpu_name()}, {platform.machine()}), {gpu}"


def cpu_name() -> str:
    """The CPU's model name where Linux tells it: CPUs of one architecture train at very different
    speeds (an Intel one with AMX ran the gh SFT at 637 tokens/s, an AMD EPYC without AMX at 302)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def emit(title: str, header: list[str], rows: list[list], json_out: Path | None, extra: dict) -> None:
    click.echo(f"\n{title} — {machine()}\n")
    click.echo("| " + " | ".join(header) + " |")
    click.echo("|" + "---|" * len(header))
    for row in rows:
        click.echo("| " + " | ".join(str(c) for c in row) + " |")
    if json_out:
        write_json(json_out, {"title": title, "machine": machine(), "header": header, "rows": rows, **extra})


@click.group()
def main():
    """clitron benchmarks."""


@main.command()
@click.option("--num", default=10000, show_default=True)
@click.option("--json-out", type=click.Path(path_type=Path))
def generate(num, json_out):
    """Offline-teacher data generation throughput (the whole stage: plan, write, validate, clean)."""
    from clitron_training.generate_dataset import GenerateConfig
    from clitron_training.generate_dataset import generate as run_stage

    rows = []
    for name in ("gh", "docker"):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            report = run_stage(SCHEMAS_DIR / f"{name}.yaml", Path(tmp) / "train.jsonl", GenerateConfig(num_examples=num, teacher="offline"))
            seconds = time.perf_counter() - started
        d = report["diversity"]
        rows.append([name, num, round(seconds, 1), round(num / seconds), d["unique_input_ratio"], d["distinct_1"], d["distinct_2"],
                     d["distinct_3"], f"{report['coverage']['commands_covered']}/{report['coverage']['commands_total']}"])
    emit(f"Offline data generation, {num} examples", ["schema", "examples", "seconds", "examples/s", "unique inputs",
         "distinct-1", "distinct-2", "distinct-3", "commands covered"], rows, json_out, {})


def _plain_trl(base: str, rows: list[dict], cli_name: str, out: Path, fp32: bool = False) -> float:
    """Seconds for one epoch of TRL's SFTTrainer with its defaults (bf16, gradient checkpointing) and
    the spec's LoRA; with `fp32`, in fp32 (what plain TRL needs on CPUs where bf16 is slow)."""
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    from clitron_training.prompt import completion, messages

    data = Dataset.from_list([{"prompt": messages(cli_name, r["input"]),
                               "completion": [{"role": "assistant", "content": completion(r["output"], r["input"])}]} for r in rows])
    model = AutoModelForCausalLM.from_pretrained(base)
    args = SFTConfig(output_dir=str(out), num_train_epochs=1, use_cpu=True, report_to="none", save_strategy="no",
                     logging_steps=1000, disable_tqdm=True, **({"bf16": False} if fp32 else {}))
    lora = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05, target_modules=["q_proj", "v_proj", "k_proj", "o_proj"],
                      task_type="CAUSAL_LM")
    trainer = SFTTrainer(model=model, args=args, train_dataset=data, processing_class=AutoTokenizer.from_pretrained(base),
                         peft_config=lora)
    return trainer.train().metrics["train_runtime"]


def _ours(rows: list[dict], schema, out: Path, overrides: list[str], full_logits: bool = False) -> tuple[float, int]:
    from clitron_training.config import CONFIGS_DIR, load_config
    from clitron_training.train_sft import SFTConfig, build_trainer

    cfg = load_config(SFTConfig, CONFIGS_DIR / "sft_config.yaml",
                      ["training.num_train_epochs=1", "training.save_steps=100000", "logging.logging_steps=1000", *overrides])
    trainer, _ = build_trainer(cfg, schema, rows, [], out, full_logits=full_logits)
    trainer.args.disable_tqdm = True
    seconds = trainer.train().metrics["train_runtime"]
    return seconds, sum(trainer.train_dataset["length"])


@main.command()
@click.option("--data", type=click.Path(exists=True, path_type=Path), required=True, help="a train.jsonl")
@click.option("--schema", "schema_name", default="gh", show_default=True)
@click.option("--examples", default=256, show_default=True, help="examples per run (one epoch)")
@click.option("--ablations", is_flag=True, help="also measure ours with each speed-up turned off")
@click.option("--json-out", type=click.Path(path_type=Path))
def train(data, schema_name, examples, ablations, json_out):
    """SFT tokens/s: the project's trainer (CPU profile) against plain TRL SFTTrainer, same data."""
    import torch

    from clitron_training.base_model import resolve

    schema = load_schema(SCHEMAS_DIR / f"{schema_name}.yaml")
    rows = read_examples(data)[:examples]
    base = resolve("smollm2-135m-instruct")
    variants = [("clitron (CPU profile)", ["hardware=cpu"], False)]
    if ablations:
        variants += [("  without answer-only logits", ["hardware=cpu"], True),
                     ("  without top-layer freezing (all 30 layers trained)", ["hardware=cpu", "training.top_layers=null"], False),
                     ("  without length grouping", ["hardware=cpu", "training.sampling=random"], False),
                     ("  batch 8 instead of 16", ["hardware=cpu", "training.per_device_train_batch_size=8"], False),
                     ("  fp32 instead of bf16 mixed precision", ["hardware=cpu", "training.precision=fp32"], False),
                     ("  sdpa attention instead of eager", ["hardware=cpu", "model.attn_implementation=sdpa"], False)]
    results = []
    tokens = None
    with tempfile.TemporaryDirectory() as tmp:
        for label, overrides, full in variants:
            seconds, tokens = _ours(rows, schema, Path(tmp) / str(len(results)), overrides, full)
            results.append([label, round(seconds, 1), round(tokens / seconds, 1)])
            click.echo(f"{label}: {seconds:.1f}s", err=True)
        fp32 = _plain_trl(base, rows, schema.cli_name, Path(tmp) / "trl-fp32", fp32=True)
        results.append(["plain TRL SFTTrainer, fp32 (spec LoRA)", round(fp32, 1), round(tokens / fp32, 1)])
        seconds = _plain_trl(base, rows, schema.cli_name, Path(tmp) / "trl")
        results.append(["plain TRL SFTTrainer, its defaults (bf16, gradient checkpointing, spec LoRA)", round(seconds, 1),
                        round(tokens / seconds, 1)])
    speedup = round(results[-1][1] / results[0][1], 2)
    rows_out = [[*r, f"{round(results[-1][1] / r[1], 2)}x"] for r in results]
    emit(f"SFT throughput, {len(rows)} examples x 1 epoch, SmolLM2-135M, {torch.get_num_threads()} threads, "
         f"{tokens} tokens", ["trainer", "seconds", "tokens/s", "vs plain TRL"], rows_out, json_out, {"speedup": speedup})


@main.command()
@click.option("--schema", "schema_name", default="gh", show_default=True)
@click.option("--model", type=click.Path(exists=True, path_type=Path), required=True,
              help="a GGUF, or a models folder (training/models/{name}) for its model at --quant")
@click.option("--quant", default="auto", show_default=True, help="the level, with a models folder")
@click.option("--data", type=click.Path(exists=True, path_type=Path), required=True, help="requests: a JSONL of examples")
@click.option("--n", default=50, show_default=True)
@click.option("--json-out", type=click.Path(path_type=Path))
def infer(schema_name, model, quant, data, n, json_out):
    """Latency per request: the project's engine against plain llama-cpp-python with a generic JSON grammar."""
    from clitron_training import command as cmdlib
    from clitron_training.engine import Engine
    from clitron_training.quantize import quantized_path

    if model.is_dir():
        model = quantized_path(model, schema_name, quant)

    schema = load_schema(SCHEMAS_DIR / f"{schema_name}.yaml")
    rows = read_examples(data)[:n]

    engine, speculating = Engine(model, schema), Engine(model, schema, speculate=True)

    def measure(engine) -> list:
        engine.translate("warm up")
        return [engine.translate(r["input"]) for r in rows]

    def row(label: str, answers: list) -> list:
        hits = sum(cmdlib.equal(a.command, r["output"], schema) for a, r in zip(answers, rows))
        return [label, *_pcts([a.seconds for a in answers]), round(hits / len(rows), 3),
                round(statistics.mean(a.batches for a in answers), 1), round(statistics.mean(a.evaluated_tokens for a in answers), 1)]

    default, speculative = measure(engine), measure(speculating)
    table = [row("clitron engine (schema grammar, jump-forward, prefix cache)", default),
             row("  the same, with speculative decoding (prompt-lookup guesses)", speculative)]
    plain, plain_hits = _plain_llama(model, schema, rows)
    table.append(["plain llama-cpp-python (generic JSON grammar)", *_pcts(plain), round(plain_hits / len(rows), 3), "", ""])
    speedup = round(1000 * statistics.median(plain) / table[0][1], 1)
    per_call, per_token = _cost_model(default + speculative)
    calls = _decode_call_ms(engine, rows[0]["input"])
    emit(f"Inference latency per request, {len(rows)} requests, {model.name}",
         ["engine", "p50 ms", "p95 ms", "exact match", "decode batches", "tokens evaluated"], table, json_out,
         {"speedup_p50": speedup, "cost_model_ms": {"per_decode_call": per_call, "per_evaluated_token": per_token},
          "decode_call_ms_by_tokens": calls})
    click.echo(f"\np50 speed-up: {speedup}x\n"
               f"cost model (least squares over both engine runs): request time = {per_call} ms per decode call "
               f"+ {per_token} ms per evaluated token\n"
               f"one llama.cpp decode call, by tokens evaluated (median ms): {calls}")


def _decode_call_ms(engine, request: str) -> dict[int, float]:
    """The median time of one llama.cpp decode call that evaluates 1, 4 or 16 tokens after a
    request's prompt: what a step of one token costs, against the same tokens in one batch."""
    prompt = engine.prompt_tokens(request)
    engine._decode(0, prompt, len(prompt) - 1)
    costs = {}
    for n in (1, 4, 16):
        times = []
        for _ in range(15):
            started = time.perf_counter()
            engine._decode(len(prompt), prompt[-n:], n - 1)
            times.append(time.perf_counter() - started)
        costs[n] = round(1000 * statistics.median(times), 1)
    return costs


def _cost_model(answers: list) -> tuple[float, float]:
    """Milliseconds per llama.cpp decode call and per token evaluated, fitted to the requests'
    times: where the latency goes, and so what a faster engine would have to cut."""
    import numpy as np

    design = np.array([[a.batches, a.evaluated_tokens] for a in answers], dtype=float)
    times = np.array([1000 * a.seconds for a in answers])
    (per_call, per_token), *_ = np.linalg.lstsq(design, times, rcond=None)
    return round(float(per_call), 1), round(float(per_token), 2)


def _pcts(seconds: list[float]) -> list[float]:
    ordered = sorted(seconds)
    return [round(1000 * statistics.median(ordered), 1), round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1)]


# The answer's shape (prompt.completion) as a JSON schema: any keys, any values.
GENERIC_ANSWER_SCHEMA = {"type": "object", "additionalProperties": {"type": "object"}}


def _plain_llama(model: Path, schema, rows: list[dict]) -> tuple[list[float], int]:
    """The obvious way: llama-cpp-python's completion API, a JSON-schema grammar, same prompt."""
    from llama_cpp import Llama, LlamaGrammar

    from clitron_training import command as cmdlib
    from clitron_training.prompt import read_completion, render_prompt
    from clitron_training.validate import check_command

    llm = Llama(str(model), n_ctx=512, n_threads=os.cpu_count(), verbose=False)
    grammar = LlamaGrammar.from_json_schema(json.dumps(GENERIC_ANSWER_SCHEMA), verbose=False)
    template = llm.metadata["tokenizer.chat_template"]
    seconds, hits = [], 0
    for r in rows:
        started = time.perf_counter()
        out = llm.create_completion(render_prompt(template, schema.cli_name, r["input"]), max_tokens=96,
                                    temperature=0, grammar=grammar)
        seconds.append(time.perf_counter() - started)
        try:
            command = read_completion(out["choices"][0]["text"], schema)
        except ValueError:
            continue
        if check_command(command, schema) is None:
            hits += cmdlib.equal(command, r["output"], schema)
    return seconds, hits


def retrieval_predictions(train_rows: list[dict], test_rows: list[dict]) -> list[dict]:
    """Baseline: the command of the nearest training input by BM25."""
    from rank_bm25 import BM25Okapi

    from clitron_training.validate import normalise

    index = BM25Okapi([normalise(r["input"]).split() for r in train_rows])
    out = []
    for row in test_rows:
        scores = index.get_scores(normalise(row["input"]).split())
        out.append(train_rows[int(scores.argmax())]["output"])
    return out


def few_shot_shots(schema, train_rows: list[dict], k: int) -> tuple:
    """k training examples with different command paths, for the untrained model's prompt."""
    from clitron_training.command import path_of

    seen, shots = set(), []
    for row in train_rows:
        path = path_of(row["output"])
        if path not in seen:
            seen.add(path)
            shots.append((row["input"], row["output"]))
        if len(shots) == k:
            break
    return tuple(shots)


@main.command()
@click.option("--schema", "schema_name", default="gh", show_default=True)
@click.option("--max-val", default=200, show_default=True, help="val examples for the baselines")
@click.option("--shots", default=8, show_default=True)
@click.option("--json-out", type=click.Path(path_type=Path))
def accuracy(schema_name, max_val, shots, json_out):
    """Accuracy of the trained models (from their eval report) beside the baselines, on val and the human set."""
    from clitron_training.base_model import EMBEDDED, gguf_path
    from clitron_training.config import TRAINING_DIR
    from clitron_training.engine import Engine
    from clitron_training.evaluate import score

    schema = load_schema(SCHEMAS_DIR / f"{schema_name}.yaml")
    data = TRAINING_DIR / "data" / schema_name
    train_rows = read_examples(data / "train.jsonl")
    sets = {"val": read_examples(data / "train_val.jsonl")[:max_val]}
    human = TRAINING_DIR.parent / "testsets" / f"{schema_name}.jsonl"
    if human.exists():
        sets[human.stem + " (human)"] = read_examples(human)
    report_path = TRAINING_DIR / "models" / schema_name / "eval" / "report.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else {"models": {}}
    results = {}
    for model, per_set in report["models"].items():
        results[model] = {name: per_set.get("val" if name == "val" else Path(human).stem, {}) for name in sets}
    engine = Engine(gguf_path(EMBEDDED["smollm2-135m-instruct"]), schema, shots=few_shot_shots(schema, train_rows, shots))
    results[f"baseline: untrained base, {shots}-shot, same grammar"] = {}
    results["baseline: BM25 nearest training input"] = {}
    for name, rows in sets.items():
        answers = [engine.translate(r["input"]) for r in rows]
        results[f"baseline: untrained base, {shots}-shot, same grammar"][name] = score(
            rows, [a.command for a in answers], schema, [a.seconds for a in answers])
        results["baseline: BM25 nearest training input"][name] = score(rows, retrieval_predictions(train_rows, rows), schema)
    table = []
    for model, per_set in results.items():
        for name, m in per_set.items():
            if m:
                table.append([model, name, m["examples"], m["exact_canonical"], m["exact_strict"],
                              m["field_accuracy"]["command_path"], m["field_accuracy"]["args_given_path"], m["schema_validity"]])
    emit(f"Accuracy, {schema_name}", ["model", "test set", "n", "exact (canonical)", "exact (strict)", "command path",
         "args (given path)", "schema valid"], table, json_out, {"results": results})


@main.command()
@click.option("--schema", "schema_name", default="gh", show_default=True)
@click.option("--n", default=200, show_default=True, help="val examples per quantization")
@click.option("--json-out", type=click.Path(path_type=Path))
def quant(schema_name, n, json_out):
    """Ablation: exact match, latency and size of each quantization of the final model."""
    from clitron_training.config import TRAINING_DIR
    from clitron_training.evaluate import predict_gguf, score
    from clitron_training.quantize import FTYPES, final_checkpoint, quantize_file, convert

    schema = load_schema(SCHEMAS_DIR / f"{schema_name}.yaml")
    models = TRAINING_DIR / "models" / schema_name
    rows = read_examples(TRAINING_DIR / "data" / schema_name / "train_val.jsonl")[:n]
    def stale(path: Path, source: Path) -> bool:  # missing, or made from an older model
        return not path.exists() or path.stat().st_mtime_ns < source.stat().st_mtime_ns

    checkpoint = final_checkpoint(models)
    f16 = models / f"clitron-{schema_name}-f16.gguf"
    if stale(f16, checkpoint / "model.safetensors"):
        convert(checkpoint, f16)
    table = []
    for level in FTYPES:
        path = models / f"clitron-{schema_name}-{level}.gguf"
        if stale(path, f16):
            quantize_file(f16, path, level)
        predictions, seconds = predict_gguf(path, schema, rows)
        m = score(rows, predictions, schema, seconds)
        table.append([level, round(path.stat().st_size / 2**20, 1), m["exact_canonical"], m["latency_ms"]["p50"], m["latency_ms"]["p95"]])
    emit(f"Quantization levels, {schema_name} val ({len(rows)} examples)", ["quant", "size MB", "exact (canonical)",
         "p50 ms", "p95 ms"], table, json_out, {})


def _stage(module: str, *args: str) -> dict:
    """Run one pipeline stage in its own process (as the pipeline does) and read its metrics.json."""
    import subprocess
    import sys

    from clitron_training.config import TRAINING_DIR

    subprocess.run([sys.executable, "-m", f"clitron_training.{module}", *args], cwd=TRAINING_DIR, check=True)
    out = Path(args[args.index("--output-dir") + 1])
    return json.loads(((TRAINING_DIR / out) / "metrics.json").read_text())


@main.command()
@click.option("--schema", "schema_name", default="gh", show_default=True)
@click.option("--sizes", default="1000,3000", show_default=True, help="SFT training-set sizes besides the pipeline's own")
@click.option("--json-out", type=click.Path(path_type=Path))
def ablate(schema_name, sizes, json_out):
    """Which parts earn their keep, on the same val examples: training-set size (SFT), DPO after SFT,
    and DPO with the schema's hard negatives against DPO on the SFT model's own mistakes only."""
    from clitron_training.config import TRAINING_DIR
    from clitron_training.io import read_jsonl, write_jsonl

    models, data = TRAINING_DIR / "models" / schema_name, TRAINING_DIR / "data" / schema_name
    work = models / "ablations"
    schema = ["--schema", str(SCHEMAS_DIR / f"{schema_name}.yaml")]
    sft, dpo = (json.loads((models / s / "metrics.json").read_text()) for s in ("sft", "dpo"))
    runs = [(f"SFT, {n} examples", _stage("train_sft", "--config", "configs/sft_config.yaml", *schema, "--data-dir", str(data),
                                         "--output-dir", str(work / f"sft-{n}"), f"training.max_train_examples={n}"))
            for n in map(int, sizes.split(","))]
    runs.append((f"SFT, {sft['train_examples']} examples (the pipeline's)", sft))
    runs.append(("SFT + DPO, hard negatives and model mistakes (the pipeline's)", dpo))
    mistakes = work / "preferences-model-mistakes.jsonl"
    write_jsonl(mistakes, [p for p in read_jsonl(data / "preferences.jsonl") if p["kind"] == "model"])
    runs.append(("SFT + DPO, model mistakes only (no hard negatives)",
                 _stage("train_dpo", "--config", "configs/dpo_config.yaml", *schema, "--model-dir", str(models / "sft"),
                        "--output-dir", str(work / "dpo-mistakes-only"), "--preference-file", str(mistakes),
                        f"data.validation_file={data / 'train_val.jsonl'}")))
    table = [[label, m.get("train_examples", m.get("pairs")), m["val"]["examples"], m["val"]["exact_canonical"],
              m["val"]["schema_valid"], m.get("train_seconds")] for label, m in runs]
    emit(f"Ablations, {schema_name} val (HF models, greedy, no grammar)", ["variant", "examples or pairs", "val n",
         "exact (canonical)", "schema valid", "train seconds"], table, json_out, {})


SECTIONS = [  # (file in docs/bench, the command that produces it)
    ("pipeline-{name}.json", "just train name={name}"),
    ("generate.json", "just bench-generate"),
    ("train.json", "just bench-train name={name}"),
    ("infer-{name}.json", "just bench-infer name={name}"),
    ("accuracy-{name}.json", "just bench-accuracy name={name}"),
    ("quant-{name}.json", "just bench-quant name={name}"),
    ("ablate-{name}.json", "just bench-ablate name={name}"),
]


def table_markdown(data: dict) -> str:
    """The table, then the benchmark's other figures (speed-up, cost model, ...) one per line;
    nested detail (per-set results) stays in the JSON."""

    def scalar(value) -> bool:
        return not isinstance(value, (dict, list))

    def flat(value) -> bool:
        return scalar(value) or (isinstance(value, dict) and all(map(scalar, value.values())))

    lines = ["| " + " | ".join(data["header"]) + " |", "|" + "---|" * len(data["header"])]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in data["rows"]]
    extra = {k: v for k, v in data.items() if k not in ("title", "machine", "header", "rows") and flat(v)}
    lines += [""] if extra else []
    for key, value in extra.items():
        shown = ", ".join(f"{k} {v}" for k, v in value.items()) if isinstance(value, dict) else value
        lines.append(f"- {key.replace('_', ' ')}: {shown}")
    return "\n".join(lines)


def keep_stage_times(times: Path, kept: Path, name: str) -> None:
    """Copy a pipeline's stage times (models/{name}/stage_times.json) into docs/bench as a table, so
    a report made where that model is missing still shows the last times measured."""
    if not times.exists():
        return
    stages = json.loads(times.read_text())
    write_json(kept, {"title": f"Pipeline wall time per stage, {name}", "machine": machine(),
                      "header": ["stage", "seconds"],
                      "rows": [*([k, v] for k, v in stages.items()), ["total", round(sum(stages.values()), 1)]]})


@main.command()
@click.option("--names", default="gh,docker", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=Path("../docs/benchmarks.md"), show_default=True)
def report(names, out):
    """Assemble docs/benchmarks.md from the figures in docs/bench/ (and the pipelines' stage times)."""
    from clitron_training.config import TRAINING_DIR
    from clitron_training.io import write_atomic

    bench_dir = out.parent / "bench"
    parts = ["# Benchmarks", "",
             "Every figure below was measured by the command shown above its table, on the machine named in its "
             "heading; none is copied from elsewhere. `just bench name=NAME` reruns them all.", ""]
    notes = bench_dir / "notes.md"  # hand-written: conditions of the runs (was the machine quiet?)
    if notes.exists():
        parts += [notes.read_text().strip(), ""]
    for name in names.split(","):
        keep_stage_times(TRAINING_DIR / "models" / name / "stage_times.json", bench_dir / f"pipeline-{name}.json", name)
    seen = set()
    for name in names.split(","):
        for file, command in SECTIONS:
            path = bench_dir / file.format(name=name)
            if path in seen or not path.exists():
                continue
            seen.add(path)
            data = json.loads(path.read_text())
            parts += [f"## {data['title']}", "", f"Command: `{command.format(name=name)}`  ", f"Machine: {data['machine']}", "",
                      table_markdown(data), ""]
    write_atomic(out, "\n".join(parts) + "\n")
    write_json(out.with_suffix(".json"), {p.name: json.loads(p.read_text()) for p in sorted(bench_dir.glob("*.json"))})
    click.echo(f"wrote {out}")


if __name__ == "__main__":
    run(main)
