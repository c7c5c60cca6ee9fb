"""The API teachers against a loopback server speaking the Anthropic and OpenAI protocols, with the
real SDK clients (no patching)."""

from __future__ import annotations

import json
import logging
import math
import time
import traceback
from pathlib import Path

import pytest
import yaml

from clitron_training.command import make
from clitron_training.schema import load_schema
from clitron_training.teachers.anthropic_teacher import AnthropicTeacher
from clitron_training.teachers.api import (
    APICallError,
    build_prompt,
    cost,
    estimate_batch_tokens,
    estimate_cost,
    parse_examples,
    price,
)
from clitron_training.teachers.base import Batch, Target, TeacherError
from clitron_training.teachers.openai_teacher import OpenAITeacher
from clitron_training.validate import check_output
from fake_llm_server import Fail, FakeLLMServer, Text

KEY = "sk-test-0123456789abcdef-SECRET"
SCHEMA = load_schema(Path(__file__).parent / "fixtures" / "mini.yaml")
BATCH = Batch(
    index=0,
    seed=7,
    targets=(
        Target(("ps",), "format=json"),  # canonical path of `container ls`
        Target(("ps",), "all"),
        Target(("container", "run"), "publish"),
        Target(("compose", "secrets", "add")),
        Target(("version",)),
    ),
)
EXAMPLES = [
    {"input": "list containers as json", "output": make(("ps",), {"format": "json"})},
    {"input": "show every container, stopped ones too", "output": make(("ps",), flags=["all"])},
    {
        "input": "run nginx with port 8080 mapped to 80",
        "output": make(("container", "run"), {"publish": ["8080:80"], "image": "nginx"}),
    },
    {"input": "add the secret db_password", "output": make(("compose", "secrets", "add"), {"key": "db_password"})},
    {"input": "which version is this", "output": make(("version",))},
]
VALID = Text(json.dumps(EXAMPLES, indent=2))
PATHS = {"anthropic": "/v1/messages", "openai": "/v1/chat/completions"}
ENV_VARS = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server():
    with FakeLLMServer() as fake:
        yield fake


def make_teacher(provider: str, server: FakeLLMServer, **kwargs):
    kwargs = {"api_key": KEY, "max_retries": 2, "timeout": 5, **kwargs}
    if provider == "anthropic":
        return AnthropicTeacher(base_url=server.url, **kwargs)
    return OpenAITeacher("gpt-4o-mini", base_url=f"{server.url}/v1", **kwargs)


both = pytest.mark.parametrize("provider", ["anthropic", "openai"])


def test_canned_examples_are_valid():
    assert all(check_output(e["output"], SCHEMA) is None for e in EXAMPLES)


@both
def test_correct_reply_is_parsed_and_costed(provider, server):
    server.script(VALID)
    reply = make_teacher(provider, server).generate(SCHEMA, BATCH)
    assert reply.examples == EXAMPLES
    assert (reply.input_tokens, reply.output_tokens) == (1000, 2000)
    expected = 0.055 if provider == "anthropic" else 0.00135  # opus 4.5 $5/$25; gpt-4o-mini $0.15/$0.60
    assert reply.cost_usd == pytest.approx(expected)


@both
def test_request_carries_model_max_tokens_key_and_targets(provider, server):
    server.script(VALID)
    teacher = make_teacher(provider, server, max_tokens=4096)
    teacher.generate(SCHEMA, BATCH)
    [request] = server.requests
    assert request.path == PATHS[provider]
    assert request.body["model"] == teacher.model
    assert request.body["max_tokens"] == 4096
    [message] = request.body["messages"]
    for target in BATCH.targets:
        assert f"`dk {' '.join(target.path)}`" in message["content"]
    assert request.headers["authorization"] == f"Bearer {KEY}"  # anthropic 2.x too, not x-api-key
    if provider == "openai":
        assert request.body["seed"] == BATCH.seed


@both
def test_429_honours_retry_after_then_succeeds(provider, server):
    # Without the header the SDKs' first back-off is at most 0.5 s; waiting at least the 1 s the
    # server asked for shows the header was honoured (a lower bound holds on a busy machine too).
    server.script(Fail(429, "slow down", {"retry-after": "1"}), VALID)
    start = time.monotonic()
    reply = make_teacher(provider, server).generate(SCHEMA, BATCH)
    assert reply.examples == EXAMPLES
    assert len(server.calls(PATHS[provider])) == 2
    assert time.monotonic() - start >= 0.95


@both
def test_500_then_succeeds(provider, server):
    server.script(Fail(500, "overloaded", {"retry-after-ms": "10"}), VALID)
    assert make_teacher(provider, server).generate(SCHEMA, BATCH).examples == EXAMPLES
    assert len(server.calls(PATHS[provider])) == 2


@both
def test_retries_are_bounded(provider, server):
    server.script(*[Fail(503, "down", {"retry-after-ms": "1"})] * 4)
    with pytest.raises(APICallError, match="503"):
        make_teacher(provider, server, max_retries=2).generate(SCHEMA, BATCH)
    assert len(server.calls(PATHS[provider])) == 3


@both
def test_timeout_is_retried(provider, server):
    server.script(Text(VALID.text, delay=1.0), VALID)
    assert make_teacher(provider, server, timeout=0.3).generate(SCHEMA, BATCH).examples == EXAMPLES
    assert len(server.calls(PATHS[provider])) == 2


@both
def test_malformed_json_raises_teacher_error(provider, server):
    server.script(Text("Here you go: [{'input': 'list containers', 'output': {'command': 'container'}}]"))
    with pytest.raises(TeacherError, match="does not parse"):
        make_teacher(provider, server).generate(SCHEMA, BATCH)


@both
def test_truncated_reply_raises_teacher_error(provider, server):
    server.script(Text(VALID.text[: len(VALID.text) // 2], truncated=True))
    with pytest.raises(TeacherError, match="truncated"):
        make_teacher(provider, server).generate(SCHEMA, BATCH)


@both
def test_schema_invalid_examples_come_back(provider, server):
    invalid = [
        {"input": "nuke everything", "output": make(("container", "nuke"))},
        {"input": "list as yaml", "output": make(("ps",), {"format": "yaml"})},
    ]
    server.script(Text(json.dumps([EXAMPLES[0], "a stray string", 42, *invalid])))
    reply = make_teacher(provider, server).generate(SCHEMA, BATCH)
    assert reply.examples == [EXAMPLES[0], *invalid]  # non-objects dropped, invalid ones kept
    assert [check_output(e["output"], SCHEMA) is None for e in reply.examples] == [True, False, False]


@both
def test_api_key_never_leaks(provider, server, caplog):
    caplog.set_level(logging.DEBUG)
    server.script(Fail(401, f"invalid x-api-key: {KEY}"))  # a server echoing the key back
    teacher = make_teacher(provider, server)
    with pytest.raises(APICallError) as info:
        teacher.generate(SCHEMA, BATCH)
    assert "401" in str(info.value)
    shown = [str(info.value), repr(info.value), "".join(traceback.format_exception(info.value))]
    shown += [caplog.text, repr(teacher), teacher.describe()]
    assert not [text for text in shown if KEY in text]
    assert len(server.requests) == 1  # 401 is not retried


def test_missing_anthropic_key_fails_before_any_request(server):
    teacher = AnthropicTeacher(base_url=server.url)
    with pytest.raises(APICallError, match="ANTHROPIC_API_KEY is not set"):
        teacher.generate(SCHEMA, BATCH)
    assert server.requests == []


def test_describe(monkeypatch, server):
    opus = "teacher: anthropic claude-opus-4-5-20251101"
    assert AnthropicTeacher().describe() == f"{opus} (ANTHROPIC_API_KEY is not set)"
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    assert AnthropicTeacher().describe() == f"{opus} (ANTHROPIC_API_KEY is set)"
    official = OpenAITeacher("gpt-4.1")
    assert official.describe() == "teacher: openai gpt-4.1 at https://api.openai.com/v1/ (OPENAI_API_KEY is not set)"
    assert official._max_tokens_param == "max_completion_tokens"  # compatible servers get max_tokens
    local = OpenAITeacher("llama3", base_url=f"{server.url}/v1")
    assert local.describe() == (
        f"teacher: openai llama3 at {server.url}/v1/ (OPENAI_API_KEY is not set, unpriced: cost counted as $0)"
    )


def test_message_batches_round_trip(server):
    batches = [Batch(index=i, targets=BATCH.targets, seed=i) for i in (3, 4, 5)]
    submitter = AnthropicTeacher(api_key=KEY, base_url=server.url, max_retries=0, use_batches=True)
    batch_id = submitter.submit_batches(SCHEMA, batches)
    [create] = server.calls("/v1/messages/batches")
    assert [r["custom_id"] for r in create.body["requests"]] == ["batch-3", "batch-4", "batch-5"]
    assert all(r["params"]["model"] == submitter.model for r in create.body["requests"])

    # Collected by a fresh teacher (a resumed run): one success, one errored, one truncated.
    server.script(VALID, Fail(500, "internal"), Text("[{", truncated=True))
    collector = AnthropicTeacher(api_key=KEY, base_url=server.url, max_retries=0, use_batches=True, poll_interval=0)
    replies = collector.collect_batches(batch_id, SCHEMA)
    assert list(replies) == [3]
    assert replies[3].examples == EXAMPLES
    assert replies[3].cost_usd == pytest.approx(0.055 / 2)  # batches at half price
    assert server.batches[batch_id]["polls"] >= 2
    assert server.calls(f"/v1/messages/batches/{batch_id}/results")


# --- no server -----------------------------------------------------------------------------------


def test_parse_examples_is_robust():
    text = "Sure [5 examples]:\n```json\n" + json.dumps(EXAMPLES[:2]) + "\n```\nHope this helps [1]."
    assert parse_examples(text) == EXAMPLES[:2]
    for bad in ("no array here", "[1, 2, 3]", "[]", '[{"input": "x", "output": '):
        with pytest.raises(TeacherError):
            parse_examples(bad)


def test_prompt_renders_only_targeted_leaves_and_the_list():
    prompt = build_prompt(SCHEMA, BATCH)
    schema_yaml = prompt.split("Given this CLI schema:\n", 1)[1].split("\nGenerate ", 1)[0]
    doc = yaml.safe_load(schema_yaml)
    assert list(doc["commands"]) == ["ps", "container run", "compose secrets add", "version"]
    ls_args = {a["name"]: a for a in doc["commands"]["ps"]["args"]}
    assert ls_args["format"]["values"] == ["table", "json"] and ls_args["last"]["default"] == -1
    assert ls_args["filter"]["repeatable"] is True
    image = next(a for a in doc["commands"]["container run"]["args"] if a["name"] == "image")
    assert image["required"] is True and image["positional"] is True
    for line in (
        "1. `dk ps` featuring --format=json",
        "2. `dk ps` featuring the --all flag",
        "3. `dk container run` featuring --publish with a value",
        "4. `dk compose secrets add`\n",
        "Generate 5 diverse examples",
        "JSON array of exactly 5 objects",
    ):
        assert line in prompt


def test_prices_and_estimates():
    assert price("claude-opus-4-5-20251101") == (5.0, 25.0)
    assert price("claude-sonnet-4-5") == (3.0, 15.0) and price("claude-haiku-4-5-20251001") == (1.0, 5.0)
    assert price("gpt-4o-mini-2024-07-18") == (0.15, 0.60)  # the longest prefix wins over gpt-4o
    assert price("gpt-4.1-mini") == (0.40, 1.60) and price("gpt-4.1") == (2.0, 8.0)
    assert price("llama3") is None and cost("llama3", 10**6, 10**6) == 0.0
    assert estimate_cost("claude-opus-4-5", 10, 1000, 2000) == pytest.approx(0.55)
    assert estimate_cost("claude-opus-4-5", 10, 1000, 2000, batch_api=True) == pytest.approx(0.275)
    prompt_tokens, output_tokens = estimate_batch_tokens(SCHEMA, BATCH)
    assert prompt_tokens == math.ceil(len(build_prompt(SCHEMA, BATCH)) / 4)
    assert output_tokens == 70 * len(BATCH.targets)
