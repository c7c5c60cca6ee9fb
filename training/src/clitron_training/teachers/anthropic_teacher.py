"""The Anthropic teacher: Claude through the Messages API, or the Message Batches API at half price."""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, Iterable

import anthropic

from clitron_training.schema import Schema
from clitron_training.teachers.api import (
    APICallError,
    api_call_error,
    build_prompt,
    cost,
    key_status,
    parse_examples,
    price,
    resolve_key,
)
from clitron_training.teachers.base import Batch, Reply, TeacherError

log = logging.getLogger(__name__)

ENV_KEY = "ANTHROPIC_API_KEY"


class AnthropicTeacher:
    """Writes a batch's examples with one Messages call. Retries with back-off on 429, 5xx and
    timeouts are the SDK's (`max_retries`, honouring `retry-after`)."""

    name = "anthropic"

    def __init__(
        self,
        model: str = "claude-opus-4-5-20251101",
        api_key: str | None = None,
        base_url: str | None = None,
        max_tokens: int = 8192,
        max_retries: int = 5,
        timeout: float = 120.0,
        use_batches: bool = False,
        poll_interval: float = 30.0,
    ):
        self.model = model
        self.max_tokens = max_tokens
        self.use_batches = use_batches
        self.poll_interval = poll_interval
        self.priced = price(model) is not None
        self._api_key = resolve_key(api_key, ENV_KEY)
        self._client = anthropic.Anthropic(
            api_key=self._api_key or "", base_url=base_url, max_retries=max_retries, timeout=timeout
        )

    def __repr__(self) -> str:
        return f"AnthropicTeacher(model={self.model!r})"

    def describe(self) -> str:
        mode = ", message batches" if self.use_batches else ""
        unpriced = ", unpriced: cost counted as $0" if not self.priced else ""
        return f"teacher: anthropic {self.model}{mode} ({key_status(self._api_key, ENV_KEY)}{unpriced})"

    def generate(self, schema: Schema, batch: Batch) -> Reply:
        message = self._call(lambda c: c.messages.create(**self._params(schema, batch)))
        return self._reply(message, batch_api=False)

    def submit_batches(self, schema: Schema, batches: Iterable[Batch]) -> str:
        """Submit batches as one Message Batch (custom_id `batch-{index}`); return its id."""
        requests = [{"custom_id": f"batch-{b.index}", "params": self._params(schema, b)} for b in batches]
        return self._call(lambda c: c.messages.batches.create(requests=requests)).id

    def collect_batches(self, batch_id: str, schema: Schema) -> dict[int, Reply]:
        """Wait for a submitted Message Batch to end; return the usable replies by batch index.
        Batches missing from the result (errored, expired, malformed, truncated) are logged and
        are to be generated again. `schema` is not needed to parse replies; it mirrors `generate`."""
        while self._call(lambda c: c.messages.batches.retrieve(batch_id)).processing_status != "ended":
            time.sleep(self.poll_interval)
        replies: dict[int, Reply] = {}
        for item in self._call(lambda c: list(c.messages.batches.results(batch_id))):
            index = int(item.custom_id.removeprefix("batch-"))
            if item.result.type != "succeeded":
                log.warning("message batch %s, batch %d: %s", batch_id, index, item.result.type)
                continue
            try:
                replies[index] = self._reply(item.result.message, batch_api=True)
            except TeacherError as exc:
                log.warning("message batch %s, batch %d: %s", batch_id, index, exc)
        return replies

    def _params(self, schema: Schema, batch: Batch) -> dict:
        return {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "messages": [{"role": "user", "content": build_prompt(schema, batch)}],
        }

    def _call(self, request: Callable[[anthropic.Anthropic], Any]) -> Any:
        if not self._api_key:
            raise APICallError(f"anthropic: {ENV_KEY} is not set")
        try:
            return request(self._client)
        except anthropic.APIError as exc:
            raise api_call_error("anthropic", exc, self._api_key) from None

    def _reply(self, message: anthropic.types.Message, batch_api: bool) -> Reply:
        if message.stop_reason == "max_tokens":
            raise TeacherError(f"reply truncated at max_tokens={self.max_tokens}")
        text = "".join(block.text for block in message.content if block.type == "text")
        usage = message.usage
        return Reply(
            examples=parse_examples(text),
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cost_usd=cost(self.model, usage.input_tokens, usage.output_tokens, batch_api),
        )
