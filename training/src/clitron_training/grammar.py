"""The grammar of one CLI's answers (the model's text for a command, `prompt.completion`),
compiled from its schema.

Only real command paths, that command's own args and flags (each at most once, required ones
present, no positional without every positional before it), enum values and typed values can be
produced, so every complete output is schema-valid by construction. The options may come in any order:
training teaches the canonical (schema) order, but a model that writes `repo` before `jq` has not
said anything wrong, and a grammar that held it to schema order could only make it drop `jq` (on
gh's val set that cost 5 points against the unconstrained model). The engine puts what comes out
into canonical form.

The grammar is compiled into a character-level automaton (an NFA over states, as in Thompson's
construction) rather than into llama.cpp's GBNF, for two reasons measured on 2 CPU cores:
llama.cpp's grammar sampler tests every vocabulary token at every step (~10 ms per token with a
49k vocabulary), while the engine here tests only the model's top candidates against the automaton
(microseconds each); and the automaton knows where the next characters are forced (keys,
punctuation, the rest of a unique name), which lets the engine jump forward over them instead of
decoding them one token at a time. A position in the grammar is the automaton's states and the
items written so far, which carry the rules no automaton of practical size can (one state per
subset of items).
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


Position = tuple  # (automaton states, items written): what the matching methods take and return


class Grammar:
    def __init__(self, schema: Schema):
        self.schema = schema
        self.edges: list[list[tuple[object, int]]] = []
        self.eps: list[list[int]] = []
        self.item_start: list[int] = []  # item -> the state its text starts from
        self.item_done: dict[int, int] = {}  # the state after an item's text -> that item
        self.closing: dict[int, tuple[frozenset[int], tuple[int, ...]]] = {}  # "}}" state -> its leaf's rule
        self.start = self._state()
        self.accept = self._state()
        for path, leaf in schema.leaves.items():
            opened = self._lit(self.start, "{" + json.dumps(" ".join(path)) + ":{")
            first = len(self.item_start)  # this leaf's items are numbered from here, its args first
            builders = [self._arg_builder(arg) for arg in leaf.args]
            builders += [self._literal_builder(f"{json.dumps(f.name)}:true") for f in leaf.flags]
            self._any_order(opened, builders, frozenset(first + i for i, a in enumerate(leaf.args) if a.required),
                            tuple(first + i for i, a in enumerate(leaf.args) if a.positional))
        self.initial = self._prune(self._closure(frozenset([self.start])), frozenset())

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

    def _any_order(self, opened: int, builders: list[Callable[[int], int]], required: frozenset[int],
                   positionals: tuple[int, ...]) -> None:
        """One leaf's items (args, then flags) in any order, comma-separated, then "}}". The
        automaton lets any item follow any other; the matching methods keep the rules it does not
        spell out (an automaton that did would need a state per subset of items): each item at most
        once; "}}" only with the required items written and no positional without every
        positional before it (a command line gives a positional only after those before it)."""
        closer = self._state()
        self.closing[closer] = (required, positionals)
        comma = self._state()
        self._edge(opened, "}", closer)
        for build in builders:
            item_start = self._state()
            self.item_start.append(item_start)
            self.eps[opened].append(item_start)
            self.eps[comma].append(item_start)
            done = build(item_start)
            self.item_done[done] = len(self.item_start) - 1
            self._edge(done, ",", comma)
            self._edge(done, "}", closer)
        self.eps[self._edge(closer, "}")].append(self.accept)

    def _literal_builder(self, text: str) -> Callable[[int], int]:
        return lambda s: self._lit(s, text)

    @staticmethod
    def _choices(arg: Arg) -> list[str] | None:
        """The literal values an enum or boolean arg may take. Defaults included: a model that says
        `"state":"open"` of open PRs is right (the engine drops the default), and one held off the
        default could only say `"closed"`."""
        if arg.type == "enum":
            return [json.dumps(v) for v in arg.values]
        if arg.type == "boolean":
            return [json.dumps(v) for v in (True, False)]
        return None

    def _arg_builder(self, arg: Arg) -> Callable[[int], int]:
        def value(s: int) -> int:
            choices = self._choices(arg)
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

    def _may_close(self, closer: int, used: frozenset[int]) -> bool:
        required, positionals = self.closing[closer]
        given = [p in used for p in positionals]
        return required <= used and all(given[: sum(given)])

    def _prune(self, states: frozenset[int], used: frozenset[int]) -> Position | None:
        """Drop what the rules rule out: items written already, a close the leaf's rule forbids,
        and pass-through states (their successors are in the set)."""
        written = {self.item_start[i] for i in used}
        kept = frozenset(s for s in states if (self.edges[s] or s == self.accept) and s not in written
                         and (s not in self.closing or self._may_close(s, used)))
        return (kept, used) if kept else None

    @lru_cache(maxsize=262144)
    def advance(self, position: Position, text: str) -> Position | None:
        """The position after reading `text`, or None if the text cannot continue a valid output."""
        for char in text:
            states, used = position
            moved, done = set(), set(used)
            for s in states:
                for chars, b in self.edges[s]:
                    if char in chars:
                        moved.add(b)
                        if s in self.item_done:  # leaving an item's end: that item is written
                            done.add(self.item_done[s])
            position = self._prune(self._closure(frozenset(moved)), frozenset(done))
            if position is None:
                return None
        return position

    def accepts(self, position: Position) -> bool:
        return self.accept in position[0]

    def finished(self, position: Position) -> bool:
        """Complete, with nothing more that could follow."""
        return self.accepts(position) and not any(self.edges[s] for s in position[0])

    def _options(self, position: Position) -> set:
        return {chars for s in position[0] for chars, _ in self.edges[s]}

    @lru_cache(maxsize=65536)
    def forced(self, position: Position) -> str:
        """The characters that must come next, up to the next choice."""
        out = []
        while not self.accepts(position):
            options = self._options(position)
            if not all(isinstance(chars, str) and len(chars) == 1 for chars in options):
                break
            viable = [(char, nxt) for char in options if (nxt := self.advance(position, char)) is not None]
            if len(viable) != 1:  # a choice (or, from `_options` alone, a close the rules forbid)
                break
            char, position = viable[0]
            out.append(char)
        return "".join(out)

    def shortest_completion(self, position: Position) -> str:
        """The shortest text that makes a complete output from `position` (breadth-first search; a
        character class is represented by one of its characters)."""
        seen, frontier = {position}, [(position, "")]
        while frontier:
            next_frontier = []
            for current, text in frontier:
                if self.accepts(current):
                    return text
                for chars in self._options(current):
                    char = "x" if chars is STRING_CHAR else chars[0]
                    nxt = self.advance(current, char)
                    if nxt is not None and nxt not in seen:
                        seen.add(nxt)
                        next_frontier.append((nxt, text + char))
            frontier = next_frontier
        raise ValueError("no completion: the grammar has no accepting state reachable")

    def matches(self, text: str) -> bool:
        position = self.advance(self.initial, text)
        return position is not None and self.accepts(position)
