"""Running a click command so that known errors print one line, never a traceback."""

from __future__ import annotations

import sys

import click

from clitron_training.config import ConfigError
from clitron_training.io import DataError
from clitron_training.schema import SchemaError
from clitron_training.teachers.api import APICallError


def run(command: click.Command) -> None:
    try:
        command(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        sys.exit(130)
    except (SchemaError, ConfigError, DataError, APICallError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
