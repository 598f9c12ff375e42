"""The prediction API: `Classifier.load()`, `predict`, `predict_one`, `Prediction`.

Prediction reproduces the shipped pipeline's fitted steps directly (normalise → features →
hash → TF-IDF → linear scores) with memoised feature columns and no per-call validation,
which keeps one message well under a millisecond; the calibrated scores are the softmax of
those (temperature-scaled) linear scores. `tests/classifiers` checks that they equal the
softmax of `pipeline.decision_function`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.pipeline import Pipeline

from classifiers.artifact import DEFAULT_ARTIFACT, ArtifactMetadata, load_artifact
from classifiers.features import (
    ColumnIndex,
    has_content,
)
from classifiers.labels import FLAGGABLE_LABELS, LABELS, SUPPORT
from classifiers.normalize import in_covered_script, normalize_text

__all__ = ["Classifier", "Prediction"]

#: How many terms an explanation names.
EXPLANATION_SIZE = 5
#: Explanations name terms from the first characters of the normalised text only (the whole
#: text is scored): it bounds their cost on long e-mails, whose opening carries the intent.
EXPLAINED_CHARS = 400
#: How masked tokens are shown to agents.
_MASK_NAMES = {
    "_url_": "[link]",
    "_email_": "[e-mail address]",
    "_ip_": "[IP address]",
    "_phone_": "[phone number]",
    "_time_": "[time]",
    "_money_": "[amount]",
    "_num_": "[number]",
}


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


def _screenable(raw: str, normalized: str) -> bool:
    """Whether the model can judge a message: real words, in a script it was trained on."""
    return has_content(normalized) and in_covered_script(raw)


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
        self._index = ColumnIndex(int(pipeline.named_steps["hasher"].n_features))
        tfidf = pipeline.named_steps["tfidf"]
        self._idf = np.asarray(tfidf.idf_, dtype=np.float64) if tfidf.use_idf else None
        self._sublinear = bool(tfidf.sublinear_tf)
        model = pipeline.named_steps["model"]
        order = [list(model.classes_).index(label) for label in LABELS]
        coef = np.asarray(model.coef_, dtype=np.float64)[order]
        self._weights = np.ascontiguousarray(coef.T)  # (n_features, n_labels)
        centred = self._weights - self._weights.mean(axis=1, keepdims=True)
        self._centred = np.ascontiguousarray(centred.T)  # (n_labels, n_features)
        self._intercept = np.asarray(model.intercept_, dtype=np.float64)[order]

    @classmethod
    def load(cls, path: str | Path | None = None) -> Classifier:
        """Load an artifact (default: the shipped one); `ArtifactError` if unusable."""
        pipeline, metadata = load_artifact(Path(path) if path is not None else DEFAULT_ARTIFACT)
        return cls(pipeline, thresholds=metadata.thresholds, metadata=metadata)

    # -- scoring ----------------------------------------------------------------------------

    def _tfidf(self, normalized: Sequence[str]) -> csr_matrix:
        """TF-IDF rows of normalised messages, as the pipeline's hasher and tfidf make them."""
        per_message = [self._index.columns(text) for text in normalized]
        lengths = np.fromiter((len(columns) for columns in per_message), dtype=np.int64)
        indptr = np.zeros(len(per_message) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        indices = np.concatenate(per_message).astype(np.int32)
        matrix = csr_matrix(
            (np.ones(len(indices)), indices, indptr),
            shape=(len(per_message), self._index.n_features),
        )
        matrix.sum_duplicates()
        data = matrix.data
        if self._sublinear:
            np.log(data, out=data)
            data += 1.0
        if self._idf is not None:
            data *= np.take(self._idf, matrix.indices)
        row_starts = matrix.indptr[:-1]
        norms = np.sqrt(np.add.reduceat(data * data, row_starts))
        norms[norms == 0.0] = 1.0
        data /= np.repeat(norms, np.diff(matrix.indptr))
        return matrix

    def _probabilities(self, matrix: csr_matrix) -> np.ndarray:
        logits = np.asarray(matrix @ self._weights) + self._intercept
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        return logits

    def _score_one(self, normalized: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(columns, TF-IDF values, probabilities) of one message, without scipy overhead."""
        columns, counts = np.unique(self._index.columns(normalized), return_counts=True)
        values = counts.astype(np.float64)
        if self._sublinear:
            np.log(values, out=values)
            values += 1.0
        if self._idf is not None:
            values *= np.take(self._idf, columns)
        norm = float(np.sqrt(values @ values))
        if norm > 0.0:
            values /= norm
        # np.take gathers rows several times faster than fancy indexing.
        logits = values @ np.take(self._weights, columns, axis=0) + self._intercept
        logits -= logits.max()
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum()
        return columns, values, probabilities

    def _score(
        self, normalized: Sequence[str]
    ) -> tuple[np.ndarray, Callable[[int], tuple[np.ndarray, np.ndarray]]]:
        """Probabilities of a batch, and a function giving one row's (columns, values)."""
        if len(normalized) == 1:
            columns, values, probabilities = self._score_one(normalized[0])
            return probabilities[np.newaxis, :], lambda _: (columns, values)
        matrix = self._tfidf(normalized)

        def row(index: int) -> tuple[np.ndarray, np.ndarray]:
            start, end = matrix.indptr[index], matrix.indptr[index + 1]
            return matrix.indices[start:end], matrix.data[start:end]

        return self._probabilities(matrix), row

    def predict_scores(self, texts: Iterable[object]) -> np.ndarray:
        """Calibrated scores, one row per message, columns in LABELS order."""
        raw = [_as_text(text) for text in _check_batch(texts)]
        normalized = [normalize_text(text) for text in raw]
        if not normalized:
            return np.zeros((0, len(LABELS)))
        probabilities, _ = self._score(normalized)
        for index, text in enumerate(normalized):
            if not _screenable(raw[index], text):
                probabilities[index] = 0.0
                probabilities[index, 0] = 1.0
        return probabilities

    def predict(self, texts: Iterable[object], *, explain: bool = True) -> list[Prediction]:
        """Screen messages; one `Prediction` per message, in order. Never raises on text."""
        raw = [_as_text(text) for text in _check_batch(texts)]
        normalized = [normalize_text(text) for text in raw]
        if not normalized:
            return []
        probabilities, row = self._score(normalized)
        predictions = []
        for index, text in enumerate(normalized):
            if not _screenable(raw[index], text):
                predictions.append(_empty_prediction())
                continue
            scores_row = probabilities[index]
            best = int(scores_row.argmax())
            label = LABELS[best]
            scores = {name: float(scores_row[i]) for i, name in enumerate(LABELS)}
            flagged = label != SUPPORT and scores[label] >= self.thresholds[label]
            explanation = self._explain(*row(index), text, best) if explain else []
            predictions.append(
                Prediction(label=label, scores=scores, flagged=flagged, explanation=explanation)
            )
        return predictions

    def predict_one(self, text: object) -> Prediction:
        """`predict` for a single message."""
        return self.predict([text])[0]

    # -- explanation ------------------------------------------------------------------------

    def _explain(
        self, columns: np.ndarray, values: np.ndarray, normalized: str, label: int
    ) -> list[tuple[str, float]]:
        """Net contribution of each word/bigram towards `label`; the top positive ones.

        Each column's contribution (TF-IDF value × centred coefficient) is shared equally by
        the terms whose features hit it, then summed per term.
        """
        terms, term_of, wanted = self._index.term_columns(normalized, limit=EXPLAINED_CHARS)
        if not terms or not len(columns):
            return []
        # `columns` are sorted and distinct (np.unique, or a CSR row after sum_duplicates).
        contributions = values * self._centred[label][columns]
        position = np.searchsorted(columns, wanted)
        np.minimum(position, len(columns) - 1, out=position)
        hit = columns[position] == wanted
        position = position[hit]
        # A column hit by several terms is shared equally between them.
        owners = np.bincount(position, minlength=len(columns))
        share = np.take(contributions, position) / np.take(owners, position)
        totals = np.bincount(term_of[hit], weights=share, minlength=len(terms))
        candidates = np.flatnonzero(totals > 0)
        if len(candidates) > 4 * EXPLANATION_SIZE:
            top = np.argpartition(-totals[candidates], 4 * EXPLANATION_SIZE)
            candidates = candidates[top[: 4 * EXPLANATION_SIZE]]
        ranked = sorted(
            ((terms[i], float(totals[i])) for i in candidates),
            key=lambda item: (-item[1], item[0]),
        )
        return [
            (_MASK_NAMES.get(term, term), round(value, 4))
            for term, value in ranked[:EXPLANATION_SIZE]
        ]

    def describe(self) -> dict[str, Any]:
        """Thresholds and sidecar metrics, for status pages and logs."""
        return {
            "labels": list(LABELS),
            "thresholds": dict(self.thresholds),
            "metrics": dict(self.metadata.metrics) if self.metadata else {},
        }


def _check_batch(texts: Iterable[object]) -> Iterable[object]:
    if isinstance(texts, str | bytes):
        raise TypeError("predict() takes a list of messages; use predict_one() for one message")
    return texts
