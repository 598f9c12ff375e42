"""Recognising mail that no human wrote: bounces, auto-replies, mailing lists, our own loops.
Such mail is recorded (raw bytes kept) and never answered (RFC 3834).

The rule favours precision on human mail: a customer's message must never be taken for a
machine's, so a bounce or an auto-reply needs evidence that a person cannot produce by
writing to us.

- Strong evidence decides alone: a top-level DSN (multipart/report; report-type=
  delivery-status), X-Failed-Recipients, Exchange's NDR marker, a mailer-daemon sender;
  Auto-Submitted (RFC 3834) and the other autoresponder headers; a read receipt (MDN).
- Weaker evidence only counts together: a postmaster-like sender, a null envelope sender,
  a bounce subject at the very start of the subject, delivery-failure wording in the text
  the sender wrote themselves, and Auto-Submitted. Two of these make a bounce when one of
  them is in the mail itself (wording, subject, sender): a null sender with Auto-Submitted
  is how RFC 3834 auto-replies come too. Without a null sender or Auto-Submitted, the
  wording must be one of the two.
- What a person forwards is not theirs: wording quoted or forwarded below a marker
  ("---------- Forwarded message", "De : … Envoyé :", "Le … a écrit :") is not read, a
  forwarded subject ("TR: Undelivered Mail…") is not a bounce subject, and an attached
  message (message/rfc822) is never opened. So a customer who forwards a bounce to ask for
  help is a customer.
- When the weak evidence has neither a null sender nor Auto-Submitted (which no person's
  client sets), a human sign vetoes it: a mail client's X-Mailer/User-Agent, or a
  salutation ("Bonjour", "Madame, Monsieur", "Dear") opening the text.
- Abuse reports (ARF, RFC 5965) are not "automated" here: the abuse desk wants them as
  tickets; the intake never acknowledges them.
- A null envelope sender alone, or a no-reply sender without a Reply-To elsewhere, is still
  treated as automated: answering it could only bounce or loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpdesk.mail.parse import LIST_HEADERS, ParsedMail
from helpdesk.models.enums import InboundOutcome

OWN_TEXT_CHARS = 6_000

# Local parts no person uses: mail systems' own senders.
_DAEMON_LOCALPART = re.compile(
    r"^(mailer[-_.]?daemon|mail[-_.]?daemon|microsoftexchange[0-9a-f]{8,})$", re.IGNORECASE
)
_DAEMON_NAME = re.compile(r"\bmailer[-_ ]?daemon\b", re.IGNORECASE)
# Senders that usually are a mail system, but can be a person (a domain's administrator).
_ROLE_LOCALPART = re.compile(
    r"^(post[-_.]?master|mail\.delivery\.(sub)?system|mail[-_.]?delivery|mdaemon|"
    r"mail[-_.]?admin(istrator)?)$",
    re.IGNORECASE,
)
_ROLE_NAME = re.compile(
    r"^\W*(mail delivery (sub)?system|mail delivery service|mail administrator|"
    r"system administrator|postmaster|mail system|mmsc ndr administrator)\W*$",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(undeliver|undelivered mail|delivery status notification|delivery notification|"
    r"delivery (status )?failure|delivery report|delivery failed|failure notice|"
    r"mail delivery (failed|failure)|mail system error|returned mail|returned to sender|"
    r"message not delivered|non remis|non distribuable|échec de (la )?(remise|livraison)|"
    r"impossible de remettre|rapport de non-remise|notification d'état de (la )?distribution|"
    r"unzustellbar|nicht zustellbar|недоставленное сообщение|delivery status)",
    re.IGNORECASE,
)
# What mail systems write in a delivery failure report, and people almost never do.
_DSN_WORDING = re.compile(
    r"this is the mail system at host|"
    r"(could not|cannot|can't) be delivered to one or more|"
    r"message was created automatically by mail delivery software|"
    r"delivery to the following recipients? (failed|has been delayed)|"
    r"following (addresses|address\(es\)|address) (had permanent fatal errors|failed|"
    r"had delivery problems)|"
    r"i'?m afraid i wasn'?t able to deliver|did not reach the following recipient|"
    r"delivery has failed to these recipients|"
    r"automatically generated delivery status notification|"
    r"there was an error delivering your mail|we had trouble delivering your message|"
    r"your message could not be sent|your message cannot be delivered to the following|"
    r"\b(requested action not taken|user unknown|unknown user|no such user|"
    r"recipient address rejected|no valid recipients|mailbox (is )?(full|unavailable)|"
    r"not listed in (the )?(domino|public) (directory|address book)|"
    r"message you sent blocked|account (is|has been) disabled)\b|"
    r"-{3,}\s*failure reasons\s*-{3,}|送信できませんでした|"
    r"\b[45]\d\d[ -]#?[45]\.\d{1,3}\.\d{1,3}\b|"
    r"^\s*(diagnostic-code|final-recipient|reporting-mta|remote-mta)\s*:|"
    r"n'a pas pu être (remis|distribué|délivré)|impossible de remettre (le|votre) message|"
    r"ce message a été (créé|généré) automatiquement|konnte nicht zugestellt werden",
    re.IGNORECASE | re.MULTILINE,
)
# Where what the sender wrote ends and what they quote or forward begins.
_QUOTE_START = re.compile(
    r"^(>(?!>>)|[ \t>]*(-{2,}\s*(forwarded message|message transféré|message transmis|"
    r"original message|message d'origine|weitergeleitete nachricht|mensaje original)\b"
    r"|begin forwarded message\s*:|début du message (réexpédié|transféré)\s*:"
    r"|_{10,}\s*$"
    r"|(de|from|von)\s?:.{0,300}\n[ \t>]*(envoyé|sent|date|gesendet|à|to)\s?:"
    r"|(le|on)\s[^\n]{0,300}?(a\s+écrit|wrote)\s*:\s*$))",
    re.IGNORECASE | re.MULTILINE,
)
_SALUTATION = re.compile(
    r"^\s*(bonjour|bonsoir|salut|madame|monsieur|mesdames|messieurs|cher|chère|chers|dear|"
    r"hallo|hola|buongiorno)\b",
    re.IGNORECASE,
)
_MAIL_CLIENT = re.compile(
    r"outlook|thunderbird|apple mail|iphone mail|ipad mail|android|k-9|mutt|evolution|"
    r"roundcube|sogo|horde|rainloop|snappymail|gmail|yahoo mail|windows live mail|"
    r"windows mail|postbox|mailmate|spark|airmail|claws|sylpheed|kmail|seamonkey|icedove|"
    r"em client|the bat|opera mail|mailspring|bluemail|lotus notes|geary|alpine|mozilla",
    re.IGNORECASE,
)
_AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(r[ée]ponse automatique\s*:|auto(matic)?[- ]?(reply|response)\b|autoreply\b|"
    r"auto:|out of (the )?office(\s*(auto[- ]?reply|reply))?\s*(:|-|–|until|jusqu|$)|"
    r"absent du bureau|absence du bureau|message d'absence|notification d'absence|"
    r"abwesenheitsnotiz|automatische antwort\s*:|respuesta automática\s*:|"
    r"risposta automatica\s*:|automatisch antwoord\s*:)",
    re.IGNORECASE,
)
_AUTO_REPLY_HEADERS = (
    "x-autoreply",
    "x-autorespond",
    "x-auto-reply",
    "x-autoreply-from",
    "x-mail-autoreply",
    "x-vacation",
    "x-autogenerated",
    "x-ms-exchange-generated-message-source",
)
_NO_REPLY_LOCALPART = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|ne[-_.]?pas[-_.]?r[ée]pondre|noreply[-_.][\w.-]+|"
    r"[\w.-]+[-_.]no[-_.]?reply)$",
    re.IGNORECASE,
)
_BULK_PRECEDENCE = ("bulk", "list", "junk")


@dataclass(frozen=True)
class Automation:
    outcome: InboundOutcome
    reason: str


def _localpart(address: str) -> str:
    return address.rpartition("@")[0] if "@" in address else address


def _is_null_sender(envelope_from: str) -> bool:
    value = envelope_from.strip().strip("<>").strip()
    return value == "" or value.lower() in ("mailer-daemon", "postmaster")


def own_text(parsed: ParsedMail) -> str:
    """The beginning of what the sender wrote themselves: the text before anything they
    quote or forward."""
    head = parsed.text[:OWN_TEXT_CHARS]
    marker = _QUOTE_START.search(head)
    return head[: marker.start()] if marker else head


def _daemon_sender(parsed: ParsedMail, envelope_from: str) -> bool:
    senders = (parsed.from_address, envelope_from.strip().strip("<>").lower())
    if any(s and _DAEMON_LOCALPART.match(_localpart(s)) for s in senders):
        return True
    # "MAILER-DAEMON <>", a bare "mailer-daemon", a display name without address.
    return not parsed.from_address and bool(_DAEMON_NAME.search(parsed.from_header))


def _role_sender(parsed: ParsedMail) -> bool:
    if parsed.from_address and _ROLE_LOCALPART.match(_localpart(parsed.from_address)):
        return True
    return bool(parsed.from_name and _ROLE_NAME.match(parsed.from_name))


def _human_signs(parsed: ParsedMail, text: str) -> bool:
    client = f"{parsed.headers.get('x-mailer', '')} {parsed.headers.get('user-agent', '')}"
    return bool(_MAIL_CLIENT.search(client)) or bool(_SALUTATION.match(text))


def _auto_submitted(parsed: ParsedMail) -> str:
    value = parsed.headers.get("auto-submitted", "").strip().lower()
    return "" if not value or value.startswith("no") else value


def _is_bounce(parsed: ParsedMail, envelope_from: str) -> str | None:
    headers = parsed.headers
    if parsed.content_type == "multipart/report" and parsed.report_type in ("", "delivery-status"):
        return "delivery status notification (multipart/report)"
    if "x-failed-recipients" in headers:
        return "X-Failed-Recipients"
    if "x-ms-exchange-message-is-ndr" in headers:
        return "Exchange non-delivery report"
    if _daemon_sender(parsed, envelope_from):
        return "sent by a mailer daemon"
    text = own_text(parsed)
    evidence = {
        "a null envelope sender": _is_null_sender(envelope_from),
        "Auto-Submitted": bool(_auto_submitted(parsed)),
        "delivery-failure wording": bool(_DSN_WORDING.search(text)),
        "a bounce subject": bool(_BOUNCE_SUBJECT.match(parsed.subject)),
        "a postmaster sender": _role_sender(parsed),
    }
    found = [name for name, present in evidence.items() if present]
    content = (
        evidence["delivery-failure wording"]
        or evidence["a bounce subject"]
        or evidence["a postmaster sender"]
    )
    if len(found) < 2 or not content:
        return None  # a null sender with Auto-Submitted is also how auto-replies come
    machine = evidence["a null envelope sender"] or evidence["Auto-Submitted"]
    if not machine and (not evidence["delivery-failure wording"] or _human_signs(parsed, text)):
        return None
    return " and ".join(found)


def _is_auto_reply(parsed: ParsedMail) -> str | None:
    headers = parsed.headers
    auto_submitted = _auto_submitted(parsed)
    if auto_submitted:
        return f"Auto-Submitted: {auto_submitted[:60]}"
    for name in _AUTO_REPLY_HEADERS:
        if name in headers and headers[name].strip().lower() not in ("no", "false", "0"):
            return name
    for name in ("precedence", "x-precedence"):
        if headers.get(name, "").strip().lower() == "auto_reply":
            return f"{name}: auto_reply"
    if "autoresponder" in headers.get("x-post-messageclass", "").lower():
        return "X-POST-MessageClass: autoresponder"
    if headers.get("x-fc-machinegenerated", "").strip().lower() == "true":
        return "X-FC-MachineGenerated"
    if headers.get("delivered-to", "").strip().lower() == "autoresponder":
        return "Delivered-To: Autoresponder"
    if "x-ms-exchange-inbox-rules-loop" in headers and "x-auto-response-suppress" in headers:
        return "Exchange inbox rule"
    if parsed.content_type == "multipart/report" and parsed.report_type != "feedback-report":
        return f"automatic report ({parsed.report_type[:40]})"
    if _AUTO_REPLY_SUBJECT.match(parsed.subject):
        return "auto-reply subject"
    return None


def _is_list(parsed: ParsedMail) -> str | None:
    headers = parsed.headers
    for name in ("precedence", "x-precedence"):
        if headers.get(name, "").strip().lower() in _BULK_PRECEDENCE:
            return f"Precedence: {headers[name][:20]}"
    for name in LIST_HEADERS:
        if name in headers:
            return name
    return None


def _is_unanswerable(parsed: ParsedMail, envelope_from: str) -> str | None:
    if _is_null_sender(envelope_from):
        return "null envelope sender"
    if parsed.from_address and _NO_REPLY_LOCALPART.match(_localpart(parsed.from_address)):
        reply_to = parsed.reply_to
        if (
            not reply_to
            or reply_to == parsed.from_address
            or _NO_REPLY_LOCALPART.match(_localpart(reply_to))
        ):
            return "no-reply sender"
    return None


def detect_automation(
    parsed: ParsedMail, *, envelope_from: str, own_addresses: tuple[str, ...]
) -> Automation | None:
    """Why this mail is automated, or None for mail a person wrote."""
    if "x-guichet-outbox-id" in parsed.headers or (
        parsed.from_address and parsed.from_address in own_addresses
    ):
        return Automation(InboundOutcome.LOOP, "our own mail came back")
    x_loop = parsed.headers.get("x-loop", "").lower()
    if x_loop and any(a and a in x_loop for a in own_addresses):
        return Automation(InboundOutcome.LOOP, "X-Loop names this desk")
    if parsed.report_type == "feedback-report":
        return None  # an abuse report: a ticket for the abuse desk, not acknowledged
    bounce = _is_bounce(parsed, envelope_from)
    if bounce:
        return Automation(InboundOutcome.BOUNCE, bounce)
    auto = _is_auto_reply(parsed)
    if auto:
        return Automation(InboundOutcome.AUTO_REPLY, auto)
    listed = _is_list(parsed)
    if listed:
        return Automation(InboundOutcome.MAILING_LIST, listed)
    unanswerable = _is_unanswerable(parsed, envelope_from)
    if unanswerable:
        return Automation(InboundOutcome.AUTO_REPLY, unanswerable)
    return None
