"""The prompt format: the one definition used by training (SFT, DPO) and inference (GGUF).

The prompt is short on purpose: the schema lives in the weights, not in the prompt. It is rendered
with the model's own chat template (from the HF tokenizer when training, from the GGUF metadata
when serving) by the same Jinja code, so the two can never drift.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from clitron_training.command import dumps

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
                {"role": "assistant", "content": completion(shot_command)}]
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


def completion(cmd: dict) -> str:
    """The answer text for a canonical command (the end-of-turn token is added by the caller)."""
    return dumps(cmd)
