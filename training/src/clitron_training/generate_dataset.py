"""Stage 1: a teacher writes examples for a schema; they are validated, cleaned and split.

Reads `schemas/{name}.yaml`; writes, in the output's folder:
  train.jsonl, train_val.jsonl   canonical examples (docs/formats.md, section 3), written atomically
  train_progress.jsonl           one line per finished batch (resume checkpoint; removed when done)
  generation_report.json         teacher, counts, drops by reason, coverage, diversity, tokens, cost

Run: python -m clitron_training.generate_dataset --schema ../schemas/gh.yaml \
         --output ./data/gh/train.jsonl --num-examples 2000 [--force] [--dry-run] [key=value ...]
"""

from __future__ import annotations

import hashlib
import math
import random
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Literal

import click
from pydantic import BaseModel, ConfigDict
from tqdm import tqdm

from clitron_training import command as cmdlib
from clitron_training.config import CONFIGS_DIR, load_config
from clitron_training.entry import run
from clitron_training.io import append_jsonl, read_jsonl, write_json, write_jsonl
from clitron_training.schema import Schema, load_schema
from clitron_training.teachers import make_teacher
from clitron_training.teachers.base import Batch, Target, Teacher, TeacherError
from clitron_training.validate import check_output, diversity, normalise


class GenerateConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    num_examples: int = 10000
    batch_size: int = 50
    teacher: Literal["auto", "offline", "anthropic", "openai"] = "auto"
    teacher_model: str | None = None  # default per teacher
    base_url: str | None = None  # OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server)
    use_batches_api: bool = False  # Anthropic Message Batches (half price)
    concurrency: int = 4
    batch_retries: int = 3
    val_fraction: float = 0.1
    seed: int = 0
    overshoot: float = 1.15  # plan this many more targets than needed, for drops and duplicates
    option_weight: float = 0.5  # a command's share grows by this per arg, enum value and flag
    bare_share: float = 0.15  # of each command's examples, those that feature no option in particular
    weights: dict[str, float] = {}  # command path ("pr list", or a group "pr") -> multiplier
    min_unique_input_ratio: float = 0.9
    min_distinct_2: float = 0.1


def focus_items(leaf) -> list[str]:
    """The options one command's examples should feature, so that a run covers every one."""
    items: list[str] = []
    for arg in leaf.args:
        items += [f"{arg.name}={v}" for v in arg.values] if arg.type == "enum" else [arg.name]
    return items + [f.name for f in leaf.flags]


def focus_of(i: int, items: list[str], bare_share: float) -> str | None:
    """The focus of a command's i-th target: None (the command as people most often type it) for
    a `bare_share` of them, spread evenly, else its options in turn."""
    bare = not items or int((i + 1) * bare_share) > int(i * bare_share)
    return None if bare else items[i % len(items)]


def command_weight(path: tuple[str, ...], leaf, cfg: GenerateConfig) -> float:
    weight = 1.0 + cfg.option_weight * len(focus_items(leaf))
    for i in range(1, len(path) + 1):
        weight *= cfg.weights.get(" ".join(path[:i]), 1.0)
    return weight


def plan(schema: Schema, cfg: GenerateConfig) -> list[Batch]:
    """The planned batches: every command gets a share of targets by weight, its focus items
    cycled through so that each arg, enum value and flag comes up in proportion."""
    rng = random.Random(cfg.seed)
    weights = {p: command_weight(p, leaf, cfg) for p, leaf in schema.leaves.items()}
    total = math.ceil(cfg.num_examples * cfg.overshoot)
    scale = total / sum(weights.values())
    targets: list[Target] = []
    for path, leaf in schema.leaves.items():
        items = focus_items(leaf)
        rng.shuffle(items)
        quota = max(1, round(weights[path] * scale))
        targets += [Target(path, focus_of(i, items, cfg.bare_share)) for i in range(quota)]
    rng.shuffle(targets)
    size = cfg.batch_size
    return [
        Batch(i, tuple(targets[i * size : (i + 1) * size]), seed=cfg.seed * 1_000_003 + i)
        for i in range(math.ceil(len(targets) / size))
    ]


def top_up(schema: Schema, cfg: GenerateConfig, index: int) -> Batch:
    """An extra batch beyond the plan, drawn by weight (deterministic in its index)."""
    rng = random.Random(cfg.seed * 1_000_003 + index)
    paths = list(schema.leaves)
    weights = [command_weight(p, schema.leaves[p], cfg) for p in paths]
    chosen = rng.choices(paths, weights, k=cfg.batch_size)
    targets = tuple(Target(p, focus_of(rng.randrange(1000), focus_items(schema.leaves[p]), cfg.bare_share)) for p in chosen)
    return Batch(index, targets, cfg.seed * 1_000_003 + index)


def fingerprint(schema_path: Path, cfg: GenerateConfig, teacher: Teacher) -> str:
    """Identifies what a progress file was made by: a rerun with other settings must not mix in."""
    keys = (schema_path.read_bytes(), cfg.num_examples, cfg.batch_size, cfg.seed, cfg.overshoot,
            cfg.option_weight, cfg.bare_share, sorted(cfg.weights.items()), teacher.name, teacher.model)
    return hashlib.sha256(repr(keys).encode()).hexdigest()[:16]


class Cleaner:
    """Validates, canonicalises and de-duplicates examples in arrival order, counting drops."""

    def __init__(self, schema: Schema):
        self.schema = schema
        self.kept: list[dict] = []
        self.seen: set[str] = set()
        self.dropped: Counter = Counter()
        self.received = 0

    def add(self, example: dict) -> None:
        self.received += 1
        text = example.get("input") if isinstance(example, dict) else None
        if not isinstance(text, str) or not normalise(text):
            self.dropped["rule1:missing_input"] += 1
            return
        failure = check_output(example.get("output"), self.schema)
        if failure:
            self.dropped[f"rule{failure.rule}:{failure.reason}"] += 1
            return
        key = normalise(text)
        if key in self.seen:
            self.dropped["duplicate"] += 1
            return
        self.seen.add(key)
        self.kept.append({"input": " ".join(text.split()), "output": cmdlib.canonical(example["output"], self.schema)})


def coverage(schema: Schema, examples: list[dict]) -> dict:
    """Which commands, args, enum values and flags the examples use, and which they miss."""
    used: Counter = Counter()
    for ex in examples:
        out = ex["output"]
        path = " ".join(cmdlib.path_of(out))
        used[path] += 1
        for name, value in out["args"].items():
            used[f"{path} --{name}"] += 1
            for item in value if isinstance(value, list) else [value]:
                used[f"{path} --{name}={item}"] += 1
        for flag in out["flags"]:
            used[f"{path} --{flag}"] += 1
    wanted = []
    for path, leaf in schema.leaves.items():
        p = " ".join(path)
        wanted.append(p)
        for item in focus_items(leaf):
            wanted.append(f"{p} --{item}")
    # A default enum value is dropped by the canonical form, so it cannot show in the data.
    defaults = {f"{' '.join(p)} --{a.name}={a.default}" for p, leaf in schema.leaves.items() for a in leaf.args if a.type == "enum"}
    missing = [w for w in wanted if not used[w] and w not in defaults]
    commands = [" ".join(p) for p in schema.leaves]
    return {
        "commands_covered": sum(1 for c in commands if used[c]),
        "commands_total": len(commands),
        "items_covered": len(wanted) - len(missing),
        "items_total": len(wanted),
        "missing": missing,
        "examples_per_command": {c: used[c] for c in commands},
    }


def split(examples: list[dict], val_fraction: float, seed: int) -> tuple[list[dict], list[dict]]:
    """Deterministic split; inputs are unique after cleaning, so no input is in both files."""
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    n_val = round(len(examples) * val_fraction)
    val = sorted(order[:n_val])
    train = sorted(order[n_val:])
    return [examples[i] for i in train], [examples[i] for i in val]


def record_of(index: int, reply) -> dict:
    return {"batch": index, "examples": reply.examples, "input_tokens": reply.input_tokens,
            "output_tokens": reply.output_tokens, "cost_usd": reply.cost_usd}


def read_progress(path: Path, stamp: str) -> list[dict]:
    """Finished batches from a progress file, after dropping a line cut short by a kill."""
    if not path.exists():
        return []
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as f:
            f.truncate(data.rfind(b"\n") + 1)
    records = read_jsonl(path)
    if records and records[0].get("fingerprint") != stamp:
        raise click.ClickException(
            f"{path}: made with other settings (schema, num, seed or teacher); rerun with --force to start fresh")
    return records[1:]


def generate(schema_path: Path, output: Path, cfg: GenerateConfig, force: bool = False, dry_run: bool = False) -> dict | None:
    schema = load_schema(schema_path)
    out_dir = output.parent
    val_path = out_dir / f"{output.stem}_val.jsonl"
    progress_path = out_dir / f"{output.stem}_progress.jsonl"
    report_path = out_dir / "generation_report.json"
    if force:
        for path in (output, val_path, progress_path, report_path):
            path.unlink(missing_ok=True)
    elif output.exists() and val_path.exists():
        print(f"{output} exists ({sum(1 for _ in output.open())} examples): skipping (force to regenerate)")
        return None

    teacher, why = make_teacher(cfg)
    print(f"teacher: {teacher.name} {teacher.model} ({why})")
    batches = plan(schema, cfg)
    if dry_run:
        estimate = 0.0
        if teacher.name != "offline":
            from clitron_training.teachers.api import estimate_batch_tokens, estimate_cost

            tokens = [estimate_batch_tokens(schema, b) for b in batches]
            estimate = estimate_cost(teacher.model, len(batches), sum(t[0] for t in tokens) / len(batches),
                                     sum(t[1] for t in tokens) / len(batches), batch_api=cfg.use_batches_api)
        print(f"dry run: {len(batches)} batches of {cfg.batch_size} for {cfg.num_examples} examples; "
              f"estimated cost ${estimate:.2f}")
        return None

    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = fingerprint(schema_path, cfg, teacher)
    records = read_progress(progress_path, stamp)
    done = {r["batch"]: r for r in records if "batch" in r}
    submissions = {tuple(r["indices"]): r["submitted"] for r in records if "submitted" in r}
    if not progress_path.exists():
        append_jsonl(progress_path, {"fingerprint": stamp, "schema": str(schema_path), "teacher": teacher.name})
    if done:
        print(f"resuming: {len(done)} batches already in {progress_path}")

    cleaner = Cleaner(schema)
    usage = Counter()
    failed_batches = 0
    started = time.monotonic()
    bar = tqdm(total=cfg.num_examples, unit="ex", desc="generate", dynamic_ncols=True, file=sys.stderr)

    def absorb(record: dict) -> None:
        for example in record["examples"]:
            cleaner.add(example)
        for key in ("input_tokens", "output_tokens", "cost_usd"):
            usage[key] += record.get(key, 0)
        bar.n = min(len(cleaner.kept), cfg.num_examples)
        bar.set_postfix(valid=f"{len(cleaner.kept) / max(cleaner.received, 1):.0%}", spend=f"${usage['cost_usd']:.2f}")

    def run(batch: Batch) -> dict | None:
        for _ in range(cfg.batch_retries + 1):
            try:
                return record_of(batch.index, teacher.generate(schema, batch))
            except TeacherError:
                continue
        return None

    def execute(todo: list[Batch]):
        """Finished batch records (None for a batch that kept failing), as they complete."""
        if cfg.use_batches_api and hasattr(teacher, "submit_batches"):
            # Message Batches: one submission for all of them; its id is kept in the progress
            # file first, so a rerun collects the same submission instead of paying twice.
            wanted = sorted(b.index for b in todo)
            batch_id = submissions.get(tuple(wanted))
            if batch_id is None:
                batch_id = teacher.submit_batches(schema, todo)
                append_jsonl(progress_path, {"submitted": batch_id, "indices": wanted})
            replies = teacher.collect_batches(batch_id, schema)
            yield from (record_of(i, replies[i]) if i in replies else None for i in wanted)
            return
        with ThreadPoolExecutor(max_workers=max(1, cfg.concurrency)) as pool:
            yield from (f.result() for f in as_completed([pool.submit(run, b) for b in todo]))

    pending = batches
    kept_before = -1
    while True:
        for record in execute([b for b in pending if b.index not in done]):
            if record is None:
                failed_batches += 1
                continue
            append_jsonl(progress_path, record)
            done[record["batch"]] = record
        # Absorbed in index order, so the dataset is the same whatever order requests finish
        # in, and whether or not the run was resumed.
        for batch in pending:
            if batch.index in done:
                absorb(done[batch.index])
        if len(cleaner.kept) >= cfg.num_examples:
            break
        if len(cleaner.kept) == kept_before:
            raise click.ClickException(
                f"a round of batches added no valid new example ({failed_batches} batches failed, "
                f"drops: {dict(cleaner.dropped.most_common(3))}): check the teacher")
        kept_before = len(cleaner.kept)
        extra = math.ceil((cfg.num_examples - len(cleaner.kept)) * cfg.overshoot / cfg.batch_size) + 1
        start = pending[-1].index + 1
        pending = [top_up(schema, cfg, start + i) for i in range(extra)]
    bar.close()

    examples = cleaner.kept[: cfg.num_examples]
    stats = diversity(ex["input"] for ex in examples)
    train, val = split(examples, cfg.val_fraction, cfg.seed)
    elapsed = time.monotonic() - started
    report = {
        "schema": str(schema_path),
        "teacher": {"name": teacher.name, "model": teacher.model, "why": why},
        "examples": len(examples),
        "train": len(train),
        "val": len(val),
        "received": cleaner.received,
        "dropped": dict(cleaner.dropped.most_common()),
        "failed_batches": failed_batches,
        "diversity": stats.__dict__,
        "coverage": coverage(schema, examples),
        "input_tokens": usage["input_tokens"],
        "output_tokens": usage["output_tokens"],
        "cost_usd": round(usage["cost_usd"], 4),
        "seconds": round(elapsed, 2),
        "examples_per_second": round(len(examples) / elapsed, 1) if elapsed else None,
    }
    failures = stats.failures(cfg.min_unique_input_ratio, cfg.min_distinct_2)
    report["diversity_ok"] = not failures
    write_json(report_path, report)
    if failures:
        raise click.ClickException(f"diversity check failed: {failures[0]} (report: {report_path})")
    write_jsonl(output, train)
    write_jsonl(val_path, val)
    progress_path.unlink(missing_ok=True)
    cov = report["coverage"]
    print(f"wrote {len(train)} train + {len(val)} val examples to {out_dir} in {elapsed:.1f}s "
          f"({report['examples_per_second']} ex/s); commands covered {cov['commands_covered']}/{cov['commands_total']}, "
          f"options {cov['items_covered']}/{cov['items_total']}; unique inputs {stats.unique_input_ratio:.3f}, "
          f"distinct-2 {stats.distinct_2:.3f}; cost ${report['cost_usd']:.2f}; report {report_path}")
    return report


@click.command(context_settings={"ignore_unknown_options": True})
@click.option("--schema", "schema_path", type=click.Path(path_type=Path), required=True, help="schemas/{name}.yaml")
@click.option("--output", type=click.Path(path_type=Path), required=True, help="…/train.jsonl (val, progress and report go beside it)")
@click.option("--config", type=click.Path(path_type=Path), default=CONFIGS_DIR / "generate_config.yaml", show_default=True)
@click.option("--num-examples", type=int, help="total examples, train + val")
@click.option("--teacher", type=click.Choice(["auto", "offline", "anthropic", "openai"]))
@click.option("--force", is_flag=True, help="discard existing data and progress, start fresh")
@click.option("--dry-run", is_flag=True, help="print the plan and estimated cost, spend nothing")
@click.argument("overrides", nargs=-1)
def main(schema_path, output, config, num_examples, teacher, force, dry_run, overrides):
    """Generate training data for one CLI schema."""
    overrides = list(overrides)
    if num_examples is not None:
        overrides.append(f"num_examples={num_examples}")
    if teacher:
        overrides.append(f"teacher={teacher}")
    cfg = load_config(GenerateConfig, config, overrides)
    generate(schema_path, output, cfg, force=force, dry_run=dry_run)


if __name__ == "__main__":
    run(main)
