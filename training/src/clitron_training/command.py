"""Command JSON (docs/formats.md, section 2): its canonical form and semantic equality."""

from __future__ import annotations

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
