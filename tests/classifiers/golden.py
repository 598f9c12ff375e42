"""The golden set: messages written for the tests, none of them in data/classifier/."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden.csv"


@dataclass(frozen=True)
class GoldenCase:
    text: str
    label: str
    lang: str


def golden_cases() -> list[GoldenCase]:
    """Sentences written for these tests (none of them is in data/classifier/)."""
    with GOLDEN.open(encoding="utf-8", newline="") as handle:
        return [
            GoldenCase(row["text"], row["label"], row["lang"]) for row in csv.DictReader(handle)
        ]
