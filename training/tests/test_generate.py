import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clitron_training.config import load_config
from clitron_training.generate_dataset import GenerateConfig, generate, plan
from clitron_training.io import read_jsonl
from clitron_training.schema import SCHEMAS_DIR
from clitron_training.validate import check_output, normalise

from conftest import FIXTURES
from fake_llm_server import Fail, FakeLLMServer, Text

GENERATE = [sys.executable, "-m", "clitron_training.generate_dataset"]


def read_all(folder: Path) -> tuple[list[dict], list[dict]]:
    return read_jsonl(folder / "train.jsonl"), read_jsonl(folder / "train_val.jsonl")


@pytest.mark.parametrize("name", ["gh", "docker"])
def test_offline_run_is_valid_covered_split_and_diverse(tmp_path, name, gh, docker):
    schema = {"gh": gh, "docker": docker}[name]
    cfg = load_config(GenerateConfig, None, ["num_examples=1500", "teacher=offline"])
    report = generate(SCHEMAS_DIR / f"{name}.yaml", tmp_path / "train.jsonl", cfg)
    train, val = read_all(tmp_path)
    assert len(train) + len(val) == 1500 and len(val) == 150
    assert all(check_output(e["output"], schema) is None for e in train + val)
    assert not {normalise(e["input"]) for e in train} & {normalise(e["input"]) for e in val}
    assert report["coverage"]["commands_covered"] == report["coverage"]["commands_total"] == len(schema.leaves)
    assert report["diversity"]["unique_input_ratio"] == 1.0 and report["diversity_ok"]
    assert report["teacher"]["name"] == "offline" and not (tmp_path / "train_progress.jsonl").exists()


def test_plan_covers_every_option_in_proportion(gh):
    cfg = GenerateConfig(num_examples=2000, weights={"pr": 3.0})
    targets = [t for b in plan(gh, cfg) for t in b.targets]
    assert len(targets) >= 2000
    pr_list = [t for t in targets if t.path == ("pr", "list")]
    gist_list = [t for t in targets if t.path == ("gist", "list")]
    assert len(pr_list) > 2 * len(gist_list)
    leaf = gh.leaves[("pr", "list")]
    focus = {t.focus for t in pr_list}
    assert {a.name for a in leaf.args if a.type != "enum"} <= focus and {f.name for f in leaf.flags} <= focus
    bare = sum(t.focus is None for t in targets) / len(targets)  # the command as typed most often
    assert abs(bare - cfg.bare_share) < 0.03, bare


def test_existing_data_is_kept_and_force_regenerates(tmp_path, capsys):
    cfg = GenerateConfig(num_examples=200, teacher="offline")
    generate(FIXTURES / "mini.yaml", tmp_path / "train.jsonl", cfg)
    before = (tmp_path / "train.jsonl").read_bytes()
    assert generate(FIXTURES / "mini.yaml", tmp_path / "train.jsonl", cfg) is None
    assert "skipping" in capsys.readouterr().out
    cfg2 = GenerateConfig(num_examples=100, teacher="offline", seed=7)
    generate(FIXTURES / "mini.yaml", tmp_path / "train.jsonl", cfg2, force=True)
    assert (tmp_path / "train.jsonl").read_bytes() != before


def test_kill_9_mid_run_then_rerun_gives_exactly_num_unique(tmp_path):
    args = ["--schema", str(SCHEMAS_DIR / "gh.yaml"), "--num-examples", "3000", "--teacher", "offline", "batch_size=5"]
    killed = tmp_path / "killed"
    proc = subprocess.Popen([*GENERATE, "--output", str(killed / "train.jsonl"), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    progress = killed / "train_progress.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not progress.exists() or progress.read_text().count("\n") < 20):
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (killed / "train.jsonl").exists(), "the run finished before it could be killed"
    batches_before = progress.read_text().count("\n")
    rerun = subprocess.run([*GENERATE, "--output", str(killed / "train.jsonl"), *args], capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert "resuming" in rerun.stdout and batches_before > 1
    train, val = read_all(killed)
    inputs = [normalise(e["input"]) for e in train + val]
    assert len(inputs) == 3000 and len(set(inputs)) == 3000
    fresh = tmp_path / "fresh"
    subprocess.run([*GENERATE, "--output", str(fresh / "train.jsonl"), *args], check=True, capture_output=True)
    assert read_all(fresh) == (train, val)  # resuming changed nothing


def test_bad_progress_line_is_dropped_and_other_settings_refused(tmp_path):
    out = tmp_path / "train.jsonl"
    base = [*GENERATE, "--schema", str(FIXTURES / "mini.yaml"), "--output", str(out), "--teacher", "offline"]
    progress = tmp_path / "train_progress.jsonl"
    progress.write_text('{"fingerprint": "something-else"}\n{"batch": 0, "exam')
    result = subprocess.run([*base, "--num-examples", "50"], capture_output=True, text=True)
    assert result.returncode == 1 and "made with other settings" in result.stderr and "Traceback" not in result.stderr
    assert progress.read_text() == '{"fingerprint": "something-else"}\n'  # the cut-off line is gone


def mini_examples(start: int, count: int, invalid: int = 0) -> str:
    good = [{"input": f"list the last {i} containers please", "output": {
        "command": "container", "subcommand": "ls", "args": {"last": i}, "flags": []}} for i in range(start, start + count)]
    bad = [{"input": f"show container {i} in xml", "output": {
        "command": "container", "subcommand": "ls", "args": {"format": "xml"}, "flags": []}} for i in range(invalid)]
    return json.dumps(good + bad)


def test_anthropic_teacher_through_a_fake_server_survives_failures(tmp_path, monkeypatch):
    key = "sk-ant-test-secret-key-123"
    monkeypatch.setenv("ANTHROPIC_API_KEY", key)
    with FakeLLMServer() as server:
        server.script(
            Fail(429, headers={"retry-after": "0.01"}), Text(mini_examples(1, 10, invalid=1)),
            Text("this is not json ["), Text(mini_examples(11, 10)),
            Fail(500), Text(mini_examples(21, 10)),
            Text(mini_examples(31, 10)[:40], truncated=True), Text(mini_examples(31, 10)),
            *[Text(mini_examples(100 + 10 * i, 10)) for i in range(5)],
        )
        cfg = GenerateConfig(num_examples=40, batch_size=10, teacher="auto", base_url=server.url, concurrency=1,
                             overshoot=1.0, min_distinct_2=0.05)
        report = generate(FIXTURES / "mini.yaml", tmp_path / "train.jsonl", cfg)
        statuses = [r.path for r in server.requests]
    assert report["teacher"]["name"] == "anthropic" and "ANTHROPIC_API_KEY" in report["teacher"]["why"]
    assert report["examples"] == 40 and report["dropped"]["rule3:bad_enum"] == 1
    assert report["input_tokens"] > 0 and report["output_tokens"] > 0 and report["cost_usd"] > 0
    assert len(statuses) >= 8
    train, val = read_all(tmp_path)
    assert len(train) + len(val) == 40
    for path in tmp_path.iterdir():
        assert key not in path.read_text()


def test_dry_run_prints_an_estimate_and_spends_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-x")
    result = subprocess.run([*GENERATE, "--schema", str(SCHEMAS_DIR / "gh.yaml"), "--output", str(tmp_path / "train.jsonl"),
                             "--num-examples", "10000", "--dry-run", "base_url=http://127.0.0.1:9"],
                            capture_output=True, text=True, env={**os.environ})
    assert result.returncode == 0, result.stderr
    assert "teacher: anthropic" in result.stdout and "estimated cost $" in result.stdout
    assert float(result.stdout.split("estimated cost $")[1].split()[0]) > 1
    assert not any(tmp_path.iterdir())


def test_validate_command_counts_rules_and_fails_on_bad_lines(tmp_path):
    good = {"input": "list containers", "output": {"command": "ps", "subcommand": None, "args": {}, "flags": []}}
    bad = {"input": "x", "output": {"command": "ps", "subcommand": None, "args": {"last": "2"}, "flags": []}}
    path = tmp_path / "ex.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    cli = [sys.executable, "-m", "clitron_training.cli", "validate", str(FIXTURES / "mini.yaml"), str(path)]
    result = subprocess.run(cli, capture_output=True, text=True)
    assert result.returncode == 1
    assert "2 examples, 1 valid" in result.stdout and "rule 3 arg_types" in result.stdout
    assert f"{path}:2: rule 3" in result.stderr
    path.write_text(json.dumps(good) + "\n")
    assert subprocess.run(cli, capture_output=True).returncode == 0
