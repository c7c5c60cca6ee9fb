"""Evaluation: SFT, DPO and GGUF models side by side, on train_val.jsonl and any test files.

Reads  {model_dir}/sft, {model_dir}/dpo (HF, unconstrained greedy decoding), {model_dir}/clitron-{name}-{quant}.gguf
       (the engine, grammar-constrained), {data_dir}/train_val.jsonl, --test-file FILE ...
Writes {model_dir}/eval/report.json   every metric below, per model and test set
       {model_dir}/eval/summary.md    the same as tables
       {model_dir}/eval/*.png         loss curves, per-command accuracy
       each model's stored answers (`model_answers`): answers the stages already gave are reused

Metrics: exact match (strict JSON and canonical), JSON and schema validity, per-field accuracy
(command, command path, each arg, flags), per-command accuracy and the worst confusions, latency
p50/p95, HF perplexity on val, and train/val loss from the training logs.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import time
from collections import Counter, defaultdict
from pathlib import Path

import click

from clitron_training import command as cmdlib
from clitron_training.entry import run
from clitron_training.io import read_examples, write_atomic, write_json
from clitron_training.prompt import read_completion
from clitron_training.schema import Schema, load_schema
from clitron_training.validate import check_output


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def score(examples: list[dict], predictions: list, schema: Schema, seconds: list[float] | None = None) -> dict:
    """Metrics of predictions (answer text, or command JSON / None) against gold examples."""
    n = max(len(examples), 1)
    totals = Counter()
    arg_hits, arg_seen = Counter(), Counter()
    per_command = defaultdict(lambda: [0, 0])
    confusions = Counter()
    for example, pred in zip(examples, predictions):
        gold = cmdlib.canonical(example["output"], schema)
        gold_path = " ".join(cmdlib.path_of(gold))
        per_command[gold_path][1] += 1
        if isinstance(pred, str):
            try:
                pred = read_completion(pred, schema)
            except ValueError:
                confusions[(gold_path, "<invalid JSON>")] += 1
                continue
        if pred is not None:
            totals["strict"] += pred == example["output"]
        if pred is None:
            confusions[(gold_path, "<no answer>")] += 1
            continue
        totals["json_valid"] += 1
        if check_output(pred, schema) is not None:
            confusions[(gold_path, "<schema-invalid>")] += 1
            continue
        totals["schema_valid"] += 1
        got = cmdlib.canonical(pred, schema)
        got_path = " ".join(cmdlib.path_of(got))
        totals["command"] += got["command"] == gold["command"]
        if got_path != gold_path:
            confusions[(gold_path, got_path)] += 1
        else:
            totals["path"] += 1
            for name in set(gold["args"]) | set(got["args"]):
                arg_seen[name] += 1
                arg_hits[name] += gold["args"].get(name) == got["args"].get(name)
            totals["args"] += gold["args"] == got["args"]
            totals["flags"] += gold["flags"] == got["flags"]
        if got == gold:
            totals["canonical"] += 1
            per_command[gold_path][0] += 1
    result = {
        "examples": len(examples),
        "exact_strict": round(totals["strict"] / n, 4),
        "exact_canonical": round(totals["canonical"] / n, 4),
        "json_validity": round(totals["json_valid"] / n, 4),
        "schema_validity": round(totals["schema_valid"] / n, 4),
        "field_accuracy": {
            "command": round(totals["command"] / n, 4),
            "command_path": round(totals["path"] / n, 4),
            "args_given_path": round(totals["args"] / max(totals["path"], 1), 4),
            "flags_given_path": round(totals["flags"] / max(totals["path"], 1), 4),
        },
        "arg_accuracy": {k: round(arg_hits[k] / arg_seen[k], 4) for k in sorted(arg_seen)},
        "per_command": {k: {"correct": c, "total": t, "accuracy": round(c / t, 4)} for k, (c, t) in sorted(per_command.items())},
        "worst_confusions": [{"gold": g, "predicted": p, "count": c} for (g, p), c in confusions.most_common(10)],
    }
    if seconds:
        result["latency_ms"] = {"p50": round(1000 * percentile(seconds, 0.5), 1), "p95": round(1000 * percentile(seconds, 0.95), 1)}
    return result


def load_checkpoint(model_path: Path):
    """An HF checkpoint in fp32 (the weights the GGUF is made from) and its tokenizer."""
    import torch
    from transformers import AutoModelForCausalLM

    from clitron_training.train_sft import load_tokenizer

    return AutoModelForCausalLM.from_pretrained(model_path, dtype=torch.float32), load_tokenizer(str(model_path))


def predict_hf(model_path: Path, schema: Schema, examples: list[dict]) -> tuple[list[str], list[float]]:
    """Greedy answers of an HF checkpoint (unconstrained) and per-example time (batch time shared out)."""
    from clitron_training.hf_infer import generate

    model, tokenizer = load_checkpoint(model_path)
    started = time.perf_counter()
    answers = generate(model, tokenizer, schema.cli_name, [e["input"] for e in examples])
    each = (time.perf_counter() - started) / max(len(examples), 1)
    return answers, [each] * len(examples)


def perplexity_hf(model_path: Path, schema: Schema, examples: list[dict]) -> float:
    """Perplexity of an HF checkpoint on the examples' answers (prompt format from prompt.py)."""
    import torch

    from clitron_training.train_sft import CompletionCollator, completion_loss, tokenize

    model, tokenizer = load_checkpoint(model_path)
    collate = CompletionCollator(tokenizer.pad_token_id)
    nll = tokens = 0.0
    with torch.inference_mode():
        for start in range(0, len(examples), 32):
            batch = collate([tokenize(e, tokenizer, schema.cli_name, 512) for e in examples[start : start + 32]])
            labels = batch.pop("labels")
            count = int((labels != -100).sum())
            nll += float(completion_loss(model(**batch), labels)) * count
            tokens += count
    return math.exp(nll / max(tokens, 1))


def predict_gguf(model_path: Path, schema: Schema, examples: list[dict]) -> tuple[list, list[float]]:
    """Answers of a GGUF model through the engine (grammar-constrained) and per-request time."""
    from clitron_training.engine import Engine

    engine = Engine(model_path, schema)
    engine.translate("warm up")
    answers = [engine.translate(e["input"]) for e in examples]
    return [a.command for a in answers], [a.seconds for a in answers]


def examples_digest(examples: list[dict]) -> str:
    """Names a set of examples, so a stored answer or score can be matched to the set it covers."""
    return hashlib.sha256(json.dumps(examples, sort_keys=True).encode()).hexdigest()[:16]


def answers_file(model_path: Path) -> Path:
    """Where a model's answers are kept: answers.json in a checkpoint folder, {stem}.answers.json beside a GGUF."""
    return model_path / "answers.json" if model_path.is_dir() else model_path.with_name(model_path.stem + ".answers.json")


def fingerprint(model_path: Path) -> str:
    """Size and modification time of the model's weights: any retraining or requantizing changes it."""
    weights = sorted(model_path.glob("*.safetensors")) if model_path.is_dir() else [model_path]
    return ";".join(f"{w.name}:{w.stat().st_size}:{w.stat().st_mtime_ns}" for w in weights)


def decoder_digest(gguf: bool) -> str:
    """Names the code that turns a model into answers (the engine, grammar and value check for a
    GGUF), so answers that other code gave are not reused."""
    from clitron_training import command, engine, grammar, hf_infer, prompt

    modules = (engine, grammar, command, prompt) if gguf else (hf_infer, prompt)
    return hashlib.sha256(b"".join(Path(m.__file__).read_bytes() for m in modules)).hexdigest()[:12]


def model_answers(model_path: Path, schema: Schema, examples: list[dict]) -> tuple[list, list[float]]:
    """The model's answers (HF checkpoint folder or GGUF file) and per-example seconds, computed once:
    the SFT, DPO and quantize stages score val, and eval reuses those answers instead of generating
    them again (each HF pass over 200 val examples takes about 80 s on 2 CPU cores). A stored entry
    counts only for the same weights (`fingerprint`), decoded by the same code (`decoder_digest`),
    on the same examples (`examples_digest`)."""
    gguf = model_path.suffix == ".gguf"
    predict = predict_gguf if gguf else predict_hf
    if not model_path.exists():  # a hub id: nowhere to keep answers
        return predict(model_path, schema, examples)
    path, made_by = answers_file(model_path), f"{fingerprint(model_path)}|{decoder_digest(gguf)}"
    key = f"{made_by}|{examples_digest(examples)}"
    try:
        stored = json.loads(path.read_text())
    except (OSError, ValueError):
        stored = {}
    if key not in stored:
        predicted, seconds = predict(model_path, schema, examples)
        stored = {k: v for k, v in stored.items() if k.rsplit("|", 1)[0] == made_by}  # drop other weights' or code's
        stored[key] = {"answers": predicted, "seconds": seconds}
        write_json(path, stored)
    return stored[key]["answers"], stored[key]["seconds"]


def exact_match(model_path: Path, schema: Schema, examples: list[dict]) -> dict:
    """Strict (same JSON) and canonical (semantically equal) exact match of a model's answers, with
    the digest of the examples scored."""
    m = score(examples, model_answers(model_path, schema, examples)[0], schema)
    return {"examples": len(examples), "digest": examples_digest(examples), "exact_strict": m["exact_strict"],
            "exact_canonical": m["exact_canonical"], "schema_valid": m["schema_validity"]}


def quantized_from(model_dir: Path) -> str | None:
    """Which HF checkpoint (sft or dpo) the GGUF was converted from, per quantize_report.json."""
    path = model_dir / "quantize_report.json"
    return Path(json.loads(path.read_text())["source"]).name if path.exists() else None


def plot_per_command(report: dict, png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    models = {m: sets["val"]["per_command"] for m, sets in report["models"].items() if "val" in sets}
    if not models:
        return
    commands = sorted({c for per in models.values() for c in per})
    fig, ax = plt.subplots(figsize=(max(8, len(commands) * 0.18), 4))
    width = 0.8 / len(models)
    for i, (name, per) in enumerate(models.items()):
        ax.bar([x + i * width for x in range(len(commands))], [per.get(c, {}).get("accuracy", 0) for c in commands], width, label=name)
    ax.set_xticks([x + 0.4 for x in range(len(commands))], commands, rotation=90, fontsize=6)
    ax.set(ylabel="exact match (canonical)", title="per-command accuracy on val", ylim=(0, 1.05))
    ax.legend()
    fig.tight_layout()
    fig.savefig(png, dpi=100)
    plt.close(fig)


def summary_markdown(report: dict) -> str:
    lines = [f"# Evaluation: {report['schema']}", "",
             "| model | test set | n | exact (strict) | exact (canonical) | JSON valid | schema valid | command path | p50 ms | p95 ms |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for model, sets in report["models"].items():
        for name, m in sets.items():
            if not isinstance(m, dict) or "examples" not in m:
                continue
            lat = m.get("latency_ms", {})
            lines.append(f"| {model} | {name} | {m['examples']} | {m['exact_strict']:.3f} | {m['exact_canonical']:.3f} | "
                         f"{m['json_validity']:.3f} | {m['schema_validity']:.3f} | {m['field_accuracy']['command_path']:.3f} | "
                         f"{lat.get('p50', '')} | {lat.get('p95', '')} |")
    lines += ["", "| model | train loss | val loss | val perplexity |", "|---|---|---|---|"]
    for model, sets in report["models"].items():
        lines.append(f"| {model} | {sets.get('train_loss', '')} | {sets.get('eval_loss', '')} | {sets.get('perplexity', '')} |")
    for model, sets in report["models"].items():
        if "gap_vs_source_points" in sets:
            gaps = ", ".join(f"{name} {points:+.1f}" for name, points in sets["gap_vs_source_points"].items())
            lines += ["", f"{model} against the {sets['source']} checkpoint it was converted from (exact match, points; "
                      f"the GGUF decodes under the schema grammar, the HF model without): {gaps}"]
    for model, sets in report["models"].items():
        worst = sets.get("val", {}).get("worst_confusions", [])
        if worst:
            lines += ["", f"Worst confusions of {model} on val:", ""]
            lines += [f"- {w['gold']} → {w['predicted']} ({w['count']})" for w in worst]
    return "\n".join(lines) + "\n"


def evaluate(schema_path: Path, model_dir: Path, quant: str, data_dir: Path, test_files: list[Path],
             max_examples: int | None) -> dict:
    """Every model on the same examples: the first `max_examples` of each set (all when None)."""
    from clitron_training.quantize import quantized_path, resolve_quant  # quantize imports this module

    schema = load_schema(schema_path)
    quant = resolve_quant(quant, model_dir)
    gguf = quantized_path(model_dir, schema_path.stem, quant)
    sets = {"val": read_examples(data_dir / "train_val.jsonl")}
    sets.update({p.stem: read_examples(p) for p in test_files})
    sets = {name: rows[:max_examples] if max_examples else rows for name, rows in sets.items()}
    out = model_dir / "eval"
    out.mkdir(parents=True, exist_ok=True)
    report: dict = {"schema": str(schema_path), "quant": quant, "models": {}}
    for stage in ("sft", "dpo"):
        checkpoint = model_dir / stage
        if not (checkpoint / "metrics.json").exists():
            continue
        metrics = json.loads((checkpoint / "metrics.json").read_text())
        entry = {"train_loss": metrics.get("train_loss"), "eval_loss": metrics.get("eval_loss")}
        for name, rows in sets.items():
            print(f"eval: {stage} on {name} ({len(rows)} examples)")
            predicted, seconds = model_answers(checkpoint, schema, rows)
            entry[name] = score(rows, predicted, schema, seconds)
            if name == "val":
                entry["perplexity"] = round(perplexity_hf(checkpoint, schema, rows), 4)
        report["models"][stage] = entry
        if (checkpoint / "loss.png").exists():
            shutil.copy(checkpoint / "loss.png", out / f"loss_{stage}.png")
    if gguf.exists():
        entry = {"file": str(gguf), "size_mb": round(gguf.stat().st_size / 2**20, 1)}
        for name, rows in sets.items():
            print(f"eval: gguf {quant} on {name} ({len(rows)} examples)")
            predicted, seconds = model_answers(gguf, schema, rows)
            entry[name] = score(rows, predicted, schema, seconds)
        source = quantized_from(model_dir)
        if source in report["models"]:  # the GGUF against the HF checkpoint it was made from
            entry["source"] = source
            entry["gap_vs_source_points"] = {
                name: round(100 * (entry[name]["exact_canonical"] - report["models"][source][name]["exact_canonical"]), 1)
                for name in sets}
        report["models"][f"gguf-{quant}"] = entry
    if not report["models"]:
        raise click.ClickException(f"{model_dir}: no trained model to evaluate")
    write_json(out / "report.json", report)
    write_atomic(out / "summary.md", summary_markdown(report))
    plot_per_command(report, out / "per_command.png")
    print(summary_markdown(report))
    print(f"report: {out / 'report.json'}, summary: {out / 'summary.md'}")
    return report


@click.command()
@click.option("--schema", "schema_path", type=click.Path(path_type=Path), required=True)
@click.option("--model-dir", type=click.Path(path_type=Path), required=True, help="training/models/{name}")
@click.option("--quant", default="auto", show_default=True, help="the GGUF's level, as quantize resolves it")
@click.option("--data-dir", type=click.Path(path_type=Path), required=True)
@click.option("--test-file", "test_files", multiple=True, type=click.Path(path_type=Path), help="extra JSONL test set (repeatable)")
@click.option("--max-examples", type=int, default=None,
              help="examples per test set, the same for every model (default: 200 on CPU, all on a GPU)")
def main(schema_path, model_dir, quant, data_dir, test_files, max_examples):
    """Evaluate the trained models of one CLI."""
    if max_examples is None:
        from clitron_training.config import hardware_profile

        max_examples = 200 if hardware_profile() == "cpu" else None
    evaluate(schema_path, model_dir, quant, data_dir, list(test_files), max_examples)


if __name__ == "__main__":
    run(main)
