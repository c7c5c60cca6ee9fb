"""The spec's validation rules, shared by generation and evaluation.

Rules 1-4 apply to one command (`check_output`), rule 5 to a whole dataset (`diversity`).
Every failure carries a machine-readable `reason`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Iterable

from clitron_training.command import path_of
from clitron_training.schema import Schema

RULES = {1: "json_validity", 2: "schema_compliance", 3: "arg_types", 4: "required_args", 5: "diversity"}


@dataclass(frozen=True)
class Failure:
    rule: int  # 1..5, the spec's rule number
    reason: str  # machine-readable: invalid_json, unknown_command, unknown_arg, bad_value, ...
    field: str  # where: "output", "subcommand", "args.state", "flags[2]"
    message: str

    def __str__(self) -> str:
        return f"rule {self.rule} ({RULES[self.rule]}) {self.reason} at {self.field}: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


KEYS = ("command", "subcommand", "args", "flags")


def parse_output(text: str) -> tuple[dict | None, Failure | None]:
    """Rule 1: the text is one JSON object with the command JSON's keys and shapes."""
    try:
        cmd = json.loads(text)
    except (json.JSONDecodeError, TypeError) as exc:
        return None, Failure(1, "invalid_json", "output", str(exc))
    return cmd, check_shape(cmd)


def check_shape(cmd: Any) -> Failure | None:
    if not isinstance(cmd, dict):
        return Failure(1, "not_an_object", "output", f"expected a JSON object, got {type(cmd).__name__}")
    extra = set(cmd) - set(KEYS)
    if extra:
        return Failure(1, "unknown_key", sorted(extra)[0], f"unexpected key {sorted(extra)[0]!r}")
    if not isinstance(cmd.get("command"), str) or not cmd["command"]:
        return Failure(1, "bad_shape", "command", "'command' must be a non-empty string")
    if cmd.get("subcommand") is not None and not isinstance(cmd["subcommand"], str):
        return Failure(1, "bad_shape", "subcommand", "'subcommand' must be a string or null")
    if not isinstance(cmd.get("args", {}), dict):
        return Failure(1, "bad_shape", "args", "'args' must be an object")
    flags = cmd.get("flags", [])
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        return Failure(1, "bad_shape", "flags", "'flags' must be a list of strings")
    return None


def check_command(cmd: dict, schema: Schema) -> Failure | None:
    """Rules 1-4 on a decoded command JSON; None when it is valid."""
    failure = check_shape(cmd)
    if failure:
        return failure
    path = schema.resolve(path_of(cmd))
    if path is None:
        node = schema.find(path_of(cmd))
        field = "command" if schema.find(path_of(cmd)[:1]) is None else "subcommand"
        why = "is a group: a subcommand is needed" if node is not None else "does not exist"
        return Failure(2, "unknown_command", field, f"{cmd['command']} {cmd.get('subcommand') or ''}".strip() + f" {why}")
    leaf = schema.leaves[path]
    args = {a.name: a for a in leaf.args}
    for name, value in (cmd.get("args") or {}).items():
        arg = args.get(name)
        if arg is None:
            return Failure(3, "unknown_arg", f"args.{name}", f"{' '.join(path)} has no arg {name!r}")
        problem = arg.value_error(value) if arg.repeatable and isinstance(value, list) else arg.value_error(value, single=True)
        if problem:
            return Failure(3, "bad_enum" if arg.type == "enum" and "not one of" in problem else "bad_value", f"args.{name}", problem)
    known = {f.name for f in leaf.flags}
    for i, flag in enumerate(cmd.get("flags") or []):
        if flag not in known:
            reason = "arg_as_flag" if flag in args else "unknown_flag"
            return Failure(3, reason, f"flags[{i}]", f"{' '.join(path)} has no flag {flag!r}")
    given = cmd.get("args") or {}
    for arg in leaf.args:
        if arg.required and arg.name not in given:
            return Failure(4, "missing_required", f"args.{arg.name}", f"required arg {arg.name!r} is missing")
    positionals = [a.name for a in leaf.args if a.positional]
    for earlier, later in zip(positionals, positionals[1:]):
        if later in given and earlier not in given:  # `release create FILE` would read FILE as the tag
            return Failure(4, "missing_required", f"args.{earlier}",
                           f"positional {later!r} is given without {earlier!r}, which comes before it on the command line")
    return None


def check_output(output: Any, schema: Schema) -> Failure | None:
    """Rules 1-4 on a model or teacher output, given as text or as decoded JSON."""
    if isinstance(output, str):
        output, failure = parse_output(output)
        if failure:
            return failure
    return check_command(output, schema)


# --- rule 5: dataset diversity -------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9@:/._-]+")


def normalise(text: str) -> str:
    """Lowercased words only: the key for exact/near duplicate detection."""
    return " ".join(_WORD.findall(text.lower()))


@dataclass(frozen=True)
class Diversity:
    examples: int
    unique_input_ratio: float
    distinct_1: float
    distinct_2: float
    distinct_3: float
    mean_words: float

    def failures(self, min_unique: float, min_distinct_2: float) -> list[Failure]:
        out = []
        if self.unique_input_ratio < min_unique:
            out.append(Failure(5, "low_unique_inputs", "input", f"unique input ratio {self.unique_input_ratio:.3f} < {min_unique}"))
        if self.distinct_2 < min_distinct_2:
            out.append(Failure(5, "low_distinct_2", "input", f"distinct-2 {self.distinct_2:.3f} < {min_distinct_2}"))
        return out


def diversity(inputs: Iterable[str]) -> Diversity:
    """Rule 5 figures: unique normalised inputs and distinct-n (distinct n-grams / all n-grams)."""
    texts = [normalise(t) for t in inputs]
    grams: dict[int, Counter] = {n: Counter() for n in (1, 2, 3)}
    words = 0
    for text in texts:
        tokens = text.split()
        words += len(tokens)
        for n in grams:
            grams[n].update(zip(*(tokens[i:] for i in range(n))))

    def distinct(n: int) -> float:
        total = sum(grams[n].values())
        return round(len(grams[n]) / total, 4) if total else 0.0

    count = len(texts)
    return Diversity(
        examples=count,
        unique_input_ratio=round(len(set(texts)) / count, 4) if count else 0.0,
        distinct_1=distinct(1),
        distinct_2=distinct(2),
        distinct_3=distinct(3),
        mean_words=round(words / count, 2) if count else 0.0,
    )
