"""Fixtures of the classifier tests: the shipped artifact, loaded once per session."""

from __future__ import annotations

import pytest

from classifiers import Classifier


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    return Classifier.load()
