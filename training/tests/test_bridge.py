import json
import shlex
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clitron_training import bridge
from clitron_training.command import canonical, equal
from clitron_training.schema import SCHEMAS_DIR, load_schema
from clitron_training.validate import check_command

from strategies import commands

SCHEMAS = {name: load_schema(SCHEMAS_DIR / f"{name}.yaml") for name in ("gh", "docker")}


def test_docker_run_parses_short_options_and_positionals(docker):
    cmd = bridge.parse("docker run -d -p 8080:80 --name web nginx", docker)
    assert (cmd["command"], cmd["subcommand"], cmd["flags"]) == ("run", None, ["detach"])
    assert cmd["args"] == {"publish": ["8080:80"], "name": "web", "image": "nginx"}
    line = bridge.render_line(cmd, docker)
    assert line.startswith("docker run ") and "--publish 8080:80" in line and line.endswith(" nginx")
    assert bridge.parse(line, docker) == cmd


def test_parse_reads_bundles_equals_aliases_and_long_paths(mini):
    a = bridge.parse("dk container run -itd -p80:80 --publish=443:443 --cpus 1.5 --tty-mode=false ubuntu bash -lc 'ls -la'", mini)
    assert a["args"] == {"publish": ["80:80", "443:443"], "cpus": 1.5, "tty-mode": False, "image": "ubuntu",
                         "command": ["bash", "-lc", "ls -la"]}
    assert a["flags"] == ["detach", "interactive", "tty"]
    assert bridge.parse("dk container list -a", mini) == bridge.parse("dk ps --all", mini)
    assert bridge.parse(["dk", "compose", "secrets", "add", "K"], mini)["subcommand"] == "secrets add"


def test_render_is_canonical_defaults_dropped_schema_order(gh):
    a = {"command": "pr", "subcommand": "list", "args": {"limit": 30, "author": "@me", "state": "open"}, "flags": ["web"]}
    b = {"command": "pr", "subcommand": "ls", "args": {"author": "@me"}, "flags": ["web", "web"]}
    assert bridge.render_line(a, gh) == bridge.render_line(b, gh) == "gh pr list --author @me --web"
    assert equal(a, b, gh)


def test_positional_that_looks_like_an_option_is_protected(mini):
    cmd = {"command": "container", "subcommand": "rm", "args": {"container": ["-weird"]}, "flags": []}
    argv = bridge.render(cmd, mini)
    assert argv[-2:] == ["--", "-weird"]
    assert bridge.parse(argv, mini) == canonical(cmd, mini)


@pytest.mark.parametrize("line, message", [
    ("dk nope", "not a dk command"),
    ("dk container ls --bogus", "unknown option --bogus"),
    ("dk container ls --last many", "expects an integer"),
    ("dk container ls --format xml", "must be one of"),
    ("dk version extra", "unexpected argument"),
])
def test_parse_errors_are_clear(mini, line, message):
    with pytest.raises(bridge.ParseError, match=message):
        bridge.parse(line, mini)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_parse_of_render_is_canonical(name, data):
    schema = SCHEMAS[name]
    cmd = data.draw(commands(schema))
    assert check_command(cmd, schema) is None
    assert bridge.parse(bridge.render(cmd, schema), schema) == canonical(cmd, schema)
    assert bridge.parse(bridge.render_line(cmd, schema), schema) == canonical(cmd, schema)


def test_cli_parse_and_render_round_trip():
    cli = [sys.executable, "-m", "clitron_training.cli"]
    parsed = subprocess.run([*cli, "parse", "docker", "--", "docker", "run", "-d", "-p", "8080:80", "--name", "web", "nginx"],
                            capture_output=True, text=True, check=True).stdout
    cmd = json.loads(parsed)
    assert cmd["command"] == "run" and cmd["args"]["publish"] == ["8080:80"] and cmd["flags"] == ["detach"]
    line = subprocess.run([*cli, "render", "docker", parsed], capture_output=True, text=True, check=True).stdout.strip()
    again = subprocess.run([*cli, "parse", "docker", "--", *shlex.split(line)],
                           capture_output=True, text=True, check=True).stdout
    assert json.loads(again) == cmd
