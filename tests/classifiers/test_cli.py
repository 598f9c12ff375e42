"""`python -m classifiers predict` and `train` (a tiny smoke training, with corrections)."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from classifiers import LABELS, Classifier, DataError
from classifiers.dataset import DEFAULT_DATA_DIR, load_corrections

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "classifiers", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_predict_csv_round_trip_keeps_rows_in_order(tmp_path: Path) -> None:
    rows = [
        {"id": "1", "text": "Bonjour, mon site affiche une erreur 500."},
        {"id": "2", "text": "URGENT: claim your free prize now, click the link"},
        {"id": "3", "text": ""},
        {"id": "4", "text": "Ferme ta gueule, sale connard"},
        {"id": "5", "text": 'Line one\nline two, with "quotes", and, commas'},
        {"id": "6", "text": "Your server 192.0.2.4 is brute-forcing our SSH, logs attached."},
    ]
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    _write_csv(source, rows)

    result = _run("predict", "--input", str(source), "--output", str(target))

    assert result.returncode == 0, result.stderr
    with target.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        out = list(reader)
        header = reader.fieldnames
    assert header == ["id", "text", "label", "flagged", *(f"score_{label}" for label in LABELS)]
    assert [row["id"] for row in out] == [row["id"] for row in rows]
    assert [row["text"] for row in out] == [row["text"] for row in rows]
    expected = Classifier.load().predict([row["text"] for row in rows])
    assert [row["label"] for row in out] == [p.label for p in expected]
    assert [row["flagged"] for row in out] == [str(p.flagged).lower() for p in expected]
    for row in out:
        assert abs(sum(float(row[f"score_{label}"]) for label in LABELS) - 1.0) < 1e-5


def test_predict_without_text_column_is_a_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    _write_csv(source, [{"message": "hello"}])

    result = _run("predict", "--input", str(source), "--output", str(tmp_path / "out.csv"))

    assert result.returncode == 2
    assert "no `text` column" in result.stderr


def test_predict_with_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    result = _run("predict", "--input", str(tmp_path / "nope.csv"), "--output", "x.csv")

    assert result.returncode == 2
    assert "error:" in result.stderr


def _tiny_training_set(directory: Path) -> None:
    """A small sample of the shipped data (a few rows per source), for a fast smoke run."""
    directory.mkdir()
    for path in sorted(DEFAULT_DATA_DIR.rglob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        by_cell: dict[tuple[str, str], list[dict[str, str]]] = {}
        for row in rows:
            by_cell.setdefault((row["label"], row["lang"]), []).append(row)
        sample = [row for cell in by_cell.values() for row in cell[:40]]
        _write_csv(directory / path.name, sample)


def test_train_smoke_with_corrections_is_deterministic(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _tiny_training_set(data)
    corrections = tmp_path / "corrections.csv"
    _write_csv(
        corrections,
        [
            {
                "text": "Le serveur de jeu Minecraft ne démarre plus depuis la mise à jour",
                "label": "support",
            },
            {
                "text": "Offre spéciale pelles à neige, 3 pour le prix de 2, commandez vite",
                "label": "spam",
            },
        ],
    )
    first, second = tmp_path / "a" / "model.joblib", tmp_path / "b" / "model.joblib"

    for output in (first, second):
        result = _run(
            "train", "--data", str(data), "--output", str(output), "--extra", str(corrections)
        )
        assert result.returncode == 0, result.stderr
        assert "test macro-F1" in result.stdout
        assert "agents' corrections" in result.stderr

    digest = [hashlib.sha256(path.read_bytes()).hexdigest() for path in (first, second)]
    assert digest[0] == digest[1]
    classifier = Classifier.load(first)
    assert classifier.metadata is not None
    assert "corrections.csv" in classifier.metadata.extra["data_files"]
    prediction = classifier.predict_one(
        "Mon site est en panne depuis ce matin, pouvez-vous aider ?"
    )
    assert prediction.label in LABELS


def test_corrections_with_an_unknown_label_are_refused(tmp_path: Path) -> None:
    corrections = tmp_path / "corrections.csv"
    _write_csv(corrections, [{"text": "hello", "label": "ham"}])

    with pytest.raises(DataError, match="label 'ham'"):
        load_corrections(corrections)


def test_corrections_default_their_language_and_source(tmp_path: Path) -> None:
    corrections = tmp_path / "corrections.csv"
    _write_csv(
        corrections,
        [
            {"text": "Bonjour, je ne reçois plus mes mails depuis hier", "label": "support"},
            {"text": "You are a stupid clown", "label": "harassment"},
        ],
    )

    examples = load_corrections(corrections)

    assert [(e.lang, e.source) for e in examples] == [
        ("fr", "agent_correction"),
        ("en", "agent_correction"),
    ]
