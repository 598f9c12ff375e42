"""The shipped artifact, its sidecar, and refusing artifacts that cannot be trusted."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sklearn

from classifiers import DEFAULT_ARTIFACT, LABELS, ArtifactError, Classifier
from classifiers.artifact import sidecar_path


def _copy_artifact(tmp_path: Path) -> Path:
    target = tmp_path / "model.joblib"
    shutil.copyfile(DEFAULT_ARTIFACT, target)
    shutil.copyfile(sidecar_path(DEFAULT_ARTIFACT), sidecar_path(target))
    return target


def _edit_sidecar(artifact: Path, **changes: object) -> None:
    path = sidecar_path(artifact)
    sidecar = json.loads(path.read_text(encoding="utf-8"))
    sidecar.update(changes)
    path.write_text(json.dumps(sidecar), encoding="utf-8")


def test_sidecar_records_versions_data_hash_labels_thresholds_and_metrics() -> None:
    sidecar = json.loads(sidecar_path(DEFAULT_ARTIFACT).read_text(encoding="utf-8"))

    assert sidecar["sklearn_version"] == sklearn.__version__
    assert len(sidecar["training_data_sha256"]) == 64
    assert sidecar["labels"] == list(LABELS)
    assert set(sidecar["thresholds"]) == {"spam", "harassment", "abuse_report"}
    assert 0.0 < sidecar["metrics"]["test"]["macro_f1"] <= 1.0
    assert set(sidecar["metrics"]["test"]["labels"]) == set(LABELS)


def test_load_by_path_gives_the_same_classifier(tmp_path: Path) -> None:
    copy = Classifier.load(_copy_artifact(tmp_path))

    assert copy.thresholds == Classifier.load().thresholds
    assert copy.predict_one("bonjour, mon site est en panne").label == "support"


def test_artifact_built_with_another_scikit_learn_is_refused(tmp_path: Path) -> None:
    artifact = _copy_artifact(tmp_path)
    _edit_sidecar(artifact, sklearn_version="1.0.2")

    with pytest.raises(ArtifactError, match=r"scikit-learn 1\.0\.2.*rebuild"):
        Classifier.load(artifact)


def test_missing_artifact_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match=r"not found.*classifiers train"):
        Classifier.load(tmp_path / "nothing.joblib")


def test_missing_sidecar_is_a_clear_error(tmp_path: Path) -> None:
    artifact = _copy_artifact(tmp_path)
    sidecar_path(artifact).unlink()

    with pytest.raises(ArtifactError, match="sidecar not found"):
        Classifier.load(artifact)


def test_artifact_that_does_not_match_its_sidecar_is_refused(tmp_path: Path) -> None:
    artifact = _copy_artifact(tmp_path)
    artifact.write_bytes(artifact.read_bytes()[:-10] + b"0123456789")

    with pytest.raises(ArtifactError, match="does not match its sidecar"):
        Classifier.load(artifact)


def test_unreadable_sidecar_is_refused(tmp_path: Path) -> None:
    artifact = _copy_artifact(tmp_path)
    sidecar_path(artifact).write_text("{not json", encoding="utf-8")

    with pytest.raises(ArtifactError, match="not valid JSON"):
        Classifier.load(artifact)


def test_other_label_set_is_refused(tmp_path: Path) -> None:
    artifact = _copy_artifact(tmp_path)
    _edit_sidecar(artifact, labels=["ham", "spam"])

    with pytest.raises(ArtifactError, match="labels"):
        Classifier.load(artifact)


def test_importing_the_package_opens_no_model_file() -> None:
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda event, args: opened.append(str(args[0])) "
        "if event == 'open' and args and isinstance(args[0], str) else None)\n"
        "import classifiers\n"
        "print(sum('guichet-classifier' in path for path in opened))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()

    assert output == "0"
