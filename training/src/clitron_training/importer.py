"""Draft a clitron schema by walking a cobra-style CLI's `--help` output (`docker`, `gh`).

Runs `<cli> <path...> --help` for every command, parses the text and builds a plain dict in
the schema format of docs/formats.md, section 1. The result is a draft for a person to review.

Parsing is regex-based on purpose: no library parses cobra help, and each CLI customises the
layout (docker: `Usage:  docker run ...`, `Options:`; gh: `USAGE`, `FLAGS`, `name:  description`).

Mapping rules, in short:
- options without a value word are `flags`; the others are `args` typed from the value word
  (`int`/`uint16` → integer, `float`/`decimal` → float, `bool` → boolean, `list`/`strings`/`map`
  and other multi-value kinds → repeatable string, `file`/`path`/`dir` → path); `{a|b}` (gh) or
  `("a", "b")` (docker) in the description makes an enum, and a name with a word like `file` or
  `dir` in it a path; `count` options (`-v -v`) are flags;
- `(default X)` becomes `default` when it is a usable value: empty ones (`""`, `[]`, `map[]`,
  `0s`) and defaults of repeatable args are dropped, numbers (0 included) are kept because the
  CLI really uses them when the option is absent, and an enum default must be one of its values;
- `-h/--help`, global and inherited options (`Global Options:`, `INHERITED FLAGS`) are skipped;
  a command group keeps only its subcommands;
- positionals come from the usage line: `IMAGE [COMMAND] [ARG...]`, `[<number> | <url>]`,
  `<files>...`, `CONTAINER [CONTAINER...]`, named by their first alternative, renamed `x_arg`
  when an option is called `x`; a command taking `COMMAND [ARG...]` is not `interspersed`;
- docker's `Aliases:` line names the canonical path first: a top-level shortcut such as
  `docker run` becomes `{name: run, alias_of: container run}` (or keeps its full definition when
  the target was not imported); other spellings under the same parent become `aliases`;
- commands named or described as deleting (delete, rm, remove, prune, ...) are `destructive`,
  and so is a `--force` flag.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Callable

import yaml

RunHelp = Callable[[list[str]], str]
"""Returns the help text for an argv `[cli, *path, "--help"]`; raises OSError or
subprocess.SubprocessError when the help cannot be read."""

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_HEADER_UPPER = re.compile(r"^[A-Z][A-Z0-9 ]*[A-Z]$")  # gh: `USAGE`, `CORE COMMANDS`
_HEADER_TITLE = re.compile(r"^([A-Z][A-Za-z]*(?: [A-Za-z]+)*):(?:\s+(\S.*))?$")  # `Usage:  docker`
_COMMAND_LINE = re.compile(r"^\s+([A-Za-z0-9][\w.-]*)\*?:?(?:\s+(\S.*))?$")
_OPTION_LINE = re.compile(
    r"^\s{1,8}(?:-(?P<short>[A-Za-z0-9?]),\s+)?--(?P<long>[A-Za-z0-9][\w.-]*)\S*"
    r"(?: (?P<value>\S+))?(?:\s{2,}(?P<description>.*))?$"
)
_OPTION_INDENT_MAX = 8  # deeper lines in an options section continue the previous description
_DEFAULT = re.compile(r"\s*\(default (?P<value>\"[^\"]*\"|[^()\s][^()]*)\)\s*$")
_ENUM = re.compile(  # gh `{open|closed}`, docker `("always", "missing")`
    r':?\s*(?:\{(?P<braced>[\w.-]+(?:\|[\w.-]+)+)\}|\((?P<quoted>"[\w.-]+"(?:,\s*"[\w.-]+")+)\))'
)
_EMPTY_DEFAULTS = {"", "[]", "map[]", "{}", "0s"}
_VALUE_KINDS: dict[str, tuple[str, bool]] = {  # value word → (type, repeatable)
    **dict.fromkeys(
        ("int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64"),
        ("integer", False),
    ),
    **dict.fromkeys(("ints", "uints", "intslice", "uintslice"), ("integer", True)),
    **dict.fromkeys(("float", "float32", "float64", "decimal"), ("float", False)),
    "floats": ("float", True),
    "bool": ("boolean", False),
    "bools": ("boolean", True),
    **dict.fromkeys(("file", "path", "dir", "directory", "filename"), ("path", False)),
    **dict.fromkeys(
        # pflag's slices and maps, and docker's list-valued option types
        ("list", "map", "stringarray", "strings", "stringslice", "stringtostring",
         "filter", "ulimit", "mount", "pref", "port"),
        ("string", True),
    ),
}
_PATH_WORDS = {"file", "path", "dir", "directory", "filename"}
_USAGE_PLACEHOLDERS = {"options", "flags"}
_DESTRUCTIVE_WORDS = {"delete", "rm", "rmi", "remove", "prune", "destroy", "purge"}


@dataclass
class Option:
    """One line of an options section."""

    long: str
    short: str | None
    value: str | None  # the value word (`string`, `int`, `list`...); None for a switch
    description: str


@dataclass
class HelpPage:
    """What one `--help` text says about its command."""

    usage: str = ""
    description: str = ""
    commands: list[tuple[str, str]] = field(default_factory=list)  # (name, description)
    options: list[Option] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # raw entries: `docker container ls`, `ls`


def parse_help(text: str) -> HelpPage:
    """Parse a cobra-style help text (docker or gh layout); unknown lines are skipped."""
    page = HelpPage()
    for kind, lines in _sections(text):
        body = [line for line in lines if line.strip()]
        if kind is None and body and not page.description:
            page.description = _first_paragraph(lines)
        elif kind == "usage" and body and not page.usage:
            page.usage = body[0].strip()
        elif kind == "aliases":
            page.aliases += [a.strip() for a in " ".join(body).split(",") if a.strip()]
        elif kind == "commands":
            page.commands += _parse_commands(body)
        elif kind == "options":
            page.options += _parse_options(body)
    return page


def _sections(text: str) -> list[tuple[str | None, list[str]]]:
    """Split help text into (kind, lines) blocks; kind None is free text such as the description."""
    blocks: list[tuple[str | None, list[str]]] = [(None, [])]
    for raw in _ANSI.sub("", text).expandtabs().splitlines():
        line = raw.rstrip()
        if line and not line[0].isspace():
            upper, title = _HEADER_UPPER.match(line), _HEADER_TITLE.match(line)
            if upper or title:
                inline = title[2] if title else None
                blocks.append((_section_kind(line), [inline] if inline else []))
                continue
            if blocks[-1][0] is not None:
                blocks.append((None, []))
        blocks[-1][1].append(line)
    return blocks


def _section_kind(header: str) -> str:
    """usage, aliases, commands, options or other, from a section header."""
    header = header.split(":")[0].upper()
    if "USAGE" in header:
        return "usage"
    if "ALIAS" in header:
        return "aliases"
    if "GLOBAL" in header or "INHERITED" in header:
        return "other"
    if "COMMAND" in header:
        return "commands"
    if "FLAG" in header or "OPTION" in header:
        return "options"
    return "other"


def _first_paragraph(lines: list[str]) -> str:
    paragraph: list[str] = []
    for line in lines:
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            break
    return " ".join(paragraph)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _parse_commands(lines: list[str]) -> list[tuple[str, str]]:
    """`  run         Create and run...` (docker) or `  list:   List pull requests` (gh)."""
    entries: list[tuple[str, str]] = []
    indent = None
    for line in lines:
        if indent is not None and _indent(line) > indent and entries:  # wrapped description
            name, description = entries[-1]
            entries[-1] = (name, f"{description} {line.strip()}".strip())
        elif match := _COMMAND_LINE.match(line):
            indent = _indent(line)
            entries.append((match[1], (match[2] or "").strip()))
    return entries


def _parse_options(lines: list[str]) -> list[Option]:
    """pflag option lines, joining wrapped descriptions onto their option."""
    options: list[Option] = []
    for line in lines:
        match = _OPTION_LINE.match(line)
        if match:
            value = re.sub(r"\[=.*$", "", match["value"] or "") or None  # `string[="x"]`
            options.append(Option(match["long"], match["short"], value, match["description"] or ""))
        elif options and _indent(line) > _OPTION_INDENT_MAX:
            options[-1].description += " " + line.strip()
    return options


def option_entry(option: Option) -> tuple[str, dict]:
    """Map a parsed option to ("flags", flag) or ("args", arg) in schema form."""
    if option.value is None or option.value.lower() == "count":  # `-v, --verbose count` is -vvv
        return "flags", _compact(
            {"name": option.long, "short": option.short,
             "description": " ".join(option.description.split()), "destructive": option.long == "force"}
        )
    description, raw_default = _split_default(option.description)
    type_, repeatable = _VALUE_KINDS.get(option.value.lower(), ("string", False))
    if type_ == "string" and _looks_like_path(option.long):
        type_ = "path"
    enum = _ENUM.search(description)
    values = re.findall(r"[\w.-]+", enum["braced"] or enum["quoted"]) if enum else None
    if values:
        type_ = "enum"
        description = " ".join(_ENUM.sub("", description).split())
    default = None if repeatable else _typed_default(raw_default, type_, values)
    return "args", _compact(
        {"name": option.long, "short": option.short, "type": type_, "values": values,
         "default": default, "repeatable": repeatable, "description": description}
    )


def _split_default(description: str) -> tuple[str, str | None]:
    """(description without its trailing `(default X)`, X unquoted or None)."""
    match = _DEFAULT.search(description)
    if not match:
        return " ".join(description.split()), None
    return " ".join(description[: match.start()].split()), match["value"].strip().strip('"')


def _typed_default(raw: str | None, type_: str, values: list[str] | None):
    """The default as a value of `type_`, or None when absent, empty or not of that type."""
    if raw is None or raw in _EMPTY_DEFAULTS:
        return None
    if type_ == "integer":
        return int(raw) if re.fullmatch(r"-?\d+", raw) else None
    if type_ == "float":
        return float(raw) if re.fullmatch(r"-?\d+(\.\d+)?", raw) else None
    if type_ == "boolean":
        return {"true": True, "false": False}.get(raw)
    if type_ == "enum":
        return raw if raw in values else None
    return raw


def _looks_like_path(name: str) -> bool:
    return any(word in _PATH_WORDS for word in re.split(r"[-_.]", name.lower()))


def usage_positionals(tail: str) -> list[dict]:
    """Positional args from the part of a usage line after the command path."""
    found: list[dict] = []
    _collect_positionals(_usage_units(tail), optional=False, found=found)
    for arg in found[:-1]:  # only the last positional may take the remaining words
        arg.pop("repeatable", None)
    return found


def _usage_units(text: str) -> list[str]:
    """Split on spaces outside [..] and {..}, keeping `a | b` alternations as one unit."""
    units, current, depth = [], "", 0
    for char in re.sub(r"\s*\|\s*", "|", text.strip()):
        if char.isspace() and depth == 0:
            units.append(current)
            current = ""
            continue
        depth += (char in "[{") - (char in "]}")
        current += char
    return [unit for unit in [*units, current] if unit]


def _collect_positionals(units: list[str], optional: bool, found: list[dict]) -> None:
    """Append the positionals named by usage units to `found`; [..] groups are optional."""
    while units:
        unit = units.pop(0)
        if unit == "--":  # what follows is passed through: `[-- <gitflags>...]`
            break
        if unit.startswith("-"):  # `-s <shell>` or `-` (stdin): not positionals
            if len(unit) > 1 and units and units[0].startswith("<"):
                units.pop(0)
        elif unit[0] in "[{" and unit[-1] == {"[": "]", "{": "}"}[unit[0]]:
            _collect_positionals(_usage_units(unit[1:-1]), optional or unit[0] == "[", found)
        else:
            _add_positional(found, unit, optional)


def _add_positional(found: list[dict], unit: str, optional: bool) -> None:
    """Append `IMAGE`, `<name>...` or `NAME|ID` (the first alternative names it) to `found`."""
    first = unit.split("|")[0]
    repeatable = first.endswith("...") or unit.endswith("...")
    words = re.sub(r"\[[^\]]*\]|\.\.\.|[<>]", "", first).lower()
    name = re.sub(r"[^a-z0-9_-]+", "_", words).strip("_-")
    if not name or name in _USAGE_PLACEHOLDERS:
        return
    if found and found[-1]["name"] == name and repeatable:  # `CONTAINER [CONTAINER...]`
        found[-1]["repeatable"] = True
        return
    found.append(_compact(
        {"name": name, "type": "path" if _looks_like_path(name) else "string",
         "positional": True, "required": not optional, "repeatable": repeatable}
    ))


def alias_info(path: tuple[str, ...], entries: list[str], cli_name: str) -> tuple[str | None, list[str]]:
    """From a help page's alias entries: (canonical path if `path` is a shortcut, aliases).

    docker lists every spelling, canonical first (`docker container ls, docker container list,
    docker ps`); gh lists only the other spellings (`gh pr ls`); cobra's default, bare names."""
    paths: list[tuple[str, ...]] = []
    for entry in entries:
        words = tuple(entry.split())
        if words[:1] == (cli_name,):
            words = words[1:]
        elif len(words) == 1:
            words = (*path[:-1], *words)
        if words and words not in paths:
            paths.append(words)
    if path in paths and paths[0] != path:
        return " ".join(paths[0]), []
    aliases = [
        words[-1] for words in paths
        if words[-1] != path[-1] and (path not in paths or words[:-1] == path[:-1])
    ]
    return None, list(dict.fromkeys(aliases))


def _is_destructive(name: str, description: str) -> bool:
    """Named (`rm`, `image-prune`) or described (`Remove one or more...`) as deleting."""
    words = [*name.lower().split("-"), *description.lower().split()[:1]]
    return any(word in _DESTRUCTIVE_WORDS for word in words)


def _compact(entry: dict) -> dict:
    """Drop unset fields (None, False, empty) so the draft only says what it knows."""
    return {k: v for k, v in entry.items() if v is not None and v is not False and v != "" and v != []}


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or `name_arg`, `name_arg2`... when an option already uses it."""
    candidate, n = name, 1
    while candidate in taken:
        candidate = f"{name}_arg{n if n > 1 else ''}"
        n += 1
    return candidate


def _warn(message: str) -> None:
    print(f"clitron import: warning: {message}", file=sys.stderr)


def default_run_help(argv: list[str], timeout: float = 20.0) -> str:
    """Run `argv` without colour, pager or prompts; stdout and stderr together."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb", "PAGER": "cat",
           "GH_PAGER": "cat", "GH_PROMPT_DISABLED": "1", "GH_NO_UPDATE_NOTIFIER": "1"}
    done = subprocess.run(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, errors="replace", env=env, timeout=timeout, check=True,
    )
    return done.stdout


class _Walker:
    """Walks the command tree, one `--help` per command, remembering what it imported."""

    def __init__(self, cli: str, run_help: RunHelp, max_depth: int):
        self.cli, self.run_help, self.max_depth = cli, run_help, max_depth
        self.cli_name = os.path.basename(cli)
        self.visited: set[tuple[str, ...]] = set()
        self.leaves: set[str] = set()  # paths of imported invocable commands
        self.shortcuts: list[tuple[dict, dict]] = []  # (alias entry, its full definition)

    def page(self, path: tuple[str, ...]) -> tuple[HelpPage, str] | None:
        """The parsed help of `path` and the usage line after the path, or None with a warning."""
        argv = [self.cli, *path, "--help"]
        try:
            page = parse_help(self.run_help(argv))
        except (OSError, subprocess.SubprocessError) as exc:
            _warn(f"skipping `{' '.join(argv)}`: {exc}")
            return None
        expected = [self.cli_name, *path]
        words = page.usage.split()
        if words[: len(expected)] != expected:  # e.g. docker prints its root help for a missing plugin
            _warn(f"skipping `{' '.join(argv)}`: usage line {page.usage!r} is not for this command")
            return None
        return page, " ".join(words[len(expected):])

    def children(self, path: tuple[str, ...], listing: list[tuple[str, str]], depth: int) -> list[dict]:
        """Subcommands of `path` (at `depth`) in listed order; past max_depth, name-only stubs."""
        subs = []
        for name, description in listing:
            sub_path = (*path, name)
            if name == "help" or sub_path in self.visited:
                continue
            self.visited.add(sub_path)
            if depth + 1 > self.max_depth:
                subs.append(_compact({"name": name, "description": description,
                                      "destructive": _is_destructive(name, description)}))
            elif sub := self.command(sub_path, description, depth + 1):
                subs.append(sub)
        return _drop_clashing_aliases(subs)

    def command(self, path: tuple[str, ...], description: str, depth: int) -> dict | None:
        """The schema entry of `path` (a shortcut's is `alias_of`), or None if its help failed."""
        fetched = self.page(path)
        if fetched is None:
            return None
        page, usage_tail = fetched
        target, aliases = alias_info(path, page.aliases, self.cli_name)
        description = description or page.description
        definition = _compact(
            {"name": path[-1], "aliases": aliases, "description": description,
             "destructive": _is_destructive(path[-1], description)}
        )
        if page.commands:
            definition.update(_compact({"subcommands": self.children(path, page.commands, depth)}))
        else:
            definition.update(_arguments(page.options, usage_tail))
        if target:
            shortcut = {"name": path[-1], "alias_of": target}
            self.shortcuts.append((shortcut, definition))
            return shortcut
        if not page.commands:
            self.leaves.add(" ".join(path))
        return definition

    def resolve_shortcuts(self) -> None:
        """Give a shortcut its full definition back when its target was not imported."""
        for shortcut, definition in self.shortcuts:
            if shortcut["alias_of"] not in self.leaves:
                shortcut.clear()
                shortcut.update(definition)


def _arguments(options: list[Option], usage_tail: str) -> dict:
    """args, flags and interspersed of an invocable command."""
    args: list[dict] = []
    flags: list[dict] = []
    for option in options:
        if option.long != "help":
            kind, entry = option_entry(option)
            (flags if kind == "flags" else args).append(entry)
    positionals = usage_positionals(usage_tail)
    # `IMAGE [COMMAND] [ARG...]`: options after COMMAND belong to it (docker run, exec)
    stops_at_command = any(p["name"] == "command" for p in positionals[:-1])
    taken = {entry["name"] for entry in args + flags}
    for positional in positionals:
        positional["name"] = _unique(positional["name"], taken)
        taken.add(positional["name"])
    return {**({"interspersed": False} if stops_at_command else {}),
            **_compact({"args": args + positionals, "flags": flags})}


def _drop_clashing_aliases(commands: list[dict]) -> list[dict]:
    """Remove aliases that repeat a sibling's name or an earlier alias."""
    taken = {command["name"] for command in commands}
    for command in commands:
        kept = [a for a in command.get("aliases", []) if a not in taken]
        taken.update(kept)
        if kept:
            command["aliases"] = kept
        else:
            command.pop("aliases", None)
    return commands


def import_schema(
    cli: str,
    run_help: RunHelp | None = None,
    max_depth: int = 4,
    only: list[str] | None = None,
) -> dict:
    """Draft schema of `cli` by walking its help output.

    run_help: returns the help for an argv `[cli, *path, "--help"]` (default: run the binary).
    max_depth: top-level commands are depth 1; commands listed below it are name-only stubs.
    only: top-level commands to import, in the CLI's order (default: all).
    A command whose help cannot be read is skipped with a warning on stderr; the root's raises.
    """
    walker = _Walker(cli, run_help or default_run_help, max_depth)
    fetched = walker.page(())
    if fetched is None:
        raise RuntimeError(f"cannot read the help of `{cli}`")
    root = fetched[0]
    listing = root.commands
    if only is not None:
        for name in sorted(set(only) - {name for name, _ in listing}):
            _warn(f"`{name}` is not a command listed by `{cli} --help`")
        listing = [(name, description) for name, description in listing if name in only]
    commands = walker.children((), listing, 0)
    walker.resolve_shortcuts()
    return _compact({"cli_name": walker.cli_name, "description": root.description, "commands": commands})


def dump_schema_yaml(schema: dict) -> str:
    """The schema as block-style YAML, keys in schema order."""
    return yaml.safe_dump(schema, sort_keys=False, default_flow_style=False, allow_unicode=True, width=100)
