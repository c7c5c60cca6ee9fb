import json
import shlex
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clitron_training import bridge
from clitron_training.command import canonical, drop_unstated, equal, stated
from clitron_training.schema import SCHEMAS_DIR, load_schema, parse_schema
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


@pytest.mark.parametrize("value, request_text, said", [
    ("@me", "show me my open prs", True), ("@me", "show the open prs", False),
    (".", "build the image here", True), ("number,title", "pr numbers and titles as json", True),
    ("until=24h", "prune stuff older than 24h", True), (10, "the first ten issues", True),
    ("nginx:1.25", "run nginx:1.25", True), ("failed", "disable nightly.yml, it keeps failing", False),
    ("mymymymymymy{", "force reset my local branch", False), (">======", "convert 42 back to a draft", False),
    (5, "list workflows, disabled ones too", False),
])
def test_stated_reads_a_value_in_the_request_loosely(value, request_text, said):
    assert stated(value, request_text) is said


def test_drop_unstated_keeps_required_enum_and_needed_positional_values(mini):
    cmd = {"command": "container", "subcommand": "run", "flags": [],
           "args": {"name": "web", "publish": ["9090:90"], "image": "redis", "command": ["sh"]}}
    kept, dropped = drop_unstated(cmd, "run nginx named web", mini)
    assert kept["args"] == {"name": "web", "image": "redis"} and dropped == {"publish": ["9090:90"], "command": ["sh"]}
    listing = {"command": "container", "subcommand": "ls", "args": {"format": "json", "last": 3}, "flags": []}
    assert drop_unstated(listing, "list containers", mini) == ({**listing, "args": {"format": "json"}}, {"last": 3})
    copy = parse_schema({"cli_name": "x", "description": "x", "commands": [{"name": "cp", "description": "copy", "args": [
        {"name": "source", "positional": True}, {"name": "dest", "positional": True}]}]})
    both = {"command": "cp", "subcommand": None, "args": {"source": "a.txt", "dest": "/srv/backup"}, "flags": []}
    assert drop_unstated(both, "copy it to /srv/backup", copy)[1] == {}  # `cp /srv/backup` would make it the source
    assert drop_unstated(both, "copy a.txt somewhere", copy)[1] == {"dest": "/srv/backup"}


def test_drop_unstated_lets_a_value_said_once_back_one_arg(mini):
    """`run redis --name redis` for "run redis": the copy in the optional arg goes; said twice, both stay;
    "me" and "my" count as two mentions of @me."""
    cmd = {"command": "container", "subcommand": "run", "args": {"name": "redis", "image": "redis", "init-timeout": 30},
           "flags": []}
    assert drop_unstated(cmd, "run redis, 30s init timeout", mini)[1] == {"name": "redis"}
    assert drop_unstated(cmd, "run redis as redis, 30s init timeout", mini)[1] == {}
    gh = SCHEMAS["gh"]
    mine = {"command": "issue", "subcommand": "list", "args": {"assignee": "@me", "author": "@me"}, "flags": []}
    assert drop_unstated(mine, "issues assigned to me that i opened", gh)[1] == {}
    assert drop_unstated(mine, "my issues", gh)[1] == {"author": "@me"}
