"""Teachers: who writes the training examples. `make_teacher` picks one from the config."""

from __future__ import annotations

import os

from clitron_training.teachers.base import Teacher


def make_teacher(cfg) -> tuple[Teacher, str]:
    """The configured teacher and a short reason for the choice (never containing a key)."""
    choice = cfg.teacher
    why = f"teacher={choice} in config"
    if choice == "auto":
        if os.environ.get("ANTHROPIC_API_KEY"):
            choice, why = "anthropic", "ANTHROPIC_API_KEY is set"
        elif os.environ.get("OPENAI_API_KEY") and cfg.base_url:
            choice, why = "openai", "OPENAI_API_KEY and base_url are set"
        else:
            choice, why = "offline", "no API key configured"
    if choice == "offline":
        from clitron_training.teachers.offline import OfflineTeacher

        return OfflineTeacher(seed=cfg.seed), why
    if choice == "anthropic":
        from clitron_training.teachers.anthropic_teacher import AnthropicTeacher

        kwargs = {"model": cfg.teacher_model} if cfg.teacher_model else {}
        return AnthropicTeacher(base_url=cfg.base_url, use_batches=cfg.use_batches_api, **kwargs), why
    from clitron_training.teachers.openai_teacher import OpenAITeacher

    return OpenAITeacher(model=cfg.teacher_model or "gpt-4o-mini", base_url=cfg.base_url), why
