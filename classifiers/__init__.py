"""Guichet's message classifier: support / spam / harassment / abuse_report, French and English.

A pure library (scikit-learn, numpy, scipy and the standard library; nothing of Guichet's).
Importing it loads no model: call `Classifier.load()` at start-up.

    from classifiers import Classifier
    classifier = Classifier.load()
    prediction = classifier.predict_one("Mon site affiche une erreur 500 depuis ce matin")
    prediction.label, prediction.flagged, prediction.scores, prediction.explanation

See `classifiers/README.md` for training, evaluation, data and licences.
"""

from __future__ import annotations

from classifiers.artifact import DEFAULT_ARTIFACT
from classifiers.errors import ArtifactError, ClassifierError, DataError
from classifiers.labels import FLAGGABLE_LABELS, LABELS
from classifiers.normalize import normalize_text
from classifiers.predictor import Classifier, Prediction

__all__ = [
    "DEFAULT_ARTIFACT",
    "FLAGGABLE_LABELS",
    "LABELS",
    "ArtifactError",
    "Classifier",
    "ClassifierError",
    "DataError",
    "Prediction",
    "normalize_text",
]
