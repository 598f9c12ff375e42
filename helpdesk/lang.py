"""A small French/English guess for new requesters, from function words."""

from __future__ import annotations

import re

from helpdesk.models.enums import Language

_WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœ']+")
_FR = frozenset(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "et",
        "est",
        "je",
        "vous",
        "nous",
        "mon",
        "ma",
        "mes",
        "votre",
        "vos",
        "pas",
        "pour",
        "sur",
        "avec",
        "dans",
        "que",
        "qui",
        "ne",
        "plus",
        "bonjour",
        "merci",
        "cordialement",
        "site",
        "serveur",
        "depuis",
        "mais",
        "ce",
        "cette",
        "il",
        "elle",
        "ils",
        "sont",
        "été",
        "avoir",
        "fait",
        "j'ai",
        "n'est",
        "c'est",
    ]
)
_EN = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "is",
        "are",
        "i",
        "you",
        "we",
        "my",
        "your",
        "our",
        "not",
        "for",
        "on",
        "with",
        "in",
        "that",
        "which",
        "no",
        "more",
        "hello",
        "hi",
        "thanks",
        "regards",
        "site",
        "server",
        "since",
        "but",
        "this",
        "it",
        "they",
        "be",
        "been",
        "have",
        "has",
        "did",
        "don't",
        "can't",
        "i'm",
        "it's",
    ]
)


def guess_language(text: str, *, default: Language) -> Language:
    words = _WORD.findall(text[:5000].lower())
    fr = sum(w in _FR for w in words)
    en = sum(w in _EN for w in words)
    if fr == en:
        return default
    return Language.FR if fr > en else Language.EN
