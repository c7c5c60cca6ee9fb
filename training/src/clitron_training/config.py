"""Stage configuration: YAML files validated by typed models, overridable from the command line.

Overrides use torchtune's `key.path=value` form (`training.learning_rate=1e-4`); values are
parsed as YAML, so numbers, booleans and lists (`[q_proj,v_proj]`) work as written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from clitron_training.schema import error_location

TRAINING_DIR = Path(__file__).resolve().parents[2]
CONFIGS_DIR = TRAINING_DIR / "configs"

M = TypeVar("M", bound=BaseModel)


class ConfigError(ValueError):
    """A config that cannot be used; the message is one line naming file and field."""


def apply_override(data: dict, override: str) -> None:
    key, eq, raw = override.partition("=")
    if not eq or not key:
        raise ConfigError(f"override {override!r}: expected key.path=value")
    *parents, leaf = key.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ConfigError(f"override {override!r}: {part} is not a section")
    node[leaf] = yaml.safe_load(raw) if raw else ""


def hardware_profile(requested: str = "auto") -> str:
    """`cuda` when a GPU is usable, else `cpu` (or what was asked for)."""
    if requested != "auto":
        return requested
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def deep_merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        out[key] = deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def with_profile(data: dict, overrides: list[str]) -> dict:
    """Merge the hardware profile's section (`profiles: {cpu: {...}, cuda: {...}}`) over the file's
    values; command-line overrides still win."""
    profile = hardware_profile(data.get("hardware", "auto"))
    merged = deep_merge(data, data["profiles"].get(profile, {}))
    merged["hardware"] = profile
    for override in overrides:
        apply_override(merged, override)
    return merged


def load_config(model: type[M], path: str | Path | None, overrides: list[str] = ()) -> M:
    """Read `path` (or the model's defaults when None), apply overrides, validate."""
    data: dict = {}
    source = str(path) if path else "<defaults>"
    if path:
        try:
            data = yaml.safe_load(Path(path).read_text()) or {}
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    for override in overrides:
        apply_override(data, override)
    if "profiles" in data:
        data = with_profile(data, overrides)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(f"{source}: {error_location(data, err['loc'])}: {err['msg']}") from None


def settings_of(cfg: BaseModel, exclude: set[str]) -> dict:
    """The config values that decide a stage's result, flattened to dotted keys (the sections in
    `exclude` left out: logging, other stages' sections, the unmerged profiles)."""
    flat: dict = {}

    def walk(node, prefix: str) -> None:
        for key, value in node.items():
            if isinstance(value, dict) and value:
                walk(value, f"{prefix}{key}.")
            else:
                flat[prefix + key] = value

    walk(cfg.model_dump(mode="json", exclude=exclude), "")
    return flat
