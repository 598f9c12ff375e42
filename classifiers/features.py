"""Features: word uni/bi-grams and character 3–5-grams of the normalised text, hashed.

Character n-grams catch obfuscated and misspelt insults ("connar", "idiiot", "f_ck") and
French/English morphology; word n-grams carry phrases ("mon site", "claim your prize").
Hashing keeps the artifact free of a vocabulary, makes training one pass, and lets a single
message be featurised in a few tens of microseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from classifiers.normalize import normalize_text

__all__ = [
    "CHAR_NGRAMS",
    "N_FEATURES",
    "analyze",
    "analyze_many",
    "build_pipeline",
    "display_feature",
    "has_content",
]

N_FEATURES = 2**18
CHAR_NGRAMS = (3, 5)
#: Character n-grams are taken from the start of the message only (words from all of it).
CHAR_WINDOW = 600
#: Empty normalised text still yields one feature so that no row of the matrix is all-zero.
EMPTY_FEATURE = "e|"


def has_content(normalized: str) -> bool:
    """Whether normalised text holds at least one real word (not only masks and numbers)."""
    return any(token.isalpha() for token in normalized.replace("'", " ").split())


def analyze(text: str) -> list[str]:
    """Features of one raw message (normalisation included), as prefixed strings."""
    return analyze_normalized(normalize_text(text))


def analyze_normalized(normalized: str) -> list[str]:
    """Features of an already normalised message."""
    if not normalized:
        return [EMPTY_FEATURE]
    words = normalized.replace("'", " ").split()
    features = ["w|" + word for word in words]
    features.extend(["b|" + a + " " + b for a, b in pairwise(words)])
    padded = " " + normalized[:CHAR_WINDOW] + " "
    low, high = CHAR_NGRAMS
    for n in range(low, high + 1):
        features.extend(["c|" + padded[i : i + n] for i in range(len(padded) - n + 1)])
    return features


def analyze_many(texts: Iterable[str]) -> list[list[str]]:
    """`analyze` over a batch (the first step of the pipeline)."""
    return [analyze(text) for text in texts]


def display_feature(feature: str) -> str:
    """The human-readable form of a feature, for explanations."""
    kind, _, value = feature.partition("|")
    if kind == "c":
        return f"«{value}»"
    return value


def build_pipeline(*, regularization: float, epochs: int, seed: int) -> Pipeline:
    """The untrained pipeline: raw texts in, label probabilities out."""
    return Pipeline(
        [
            ("features", FunctionTransformer(analyze_many)),
            (
                "hasher",
                FeatureHasher(n_features=N_FEATURES, input_type="string", alternate_sign=False),
            ),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
            (
                "model",
                SGDClassifier(
                    loss="log_loss",
                    alpha=regularization,
                    max_iter=epochs,
                    tol=None,
                    random_state=seed,
                ),
            ),
        ]
    )


def hashed_columns(hasher: FeatureHasher, features: Sequence[str]) -> list[int]:
    """Column index of each feature string under `hasher` (one vectorised call)."""
    if not features:
        return []
    matrix = hasher.transform([[feature] for feature in features]).tocsr()
    return [int(column) for column in matrix.indices]
