import json
import os
import shutil
from types import SimpleNamespace

import pytest

from clitron_training.config import ConfigError, load_config
from clitron_training.generate_dataset import GenerateConfig
from clitron_training.train_sft import SFTConfig
from clitron_training.validate import check_output, diversity


@pytest.mark.parametrize("output, rule, reason, field", [
    ('{"command": "container", "subcommand": "ls"', 1, "invalid_json", "output"),
    ('["container"]', 1, "not_an_object", "output"),
    ('{"command": "container", "subcommand": "ls", "args": {}, "flags": [], "extra": 1}', 1, "unknown_key", "extra"),
    ('{"command": "nope", "subcommand": null, "args": {}, "flags": []}', 2, "unknown_command", "command"),
    ('{"command": "compose", "subcommand": null, "args": {}, "flags": []}', 2, "unknown_command", "subcommand"),
    ('{"command": "container", "subcommand": "ls", "args": {"last": "3"}, "flags": []}', 3, "bad_value", "args.last"),
    ('{"command": "container", "subcommand": "ls", "args": {"format": "xml"}, "flags": []}', 3, "bad_enum", "args.format"),
    ('{"command": "container", "subcommand": "ls", "args": {"colour": "x"}, "flags": []}', 3, "unknown_arg", "args.colour"),
    ('{"command": "container", "subcommand": "ls", "args": {}, "flags": ["format"]}', 3, "arg_as_flag", "flags[0]"),
    ('{"command": "container", "subcommand": "ls", "args": {}, "flags": ["loud"]}', 3, "unknown_flag", "flags[0]"),
    ('{"command": "container", "subcommand": "run", "args": {}, "flags": []}', 4, "missing_required", "args.image"),
])
def test_each_rule_has_a_machine_readable_reason(mini, output, rule, reason, field):
    failure = check_output(output, mini)
    assert (failure.rule, failure.reason, failure.field) == (rule, reason, field)
    assert json.dumps(failure.to_dict())


def test_a_positional_needs_the_positionals_before_it():
    """`gh release create a.zip` reads a.zip as the tag: files without a tag is no command line."""
    from clitron_training.schema import load_named

    gh = load_named("gh")
    failure = check_output({"command": "release", "subcommand": "create", "args": {"files": ["a.zip"]}, "flags": []}, gh)
    assert (failure.rule, failure.reason, failure.field) == (4, "missing_required", "args.tag")
    assert check_output({"command": "release", "subcommand": "create", "args": {"tag": "v1", "files": ["a.zip"]},
                         "flags": []}, gh) is None


def test_valid_outputs_pass_as_text_or_json(mini):
    cmd = {"command": "ps", "subcommand": None, "args": {"filter": ["name=web"], "last": 3}, "flags": ["all"]}
    assert check_output(cmd, mini) is None and check_output(json.dumps(cmd), mini) is None


def test_diversity_figures():
    d = diversity(["show my prs", "Show my PRs!", "list open issues", "close issue 4"])
    assert d.examples == 4 and d.unique_input_ratio == 0.75
    assert 0 < d.distinct_2 <= 1 and d.mean_words == 3.0
    assert [f.reason for f in d.failures(min_unique=0.9, min_distinct_2=0.99)] == ["low_unique_inputs", "low_distinct_2"]


def test_config_overrides_and_profiles(tmp_path):
    path = tmp_path / "sft.yaml"
    path.write_text("training:\n  learning_rate: 2e-5\nhardware: auto\nprofiles:\n  cpu:\n    training: {learning_rate: 1e-3, top_layers: 4}\n")
    cfg = load_config(SFTConfig, path, ["hardware=cpu"])
    assert cfg.training.learning_rate == 1e-3 and cfg.training.top_layers == 4
    cfg = load_config(SFTConfig, path, ["hardware=cpu", "training.learning_rate=5e-4", "training.lora_target_modules=[q_proj]"])
    assert cfg.training.learning_rate == 5e-4 and cfg.training.lora_target_modules == ["q_proj"]
    assert load_config(SFTConfig, path, ["hardware=cuda"]).training.learning_rate == 2e-5


@pytest.mark.parametrize("override, message", [
    ("num_examples=lots", "num_examples"),
    ("nonsense=1", "nonsense"),
    ("num_examples", "expected key.path=value"),
])
def test_config_errors_name_the_field(override, message):
    with pytest.raises(ConfigError, match=message):
        load_config(GenerateConfig, None, [override])


def test_shipped_configs_validate():
    from clitron_training.config import CONFIGS_DIR
    from clitron_training.train_dpo import DPOConfigFile

    sft = load_config(SFTConfig, CONFIGS_DIR / "sft_config.yaml", ["hardware=cuda"])
    assert (sft.training.num_train_epochs, sft.training.learning_rate, sft.training.lora_r) == (3, 2e-5, 16)
    dpo = load_config(DPOConfigFile, CONFIGS_DIR / "dpo_config.yaml", ["hardware=cuda"])
    assert (dpo.training.beta, dpo.training.loss_type, dpo.training.learning_rate) == (0.1, "sigmoid", 5e-6)
    assert load_config(GenerateConfig, CONFIGS_DIR / "generate_config.yaml").batch_size == 50


def test_recipe_parameters_take_the_specs_key_value_form():
    from clitron_training.pipeline import parse, stage_of

    params, overrides = parse(["quant=q8_0", "name=docker", "training.learning_rate=1e-4"])
    assert params == {"name": "docker", "num": "10000", "quant": "q8_0"} and overrides == ["training.learning_rate=1e-4"]
    assert stage_of("sft", params).command[-2:] == ["--output-dir", "./models/docker/sft"]
    assert "--force" in stage_of("generate-force", params).command
    with pytest.raises(SystemExit, match="expected key=value"):
        parse(["docker"])


@pytest.mark.parametrize("dpo_val, chosen", [(0.62, "dpo"), (0.60, "dpo"), (0.55, "sft")])
def test_quantize_takes_dpo_only_where_it_did_not_lower_exact_match(tmp_path, dpo_val, chosen):
    from clitron_training.quantize import final_checkpoint

    (tmp_path / "sft").mkdir()
    (tmp_path / "sft" / "metrics.json").write_text(json.dumps({"val": {"exact_canonical": 0.60}}))
    (tmp_path / "dpo").mkdir()
    (tmp_path / "dpo" / "metrics.json").write_text(
        json.dumps({"val_sft": {"exact_canonical": 0.60}, "val": {"exact_canonical": dpo_val}}))
    assert final_checkpoint(tmp_path) == tmp_path / chosen


@pytest.mark.parametrize("hidden_size, level", [(576, "q8_0"), (640, "q8_0"), (2048, "q4_k_m")])
def test_auto_quant_is_q4_k_m_only_where_k_quants_fit_the_rows(tmp_path, monkeypatch, capsys, hidden_size, level):
    from clitron_training import runtime
    from clitron_training.quantize import quantized_path, resolve_quant

    (tmp_path / "gh" / "sft").mkdir(parents=True)  # SmolLM2-135M 576, Gemma 3 270M 640, Llama-3.2-1B 2048
    (tmp_path / "gh" / "sft" / "metrics.json").write_text(json.dumps({"val": {"exact_canonical": 0.5}}))
    (tmp_path / "gh" / "sft" / "config.json").write_text(json.dumps({"hidden_size": hidden_size}))
    (tmp_path / "gh" / "dpo").mkdir()  # a DPO that lowered val: quantize said so, on stdout
    (tmp_path / "gh" / "dpo" / "metrics.json").write_text(
        json.dumps({"val_sft": {"exact_canonical": 0.5}, "val": {"exact_canonical": 0.4}}))
    assert resolve_quant("auto", tmp_path / "gh") == level and resolve_quant("q5_k_m", tmp_path / "gh") == "q5_k_m"
    # The runtime takes the level the pipeline made, beside others (bench-quant makes them all).
    monkeypatch.setattr(runtime, "MODELS_DIR", tmp_path)
    for other in ("q4_0", "q4_k_m", "q8_0", "f16"):
        (tmp_path / "gh" / f"clitron-gh-{other}.gguf").write_bytes(b"")
    assert runtime.find_model("gh") == quantized_path(tmp_path / "gh", "gh", "auto") == tmp_path / "gh" / f"clitron-gh-{level}.gguf"
    assert capsys.readouterr().out == ""  # the runtime's stdout carries answers only
    shutil.rmtree(tmp_path / "gh" / "sft")  # no checkpoint to resolve `auto` from: the first level there
    assert runtime.find_model("gh") == tmp_path / "gh" / "clitron-gh-q4_0.gguf"


def test_the_pipeline_resolves_auto_quant_only_from_a_trained_model():
    from clitron_training.pipeline import quant_level

    assert quant_level({"name": "no-such-cli", "quant": "q5_k_m"}) == "q5_k_m"
    with pytest.raises(SystemExit, match="no trained model"):
        quant_level({"name": "no-such-cli", "quant": "auto"})


def test_cpu_precision_follows_the_config_and_auto_takes_bf16_only_where_it_is_fast(monkeypatch):
    from clitron_training import train_sft

    assert train_sft.precision("cpu", "fp32") == {"bf16": False, "fp16": False, "use_cpu": True}
    assert train_sft.precision("cpu", "bf16") == {"bf16": True, "fp16": False, "use_cpu": True}
    assert train_sft.cpu_bf16_speedup.__wrapped__() > 0  # the probe itself runs
    for speedup, bf16 in [(6.0, True), (1.44, True), (1.1, False), (0.07, False)]:  # AMX; AVX512-BF16; near even; AVX2 only
        monkeypatch.setattr(train_sft, "cpu_bf16_speedup", lambda s=speedup: s)
        assert train_sft.precision("cpu", "auto")["bf16"] is bf16


def test_a_skipped_stage_keeps_the_time_of_the_run_that_did_the_work(tmp_path, monkeypatch):
    from clitron_training import pipeline

    from conftest import FIXTURES

    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "mini.yaml").write_bytes((FIXTURES / "mini.yaml").read_bytes())
    monkeypatch.setattr(pipeline, "TRAINING_DIR", tmp_path / "training")
    (tmp_path / "training").mkdir()
    params = {**pipeline.DEFAULTS, "name": "mini", "num": "60"}
    times = tmp_path / "training" / "models" / "mini" / "stage_times.json"
    pipeline.run_stage("generate", params, [])  # a real run of the stage
    assert (tmp_path / "training" / "data" / "mini" / "train.jsonl").exists() and "generate" in json.loads(times.read_text())
    times.write_text(json.dumps({"generate": 123.0}))
    pipeline.run_stage("generate", params, [])  # skips: its output exists
    assert json.loads(times.read_text()) == {"generate": 123.0}


def test_a_stage_whose_input_changed_since_it_ran_runs_again(tmp_path, monkeypatch):
    """New data retrains SFT, and a newer SFT model makes new preference pairs (make's rule)."""
    from clitron_training import pipeline

    monkeypatch.setattr(pipeline, "TRAINING_DIR", tmp_path)
    params = {**pipeline.DEFAULTS, "name": "mini"}
    paths = {stage: pipeline.stage_of(stage, params).output for stage in ("generate", "sft", "preferences", "dpo")}
    for age, stage in enumerate(["generate", "sft", "preferences", "dpo"]):  # written in pipeline order
        paths[stage].parent.mkdir(parents=True, exist_ok=True)
        paths[stage].write_text("{}")
        os.utime(paths[stage], ns=((age + 1) * 10**9, (age + 1) * 10**9))
    assert all(pipeline.newer_input(stage, params) is None for stage in paths)
    os.utime(paths["sft"], ns=(9 * 10**9, 9 * 10**9))  # SFT retrained
    assert pipeline.newer_input("preferences", params) == paths["sft"]
    assert pipeline.newer_input("dpo", params) == paths["sft"]
    assert pipeline.newer_input("sft", params) is None

    launched = []
    monkeypatch.setattr(pipeline.subprocess, "run", lambda command, cwd: launched.append(command) or SimpleNamespace(returncode=0))
    pipeline.run_stage("preferences", params, [])
    assert launched[-1][-1] == "--force"
    pipeline.run_stage("sft", params, [])
    assert "--force" not in launched[-1]

    paths["sft"].unlink()  # a killed SFT run leaves checkpoints only: resuming them is out of date too
    checkpoints = pipeline.stage_of("sft", params).progress
    checkpoints.mkdir()
    os.utime(checkpoints, ns=(10**8, 10**8))
    assert pipeline.newer_input("sft", params) == paths["generate"]
    os.utime(checkpoints, ns=(9 * 10**9, 9 * 10**9))
    assert pipeline.newer_input("sft", params) is None
