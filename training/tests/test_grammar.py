import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clitron_training.command import canonical
from clitron_training.config import TRAINING_DIR
from clitron_training.grammar import Grammar
from clitron_training.io import read_examples
from clitron_training.prompt import completion, read_completion
from clitron_training.schema import SCHEMAS_DIR, load_schema
from clitron_training.validate import check_command

from strategies import commands

SCHEMAS = {name: load_schema(SCHEMAS_DIR / f"{name}.yaml") for name in ("gh", "docker")}
GRAMMARS = {name: Grammar(schema) for name, schema in SCHEMAS.items()}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_canonical_command_is_accepted(name, data):
    cmd = canonical(data.draw(commands(SCHEMAS[name])), SCHEMAS[name])
    assert GRAMMARS[name].matches(completion(cmd))
    assert read_completion(completion(cmd), SCHEMAS[name]) == cmd


def test_the_answer_text_lists_options_in_the_order_the_request_says_them():
    cmd = {"command": "pr", "subcommand": "create", "args": {"title": "Fix flaky upload test", "base": "main"},
           "flags": ["draft", "web"]}
    assert completion(cmd) == '{"pr create":{"title":"Fix flaky upload test","base":"main","draft":true,"web":true}}'
    said = completion(cmd, "in the browser, open a draft pr into main titled Fix flaky upload test")
    assert said == '{"pr create":{"draft":true,"base":"main","title":"Fix flaky upload test","web":true}}'  # web: said in other words
    mine = {"command": "pr", "subcommand": "list", "args": {"state": "closed", "author": "@me"}, "flags": []}
    assert completion(mine, "my closed prs") == '{"pr list":{"author":"@me","state":"closed"}}'
    assert list(json.loads(completion(mine, "closed prs of the maintainers")).values())[0] == mine["args"]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_answers_in_said_order_are_accepted_and_read_back(name):
    """Every hand-written request's gold command, written in the order the request says its options."""
    schema = SCHEMAS[name]
    for row in read_examples(TRAINING_DIR.parent / "testsets" / f"{name}.jsonl"):
        gold = canonical(row["output"], schema)
        text = completion(gold, row["input"])
        assert GRAMMARS[name].matches(text), text
        assert canonical(read_completion(text, schema), schema) == gold


@pytest.mark.parametrize("name", sorted(SCHEMAS))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_the_grammar_accepts_is_schema_valid(name, data):
    """Walk the automaton at random, stop anywhere and close the output by its shortest completion
    (what the engine does when out of tokens): every output is schema-valid and canonical."""
    grammar, schema = GRAMMARS[name], SCHEMAS[name]
    position, text = grammar.initial, ""
    alphabet = sorted(set('{}[]":,-.0123456789 abcdefghijklmnopqrstuvwxyz@/_=ABCDEFGHIJKLMNOPQRSTUVWXYZ'))
    for _ in range(data.draw(st.integers(0, 400))):
        if grammar.finished(position):
            break
        forced = grammar.forced(position)
        if forced:
            text, position = text + forced, grammar.advance(position, forced)
            continue
        options = [c for c in alphabet if grammar.advance(position, c) is not None]
        if grammar.accepts(position) and data.draw(st.booleans()):
            break
        char = data.draw(st.sampled_from(options))
        text, position = text + char, grammar.advance(position, char)
    if not grammar.accepts(position):
        text += grammar.shortest_completion(position)
    cmd = read_completion(text, schema)
    assert check_command(cmd, schema) is None, text
    ((_, options),) = json.loads(text, object_pairs_hook=list)  # pairs as written, repeats kept
    assert len({key for key, _ in options}) == len(options), text  # no option twice
    can = canonical(cmd, schema)  # in any order, defaults allowed: the canonical form keeps the rest
    assert {k: v for k, v in cmd["args"].items() if k in can["args"]} == can["args"]
    assert sorted(can["flags"]) == sorted(cmd["flags"])


@pytest.mark.parametrize("text", [
    '{"pr list":{"author":"a","state":"closed"}}',  # not schema order
    '{"pr list":{"web":true,"label":["bug"],"author":"@me"}}',  # a flag first
    '{"release create":{"files":["a.zip"],"tag":"v1"}}',  # the tag after the files
    '{"pr list":{"state":"open"}}',  # the default, said outright (the engine drops it)
])
def test_options_may_come_in_any_order_and_say_defaults(text):
    assert GRAMMARS["gh"].matches(text)


@pytest.mark.parametrize("text", [
    '{"pr lst":{}}',  # no such subcommand
    '{"pr":{}}',  # a group alone
    '{"pr list":{"limit":"30"}}',  # wrong type
    '{"pr list":{"author":"a","author":"b"}}',  # twice
    '{"pr list":{"web":true,"web":true}}',  # a flag twice
    '{"pr list":{"nope":true}}',  # unknown flag
    '{"pr list":{"web":false}}',  # a flag is only ever true
    '{"pr checkout":{}}',  # required positional missing
    '{"release create":{"files":["a.zip"]}}',  # files without the tag before them
    '{"command":"pr","subcommand":"list","args":{},"flags":[]}',  # the command JSON is not the answer
    '{"pr list":{}} ',  # trailing text
])
def test_invalid_outputs_are_rejected(text):
    assert not GRAMMARS["gh"].matches(text)


def test_forced_text_jumps_over_keys_and_unique_names():
    grammar = GRAMMARS["gh"]
    assert grammar.forced(grammar.initial) == '{"'
    assert grammar.forced(grammar.advance(grammar.initial, '{"brow')) == 'se":{'
    after_checkout = grammar.advance(grammar.initial, '{"pr checkout":{')
    assert grammar.forced(after_checkout) == '"'  # an option: the required pr is not written yet
    assert grammar.forced(grammar.advance(after_checkout, '"pr":"1"')) == ""  # close, or another option
