"""The CLI schema: a typed model of `schemas/{name}.yaml` (format: docs/formats.md, section 1)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Iterator, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

ArgType = Literal["enum", "string", "integer", "float", "path", "boolean"]

SCHEMAS_DIR = Path(__file__).resolve().parents[3] / "schemas"


class SchemaError(ValueError):
    """A schema file that cannot be used; the message is one line naming file and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Flag(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    short: str | None = Field(default=None, pattern=r"^[A-Za-z0-9?]$")
    description: str = ""
    destructive: bool = False


class Arg(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    type: ArgType = "string"
    description: str = ""
    values: list[str] | None = None
    default: Any = None
    required: bool = False
    short: str | None = Field(default=None, pattern=r"^[A-Za-z0-9?]$")
    positional: bool = False
    repeatable: bool = False
    examples: list[Any] = []

    @model_validator(mode="after")
    def _check(self) -> Arg:
        if self.type == "enum" and not self.values:
            raise ValueError("an enum needs a non-empty 'values' list")
        if self.type != "enum" and self.values is not None:
            raise ValueError(f"'values' is only allowed on enum args, not {self.type}")
        if self.positional and self.short:
            raise ValueError("a positional arg has no short option")
        if self.default is not None and (problem := self.value_error(self.default)):
            raise ValueError(f"default {self.default!r}: {problem}")
        for example in self.examples:
            if problem := self.value_error(example, single=True):
                raise ValueError(f"example {example!r}: {problem}")
        return self

    def value_error(self, value: Any, single: bool = False) -> str | None:
        """Why `value` is not a valid JSON value for this arg, or None. A repeatable arg takes a
        non-empty list (or, with `single`, one item)."""
        if self.repeatable and not single:
            if not isinstance(value, list) or not value:
                return "expected a non-empty list"
            return next(filter(None, (self.value_error(v, single=True) for v in value)), None)
        if self.type == "integer":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif self.type == "float":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        elif self.type == "boolean":
            ok = isinstance(value, bool)
        else:
            ok = isinstance(value, str) and value != "" and "\n" not in value
        if not ok:
            return f"expected {self.type}, got {type(value).__name__} {value!r}"
        if self.type == "enum" and value not in self.values:
            return f"{value!r} is not one of {self.values}"
        return None


class Command(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
    description: str = ""
    aliases: list[str] = []
    subcommands: list[Command] = []
    args: list[Arg] = []
    flags: list[Flag] = []
    destructive: bool = False
    alias_of: str | None = None
    interspersed: bool = True

    @model_validator(mode="after")
    def _check(self) -> Command:
        if self.alias_of and (self.subcommands or self.args or self.flags):
            raise ValueError("a command with 'alias_of' inherits its target's args and flags; declare none")
        _unique("subcommands", [c.name for c in self.subcommands] + [a for c in self.subcommands for a in c.aliases])
        _unique("args", [a.name for a in self.args])
        _unique("flags", [f.name for f in self.flags])
        _unique("short options", [o.short for o in [*self.args, *self.flags] if o.short])
        clash = {a.name for a in self.args} & {f.name for f in self.flags}
        if clash:
            raise ValueError(f"{sorted(clash)} is both an arg and a flag")
        positionals = [a for a in self.args if a.positional]
        for arg in positionals[:-1]:
            if arg.repeatable:
                raise ValueError(f"only the last positional may be repeatable, not '{arg.name}'")
        return self


def _unique(what: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"duplicate name '{name}' among {what}")
        seen.add(name)


class Schema(_Strict):
    cli_name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str = ""
    commands: list[Command] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Schema:
        _unique("commands", [c.name for c in self.commands] + [a for c in self.commands for a in c.aliases])
        for path, node in self.walk():
            if node.alias_of is not None:
                target = self.find(node.alias_of.split())
                if target is None or target.alias_of or target.subcommands:
                    raise ValueError(f"{' '.join(path)}: alias_of '{node.alias_of}' is not an invocable command")
        return self

    def walk(self) -> Iterator[tuple[tuple[str, ...], Command]]:
        """Every command node, depth first in schema order, with its path of names."""

        def visit(prefix: tuple[str, ...], nodes: list[Command]):
            for node in nodes:
                path = (*prefix, node.name)
                yield path, node
                yield from visit(path, node.subcommands)

        yield from visit((), self.commands)

    def find(self, words: list[str] | tuple[str, ...]) -> Command | None:
        """The node at a path of names or aliases, or None."""
        nodes, node = self.commands, None
        for word in words:
            node = next((c for c in nodes if word == c.name or word in c.aliases), None)
            if node is None:
                return None
            nodes = node.subcommands
        return node

    @cached_property
    def leaves(self) -> dict[tuple[str, ...], Command]:
        """Invocable commands (no subcommands) by canonical path; shortcuts (alias_of) resolved
        to their target's definition and listed under the shortcut's path."""
        out: dict[tuple[str, ...], Command] = {}
        for path, node in self.walk():
            if node.subcommands:
                continue
            if node.alias_of:
                target = self.find(node.alias_of.split())
                node = target.model_copy(update={"name": node.name, "aliases": node.aliases, "alias_of": node.alias_of})
            out[path] = node
        return {p: n for p, n in out.items() if p not in self.shortcut_of}

    @cached_property
    def shortcut_of(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Long path → shortcut path, for targets of `alias_of` (the first shortcut wins)."""
        out: dict[tuple[str, ...], tuple[str, ...]] = {}
        for path, node in self.walk():
            if node.alias_of:
                out.setdefault(tuple(node.alias_of.split()), path)
        return out

    def resolve(self, words: list[str] | tuple[str, ...]) -> tuple[str, ...] | None:
        """Canonical path of a leaf named by names or aliases, or None if there is no such leaf."""
        path, nodes = [], self.commands
        for word in words:
            node = next((c for c in nodes if word == c.name or word in c.aliases), None)
            if node is None:
                return None
            path.append(node.name)
            nodes = node.subcommands
        canonical = self.shortcut_of.get(tuple(path), tuple(path))
        return canonical if canonical in self.leaves else None


Command.model_rebuild()


def error_location(data: Any, loc: tuple) -> str:
    """Render a pydantic error location with names: commands[pr].subcommands[list].args[state].type."""
    parts: list[str] = []
    node = data
    for i, key in enumerate(loc):
        if isinstance(key, int) and isinstance(node, list):
            item = node[key] if key < len(node) else None
            label = item.get("name") if isinstance(item, dict) and item.get("name") else key
            if parts:
                parts[-1] += f"[{label}]"
            else:
                parts.append(f"[{label}]")
            node = item
        else:
            if isinstance(key, str) and key.startswith(("function-after", "function-before")):
                continue
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts)


def parse_schema(data: Any, source: str = "<schema>") -> Schema:
    """Validate already-loaded YAML data; raise SchemaError with one line on failure."""
    try:
        return Schema.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = error_location(data, err["loc"]) or "(top level)"
        message = err["msg"].removeprefix("Value error, ")
        raise SchemaError(f"{source}: {where}: {message}") from None


def load_schema(path: str | Path) -> Schema:
    """Load and validate a schema file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark else ""
        raise SchemaError(f"{path}: {line}invalid YAML: {getattr(exc, 'problem', exc)}") from None
    return parse_schema(data, str(path))


def schema_path(name: str, schemas_dir: Path = SCHEMAS_DIR) -> Path:
    """Path of a named schema (`gh` → schemas/gh.yaml); a path to a YAML file is returned as is."""
    if name.endswith((".yaml", ".yml")):
        return Path(name)
    return schemas_dir / f"{name}.yaml"


def load_named(name: str) -> Schema:
    return load_schema(schema_path(name))


def list_schemas(schemas_dir: Path = SCHEMAS_DIR) -> list[Path]:
    return sorted(schemas_dir.glob("*.yaml"))
