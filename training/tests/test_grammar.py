import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clitron_training.command import canonical
from clitron_training.grammar import Grammar
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
    cmd = read_completion(text, schema)
    assert check_command(cmd, schema) is None, text
    assert canonical(cmd, schema) == cmd and completion(cmd) == text


@pytest.mark.parametrize("text", [
    '{"pr list":{"state":"open"}}',  # default: not canonical
    '{"pr lst":{}}',  # no such subcommand
    '{"pr":{}}',  # a group alone
    '{"pr list":{"limit":"30"}}',  # wrong type
    '{"pr list":{"author":"a","state":"closed"}}',  # not schema order
    '{"pr list":{"web":true,"author":"a"}}',  # a flag before an arg
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
    assert grammar.forced(after_checkout) == '"pr":"'  # the required positional comes first


def test_gbnf_export_describes_the_same_language():
    gbnf = GRAMMARS["docker"].to_gbnf()
    assert gbnf.startswith("root ::= s0\n") and '"{"' in gbnf
