"""From data files to a saved, evaluated artifact (what `python -m classifiers train` does).

1. Read every CSV of the data directory (and agents' corrections, if given).
2. Group exact and near-duplicates, then split off the test fold *before anything else*
   (a hash of each near-duplicate group picks about 20 % of every label × language × source
   stratum; groups never straddle the split, and added rows never move existing ones).
3. Fit, calibrate and threshold on the development rows only (`training.fit_model`).
4. Score the test fold with the very `Classifier` that is shipped, and save both files.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sklearn

from classifiers.artifact import DEFAULT_ARTIFACT, ArtifactMetadata, save_artifact
from classifiers.dataset import (
    DEFAULT_DATA_DIR,
    Example,
    data_files,
    data_sha256,
    load_corrections,
    load_examples,
    near_duplicate_groups,
    split_test,
)
from classifiers.labels import LABELS
from classifiers.metrics import score_examples
from classifiers.normalize import normalize_text
from classifiers.predictor import Classifier
from classifiers.training import Progress, TrainedModel, TrainingConfig, fit_model

__all__ = ["PreparedData", "prepare_data", "score_classifier", "train_and_save"]

TEST_FOLDS = 5  # one fold of five: 20 % of the groups are held out for the test


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class PreparedData:
    """The examples, split once, before any fitting."""

    development: list[Example]
    test: list[Example]
    data_sha256: str
    files: list[str]


def prepare_data(
    data_dir: Path = DEFAULT_DATA_DIR,
    *,
    corrections: Path | None = None,
    seed: int = 0,
    progress: Progress = _quiet,
) -> PreparedData:
    """Read, deduplicate and split the data; corrections only ever go to development."""
    files = data_files(data_dir)
    examples = load_examples(files)
    progress(f"read {len(examples)} messages from {len(files)} files in {data_dir}")
    groups = near_duplicate_groups([example.text for example in examples])
    development_index, test_index = split_test(
        examples, groups, test_fraction_folds=TEST_FOLDS, seed=seed
    )
    development = [examples[i] for i in development_index]
    test = [examples[i] for i in test_index]
    hashed_files = list(files)
    if corrections is not None:
        extra = load_corrections(corrections)
        corrected = {normalize_text(example.text) for example in extra}
        # A correction overrides any copy of its message, and is never tested on.
        development = [e for e in development if normalize_text(e.text) not in corrected]
        test = [e for e in test if normalize_text(e.text) not in corrected]
        development.extend(extra)
        hashed_files.append(corrections)
        progress(f"added {len(extra)} agents' corrections from {corrections}")
    progress(f"split: {len(development)} development / {len(test)} test messages")
    return PreparedData(
        development=development,
        test=test,
        data_sha256=data_sha256(hashed_files),
        files=[_relative(path, data_dir) for path in hashed_files],
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def score_classifier(classifier: Classifier, examples: Sequence[Example]) -> dict[str, Any]:
    """Test metrics of `classifier` on `examples` (what the report and sidecar show)."""
    predictions = classifier.predict([example.text for example in examples], explain=False)
    return score_examples(
        examples,
        [prediction.label for prediction in predictions],
        [prediction.flagged for prediction in predictions],
    )


def _counts(examples: Sequence[Example]) -> dict[str, int]:
    counts = Counter(f"{e.label}/{e.lang}" for e in examples)
    return {key: counts[key] for key in sorted(counts)}


def train_and_save(
    data_dir: Path = DEFAULT_DATA_DIR,
    artifact: Path = DEFAULT_ARTIFACT,
    *,
    corrections: Path | None = None,
    config: TrainingConfig | None = None,
    progress: Progress = _quiet,
) -> tuple[Classifier, dict[str, Any]]:
    """Train on the development split, test, and write the artifact and its sidecar."""
    config = config or TrainingConfig()
    started = time.perf_counter()
    data = prepare_data(data_dir, corrections=corrections, seed=config.seed, progress=progress)
    trained: TrainedModel = fit_model(data.development, config, progress=progress)
    classifier = Classifier(trained.pipeline, thresholds=trained.thresholds)
    progress(f"scoring the held-out test split ({len(data.test)} messages)")
    metrics = score_classifier(classifier, data.test)
    training_seconds = round(time.perf_counter() - started, 1)
    progress(
        f"test macro-F1 {metrics['macro_f1']:.4f}; "
        + ", ".join(f"{label} F1 {metrics['labels'][label]['f1']:.4f}" for label in LABELS)
    )
    metadata = ArtifactMetadata(
        sklearn_version=sklearn.__version__,
        training_data_sha256=data.data_sha256,
        labels=LABELS,
        temperature=round(trained.temperature, 6),
        thresholds=trained.thresholds,
        metrics={"test": metrics, "validation": trained.validation},
        extra={
            "data_files": data.files,
            "rows": {"development": _counts(data.development), "test": _counts(data.test)},
            "config": _config_dict(config),
        },
    )
    save_artifact(trained.pipeline, artifact, metadata)
    progress(f"wrote {artifact} ({artifact.stat().st_size / 1e6:.1f} MB) in {training_seconds}s")
    return Classifier.load(artifact), metrics


def _config_dict(config: TrainingConfig) -> dict[str, Any]:
    return {
        key: (dict(value) if isinstance(value, dict) else value)
        for key, value in asdict(config).items()
    }
