"""The benchmark's own arithmetic: the latency cost model and the report's rendering."""

import json
from types import SimpleNamespace

from click.testing import CliRunner

from clitron_training import config
from clitron_training.bench import _cost_model, main, table_markdown


def test_cost_model_recovers_per_call_and_per_token_costs():
    shapes = [(12, 40), (8, 31), (15, 52), (10, 45), (9, 28)]
    answers = [SimpleNamespace(batches=b, evaluated_tokens=t, seconds=(9.0 * b + 4.0 * t) / 1000) for b, t in shapes]
    assert _cost_model(answers) == (9.0, 4.0)


def test_report_table_shows_the_figures_beside_the_rows():
    data = {"title": "t", "machine": "m", "header": ["engine", "p50 ms"], "rows": [["clitron", 300.0]],
            "speedup_p50": 2.5, "cost_model_ms": {"per_decode_call": 9.0, "per_evaluated_token": 4.0},
            "results": {"clitron": {"val": {"exact_canonical": 0.7}}}}
    lines = table_markdown(data).splitlines()
    assert lines[:3] == ["| engine | p50 ms |", "|---|---|", "| clitron | 300.0 |"]
    assert lines[4:] == ["- speedup p50: 2.5", "- cost model ms: per_decode_call 9.0, per_evaluated_token 4.0"]


def test_report_keeps_the_stage_times_of_a_pipeline_whose_model_is_not_here(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "TRAINING_DIR", tmp_path / "training")
    times = tmp_path / "training" / "models" / "a" / "stage_times.json"
    times.parent.mkdir(parents=True)
    times.write_text(json.dumps({"generate": 2.0, "sft": 800.5}))
    out = tmp_path / "docs" / "benchmarks.md"
    (out.parent / "bench").mkdir(parents=True)
    for names in ("a", "a,b"):  # the second report: a's model is gone, b never had one
        result = CliRunner().invoke(main, ["report", "--names", names, "--out", str(out)])
        assert result.exit_code == 0, result.output
        text = out.read_text()
        assert "## Pipeline wall time per stage, a" in text and "Command: `just train name=a`" in text
        assert "| sft | 800.5 |" in text and "| total | 802.5 |" in text
        assert "stage, b" not in text
        times.unlink(missing_ok=True)
