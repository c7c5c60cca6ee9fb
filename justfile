# clitron: CLI schema -> small local model that turns plain English into that CLI's commands.
# Every stage reads and writes files under training/data/{name} and training/models/{name}.

set shell := ["bash", "-euo", "pipefail", "-c"]

python := "training/.venv/bin/python"
run := "cd training && .venv/bin/python -m clitron_training"
pipeline := "training/.venv/bin/python -m clitron_training.pipeline"

# List the recipes
default:
    @just --list --unsorted

# Full pipeline: setup -> generate -> sft -> preferences -> dpo -> quantize -> eval  (name=gh num=10000 quant=auto)
train *args: train-setup
    {{pipeline}} train {{args}}

# Create training/.venv and install clitron with its dependencies (idempotent)
train-setup:
    bash scripts/setup.sh

# Stage 1: generate training data, skipping if it exists  (name=gh num=10000)
train-generate *args: train-setup
    {{pipeline}} generate {{args}}

# Stage 1, discarding existing data and progress  (name=gh num=10000)
train-generate-force *args: train-setup
    {{pipeline}} generate-force {{args}}

# Stage 2: LoRA supervised fine-tuning  (name=gh [key=value config overrides])
train-sft *args: train-setup
    {{pipeline}} sft {{args}}

# Stage 3a: preference pairs from the SFT model's mistakes and schema-derived hard negatives  (name=gh)
train-generate-preferences *args: train-setup
    {{pipeline}} preferences {{args}}

# Stage 3b: DPO on the preference pairs  (name=gh)
train-dpo *args: train-setup
    {{pipeline}} dpo {{args}}

# Stage 4: GGUF conversion and quantization, with a parity check  (name=gh quant=auto|q4_k_m|q4_0|q5_k_m|q8_0|f16;
# auto: q4_k_m where k-quants fit the model's rows, else q8_0)
train-quantize *args: train-setup
    {{pipeline}} quantize {{args}}

# Evaluate SFT, DPO and GGUF models side by side  (name=gh quant=auto)
train-eval *args: train-setup
    {{pipeline}} eval {{args}}

# List the available schemas with their command counts
train-list-schemas: train-setup
    {{run}}.cli schema list

# Run the test suite
test *args: train-setup
    cd training && .venv/bin/python -m pytest -q {{args}}

# Benchmarks take name=NAME (and quant=...) like the train recipes.

# Benchmark: offline data generation throughput (10k examples per schema)
bench-generate num="10000": train-setup
    {{run}}.bench generate --num {{trim_start_match(num, "num=")}} --json-out ../docs/bench/generate.json

# Benchmark: SFT tokens/s of clitron's trainer against plain TRL SFTTrainer on the same data
bench-train name="gh" examples="256": train-setup
    {{run}}.bench train --schema {{trim_start_match(name, "name=")}} --data ./data/{{trim_start_match(name, "name=")}}/train.jsonl --examples {{trim_start_match(examples, "examples=")}} --ablations --json-out ../docs/bench/train.json

# Benchmark: p50/p95 latency of clitron's engine against plain llama-cpp-python on the same requests
bench-infer name="gh" quant="auto": train-setup
    {{run}}.bench infer --schema {{trim_start_match(name, "name=")}} --model ./models/{{trim_start_match(name, "name=")}} --quant {{trim_start_match(quant, "quant=")}} --data ./data/{{trim_start_match(name, "name=")}}/train_val.jsonl --json-out ../docs/bench/infer-{{trim_start_match(name, "name=")}}.json

# Benchmark: accuracy of the trained models beside the baselines (few-shot base model, BM25), val + human set
bench-accuracy name="gh": train-setup
    {{run}}.bench accuracy --schema {{trim_start_match(name, "name=")}} --json-out ../docs/bench/accuracy-{{trim_start_match(name, "name=")}}.json

# Benchmark: the quantization levels of the final model (size, exact match, latency)
bench-quant name="gh": train-setup
    {{run}}.bench quant --schema {{trim_start_match(name, "name=")}} --json-out ../docs/bench/quant-{{trim_start_match(name, "name=")}}.json

# Benchmark: ablations on val (training-set size, DPO, hard negatives); trains a few more models
bench-ablate name="gh" sizes="1000,3000": train-setup
    {{run}}.bench ablate --schema {{trim_start_match(name, "name=")}} --sizes {{trim_start_match(sizes, "sizes=")}} --json-out ../docs/bench/ablate-{{trim_start_match(name, "name=")}}.json

# The whole scorecard for one CLI, written to docs/benchmarks.md (trains first if needed)
bench name="gh": (train ("name=" + trim_start_match(name, "name="))) bench-generate (bench-train name) (bench-infer name) (bench-accuracy name) (bench-quant name) (bench-ablate name)
    {{run}}.bench report
