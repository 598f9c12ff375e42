"""Golden cases and edges for parse_mail() and detect_automation(): quotes, HTML, charsets,
encoded headers, broken MIME, sizes, and the rule that decides what a machine wrote."""

from __future__ import annotations

import base64
import random
from email.message import EmailMessage

import pytest

from helpdesk.mail.automation import detect_automation, own_text
from helpdesk.mail.body import html_to_text, strip_quoted
from helpdesk.mail.charsets import decode_text
from helpdesk.mail.parse import MAX_BODY_CHARS, attachment_bytes, parse_mail
from helpdesk.models.enums import InboundOutcome
from tests.helpdesk.test_mail_corpus import CORPUS, CorpusMail, corpus_mails

OWN = ("support@desk.test", "abuse@desk.test")


def raw_mail(
    body: str | bytes,
    *,
    charset: str = "utf-8",
    content_type: str = "text/plain",
    cte: str = "8bit",
    headers: str = "",
) -> bytes:
    head = (
        "From: Jeanne Client <jeanne@client.example>\r\n"
        "To: support@desk.test\r\n"
        "Subject: Mon site\r\n"
        "Message-ID: <m1@client.example>\r\n"
        f"{headers}"
        "MIME-Version: 1.0\r\n"
        f"Content-Type: {content_type}; charset={charset}\r\n"
        f"Content-Transfer-Encoding: {cte}\r\n\r\n"
    ).encode("ascii")
    return head + (body.encode(charset) if isinstance(body, str) else body)


def outcome_of(raw: bytes, *, envelope_from: str = "jeanne@client.example") -> str | None:
    automation = detect_automation(parse_mail(raw), envelope_from=envelope_from, own_addresses=OWN)
    return automation.outcome.value if automation else None


# --- Quoted history -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Toujours en panne.\n\nCordialement,\nJean\n\nDe : Support <support@desk.test>\n"
            "Envoyé : lundi 3 novembre 2025 10:12\nÀ : Jean <jean@example.fr>\n"
            "Objet : [TCK-000123] Mon site\n\nPouvez-vous vider le cache ?\n",
            "Toujours en panne.\n\nCordialement,\nJean",
            id="outlook-fr-de-envoye",
        ),
        pytest.param(
            "Merci, c'est réparé.\n\nLe lun. 3 nov. 2025 à 10:12, Support Guichet <\n"
            "support@desk.test> a écrit :\n\n> Pouvez-vous vider le cache ?\n>\n",
            "Merci, c'est réparé.",
            id="gmail-fr-wrapped-attribution",
        ),
        pytest.param(
            "Voici la capture.\n\nLe 03/11/2025 à 10:12, Support a écrit :\n> Une capture ?\n",
            "Voici la capture.",
            id="thunderbird-fr",
        ),
        pytest.param(
            "OK merci\n\n> Le 3 nov. 2025 à 10:12, Support <support@desk.test> a écrit :\n> \n"
            "> Pouvez-vous vider le cache ?\n",
            "OK merci",
            id="apple-mail-fr",
        ),
        pytest.param(
            "Thanks!\n\nOn Mon, Nov 3, 2025 at 10:12 AM Support <support@desk.test> wrote:\n\n"
            "> Please clear the cache.\n",
            "Thanks!",
            id="gmail-en",
        ),
        pytest.param(
            "Still broken.\n\n-----Original Message-----\nFrom: Support <support@desk.test>\n"
            "Sent: Monday, November 3, 2025 10:12 AM\nTo: John\nSubject: Re: site\n\nClear it.\n",
            "Still broken.",
            id="outlook-en-original-message",
        ),
        pytest.param(
            "Bonjour,\nrien de cité ici.\n", "Bonjour,\nrien de cité ici.", id="nothing-quoted"
        ),
        pytest.param("", "", id="empty"),
        pytest.param(" \n\t\n ", "", id="whitespace-only"),
    ],
)
def test_strip_quoted_keeps_only_the_newest_part(text: str, expected: str) -> None:
    assert strip_quoted(text) == expected


def test_a_forwarded_message_is_content_not_history() -> None:
    text = (
        "Bonjour, j'ai reçu ceci, que faire ?\n\n---------- Forwarded message ---------\n"
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
        "Subject: Delivery Status Notification (Failure)\n\n"
        "Your message wasn't delivered to x@y.fr.\n"
    )
    assert strip_quoted(text) == text.strip()
    parsed = parse_mail(
        raw_mail(
            "Voir plus bas.\n\n-----Message d'origine-----\nDe : X\n"
            "Envoyé : lundi\n\nLe message transféré.\n",
            headers="X-Mailer: Microsoft Outlook 16.0\r\n",
        ).replace(b"Subject: Mon site", b"Subject: TR: Mon site")
    )
    assert parsed.is_forward
    assert "Le message transféré." in parsed.reply_text


def test_quote_stripping_of_a_real_outlook_reply_and_an_owa_html_reply() -> None:
    outlook = parse_mail((CORPUS / "human/fr-outlook-reply-de-envoye-cp1252.eml").read_bytes())
    assert outlook.reply_text.startswith("Bonjour,\n\nLe site www.boulangerie-martin.fr")
    assert "Pouvez-vous vider le cache" not in outlook.reply_text
    assert "m’avez" in outlook.reply_text  # windows-1252 quote mark decoded
    owa = parse_mail((CORPUS / "human/fr-owa-html-only-reply.eml").read_bytes())
    assert owa.reply_text.endswith("Mairie de Saint-Clément")
    assert "nouvel identifiant FTP" not in owa.reply_text.split("\n")[-1]


# --- HTML ----------------------------------------------------------------------------------


def test_html_to_text_keeps_text_and_line_breaks_drops_code() -> None:
    markup = (
        "<html><head><title>t</title><style>p{color:red}</style></head><body>"
        "<p>Bonjour,</p><p>Ligne&nbsp;2<br>Ligne 3</p><div>x &amp; y &eacute;</div>"
        "<table><tr><td>a</td><td>b</td></tr></table><script>alert(1)</script>"
        "fin <!-- note --> 3 &lt; 4</body></html>"
    )
    assert html_to_text(markup) == "Bonjour,\n\nLigne 2\nLigne 3\n\nx & y é\n\na b\n\nfin 3 < 4"


@pytest.mark.parametrize(
    "markup",
    [
        "<style>p{} <p>Le texte reste lisible</p>",
        "<!-- jamais fermé <p>Le texte reste lisible</p>",
        "<div>" * 50_000 + "Le texte reste lisible",
        "<a " * 100_000 + "Le texte reste lisible",
        "<!--" * 100_000 + ">Le texte reste lisible",
    ],
)
def test_html_to_text_survives_unclosed_and_deeply_nested_markup(markup: str) -> None:
    assert "Le texte reste lisible" in html_to_text(markup)


def test_html_only_mail_becomes_text() -> None:
    parsed = parse_mail((CORPUS / "human/fr-html-only-roundcube.eml").read_bytes())
    assert parsed.text.startswith("Bonjour,\n\nJe n'arrive plus à recevoir de mails")
    assert "« mailbox full »" in parsed.text
    assert "alert(1)" not in parsed.text
    assert "font-family" not in parsed.text


# --- Charsets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("human/fr-iso-8859-1-8bit.eml", "J'ai été prélevé deux fois pour la facture n° 2025-0117"),
        ("human/fr-windows-1252-qp.eml", "passer à l’offre « Pro » pour notre site cœur-de-lin.fr"),
        ("human/ru-koi8-r.eml", "Наш сайт на вашем хостинге не открывается"),
        ("human/ja-shift-jis.eml", "メールが送信できなくなりました"),
        ("human/zh-gb2312-base64.eml", "显示“数据库连接错误”"),
        ("human/fr-utf8-mislabelled-latin1.eml", "sandrine-céramiques.fr est marqué « bloqué »"),
        ("human/fr-latin1-mislabelled-utf8.eml", "il manque le répertoire\n« médias »"),
        ("broken/human-invalid-quoted-printable.eml", "a expiré =ZZ"),
        ("broken/human-unknown-transfer-encoding.eml", "mon FTP refuse la connexion"),
    ],
)
def test_bodies_in_any_charset_come_out_readable(name: str, expected: str) -> None:
    parsed = parse_mail((CORPUS / name).read_bytes())
    assert expected in parsed.text


def test_decode_text_prefers_utf8_then_the_declared_charset_then_cp1252() -> None:
    defects: list[str] = []
    assert decode_text("caf\u00e9".encode(), "iso-8859-1", defects) == "café"
    assert decode_text(b"caf\xe9", "iso-8859-1", defects) == "café"
    assert decode_text(b"\x93Bonjour\x94 \x80", "us-ascii", defects) == "“Bonjour” €"
    assert decode_text("répondu".encode() + b" d\xe9j\xe0", "utf-8", defects) == "répondu déjà"
    assert decode_text(b"\xa4", "iso-8859-15", defects) == "€"
    assert decode_text(b"caf\xe9", "x-klingon", defects) == "café"
    assert any("x-klingon" in d for d in defects)


# --- Headers ---------------------------------------------------------------------------------


def test_encoded_and_folded_headers_are_decoded() -> None:
    parsed = parse_mail((CORPUS / "human/fr-rfc2047-folded-subject.eml").read_bytes())
    assert parsed.subject == (
        "Migration de mon site vers l’offre « Performance » : délai et coupure à prévoir?"
    )
    assert parsed.from_name == "François Lemaître"
    assert parsed.from_address == "francois.lemaitre@orange.fr"


@pytest.mark.parametrize(
    ("name", "subject", "sender"),
    [
        (
            "broken/human-8bit-headers-utf8.eml",
            "Accès à l'espace client impossible — « mot de passe incorrect »",
            "Hélène François",
        ),
        (
            "broken/human-8bit-headers-latin1.eml",
            "Problème avec la boîte mail commandes@",
            "André Lemaire",
        ),
    ],
)
def test_raw_8bit_headers_are_read_as_utf8_or_cp1252(name: str, subject: str, sender: str) -> None:
    parsed = parse_mail((CORPUS / name).read_bytes())
    assert parsed.subject == subject
    assert parsed.from_name == sender


def test_broken_encoded_words_and_garbage_headers_do_not_stop_parsing() -> None:
    broken = parse_mail((CORPUS / "broken/human-broken-rfc2047.eml").read_bytes())
    assert broken.from_name == "Yannick Guérin"
    assert broken.subject  # kept, readable or not
    garbage = parse_mail((CORPUS / "broken/human-garbage-header-lines.eml").read_bytes())
    assert garbage.subject == "En-tetes abimes"
    assert garbage.message_id == "<garbage-headers.20251107@picard-garage.fr>"
    assert garbage.text == "Bonjour, le webmail affiche une erreur de certificat."
    assert any("without a name" in d for d in garbage.defects)


def test_duplicate_headers_take_the_first() -> None:
    parsed = parse_mail((CORPUS / "broken/human-duplicate-headers.eml").read_bytes())
    assert parsed.subject == "Premier sujet : sauvegarde manquante"
    assert parsed.from_address == "odile.perret@perret-conseil.fr"
    assert parsed.message_id == "<dup-headers-1.20251107@perret-conseil.fr>"


def test_missing_message_id_and_missing_from_leave_empty_fields() -> None:
    no_id = parse_mail((CORPUS / "broken/human-no-message-id.eml").read_bytes())
    assert no_id.message_id == ""
    assert no_id.from_address == "r.bailly@bailly-transports.fr"
    no_from = parse_mail((CORPUS / "broken/human-missing-from.eml").read_bytes())
    assert no_from.from_address == ""
    assert no_from.text.startswith("Scan-to-mail")


# --- Empty, huge, truncated, nested --------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\r\n",
        b"   \r\n\t\r\n",
        b"From: x@y.z\r\n",
        b"From: x@y.z\r\n\r\n   \r\n",
    ],
)
def test_empty_and_whitespace_mail_parse_to_nothing(raw: bytes) -> None:
    parsed = parse_mail(raw)
    assert parsed.text == ""
    assert parsed.reply_text == ""
    assert parsed.attachments == []


def test_a_one_megabyte_body_is_truncated_with_a_marker() -> None:
    parsed = parse_mail(raw_mail("Le site est en panne depuis hier soir.\n" * 27_000))
    assert len(parsed.text) <= MAX_BODY_CHARS + 100
    assert parsed.text.endswith("[…truncated; the full text is in the raw mail]")
    assert any("truncated" in d for d in parsed.defects)


def test_a_one_megabyte_single_line_and_html_body_parse() -> None:
    assert len(parse_mail(raw_mail("x" * 1_000_000)).text) > MAX_BODY_CHARS
    html = parse_mail(
        raw_mail("<div><p>Bonjour <b>toi</b></p></div>\n" * 30_000, content_type="text/html")
    )
    assert html.text.startswith("Bonjour toi\n\nBonjour toi")


def test_truncated_multipart_keeps_the_text_and_the_attachment() -> None:
    parsed = parse_mail((CORPUS / "broken/human-truncated-multipart.eml").read_bytes())
    assert parsed.text == "Bonjour, je vous envoie les photos du formulaire qui plante."
    assert [a.filename for a in parsed.attachments] == ["formulaire.jpg"]
    assert "CloseBoundaryNotFoundDefect" in parsed.defects


def test_multipart_without_boundary_is_read_as_text() -> None:
    parsed = parse_mail((CORPUS / "broken/human-multipart-without-boundary.eml").read_bytes())
    assert parsed.text.startswith("Bonjour, le formulaire de reservation")


def test_attached_message_is_an_attachment_and_its_text_the_fallback() -> None:
    forwarded = parse_mail((CORPUS / "human/fr-forward-bounce-as-attachment.eml").read_bytes())
    assert forwarded.text.startswith("Bonjour,\n\nJe reçois ce retour")
    assert "This is the mail system" not in forwarded.text
    [attached] = forwarded.attachments
    assert attached.content_type == "message/rfc822"
    assert attached.filename == "Undelivered Mail Returned to Sender.eml"
    deep = parse_mail((CORPUS / "broken/human-nested-rfc822-deep.eml").read_bytes())
    assert deep.text == (
        "Texte le plus profond : le site www.exemple-profond.fr est en erreur 500."
    )


def test_a_bounce_report_keeps_the_returned_message_ids_for_threading() -> None:
    bounce = parse_mail((CORPUS / "bounce/hand-free-fr-postfix.eml").read_bytes())
    assert "<guichet.Fr1eeAbC2dEf3gHi4jKl@desk.test>" in bounce.headers["report-body"]
    assert "Diagnostic-Code: smtp; 550 5.1.1" in bounce.headers["report-body"]


def test_attachment_download_matches_the_parsed_index() -> None:
    raw = (CORPUS / "human/fr-gmail-inline-image-and-pdf.eml").read_bytes()
    parsed = parse_mail(raw)
    pdf = next(a for a in parsed.attachments if a.filename == "devis-signe.pdf")
    found = attachment_bytes(raw, pdf.index)
    assert found is not None
    assert found[0] == "devis-signe.pdf"
    assert found[2].startswith(b"%PDF-1.4")
    eml = (CORPUS / "human/fr-forward-bounce-as-attachment.eml").read_bytes()
    [message] = parse_mail(eml).attachments
    downloaded = attachment_bytes(eml, message.index)
    assert downloaded is not None
    assert downloaded[1] == "message/rfc822"
    assert b"Subject: Undelivered Mail Returned to Sender" in downloaded[2]
    assert attachment_bytes(eml, 99) is None


def test_nul_bytes_and_bare_carriage_returns_are_stored_safely() -> None:
    nul = parse_mail((CORPUS / "broken/human-nul-bytes.eml").read_bytes())
    assert "\x00" not in nul.text + nul.subject
    assert "insère des octets nuls" in nul.text
    bare_cr = parse_mail((CORPUS / "broken/human-bare-cr-in-body.eml").read_bytes())
    assert bare_cr.text.endswith("affiche une erreur 404\nsur toutes les pages.")


def test_nothing_raises_on_any_cut_of_any_corpus_mail_or_on_noise() -> None:
    rng = random.Random(7)
    samples = [rng.randbytes(rng.randrange(1, 3000)) for _ in range(50)]
    for mail in corpus_mails():
        if len(mail.raw) > 200_000:
            continue
        for cut in (0.1, 0.33, 0.5, 0.77, 0.95):
            samples.append(mail.raw[: int(len(mail.raw) * cut)])
    for raw in samples:
        parsed = parse_mail(raw)
        for envelope in ("", "someone@example.net"):
            detect_automation(parsed, envelope_from=envelope, own_addresses=OWN)


# --- What a machine wrote ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ("Auto-Submitted: auto-replied\r\n", "auto_reply"),
        ("Auto-Submitted: auto-generated\r\n", "auto_reply"),
        ("Auto-Submitted: no\r\n", None),
        ("X-Autoreply: yes\r\n", "auto_reply"),
        ("X-Autorespond: Merci\r\n", "auto_reply"),
        ("Precedence: auto_reply\r\n", "auto_reply"),
        (
            "X-MS-Exchange-Inbox-Rules-Loop: x@y.z\r\nX-Auto-Response-Suppress: All\r\n",
            "auto_reply",
        ),
        ("X-Auto-Response-Suppress: All\r\n", None),
        ("X-Failed-Recipients: someone@example.org\r\n", "bounce"),
        ("X-MS-Exchange-Message-Is-Ndr:\r\n", "bounce"),
        ("List-Id: <users.lists.example.org>\r\n", "mailing_list"),
        ("List-Unsubscribe: <mailto:unsub@lists.example.org>\r\n", "mailing_list"),
        ("Precedence: bulk\r\n", "mailing_list"),
        ("Precedence: junk\r\n", "mailing_list"),
        ("X-Loop: support@desk.test\r\n", "loop"),
        ("X-Guichet-Outbox-Id: 42\r\n", "loop"),
        ("X-Mailer: Microsoft Outlook 16.0\r\n", None),
    ],
)
def test_automation_headers(headers: str, expected: str | None) -> None:
    assert outcome_of(raw_mail("Bonjour,\nun message.\n", headers=headers)) == expected


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Réponse automatique : Mon site", "auto_reply"),
        ("Automatic reply: Mon site", "auto_reply"),
        ("Out of Office: Mon site", "auto_reply"),
        ("Out of office until Monday", "auto_reply"),
        ("Absent du bureau : Mon site", "auto_reply"),
        ("Auto: Mon site", "auto_reply"),
        ("Abwesenheitsnotiz: Mon site", "auto_reply"),
        ("Absence de réponse à ma demande", None),
        ("Absent de la liste des domaines", None),
        ("Out of office hours emergency: site down", None),
        ("Re: Réponse automatique : votre ticket", None),
        ("Undelivered Mail Returned to Sender", None),
        ("Fwd: Undelivered Mail Returned to Sender", None),
        ("Mail delivery failed pour tous nos utilisateurs", None),
    ],
)
def test_a_subject_alone_is_evidence_only_for_auto_replies(
    subject: str, expected: str | None
) -> None:
    raw = raw_mail("Bonjour,\nun message.\n").replace(
        b"Subject: Mon site", f"Subject: {subject}".encode()
    )
    assert outcome_of(raw) == expected


@pytest.mark.parametrize(
    ("sender", "envelope", "expected"),
    [
        ("MAILER-DAEMON@mx.example.net", "", "bounce"),
        ("Mailer-Daemon@mx.example.net", "bounces@example.net", "bounce"),
        ("MAILER-DAEMON <>", "someone@example.net", "bounce"),
        ("mailer-daemon", "someone@example.net", "bounce"),
        ("MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@client.fr", "x@client.fr", "bounce"),
        ("Postmaster <postmaster@client.fr>", "postmaster@client.fr", None),
        ("Jeanne <jeanne@client.example>", "", "auto_reply"),
        ("noreply@service.example", "noreply@service.example", "auto_reply"),
        ("no-reply@service.example", "no-reply@service.example", "auto_reply"),
    ],
)
def test_senders(sender: str, envelope: str, expected: str | None) -> None:
    raw = raw_mail("Bonjour,\nun message.\n").replace(
        b"From: Jeanne Client <jeanne@client.example>", f"From: {sender}".encode()
    )
    assert outcome_of(raw, envelope_from=envelope) == expected


def test_a_contact_form_from_a_noreply_address_with_a_reply_to_is_a_person() -> None:
    raw = raw_mail(
        "Un visiteur demande un devis.\n", headers="Reply-To: visiteur@gmail.example\r\n"
    ).replace(b"From: Jeanne Client <jeanne@client.example>", b"From: noreply@site-client.example")
    assert outcome_of(raw, envelope_from="noreply@site-client.example") is None


def test_delivery_failure_needs_two_kinds_of_evidence() -> None:
    dsn_text = "This is the mail system at host mx.example.net.\n\n<x@y.fr>: User unknown\n"
    bounce_subject = b"Subject: Undelivered Mail Returned to Sender"
    postmaster = b"From: postmaster@mx.example.net"
    base = raw_mail(dsn_text)
    assert outcome_of(base) is None  # the wording alone
    assert outcome_of(base.replace(b"Subject: Mon site", bounce_subject)) == "bounce"
    assert outcome_of(base, envelope_from="") == "bounce"
    assert (
        outcome_of(base.replace(b"From: Jeanne Client <jeanne@client.example>", postmaster))
        == "bounce"
    )
    no_wording = raw_mail("Bonjour.\n").replace(b"Subject: Mon site", bounce_subject)
    assert (
        outcome_of(no_wording.replace(b"From: Jeanne Client <jeanne@client.example>", postmaster))
        is None
    )


def test_a_person_quoting_or_forwarding_a_bounce_is_a_person() -> None:
    for name in (
        "human/fr-forward-bounce-inline-gmail.eml",
        "human/fr-forward-bounce-as-attachment.eml",
        "human/fr-outlook-forward-ndr.eml",
        "human/fr-pasted-bounce-with-bounce-subject.eml",
        "human/fr-postmaster-admin-writes.eml",
        "human/sisimai-not-bounce-02-forward-as-attachment.eml",
    ):
        raw = (CORPUS / name).read_bytes()
        assert outcome_of(raw, envelope_from="client@example.fr") is None, name
    forwarded = parse_mail((CORPUS / "human/fr-forward-bounce-inline-gmail.eml").read_bytes())
    assert "Address not found" not in own_text(forwarded)


def test_an_abuse_report_is_not_automated_but_flagged() -> None:
    parsed = parse_mail((CORPUS / "report/sisimai-arf-03-terra.eml").read_bytes())
    assert parsed.is_abuse_report
    assert detect_automation(parsed, envelope_from="", own_addresses=OWN) is None


def test_read_receipts_are_auto_replies() -> None:
    raw = (CORPUS / "auto_reply/fr-thunderbird-read-receipt.eml").read_bytes()
    assert outcome_of(raw) == "auto_reply"


def _corpus_outcome(mail: CorpusMail, envelope: str) -> InboundOutcome | None:
    automation = detect_automation(parse_mail(mail.raw), envelope_from=envelope, own_addresses=OWN)
    return automation.outcome if automation else None


@pytest.mark.parametrize("mail", corpus_mails(), ids=lambda m: m.name)
def test_corpus_classification_does_not_depend_on_the_envelope(mail: CorpusMail) -> None:
    """Whatever envelope sender a relay reports, every corpus mail is put in its class: a
    person's mail is never automated, and a machine's is recognised from its content."""
    envelopes = [mail.envelope_from, "relay-user@example.net"]
    if not mail.human:
        envelopes.append("")
    outcomes = {_corpus_outcome(mail, envelope) for envelope in envelopes}
    if mail.human or mail.kind == "report":
        assert outcomes == {None}
    elif mail.kind != "broken":
        [outcome] = outcomes
        assert outcome in mail.expected


def test_base64_payloads_that_do_not_decode_are_served_as_sent() -> None:
    raw = raw_mail(base64.b64encode(b"Bonjour").decode() + "!!!***\n", cte="base64")
    assert parse_mail(raw).text.startswith("Bonjour")


def test_a_five_megabyte_attachment_is_listed_not_read() -> None:
    message = EmailMessage()
    message["From"] = "Marc <marc@studio.example>"
    message["Subject"] = "Archive"
    message.set_content("ci-joint l'archive")
    message.add_attachment(
        random.Random(1).randbytes(5 * 1024 * 1024),
        maintype="application",
        subtype="zip",
        filename="photos.zip",
    )
    parsed = parse_mail(message.as_bytes())
    assert parsed.text == "ci-joint l'archive"
    [archive] = parsed.attachments
    assert (archive.filename, archive.size) == ("photos.zip", 5 * 1024 * 1024)
