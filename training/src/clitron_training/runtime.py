"""`clitron`: plain English in, a real command out.

    clitron gh "show me my open prs"            ->  gh pr list --author @me
    clitron gh --json "close issue 12"           ->  {"command": "issue", ...}
    clitron docker --exec "stop the web container"   shows the command, runs it after you confirm
    clitron gh --batch requests.txt              one answer per line, the model loaded once
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import click

from clitron_training import bridge
from clitron_training.command import leaf_of
from clitron_training.config import TRAINING_DIR
from clitron_training.schema import SchemaError, load_schema, schema_path

MODELS_DIR = TRAINING_DIR / "models"


def find_model(name: str) -> Path:
    """The CLI's GGUF under training/models/{name}: the level `just train` makes (`auto`), else the
    first level there in quantize's list."""
    from clitron_training.quantize import FTYPES, quantized_path

    folder = MODELS_DIR / name
    candidates = [folder / f"clitron-{name}-{level}.gguf" for level in FTYPES]
    try:
        candidates.insert(0, quantized_path(folder, name, "auto"))
    except click.ClickException:  # no trained checkpoint beside the GGUFs to resolve `auto` from
        pass
    found = next((path for path in candidates if path.exists()), None)
    if found is None:
        raise click.ClickException(f"no model for {name} in {folder}: run `just train name={name}` or pass --model")
    return found


def is_destructive(cmd: dict, schema) -> bool:
    leaf = leaf_of(cmd, schema)
    return leaf.destructive or any(f.destructive for f in leaf.flags if f.name in cmd["flags"])


class Translator:
    def __init__(self, name: str, model: Path | None, min_confidence: float):
        from clitron_training.engine import Engine

        self.schema = load_schema(schema_path(name))
        self.engine = Engine(model or find_model(Path(name).stem), self.schema)
        self.min_confidence = min_confidence

    def __call__(self, request: str) -> tuple[dict | None, str]:
        """(command, None) or (None, why it could not be mapped)."""
        answer = self.engine.translate(request)
        if answer.confidence < self.min_confidence:
            return None, f"not confident this is a {self.schema.cli_name} request (confidence {answer.confidence:.2f})"
        return answer.command, ""


def execute(cmd: dict, schema, assume_yes: bool) -> int:
    argv = bridge.render(cmd, schema)
    click.echo(bridge.render_line(cmd, schema))
    destructive = is_destructive(cmd, schema)
    if destructive or not assume_yes:
        warning = "This command destroys data. " if destructive else ""
        if not click.confirm(f"{warning}Run it?", default=False, err=True):
            click.echo("not run", err=True)
            return 1
    try:
        return subprocess.run(argv).returncode  # an argv list: no shell is involved
    except FileNotFoundError:
        raise click.ClickException(f"{argv[0]} is not installed") from None


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("name")
@click.argument("request", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="print the command JSON instead of the command line")
@click.option("--exec", "run_it", is_flag=True, help="run the command after confirming")
@click.option("--yes", "-y", is_flag=True, help="with --exec: skip confirmation (never for destructive commands)")
@click.option("--model", type=click.Path(exists=True, path_type=Path), help="a GGUF model (default: the trained one)")
@click.option("--batch", type=click.File("r"), help="answer one request per line of this file ('-' for stdin)")
@click.option("--min-confidence", default=0.2, show_default=True, help="below this, say the request can't be mapped")
@click.option("--timing", is_flag=True, help="print load and answer times to stderr")
def main(name, request, as_json, run_it, yes, model, batch, min_confidence, timing):
    """Translate a plain-English REQUEST into a command of the CLI NAME (a schema in schemas/)."""
    started = time.perf_counter()
    try:
        translate = Translator(name, model, min_confidence)
    except SchemaError as exc:
        raise click.ClickException(str(exc)) from None
    loaded = time.perf_counter()
    schema = translate.schema
    if batch:
        for line in batch:
            if not line.strip():
                continue
            cmd, why = translate(line.strip())
            if as_json:
                click.echo(json.dumps(cmd))
            else:
                click.echo(bridge.render_line(cmd, schema) if cmd else f"# {why}")
        return
    text = " ".join(request).strip()
    if not text:
        raise click.UsageError("give a request, e.g. clitron gh \"show me my open prs\"")
    cmd, why = translate(text)
    if timing:
        click.echo(f"load {1000 * (loaded - started):.0f} ms, answer {1000 * (time.perf_counter() - loaded):.0f} ms", err=True)
    if cmd is None:
        click.echo(f"clitron: could not map this request: {why}", err=True)
        sys.exit(2)
    if run_it:
        sys.exit(execute(cmd, schema, yes))
    click.echo(json.dumps(cmd) if as_json else bridge.render_line(cmd, schema))


if __name__ == "__main__":
    main()
