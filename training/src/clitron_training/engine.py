"""The inference engine shared by evaluation and the `clitron` runtime: llama-cpp-python running a
GGUF model, decoding under the schema's grammar (grammar.py).

Per request:
  1. the prompt (prompt.py, the model's own chat template from the GGUF) is evaluated, reusing the
     KV cache of the longest prefix it shares with the previous request (the fixed system part);
  2. where the grammar forces the next characters, the answer so far plus those characters is
     re-tokenized as training tokenized it and evaluated in one batch (jump-forward), keeping the
     last token back so the model still chooses how a word ends;
  3. otherwise the model's top candidates are tested against the grammar in logit order and the
     first that fits is taken (greedy decoding restricted to the grammar).
The decoding loop is ours because llama.cpp's sampler offers neither 2 nor the cheap test of 3.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clitron_training.grammar import Grammar
from clitron_training.prompt import DEFAULT_CHAT_TEMPLATE, render_prompt
from clitron_training.schema import Schema

MAX_VALUE_CHARS = 64


@dataclass
class Answer:
    command: dict | None  # canonical command JSON, or None when nothing valid came out
    text: str  # what the model wrote
    confidence: float  # probability the model gave its choice of command path (0..1)
    seconds: float
    model_tokens: int  # tokens the model chose
    forced_tokens: int  # tokens filled in by jump-forward


class Engine:
    def __init__(self, model_path: str | Path, schema: Schema, n_threads: int | None = None,
                 top_k: int = 16, max_tokens: int = 256, jump_forward: bool = True,
                 shots: tuple[tuple[str, dict], ...] = ()):
        from llama_cpp import Llama

        self.schema = schema
        self.grammar = Grammar(schema)
        self.top_k = top_k
        self.max_tokens = max_tokens
        self.jump_forward = jump_forward
        self.shots = shots  # worked examples before each request (the few-shot baseline)
        self.llm = Llama(str(model_path), n_ctx=2048 if shots else 512, n_batch=512, n_threads=n_threads or os.cpu_count(),
                         logits_all=False, verbose=False)
        self.template = self.llm.metadata.get("tokenizer.chat_template") or DEFAULT_CHAT_TEMPLATE
        self.bos = self._token_text(self.llm.token_bos(), special=True) if self.llm.token_bos() >= 0 else ""
        self.eos = self.llm.token_eos()
        self._text_of: dict[int, str] = {}

    def _token_text(self, token: int, special: bool = False) -> str:
        return self.llm.detokenize([token], special=special).decode("utf-8", errors="surrogateescape")

    def text_of(self, token: int) -> str:
        text = self._text_of.get(token)
        if text is None:
            text = self._text_of[token] = self._token_text(token)
        return text

    def prompt_tokens(self, request: str) -> list[int]:
        prompt = render_prompt(self.template, self.schema.cli_name, request, self.bos, self.shots)
        return self.llm.tokenize(prompt.encode(), add_bos=False, special=True)

    def _eval_from(self, position: int, tokens: list[int]) -> None:
        """Evaluate `tokens` placed at `position`, dropping any cached state after it."""
        self.llm.n_tokens = position
        self.llm.eval(tokens)

    def _logits(self) -> np.ndarray:
        import llama_cpp

        return np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(self.llm.ctx, -1), shape=(self.llm.n_vocab(),))

    def _choose(self, logits: np.ndarray, states, close_string: bool = False) -> tuple[int, frozenset | None]:
        """The most likely token the grammar allows: top candidates first, then the rest. With
        `close_string`, only tokens that end the current string value qualify."""
        finished = self.grammar.accepts(states)
        top = np.argpartition(-logits, self.top_k)[: self.top_k]
        for order in (top[np.argsort(-logits[top])], np.argsort(-logits)):
            for token in order.tolist():
                if token == self.eos:
                    if finished:
                        return token, None
                    continue
                text = self.text_of(token)
                if not text or (close_string and '"' not in text):  # control tokens write nothing
                    continue
                nxt = self.grammar.advance(states, text)
                if nxt is not None:
                    return token, nxt
        raise RuntimeError("no token fits the grammar")

    def translate(self, request: str) -> Answer:
        started = time.perf_counter()
        prompt = self.prompt_tokens(request)
        cached = self.llm.input_ids[: self.llm.n_tokens].tolist()
        shared = 0
        while shared < min(len(cached), len(prompt) - 1) and cached[shared] == prompt[shared]:
            shared += 1
        self._eval_from(shared, prompt[shared:])
        base = len(prompt)
        tokens: list[int] = []
        text = ""
        states = self.grammar.initial
        path_logprob = 0.0
        forced_count = 0
        pending: list[int] = []  # chosen but not yet evaluated
        while len(tokens) < self.max_tokens and not self.grammar.finished(states):
            forced = self.grammar.forced(states) if self.jump_forward else ""
            if forced:
                # Jump forward: the answer so far plus the forced text, tokenized as in training;
                # the last token is left for the model (how a word ends is its choice).
                retokenized = self.llm.tokenize((text + forced).encode("utf-8", errors="surrogateescape"),
                                                add_bos=False, special=False)[:-1]
                if len(retokenized) > len(tokens):
                    same = 0
                    while same < len(tokens) - len(pending) and tokens[same] == retokenized[same]:
                        same += 1
                    forced_count += len(retokenized) - max(same, len(tokens))
                    tokens, pending = retokenized, retokenized[same:]
                    text = "".join(self.text_of(t) for t in tokens)
                    states = self.grammar.advance(self.grammar.initial, text)
                    continue
            if pending:  # one batch for a chosen token and the forced tokens after it
                self._eval_from(base + len(tokens) - len(pending), pending)
                pending = []
            logits = self._logits()
            # A value longer than any real one is a model going round in circles: close it.
            token, nxt = self._choose(logits, states, close_string=len(text) - text.rfind('"') > MAX_VALUE_CHARS)
            if '"args"' not in text:
                top = float(logits.max())
                path_logprob += float(logits[token]) - top - math.log(float(np.exp(logits - top).sum()))
            if nxt is None:  # end of turn
                break
            tokens.append(token)
            pending.append(token)
            text += self.text_of(token)
            states = nxt
        command = None
        if self.grammar.accepts(states):
            command = json.loads(text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace"))
        return Answer(command, text, math.exp(path_logprob), time.perf_counter() - started,
                      len(tokens) - forced_count, forced_count)
