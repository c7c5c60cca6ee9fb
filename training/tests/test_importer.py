"""Tests of the help-output importer, on recorded help texts (tests/fixtures/help) and, where
installed, on the real docker and gh binaries."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from clitron_training.importer import dump_schema_yaml, import_schema, parse_help

FIXTURES = Path(__file__).parent / "fixtures" / "help"


def fixture_run_help(argv: list[str]) -> str:
    """Recorded help for `[cli, *path, "--help"]`; FileNotFoundError when not recorded."""
    cli, *path, flag = argv
    assert flag == "--help"
    return (FIXTURES / cli / f"{'__'.join(path) or 'root'}.txt").read_text()


def find(schema: dict, path: str) -> dict:
    nodes, node = schema["commands"], None
    for word in path.split():
        node = next(c for c in nodes if c["name"] == word)
        nodes = node.get("subcommands", [])
    return node


def named(items: list[dict], name: str) -> dict:
    return next(item for item in items if item["name"] == name)


@pytest.fixture(scope="module")
def docker() -> dict:
    return import_schema("docker", fixture_run_help, max_depth=2, only=["run", "ps", "rm", "container"])


@pytest.fixture(scope="module")
def gh() -> dict:
    return import_schema("gh", fixture_run_help, max_depth=2, only=["pr"])


def test_docker_container_run(docker):
    run = find(docker, "container run")
    assert run["description"] == "Create and run a new container from an image"
    assert run["interspersed"] is False
    publish = named(run["args"], "publish")
    assert publish == {"name": "publish", "short": "p", "type": "string", "repeatable": True,
                       "description": "Publish a container's port(s) to the host"}
    assert named(run["flags"], "detach")["short"] == "d"
    assert named(run["args"], "cpus")["type"] == "float"  # decimal
    assert named(run["args"], "blkio-weight")["type"] == "integer"  # uint16
    assert named(run["args"], "restart")["default"] == "no"
    assert named(run["args"], "env-file")["type"] == "path"
    assert "default" not in named(run["args"], "health-interval")  # (default 0s)
    assert "default" not in named(run["args"], "annotation")  # (default map[])
    pull = named(run["args"], "pull")
    assert pull["type"] == "enum" and pull["values"] == ["always", "missing", "never"]
    assert pull["default"] == "missing"
    positionals = [a for a in run["args"] if a.get("positional")]
    assert positionals == [
        {"name": "image", "type": "string", "positional": True, "required": True},
        {"name": "command", "type": "string", "positional": True},
        {"name": "arg", "type": "string", "positional": True, "repeatable": True},
    ]
    assert not any(f["name"] == "help" for f in run["flags"])


def test_docker_shortcuts_point_at_group_commands(docker):
    assert [c["name"] for c in docker["commands"]] == ["run", "ps", "container", "rm"]  # help order
    assert docker["commands"][0] == {"name": "run", "alias_of": "container run"}
    assert find(docker, "ps") == {"name": "ps", "alias_of": "container ls"}
    assert find(docker, "rm") == {"name": "rm", "alias_of": "container rm"}
    assert docker["cli_name"] == "docker"
    assert docker["description"] == "A self-sufficient runtime for containers"


def test_docker_aliases_destructive_and_repeatable_positionals(docker):
    container = find(docker, "container")
    assert "args" not in container and len(container["subcommands"]) == 25
    ls = find(docker, "container ls")
    assert ls["aliases"] == ["list", "ps"]
    assert named(ls["args"], "last")["default"] == -1
    assert named(ls["args"], "filter")["repeatable"] is True
    assert named(ls["flags"], "all")["description"] == "Show all containers (default shows just running)"
    rm = find(docker, "container rm")
    assert rm["aliases"] == ["remove"] and rm["destructive"] is True
    assert named(rm["flags"], "force")["destructive"] is True
    assert named(rm["args"], "container") == {
        "name": "container", "type": "string", "positional": True, "required": True, "repeatable": True}
    assert find(docker, "container prune")["destructive"] is True
    assert "destructive" not in find(docker, "container run")
    cp = find(docker, "container cp")
    assert [a["name"] for a in cp["args"] if a.get("positional")] == ["container_src_path", "dest_path"]


def test_shortcut_keeps_its_definition_when_the_target_is_not_imported():
    schema = import_schema("docker", fixture_run_help, only=["run"])
    run = schema["commands"][0]
    assert "alias_of" not in run
    assert named(run["args"], "publish")["repeatable"] is True
    assert named(run["flags"], "detach")["short"] == "d"


def test_gh_pr_list(gh):
    pr_list = find(gh, "pr list")
    state = named(pr_list["args"], "state")
    assert state == {"name": "state", "short": "s", "type": "enum",
                     "values": ["open", "closed", "merged", "all"], "default": "open",
                     "description": "Filter by state"}
    limit = named(pr_list["args"], "limit")
    assert (limit["type"], limit["default"], limit["short"]) == ("integer", 30, "L")
    assert named(pr_list["flags"], "web") == {"name": "web", "short": "w",
                                              "description": "List pull requests in the web browser"}
    assert named(pr_list["args"], "label")["repeatable"] is True  # strings
    names = {o["name"] for o in pr_list["args"] + pr_list["flags"]}
    assert "repo" not in names and "help" not in names  # INHERITED FLAGS


def test_gh_layout(gh):
    assert gh["description"] == "Work seamlessly with GitHub from the command line."
    pr = find(gh, "pr")
    assert set(pr) == {"name", "description", "subcommands"}  # a group keeps only its subcommands
    assert [c["name"] for c in pr["subcommands"]][:4] == ["create", "list", "status", "checkout"]
    view_number = named(find(gh, "pr view")["args"], "number")
    assert view_number == {"name": "number", "type": "string", "positional": True}
    checkout = find(gh, "pr checkout")  # `{<number> | <url> | <branch>}` is required
    assert named(checkout["args"], "number")["required"] is True
    assert named(find(gh, "pr merge")["args"], "body-file")["type"] == "path"


def test_max_depth_lists_deeper_commands_without_reading_them():
    calls = []

    def counting(argv):
        calls.append(argv)
        return fixture_run_help(argv)

    schema = import_schema("docker", counting, max_depth=1, only=["container"])
    assert calls == [["docker", "--help"], ["docker", "container", "--help"]]
    assert find(schema, "container rm") == {
        "name": "rm", "description": "Remove one or more containers", "destructive": True}


def test_unreadable_or_foreign_help_is_skipped_with_a_warning(capsys):
    root = fixture_run_help(["docker", "--help"]).replace(
        "Common Commands:\n", "Common Commands:\n  compose*    Docker Compose\n", 1)

    def runner(argv):
        if argv == ["docker", "--help"] or argv == ["docker", "compose", "--help"]:
            return root  # docker prints its root help for a plugin that is not installed
        if argv == ["docker", "container", "rm", "--help"]:
            raise OSError("boom")
        return fixture_run_help(argv)

    schema = import_schema("docker", runner, only=["compose", "container", "nosuch"])
    assert [c["name"] for c in schema["commands"]] == ["container"]
    subs = [c["name"] for c in find(schema, "container")["subcommands"]]
    assert "rm" not in subs and "run" in subs and len(subs) == 24
    err = capsys.readouterr().err
    assert "docker compose --help" in err and "not for this command" in err
    assert "docker container rm --help" in err and "boom" in err
    assert "`nosuch` is not a command" in err


def test_unreadable_root_raises():
    with pytest.raises(RuntimeError, match="cannot read"):
        import_schema("nosuch", fixture_run_help)


TOOL_HELP = {  # cobra's default layout, with pflag corner cases
    "tool": """Tool does things

Usage:
  tool [command]

Available Commands:
  completion  Generate the autocompletion script for the specified shell
  get         Get things that are very interesting and whose description is long enough to
              wrap
  help        Help about any command

Flags:
  -h, --help   help for tool

Use "tool [command] --help" for more information about a command.
""",
    "tool get": """Get things

Usage:
  tool get [flags] NAME [-- ARGS...]

Aliases:
  get, fetch

Flags:
      --max uint16             Maximum number (default 3)
      --ratio float            A ratio (default 0.5)
      --output-dir string      Where to write (default "/tmp/out
                               dir")
      --labels stringToString  Labels (default [])
      --color string[="always"]  Colour the output: {always|never|auto} (default "auto")
      --sort string            Sort order: {asc|desc} (default "size")
  -v, --verbose count          More output
      --dry-run                Do nothing (default true)
      --name string            A name
  -h, --help                   help for get

Global Flags:
      --config string   config file
""",
    "tool completion": """Generate the autocompletion script

Usage:
  tool completion -s <shell> <file>

Flags:
  -h, --help   help for completion
""",
}


def tool_run_help(argv):
    return TOOL_HELP[" ".join(argv[:-1])]


def test_cobra_default_layout_and_option_corner_cases():
    schema = import_schema("tool", tool_run_help)
    assert [c["name"] for c in schema["commands"]] == ["completion", "get"]  # `help` is skipped
    get = find(schema, "get")
    assert get["aliases"] == ["fetch"]
    assert get["description"].endswith("long enough to wrap")
    args = {a["name"]: a for a in get["args"]}
    assert args["max"]["type"] == "integer" and args["max"]["default"] == 3
    assert args["ratio"]["default"] == 0.5
    assert args["output-dir"]["type"] == "path" and args["output-dir"]["default"] == "/tmp/out dir"
    assert args["labels"]["repeatable"] is True and "default" not in args["labels"]
    assert args["color"]["values"] == ["always", "never", "auto"] and args["color"]["default"] == "auto"
    assert args["color"]["description"] == "Colour the output"
    assert "default" not in args["sort"]  # not one of the values
    assert args["name_arg"] == {"name": "name_arg", "type": "string", "positional": True, "required": True}
    assert "args" not in args and "config" not in args
    assert [f["name"] for f in get["flags"]] == ["verbose", "dry-run"]
    completion = find(schema, "completion")
    assert [a["name"] for a in completion["args"]] == ["file"]  # `-s <shell>` is an option


def test_parse_help_sections():
    page = parse_help(fixture_run_help(["gh", "pr", "list", "--help"]))
    assert page.usage == "gh pr list [flags]"
    assert page.description == "List pull requests in a GitHub repository."
    assert page.commands == []
    assert [o.long for o in page.options][:3] == ["app", "assignee", "author"]
    docker_root = parse_help(fixture_run_help(["docker", "--help"]))
    names = [name for name, _ in docker_root.commands]
    assert names[:3] == ["run", "exec", "ps"] and "swarm" in names and "wait" in names
    assert docker_root.options == []  # Global Options only


def test_dump_schema_yaml(gh):
    text = dump_schema_yaml(gh)
    assert text.startswith("cli_name: gh\ndescription: ")
    assert re.search(r"values:\n +- open\n +- closed\n", text)  # block style
    assert yaml.safe_load(text) == gh


def test_drafts_are_valid_schemas(docker, gh):
    schema = pytest.importorskip("clitron_training.schema")
    for draft in (docker, gh, import_schema("tool", tool_run_help)):
        schema.parse_schema(yaml.safe_load(dump_schema_yaml(draft)))
    parsed = schema.parse_schema(docker)
    assert parsed.shortcut_of[("container", "ls")] == ("ps",)
    assert parsed.resolve(["container", "list"]) == ("ps",)


@pytest.mark.skipif(shutil.which("docker") is None, reason="docker is not installed")
def test_real_docker():
    schema = import_schema("docker", only=["run", "container"], max_depth=2)
    run = find(schema, "run")
    if "alias_of" in run:
        assert run["alias_of"] == "container run"
        run = find(schema, "container run")
    publish = named(run["args"], "publish")
    assert publish["short"] == "p" and publish["repeatable"] is True
    assert named(run["flags"], "detach")["short"] == "d"
    assert named(run["args"], "image")["required"] is True


@pytest.mark.skipif(shutil.which("gh") is None, reason="gh is not installed")
def test_real_gh():
    schema = import_schema("gh", only=["pr"], max_depth=2)
    pr_list = find(schema, "pr list")
    state = named(pr_list["args"], "state")
    assert state["type"] == "enum" and {"open", "closed", "merged"} <= set(state["values"])
    assert named(pr_list["args"], "limit")["type"] == "integer"
    assert named(pr_list["flags"], "web")["short"] == "w"
