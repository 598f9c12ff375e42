"""Golden French and English messages (written for the tests, not in the training data)."""

from __future__ import annotations

import pytest

from classifiers import LABELS, Classifier
from classifiers.dataset import DEFAULT_DATA_DIR, data_files, load_examples
from classifiers.normalize import normalize_text
from tests.classifiers.golden import GoldenCase, golden_cases

CASES = golden_cases()
#: Golden messages the shipped model is known to get wrong, with the reason. They stay in
#: the set (and in the report) rather than being tuned away on the test data.
KNOWN_MISSES = {
    "Unpaid invoice: please wire the amount to our new bank account before Friday.": (
        "business-e-mail-compromise wording is close to BANKING77 support queries"
    ),
    "Hello, we sell quality backlinks on authority sites, volume discounts, contact us.": (
        "a polite pitch with little known spam vocabulary falls back to the support prior"
    ),
    "I know where you live, be careful tonight.": (
        "a veiled threat without a single insult: labelled harassment, but its score stays "
        "under the flag threshold that a 0.98 flag precision requires"
    ),
}


def _case_param(case: GoldenCase) -> object:
    reason = KNOWN_MISSES.get(case.text)
    marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
    return pytest.param(case, marks=marks, id=f"{case.label}-{case.lang}-{case.text[:30]}")


def test_golden_set_is_not_in_the_training_data() -> None:
    training = {
        normalize_text(example.text) for example in load_examples(data_files(DEFAULT_DATA_DIR))
    }
    leaked = [case.text for case in CASES if normalize_text(case.text) in training]
    assert leaked == []


def test_golden_set_covers_every_label_in_both_languages() -> None:
    cells = {(case.label, case.lang) for case in CASES}
    assert {(label, lang) for label in LABELS for lang in ("fr", "en")} <= cells


def test_known_misses_are_few() -> None:
    assert len(KNOWN_MISSES) <= len(CASES) // 20


@pytest.mark.parametrize("case", [_case_param(case) for case in CASES])
def test_golden_message_is_classified_as_written(classifier: Classifier, case: GoldenCase) -> None:
    prediction = classifier.predict_one(case.text)

    assert prediction.label == case.label, prediction.scores
    assert prediction.flagged is (case.label != "support")


def test_angry_customers_swearing_at_the_situation_are_not_flagged(classifier: Classifier) -> None:
    angry = [
        "Putain mais c'est pas possible, encore une panne ! Mon site est hors ligne, réparez ça.",
        "Fuck, the server is down again and my shop is losing money. Please fix it now.",
        "Votre hébergement c'est de la merde en ce moment, trois coupures cette semaine.",
        "This is bullshit, I've been waiting two days for an answer about my SSL certificate.",
    ]
    predictions = classifier.predict(angry)

    assert [p.flagged for p in predictions] == [False] * len(angry)
    assert [p.label for p in predictions] == ["support"] * len(angry)


def test_insult_aimed_at_the_agent_inside_a_request_is_flagged(classifier: Classifier) -> None:
    prediction = classifier.predict_one(
        "Mon site est en panne et toi t'es qu'un connard incapable de le réparer, sale merde."
    )

    assert prediction.label == "harassment"
    assert prediction.flagged
