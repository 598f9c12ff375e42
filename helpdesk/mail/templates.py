"""The texts of the mails we send, in French and English, by the customer's language."""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.models.enums import Language


@dataclass(frozen=True)
class MailText:
    subject: str
    body: str


_ACK = {
    Language.FR: MailText(
        subject="[{number}] {subject}",
        body=(
            "Bonjour{name},\n\n"
            "Nous avons bien reçu votre demande. Elle porte le numéro {number} ; "
            "rappelez-le dans vos échanges.\n"
            "Un membre de l'équipe vous répond au plus vite (jours ouvrés, 9h–18h).\n\n"
            "Suivre votre demande : {link}\n\n"
            "Pour compléter votre demande, répondez simplement à ce message.\n\n"
            "— Le support\n"
        ),
    ),
    Language.EN: MailText(
        subject="[{number}] {subject}",
        body=(
            "Hello{name},\n\n"
            "We have received your request. Its number is {number}; please quote it "
            "when you write to us.\n"
            "A member of the team will answer as soon as possible (working days, 9am–6pm).\n\n"
            "Follow your request: {link}\n\n"
            "To add to your request, simply reply to this message.\n\n"
            "— Support\n"
        ),
    ),
}

_REPLY = {
    Language.FR: MailText(
        subject="Re: [{number}] {subject}",
        body=(
            "{body}\n\n"
            "— {agent}\n\n"
            "----\n"
            "Demande {number} : {link}\n"
            "Répondez à ce message pour nous écrire ; merci de ne pas changer l'objet.\n"
        ),
    ),
    Language.EN: MailText(
        subject="Re: [{number}] {subject}",
        body=(
            "{body}\n\n"
            "— {agent}\n\n"
            "----\n"
            "Request {number}: {link}\n"
            "Reply to this message to write to us; please keep the subject as it is.\n"
        ),
    ),
}

_LOGIN = {
    Language.FR: MailText(
        subject="Votre lien de connexion à l'espace support",
        body=(
            "Bonjour,\n\n"
            "Voici votre lien de connexion à l'espace support. Il est valable une heure :\n"
            "{link}\n\n"
            "Si vous n'avez rien demandé, ignorez ce message.\n"
        ),
    ),
    Language.EN: MailText(
        subject="Your sign-in link to the support portal",
        body=(
            "Hello,\n\n"
            "Here is your sign-in link to the support portal. It is valid for one hour:\n"
            "{link}\n\n"
            "If you did not ask for it, ignore this message.\n"
        ),
    ),
}


def acknowledgement(
    language: Language, *, number: str, subject: str, name: str, link: str
) -> MailText:
    text = _ACK[language]
    greeting = f" {name}" if name else ""
    return MailText(
        subject=text.subject.format(number=number, subject=subject),
        body=text.body.format(number=number, name=greeting, link=link),
    )


def agent_reply(
    language: Language, *, number: str, subject: str, body: str, agent: str, link: str
) -> MailText:
    text = _REPLY[language]
    return MailText(
        subject=text.subject.format(number=number, subject=subject),
        body=text.body.format(number=number, body=body, agent=agent, link=link),
    )


def login_link(language: Language, *, link: str) -> MailText:
    text = _LOGIN[language]
    return MailText(subject=text.subject, body=text.body.format(link=link))
