"""The inference engine shared by evaluation and the `clitron` runtime: llama-cpp-python running a
GGUF model, decoding greedily under the schema's grammar (grammar.py).

Per request:
  1. the prompt (prompt.py, the model's own chat template from the GGUF) is evaluated, reusing the
     KV cache of the longest prefix it shares with the previous request (the fixed system part);
  2. where the grammar forces the next characters, the answer so far plus those characters is
     re-tokenized as training tokenized it and put in without asking the model (jump-forward;
     where the forced characters end the answer, there is nothing to ask and the request is done);
  3. one llama.cpp batch evaluates what is new, and the model's choice is the most likely of its top
     candidates that the grammar allows.
  4. optional values that the request never states are dropped from the answer
     (`command.drop_unstated`): a 135M model sometimes invents one (`--repo failed`), loops
     inside one until it is cut off, or copies one value said once into a second arg.
With `speculate`, each batch also carries guesses, and a guess stands where it is the model's own
grammar-allowed greedy choice (the first that is not is replaced by that choice): after forced
characters, the last re-tokenized token (how a word ends is the model's choice), and inside a value,
the tokens that followed the last one in the request (prompt-lookup: values are mostly copied). That
is the plain greedy answer in fewer batches, up to llama.cpp's float rounding, which differs between
batch shapes and can flip a near tie. It is off by default: on 2 CPU cores a token costs about as
much as a batch (5.8 ms against 7.1 ms), so the extra tokens it evaluates cost about what the
batches it saves: from 9 % faster to 22 % slower on gh's requests, 10 % slower on docker's
(docs/benchmarks.md). It should pay where a batch of tokens costs little more than one token, as
on a GPU (not measured).
The loop is ours because llama.cpp's sampler offers neither jump-forward, nor speculation, nor the
cheap grammar test of the top candidates.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clitron_training.command import canonical, drop_unstated
from clitron_training.grammar import Grammar, Position
from clitron_training.prompt import DEFAULT_CHAT_TEMPLATE, read_completion, render_prompt
from clitron_training.schema import Schema

MAX_VALUE_CHARS = 64
MAX_LOOKUP = 4  # tokens guessed from the request at once


@dataclass
class Answer:
    command: dict  # canonical command JSON (schema-valid by construction)
    unstated: dict  # optional values the model wrote but the request never states, dropped from the command
    text: str  # what the model wrote
    confidence: float  # probability the model gave its choice of command path (0..1)
    seconds: float
    model_tokens: int  # tokens the model chose
    forced_tokens: int  # tokens filled in by jump-forward
    batches: int  # llama.cpp decode calls, the prompt's included
    evaluated_tokens: int  # tokens those calls put through the model (prompt, forced, guesses)


class Engine:
    def __init__(self, model_path: str | Path, schema: Schema, n_threads: int | None = None,
                 top_k: int = 16, max_tokens: int = 256, jump_forward: bool = True, speculate: bool = False,
                 shots: tuple[tuple[str, dict], ...] = ()):
        import llama_cpp

        self.schema = schema
        self.grammar = Grammar(schema)
        self.top_k = top_k
        self.max_tokens = max_tokens
        self.jump_forward = jump_forward
        self.speculate = speculate
        self.shots = shots  # worked examples before each request (the few-shot baseline)
        n_ctx = 2048 if shots else 512
        self.llm = llama_cpp.Llama(str(model_path), n_ctx=n_ctx, n_batch=n_ctx, n_threads=n_threads or os.cpu_count(),
                                   logits_all=False, verbose=False)
        self.template = self.llm.metadata.get("tokenizer.chat_template") or DEFAULT_CHAT_TEMPLATE
        self.bos = self._token_text(self.llm.token_bos(), special=True) if self.llm.token_bos() >= 0 else ""
        self.eos = self.llm.token_eos()
        self.n_vocab = self.llm.n_vocab()
        self._text_of: dict[int, str] = {}
        self._batch = llama_cpp.llama_batch_init(n_ctx, 0, 1)
        self._free_batch = llama_cpp.llama_batch_free  # kept: at interpreter exit, imports fail
        self._memory = llama_cpp.llama_get_memory(self.llm.ctx)
        self._cached: list[int] = []  # the tokens whose KV entries are valid, from position 0

    def __del__(self):
        if getattr(self, "_batch", None) is not None:
            self._free_batch(self._batch)
            self._batch = None

    def _token_text(self, token: int, special: bool = False) -> str:
        return self.llm.detokenize([token], special=special).decode("utf-8", errors="surrogateescape")

    def text_of(self, token: int) -> str:
        text = self._text_of.get(token)
        if text is None:
            text = self._text_of[token] = self._token_text(token)
        return text

    def tokenize(self, text: str, special: bool = False) -> list[int]:
        return self.llm.tokenize(text.encode("utf-8", errors="surrogateescape"), add_bos=False, special=special)

    def prompt_tokens(self, request: str) -> list[int]:
        return self.tokenize(render_prompt(self.template, self.schema.cli_name, request, self.bos, self.shots), special=True)

    def _decode(self, position: int, tokens: list[int], logits_from: int) -> list[np.ndarray]:
        """Evaluate `tokens` placed at `position` (KV entries after it are dropped) in one batch;
        the logits after each token from index `logits_from` on."""
        import llama_cpp

        llama_cpp.llama_memory_seq_rm(self._memory, 0, position, -1)
        batch = self._batch
        batch.n_tokens = len(tokens)
        for i, token in enumerate(tokens):
            batch.token[i], batch.pos[i], batch.n_seq_id[i], batch.logits[i] = token, position + i, 1, i >= logits_from
            batch.seq_id[i][0] = 0
        if llama_cpp.llama_decode(self.llm.ctx, batch) != 0:
            raise RuntimeError("llama_decode failed (context full?)")
        self._cached = self._cached[:position] + tokens
        return [np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(self.llm.ctx, i), shape=(self.n_vocab,)).copy()
                for i in range(logits_from, len(tokens))]

    def _choose(self, logits: np.ndarray, position: Position, close_string: bool = False) -> tuple[int, Position | None]:
        """The most likely token the grammar allows: top candidates first, then the rest. With
        `close_string`, only tokens that end the current string value qualify."""
        finished = self.grammar.accepts(position)

        def candidates():
            top = np.argpartition(-logits, self.top_k)[: self.top_k]
            yield from top[np.argsort(-logits[top])].tolist()
            yield from np.argsort(-logits).tolist()  # the whole vocabulary is sorted only if no top one fits

        for token in candidates():
            if token == self.eos:
                if finished:
                    return token, None
                continue
            text = self.text_of(token)
            if not text or (close_string and '"' not in text):  # control tokens write nothing
                continue
            nxt = self.grammar.advance(position, text)
            if nxt is not None:
                return token, nxt
        raise RuntimeError("no token fits the grammar")

    def _lookup(self, request: list[int], answer: list[int]) -> list[int]:
        """The request's tokens after the latest occurrence of the answer's last token."""
        if not answer:
            return []
        for i in range(len(request) - 2, -1, -1):
            if request[i] == answer[-1]:
                return request[i + 1 : i + 1 + MAX_LOOKUP]
        return []

    def translate(self, request: str) -> Answer:
        started = time.perf_counter()
        prompt = self.prompt_tokens(request)
        base = len(prompt)
        evaluated = 0  # the sequence (prompt + answer) has KV entries up to here
        while evaluated < min(len(self._cached), base - 1) and self._cached[evaluated] == prompt[evaluated]:
            evaluated += 1
        sequence = list(prompt)
        text = ""
        position = self.grammar.initial
        path_logprob = 0.0
        forced_count = batches = evaluated_tokens = 0
        while len(sequence) - base < self.max_tokens and not self.grammar.finished(position):
            guesses: list[int] = []
            forced = self.grammar.forced(position) if self.jump_forward else ""
            if forced:
                retokenized = prompt + self.tokenize(text + forced)
                done = self.grammar.advance(position, forced)
                if self.grammar.finished(done):  # the forced characters end the answer: nothing to ask
                    forced_count += len(retokenized) - len(sequence)
                    sequence, text, position = retokenized, text + forced, done
                    break
                if len(retokenized) - 1 > len(sequence):
                    same = base
                    while same < len(sequence) and sequence[same] == retokenized[same]:
                        same += 1
                    forced_count += len(retokenized) - 1 - len(sequence)
                    sequence, guesses = retokenized[:-1], retokenized[-1:]
                    evaluated = min(evaluated, same)
                    text = "".join(self.text_of(t) for t in sequence[base:])
                    position = self.grammar.advance(self.grammar.initial, text)
            elif text.count('"') % 2 == 1:  # inside a string value
                guesses = self._lookup(prompt, sequence[base:])
            if not self.speculate:
                guesses = []
            new = sequence[evaluated:]  # never empty: the last choice or the forced text is new
            rows = self._decode(evaluated, new + guesses, len(new) - 1)
            batches += 1
            evaluated_tokens += len(new) + len(guesses)
            accepted, choice = 0, None
            for guess in guesses:
                choice = self._choose(rows[accepted], position, close_string=self._overlong(text))
                if choice[0] != guess or choice[1] is None:
                    break
                path_logprob += self._logprob(rows[accepted], guess, text)
                sequence.append(guess)
                text += self.text_of(guess)
                position, choice, accepted = choice[1], None, accepted + 1
            evaluated = len(sequence)
            logits = rows[accepted]
            token, nxt = choice or self._choose(logits, position, close_string=self._overlong(text))
            path_logprob += self._logprob(logits, token, text)
            if nxt is None:  # end of turn
                break
            sequence.append(token)
            text += self.text_of(token)
            position = nxt
        if not self.grammar.accepts(position):  # out of tokens: close what is open, the shortest way
            text += self.grammar.shortest_completion(position)
        written = canonical(read_completion(text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace"),
                                            self.schema), self.schema)
        command, unstated = drop_unstated(written, request, self.schema)
        return Answer(command, unstated, text, math.exp(path_logprob), time.perf_counter() - started,
                      len(sequence) - base - forced_count, forced_count, batches, evaluated_tokens)

    @staticmethod
    def _overlong(text: str) -> bool:
        """A value longer than any real one is a model going round in circles: it must close."""
        return len(text) - text.rfind('"') > MAX_VALUE_CHARS

    @staticmethod
    def _logprob(logits: np.ndarray, token: int, text: str) -> float:
        """The log-probability of `token`, counted while the command path is being written."""
        if '":' in text:  # the path is the answer's first key
            return 0.0
        top = float(logits.max())
        return float(logits[token]) - top - math.log(float(np.exp(logits - top).sum()))
