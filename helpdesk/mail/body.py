"""The readable text of a mail body: HTML turned into text, and the newest part of a reply
without its quoted history.

Both are bounded (a linear HTML scan; a quote scan over the first characters, with lines cut
short for the reply parser) so that no input makes parsing slow.
"""

from __future__ import annotations

import html
import logging
import re

from mailparser_reply import EmailReplyParser

__all__ = ["MAX_QUOTE_LINE_CHARS", "MAX_QUOTE_SCAN_CHARS", "html_to_text", "strip_quoted"]

logger = logging.getLogger(__name__)

MAX_QUOTE_SCAN_CHARS = 60_000
# Lines longer than this are cut before the reply parser sees them (its patterns are
# quadratic in the line length).
MAX_QUOTE_LINE_CHARS = 400
_TAG = re.compile(r"<(?:(?P<slash>/?)(?P<name>[a-zA-Z][a-zA-Z0-9:-]{0,40})\b|[!?])[^<>]{0,4000}>")
_HIDDEN_ELEMENTS = frozenset({"script", "style", "head", "title", "template", "xml"})
_BLOCK_ELEMENT = re.compile(
    r"br|p|div|tr|li|ul|ol|table|blockquote|pre|hr|h[1-6]|section|article|header|footer|dt|dd"
    r"|center"
)
_MANY_NEWLINES = re.compile(r"\n{3,}")
_TRAILING_SEPARATOR = re.compile(
    r"\n[ \t]*(-{2,}\s*(original message|message d'origine|message transféré|forwarded message)"
    r"\s*-{2,}|_{5,})[ \t]*$",
    re.IGNORECASE,
)
# A line that opens a forwarded message inside a body.
_FORWARD_MARKER = re.compile(
    r"^[ \t>]*(?:-{2,}\s*(?:forwarded message|message transféré|message transmis|"
    r"weitergeleitete nachricht|mensaje reenviado|messaggio inoltrato)\b.*"
    r"|begin forwarded message\s*:|début du message (?:réexpédié|transféré)\s*:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# An attribution line ("Le lun. 3 nov. 2025 à 10:12, X <x@y> a écrit :", "On ... wrote:"),
# possibly wrapped over up to three lines by the sender's client (Gmail does).
_ATTRIBUTION = re.compile(
    r"^(?:>[ \t]*)*(?:le|on|am|el|il)\s.{0,300}?(?:a\s+écrit|wrote|schrieb|escribió|ha\s+scritto)"
    r"\s*:\s*$",
    re.IGNORECASE | re.DOTALL,
)
_ATTRIBUTION_START = re.compile(r"^(?:>[ \t]*)*(?:le|on|am|el|il)\s", re.IGNORECASE)
_REPLY_PARSER = EmailReplyParser(languages=["fr", "en"])


def html_to_text(markup: str) -> str:
    """The text of an HTML body, for reading and quote stripping.

    A single forward scan with bounded look-ahead, so the work is linear in the input:
    the HTML libraries at hand are quadratic on hostile input (nh3/html5ever on deeply
    nested elements, html.parser on repeated unclosed comments), and we only need text.
    Script, style and head contents are dropped; block ends become line breaks."""
    out: list[str] = []
    position = 0
    length = len(markup)
    unclosed: set[str] = set()  # element names known to have no closing tag further on
    while position < length:
        start = markup.find("<", position)
        if start == -1:
            out.append(markup[position:])
            break
        out.append(markup[position:start])
        if markup.startswith("<!--", start):
            end = -1 if "--" in unclosed else markup.find("-->", start + 4)
            if end == -1:
                unclosed.add("--")
                position = start + 4
            else:
                position = end + 3
            continue
        tag = _TAG.match(markup, start)
        if tag is None:
            out.append("<")
            position = start + 1
            continue
        position = tag.end()
        name = (tag.group("name") or "").lower()
        closing = bool(tag.group("slash"))
        if name in _HIDDEN_ELEMENTS and not closing and name not in unclosed:
            end_tag = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(markup, position)
            if end_tag is None:
                unclosed.add(name)
            else:
                position = end_tag.end()
            continue
        if _BLOCK_ELEMENT.fullmatch(name):
            out.append("\n")
        elif name in ("td", "th"):
            out.append(" ")
    text = html.unescape("".join(out)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def _attribution_line(lines: list[str]) -> int | None:
    """Index of the first attribution line ("Le … a écrit :", "On … wrote:"), including
    ones a client wrapped over two or three lines."""
    for index, line in enumerate(lines):
        if len(line) > 300 or not _ATTRIBUTION_START.match(line):
            continue
        joined = line
        for extra in range(3):
            if _ATTRIBUTION.match(joined.strip()):
                return index
            following = index + extra + 1
            if following >= len(lines) or len(lines[following]) > 300:
                break
            joined = f"{joined} {lines[following].strip()}"
    return None


def _library_reply(text: str) -> str:
    """The newest part according to mail-parser-reply, given lines short enough for its
    patterns; the cut is mapped back onto the original lines."""
    lines = text.split("\n")
    probe_lines = [line[:MAX_QUOTE_LINE_CHARS] for line in lines]
    try:
        reply = _REPLY_PARSER.parse_reply("\n".join(probe_lines)) or ""
    except Exception:
        logger.warning("reply parser failed; keeping the whole text")
        return text
    if all(len(line) <= MAX_QUOTE_LINE_CHARS for line in lines):
        return reply
    kept = len(reply.split("\n"))
    return "\n".join(line.strip() for line in lines[:kept])


def strip_quoted(text: str) -> str:
    """The newest part of a reply, without the quoted history and signature separators.
    A forwarded message is content, not history: it is kept."""
    if not text.strip():
        return ""
    head = text[:MAX_QUOTE_SCAN_CHARS]
    lines = head.split("\n")
    cut = _attribution_line(lines)
    forward = _FORWARD_MARKER.search(head)
    if forward is not None:
        forward_line = head.count("\n", 0, forward.start())
        if cut is None or forward_line < cut:
            return text.strip()
    if cut is not None:
        head = "\n".join(lines[:cut])
    reply = _library_reply(head) if head.strip() else ""
    reply = _TRAILING_SEPARATOR.sub("", reply.rstrip()).strip()
    if not reply:
        return text.strip()
    if len(text) > MAX_QUOTE_SCAN_CHARS and cut is None and len(reply) >= len(head.strip()) - 10:
        return text.strip()
    return reply
