"""The model artifact: one joblib file (the Pipeline) and its JSON sidecar.

The sidecar is read first. It records the scikit-learn version the pipeline was pickled
with, the SHA-256 of the artifact file and of the training data, the label set, the
calibration temperature, the flag thresholds and the evaluation metrics. A pipeline pickled
by another scikit-learn version is refused before it is unpickled: scikit-learn does not
promise that it would predict the same (or at all).

Only load artifacts you built or trust: joblib files are pickles.
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.pipeline import Pipeline

from classifiers.errors import ArtifactError
from classifiers.labels import FLAGGABLE_LABELS, LABELS

__all__ = [
    "DEFAULT_ARTIFACT",
    "FORMAT_VERSION",
    "ArtifactMetadata",
    "load_artifact",
    "save_artifact",
    "sidecar_path",
]

DEFAULT_ARTIFACT = Path(__file__).resolve().parent / "model" / "guichet-classifier.joblib"
FORMAT_VERSION = 1
_CORE_KEYS = frozenset(
    {"sklearn_version", "training_data_sha256", "labels", "temperature", "thresholds", "metrics"}
)


@dataclass(frozen=True)
class ArtifactMetadata:
    """What the sidecar says about an artifact."""

    sklearn_version: str
    training_data_sha256: str
    labels: tuple[str, ...]
    temperature: float
    thresholds: dict[str, float]
    metrics: dict[str, Any]
    extra: dict[str, Any]


def sidecar_path(artifact: Path) -> Path:
    """`guichet-classifier.joblib` -> `guichet-classifier.json`."""
    return artifact.with_suffix(".json")


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_artifact(pipeline: Pipeline, artifact: Path, metadata: ArtifactMetadata) -> None:
    """Write the pipeline and its sidecar (deterministic bytes for a deterministic pipeline)."""
    artifact.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(pipeline, artifact, compress=("zlib", 6))
    sidecar = {
        "format_version": FORMAT_VERSION,
        "artifact": artifact.name,
        "artifact_sha256": _file_sha256(artifact),
        "sklearn_version": metadata.sklearn_version,
        "python_version": platform.python_version(),
        "numpy_version": np.__version__,
        "training_data_sha256": metadata.training_data_sha256,
        "labels": list(metadata.labels),
        "temperature": metadata.temperature,
        "thresholds": metadata.thresholds,
        "metrics": metadata.metrics,
        **metadata.extra,
    }
    sidecar_path(artifact).write_text(
        json.dumps(sidecar, indent=2, sort_keys=False, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )


def _read_sidecar(artifact: Path) -> dict[str, Any]:
    sidecar = sidecar_path(artifact)
    if not artifact.is_file():
        raise ArtifactError(
            f"classifier artifact not found: {artifact} (build it with "
            "`python -m classifiers train`)"
        )
    if not sidecar.is_file():
        raise ArtifactError(f"classifier sidecar not found: {sidecar} (rebuild the artifact)")
    try:
        loaded = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArtifactError(f"classifier sidecar {sidecar} is not valid JSON: {error}") from error
    if not isinstance(loaded, dict):
        raise ArtifactError(f"classifier sidecar {sidecar} is not a JSON object")
    return loaded


def _check_sidecar(artifact: Path, sidecar: dict[str, Any]) -> ArtifactMetadata:
    if sidecar.get("format_version") != FORMAT_VERSION:
        raise ArtifactError(
            f"classifier artifact format {sidecar.get('format_version')!r} is not "
            f"{FORMAT_VERSION}; rebuild it with `python -m classifiers train`"
        )
    built_with = sidecar.get("sklearn_version")
    if built_with != sklearn.__version__:
        raise ArtifactError(
            f"classifier artifact {artifact.name} was built with scikit-learn {built_with}, "
            f"but scikit-learn {sklearn.__version__} is installed; rebuild it with "
            "`python -m classifiers train` (or install the matching scikit-learn)"
        )
    if tuple(sidecar.get("labels", ())) != LABELS:
        raise ArtifactError(
            f"classifier artifact labels {sidecar.get('labels')!r} are not {list(LABELS)!r}"
        )
    if _file_sha256(artifact) != sidecar.get("artifact_sha256"):
        raise ArtifactError(
            f"classifier artifact {artifact.name} does not match its sidecar (SHA-256 differs); "
            "rebuild it with `python -m classifiers train`"
        )
    try:
        thresholds = {label: float(sidecar["thresholds"][label]) for label in FLAGGABLE_LABELS}
        temperature = float(sidecar["temperature"])
    except (KeyError, TypeError, ValueError) as error:
        raise ArtifactError(f"classifier sidecar lacks thresholds or temperature: {error}") from (
            error
        )
    return ArtifactMetadata(
        sklearn_version=str(built_with),
        training_data_sha256=str(sidecar.get("training_data_sha256", "")),
        labels=LABELS,
        temperature=temperature,
        thresholds=thresholds,
        metrics=dict(sidecar.get("metrics") or {}),
        extra={key: value for key, value in sidecar.items() if key not in _CORE_KEYS},
    )


def load_artifact(artifact: Path) -> tuple[Pipeline, ArtifactMetadata]:
    """The pipeline and its metadata; `ArtifactError` if missing, corrupt or mismatched."""
    metadata = _check_sidecar(artifact, _read_sidecar(artifact))
    try:
        pipeline = joblib.load(artifact)
    except Exception as error:  # any unpickling failure means a bad artifact
        raise ArtifactError(f"classifier artifact {artifact} cannot be loaded: {error}") from (
            error
        )
    if not isinstance(pipeline, Pipeline) or set(getattr(pipeline, "classes_", ())) != set(LABELS):
        raise ArtifactError(f"classifier artifact {artifact} is not a Guichet pipeline")
    return pipeline, metadata
