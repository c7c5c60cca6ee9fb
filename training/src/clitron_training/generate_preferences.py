"""Stage 3a: preference pairs for DPO.

Two sources, mixed as configured (`preferences:` in dpo_config.yaml):
  model      the SFT model answers held-out prompts; where its answer is not semantically equal
             to the gold command, the pair is (chosen = gold, rejected = its answer)
  negatives  schema-derived hard negatives of the gold command: wrong subcommand, wrong enum value,
             missing required arg, invented flag (one of another command), unasked option (one
             of this command the request did not ask for, a string arg taking a word of the
             request: the mistake the grammar still lets through), swapped values, dropped arg

Reads  {model_dir} (merged SFT checkpoint and its metrics.json), {data_dir}/train.jsonl
Writes {output}                    one pair per line: {"prompt", "chosen", "rejected", "kind", "input"}
       {output}.progress.jsonl     one line per finished chunk of prompts (resume; removed when done)
       preferences_report.json     pairs of each kind, and the settings they were made with (other
                                   settings make them again)

Held-out prompts are the train.jsonl examples beyond those SFT used (its metrics.json says how many);
when SFT used them all, a seeded sample of train.jsonl is used instead.
"""

from __future__ import annotations

import copy
import json
import random
from collections import Counter
from pathlib import Path

import click
from pydantic import BaseModel, ConfigDict, field_validator
from tqdm import tqdm

from clitron_training import command as cmdlib
from clitron_training.config import load_config
from clitron_training.entry import run
from clitron_training.io import append_jsonl, read_examples, read_jsonl, write_json, write_jsonl
from clitron_training.schema import Flag, Schema, load_schema

NEGATIVES = ("wrong_subcommand", "wrong_enum", "missing_required", "invented_option", "unasked_option", "swapped_values",
             "dropped_arg")


class PreferencesConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    num_prompts: int = 5000  # held-out prompts the SFT model answers
    negatives_per_prompt: float = 1.0  # hard negatives added per prompt, on average
    negative_mix: dict[str, float] = {kind: 1.0 for kind in NEGATIVES}
    chunk_size: int = 64
    seed: int = 0

    @field_validator("negative_mix")
    @classmethod
    def _known_kinds(cls, mix: dict[str, float]) -> dict[str, float]:
        if unknown := sorted(set(mix) - set(NEGATIVES)):
            raise ValueError(f"unknown kind {', '.join(unknown)}; the kinds are {', '.join(NEGATIVES)}")
        return mix


class _Outer(BaseModel):
    """dpo_config.yaml: only the `preferences` section (and profiles) matter here."""

    model_config = ConfigDict(extra="ignore")
    preferences: PreferencesConfig = PreferencesConfig()
    hardware: str = "auto"


def _sibling(schema: Schema, path: tuple[str, ...], rng: random.Random) -> tuple[str, ...] | None:
    siblings = [p for p in schema.leaves if p[:-1] == path[:-1] and p != path]
    return rng.choice(siblings) if siblings else None


def hard_negative(gold: dict, kind: str, schema: Schema, rng: random.Random, request: str = "") -> dict | None:
    """A plausible wrong answer of the given kind to `request`, or None when the command offers no
    such mistake."""
    bad = copy.deepcopy(gold)
    leaf = cmdlib.leaf_of(gold, schema)
    given = [a for a in leaf.args if a.name in gold["args"]]
    if kind == "wrong_subcommand":
        other = _sibling(schema, cmdlib.path_of(gold), rng)
        if other is None:
            return None
        keep = {a.name for a in schema.leaves[other].args}
        bad = cmdlib.make(other, {k: v for k, v in gold["args"].items() if k in keep},
                          [f for f in gold["flags"] if f in {x.name for x in schema.leaves[other].flags}])
    elif kind == "wrong_enum":
        enums = [a for a in leaf.args if a.type == "enum"]
        if not enums:
            return None
        arg = rng.choice(enums)
        current = gold["args"].get(arg.name, arg.default)
        choices = [v for v in arg.values if v != current]
        if not choices:
            return None
        bad["args"][arg.name] = rng.choice(choices)
    elif kind == "missing_required":
        required = [a for a in given if a.required]
        if not required:
            return None
        del bad["args"][rng.choice(required).name]
    elif kind == "invented_option":
        known = {a.name for a in leaf.args} | {f.name for f in leaf.flags}
        foreign = sorted({f.name for l in schema.leaves.values() for f in l.flags} - known)
        if not foreign:
            return None
        bad["flags"].append(rng.choice(foreign))
    elif kind == "unasked_option":
        words = [w.strip("'\"()").rstrip(".,:;!?") for w in request.split()]
        words = [w for w in words if w]
        unasked = [f for f in leaf.flags if f.name not in gold["flags"]]
        if words:
            unasked += [a for a in leaf.args if a.name not in gold["args"] and not a.positional and a.type in ("string", "path")]
        if not unasked:
            return None
        option = rng.choice(unasked)
        if isinstance(option, Flag):
            bad["flags"].append(option.name)
        else:
            word = rng.choice(words)
            bad["args"][option.name] = [word] if option.repeatable else word
        bad = cmdlib.canonical(bad, schema)  # in the order the model writes options
    elif kind == "swapped_values":
        strings = [a for a in given if a.type in ("string", "path") and not a.repeatable]
        if len(strings) < 2:
            return None
        a, b = rng.sample(strings, 2)
        bad["args"][a.name], bad["args"][b.name] = gold["args"][b.name], gold["args"][a.name]
    elif kind == "dropped_arg":
        optional = [a for a in given if not a.required] + [f for f in leaf.flags if f.name in gold["flags"]]
        if not optional:
            return None
        victim = rng.choice(optional)
        bad["args"].pop(victim.name, None)
        bad["flags"] = [f for f in bad["flags"] if f != victim.name]
    return bad if bad != gold else None


def held_out(data_dir: Path, model_dir: Path, count: int, seed: int) -> list[dict]:
    rows = read_examples(data_dir / "train.jsonl")
    metrics = model_dir / "metrics.json"
    used = json.loads(metrics.read_text()).get("train_examples", len(rows)) if metrics.exists() else len(rows)
    pool = rows[used:] or rows
    rng = random.Random(seed)
    return rng.sample(pool, min(count, len(pool)))


def pairs_for(examples: list[dict], answers: list[str], schema: Schema, cfg: PreferencesConfig,
              chat_template: str, bos: str, rng: random.Random) -> list[dict]:
    from clitron_training.prompt import completion, read_completion, render_prompt
    from clitron_training.validate import check_command

    kinds = list(cfg.negative_mix)
    weights = [cfg.negative_mix[k] for k in kinds]
    out = []
    for example, answer in zip(examples, answers):
        gold = example["output"]
        rejected: list[tuple[str, str]] = []
        try:
            command = read_completion(answer, schema)
            wrong = check_command(command, schema) is not None or not cmdlib.equal(command, gold, schema)
        except ValueError:
            wrong = True
        if wrong:
            rejected.append(("model", answer))
        n = int(cfg.negatives_per_prompt) + (rng.random() < cfg.negatives_per_prompt % 1)
        for kind in rng.choices(kinds, weights, k=n) if kinds else []:
            bad = hard_negative(gold, kind, schema, rng, example["input"])
            if bad is not None:
                rejected.append((kind, completion(bad, example["input"])))
        prompt = render_prompt(chat_template, schema.cli_name, example["input"], bos)
        chosen = completion(gold, example["input"])
        out += [{"prompt": prompt, "chosen": chosen, "rejected": text, "kind": kind, "input": example["input"]}
                for kind, text in rejected]
    return out


def generate(schema_path: Path, model_dir: Path, data_dir: Path, output: Path, cfg: PreferencesConfig, force: bool = False) -> dict:
    from transformers import AutoModelForCausalLM

    from clitron_training.hf_infer import generate as answer
    from clitron_training.train_sft import load_tokenizer

    report_path = output.parent / "preferences_report.json"
    progress = output.with_name(output.name + ".progress.jsonl")
    settings = cfg.model_dump(mode="json")
    if output.exists() and not force:
        report = json.loads(report_path.read_text()) if report_path.exists() else {}
        if report.get("settings") == settings:
            print(f"{output} exists: skipping (force to regenerate)")
            return report
        print(f"{output} was made with other settings: making it again")
        force = True
    done = read_jsonl(progress) if progress.exists() and not force else []
    if done and done[0].get("settings") != settings:
        print(f"{progress} was made with other settings: starting again")
        done = []
    if not done:
        progress.unlink(missing_ok=True)
    schema = load_schema(schema_path)
    examples = held_out(data_dir, model_dir, cfg.num_prompts, cfg.seed)
    tokenizer = load_tokenizer(str(model_dir))
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    pairs = [p for record in done for p in record["pairs"]]
    start = len(done) * cfg.chunk_size
    print(f"preferences: {len(examples)} held-out prompts" + (f", resuming at {start}" if start else ""))
    for begin in tqdm(range(start, len(examples), cfg.chunk_size), desc="preferences", unit="chunk",
                      initial=len(done), total=-(-len(examples) // cfg.chunk_size)):
        chunk = examples[begin : begin + cfg.chunk_size]
        answers = answer(model, tokenizer, schema.cli_name, [e["input"] for e in chunk])
        rng = random.Random(cfg.seed * 7919 + begin)
        new = pairs_for(chunk, answers, schema, cfg, tokenizer.chat_template, tokenizer.bos_token or "", rng)
        append_jsonl(progress, {"start": begin, "settings": settings, "pairs": new})
        pairs += new
    kinds = Counter(p["kind"] for p in pairs)
    report = {"prompts": len(examples), "pairs": len(pairs), "by_kind": dict(kinds.most_common()),
              "model_mistakes": kinds["model"], "model_error_rate": round(kinds["model"] / max(len(examples), 1), 4),
              "settings": settings}
    write_jsonl(output, pairs)
    write_json(report_path, report)
    progress.unlink(missing_ok=True)
    print(f"wrote {len(pairs)} pairs to {output}: {report['by_kind']}")
    return report


@click.command(context_settings={"ignore_unknown_options": True})
@click.option("--config", type=click.Path(path_type=Path), default="./configs/dpo_config.yaml", show_default=True)
@click.option("--schema", "schema_path", type=click.Path(path_type=Path), required=True)
@click.option("--model-dir", type=click.Path(path_type=Path), required=True, help="the merged SFT checkpoint")
@click.option("--data-dir", type=click.Path(path_type=Path), required=True)
@click.option("--output", type=click.Path(path_type=Path), required=True)
@click.option("--force", is_flag=True)
@click.argument("overrides", nargs=-1)
def main(config, schema_path, model_dir, data_dir, output, force, overrides):
    """Preference pairs from the SFT model's mistakes and schema-derived hard negatives."""
    cfg = load_config(_Outer, config, list(overrides)).preferences
    generate(schema_path, model_dir, data_dir, output, cfg, force=force)


if __name__ == "__main__":
    run(main)
