"""Command JSON (docs/formats.md, section 2): its canonical form, semantic equality, and the
values a request states."""

from __future__ import annotations

import re
from typing import Any

from clitron_training.schema import Command, Schema


def path_of(cmd: dict) -> tuple[str, ...]:
    """The command path named by a command JSON: ("repo", "deploy-key", "add")."""
    sub = cmd.get("subcommand")
    return (cmd["command"], *(sub.split() if sub else ()))


def make(path: tuple[str, ...], args: dict | None = None, flags: list | None = None) -> dict:
    return {
        "command": path[0],
        "subcommand": " ".join(path[1:]) or None,
        "args": dict(args or {}),
        "flags": list(flags or []),
    }


def canonical(cmd: dict, schema: Schema) -> dict:
    """The canonical form of a valid command (see `validate.check_command`): aliases resolved,
    shortcut path, defaults dropped, repeatables as lists, schema order, all four keys."""
    path = schema.resolve(path_of(cmd))
    if path is None:
        raise ValueError(f"unknown command path {' '.join(path_of(cmd))!r}")
    leaf = schema.leaves[path]
    given = cmd.get("args") or {}
    args: dict[str, Any] = {}
    for arg in leaf.args:
        if arg.name not in given:
            continue
        value = given[arg.name]
        if arg.repeatable and not isinstance(value, list):
            value = [value]
        if value == arg.default:
            continue
        args[arg.name] = value
    on = set(cmd.get("flags") or [])
    flags = [f.name for f in leaf.flags if f.name in on]
    return make(path, args, flags)


def equal(a: dict, b: dict, schema: Schema) -> bool:
    """Semantic equality: same canonical form."""
    return canonical(a, schema) == canonical(b, schema)


def leaf_of(cmd: dict, schema: Schema) -> Command:
    return schema.leaves[schema.resolve(path_of(cmd))]


_TOKEN = re.compile(r"[a-z]+|\d+")
_NUMBER_WORDS = dict(zip("one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty fifty "
                         "hundred".split(), "1 2 3 4 5 6 7 8 9 10 11 12 15 20 30 50 100".split()))
_ME = re.compile(r"\b(i|me|my|mine|myself)\b")  # "i" covers "i'm" and "i've"
_HERE = re.compile(r"\bhere\b|\b(this|current) (directory|folder|dir)\b")
_SAID_AS = {"@me": _ME, ".": _HERE}  # values a request says in other words


def where_said(value: Any, request: str) -> int | None:
    """Where a request first says a value (a character offset), read loosely: the value itself;
    "me" or "my" for @me; "here" or "this directory" for "."; else any of its numbers or words
    (`number,title` from "numbers and titles", `until=24h` from "older than 24h", `>1000` from
    "over 1000"). None where it never does."""
    text, said = request.lower(), str(value).lower()
    if said in text:  # as a word of its own where it is one: "main" in "into main", not in "maintainer"
        whole = re.search(rf"(?<!\w){re.escape(said)}(?!\w)", text)
        return whole.start() if whole else text.index(said)
    if said in _SAID_AS:
        match = _SAID_AS[said].search(text)
        return match.start() if match else None
    tokens = _TOKEN.findall(said)
    for match in _TOKEN.finditer(text):
        word = _NUMBER_WORDS.get(match.group(), match.group())
        if any(_same_word(word, token) for token in tokens):
            return match.start()
    return None


def _same_word(word: str, token: str) -> bool:
    """A request's word read as a value's token: the same number, or a word of 3+ letters that one
    of the two begins ("fail" for "failing"; the word 4+ letters when it is the shorter)."""
    if token.isdigit():
        return word == token
    return len(token) >= 3 and (word.startswith(token) or (len(word) >= 4 and token.startswith(word)))


def stated(value: Any, request: str) -> bool:
    """Whether a request says a value, read as `where_said` reads it."""
    return where_said(value, request) is not None


def _mentions(said: str, text: str) -> int:
    """How many times a lowercased request says a lowercased value, "me" or "my" counted for @me."""
    return len(_SAID_AS[said].findall(text)) if said in _SAID_AS else text.count(said)


def drop_unstated(cmd: dict, request: str, schema: Schema) -> tuple[dict, dict]:
    """The command without the optional string, path and number values the request never states
    (a small model may invent `--repo failed` or loop inside a value), and what was dropped.
    Enum and boolean values are the schema's own words, not copied, and stay; so does a positional
    that a later one needs before it. A value said once backs one arg: one that the model also
    copied into a second optional arg (`gh run watch 4512345678 --repo 4512345678`) stays with the
    required or positional arg, else the first in schema order."""
    kept, dropped = dict(cmd["args"]), {}
    args, text = leaf_of(cmd, schema).args, request.lower()
    later_positional = False
    for arg in reversed(args):
        if arg.name not in kept:
            continue
        values = kept[arg.name] if isinstance(kept[arg.name], list) else [kept[arg.name]]
        if (not arg.required and arg.type not in ("enum", "boolean") and not (arg.positional and later_positional)
                and not all(stated(v, request) for v in values)):
            dropped[arg.name] = kept.pop(arg.name)
        elif arg.positional:
            later_positional = True
    holders: dict[str, int] = {}
    for arg in sorted(args, key=lambda a: not (a.required or a.positional)):  # sorted() is stable
        if arg.name not in kept or arg.type in ("enum", "boolean"):
            continue
        said = str(kept[arg.name]).lower()
        holders[said] = holders.get(said, 0) + 1
        if holders[said] > max(1, _mentions(said, text)) and not (arg.required or arg.positional):
            dropped[arg.name] = kept.pop(arg.name)
    return {**cmd, "args": kept}, dropped
