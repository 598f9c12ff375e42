"""Fixtures of the classifier tests: the shipped artifact, loaded once per session."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from classifiers import Classifier

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden.csv"


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


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    return Classifier.load()
