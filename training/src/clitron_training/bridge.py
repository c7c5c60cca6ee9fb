"""The bridge between command JSON and a real command line.

`render` is canonical: options in schema order with long names, flags after them, positionals
last, defaults dropped; so two commands are semantically equal exactly when they render alike.
`parse` reads what people type: short options, bundled short flags (`-it`), `--opt=value`,
aliases, shortcuts and positionals. Both are small hand-written functions on purpose: argparse
and click cannot be driven from a schema at run time with cobra's conventions (interspersed
options, `-dp 80:80`, shortcuts like `docker ps`).
"""

from __future__ import annotations

import shlex

from clitron_training.command import canonical, make
from clitron_training.schema import Arg, Schema


class ParseError(ValueError):
    pass


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(cmd: dict, schema: Schema) -> list[str]:
    """argv (executable first) for a valid command JSON."""
    cmd = canonical(cmd, schema)
    leaf = schema.leaves[schema.resolve([cmd["command"], *(cmd["subcommand"] or "").split()])]
    argv = [schema.cli_name, cmd["command"], *(cmd["subcommand"] or "").split()]
    positional: list[str] = []
    for arg in leaf.args:
        if arg.name not in cmd["args"]:
            continue
        values = cmd["args"][arg.name]
        for value in values if arg.repeatable else [values]:
            if arg.positional:
                positional.append(_text(value))
            elif arg.type == "boolean":
                argv.append(f"--{arg.name}={_text(value)}")
            else:
                argv += [f"--{arg.name}", _text(value)]
    argv += [f"--{flag}" for flag in cmd["flags"]]
    # `--` keeps a positional that looks like an option from being read as one; a command that
    # stops reading options at its first positional only needs it before that one.
    if any(p.startswith("-") for p in (positional if leaf.interspersed else positional[:1])):
        argv.append("--")
    return argv + positional


def render_line(cmd: dict, schema: Schema) -> str:
    """The command as one shell line, quoted where needed."""
    return shlex.join(render(cmd, schema))


def _convert(arg: Arg, text: str):
    if arg.type == "integer":
        try:
            return int(text)
        except ValueError:
            raise ParseError(f"--{arg.name} expects an integer, got {text!r}") from None
    if arg.type == "float":
        try:
            return float(text)
        except ValueError:
            raise ParseError(f"--{arg.name} expects a number, got {text!r}") from None
    if arg.type == "boolean":
        if text.lower() not in ("true", "false"):
            raise ParseError(f"--{arg.name} expects true or false, got {text!r}")
        return text.lower() == "true"
    if arg.type == "enum" and text not in arg.values:
        raise ParseError(f"--{arg.name} must be one of {', '.join(arg.values)}, got {text!r}")
    return text


def parse(argv: list[str] | str, schema: Schema) -> dict:
    """Canonical command JSON for a command line (a string is split like a shell would)."""
    words = shlex.split(argv) if isinstance(argv, str) else list(argv)
    if words and words[0] == schema.cli_name:
        words = words[1:]
    depth = 0
    while depth < len(words) and schema.find(words[: depth + 1]) is not None:
        depth += 1
    path = schema.resolve(words[:depth])
    if path is None:
        raise ParseError(f"{' '.join([schema.cli_name, *words[:depth + 1]])}: not a {schema.cli_name} command")
    leaf = schema.leaves[path]
    by_long = {**{a.name: a for a in leaf.args if not a.positional}, **{f.name: f for f in leaf.flags}}
    by_short = {o.short: o for o in [*leaf.args, *leaf.flags] if o.short}
    slots = [a for a in leaf.args if a.positional]
    args: dict = {}
    flags: list[str] = []
    positional: list[str] = []

    def put(option, value: str | None, rest: list[str]) -> None:
        if not isinstance(option, Arg):
            if value is not None and value.lower() not in ("true", "false"):
                raise ParseError(f"--{option.name} takes no value")
            if value is None or value.lower() == "true":
                flags.append(option.name)
            return
        if value is None:
            if not rest:
                raise ParseError(f"--{option.name} needs a value")
            value = rest.pop(0)
        converted = _convert(option, value)
        if option.repeatable:
            args.setdefault(option.name, []).append(converted)
        else:
            args[option.name] = converted

    rest = words[depth:]
    options_done = False
    while rest:
        word = rest.pop(0)
        if options_done or word == "-" or not word.startswith("-"):
            positional.append(word)
            options_done = options_done or not leaf.interspersed
        elif word == "--":
            options_done = True
        elif word.startswith("--"):
            name, eq, value = word[2:].partition("=")
            if name not in by_long:
                raise ParseError(f"unknown option --{name} for {schema.cli_name} {' '.join(path)}")
            put(by_long[name], value if eq else None, rest)
        else:
            letters = word[1:]
            for i, letter in enumerate(letters):
                option = by_short.get(letter)
                if option is None:
                    raise ParseError(f"unknown option -{letter} for {schema.cli_name} {' '.join(path)}")
                if isinstance(option, Arg):
                    put(option, letters[i + 1 :].removeprefix("=") or None, rest)
                    break
                put(option, None, rest)

    for slot in slots:
        if not positional:
            break
        if slot.repeatable:
            args[slot.name] = [_convert(slot, p) for p in positional]
            positional = []
        else:
            args[slot.name] = _convert(slot, positional.pop(0))
    if positional:
        raise ParseError(f"unexpected argument {positional[0]!r} for {schema.cli_name} {' '.join(path)}")
    return canonical(make(path, args, flags), schema)
