"""Screening every inbound customer message with the classifier (classifiers/ library).

The model is loaded in the application's lifespan, never at import; loaded models are cached per
file so that several apps in one process (tests) share one copy.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from classifiers import DEFAULT_ARTIFACT, ArtifactError, Classifier, Prediction
from helpdesk.errors import ConfigurationError

logger = logging.getLogger(__name__)

_loaded: dict[tuple[str, float], Classifier] = {}


@dataclass(frozen=True)
class Screening:
    """What the classifier said of one message, kept with the message."""

    label: str
    flagged: bool
    scores: dict[str, float]
    explanation: list[tuple[str, float]] = field(default_factory=list)

    @classmethod
    def from_prediction(cls, prediction: Prediction) -> Screening:
        return cls(
            label=prediction.label,
            flagged=prediction.flagged,
            scores={k: round(v, 4) for k, v in prediction.scores.items()},
            explanation=[(term, round(weight, 4)) for term, weight in prediction.explanation],
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "flagged": self.flagged,
            "scores": self.scores,
            "explanation": [[term, weight] for term, weight in self.explanation],
        }


class Screener:
    def __init__(self, classifier: Classifier) -> None:
        self.classifier = classifier

    @classmethod
    def load(cls, path: str | None) -> Screener:
        artifact = Path(path) if path else DEFAULT_ARTIFACT
        try:
            key = (str(artifact.resolve()), artifact.stat().st_mtime)
            if key not in _loaded:
                _loaded[key] = Classifier.load(artifact)
                logger.info("classifier loaded from %s", artifact)
        except (ArtifactError, OSError) as exc:
            raise ConfigurationError(f"Cannot load the classifier ({artifact}): {exc}") from exc
        return cls(_loaded[key])

    def screen(self, text: str) -> Screening:
        return Screening.from_prediction(self.classifier.predict_one(text))
