"""`python -m classifiers train | evaluate | predict`."""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from classifiers.artifact import DEFAULT_ARTIFACT
from classifiers.dataset import DEFAULT_DATA_DIR
from classifiers.errors import ClassifierError
from classifiers.labels import LABELS

if TYPE_CHECKING:
    from classifiers.predictor import Classifier

__all__ = ["main"]

#: Rows screened per batch by `predict` (bounds memory on big files).
PREDICT_CHUNK = 4096


def _progress_printer() -> Callable[[str], None]:
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    return progress


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m classifiers", description="Guichet message classifier"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="build the artifact from data/classifier/")
    train.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="training CSV folder")
    train.add_argument("--output", type=Path, default=DEFAULT_ARTIFACT, help="artifact path")
    train.add_argument(
        "--extra",
        type=Path,
        default=None,
        help="agents' corrections CSV (columns text,label[,lang,source]) to train with",
    )

    evaluate = commands.add_parser("evaluate", help="retrain, test, and write the report")
    evaluate.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    evaluate.add_argument("--report-dir", type=Path, default=None, help="default: docs/classifier")
    evaluate.add_argument(
        "--no-loso", action="store_true", help="skip leave-one-source-out (faster)"
    )

    predict = commands.add_parser("predict", help="screen the `text` column of a CSV")
    predict.add_argument("--input", type=Path, required=True, help="CSV with a `text` column")
    predict.add_argument("--output", type=Path, required=True, help="CSV to write")
    predict.add_argument("--model", type=Path, default=None, help="artifact (default: shipped)")
    return parser


def _train(args: argparse.Namespace) -> int:
    from classifiers.build import train_and_save

    progress = _progress_printer()
    _, metrics = train_and_save(args.data, args.output, corrections=args.extra, progress=progress)
    print(f"test macro-F1 {metrics['macro_f1']:.4f}")
    for label in LABELS:
        row = metrics["labels"][label]
        print(f"  {label:<13} P {row['precision']:.3f} R {row['recall']:.3f} F1 {row['f1']:.3f}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from classifiers.evaluation import DEFAULT_REPORT_DIR, evaluate

    progress = _progress_printer()
    result = evaluate(
        args.data,
        args.report_dir or DEFAULT_REPORT_DIR,
        with_loso=not args.no_loso,
        progress=progress,
    )
    print(f"test macro-F1 {result.test['macro_f1']:.4f}; report: {result.report}")
    return 0


def _predict(args: argparse.Namespace) -> int:
    from classifiers.predictor import Classifier

    classifier = Classifier.load(args.model)
    try:
        with args.input.open(encoding="utf-8-sig", newline="") as source:
            reader = csv.DictReader(source)
            columns = list(reader.fieldnames or [])
            if "text" not in columns:
                raise ClassifierError(f"{args.input}: no `text` column (columns: {columns})")
            added = ["label", "flagged", *(f"score_{label}" for label in LABELS)]
            kept = [column for column in columns if column not in added]
            args.output.parent.mkdir(parents=True, exist_ok=True)
            with args.output.open("w", encoding="utf-8", newline="") as target:
                writer = csv.DictWriter(target, fieldnames=[*kept, *added])
                writer.writeheader()
                chunk: list[dict[str, str]] = []
                for row in reader:
                    chunk.append(row)
                    if len(chunk) >= PREDICT_CHUNK:
                        _write_chunk(classifier, writer, chunk, kept)
                        chunk = []
                _write_chunk(classifier, writer, chunk, kept)
    except UnicodeDecodeError as error:
        raise ClassifierError(f"{args.input}: not UTF-8 ({error})") from error
    except csv.Error as error:
        raise ClassifierError(f"{args.input}: malformed CSV ({error})") from error
    return 0


def _write_chunk(
    classifier: Classifier, writer: csv.DictWriter[str], rows: list[dict[str, str]], kept: list[str]
) -> None:
    if not rows:
        return
    predictions = classifier.predict([row.get("text") or "" for row in rows], explain=False)
    for row, prediction in zip(rows, predictions, strict=True):
        out = {column: row.get(column) or "" for column in kept}
        out["label"] = prediction.label
        out["flagged"] = "true" if prediction.flagged else "false"
        for label in LABELS:
            out[f"score_{label}"] = f"{prediction.scores[label]:.6f}"
        writer.writerow(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (2 for a clear error, printed on stderr)."""
    args = _parser().parse_args(argv)
    handlers = {"train": _train, "evaluate": _evaluate, "predict": _predict}
    try:
        return handlers[args.command](args)
    except (ClassifierError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
