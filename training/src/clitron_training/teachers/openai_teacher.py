"""The OpenAI teacher: any Chat Completions server (OpenAI itself, vLLM, llama.cpp, Ollama...)."""

from __future__ import annotations

import openai

from clitron_training.schema import Schema
from clitron_training.teachers.api import (
    api_call_error,
    build_prompt,
    cost,
    key_status,
    parse_examples,
    price,
    resolve_key,
)
from clitron_training.teachers.base import Batch, Reply, TeacherError

ENV_KEY = "OPENAI_API_KEY"


class OpenAITeacher:
    """Writes a batch's examples with one Chat Completions call. Retries with back-off on 429, 5xx
    and timeouts are the SDK's (`max_retries`, honouring `retry-after` up to two minutes).

    Without a key (argument or OPENAI_API_KEY) a placeholder is sent: local servers ignore it,
    api.openai.com answers 401 (APICallError)."""

    name = "openai"

    def __init__(
        self,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        max_tokens: int = 8192,
        max_retries: int = 5,
        timeout: float = 120.0,
    ):
        self.model = model
        self.max_tokens = max_tokens
        self.priced = price(model) is not None
        self._api_key = resolve_key(api_key, ENV_KEY)
        self._client = openai.OpenAI(
            api_key=self._api_key or "unused", base_url=base_url, max_retries=max_retries, timeout=timeout
        )
        # api.openai.com wants the newer name (its reasoning models reject `max_tokens`); many
        # compatible servers only know the older one.
        official = self._client.base_url.host == "api.openai.com"
        self._max_tokens_param = "max_completion_tokens" if official else "max_tokens"

    def __repr__(self) -> str:
        return f"OpenAITeacher(model={self.model!r}, base_url={str(self._client.base_url)!r})"

    def describe(self) -> str:
        unpriced = ", unpriced: cost counted as $0" if not self.priced else ""
        where = self._client.base_url
        return f"teacher: openai {self.model} at {where} ({key_status(self._api_key, ENV_KEY)}{unpriced})"

    def generate(self, schema: Schema, batch: Batch) -> Reply:
        try:
            completion = self._client.chat.completions.create(
                model=self.model,
                messages=[{"role": "user", "content": build_prompt(schema, batch)}],
                seed=batch.seed,
                **{self._max_tokens_param: self.max_tokens},
            )
        except openai.APIError as exc:
            raise api_call_error("openai", exc, self._api_key) from None
        if not completion.choices:
            raise TeacherError("reply without choices")
        choice = completion.choices[0]
        if choice.finish_reason == "length":
            raise TeacherError(f"reply truncated at max_tokens={self.max_tokens}")
        usage = completion.usage
        input_tokens, output_tokens = (usage.prompt_tokens, usage.completion_tokens) if usage else (0, 0)
        return Reply(
            examples=parse_examples(choice.message.content or ""),
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cost_usd=cost(self.model, input_tokens, output_tokens),
        )
