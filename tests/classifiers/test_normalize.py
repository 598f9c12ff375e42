"""Normalisation of real-world message text."""

from __future__ import annotations

import pytest

from classifiers import normalize_text
from classifiers.normalize import MAX_CHARS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Espèce de c0nn4rd", "espece de connard"),
        ("t'es qu'un i d i o t", "t'es qu'un idiot"),
        ("e.n.c.u.l.é.s", "encules"),
        ("sh!t happens", "shit happens"),
        ("connnnnnard", "connard"),
        ("@SpotifyCares my playlist vanished", "my playlist vanished"),
        ("RT @user: so true", "so true"),
        ("_Email1_2 merci _Name1_", "_email_ merci"),
        ("voir https://example.com/page?x=1 ou www.example.fr", "voir _url_ ou _url_"),
        ("écrire à abuse@example.net", "ecrire a _email_"),
        ("IP 192.0.2.7 et 2001:db8::1", "ip _ip_ et _ip_"),
        ("win £1000 now, call 09061701461", "win _money_ now call _phone_"),
        ("commande n°4521", "commande n _num_"),
        ("Œuvre l’hébergement", "oeuvre l'hebergement"),
        ("<p>Hello&nbsp;<b>there</b></p>", "hello there"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_quoted_reply_is_dropped() -> None:
    email = (
        "Thanks, it works now.\n\nOn Mon, 3 Mar 2025 at 10:12, Bob <b@example.com> wrote:\n> old"
    )

    assert normalize_text(email) == "thanks it works now"


def test_french_reply_header_and_signature_are_dropped() -> None:
    email = (
        "Merci pour votre aide.\n-- \nJean Dupont\nGérant\n\n"
        "Le lun. 3 mars 2025, Support <s@example.fr> a écrit :\n> bonjour"
    )

    assert normalize_text(email) == "merci pour votre aide"


def test_a_message_that_is_only_a_quote_keeps_its_text() -> None:
    assert normalize_text("> please fix my site") == "please fix my site"


def test_length_is_capped() -> None:
    assert len(normalize_text("mot " * 1_000_000)) <= MAX_CHARS


@pytest.mark.parametrize("raw", ["", "   ", "\n\n", "😀", "\x00\x01"])
def test_blank_input_normalises_to_empty(raw: str) -> None:
    assert normalize_text(raw) == ""
