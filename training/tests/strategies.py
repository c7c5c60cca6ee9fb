"""Hypothesis strategies: valid command JSON drawn from a schema."""

from __future__ import annotations

from hypothesis import strategies as st

from clitron_training.command import make
from clitron_training.schema import Arg, Schema

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), min_size=1, max_size=12)


def values(arg: Arg):
    if arg.type == "enum":
        return st.sampled_from(arg.values)
    if arg.type == "integer":
        return st.integers(-5, 10**6)
    if arg.type == "float":
        return st.floats(-100, 100, allow_nan=False).map(lambda x: round(x, 3))
    if arg.type == "boolean":
        return st.booleans()
    pool = [e for e in arg.examples if isinstance(e, str)]
    return st.sampled_from(pool) | TEXT if pool else TEXT


def commands(schema: Schema):
    @st.composite
    def draw(draw_):
        path = draw_(st.sampled_from(list(schema.leaves)))
        leaf = schema.leaves[path]
        args = {}
        positional_left_out = False  # no positional may follow one left out
        for arg in leaf.args:
            if arg.positional and positional_left_out:
                continue
            if arg.required or draw_(st.booleans()):
                strategy = values(arg)
                args[arg.name] = draw_(st.lists(strategy, min_size=1, max_size=3) if arg.repeatable else strategy)
            elif arg.positional:
                positional_left_out = True
        flags = [f.name for f in leaf.flags if draw_(st.booleans())]
        return make(path, args, flags)

    return draw()
