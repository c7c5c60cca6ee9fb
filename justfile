# clitron: CLI schema -> small local model that turns plain English into that CLI's commands.
# Every stage reads and writes files under training/data/{name} and training/models/{name}.

set shell := ["bash", "-euo", "pipefail", "-c"]

python := "training/.venv/bin/python"
run := "cd training && .venv/bin/python -m clitron_training"

# List the recipes
default:
    @just --list --unsorted

# Full pipeline: setup -> generate -> sft -> preferences -> dpo -> quantize -> eval
train name="gh" num="10000" quant="q4_k_m": train-setup (train-generate name num) (train-sft name) (train-generate-preferences name) (train-dpo name) (train-quantize name quant) (train-eval name quant)

# Create training/.venv and install clitron with its dependencies (idempotent)
train-setup:
    bash scripts/setup.sh

# Stage 1: generate training data (skips if it exists)
train-generate name="gh" num="10000": train-setup
    {{run}}.generate_dataset --schema ../schemas/{{name}}.yaml --output ./data/{{name}}/train.jsonl --num-examples {{num}}

# Stage 1, discarding existing data and progress
train-generate-force name="gh" num="10000": train-setup
    {{run}}.generate_dataset --schema ../schemas/{{name}}.yaml --output ./data/{{name}}/train.jsonl --num-examples {{num}} --force

# Stage 2: LoRA supervised fine-tuning
train-sft name="gh": train-setup
    {{run}}.train_sft --config ./configs/sft_config.yaml --schema ../schemas/{{name}}.yaml --data-dir ./data/{{name}} --output-dir ./models/{{name}}/sft

# Stage 3a: preference pairs from the SFT model's mistakes and schema-derived hard negatives
train-generate-preferences name="gh": train-setup
    {{run}}.generate_preferences --schema ../schemas/{{name}}.yaml --model-dir ./models/{{name}}/sft --data-dir ./data/{{name}} --output ./data/{{name}}/preferences.jsonl

# Stage 3b: DPO on the preference pairs
train-dpo name="gh": train-setup
    {{run}}.train_dpo --config ./configs/dpo_config.yaml --schema ../schemas/{{name}}.yaml --model-dir ./models/{{name}}/sft --output-dir ./models/{{name}}/dpo --preference-file ./data/{{name}}/preferences.jsonl

# Stage 4: GGUF conversion and quantization (q4_k_m, q5_k_m, q8_0, f16), with a parity check
train-quantize name="gh" quant="q4_k_m": train-setup
    {{run}}.quantize --schema ../schemas/{{name}}.yaml --model-dir ./models/{{name}} --quant {{quant}} --data-dir ./data/{{name}}

# Evaluate SFT, DPO and GGUF models side by side
train-eval name="gh" quant="q4_k_m": train-setup
    {{run}}.evaluate --schema ../schemas/{{name}}.yaml --model-dir ./models/{{name}} --quant {{quant}} --data-dir ./data/{{name}}

# List the available schemas with their command counts
train-list-schemas: train-setup
    {{run}}.cli schema list

# Run the test suite
test *args: train-setup
    cd training && .venv/bin/python -m pytest -q {{args}}
