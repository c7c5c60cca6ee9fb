"""The teacher interface: whoever writes training examples (an API model or the offline writer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from clitron_training.schema import Schema


@dataclass(frozen=True)
class Target:
    """One example to write: a command (canonical leaf path) and what it should feature.

    `focus` names an arg (`"author"`), an enum value (`"state=closed"`), a flag (`"web"`) or is
    None (the command alone, with or without optional args as the teacher sees fit).
    """

    path: tuple[str, ...]
    focus: str | None = None


@dataclass(frozen=True)
class Batch:
    """A planned slice of the command tree: `targets` in order, one example each."""

    index: int
    targets: tuple[Target, ...]
    seed: int


@dataclass
class Reply:
    """What a teacher wrote for a batch: raw examples (`{"input": str, "output": <command JSON>}`,
    not yet validated) and what it cost."""

    examples: list[dict] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0


class TeacherError(RuntimeError):
    """A reply that could not be used (malformed, truncated); the batch is retried."""


class Teacher(Protocol):
    name: str  # "offline", "anthropic", "openai"
    model: str  # model id, or "rules" for the offline writer

    def generate(self, schema: Schema, batch: Batch) -> Reply: ...
