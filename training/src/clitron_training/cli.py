"""`clitron-train`: every stage as a subcommand, plus schema, render, parse and validate tools."""

from __future__ import annotations

import importlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

import click

from clitron_training import bridge
from clitron_training.entry import run
from clitron_training.io import read_jsonl
from clitron_training.schema import SchemaError, list_schemas, load_named, load_schema, schema_path

STAGES = {
    "generate": "clitron_training.generate_dataset",
    "sft": "clitron_training.train_sft",
    "preferences": "clitron_training.generate_preferences",
    "dpo": "clitron_training.train_dpo",
    "quantize": "clitron_training.quantize",
    "eval": "clitron_training.evaluate",
}


class Stages(click.Group):
    """A group whose stage subcommands are imported only when used (they load torch)."""

    def list_commands(self, ctx):
        return [*super().list_commands(ctx), *STAGES]

    def get_command(self, ctx, name):
        if name in STAGES:
            try:
                return importlib.import_module(STAGES[name]).main
            except ModuleNotFoundError as exc:
                if exc.name == STAGES[name]:
                    raise click.ClickException(f"stage '{name}' is not built yet ({STAGES[name]})") from None
                raise
        return super().get_command(ctx, name)


@click.group(cls=Stages)
def main():
    """clitron training pipeline."""


def cli() -> None:
    run(main)


@main.group()
def schema():
    """List, check and import CLI schemas."""


@schema.command("list")
def schema_list():
    """The schemas in schemas/ with their command counts."""
    for path in list_schemas():
        try:
            s = load_schema(path)
        except SchemaError as exc:
            click.echo(f"{path.stem:12} INVALID  {exc}")
            continue
        groups = sum(1 for _, node in s.walk() if node.subcommands)
        click.echo(f"{path.stem:12} {len(s.leaves):4} commands {groups:3} groups  {s.description}")


@schema.command("check")
@click.argument("names", nargs=-1)
def schema_check(names):
    """Validate schemas (names or paths; all in schemas/ by default)."""
    paths = [schema_path(n) for n in names] or list_schemas()
    bad = 0
    for path in paths:
        try:
            s = load_schema(path)
            click.echo(f"ok   {path} ({len(s.leaves)} commands)")
        except SchemaError as exc:
            click.echo(str(exc), err=True)
            bad += 1
    sys.exit(1 if bad else 0)


@schema.command("import")
@click.argument("cli")
@click.option("--output", type=click.Path(path_type=Path), help="write the draft here (default: stdout)")
@click.option("--only", multiple=True, help="top-level commands to import (repeatable)")
@click.option("--max-depth", default=4, show_default=True)
def schema_import(cli, output, only, max_depth):
    """Draft a schema by walking a cobra CLI's help output (`docker`, `gh`)."""
    from clitron_training.importer import dump_schema_yaml, import_schema
    from clitron_training.io import write_atomic
    from clitron_training.schema import parse_schema

    started = time.monotonic()
    draft = import_schema(cli, only=list(only) or None, max_depth=max_depth)
    parsed = parse_schema(draft, f"<import {cli}>")
    text = dump_schema_yaml(draft)
    if output:
        write_atomic(output, text)
        click.echo(f"wrote {output}: {len(parsed.leaves)} commands in {time.monotonic() - started:.1f}s", err=True)
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("name")
@click.argument("command_json")
def render(name, command_json):
    """Print the command line for a command JSON."""
    s = load_named(name)
    from clitron_training.validate import check_output

    failure = check_output(command_json, s)
    if failure:
        raise click.ClickException(str(failure))
    click.echo(bridge.render_line(json.loads(command_json), s))


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("name")
@click.argument("argv", nargs=-1, type=click.UNPROCESSED)
def parse(name, argv):
    """Print the command JSON for a command line: clitron-train parse docker -- docker ps -a"""
    s = load_named(name)
    try:
        click.echo(json.dumps(bridge.parse(list(argv), s)))
    except bridge.ParseError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.argument("name")
@click.argument("file", type=click.Path(path_type=Path))
def validate(name, file):
    """Check a JSONL file of examples against a schema (rules 1-4 per line, rule 5 overall)."""
    from clitron_training.validate import RULES, check_output, diversity

    s = load_named(name)
    counts: Counter = Counter()
    inputs = []
    for number, record in enumerate(read_jsonl(file), 1):
        failure = check_output(record.get("output") if isinstance(record, dict) else None, s)
        if failure:
            counts[failure.rule] += 1
            click.echo(f"{file}:{number}: {failure}", err=True)
        else:
            counts[0] += 1
            inputs.append(record.get("input", ""))
    total = sum(counts.values())
    click.echo(f"{total} examples, {counts[0]} valid")
    for rule, label in list(RULES.items())[:4]:
        click.echo(f"  rule {rule} {label:18} {counts[rule]} failed")
    d = diversity(inputs)
    click.echo(f"  rule 5 diversity          unique inputs {d.unique_input_ratio:.3f}, distinct-1/2/3 "
               f"{d.distinct_1:.3f}/{d.distinct_2:.3f}/{d.distinct_3:.3f}")
    sys.exit(1 if counts[0] != total else 0)


if __name__ == "__main__":
    cli()
