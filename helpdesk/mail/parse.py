"""Turning raw RFC 5322 bytes into what the desk needs. Never raises: whatever is broken is
recorded in `defects`, and the raw bytes are always kept by the caller.

Real mail is messy, so every step has a fallback: headers in 8-bit or broken RFC 2047 words,
charsets that are wrong or unknown, multiparts without boundary or closing line, HTML-only
bodies, forwarded and bounced messages nested inside. Work is bounded (body size, quote scan,
line length given to the reply parser) so that no input makes parsing slow.
"""

from __future__ import annotations

import codecs
import html
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parseaddr

from mailparser_reply import EmailReplyParser

from helpdesk.text import clip, scrub_for_storage

logger = logging.getLogger(__name__)

MAX_BODY_CHARS = 200_000
MAX_QUOTE_SCAN_CHARS = 60_000
# Lines longer than this are cut before the reply parser sees them (its patterns are
# quadratic in the line length).
MAX_QUOTE_LINE_CHARS = 400
MAX_PARTS = 500
MAX_NESTING = 50
REPORT_BODY_CHARS = 20_000
MAX_HEADER_BLOCK = 256_000
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+[ \t]*:")

_MSGID = re.compile(r"<[^<>\s]{1,245}>")
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
# "Fwd:", "TR :", "Fw:", "WG:", "RV:", "Enc:" at the start of a subject (after any "Re:").
_FORWARD_SUBJECT = re.compile(
    r"^\s*(?:(?:re|aw|réf)\s*:\s*)*(?:fwd?|tr|wg|rv|enc|doorst)\s*:", re.IGNORECASE
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


@dataclass(frozen=True)
class Attachment:
    index: int
    filename: str
    content_type: str
    size: int


@dataclass
class ParsedMail:
    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    from_address: str = ""
    from_name: str = ""
    # The whole decoded From header, for senders without a usable address ("mailer-daemon").
    from_header: str = ""
    reply_to: str = ""
    to_addresses: list[str] = field(default_factory=list)
    subject: str = ""
    text: str = ""
    reply_text: str = ""
    content_type: str = ""
    report_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)

    @property
    def is_forward(self) -> bool:
        return bool(_FORWARD_SUBJECT.match(self.subject))

    @property
    def is_abuse_report(self) -> bool:
        """An ARF (RFC 5965) or X-ARF abuse report: a ticket for the abuse desk, never answered."""
        return (
            self.report_type == "feedback-report"
            or self.headers.get("x-arf", "").strip().lower() == "yes"
        )


# Headers read for automation and list detection (lower-case names). A header that is present
# with an empty value is kept (as ""): some markers (X-MS-Exchange-Message-Is-Ndr) are empty.
_INTERESTING = (
    "auto-submitted",
    "precedence",
    "x-precedence",
    "x-autoreply",
    "x-autorespond",
    "x-auto-response-suppress",
    "x-autogenerated",
    "x-auto-reply",
    "x-autoreply-from",
    "x-mail-autoreply",
    "x-vacation",
    "x-failed-recipients",
    "x-ms-exchange-message-is-ndr",
    "x-ms-exchange-generated-message-source",
    "x-ms-exchange-inbox-rules-loop",
    "x-post-messageclass",
    "x-fc-machinegenerated",
    "delivered-to",
    "list-id",
    "list-unsubscribe",
    "list-post",
    "list-help",
    "list-subscribe",
    "list-owner",
    "list-archive",
    "mailing-list",
    "x-mailing-list",
    "x-mailman-version",
    "x-beenthere",
    "x-mlserver",
    "x-ml-name",
    "x-loop",
    "return-path",
    "x-guichet-outbox-id",
    "feedback-id",
    "x-campaign",
    "x-mailer",
    "user-agent",
    "x-spam-flag",
    "x-arf",
    "content-type",
)


def _recover_8bit(value: str) -> str:
    """Header text whose raw 8-bit bytes were kept as surrogate escapes, read as UTF-8 or,
    failing that, windows-1252 (what such headers almost always are)."""
    if not re.search("[\udc80-\udcff]", value):
        return value
    raw = value.encode("utf-8", errors="surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("windows-1252", errors="replace")


def _decode_raw_header(value: str) -> str:
    value = _recover_8bit(value)
    try:
        return str(make_header(decode_header(value)))
    except Exception:
        return value


def _header(message: Message, name: str, defects: list[str]) -> str:
    """The header's decoded value; falls back to decoding the raw text when the policy's
    parser cannot read it or lost 8-bit characters."""
    try:
        value = message.get(name)
        if value is None:
            return ""
        text = str(value)
        if "\ufffd" not in text:
            return text
    except Exception as exc:
        defects.append(f"header {name}: {type(exc).__name__}")
    try:
        for key, raw in message.raw_items():
            if key.lower() == name.lower():
                return _decode_raw_header(str(raw))
    except Exception as exc:
        defects.append(f"raw header {name}: {type(exc).__name__}")
    return ""


def _clean_header(value: str, limit: int = 300) -> str:
    value = scrub_for_storage(" ".join(value.split()))
    return clip(value, limit)


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


def _leaf_parts(message: Message) -> Iterator[Message]:
    """The parts that carry content, in document order (at most MAX_PARTS). A message attached
    inside (message/rfc822, a returned original) is one part: it is not opened."""
    stack: list[Message] = [message]
    produced = 0
    while stack and produced < MAX_PARTS:
        part = stack.pop()
        payload = part.get_payload()
        if part.get_content_type().startswith("multipart/") and isinstance(payload, list):
            stack.extend(child for child in reversed(payload) if isinstance(child, Message))
            continue
        produced += 1
        yield part


def _inner_message(part: Message) -> Message | None:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return payload[0]
    return None


def _blocks_text(part: Message, defects: list[str]) -> str:
    """A report part (message/delivery-status, message/feedback-report, text/rfc822-headers)
    as text, however the library parsed it."""
    payload = part.get_payload()
    if isinstance(payload, list):
        blocks = []
        for block in payload:
            if isinstance(block, Message):
                blocks.append("\n".join(f"{k}: {v}" for k, v in block.raw_items()))
        return scrub_for_storage(_recover_8bit("\n\n".join(blocks)))
    return decode_payload(part, defects)


def _message_ids_text(inner: Message) -> str:
    lines = []
    for key, value in inner.raw_items():
        if key.lower() in ("message-id", "in-reply-to", "references"):
            lines.append(f"{key}: {_recover_8bit(str(value))}")
    return "\n".join(lines)


def _attachment_size(part: Message) -> int:
    inner = _inner_message(part)
    try:
        if inner is not None:
            return len(inner.as_bytes())
        payload = part.get_payload(decode=True)
        return len(payload) if isinstance(payload, bytes) else 0
    except Exception:
        return 0


def _declared_filename(part: Message, defects: list[str]) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        defects.append("attachment filename undecodable")
        name = ""
    return _recover_8bit(name)


def _filename(part: Message, defects: list[str]) -> str:
    name = _declared_filename(part, defects)
    if not name:
        inner = _inner_message(part)
        if inner is not None:
            subject = _header(inner, "Subject", defects)
            name = f"{subject or 'message'}.eml"
    return name


def _body_parts(
    message: Message, parsed: ParsedMail, *, depth: int, collect_attachments: bool
) -> tuple[list[str], list[str], list[Message]]:
    """Plain and HTML texts of a message, its report sections, and the messages attached."""
    plain: list[str] = []
    markup: list[str] = []
    attached: list[Message] = []
    reports: list[str] = []
    for index, part in enumerate(_leaf_parts(message), start=1):
        content_type = part.get_content_type()
        try:
            disposition = (part.get_content_disposition() or "").lower()
        except Exception:
            disposition = ""
        named = disposition == "attachment" or bool(_declared_filename(part, parsed.defects))
        inner = _inner_message(part) if content_type.startswith("message/") else None
        if content_type in (
            "message/delivery-status",
            "message/feedback-report",
            "message/disposition-notification",
            "text/rfc822-headers",
            "message/global-delivery-status",
            "message/global-headers",
        ):
            reports.append(_blocks_text(part, parsed.defects))
            continue
        if content_type == "text/plain" and not named:
            plain.append(decode_payload(part, parsed.defects))
            continue
        if content_type == "text/html" and not named:
            markup.append(decode_payload(part, parsed.defects))
            continue
        if content_type.startswith("multipart/") and not named:
            # A multipart whose parts could not be split (no boundary): read it as text.
            plain.append(decode_payload(part, parsed.defects))
            continue
        if inner is not None:
            attached.append(inner)
            reports.append(_message_ids_text(inner))
        if collect_attachments:
            filename = _filename(part, parsed.defects) or "(unnamed)"
            parsed.attachments.append(
                Attachment(
                    index=index,
                    filename=_clean_header(filename, 200),
                    content_type=content_type,
                    size=_attachment_size(part),
                )
            )
    if reports and depth == 0:
        report = scrub_for_storage("\n\n".join(r for r in reports if r.strip()))
        parsed.headers["report-body"] = clip(report, REPORT_BODY_CHARS)
    return plain, markup, attached


def _message_text(message: Message, parsed: ParsedMail, *, depth: int) -> str:
    plain, markup, attached = _body_parts(
        message, parsed, depth=depth, collect_attachments=depth == 0
    )
    text = "\n\n".join(p for p in plain if p.strip())
    if not text.strip() and markup:
        text = "\n\n".join(html_to_text(m) for m in markup)
    if not text.strip() and attached and depth < MAX_NESTING:
        # Nothing written around the attached message(s): their text is the content.
        text = "\n\n".join(_message_text(inner, parsed, depth=depth + 1) for inner in attached)
    return text


def _walk_body(message: Message, parsed: ParsedMail) -> None:
    text = _message_text(message, parsed, depth=0)
    text = scrub_for_storage(text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > MAX_BODY_CHARS:
        parsed.defects.append(f"body truncated from {len(text)} characters")
        text = text[:MAX_BODY_CHARS] + "\n[…truncated; the full text is in the raw mail]"
    parsed.text = text.strip()
    parsed.reply_text = parsed.text if parsed.is_forward else strip_quoted(parsed.text)


def _ids(value: str) -> list[str]:
    return _MSGID.findall(value)[-30:]


def _raw_fallback(raw: bytes, parsed: ParsedMail) -> None:
    text = raw.decode("utf-8", errors="replace")
    parsed.text = scrub_for_storage(text)[:MAX_BODY_CHARS].strip()
    parsed.reply_text = parsed.text


def _without_garbage_header_lines(raw: bytes, defects: list[str]) -> bytes:
    """The mail with header-block lines that are not headers removed, when real headers
    follow them (the library would otherwise take the rest of the headers for the body)."""
    end = raw.find(b"\n\n", 0, MAX_HEADER_BLOCK)
    crlf_end = raw.find(b"\r\n\r\n", 0, MAX_HEADER_BLOCK)
    if crlf_end != -1 and (end == -1 or crlf_end < end):
        end = crlf_end
    if end == -1:
        return raw
    lines = raw[:end].splitlines(keepends=True)
    bad = [
        i
        for i, line in enumerate(lines)
        if line.strip()
        and not _HEADER_LINE.match(line)
        and not line[:1].isspace()
        and not (i == 0 and line.startswith(b"From "))
    ]
    if not bad:
        return raw
    last_good = max((i for i, line in enumerate(lines) if _HEADER_LINE.match(line)), default=-1)
    drop = {i for i in bad if i < last_good}
    if not drop:
        return raw
    defects.append(f"{len(drop)} header line(s) without a name ignored")
    kept = b"".join(line for i, line in enumerate(lines) if i not in drop)
    return kept + raw[end:]


def parse_mail(raw: bytes) -> ParsedMail:
    parsed = ParsedMail()
    try:
        message = message_from_bytes(
            _without_garbage_header_lines(raw, parsed.defects), policy=policy.default
        )
    except Exception as exc:
        parsed.defects.append(f"unparseable: {type(exc).__name__}")
        _raw_fallback(raw, parsed)
        return parsed
    try:
        _read_headers(message, parsed)
    except Exception as exc:
        logger.warning("mail header read failed: %s", type(exc).__name__)
        parsed.defects.append(f"headers: {type(exc).__name__}")
    try:
        _walk_body(message, parsed)
    except Exception as exc:
        logger.warning("mail body walk failed: %s", type(exc).__name__)
        parsed.defects.append(f"body: {type(exc).__name__}")
        _raw_fallback(raw, parsed)
    return parsed


def _read_headers(message: Message, parsed: ParsedMail) -> None:
    parsed.defects.extend(type(d).__name__ for d in message.defects[:20])

    def get(name: str) -> str:
        return _header(message, name, parsed.defects)

    message_ids = _ids(get("Message-ID"))
    parsed.message_id = message_ids[0] if message_ids else ""
    parsed.in_reply_to = _ids(get("In-Reply-To"))
    parsed.references = _ids(get("References"))
    from_header = get("From")
    parsed.from_header = _clean_header(from_header, 300)
    name, address = parseaddr(from_header)
    parsed.from_name = _clean_header(name, 200)
    parsed.from_address = _clean_header(address.lower(), 254) if "@" in address else ""
    parsed.reply_to = _clean_header(parseaddr(get("Reply-To"))[1].lower(), 254)
    addresses = getaddresses([get("To"), get("Cc")])
    parsed.to_addresses = [_clean_header(a.lower(), 254) for _, a in addresses if a][:50]
    parsed.subject = _clean_header(get("Subject"))
    for header in _INTERESTING:
        if header in message:
            parsed.headers[header] = _clean_header(get(header), 1000)
    parsed.content_type = message.get_content_type()
    parsed.report_type = _clean_header(str(message.get_param("report-type") or ""), 60).lower()


def attachment_bytes(raw: bytes, index: int) -> tuple[str, str, bytes] | None:
    """(filename, content type, bytes) of the index-th content part, for downloads. Numbered
    as `parse_mail` numbers attachments; an attached message comes whole, as an .eml."""
    message = message_from_bytes(_without_garbage_header_lines(raw, []), policy=policy.default)
    for position, part in enumerate(_leaf_parts(message), start=1):
        if position != index:
            continue
        defects: list[str] = []
        filename = _filename(part, defects) or f"attachment-{index}"
        inner = _inner_message(part)
        if inner is not None:
            try:
                return filename, "message/rfc822", inner.as_bytes()
            except Exception:
                return filename, "message/rfc822", str(inner).encode("utf-8", "replace")
        payload = part.get_payload(decode=True)
        return filename, part.get_content_type(), payload if isinstance(payload, bytes) else b""
    return None
