"""`python -m classifiers evaluate`: retrain, test, leave-one-source-out, write the report.

The report (Markdown) and the confusion-matrix plot (PNG) go to `docs/classifier/`.
Leave-one-source-out: for each corpus, a model is fit on every *other* corpus and scored on
all rows of the held-out one, which says how the recipe fares on text from a source it has
never seen (the situation of the hidden hold-out), not how well it fits these files.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sklearn

from classifiers.artifact import DEFAULT_ARTIFACT, sidecar_path
from classifiers.build import PreparedData, prepare_data, score_classifier
from classifiers.dataset import DEFAULT_DATA_DIR, Example
from classifiers.labels import FLAGGABLE_LABELS, LABELS
from classifiers.metrics import label_report
from classifiers.predictor import Classifier
from classifiers.training import Progress, TrainingConfig, fit_model

__all__ = ["DEFAULT_REPORT_DIR", "EvaluationResult", "evaluate", "leave_one_source_out"]

DEFAULT_REPORT_DIR = Path(__file__).resolve().parent.parent / "docs" / "classifier"
REPORT_NAME = "evaluation.md"
PLOT_NAME = "confusion_matrix.png"
#: Sources smaller than this are too small to say anything when held out.
LOSO_MIN_ROWS = 10


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class EvaluationResult:
    """What `evaluate` measured and where it wrote it."""

    test: dict[str, Any]
    thresholds: dict[str, float]
    loso: dict[str, Any] | None
    report: Path
    plot: Path


def leave_one_source_out(
    examples: Sequence[Example],
    config: TrainingConfig,
    *,
    progress: Progress = _quiet,
) -> dict[str, Any]:
    """Per source: fit on the others, score on all of it; plus pooled scores.

    Each held-out model is calibrated and thresholded on the other sources only, so its
    flags are what the desk would see on a corpus it never met.
    """
    sources = Counter(example.source for example in examples)
    per_source: dict[str, Any] = {}
    pooled_truth: list[str] = []
    pooled_predicted: list[str] = []
    for number, source in enumerate(sorted(sources), start=1):
        if sources[source] < LOSO_MIN_ROWS:
            continue
        held_out = [e for e in examples if e.source == source]
        rest = [e for e in examples if e.source != source]
        if {e.label for e in rest} != set(LABELS):
            progress(f"leave-one-source-out {source}: skipped (a label would be missing)")
            continue
        progress(f"leave-one-source-out {number}/{len(sources)}: without {source}")
        trained = fit_model(rest, config)
        classifier = Classifier(trained.pipeline, thresholds=trained.thresholds)
        predictions = classifier.predict([e.text for e in held_out], explain=False)
        truth = [e.label for e in held_out]
        predicted = [p.label for p in predictions]
        report = label_report(truth, predicted)
        mistakes = Counter(p for t, p in zip(truth, predicted, strict=True) if t != p)
        support_flags = [
            p.flagged for p, t in zip(predictions, truth, strict=True) if t == "support"
        ]
        other = [
            (p.flagged, p.label == t)
            for p, t in zip(predictions, truth, strict=True)
            if t != "support"
        ]
        per_source[source] = {
            "n": len(held_out),
            "labels": dict(Counter(truth).most_common()),
            "accuracy": report["accuracy"],
            "macro_f1_labels_present": report["macro_f1"],
            "mistaken_for": dict(mistakes.most_common()),
            "support_flagged_rate": (
                round(sum(support_flags) / len(support_flags), 4) if support_flags else None
            ),
            "flagged_correctly_rate": (
                round(sum(f and ok for f, ok in other) / len(other), 4) if other else None
            ),
        }
        pooled_truth.extend(truth)
        pooled_predicted.extend(predicted)
    return {"sources": per_source, "pooled": label_report(pooled_truth, pooled_predicted)}


def evaluate(
    data_dir: Path = DEFAULT_DATA_DIR,
    report_dir: Path = DEFAULT_REPORT_DIR,
    *,
    config: TrainingConfig | None = None,
    with_loso: bool = True,
    shipped_artifact: Path = DEFAULT_ARTIFACT,
    progress: Progress = _quiet,
) -> EvaluationResult:
    """Retrain exactly as `train` does, test, run leave-one-source-out, write the report."""
    config = config or TrainingConfig()
    data = prepare_data(data_dir, seed=config.seed, progress=progress)
    trained = fit_model(data.development, config, progress=progress)
    classifier = Classifier(trained.pipeline, thresholds=trained.thresholds)
    progress(f"scoring the held-out test split ({len(data.test)} messages)")
    test = score_classifier(classifier, data.test)
    progress(f"test macro-F1 {test['macro_f1']:.4f}")
    loso = None
    if with_loso:
        loso = leave_one_source_out([*data.development, *data.test], config, progress=progress)
        progress(f"leave-one-source-out pooled macro-F1 {loso['pooled']['macro_f1']:.4f}")
    report_dir.mkdir(parents=True, exist_ok=True)
    plot = report_dir / PLOT_NAME
    _plot_confusion(test["confusion"], plot)
    report = report_dir / REPORT_NAME
    shipped = _shipped_test_metrics(shipped_artifact)
    report.write_text(
        _markdown(data, test, trained.thresholds, trained.validation, loso, shipped, config),
        encoding="utf-8",
    )
    progress(f"wrote {report} and {plot}")
    return EvaluationResult(
        test=test, thresholds=trained.thresholds, loso=loso, report=report, plot=plot
    )


def _shipped_test_metrics(artifact: Path) -> dict[str, Any] | None:
    sidecar = sidecar_path(artifact)
    if not sidecar.is_file():
        return None
    try:
        loaded = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return loaded if isinstance(loaded, dict) else None


def _plot_confusion(matrix: list[list[int]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6.4, 5.2), dpi=100)
    totals = [max(sum(row), 1) for row in matrix]
    shares = [[value / totals[i] for value in row] for i, row in enumerate(matrix)]
    image = axes.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
    axes.set_xticks(range(len(LABELS)), labels=list(LABELS), rotation=20)
    axes.set_yticks(range(len(LABELS)), labels=list(LABELS))
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title("Held-out test split (row-normalised, counts in cells)")
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            colour = "white" if shares[i][j] > 0.5 else "black"
            axes.text(j, i, str(value), ha="center", va="center", color=colour)
    figure.colorbar(image, ax=axes, fraction=0.046)
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)


def _f(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _markdown(
    data: PreparedData,
    test: dict[str, Any],
    thresholds: dict[str, float],
    validation: dict[str, float],
    loso: dict[str, Any] | None,
    shipped: dict[str, Any] | None,
    config: TrainingConfig,
) -> str:
    lines = [
        "# Guichet classifier — evaluation report",
        "",
        "Written by `python -m classifiers evaluate` (do not edit by hand).",
        "",
        f"- scikit-learn {sklearn.__version__}; training data SHA-256 `{data.data_sha256}`",
        f"- development rows: {len(data.development)}; held-out test rows: {len(data.test)} "
        "(split first: each near-duplicate group goes to test by a hash, about 20 % of every "
        "label × language × source stratum; adding rows never moves an existing one)",
        f"- seed {config.seed}; thresholds and calibration chosen on out-of-fold predictions "
        "of the development rows only (never on the test split); out-of-fold macro-F1 "
        f"{validation.get('out_of_fold_macro_f1', float('nan')):.4f}",
    ]
    if shipped is not None:
        same = shipped.get("training_data_sha256") == data.data_sha256
        shipped_f1 = shipped.get("metrics", {}).get("test", {}).get("macro_f1")
        lines.append(
            f"- shipped artifact: test macro-F1 {shipped_f1} in its sidecar; "
            + ("same training data." if same else "**built from different data**.")
        )
    lines += [
        "",
        "## Held-out test split",
        "",
        f"Macro-F1 **{test['macro_f1']:.4f}**, accuracy {test['accuracy']:.4f}, n = {test['n']}.",
        "",
        "| label | precision | recall | F1 | n |",
        "|---|---|---|---|---|",
    ]
    for label in LABELS:
        row = test["labels"][label]
        lines.append(
            f"| {label} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} "
            f"| {row['n']} |"
        )
    lines += [
        "",
        "![confusion matrix](confusion_matrix.png)",
        "",
        "### Per language",
        "",
        "| lang | n | macro-F1 | " + " | ".join(f"{label} F1" for label in LABELS) + " |",
        "|---|---|---|" + "---|" * len(LABELS),
    ]
    for lang, report in test["by_language"].items():
        cells = " | ".join(
            _f(report["labels"][label]["f1"]) if report["labels"][label]["n"] else "–"
            for label in LABELS
        )
        lines.append(f"| {lang} | {report['n']} | {report['macro_f1']:.3f} | {cells} |")
    lines += [
        "",
        "### Per source (test rows of each corpus)",
        "",
        "| source | n | accuracy | macro-F1 (labels present) |",
        "|---|---|---|---|",
    ]
    for source, report in test["by_source"].items():
        lines.append(
            f"| {source} | {report['n']} | {report['accuracy']:.3f} | {report['macro_f1']:.3f} |"
        )
    flags = test["flags"]
    lines += [
        "",
        "### Flags (what the desk acts on)",
        "",
        "| label | threshold | flag precision | flag recall | flags |",
        "|---|---|---|---|---|",
    ]
    for label in FLAGGABLE_LABELS:
        row = flags[label]
        lines.append(
            f"| {label} | {thresholds[label]:.2f} | {_f(row['precision'])} | "
            f"{_f(row['recall'])} | {row['flags']} |"
        )
    lines += [
        "",
        f"Support messages flagged: {_f(flags['support_flagged_rate'])} "
        f"(support recall {test['labels']['support']['recall']:.3f}).",
    ]
    if loso is not None:
        pooled = loso["pooled"]
        lines += [
            "",
            "## Leave-one-source-out",
            "",
            "Each row: a model fit on every other corpus (same recipe, calibrated and thresholded "
            "on those corpora only), scored on all rows of the held-out corpus. Most corpora carry "
            "one label, so accuracy is that label's recall. *Support flagged*: share of its "
            "support messages the desk would flag; *caught*: share of its non-support messages "
            "flagged with the right label. Pooled over all held-out rows: "
            f"macro-F1 **{pooled['macro_f1']:.4f}**, accuracy {pooled['accuracy']:.4f}.",
            "",
            "| held-out source | n | labels | accuracy | macro-F1 (labels present) "
            "| support flagged | caught | mistaken for |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for source, row in loso["sources"].items():
            labels = ", ".join(f"{k} {v}" for k, v in row["labels"].items())
            mistakes = ", ".join(f"{k} {v}" for k, v in row["mistaken_for"].items()) or "–"
            lines.append(
                f"| {source} | {row['n']} | {labels} | {row['accuracy']:.3f} | "
                f"{row['macro_f1_labels_present']:.3f} | {_f(row['support_flagged_rate'])} | "
                f"{_f(row['flagged_correctly_rate'])} | {mistakes} |"
            )
        lines += [
            "",
            "Pooled per label:",
            "",
            "| label | precision | recall | F1 | n |",
            "|---|---|---|---|---|",
        ]
        for label in LABELS:
            row = pooled["labels"][label]
            lines.append(
                f"| {label} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} "
                f"| {row['n']} |"
            )
    lines.append("")
    return "\n".join(lines)
