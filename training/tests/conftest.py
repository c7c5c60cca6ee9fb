"""Shared fixtures: schemas, and a tiny random Llama with SmolLM2's tokenizer (no download)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clitron_training.schema import SCHEMAS_DIR, load_schema

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mini():
    return load_schema(FIXTURES / "mini.yaml")


@pytest.fixture(scope="session")
def gh():
    return load_schema(SCHEMAS_DIR / "gh.yaml")


@pytest.fixture(scope="session")
def docker():
    return load_schema(SCHEMAS_DIR / "docker.yaml")


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory) -> Path:
    """A 2-layer random Llama with the embedded SmolLM2 tokenizer, saved as an HF checkpoint."""
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    from clitron_training.base_model import resolve

    tokenizer = AutoTokenizer.from_pretrained(resolve("smollm2-135m-instruct"))
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                         bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                         pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=True)
    out = tmp_path_factory.mktemp("tiny-llama")
    LlamaForCausalLM(config).save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


@pytest.fixture()
def copy_fixture(tmp_path):
    def copy(name: str) -> Path:
        return Path(shutil.copy(FIXTURES / name, tmp_path / name))

    return copy
