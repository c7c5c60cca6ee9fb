"""SFT -> preferences -> DPO -> GGUF -> engine -> runtime on a tiny random Llama (no download)."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clitron_training.command import drop_unstated
from clitron_training.generate_dataset import GenerateConfig, generate
from clitron_training.io import read_jsonl
from clitron_training.prompt import read_completion
from clitron_training.validate import check_command

from conftest import FIXTURES

MINI = FIXTURES / "mini.yaml"
PY = [sys.executable, "-m"]


def sft_args(base: Path, data: Path, out: Path, *extra: str) -> list[str]:
    return [*PY, "clitron_training.train_sft", "--config", "configs/sft_config.yaml", "--schema", str(MINI),
            "--data-dir", str(data), "--output-dir", str(out), f"model.name={base}", "hardware=cpu",
            "training.max_train_examples=null", "training.top_layers=null", "training.learning_rate=3e-3",
            "training.per_device_train_batch_size=8", "training.precision=fp32", "eval.max_examples=8", "logging.logging_steps=2",
            *extra]


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    generate(MINI, folder / "train.jsonl", GenerateConfig(num_examples=300, teacher="offline", min_distinct_2=0.1))
    return folder


@pytest.fixture(scope="module")
def sft(tiny_base, data, tmp_path_factory) -> Path:
    """The model every later stage's test uses: fully fine-tuned until it has learned the answer format
    (a model that has not would decode noise, and the engine's tests would pass or fail by chance)."""
    out = tmp_path_factory.mktemp("models") / "sft"
    subprocess.run(sft_args(tiny_base, data, out, "training.max_steps=300", "training.save_steps=150",
                            "training.use_lora=false", "logging.logging_steps=10"), check=True,
                   cwd=Path(__file__).parents[1], capture_output=True)
    return out


def test_sft_learns_the_answer_format(sft):
    metrics = json.loads((sft / "metrics.json").read_text())
    assert metrics["steps"] == 300 and metrics["tokens_per_second"] > 0 and (sft / "loss.png").exists()
    assert metrics["eval_loss"] < 2.0 and metrics["val"]["schema_valid"] >= 0.5  # from ln(49152) = 10.8, random


def test_lora_sft_saves_its_adapter_and_a_merged_model(tiny_base, data, tmp_path):
    from transformers import AutoModelForCausalLM

    out = tmp_path / "sft"
    subprocess.run(sft_args(tiny_base, data, out, "training.max_steps=6", "training.save_steps=100", "training.use_lora=true",
                            "training.lora_target_modules=[q_proj,v_proj]"), check=True,
                   cwd=Path(__file__).parents[1], capture_output=True)
    assert json.loads((out / "metrics.json").read_text())["steps"] == 6
    assert json.loads((out / "adapter" / "adapter_config.json").read_text())["peft_type"] == "LORA"
    model = AutoModelForCausalLM.from_pretrained(out)  # merged: a plain checkpoint, no PEFT wrapper
    assert model.config.num_hidden_layers == 2 and not any("lora" in name for name, _ in model.named_parameters())


def test_killed_sft_resumes_from_its_checkpoint(tiny_base, data, tmp_path):
    """Full fine-tuning of the top layer (the CPU profile's way), killed and resumed."""
    out = tmp_path / "sft"
    args = sft_args(tiny_base, data, out, "training.max_steps=30", "training.save_steps=5", "training.use_lora=false",
                    "training.top_layers=1")
    proc = subprocess.Popen(args, cwd=Path(__file__).parents[1], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    from clitron_training.train_sft import checkpoint_complete

    while time.monotonic() < deadline and not checkpoint_complete(out / "checkpoints" / "checkpoint-10"):
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / "metrics.json").exists(), "training finished before the kill"
    saved = max(int(p.name.split("-")[1]) for p in (out / "checkpoints").glob("checkpoint-*"))
    rerun = subprocess.run(args, cwd=Path(__file__).parents[1], capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    # The newest complete checkpoint (the kill may have cut the writing of a later one short).
    resumed = re.search(r"resuming from .*checkpoint-(\d+)", rerun.stdout)
    assert resumed and 10 <= int(resumed.group(1)) <= saved
    assert json.loads((out / "metrics.json").read_text())["steps"] == 30
    logged = [r for r in read_jsonl(out / "log.jsonl") if "loss" in r]
    losses = [r["loss"] for r in logged]
    assert logged[-1]["step"] == 30 and sum(losses[-3:]) / 3 < sum(losses[:3]) / 3 - 0.1  # it went on learning (a random model, top layer only: slowly)


def test_resume_skips_a_checkpoint_whose_writing_was_cut_short(tmp_path):
    from clitron_training.train_sft import last_checkpoint

    assert last_checkpoint(tmp_path) is None
    for step, state in [(5, '{"global_step": 5}'), (10, '{"global_step": 10}'), (15, '{"global_st'), (20, None)]:
        (tmp_path / f"checkpoint-{step}").mkdir()
        (tmp_path / f"checkpoint-{step}" / "model.safetensors").write_text("weights")
        if state is not None:
            (tmp_path / f"checkpoint-{step}" / "trainer_state.json").write_text(state)
    assert last_checkpoint(tmp_path) == str(tmp_path / "checkpoint-10")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint-10", "checkpoint-5"]


def test_a_run_with_other_settings_trains_again(tmp_path, capsys):
    from clitron_training.config import CONFIGS_DIR, load_config
    from clitron_training.prompt import ANSWER_FORMAT
    from clitron_training.train_sft import SFTConfig, finished_run, run_settings

    cfg = load_config(SFTConfig, CONFIGS_DIR / "sft_config.yaml", ["hardware=cpu", "training.learning_rate=7e-4"])
    settings = run_settings(cfg)
    assert settings["training.learning_rate"] == 7e-4 and settings["training.use_lora"] is False  # the CPU profile's
    assert not any(k.startswith(("logging", "profiles")) for k in settings)
    assert settings["answer_format"] == ANSWER_FORMAT  # a model trained on another answer text trains again
    out = tmp_path / "sft"
    assert finished_run(out, False, settings, "cpu") is None  # nothing there: train, with the settings recorded
    (out / "checkpoints").mkdir()
    (out / "metrics.json").write_text('{"steps": 500}')
    assert finished_run(out, False, settings, "cpu") == {"steps": 500}
    assert finished_run(out, False, {**settings, "training.learning_rate": 1e-3}, "cpu") is None
    assert "other settings (training.learning_rate)" in capsys.readouterr().out
    assert not (out / "metrics.json").exists() and not (out / "checkpoints").exists()
    assert json.loads((out / "settings.json").read_text())["training.learning_rate"] == 1e-3
    (out / "metrics.json").write_text('{"steps": 500}')
    assert finished_run(out, False, {**settings, "answer_format": ANSWER_FORMAT + 1}, "cpu") is None
    assert "other settings (answer_format, training.learning_rate)" in capsys.readouterr().out
    (out / "settings.json").unlink()  # trained before runs recorded their settings: not known to be these
    (out / "metrics.json").write_text('{"steps": 500}')
    assert finished_run(out, False, settings, "cpu") is None and "settings it did not record" in capsys.readouterr().out


@pytest.fixture(scope="module")
def preferences(sft, data) -> Path:
    from clitron_training.generate_preferences import PreferencesConfig
    from clitron_training.generate_preferences import generate as make_pairs

    out = data / "preferences.jsonl"
    make_pairs(MINI, sft, data, out, PreferencesConfig(num_prompts=24, chunk_size=8, negatives_per_prompt=1.5))
    return out


def test_preference_pairs_have_gold_chosen_and_wrong_rejected(preferences, mini):
    pairs = read_jsonl(preferences)
    report = json.loads((preferences.parent / "preferences_report.json").read_text())
    assert len(pairs) == report["pairs"] >= 24
    kinds = {p["kind"] for p in pairs}
    assert len(kinds - {"model"}) >= 3
    for pair in pairs:
        assert check_command(read_completion(pair["chosen"], mini), mini) is None and pair["chosen"] != pair["rejected"]
        assert pair["prompt"].endswith("<|im_start|>assistant\n") and pair["input"] in pair["prompt"]


def test_unasked_option_adds_an_option_of_the_command_itself_that_the_grammar_allows(gh):
    import random

    from clitron_training.command import make
    from clitron_training.generate_preferences import PreferencesConfig, hard_negative
    from clitron_training.grammar import Grammar
    from clitron_training.prompt import completion

    request, gold = "view the pull request for the branch i'm on", make(("pr", "view"))
    grammar, rng, added = Grammar(gh), random.Random(0), set()
    for _ in range(40):
        bad = hard_negative(gold, "unasked_option", gh, rng, request)
        assert check_command(bad, gh) is None and grammar.matches(completion(bad))  # a mistake the engine can make
        if bad["args"]:
            ((name, value),) = bad["args"].items()
            assert not bad["flags"] and value in request.split()  # a word of the request, as the model copies one
        else:
            (name,) = bad["flags"]
        added.add(name)
    assert {"repo", "web"} <= added
    with pytest.raises(ValueError, match="unknown kind invented_flag"):
        PreferencesConfig(negative_mix={"invented_flag": 1.0})


def test_preference_pairs_are_made_again_with_other_settings(sft, data, tmp_path, capsys):
    from clitron_training.generate_preferences import PreferencesConfig
    from clitron_training.generate_preferences import generate as make_pairs

    cfg, out = PreferencesConfig(num_prompts=8, chunk_size=8), tmp_path / "preferences.jsonl"
    first = make_pairs(MINI, sft, data, out, cfg)
    written = out.stat().st_mtime_ns
    assert make_pairs(MINI, sft, data, out, cfg) == first and out.stat().st_mtime_ns == written  # done: skipped
    more = make_pairs(MINI, sft, data, out, cfg.model_copy(update={"negatives_per_prompt": 2.0}))
    assert "made with other settings" in capsys.readouterr().out and more["pairs"] > first["pairs"]
    out.unlink()  # stopped part-way, under other settings: that progress is not used
    out.with_name(out.name + ".progress.jsonl").write_text(json.dumps({"start": 0, "settings": {}, "pairs": [{"x": 1}]}) + "\n")
    assert make_pairs(MINI, sft, data, out, cfg)["pairs"] == first["pairs"] and '"x"' not in out.read_text()


@pytest.fixture(scope="module")
def dpo(sft, preferences, tmp_path_factory) -> Path:
    out = sft.parent / "dpo"
    subprocess.run([*PY, "clitron_training.train_dpo", "--config", "configs/dpo_config.yaml", "--schema", str(MINI),
                    "--model-dir", str(sft), "--output-dir", str(out), "--preference-file", str(preferences),
                    "hardware=cpu", "training.max_steps=4", "training.learning_rate=1e-3", "training.top_layers=null",
                    "training.max_pairs=null", "training.per_device_train_batch_size=4", "eval.max_examples=8",
                    "logging.logging_steps=1"], check=True, cwd=Path(__file__).parents[1], capture_output=True)
    return out


def test_dpo_trains_and_saves_a_merged_model_without_the_reference_copy(dpo):
    from transformers import AutoModelForCausalLM

    metrics = json.loads((dpo / "metrics.json").read_text())
    assert metrics["steps"] == 4 and "val_sft" in metrics and "val" in metrics
    adapter = json.loads((dpo / "adapter" / "adapter_config.json").read_text())
    assert adapter["peft_type"] == "LORA"
    assert not (dpo / "adapter" / "ref").exists()
    assert AutoModelForCausalLM.from_pretrained(dpo).config.num_hidden_layers == 2


@pytest.fixture(scope="module")
def gguf(dpo, data) -> Path:
    from clitron_training.quantize import quantize

    report = quantize(MINI, dpo.parent, "q8_0", data)
    assert report["parity"]["examples"] == 8
    return Path(report["file"])


def test_gguf_keeps_chat_template_and_eos_and_decodes_schema_valid_commands(gguf, mini):
    from clitron_training.engine import Engine

    report = json.loads((gguf.parent / "quantize_report.json").read_text())
    assert report["chat_template"] and report["eos_token"] == "<|im_end|>"
    engine = Engine(gguf, mini)
    for request in ["list all containers", "run nginx detached on port 8080", "remove the web container"]:
        answer = engine.translate(request)
        assert check_command(answer.command, mini) is None
        assert answer.forced_tokens > 0 and 0 <= answer.confidence <= 1
        assert drop_unstated(answer.command, request, mini)[1] == {}  # what the request never states is gone


def test_eval_reports_every_model_side_by_side_with_the_gguf_gap(gguf, data, mini, monkeypatch):
    from clitron_training import evaluate as evaluation

    predicted = []  # (model, examples) of each generation pass eval runs

    def counted(predict):
        def run(model_path, schema, examples):
            predicted.append((Path(model_path).name, len(examples)))
            return predict(model_path, schema, examples)
        return run

    monkeypatch.setattr(evaluation, "predict_hf", counted(evaluation.predict_hf))
    monkeypatch.setattr(evaluation, "predict_gguf", counted(evaluation.predict_gguf))
    model_dir = gguf.parent
    test_file = data / "human.jsonl"
    test_file.write_text("".join(json.dumps(r) + "\n" for r in read_jsonl(data / "train_val.jsonl")[:4]))
    report = evaluation.evaluate(MINI, model_dir, "q8_0", data, [test_file], max_examples=8)
    # The SFT, DPO and quantize stages answered the same 8 val examples: eval only answers the new set.
    assert sorted(predicted) == [(gguf.name, 4), ("dpo", 4), ("sft", 4)]
    assert report["models"]["dpo"]["val"]["exact_canonical"] == json.loads(
        (model_dir / "dpo" / "metrics.json").read_text())["val"]["exact_canonical"]
    assert set(report["models"]) == {"sft", "dpo", "gguf-q8_0"}
    for sets in report["models"].values():
        for name, n in (("val", 8), ("human", 4)):
            m = sets[name]
            assert m["examples"] == n and {"exact_strict", "exact_canonical", "json_validity", "schema_validity",
                                            "field_accuracy", "arg_accuracy", "per_command", "worst_confusions",
                                            "latency_ms"} <= set(m)
    gguf_entry = report["models"]["gguf-q8_0"]
    assert gguf_entry["val"]["schema_validity"] == 1.0  # grammar-constrained
    source = json.loads((model_dir / "quantize_report.json").read_text())["source"].rsplit("/", 1)[-1]
    assert gguf_entry["source"] == source and gguf_entry["gap_vs_source_points"]["val"] == round(
        100 * (gguf_entry["val"]["exact_canonical"] - report["models"][source]["val"]["exact_canonical"]), 1)
    assert report["models"]["sft"]["perplexity"] >= 1 and report["models"]["sft"]["train_loss"] is not None
    summary = (model_dir / "eval" / "summary.md").read_text()
    assert f"gguf-q8_0 against the {source} checkpoint" in summary
    assert (model_dir / "eval" / "per_command.png").exists() and (model_dir / "eval" / "loss_sft.png").exists()
    os.utime(gguf, ns=(gguf.stat().st_atime_ns, gguf.stat().st_mtime_ns + 1))  # as if requantized
    evaluation.model_answers(gguf, mini, read_jsonl(data / "train_val.jsonl")[:8])
    assert predicted[-1] == (gguf.name, 8)  # stored answers of other weights are not reused
    monkeypatch.setattr(evaluation, "decoder_digest", lambda gguf: "other engine code")
    evaluation.model_answers(gguf, mini, read_jsonl(data / "train_val.jsonl")[:8])
    assert predicted[-1] == (gguf.name, 8) and len(predicted) == 5  # nor those other decoding code gave


def test_speculative_decoding_gives_the_greedy_answer_in_fewer_batches(gguf, mini):
    from clitron_training.engine import Engine

    fast, slow = Engine(gguf, mini, speculate=True), Engine(gguf, mini)
    requests = ["list all containers", "run nginx detached on port 8080", 'remove the container called "web"']
    fast_answers, slow_answers = [fast.translate(r) for r in requests], [slow.translate(r) for r in requests]
    assert [a.text for a in fast_answers] == [a.text for a in slow_answers]
    assert sum(a.batches for a in fast_answers) < sum(a.batches for a in slow_answers)
    again = fast.translate(requests[-1])  # the whole prompt is cached now: only its last token is evaluated again
    assert again.text == fast_answers[-1].text and again.evaluated_tokens < fast_answers[-1].evaluated_tokens


def test_runtime_prints_json_and_batches(gguf, tmp_path):
    runtime = [*PY, "clitron_training.runtime", str(MINI), "--model", str(gguf), "--min-confidence", "0"]
    one = subprocess.run([*runtime, "--json", "list", "containers"], capture_output=True, text=True)
    assert one.returncode == 0, one.stderr
    from clitron_training.schema import load_schema

    assert check_command(json.loads(one.stdout), load_schema(MINI)) is None
    requests = tmp_path / "requests.txt"
    requests.write_text("list containers\n\nstop everything\nshow the version\n")
    batch = subprocess.run([*runtime, "--batch", str(requests)], capture_output=True, text=True)
    lines = batch.stdout.splitlines()
    assert batch.returncode == 0 and len(lines) == 3 and all(line.startswith("dk ") for line in lines)


def test_exec_confirms_and_destructive_commands_always_ask(gguf, tmp_path):
    """A schema whose CLI is `echo`: running it is harmless, so the confirmation path is real."""
    import yaml

    schema = yaml.safe_load(MINI.read_text())
    schema["cli_name"] = "echo"
    schema["commands"] = [{"name": "wipe", "destructive": True, "description": "destroy everything"}]
    path = tmp_path / "echo.yaml"
    path.write_text(yaml.safe_dump(schema))
    runtime = [*PY, "clitron_training.runtime", str(path), "--model", str(gguf), "--min-confidence", "0", "--exec", "--yes"]
    refused = subprocess.run([*runtime, "wipe it all"], input="n\n", capture_output=True, text=True)
    assert refused.returncode == 1 and "destroys data" in refused.stderr and "not run" in refused.stderr
    accepted = subprocess.run([*runtime, "wipe it all"], input="y\n", capture_output=True, text=True)
    assert accepted.returncode == 0 and accepted.stdout.splitlines() == ["echo wipe", "wipe"]


def test_data_parallel_path_with_two_cpu_processes(tiny_base, data, tmp_path):
    """torchrun (what `accelerate launch` runs for several GPUs), 2 processes, gloo: the
    data-parallel path exercised on CPU."""
    out = tmp_path / "ddp"
    sft = sft_args(tiny_base, data, out, "training.max_steps=3", "training.save_steps=100")
    launch = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "-m", *sft[2:]]
    result = subprocess.run(launch, cwd=Path(__file__).parents[1], capture_output=True, text=True,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["processes"] == 2 and metrics["steps"] == 3
