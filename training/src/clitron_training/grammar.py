"""The grammar of one CLI's answers (the model's text for a canonical command, `prompt.completion`),
compiled from its schema.

Only real command paths, that command's arg names (in schema order, required ones present, no
positional after one left out), enum values, typed values and flags (after the args, in schema
order) can be produced, so every complete output is schema-valid by construction. Defaults are
excluded where the canonical form drops them (enum and boolean defaults), so outputs are
canonical too.

The grammar is compiled into a character-level automaton (an NFA over states, as in Thompson's
construction) rather than into llama.cpp's GBNF, for two reasons measured on 2 CPU cores:
llama.cpp's grammar sampler tests every vocabulary token at every step (~10 ms per token with a
49k vocabulary), while the engine here tests only the model's top candidates against the automaton
(microseconds each); and the automaton knows where the next characters are forced (keys,
punctuation, the rest of a unique name), which lets the engine jump forward over them instead of
decoding them one token at a time. `to_gbnf` exports the same language for llama.cpp's own
sampler (llama-server, the baseline benchmark).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Callable

from clitron_training.schema import Arg, Schema

DIGITS = "0123456789"
MAX_DIGITS = 12
MAX_ITEMS = 8  # values of a repeatable option


class _StringChar:
    """Any character allowed unescaped inside a JSON string."""

    def __contains__(self, char: str) -> bool:
        return char not in '"\\' and char >= " "


STRING_CHAR = _StringChar()


class Grammar:
    def __init__(self, schema: Schema):
        self.schema = schema
        self.edges: list[list[tuple[object, int]]] = []
        self.eps: list[list[int]] = []
        self.start = self._state()
        self.accept = self._state()
        for path, leaf in schema.leaves.items():
            s = self._lit(self.start, "{" + json.dumps(" ".join(path)) + ":{")
            items = [(arg.required, arg.positional, self._arg_builder(arg)) for arg in leaf.args if self._has_values(arg)]
            items += [(False, False, self._literal_builder(f"{json.dumps(f.name)}:true")) for f in leaf.flags]
            self.eps[self._lit(self._ordered(s, items), "}}")].append(self.accept)
        self.initial = self._closure(frozenset([self.start]))

    # --- construction ----------------------------------------------------------------------

    def _state(self) -> int:
        self.edges.append([])
        self.eps.append([])
        return len(self.edges) - 1

    def _edge(self, a: int, chars, b: int | None = None) -> int:
        b = self._state() if b is None else b
        self.edges[a].append((chars, b))
        return b

    def _lit(self, s: int, text: str) -> int:
        for char in text:
            s = self._edge(s, char)
        return s

    def _alternatives(self, s: int, texts: list[str]) -> int:
        end = self._state()
        for text in texts:
            self.eps[self._lit(s, text)].append(end)
        return end

    def _ordered(self, s: int, items: list[tuple[bool, bool, Callable[[int], int]]]) -> int:
        """Items (required, positional, builder) in the given order, each optional unless required,
        separated by commas. Once a positional is left out no later one may follow, since a command
        line gives a positional only after the ones before it."""
        n = len(items)
        positionals = [required for required, positional, _ in items if positional]
        tracked = not all(positionals[:-1])  # an optional positional with another after it: gaps matter
        gaps = (False, True) if tracked else (False,)
        # at[i, written, gap]: before item i; whether anything is written yet (the next needs a
        # comma); whether a positional was left out
        at = {(i, written, gap): self._state() for i in range(n + 1) for written in (False, True) for gap in gaps}
        end = self._state()
        self.eps[s].append(at[0, False, False])
        for (i, written, gap), state in at.items():
            if i == n:
                self.eps[state].append(end)
                continue
            required, positional, build = items[i]
            if not (positional and gap):
                self.eps[build(self._lit(state, ",") if written else state)].append(at[i + 1, True, gap])
            if not required:
                self.eps[state].append(at[i + 1, written, gap or (positional and tracked)])
        return end

    def _literal_builder(self, text: str) -> Callable[[int], int]:
        return lambda s: self._lit(s, text)

    @staticmethod
    def _choices(arg: Arg) -> list[str] | None:
        """The literal values an enum or boolean arg may take in canonical form."""
        if arg.type == "enum":
            return [json.dumps(v) for v in arg.values if v != arg.default]
        if arg.type == "boolean":
            return [json.dumps(v) for v in (True, False) if v != arg.default]
        return None

    def _has_values(self, arg: Arg) -> bool:
        choices = self._choices(arg)
        return choices is None or bool(choices) or arg.repeatable

    def _arg_builder(self, arg: Arg) -> Callable[[int], int]:
        def value(s: int) -> int:
            choices = self._choices(arg)
            if arg.repeatable and choices is not None:
                choices = [json.dumps(v) for v in (arg.values or [True, False])]
            if choices is not None:
                return self._alternatives(s, choices)
            if arg.type in ("integer", "float"):
                s = self._state_after_optional(s, "-")
                digits = self._state()  # JSON numbers: 0, or no leading zero
                self.eps[self._edge(s, "0")].append(digits)
                self.eps[self._digits(self._edge(s, "123456789"), MAX_DIGITS - 1, optional=True)].append(digits)
                if arg.type == "integer":
                    return digits
                end = self._state()
                self.eps[digits].append(end)
                self.eps[self._digits(self._edge(digits, "."), MAX_DIGITS)].append(end)
                return end
            opened = self._edge(s, '"')
            body, escape = self._state(), self._state()
            for a in (opened, body):
                self._edge(a, STRING_CHAR, body)
                self._edge(a, "\\", escape)
            self._edge(escape, '"\\/', body)
            return self._edge(body, '"')

        def item(s: int) -> int:
            s = self._lit(s, f"{json.dumps(arg.name)}:")
            if not arg.repeatable:
                return value(s)
            item = value(self._edge(s, "["))
            end = self._edge(item, "]")
            for _ in range(MAX_ITEMS - 1):  # bounded, like the digits
                item = value(self._edge(item, ","))
                self._edge(item, "]", end)
            return end

        return item

    def _digits(self, s: int, most: int, optional: bool = False) -> int:
        """1 (0 if optional) to `most` digits: bounded, so a confused model cannot write digits forever."""
        end = self._state()
        if optional:
            self.eps[s].append(end)
        for _ in range(most):
            s = self._edge(s, DIGITS)
            self.eps[s].append(end)
        return end

    def _state_after_optional(self, s: int, char: str) -> int:
        after = self._edge(s, char)
        self.eps[s].append(after)
        return after

    # --- matching --------------------------------------------------------------------------

    @lru_cache(maxsize=65536)
    def _closure(self, states: frozenset[int]) -> frozenset[int]:
        seen, todo = set(states), list(states)
        while todo:
            for nxt in self.eps[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return frozenset(seen)

    @lru_cache(maxsize=262144)
    def advance(self, states: frozenset[int], text: str) -> frozenset[int] | None:
        """The states after reading `text`, or None if the text cannot continue a valid output."""
        for char in text:
            states = self._closure(frozenset(b for s in states for chars, b in self.edges[s] if char in chars))
            if not states:
                return None
        return states

    def accepts(self, states: frozenset[int]) -> bool:
        return self.accept in states

    def finished(self, states: frozenset[int]) -> bool:
        """Complete, with nothing more that could follow."""
        return self.accepts(states) and not any(self.edges[s] for s in states)

    @lru_cache(maxsize=65536)
    def forced(self, states: frozenset[int]) -> str:
        """The characters that must come next, up to the next choice."""
        out = []
        while not self.accepts(states):
            options = {chars for s in states for chars, _ in self.edges[s]}
            if len(options) != 1:
                break
            (chars,) = options
            if not isinstance(chars, str) or len(chars) != 1:
                break
            out.append(chars)
            states = self.advance(states, chars)
        return "".join(out)

    def shortest_completion(self, states: frozenset[int]) -> str:
        """The shortest text that makes a complete output from `states` (breadth-first search; a
        character class is represented by one of its characters)."""
        seen, frontier = {states}, [(states, "")]
        while frontier:
            next_frontier = []
            for current, text in frontier:
                if self.accepts(current):
                    return text
                for chars in {chars for s in current for chars, _ in self.edges[s]}:
                    char = "x" if chars is STRING_CHAR else chars[0]
                    nxt = self.advance(current, char)
                    if nxt is not None and nxt not in seen:
                        seen.add(nxt)
                        next_frontier.append((nxt, text + char))
            frontier = next_frontier
        raise ValueError("no completion: the grammar has no accepting state reachable")

    def matches(self, text: str) -> bool:
        states = self.advance(self.initial, text)
        return states is not None and self.accepts(states)

    # --- export ----------------------------------------------------------------------------

    def to_gbnf(self) -> str:
        """The same language as a llama.cpp GBNF grammar (one rule per automaton state)."""

        def charclass(chars) -> str:
            if chars is STRING_CHAR:
                return '[^"\\\\\\x00-\\x1f]'
            if len(chars) == 1:
                return json.dumps(chars)
            return "[" + "".join("\\" + c if c in "]\\-^" else c for c in chars) + "]"

        lines = [f"root ::= s{self.start}"]
        for s in range(len(self.edges)):
            alts = [f"{charclass(chars)} s{b}" for chars, b in self.edges[s]] + [f"s{b}" for b in self.eps[s]]
            if s == self.accept:
                alts.append('""')
            lines.append(f"s{s} ::= " + (" | ".join(alts) if alts else '""'))
        return "\n".join(lines) + "\n"
