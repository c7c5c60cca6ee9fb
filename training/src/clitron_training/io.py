"""Durable file writes shared by every stage: atomic replace for results, fsync'd appends for
progress, and JSONL reads whose errors name the file and line."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Iterable


class DataError(ValueError):
    """A data file that cannot be read; the message names the file and line."""


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename over it: readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_jsonl(path: Path, records: Iterable[dict]) -> None:
    write_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def write_json(path: Path, data) -> None:
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def append_jsonl(path: Path, record: dict) -> None:
    """Append one line and fsync it, so a killed process loses at most the line being written."""
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def read_jsonl(path: Path) -> list[dict]:
    path = Path(path)
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}:{number}: invalid JSON: {exc.msg}") from None
    return records


def read_examples(path: Path) -> list[dict]:
    """Examples (`{"input", "output"}` per line); a malformed line is an error naming it."""
    records = read_jsonl(path)
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict) or not isinstance(record.get("input"), str) or "output" not in record:
            raise DataError(f"{path}:{number}: expected an object with 'input' (string) and 'output'")
    return records
