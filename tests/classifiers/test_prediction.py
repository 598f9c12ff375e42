"""The prediction API on ordinary and edge inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import softmax

from classifiers import LABELS, Classifier, Prediction

#: The defined answer for what the model cannot judge (no words, or another script).
CONTENT_FREE = Prediction(
    label="support",
    scores={"support": 1.0, "spam": 0.0, "harassment": 0.0, "abuse_report": 0.0},
    flagged=False,
    explanation=[],
)


def test_predictions_keep_input_order_and_scores_sum_to_one(classifier: Classifier) -> None:
    texts = [
        "Bonjour, mon site affiche une erreur 500 depuis ce matin.",
        "WINNER!! Claim your £1000 prize now, call 09061701461",
        "t'es qu'un gros connard",
        "Phishing page hosted on 192.0.2.10: https://paypa1-login.example.net please remove",
    ]
    predictions = classifier.predict(texts)

    assert [p.label for p in predictions] == ["support", "spam", "harassment", "abuse_report"]
    for prediction in predictions:
        assert set(prediction.scores) == set(LABELS)
        assert math.isclose(sum(prediction.scores.values()), 1.0, abs_tol=1e-9)
        assert all(0.0 <= score <= 1.0 for score in prediction.scores.values())


def test_predict_one_matches_predict(classifier: Classifier) -> None:
    text = "Can you restore yesterday's backup of my database please?"

    assert classifier.predict_one(text) == classifier.predict([text])[0]


def test_support_is_never_flagged(classifier: Classifier) -> None:
    predictions = classifier.predict(
        ["Mon nom de domaine a expiré, comment le renouveler ?", "How do I add a DNS record?"]
    )

    assert all(p.label == "support" and not p.flagged for p in predictions)


def test_flag_requires_label_threshold(classifier: Classifier) -> None:
    predictions = classifier.predict(
        ["Sale con, je vais te défoncer", "You won a free cruise, click here to claim", "hello"]
    )

    for prediction in predictions:
        expected = prediction.label != "support" and (
            prediction.scores[prediction.label] >= classifier.thresholds[prediction.label]
        )
        assert prediction.flagged is expected


def test_explanation_names_the_insult(classifier: Classifier) -> None:
    prediction = classifier.predict_one("Merci pour rien, espèce de c0nn4rd")
    terms = [term for term, _ in prediction.explanation]

    assert prediction.label == "harassment"
    assert any("connard" in term for term in terms), prediction.explanation
    assert 1 <= len(prediction.explanation) <= 5
    contributions = [value for _, value in prediction.explanation]
    assert contributions == sorted(contributions, reverse=True)
    assert all(value > 0 for value in contributions)


def test_explanation_of_spam_names_spam_words(classifier: Classifier) -> None:
    prediction = classifier.predict_one("Congratulations! You have won a free prize, claim it now")
    terms = " ".join(term for term, _ in prediction.explanation)

    assert prediction.label == "spam"
    assert any(word in terms for word in ("prize", "won", "claim", "free", "congratulations"))


def test_fast_path_scores_equal_the_pipeline(classifier: Classifier) -> None:
    texts = [
        "Bonjour, le certificat SSL de mon site a expiré.",
        "FREE entry to win a brand new car, txt WIN to 80086",
        "<p>You <b>idiot</b></p>",
        "x" * 5000,
    ]
    pipeline = classifier.pipeline
    model_order = [list(pipeline.classes_).index(label) for label in LABELS]
    expected = softmax(pipeline.decision_function(texts)[:, model_order], axis=1)

    np.testing.assert_allclose(classifier.predict_scores(texts), expected, rtol=1e-9, atol=1e-12)
    for text, row in zip(texts, expected, strict=True):
        np.testing.assert_allclose(classifier.predict_scores([text])[0], row, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    "text",
    ["", " ", "   \n\t  ", "\u200b", "😀😀😀", "...", "12345", "https://example.com/x"],
    ids=[
        "empty",
        "space",
        "whitespace",
        "zero-width",
        "emoji-only",
        "punctuation",
        "digits",
        "url",
    ],
)
def test_content_free_input_is_support_and_unflagged(classifier: Classifier, text: str) -> None:
    prediction = classifier.predict_one(text)

    assert prediction == CONTENT_FREE


@pytest.mark.parametrize(
    "text",
    [
        # A Russian customer whose site is down: only "502", a domain and "N" are Latin.
        "Сайт не открывается\nЗдравствуйте! Наш сайт не открывается с утра, ошибка 502.\n"
        "Домен: primer-shop.ru (заказ N 45821).",
        "مرحبا، موقعي لا يعمل منذ الصباح، الخطأ 500 على example.com",
        "我的网站从早上开始打不开，错误 503，请帮忙 www.example.cn",
    ],
    ids=["cyrillic", "arabic", "chinese"],
)
def test_a_message_in_another_script_is_not_judged(classifier: Classifier, text: str) -> None:
    """The model reads French and English: other scripts get the content-free answer."""
    prediction = classifier.predict_one(text)

    assert prediction == CONTENT_FREE
    assert classifier.predict_scores([text])[0].tolist() == [1.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("𝓽'𝓮𝓼 𝓺𝓾'𝓾𝓷 𝓬𝓸𝓷𝓷𝓪𝓻𝓭 𝓮𝓽 𝓾𝓷 𝓲𝓭𝓲𝓸𝓽", "harassment"),  # styled letters are Latin
        ("Mon site affiche une erreur 502 depuis ce matin — спасибо заранее", "support"),
    ],
)
def test_latin_text_with_styled_letters_or_a_foreign_word_is_judged(
    classifier: Classifier, text: str, label: str
) -> None:
    assert classifier.predict_one(text).label == label


def test_one_megabyte_message_is_screened(classifier: Classifier) -> None:
    text = ("Bonjour, mon site est en panne. " * 40_000)[:1_000_000]

    prediction = classifier.predict_one(text)

    assert prediction.label == "support"


def test_one_megabyte_without_spaces_is_screened(classifier: Classifier) -> None:
    prediction = classifier.predict_one("a" * 1_000_000)

    assert prediction.label in LABELS


def test_html_message_is_read_as_text(classifier: Classifier) -> None:
    html = (
        "<html><head><style>p{color:red}</style><script>var insult='connard';</script></head>"
        "<body><p>Bonjour,</p><p>Mon site <b>WordPress</b> affiche une erreur&nbsp;500.</p>"
        "<br><div>Merci d'avance</div></body></html>"
    )

    prediction = classifier.predict_one(html)

    assert prediction.label == "support"
    assert not prediction.flagged


def test_emoji_and_mixed_language_do_not_break_prediction(classifier: Classifier) -> None:
    predictions = classifier.predict(
        [
            "Mon site est down 😭😭 can you help please? 🙏",
            "T'es vraiment un fucking idiot 🖕",
            "Hello, je voudrais upgrade mon plan to Business svp",
        ]
    )

    assert [p.label for p in predictions] == ["support", "harassment", "support"]


def test_quoted_history_and_signature_do_not_leak_into_the_decision(classifier: Classifier) -> None:
    email = (
        "Bonjour,\n\nMerci, le site refonctionne parfaitement.\n\nCordialement,\nAline\n\n"
        "Le 3 mars 2025 à 10:12, Jean <jean@example.fr> a écrit :\n"
        "> espèce de connard, sale enculé, je vais te tuer\n"
        "> t'es qu'une merde\n"
    )

    prediction = classifier.predict_one(email)

    assert prediction.label == "support"


def test_bytes_and_none_are_accepted(classifier: Classifier) -> None:
    predictions = classifier.predict([b"Mon site est lent", None])

    assert predictions[0].label == "support"
    assert predictions[1].label == "support"


def test_invalid_utf8_and_lone_surrogates_do_not_raise(classifier: Classifier) -> None:
    predictions = classifier.predict([b"\xff\xfe caf\xe9 en panne", "broken \ud800 text"])

    assert len(predictions) == 2


def test_a_bare_string_is_refused_with_a_clear_error(classifier: Classifier) -> None:
    with pytest.raises(TypeError, match="predict_one"):
        classifier.predict("a single message")


def test_a_non_text_message_is_refused(classifier: Classifier) -> None:
    with pytest.raises(TypeError, match="must be str"):
        classifier.predict([42])


def test_empty_batch_gives_empty_list(classifier: Classifier) -> None:
    assert classifier.predict([]) == []
    assert classifier.predict_scores([]).shape == (0, len(LABELS))


def test_column_index_agrees_with_the_pipeline_hasher(classifier: Classifier) -> None:
    from classifiers.features import ColumnIndex, analyze

    hasher = classifier.pipeline.named_steps["hasher"]
    index = ColumnIndex(hasher.n_features)
    text = "Bonjour, t'es qu'un c0nnard ! Mon site https://example.fr est down 😡 depuis 9h"
    features = analyze(text)

    expected = sorted(hasher.transform([features]).indices.tolist())
    from classifiers import normalize_text

    assert sorted(set(index.columns(normalize_text(text)))) == expected


def test_message_level_features_are_explained_on_the_whole_message() -> None:
    from sklearn.feature_extraction import FeatureHasher

    from classifiers.features import SHAPE_TERM, ColumnIndex, analyze_normalized

    index = ColumnIndex(2**18)
    hasher = FeatureHasher(n_features=2**18, input_type="string", alternate_sign=False)
    text = "please like _url_ " + " ".join(f"word{i}" for i in range(120)) + " thanks"
    terms, term_of, columns = index.term_columns(text, limit=60)

    assert SHAPE_TERM in terms
    assert "thanks" not in terms  # words are named from the first 60 characters only
    assert len(term_of) == len(columns)
    # The shape and edge features are those of the whole message, as the model scores it.
    whole = set(hasher.transform([analyze_normalized(text)]).indices.tolist())
    owned_by_shape = {
        int(column)
        for column, term in zip(columns, term_of, strict=True)
        if terms[term] == SHAPE_TERM
    }
    assert owned_by_shape
    assert owned_by_shape <= whole
    assert int(index.column("f|please")) in {int(c) for c in columns}


def test_a_link_in_a_short_customer_message_is_not_flagged(classifier: Classifier) -> None:
    for text in (
        "Mon site https://www.example.fr affiche une erreur 500.",
        "Here's the screenshot of the error: https://example.com/error.png",
    ):
        prediction = classifier.predict_one(text)
        assert prediction.label == "support", (text, prediction.scores)
