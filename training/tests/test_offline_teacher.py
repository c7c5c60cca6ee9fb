"""The offline teacher: valid canonical outputs, focus kept, every value stated, deterministic, diverse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clitron_training.command import canonical
from clitron_training.generate_dataset import focus_items as option_items
from clitron_training.schema import load_schema, parse_schema
from clitron_training.teachers.base import Batch, Target
from clitron_training.teachers import lexicon as lx
from clitron_training.teachers.offline import OfflineTeacher
from clitron_training.validate import check_command, diversity

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
PATHS = {
    "mini": FIXTURES / "mini.yaml",
    "spec": FIXTURES / "spec_example.yaml",
    "gh": SCHEMAS / "gh.yaml",
    "docker": SCHEMAS / "docker.yaml",
}


def schema_for(name: str):
    if not PATHS[name].exists():
        pytest.skip(f"{PATHS[name]} is not there")
    return load_schema(PATHS[name])


def focus_items(leaf) -> list[str | None]:
    """The command alone and each of its options."""
    return [None, *option_items(leaf)]


def targets(schema, rounds: int = 3) -> list[Target]:
    """Every focus item of every command, `rounds` times."""
    once = [Target(path, item) for path, leaf in schema.leaves.items() for item in focus_items(leaf)]
    return once * rounds


def write(schema, wanted: list[Target], seed: int = 0, size: int = 50) -> list[dict]:
    teacher = OfflineTeacher()
    out = []
    for i in range(0, len(wanted), size):
        out += teacher.generate(schema, Batch(i // size, tuple(wanted[i:i + size]), seed=seed * 1000 + i)).examples
    return out


def mentions(text: str, value) -> bool:
    """A value is stated: verbatim (case-insensitive), or in one of the spoken forms the teacher
    uses ("my" for @me, "8080 to 80" for 8080:80, "NODE_ENV to production", "the current directory")."""
    text, said = text.lower(), str(value).lower()
    if said in text:
        return True
    if said == "@me":
        return re.search(r"\b(me|my|mine|myself|i|i'm)\b", text) is not None
    if said == ".":
        return re.search(r"(current|this) (directory|folder)", text) is not None
    for sep in (":", "="):
        parts = said.split(sep)
        if len(parts) == 2 and all(parts) and all(p in text for p in parts):
            return True
    return False


@pytest.fixture(scope="module", params=list(PATHS))
def written(request):
    schema = schema_for(request.param)
    wanted = targets(schema, rounds=6 if request.param in ("mini", "spec") else 3)  # enough for the small ones
    return schema, wanted, write(schema, wanted)


def test_one_valid_canonical_example_per_target_in_order(written):
    schema, wanted, examples = written
    assert len(examples) == len(wanted)
    for target, example in zip(wanted, examples):
        assert set(example) == {"input", "output"}
        output = example["output"]
        assert check_command(output, schema) is None, (example, check_command(output, schema))
        assert canonical(output, schema) == output
        assert schema.resolve((output["command"], *(output["subcommand"] or "").split())) == target.path
        assert example["input"].strip() and "\x02" not in example["input"] and "\x03" not in example["input"]


def test_focus_is_in_the_output(written):
    schema, wanted, examples = written
    for target, example in zip(wanted, examples):
        if target.focus is None:
            continue
        leaf = schema.leaves[target.path]
        args, flags = example["output"]["args"], example["output"]["flags"]
        name, eq, value = target.focus.partition("=")
        if eq:
            arg = next(a for a in leaf.args if a.name == name)
            if value != arg.default:
                assert args.get(name) in (value, [value]), (target, example)
        elif any(f.name == name for f in leaf.flags):
            assert name in flags, (target, example)
        else:
            assert name in args, (target, example)


def test_every_value_in_the_output_is_stated(written):
    _, _, examples = written
    for example in examples:
        for name, value in example["output"]["args"].items():
            for item in value if isinstance(value, list) else [value]:
                if not isinstance(item, bool):
                    assert mentions(example["input"], item), (name, item, example)


def test_required_args_always_filled_and_extras_sometimes_added(written):
    schema, wanted, examples = written
    bare = 0
    for target, example in zip(wanted, examples):
        leaf = schema.leaves[target.path]
        assert {a.name for a in leaf.args if a.required} <= set(example["output"]["args"])
        required = sum(a.required for a in leaf.args)
        bare += len(example["output"]["args"]) + len(example["output"]["flags"]) == required
    assert 0 < bare < len(examples) or len(examples) < 20


def test_deterministic_in_the_batch_seed():
    schema = schema_for("mini")
    wanted = targets(schema, rounds=2)
    assert write(schema, wanted, seed=1) == write(schema, wanted, seed=1)
    assert write(schema, wanted, seed=1) != write(schema, wanted, seed=2)
    assert OfflineTeacher(seed=3).generate(schema, Batch(0, tuple(wanted), 5)) != OfflineTeacher().generate(
        schema, Batch(0, tuple(wanted), 5))


def test_reply_is_free_and_the_teacher_is_named():
    schema = schema_for("spec")
    reply = OfflineTeacher().generate(schema, Batch(0, tuple(targets(schema)), seed=0))
    assert (reply.input_tokens, reply.output_tokens, reply.cost_usd) == (0, 0, 0.0)
    assert (OfflineTeacher.name, OfflineTeacher.model) == ("offline", "rules")


def test_phrasing_follows_the_meaning_of_args():
    """Concept phrases, not `--name value`, for the common cases."""
    schema = parse_schema({
        "cli_name": "gh",
        "commands": [{"name": "pr", "subcommands": [{
            "name": "list",
            "args": [{"name": "state", "type": "enum", "values": ["open", "closed"], "default": "open"},
                     {"name": "author"}, {"name": "limit", "type": "integer", "default": 30}],
            "flags": [{"name": "web"}],
        }]}],
    })
    wanted = [Target(("pr", "list"), f) for f in ("state=closed", "author", "limit", "web")] * 50
    examples = write(schema, wanted)
    texts = {f: " ".join(e["input"].lower() for t, e in zip(wanted, examples) if t.focus == f) for f in
             ("state=closed", "author", "limit", "web")}
    assert re.search(r"\bclosed (prs|pull requests)\b", texts["state=closed"])
    assert re.search(r"\b(my|by me|i opened|mine)\b", texts["author"])
    assert re.search(r"\b(first|top|up to|at most)\b", texts["limit"])
    assert "browser" in texts["web"]
    assert any(re.search(r"\bprs?\b|pull request", e["input"].lower()) for e in examples)


def test_diversity_of_2000_examples():
    schema = schema_for("gh") if PATHS["gh"].exists() else schema_for("mini")
    wanted = (targets(schema, rounds=1) * 40)[:2000]
    figures = diversity(e["input"] for e in write(schema, wanted))
    assert figures.unique_input_ratio >= 0.9, figures
    assert figures.distinct_2 >= 0.25, figures


def test_a_listing_may_say_the_state_its_default_shows():
    """gh lists open pull requests unless --state says otherwise: "my open prs" is `pr list --author @me`,
    so "open" appears beside other options, but never beside a state the request asks for."""
    schema = schema_for("gh")
    examples = write(schema, [Target(("pr", "list"), item) for item in focus_items(schema.leaves[("pr", "list")])] * 8)
    said_open = [e for e in examples if re.search(r"\bopen (prs?|pull requests?)\b", e["input"], re.I)]
    assert said_open and all("state" not in e["output"]["args"] for e in said_open)
    assert any(e["output"]["args"] for e in said_open)  # beside other options, not only on a bare listing


def test_a_flag_that_names_an_action_may_be_said_as_the_verb():
    """People say "approve pr 512" and "follow the logs of api", not "review pr 512 with approve"."""
    gh, docker = schema_for("gh"), schema_for("docker")
    approvals = write(gh, [Target(("pr", "review"), "approve")] * 60)
    assert any(re.match(r"(approve|sign off on|lgtm) (pr|pull request|this|the|that|#)", e["input"], re.I)
               for e in approvals)
    assert all("approve" in e["output"]["flags"] for e in approvals)
    followed = write(docker, [Target(("logs",), "follow")] * 60)
    assert any(re.search(r"\b(follow|tail|stream) the logs of\b", e["input"], re.I) and "follow" in e["output"]["flags"]
               for e in followed)


def test_an_edit_may_be_said_by_what_it_changes():
    """People say "assign issue 42 to octocat", "rename pr 23 to WIP" and "assign #7 to me",
    not "edit issue 42 and assign octocat"; the edit verb is then absent."""
    schema = schema_for("gh")
    edit_verbs = re.compile(r"\b(edit|update|change|modify|tweak)\b", re.I)
    for path, focus, said in ((("issue", "edit"), "add-assignee", r"\bassign (the )?(issue|ticket) \S+ to "),
                              (("pr", "edit"), "title", r"\b(rename|retitle) (the )?(pr|pull request) "),
                              (("pr", "edit"), "add-reviewer", r"\b(add \S+ as a? ?reviewer (on|to)|ask \S+ to review (pr|pull request|#|\d))"),
                              (("issue", "edit"), "add-assignee=@me", r"\bassign (the )?(issue|ticket) \S+ to (me|myself)\b")):
        examples = write(schema, [Target(path, focus)] * 80)
        name, _, value = focus.partition("=")
        led = [e for e in examples if re.search(said, e["input"], re.I)]
        assert len(led) >= 8, (focus, [e["input"] for e in examples[:10]])
        assert all(name in e["output"]["args"] and not edit_verbs.search(e["input"]) for e in led)
        assert all(e["output"]["args"][name] in (value, [value]) for e in led if value)


def test_a_typo_may_hit_the_command_word():
    """"chekcout pr 56": users mistype the command's own word too, not only the words around it."""
    schema = schema_for("gh")
    word = "checkout"
    typos = {word[:k] + word[k + 1] + word[k] + word[k + 2:] for k in range(1, len(word) - 1)}
    typos |= {word[:k] + word[k + 1:] for k in range(1, len(word) - 1)}
    checkouts = write(schema, [Target(("pr", "checkout"), None)] * 1500)
    assert any(set(re.findall(r"[a-z]+", e["input"].lower())) & (typos - {word}) for e in checkouts)


def closes(example: dict, arg: str) -> bool:
    """The request ends in ": <value>" (not "<arg>: <value>"), with nothing after the value."""
    value = re.escape(example["output"]["args"][arg])
    return re.search(rf'(?<!{arg}): "?{value}"?$', example["input"]) is not None


def test_free_text_may_close_the_request_or_be_the_verbs_object():
    """People write "comment on pr 42: looks good" and "comment LGTM on pr 42". The text after the
    colon runs to the end, with no filler or full stop added; it goes to the command's first
    free-text arg (an issue's title, not its body); and a comment may be the verb's object."""
    schema = schema_for("gh")
    comments = write(schema, [Target(("pr", "comment"), "body")] * 300)
    assert sum(closes(e, "body") for e in comments) >= 40
    verb_object = r"\b(comment|post|say|leave|reply|write) \W?{}\W? (on|to)\b"
    assert sum(re.search(verb_object.format(re.escape(e["output"]["args"]["body"])), e["input"], re.I) is not None
               for e in comments) >= 40
    titles = write(schema, [Target(("issue", "create"), "title")] * 300)
    assert sum(closes(e, "title") for e in titles) >= 40
    bodies = write(schema, [Target(("issue", "create"), "body")] * 300)
    assert not any(closes(e, "body") for e in bodies)


def test_a_comment_mostly_has_its_text_and_a_new_issue_its_title():
    """Whatever option a target features, the free text people nearly always give comes along
    about half the time; other commands' free text only as their focus or a random extra."""
    schema = schema_for("gh")
    for path, content in ((("issue", "comment"), "body"), (("issue", "create"), "title")):
        examples = write(schema, [Target(path, item) for item in option_items(schema.leaves[path])] * 10)
        assert sum(content in e["output"]["args"] for e in examples) >= 0.4 * len(examples)
    reviews = write(schema, [Target(("pr", "review"), item) for item in option_items(schema.leaves[("pr", "review")])] * 10)
    assert sum("body" in e["output"]["args"] for e in reviews) < 0.3 * len(reviews)


def test_my_prs_are_common_and_mean_author_me():
    """"show me my open prs" is how people most often list pull requests: a quarter of a listing's
    requests, whatever option they feature, ask for the user's own, and "my" then means --author @me."""
    schema = schema_for("gh")
    path = ("pr", "list")
    examples = write(schema, [Target(path, item) for item in option_items(schema.leaves[path]) if item != "author"] * 10)
    mine = [e for e in examples if e["output"]["args"].get("author") == "@me"]
    assert len(mine) >= 0.2 * len(examples)
    assert sum(bool(re.search(r"\bmy\b", e["input"], re.I)) for e in mine) >= 0.25 * len(mine)


def test_a_default_said_in_words_sets_no_option():
    """"view the pr for this branch" is `gh pr view`, "in this repo" adds no --repo: words for an
    option's default (from its description) appear, and the option stays out."""
    schema = schema_for("gh")
    examples = write(schema, [Target(("pr", "view"), None)] * 200)
    branch = [e for e in examples if re.search(r"\b(this|the current|my current|my) branch\b", e["input"], re.I)]
    repo = [e for e in examples if re.search(r"\b(this|the current) repo(sitory)?\b", e["input"], re.I)]
    assert branch and repo
    assert all("pr" not in e["output"]["args"] for e in branch)
    assert all("repo" not in e["output"]["args"] for e in repo)


def test_values_are_fresh_not_only_the_schema_examples_and_pools():
    """Many free-text values are composed anew, not drawn from the schema's examples or the pools, so
    the model learns to copy them from the request."""
    schema = schema_for("gh")
    arg = next(a for a in schema.leaves[("issue", "create")].args if a.name == "title")
    examples = write(schema, [Target(("issue", "create"), "title")] * 200)
    titles = [e["output"]["args"]["title"] for e in examples]
    known = set(arg.examples) | set(lx.alts(lx.POOLS["title"]))
    assert len(set(titles)) >= 60
    assert sum(t not in known for t in titles) >= 40
