"""Reading the bytes of real mail as text, whatever charset they claim (or fail to claim).

Pure ASCII is ASCII; mislabelled UTF-8 is read as UTF-8; unknown labels, stray 8-bit bytes
and broken multibyte text fall back to windows-1252 with replacement characters, and every
fallback is recorded in `defects`. Never raises.
"""

from __future__ import annotations

import codecs
import re
from email.message import Message

__all__ = ["decode_payload", "decode_text", "recover_8bit"]

# Charsets as labelled in the wild, mapped to the codec that actually reads them.
_CHARSET_ALIASES = {
    "unknown-8bit": "utf-8",
    "x-unknown": "utf-8",
    "unknown": "utf-8",
    "default": "utf-8",
    "utf8": "utf-8",
    "ansi_x3.4-1968": "ascii",
    "x-user-defined": "windows-1252",
    "iso-8859-8-i": "iso-8859-8",
    "unicode-1-1-utf-7": "utf-7",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "big5": "big5hkscs",
    "iso-2022-jp": "iso2022_jp_2",
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
}
_REAL_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")
_SINGLE_BYTE_CODECS = re.compile(r"^(iso8859|cp12|cp8|cp4|latin|koi8|mac|ascii|tis|hp|cp720)")


def recover_8bit(value: str) -> str:
    """Header text whose raw 8-bit bytes were kept as surrogate escapes, read as UTF-8 or,
    failing that, windows-1252 (what such headers almost always are)."""
    if not re.search("[\udc80-\udcff]", value):
        return value
    raw = value.encode("utf-8", errors="surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("windows-1252", errors="replace")


def _codec(label: str) -> str | None:
    name = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _mixed_utf8(payload: bytes) -> str | None:
    """UTF-8 text with stray single-byte characters (a windows-1252 "é" pasted into UTF-8):
    the valid UTF-8 kept, each invalid byte read as windows-1252. None when the bytes hold
    no UTF-8 sequence at all."""
    text = payload.decode("utf-8", errors="surrogateescape")
    if not _REAL_NON_ASCII.search(text):
        return None
    return _ESCAPED_BYTES.sub(
        lambda m: m.group().encode("utf-8", "surrogateescape").decode("windows-1252", "replace"),
        text,
    )


def decode_text(payload: bytes, declared: str, defects: list[str]) -> str:
    """Bytes of a text part as str, whatever charset it claims.

    Pure ASCII is ASCII. Text labelled with a single-byte charset (latin-1, windows-1252,
    us-ascii...) that is valid UTF-8 is UTF-8: mislabelled UTF-8 is common, while real latin
    text is practically never valid UTF-8. Otherwise the declared charset, then UTF-8, then
    windows-1252 with replacement characters, so that something readable always comes out.
    """
    if payload.isascii():
        return payload.decode("ascii")
    label = (declared or "").strip().strip("\"'").lower()
    codec = _codec(label) if label else None
    if label and codec is None:
        defects.append(f"unknown charset {label[:40]!r}")
    single_byte = codec is None or bool(_SINGLE_BYTE_CODECS.match(codec))
    candidates: list[str] = []
    if single_byte or codec == "utf-8":
        candidates.append("utf-8")
    elif codec is not None:
        candidates.append(codec)
        if codec == "iso2022_jp_2":
            candidates.append("iso2022_jp_ext")
        candidates.append("utf-8")
    for candidate in candidates:
        try:
            return payload.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    mixed = _mixed_utf8(payload)
    if mixed is not None:
        defects.append(f"charset {label[:40]!r}: invalid bytes read as windows-1252")
        return mixed
    if single_byte and codec is not None and codec != "utf-8":
        try:
            return payload.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    defects.append(f"charset {label[:40]!r} did not decode; read as windows-1252")
    return payload.decode("windows-1252", errors="replace")


def decode_payload(part: Message, defects: list[str]) -> str:
    """A text part's payload as str, whatever charset it claims."""
    try:
        payload = part.get_payload(decode=True)
    except Exception as exc:
        defects.append(f"payload: {type(exc).__name__}")
        payload = None
    if payload is None:
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    if not isinstance(payload, bytes):
        return str(payload)
    try:
        declared = part.get_content_charset() or ""
    except Exception:
        declared = ""
    return decode_text(payload, declared, defects)
