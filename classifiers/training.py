"""Fitting: sample weights, out-of-fold calibration and thresholds, the final pipeline.

The recipe, in order:
1. Weights so that every (label, language) cell carries a fixed share of the total and, inside
   a cell, sources count with the square root of their size: French is then no more likely to
   be harassment than English, and 6,000 tweets from one corpus cannot drown 200 hand-written
   hosting tickets.
2. Out-of-fold decision scores on the development rows (stratified group k-fold over
   near-duplicate groups) → one softmax temperature (calibration) and one flag threshold per
   label, chosen for a target precision (high for harassment: a false accusation is costly).
3. The final pipeline is fit on all development rows; its logits are divided by the
   temperature, so `predict_proba` returns calibrated scores.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import clone
from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline

from classifiers.dataset import Example, group_folds, near_duplicate_groups
from classifiers.features import build_pipeline, has_content
from classifiers.labels import FLAGGABLE_LABELS, LABELS
from classifiers.normalize import normalize_text

__all__ = ["TrainedModel", "TrainingConfig", "fit_model", "sample_weights"]

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def _default_label_shares() -> dict[str, float]:
    # Support is what a desk mostly receives and must almost never be flagged: it weighs more.
    return {"support": 2.5, "spam": 1.0, "harassment": 1.0, "abuse_report": 1.0}


def _default_precision_targets() -> dict[str, float]:
    return {"spam": 0.97, "harassment": 0.98, "abuse_report": 0.95}


def _default_source_boosts() -> dict[str, float]:
    # Hosting-desk rows are the closest to production traffic.
    return {
        "handwritten": 2.0,
        "handwritten_v2": 2.0,
        "guichet_handwritten": 2.0,
        "guichet_handwritten_v2": 2.0,
        "guichet_handwritten_v3": 2.0,
    }


@dataclass(frozen=True)
class TrainingConfig:
    """Hyper-parameters of the recipe (the defaults are the shipped model's)."""

    regularization: float = 7e-6
    epochs: int = 30
    use_idf: bool = True
    seed: int = 0
    calibration_folds: int = 4
    source_exponent: float = 0.5
    correction_boost: float = 3.0
    label_shares: Mapping[str, float] = field(default_factory=_default_label_shares)
    source_boosts: Mapping[str, float] = field(default_factory=_default_source_boosts)
    precision_targets: Mapping[str, float] = field(default_factory=_default_precision_targets)


@dataclass(frozen=True)
class TrainedModel:
    """A fitted, calibrated pipeline with its flag thresholds."""

    pipeline: Pipeline
    temperature: float
    thresholds: dict[str, float]
    validation: dict[str, float]


def sample_weights(examples: Sequence[Example], config: TrainingConfig) -> np.ndarray:
    """One weight per example; they average 1."""
    cell_sources: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for example in examples:
        cell_sources[(example.label, example.lang)][example.source] += 1
    weights = np.empty(len(examples), dtype=np.float64)
    for index, example in enumerate(examples):
        sources = cell_sources[(example.label, example.lang)]
        source_mass = {
            source: count**config.source_exponent
            * config.source_boosts.get(source, 1.0)
            * (config.correction_boost if source == "agent_correction" else 1.0)
            for source, count in sources.items()
        }
        share_of_source = source_mass[example.source] / sum(source_mass.values())
        weights[index] = (
            config.label_shares.get(example.label, 1.0) * share_of_source / sources[example.source]
        )
    scaled: np.ndarray = weights * (len(examples) / weights.sum())
    return scaled


def _fit_temperature(logits: np.ndarray, targets: np.ndarray, weights: np.ndarray) -> float:
    def loss(log_temperature: float) -> float:
        scaled = log_softmax(logits / np.exp(log_temperature), axis=1)
        return float(-(weights * scaled[np.arange(len(targets)), targets]).sum())

    result = minimize_scalar(loss, bounds=(-3.0, 3.0), method="bounded")
    return float(np.exp(result.x))


def _choose_threshold(
    scores: np.ndarray,
    is_label: np.ndarray,
    predicted: np.ndarray,
    weights: np.ndarray,
    *,
    precision_target: float,
) -> float:
    """Lowest score at which flags of this label reach the precision target (weighted).

    Falls back to the threshold of best F0.5 when the target cannot be met.
    """
    best_f, best_threshold = -1.0, 0.5
    positives = float(weights[is_label].sum())
    for threshold in np.round(np.arange(0.30, 0.991, 0.01), 2):
        flagged = predicted & (scores >= threshold)
        true_flags = float(weights[flagged & is_label].sum())
        all_flags = float(weights[flagged].sum())
        precision = true_flags / all_flags if all_flags else 1.0
        recall = true_flags / positives if positives else 0.0
        if precision >= precision_target and recall > 0:
            return float(threshold)
        f_half = (1.25 * precision * recall / (0.25 * precision + recall)) if recall else 0.0
        if f_half > best_f:
            best_f, best_threshold = f_half, float(threshold)
    return best_threshold


def _label_indices(labels: Sequence[str]) -> np.ndarray:
    position = {label: index for index, label in enumerate(LABELS)}
    return np.array([position[label] for label in labels], dtype=np.int64)


def _to_label_order(pipeline: Pipeline, matrix: np.ndarray) -> np.ndarray:
    """Reorder columns from the model's class order to LABELS order."""
    classes = list(pipeline.classes_)
    return matrix[:, [classes.index(label) for label in LABELS]]


def fit_model(
    examples: Sequence[Example],
    config: TrainingConfig | None = None,
    *,
    calibrate: bool = True,
    progress: Progress = _quiet,
) -> TrainedModel:
    """Fit, calibrate and threshold a pipeline on `examples` (all four labels required).

    With `calibrate=False` (leave-one-source-out runs) the out-of-fold step is skipped:
    temperature 1 and thresholds 0.5.
    """
    config = config or TrainingConfig()
    missing = set(LABELS) - {example.label for example in examples}
    if missing:
        raise ValueError(f"training data has no example of: {', '.join(sorted(missing))}")
    texts = [example.text for example in examples]
    labels = [example.label for example in examples]
    targets = _label_indices(labels)
    weights = sample_weights(examples, config)
    template = build_pipeline(
        regularization=config.regularization,
        epochs=config.epochs,
        seed=config.seed,
        use_idf=config.use_idf,
    )

    progress(f"featurising {len(texts)} messages")
    featurizer = Pipeline(template.steps[:2]).fit(texts[:1])
    hashed = featurizer.transform(texts)
    head = Pipeline(template.steps[2:])

    if not calibrate:
        progress(f"fitting on {len(texts)} messages (no calibration)")
        pipeline = clone(template)
        pipeline.steps[:2] = featurizer.steps
        pipeline.steps[2:] = clone(head).fit(hashed, labels, model__sample_weight=weights).steps
        return TrainedModel(
            pipeline=pipeline,
            temperature=1.0,
            thresholds=dict.fromkeys(FLAGGABLE_LABELS, 0.5),
            validation={},
        )
    progress("grouping near-duplicates for cross-validation")
    groups = near_duplicate_groups(texts)
    folds = group_folds(examples, groups, n_folds=config.calibration_folds, seed=config.seed)
    out_of_fold = np.zeros((len(texts), len(LABELS)))
    for number, (train, validation) in enumerate(folds, start=1):
        progress(f"calibration fold {number}/{len(folds)}: fitting on {len(train)} messages")
        fold_model = clone(head).fit(
            hashed[train], [labels[i] for i in train], model__sample_weight=weights[train]
        )
        out_of_fold[validation] = _to_label_order(
            fold_model, fold_model.decision_function(hashed[validation])
        )

    # Content-free messages are answered `support` without the model: leave them out.
    scored = np.array([has_content(normalize_text(text)) for text in texts], dtype=bool)
    logits, truth, row_weights = out_of_fold[scored], targets[scored], weights[scored]
    temperature = _fit_temperature(logits, truth, row_weights)
    probabilities = softmax(logits / temperature, axis=1)
    predicted = probabilities.argmax(axis=1)
    thresholds: dict[str, float] = {}
    for index, label in enumerate(LABELS):
        if label not in FLAGGABLE_LABELS:
            continue
        thresholds[label] = _choose_threshold(
            probabilities[:, index],
            truth == index,
            predicted == index,
            row_weights,
            precision_target=config.precision_targets[label],
        )
    accuracy = float((predicted == truth).mean())
    macro_f1 = float(f1_score(truth, predicted, average="macro"))
    progress(
        f"out-of-fold accuracy {accuracy:.4f}, macro-F1 {macro_f1:.4f}, "
        f"temperature {temperature:.3f}, "
        f"thresholds {thresholds}"
    )

    progress(f"fitting the final model on {len(texts)} messages")
    pipeline = clone(template)
    pipeline.steps[:2] = featurizer.steps
    head_model = clone(head).fit(hashed, labels, model__sample_weight=weights)
    pipeline.steps[2:] = head_model.steps
    model = pipeline.named_steps["model"]
    model.coef_ = model.coef_ / temperature
    model.intercept_ = model.intercept_ / temperature
    return TrainedModel(
        pipeline=pipeline,
        temperature=temperature,
        thresholds=thresholds,
        validation={
            "out_of_fold_accuracy": round(accuracy, 4),
            "out_of_fold_macro_f1": round(macro_f1, 4),
        },
    )
