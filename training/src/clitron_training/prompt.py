"""The prompt format: the one definition used by training (SFT, DPO) and inference (GGUF).

The prompt is short on purpose: the schema lives in the weights, not in the prompt. It is rendered
with the model's own chat template (from the HF tokenizer when training, from the GGUF metadata
when serving) by the same Jinja code, so the two can never drift.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from clitron_training.command import make, path_of, where_said
from clitron_training.schema import Schema

# The answer text's version, recorded with each SFT run: bump it when `completion` writes other text
# for the same example, so that models trained on the old text are trained again. 2: options in the
# order the request says them (1: schema order).
ANSWER_FORMAT = 2

# Used when a base model ships no chat template (Gemma 3 270M's base GGUF): ChatML.
DEFAULT_CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def system_message(cli_name: str) -> str:
    """A few tokens only: every prompt token is paid for in every training step and request."""
    return f"{cli_name} command as JSON"


def messages(cli_name: str, request: str, shots: tuple[tuple[str, dict], ...] = ()) -> list[dict]:
    """System line, optional worked examples (few-shot, for an untrained model), the request."""
    out = [{"role": "system", "content": system_message(cli_name)}]
    for shot_request, shot_command in shots:
        out += [{"role": "user", "content": " ".join(shot_request.split())},
                {"role": "assistant", "content": completion(shot_command, shot_request)}]
    return out + [{"role": "user", "content": " ".join(request.split())}]


@lru_cache(maxsize=8)
def _compile(template: str) -> jinja2.Template:
    def raise_exception(message):
        raise jinja2.TemplateError(message)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.globals["raise_exception"] = raise_exception
    return env.from_string(template)


def render_prompt(chat_template: str, cli_name: str, request: str, bos_token: str = "",
                  shots: tuple[tuple[str, dict], ...] = ()) -> str:
    """The text the model sees before its answer (ends with the assistant turn's header)."""
    return _compile(chat_template).render(
        messages=messages(cli_name, request, shots), add_generation_prompt=True, bos_token=bos_token, eos_token=""
    )


def completion(cmd: dict, request: str | None = None) -> str:
    """The answer text for a command (the end-of-turn token is added by the caller): one JSON
    object keyed by the command path, holding its args and, as `true`, its flags:
    `{"pr list":{"author":"@me","web":true}}`. It says what the command JSON says in 20 tokens
    where the command JSON takes 31 (gh, SmolLM2's tokenizer); every token is paid for in each
    training step and each request. Given the request, the options come in the order it says them
    (`said_order`)."""
    options = {**cmd.get("args", {}), **{flag: True for flag in cmd.get("flags", [])}}
    if request is not None:
        options = said_order(options, request)
    return json.dumps({" ".join(path_of(cmd)): options}, separators=(",", ":"), ensure_ascii=False)


def said_order(options: dict, request: str) -> dict:
    """The options in the order the request says them, so that the model writes its answer as it
    reads the request, left to right: a value where it is first said (`command.where_said`), a flag
    or a `true` arg where a word of its name is ("draft", "archived" for `--no-archived`). What the
    request says in other words ("in the browser" for `--web`) goes last, in the order given."""
    def said_at(item: tuple[int, tuple[str, Any]]) -> tuple[float, int]:
        index, (name, value) = item
        values = [name.replace("-", " ")] if isinstance(value, bool) else value if isinstance(value, list) else [value]
        where = [w for w in (where_said(v, request) for v in values) if w is not None]
        return (min(where) if where else math.inf, index)

    return dict(item for _, item in sorted(enumerate(options.items()), key=said_at))


def read_completion(text: str, schema: Schema) -> dict:
    """The command JSON an answer text stands for (the inverse of `completion`); ValueError when
    the text is not one JSON object of that shape. A `true` option is a flag where the schema's
    command has a flag of that name, else an arg; whether the command is valid is for the validator."""
    answer = json.loads(text)
    if not isinstance(answer, dict) or len(answer) != 1:
        raise ValueError("expected one JSON object with one key, the command path")
    ((path, options),) = answer.items()
    if not path.split() or not isinstance(options, dict):
        raise ValueError("expected a command path and an object of its options")
    resolved = schema.resolve(tuple(path.split()))
    flag_names = {f.name for f in schema.leaves[resolved].flags} if resolved else set()
    flags = [name for name, value in options.items() if name in flag_names and value is True]
    return make(tuple(path.split()), {k: v for k, v in options.items() if k not in flags}, flags)
