"""Labelled examples: reading the CSVs, agents' corrections, near-duplicate groups, splits.

Every CSV has the columns `text,label,lang,source` (UTF-8, RFC 4180). Agents' corrections may
omit `lang` (guessed) and `source` (`agent_correction`).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedGroupKFold

from classifiers.errors import DataError
from classifiers.labels import LABELS
from classifiers.normalize import normalize_text

__all__ = [
    "CORRECTION_SOURCE",
    "DEFAULT_DATA_DIR",
    "Example",
    "data_files",
    "data_sha256",
    "guess_language",
    "load_corrections",
    "load_examples",
    "near_duplicate_groups",
    "split_test",
]

#: The training data shipped in the repository (never ../shared).
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "classifier"
CORRECTION_SOURCE = "agent_correction"
LANGUAGES = ("fr", "en")
_REQUIRED_COLUMNS = ("text", "label")
_FRENCH_HINTS = frozenset(
    {
        "le",
        "la",
        "les",
        "des",
        "une",
        "est",
        "et",
        "je",
        "vous",
        "nous",
        "mon",
        "ma",
        "mes",
        "pas",
        "que",
        "qui",
        "pour",
        "avec",
        "sur",
        "dans",
        "ce",
        "cette",
        "bonjour",
        "merci",
        "site",
        "votre",
        "vos",
        "ne",
        "plus",
        "tout",
        "fait",
        "sont",
        "suis",
        "avez",
        "etre",
        "j",
        "c",
        "d",
        "l",
        "qu",
        "n",
        "s",
    }
)
_ENGLISH_HINTS = frozenset(
    {
        "the",
        "a",
        "an",
        "is",
        "are",
        "and",
        "i",
        "you",
        "we",
        "my",
        "your",
        "not",
        "that",
        "who",
        "for",
        "with",
        "on",
        "in",
        "this",
        "hello",
        "thanks",
        "please",
        "site",
        "have",
        "has",
        "be",
        "it",
        "can",
        "do",
        "does",
        "what",
        "how",
    }
)
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message."""

    text: str
    label: str
    lang: str
    source: str


def guess_language(text: str) -> str:
    """`fr` or `en` from function words; English when nothing tells (for rows without `lang`)."""
    words = _WORD.findall(normalize_text(text).replace("'", " "))
    french = sum(word in _FRENCH_HINTS for word in words)
    english = sum(word in _ENGLISH_HINTS for word in words)
    return "fr" if french > english else "en"


def data_files(data_dir: Path) -> list[Path]:
    """The CSV files of a data directory, sorted (so hashes and rows are in a stable order)."""
    if not data_dir.is_dir():
        raise DataError(f"training data directory not found: {data_dir}")
    files = sorted(data_dir.rglob("*.csv"))
    if not files:
        raise DataError(f"no CSV file under {data_dir}")
    return files


def data_sha256(files: Sequence[Path]) -> str:
    """SHA-256 over the names and bytes of the training files, in order."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _read_rows(path: Path, *, default_source: str | None) -> list[Example]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            missing = [column for column in _REQUIRED_COLUMNS if column not in columns]
            if missing:
                raise DataError(f"{path}: missing column(s) {', '.join(missing)}")
            examples = []
            for line, row in enumerate(reader, start=2):
                text = (row.get("text") or "").strip()
                label = (row.get("label") or "").strip()
                if label not in LABELS:
                    raise DataError(
                        f"{path}:{line}: label {label!r} is not one of {', '.join(LABELS)}"
                    )
                if not text:
                    raise DataError(f"{path}:{line}: empty text")
                lang = (row.get("lang") or "").strip() or guess_language(text)
                if lang not in LANGUAGES:
                    raise DataError(f"{path}:{line}: lang {lang!r} is not one of fr, en")
                source = (row.get("source") or "").strip() or default_source
                if not source:
                    raise DataError(f"{path}:{line}: empty source")
                examples.append(Example(text=text, label=label, lang=lang, source=source))
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 ({error})") from error
    except csv.Error as error:
        raise DataError(f"{path}: malformed CSV ({error})") from error
    return examples


def load_examples(files: Iterable[Path]) -> list[Example]:
    """Every row of the given training CSVs (columns text,label,lang,source)."""
    examples: list[Example] = []
    for path in files:
        examples.extend(_read_rows(path, default_source=None))
    return examples


def load_corrections(path: Path) -> list[Example]:
    """Agents' corrections: columns text,label and optionally lang,source."""
    if not path.is_file():
        raise DataError(f"corrections file not found: {path}")
    return _read_rows(path, default_source=CORRECTION_SOURCE)


def _canonical(text: str) -> str:
    """The form two copies of one message share (masks, case, punctuation removed)."""
    return " ".join(_WORD.findall(normalize_text(text).replace("_", " ")))


def near_duplicate_groups(texts: Sequence[str], *, threshold: float = 0.8) -> np.ndarray:
    """A group id per text: exact and near-duplicates (cosine ≥ threshold) share one.

    Near-duplicates are found on TF-IDF word vectors of the canonical text with the most
    frequent words removed, so that pairs are compared on what makes them specific.
    """
    canonical = [_canonical(text) or f"<empty {index}>" for index, text in enumerate(texts)]
    vectors = TfidfVectorizer(
        token_pattern=r"\S+",  # noqa: S106 - a regex, not a password
        ngram_range=(1, 2),
        max_df=0.02,
        sublinear_tf=True,
        dtype=np.float32,
    ).fit_transform(canonical)
    vectors = csr_matrix(vectors)
    count = len(canonical)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    chunk = 2000
    transposed = vectors.T.tocsc()
    for start in range(0, count, chunk):
        similar = (vectors[start : start + chunk] @ transposed).tocoo()
        keep = similar.data >= threshold
        rows.append(similar.row[keep] + start)
        cols.append(similar.col[keep])
    exact: dict[str, int] = {}
    for index, text in enumerate(canonical):
        first = exact.setdefault(text, index)
        if first != index:
            rows.append(np.array([index]))
            cols.append(np.array([first]))
    row_index = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    col_index = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    graph = csr_matrix(
        (np.ones(len(row_index), dtype=np.int8), (row_index, col_index)), shape=(count, count)
    )
    _, groups = connected_components(graph, directed=False)
    return np.asarray(groups, dtype=np.int64)


def strata(examples: Sequence[Example]) -> list[str]:
    """The stratum of each example for splitting: label, language and source."""
    return [f"{e.label}|{e.lang}|{e.source}" for e in examples]


def split_test(
    examples: Sequence[Example], groups: np.ndarray, *, test_fraction_folds: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """(development indices, test indices), decided per near-duplicate group by a hash.

    A group goes to the test split when the SHA-256 of (seed, its smallest canonical text,
    its label) falls in one of `test_fraction_folds` buckets. Near-duplicates never straddle
    the split, every stratum gets about 1/`test_fraction_folds` of its groups, and — unlike a
    shuffled k-fold — adding rows (new hand-written data, agents' corrections) never moves
    an existing message between development and test, so reports stay comparable.
    """
    keys: dict[int, str] = {}
    for index, example in enumerate(examples):
        key = _canonical(example.text) + "\0" + example.label
        group = int(groups[index])
        if group not in keys or key < keys[group]:
            keys[group] = key
    in_test = {
        group: int.from_bytes(hashlib.sha256(f"{seed}\0{key}".encode()).digest()[:8], "big")
        % test_fraction_folds
        == 0
        for group, key in keys.items()
    }
    mask = np.array([in_test[int(group)] for group in groups], dtype=bool)
    return np.flatnonzero(~mask), np.flatnonzero(mask)


def group_folds(
    examples: Sequence[Example], groups: np.ndarray, *, n_folds: int, seed: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified group k-fold (train, validation) index pairs over `examples`."""
    splitter = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    labels = _stratum_codes(examples)
    return [
        (np.sort(train), np.sort(validation))
        for train, validation in splitter.split(np.zeros(len(examples)), labels, groups)
    ]


def _stratum_codes(examples: Sequence[Example]) -> np.ndarray:
    names = strata(examples)
    counts = Counter(names)
    # Strata too small to spread over folds fall back to their (label, lang) cell.
    merged = [name if counts[name] >= 10 else name.rsplit("|", 1)[0] for name in names]
    codes = {name: code for code, name in enumerate(sorted(set(merged)))}
    return np.array([codes[name] for name in merged], dtype=np.int64)
