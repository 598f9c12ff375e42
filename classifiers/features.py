"""Features: word uni/bi-grams and in-word character 2–5-grams of the normalised text, hashed.

Character n-grams, taken inside each distinct word (padded with spaces), catch obfuscated and
misspelt insults ("connar", "idiiot", "f_ck") and French/English morphology without learning a
corpus's punctuation or spacing habits; word n-grams carry phrases ("mon site", "claim your
prize").
Hashing keeps the artifact free of a vocabulary, makes training one pass, and lets a single
message be featurised in a few tens of microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import murmurhash3_32

from classifiers.normalize import normalize_text

__all__ = [
    "CHAR_NGRAMS",
    "N_FEATURES",
    "ColumnIndex",
    "analyze",
    "analyze_many",
    "build_pipeline",
    "has_content",
]

N_FEATURES = 2**18
CHAR_NGRAMS = (2, 5)
#: Character n-grams are taken from the first distinct words only (word n-grams from all).
CHAR_WORDS = 150
_MASK = re.compile(r"_(?:url|email|ip|phone|money|num)_")
_LETTER = re.compile(r"[a-z]")
#: Empty normalised text still yields one feature so that no row of the matrix is all-zero.
EMPTY_FEATURE = "e|"


def has_content(normalized: str) -> bool:
    """Whether normalised text holds at least one real word (not only masks and numbers)."""
    return _LETTER.search(_MASK.sub(" ", normalized)) is not None


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
    for word in _char_words(words):
        features.extend(char_ngrams(word))
    return features


def _char_words(words: list[str]) -> list[str]:
    """The words whose character n-grams are features: the first distinct ones.

    Masks (`_url_`, `_phone_` …) get n-grams too, which weighs them like a long word;
    leave-one-source-out scores were better that way than with a single feature per mask.
    """
    return list(dict.fromkeys(words))[:CHAR_WORDS]


def char_ngrams(word: str) -> list[str]:
    """The character n-gram features of one word (padded with a space on each side)."""
    padded = " " + word + " "
    low, high = CHAR_NGRAMS
    grams: list[str] = []
    for n in range(low, min(high, len(padded)) + 1):
        grams.extend(["c|" + padded[i : i + n] for i in range(len(padded) - n + 1)])
    return grams


class ColumnIndex:
    """Feature columns computed as `FeatureHasher` does, with per-word memoisation.

    `FeatureHasher(input_type="string", alternate_sign=False)` puts a feature in column
    `abs(murmurhash3_32(feature, seed=0)) % n_features` (a test checks the two agree).
    Words repeat across messages, so the columns of a word (its unigram and its character
    n-grams) and of a bigram are cached; the caches are bounded and simply restart when full.
    """

    def __init__(self, n_features: int, *, cache_size: int = 200_000) -> None:
        self.n_features = n_features
        self._cache_size = cache_size
        self._unigrams: dict[str, int] = {}
        self._grams: dict[str, list[int]] = {}
        self._bigrams: dict[str, int] = {}

    def column(self, feature: str) -> int:
        """The column of one feature string."""
        return abs(int(murmurhash3_32(feature, seed=0))) % self.n_features

    def columns(self, normalized: str) -> list[int]:
        """Columns of every feature of `analyze_normalized(normalized)`, with repeats."""
        if not normalized:
            return [self.column(EMPTY_FEATURE)]
        words = normalized.replace("'", " ").split()
        unigrams, grams, bigrams = self._unigrams, self._grams, self._bigrams
        if len(unigrams) > self._cache_size or len(bigrams) > self._cache_size:
            unigrams.clear()
            grams.clear()
            bigrams.clear()
        result = []
        for word in words:
            column = unigrams.get(word)
            if column is None:
                column = unigrams[word] = self.column("w|" + word)
            result.append(column)
        for a, b in pairwise(words):
            key = a + " " + b
            column = bigrams.get(key)
            if column is None:
                column = bigrams[key] = self.column("b|" + key)
            result.append(column)
        for word in _char_words(words):
            word_grams = grams.get(word)
            if word_grams is None:
                word_grams = grams[word] = [self.column(gram) for gram in char_ngrams(word)]
            result.extend(word_grams)
        return result

    def term_columns(self, normalized: str) -> tuple[list[str], list[int], list[int]]:
        """(terms, term index per entry, column per entry) of a message, for explanations.

        A term is a distinct word (owning its unigram and its character n-grams) or a
        distinct bigram (owning itself); each (term, column) pair appears once.
        """
        terms: list[str] = []
        term_of: list[int] = []
        columns: list[int] = []
        if not normalized:
            return terms, term_of, columns
        words = normalized.replace("'", " ").split()
        position: dict[str, int] = {}
        for word in dict.fromkeys(words):
            position[word] = len(terms)
            terms.append(word)
            column = self._unigrams.get(word)
            columns.append(self.column("w|" + word) if column is None else column)
            term_of.append(position[word])
        for a, b in dict.fromkeys(pairwise(words)):
            key = a + " " + b
            column = self._bigrams.get(key)
            term_of.append(len(terms))
            terms.append(key)
            columns.append(self.column("b|" + key) if column is None else column)
        for word in _char_words(words):
            word_grams = self._grams.get(word)
            if word_grams is None:
                word_grams = [self.column(gram) for gram in char_ngrams(word)]
            distinct = list(dict.fromkeys(word_grams))
            columns.extend(distinct)
            term_of.extend([position[word]] * len(distinct))
        return terms, term_of, columns


def analyze_many(texts: Iterable[str]) -> list[list[str]]:
    """`analyze` over a batch (the first step of the pipeline)."""
    return [analyze(text) for text in texts]


def build_pipeline(*, regularization: float, epochs: int, seed: int) -> Pipeline:
    """The untrained pipeline: raw texts in, label scores out."""
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
