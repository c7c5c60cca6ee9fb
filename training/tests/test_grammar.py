import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clitron_training.command import canonical, dumps
from clitron_training.grammar import Grammar
from clitron_training.schema import SCHEMAS_DIR, load_schema
from clitron_training.validate import check_output

from strategies import commands

SCHEMAS = {name: load_schema(SCHEMAS_DIR / f"{name}.yaml") for name in ("gh", "docker")}
GRAMMARS = {name: Grammar(schema) for name, schema in SCHEMAS.items()}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_canonical_command_is_accepted(name, data):
    cmd = canonical(data.draw(commands(SCHEMAS[name])), SCHEMAS[name])
    assert GRAMMARS[name].matches(dumps(cmd))


@pytest.mark.parametrize("name", sorted(SCHEMAS))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_the_grammar_accepts_is_schema_valid(name, data):
    """Walk the automaton at random, stop anywhere and close the output by its shortest completion
    (what the engine does when out of tokens): every output is schema-valid and canonical."""
    grammar, schema = GRAMMARS[name], SCHEMAS[name]
    states, text = grammar.initial, ""
    alphabet = sorted(set('{}[]":,-.0123456789 abcdefghijklmnopqrstuvwxyz@/_=ABCDEFGHIJKLMNOPQRSTUVWXYZ'))
    for _ in range(data.draw(st.integers(0, 400))):
        if grammar.finished(states):
            break
        forced = grammar.forced(states)
        if forced:
            text, states = text + forced, grammar.advance(states, forced)
            continue
        options = [c for c in alphabet if grammar.advance(states, c) is not None]
        if grammar.accepts(states) and data.draw(st.booleans()):
            break
        char = data.draw(st.sampled_from(options))
        text, states = text + char, grammar.advance(states, char)
    if not grammar.accepts(states):
        text += grammar.shortest_completion(states)
    assert check_output(text, schema) is None, text
    assert canonical(json.loads(text), schema) == json.loads(text)


@pytest.mark.parametrize("text", [
    '{"command":"pr","subcommand":"list","args":{"state":"open"},"flags":[]}',  # default: not canonical
    '{"command":"pr","subcommand":"lst","args":{},"flags":[]}',  # no such subcommand
    '{"command":"pr","subcommand":null,"args":{},"flags":[]}',  # a group alone
    '{"command":"pr","subcommand":"list","args":{"limit":"30"},"flags":[]}',  # wrong type
    '{"command":"pr","subcommand":"list","args":{"author":"a","state":"closed"},"flags":[]}',  # not schema order
    '{"command":"pr","subcommand":"list","args":{},"flags":["nope"]}',  # unknown flag
    '{"command":"pr","subcommand":"checkout","args":{},"flags":[]}',  # required positional missing
    '{"command":"release","subcommand":"create","args":{"files":["a.zip"]},"flags":[]}',  # files without the tag before them
    '{"command":"pr","subcommand":"list","args":{},"flags":[]} ',  # trailing text
])
def test_invalid_outputs_are_rejected(text):
    assert not GRAMMARS["gh"].matches(text)


def test_forced_text_jumps_over_keys_and_unique_names():
    grammar = GRAMMARS["gh"]
    assert grammar.forced(grammar.initial) == '{"command":"'
    after_pr = grammar.advance(grammar.initial, '{"command":"pr')
    assert grammar.forced(after_pr) == '","subcommand":"'
    after_browse = grammar.advance(grammar.initial, '{"command":"browse')
    assert grammar.forced(after_browse).startswith('","subcommand":null,"args":{')


def test_gbnf_export_describes_the_same_language():
    gbnf = GRAMMARS["docker"].to_gbnf()
    assert gbnf.startswith("root ::= s0\n") and '"{"' in gbnf
