import subprocess
import sys

import pytest
import yaml

from clitron_training.schema import SchemaError, list_schemas, load_schema, parse_schema

from conftest import FIXTURES


def test_spec_example_is_valid_as_written():
    schema = load_schema(FIXTURES / "spec_example.yaml")
    leaf = schema.leaves[("pr", "list")]
    assert [a.name for a in leaf.args] == ["state", "author", "limit"]
    assert leaf.args[0].default == "open" and leaf.flags[0].short == "w"


def test_shipped_schemas_are_valid_and_cover_the_required_commands(gh, docker):
    assert {p.stem for p in list_schemas()} >= {"gh", "docker"}
    for path in ["pr list", "issue create", "repo deploy-key add", "release create", "run list", "workflow run",
                 "gist create", "label create", "search repos", "browse", "auth status"]:
        assert gh.resolve(path.split()) is not None, path
    for path in ["run", "ps", "images", "build", "pull", "push", "exec", "logs", "start", "stop", "restart", "rm",
                 "rmi", "inspect", "tag", "login", "compose up", "compose down", "compose logs", "compose ps",
                 "compose build", "volume ls", "network create", "image prune", "system prune"]:
        assert docker.resolve(path.split()) is not None, path


def test_extensions_nested_groups_aliases_shortcuts_and_destructive_marks(mini, docker, gh):
    assert mini.resolve(["compose", "secrets", "add"]) == ("compose", "secrets", "add")
    assert mini.resolve(["container", "list"]) == ("ps",)  # alias, then the shortcut is canonical
    assert mini.resolve(["compose"]) is None  # a group is not invocable
    run = docker.leaves[("run",)]
    publish = next(a for a in run.args if a.name == "publish")
    assert publish.repeatable and publish.short == "p" and not run.interspersed
    assert docker.leaves[("system", "prune")].destructive and gh.leaves[("repo", "delete")].destructive


@pytest.mark.parametrize("mutate, where, what", [
    (lambda d: d["commands"][0]["subcommands"][0]["args"][0].update(type="text"),
     "commands[pr].subcommands[list].args[state].type", "Input should be"),
    (lambda d: d["commands"][0]["subcommands"][0]["args"][0].update(values=None),
     "commands[pr].subcommands[list].args[state]", "enum needs"),
    (lambda d: d["commands"][0]["subcommands"][0]["args"][2].update(default="thirty"),
     "commands[pr].subcommands[list].args[limit]", "expected integer"),
    (lambda d: d["commands"][0]["subcommands"][0]["flags"].append({"name": "web"}),
     "commands[pr].subcommands[list]", "duplicate name 'web'"),
    (lambda d: d["commands"].append({"name": "ls", "alias_of": "pr nope"}), "(top level)", "alias_of 'pr nope'"),
])
def test_bad_schema_gives_one_line_naming_file_and_field(mutate, where, what):
    data = yaml.safe_load((FIXTURES / "spec_example.yaml").read_text())
    mutate(data)
    with pytest.raises(SchemaError) as err:
        parse_schema(data, "bad.yaml")
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"bad.yaml: {where}") and what in message


def test_schema_check_cli_exit_codes(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((FIXTURES / "spec_example.yaml").read_text().replace('type: "enum"', 'type: "text"'))
    cli = [sys.executable, "-m", "clitron_training.cli", "schema", "check"]
    failed = subprocess.run([*cli, str(bad)], capture_output=True, text=True)
    assert failed.returncode == 1
    assert failed.stderr.strip().count("\n") == 0
    assert f"{bad}: commands[pr].subcommands[list].args[state].type" in failed.stderr
    assert "Traceback" not in failed.stderr
    ok = subprocess.run(cli, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "gh.yaml" in ok.stdout and "docker.yaml" in ok.stdout


def test_invalid_yaml_names_the_line(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("cli_name: x\ncommands: [\n")
    with pytest.raises(SchemaError, match=r"broken.yaml: line \d+: invalid YAML"):
        load_schema(bad)
