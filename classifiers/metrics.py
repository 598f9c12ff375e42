"""Scores of a classifier on labelled examples: per label, language and source, and flags."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from classifiers.dataset import Example
from classifiers.labels import FLAGGABLE_LABELS, LABELS, SUPPORT

__all__ = ["confusion", "label_report", "score_examples"]


def label_report(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Precision, recall, F1 and support per label, plus macro-F1 over labels present."""
    present = [label for label in LABELS if label in set(truth)]
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=list(LABELS), zero_division=0.0
    )
    per_label = {
        label: {
            "precision": round(float(precision[i]), 4),
            "recall": round(float(recall[i]), 4),
            "f1": round(float(f1[i]), 4),
            "n": int(support[i]),
        }
        for i, label in enumerate(LABELS)
    }
    macro = (
        float(f1_score(truth, predicted, labels=present, average="macro", zero_division=0.0))
        if present
        else 0.0
    )
    accuracy = float(np.mean([a == b for a, b in zip(truth, predicted, strict=True)]))
    return {
        "n": len(truth),
        "macro_f1": round(macro, 4),
        "accuracy": round(accuracy, 4),
        "labels": per_label,
    }


def confusion(truth: Sequence[str], predicted: Sequence[str]) -> list[list[int]]:
    """Confusion matrix, rows = truth, columns = prediction, both in LABELS order."""
    matrix = confusion_matrix(truth, predicted, labels=list(LABELS))
    return [[int(value) for value in row] for row in matrix]


def _flag_report(
    truth: Sequence[str], labels: Sequence[str], flagged: Sequence[bool]
) -> dict[str, Any]:
    report: dict[str, Any] = {}
    for label in FLAGGABLE_LABELS:
        flags = [f and p == label for f, p in zip(flagged, labels, strict=True)]
        true_flags = sum(f and t == label for f, t in zip(flags, truth, strict=True))
        n_flags = sum(flags)
        positives = sum(t == label for t in truth)
        report[label] = {
            "precision": round(true_flags / n_flags, 4) if n_flags else None,
            "recall": round(true_flags / positives, 4) if positives else None,
            "flags": n_flags,
        }
    support_rows = [f for f, t in zip(flagged, truth, strict=True) if t == SUPPORT]
    report["support_flagged_rate"] = (
        round(sum(support_rows) / len(support_rows), 4) if support_rows else None
    )
    return report


def score_examples(
    examples: Sequence[Example], labels: Sequence[str], flagged: Sequence[bool]
) -> dict[str, Any]:
    """Everything the report shows about predictions on `examples`."""
    truth = [example.label for example in examples]
    overall = label_report(truth, labels)
    by_lang: dict[str, list[int]] = defaultdict(list)
    by_source: dict[str, list[int]] = defaultdict(list)
    for index, example in enumerate(examples):
        by_lang[example.lang].append(index)
        by_source[example.source].append(index)

    def subset(indices: list[int]) -> dict[str, Any]:
        return label_report([truth[i] for i in indices], [labels[i] for i in indices])

    return {
        **overall,
        "confusion": confusion(truth, labels),
        "flags": _flag_report(truth, labels, flagged),
        "by_language": {lang: subset(by_lang[lang]) for lang in sorted(by_lang)},
        "by_source": {source: subset(by_source[source]) for source in sorted(by_source)},
    }
