"""The prediction API: `Classifier.load()`, `predict`, `predict_one`, `Prediction`.

Prediction runs the shipped pipeline's fitted steps directly (normalise → features → hash →
TF-IDF → linear scores → softmax) instead of `Pipeline.predict_proba`, which keeps one
message well under a millisecond; `tests/classifiers` checks both paths give the same scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.pipeline import Pipeline

from classifiers.artifact import DEFAULT_ARTIFACT, ArtifactMetadata, load_artifact
from classifiers.features import (
    analyze_normalized,
    display_feature,
    has_content,
    hashed_columns,
)
from classifiers.labels import FLAGGABLE_LABELS, LABELS, SUPPORT
from classifiers.normalize import normalize_text

__all__ = ["Classifier", "Prediction"]

#: How many terms an explanation names.
EXPLANATION_SIZE = 5


@dataclass(frozen=True, slots=True)
class Prediction:
    """The screening of one message.

    `scores` are calibrated probabilities over LABELS (they sum to 1). `flagged` is True when
    the label is not `support` and its score reaches that label's threshold. `explanation`
    lists the terms that pushed the message towards `label` most, with their contribution
    (in logit units, largest first).
    """

    label: str
    scores: dict[str, float]
    flagged: bool
    explanation: list[tuple[str, float]] = field(default_factory=list)


def _empty_prediction() -> Prediction:
    scores = dict.fromkeys(LABELS, 0.0)
    scores[SUPPORT] = 1.0
    return Prediction(label=SUPPORT, scores=scores, flagged=False, explanation=[])


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    if value is None:
        return ""
    raise TypeError(f"a message must be str (or bytes), not {type(value).__name__}")


class Classifier:
    """A loaded, calibrated message classifier (thread-safe: predicting mutates nothing)."""

    def __init__(
        self,
        pipeline: Pipeline,
        *,
        thresholds: dict[str, float],
        metadata: ArtifactMetadata | None = None,
    ) -> None:
        missing = [label for label in FLAGGABLE_LABELS if label not in thresholds]
        if missing:
            raise ValueError(f"no flag threshold for: {', '.join(missing)}")
        self.pipeline = pipeline
        self.thresholds = {label: float(thresholds[label]) for label in FLAGGABLE_LABELS}
        self.metadata = metadata
        self._hasher = pipeline.named_steps["hasher"]
        tfidf = pipeline.named_steps["tfidf"]
        self._idf = np.asarray(tfidf.idf_, dtype=np.float64)
        self._sublinear = bool(tfidf.sublinear_tf)
        model = pipeline.named_steps["model"]
        order = [list(model.classes_).index(label) for label in LABELS]
        coef = np.asarray(model.coef_, dtype=np.float64)[order]
        self._weights = np.ascontiguousarray(coef.T)  # (n_features, n_labels)
        self._centred = self._weights - self._weights.mean(axis=1, keepdims=True)
        self._intercept = np.asarray(model.intercept_, dtype=np.float64)[order]

    @classmethod
    def load(cls, path: str | Path | None = None) -> Classifier:
        """Load an artifact (default: the shipped one); `ArtifactError` if unusable."""
        pipeline, metadata = load_artifact(Path(path) if path is not None else DEFAULT_ARTIFACT)
        return cls(pipeline, thresholds=metadata.thresholds, metadata=metadata)

    # -- scoring ----------------------------------------------------------------------------

    def _tfidf(self, features: Sequence[list[str]]) -> csr_matrix:
        counts = csr_matrix(self._hasher.transform(features), dtype=np.float64)
        counts.sum_duplicates()
        data = counts.data
        if self._sublinear:
            np.log(data, out=data)
            data += 1.0
        data *= self._idf[counts.indices]
        squared = counts.multiply(counts).sum(axis=1).A1
        norms = np.sqrt(squared)
        norms[norms == 0.0] = 1.0
        data /= np.repeat(norms, np.diff(counts.indptr))
        return counts

    def _probabilities(self, matrix: csr_matrix) -> np.ndarray:
        logits = np.asarray(matrix @ self._weights) + self._intercept
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return logits

    def predict_scores(self, texts: Iterable[object]) -> np.ndarray:
        """Calibrated scores, one row per message, columns in LABELS order."""
        normalized = [normalize_text(_as_text(text)) for text in _check_batch(texts)]
        features = [analyze_normalized(text) for text in normalized]
        if not features:
            return np.zeros((0, len(LABELS)))
        probabilities = self._probabilities(self._tfidf(features))
        for row, text in enumerate(normalized):
            if not has_content(text):
                probabilities[row] = 0.0
                probabilities[row, 0] = 1.0
        return probabilities

    def predict(self, texts: Iterable[object], *, explain: bool = True) -> list[Prediction]:
        """Screen messages; one `Prediction` per message, in order. Never raises on text."""
        normalized = [normalize_text(_as_text(text)) for text in _check_batch(texts)]
        features = [analyze_normalized(text) for text in normalized]
        if not features:
            return []
        matrix = self._tfidf(features)
        probabilities = self._probabilities(matrix)
        predictions = []
        for row, text in enumerate(normalized):
            if not has_content(text):
                predictions.append(_empty_prediction())
                continue
            scores_row = probabilities[row]
            best = int(scores_row.argmax())
            label = LABELS[best]
            scores = {name: float(scores_row[index]) for index, name in enumerate(LABELS)}
            flagged = label != SUPPORT and scores[label] >= self.thresholds[label]
            explanation = self._explain(matrix, row, features[row], text, best) if explain else []
            predictions.append(
                Prediction(label=label, scores=scores, flagged=flagged, explanation=explanation)
            )
        return predictions

    def predict_one(self, text: object) -> Prediction:
        """`predict` for a single message."""
        return self.predict([text])[0]

    # -- explanation ------------------------------------------------------------------------

    def _explain(
        self, matrix: csr_matrix, row: int, features: list[str], normalized: str, label: int
    ) -> list[tuple[str, float]]:
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        columns = matrix.indices[start:end]
        contributions = matrix.data[start:end] * self._centred[columns, label]
        positive = contributions > 0
        if not positive.any():
            return []
        by_column = dict(
            zip(columns[positive].tolist(), contributions[positive].tolist(), strict=True)
        )
        unique = list(dict.fromkeys(features))
        owners: dict[int, list[str]] = defaultdict(list)
        for feature, column in zip(unique, hashed_columns(self._hasher, unique), strict=True):
            if column in by_column:
                owners[column].append(feature)
        words = normalized.replace("'", " ").split()
        terms: dict[str, float] = defaultdict(float)
        for column, contribution in by_column.items():
            names = owners.get(column, [])
            for feature in names:
                terms[_term(feature, words)] += contribution / len(names)
        ranked = sorted(terms.items(), key=lambda item: (-item[1], item[0]))
        return [(term, round(value, 4)) for term, value in ranked[:EXPLANATION_SIZE]]

    def describe(self) -> dict[str, Any]:
        """Thresholds and sidecar metrics, for status pages and logs."""
        return {
            "labels": list(LABELS),
            "thresholds": dict(self.thresholds),
            "metrics": dict(self.metadata.metrics) if self.metadata else {},
        }


def _term(feature: str, words: list[str]) -> str:
    """The word a feature belongs to (a character n-gram is shown as its word)."""
    if not feature.startswith("c|"):
        return display_feature(feature)
    gram = feature[2:].strip()
    if " " not in gram:
        for word in words:
            if gram in word:
                return word
    return gram


def _check_batch(texts: Iterable[object]) -> Iterable[object]:
    if isinstance(texts, str | bytes):
        raise TypeError("predict() takes a list of messages; use predict_one() for one message")
    return texts
