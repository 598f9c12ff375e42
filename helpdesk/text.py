"""Checks on untrusted text. Text is stored exactly as given and always displayed as text;
only what no database can store faithfully is refused (NUL, lone surrogates)."""

from __future__ import annotations

import re

_NUL = "\x00"
_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why this text cannot be stored as it is, or None when it can."""
    if _NUL in value:
        return "must not contain NUL (U+0000) characters"
    if _SURROGATE.search(value):
        return "must not contain unpaired surrogate code points"
    return None


def scrub_for_storage(value: str) -> str:
    """For text we did not get from a form (decoded e-mail): replace what cannot be stored."""
    value = value.replace(_NUL, "\ufffd")
    return _SURROGATE.sub("\ufffd", value)


def clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
