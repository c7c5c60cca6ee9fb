"""What the API teachers share: the generation prompt, the reply parser, prices and errors.

The teachers themselves live in `anthropic_teacher.py` and `openai_teacher.py`.
"""

from __future__ import annotations

import json
import math
import os
import re

import yaml

from clitron_training.command import make
from clitron_training.schema import Arg, Command, Flag, Schema
from clitron_training.teachers.base import Batch, Target, TeacherError

# USD per million tokens (input, output), public list prices. Matched by the longest prefix of
# the model id, so dated ids ("claude-opus-4-5-20251101", "gpt-4o-2024-08-06") find their family.
PRICES: dict[str, tuple[float, float]] = {
    "claude-opus-4-6": (5.00, 25.00),
    "claude-opus-4-5": (5.00, 25.00),
    "claude-sonnet-4-6": (3.00, 15.00),
    "claude-sonnet-4-5": (3.00, 15.00),
    "claude-haiku-4-5": (1.00, 5.00),
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}
BATCH_DISCOUNT = 0.5  # Message Batches cost half the list price

# Dry-run heuristics: a token is about 4 characters of English or JSON; one example
# (`{"input": ..., "output": {...}}`, pretty-printed) is about 70 output tokens.
CHARS_PER_TOKEN = 4
OUTPUT_TOKENS_PER_EXAMPLE = 70


class APICallError(RuntimeError):
    """An API call that failed after the SDK's own retries (bad key, bad request, rate limits or
    outage outlasting the retries). Unlike TeacherError it is not worth retrying the batch; the
    message never contains the API key."""


def price(model: str) -> tuple[float, float] | None:
    """(input, output) USD per million tokens, or None for an unpriced model."""
    family = max((p for p in PRICES if model.startswith(p)), key=len, default=None)
    return PRICES[family] if family else None


def cost(model: str, input_tokens: int, output_tokens: int, batch_api: bool = False) -> float:
    """USD for one call; 0 for an unpriced model."""
    rates = price(model)
    if rates is None:
        return 0.0
    usd = (input_tokens * rates[0] + output_tokens * rates[1]) / 1e6
    return usd * BATCH_DISCOUNT if batch_api else usd


def estimate_cost(
    model: str,
    n_batches: int,
    prompt_tokens_per_batch: int,
    output_tokens_per_batch: int,
    batch_api: bool = False,
) -> float:
    """USD for a whole run (see `estimate_batch_tokens` for the per-batch figures)."""
    return n_batches * cost(model, prompt_tokens_per_batch, output_tokens_per_batch, batch_api)


def estimate_batch_tokens(schema: Schema, batch: Batch) -> tuple[int, int]:
    """Rough (prompt, output) tokens of one batch: prompt characters / 4, 70 tokens per example."""
    prompt = build_prompt(schema, batch)
    return math.ceil(len(prompt) / CHARS_PER_TOKEN), OUTPUT_TOKENS_PER_EXAMPLE * len(batch.targets)


# --- the prompt ------------------------------------------------------------------------------

PROMPT = """\
You are generating training data for a CLI command interpreter.

Given this CLI schema:
{schema_yaml}
Generate {n} diverse examples of natural language inputs that map to CLI commands.
For each example, provide:
1. Natural language input (how a human might say it)
2. Structured JSON output

Write exactly these {n} examples, in this order:
{targets}

Vary the examples by:
- Formality level (casual to precise)
- Completeness (full command vs implied defaults)
- Synonyms (show/display/list, make/create, etc.)
- Word order variations
- With/without optional arguments

Rules for "output", the command JSON:
- Exactly four keys: "command", "subcommand", "args", "flags".
- "command" is the first word of the command path; "subcommand" is the rest of the path joined \
by single spaces, or null when the path is one word.
- "args" maps arg names from the schema (options and positionals alike) to values: integer and \
float as JSON numbers, boolean as true/false, everything else as strings. A repeatable arg \
always takes a list, even of one value.
- "flags" lists the names of the flags that are on.
- Every required arg is present; an optional arg only when the input asks for it.
- Names exactly as in the schema: no dashes, no short options, no aliases.
- Every value in the output is stated or clearly implied by the input.

Output only a JSON array of exactly {n} objects, with no commentary:
[
  {{"input": "...", "output": {example}}},
  ...
]
"""


def build_prompt(schema: Schema, batch: Batch) -> str:
    """The spec's generation prompt for one batch: the schema of its commands, the list of
    examples to write, and the rules of the command JSON."""
    paths = list(dict.fromkeys(t.path for t in batch.targets))
    targets = "\n".join(f"{i}. {describe_target(schema, t)}" for i, t in enumerate(batch.targets, 1))
    return PROMPT.format(
        schema_yaml=render_schema(schema, paths),
        n=len(batch.targets),
        targets=targets,
        example=json.dumps(make(paths[0])),
    )


def render_schema(schema: Schema, paths: list[tuple[str, ...]]) -> str:
    """Compact YAML of the given leaves, keyed by their command path."""
    commands = {}
    for path in paths:
        leaf = schema.leaves[path]
        commands[" ".join(path)] = _drop_empty(
            {
                "description": leaf.description,
                "args": [_arg(a) for a in leaf.args],
                "flags": [_flag(f) for f in leaf.flags],
            }
        ) or None
    doc = _drop_empty({"cli_name": schema.cli_name, "description": schema.description, "commands": commands})
    return yaml.safe_dump(doc, sort_keys=False, default_flow_style=None, width=1000, allow_unicode=True)


def _arg(arg: Arg) -> dict:
    out = {"name": arg.name, "type": arg.type, "values": arg.values, "default": arg.default}
    out |= {k: True for k in ("required", "positional", "repeatable") if getattr(arg, k)}
    out |= {"description": arg.description, "examples": arg.examples}
    return _drop_empty(out)


def _flag(flag: Flag) -> dict:
    return _drop_empty({"name": flag.name, "description": flag.description})


def _drop_empty(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None and v != "" and v != []}


def describe_target(schema: Schema, target: Target) -> str:
    """One line of the to-write list: "`gh pr list` featuring --state=closed"."""
    line = f"`{schema.cli_name} {' '.join(target.path)}`"
    focus = target.focus
    if focus is None:
        return line
    leaf: Command = schema.leaves[target.path]
    args = {a.name: a for a in leaf.args}
    if "=" in focus:
        what = f"--{focus}"
    elif focus in args:
        what = f"the <{focus}> argument" if args[focus].positional else f"--{focus} with a value"
    elif focus in {f.name for f in leaf.flags}:
        what = f"the --{focus} flag"
    else:
        what = focus
    return f"{line} featuring {what}"


# --- the reply -------------------------------------------------------------------------------

_FENCE = re.compile(r"^```[\w-]*\s*$", re.MULTILINE)


def parse_examples(text: str) -> list[dict]:
    """The examples in a reply: the first JSON array holding objects (markdown fences and
    commentary around it ignored), its non-object items dropped. Raise TeacherError when there
    is none."""
    text = _FENCE.sub("", text)
    decoder = json.JSONDecoder()
    first_error = None
    for match in re.finditer(r"\[", text):
        try:
            items, _ = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError as exc:
            first_error = first_error or exc
            continue
        examples = [item for item in items if isinstance(item, dict)]
        if examples:
            return examples
    why = f"does not parse: {first_error}" if first_error else "holds no JSON array of examples"
    raise TeacherError(f"the reply ({len(text)} characters) {why}")


# --- keys --------------------------------------------------------------------------------------


def resolve_key(api_key: str | None, env_var: str) -> str | None:
    return api_key or os.environ.get(env_var) or None


def key_status(api_key: str | None, env_var: str) -> str:
    """Whether a key is present, for `describe()`; never the key itself."""
    if api_key is None:
        return f"{env_var} is not set"
    return f"{env_var} is set" if os.environ.get(env_var) == api_key else "API key given"


def api_call_error(provider: str, exc: Exception, api_key: str | None) -> APICallError:
    """An APICallError describing an SDK exception, with the key cut out of the message."""
    message = f"{provider} API call failed: {exc}"
    if api_key:
        message = message.replace(api_key, "[redacted]")
    return APICallError(message)
