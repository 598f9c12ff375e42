"""Errors the library raises; each says what went wrong and what to do."""

from __future__ import annotations

__all__ = ["ArtifactError", "ClassifierError", "DataError"]


class ClassifierError(Exception):
    """Base class of the classifier's errors."""

    code = "classifier_error"


class ArtifactError(ClassifierError):
    """The model artifact is missing, corrupt, or was built with another scikit-learn."""

    code = "classifier_artifact"


class DataError(ClassifierError):
    """Training data or corrections are unreadable or malformed."""

    code = "classifier_data"
