"""What composing a customer mail needs to know: addresses, domain, and how to build links."""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.auth.tokens import make_login_token, make_ticket_token
from helpdesk.settings import Settings


@dataclass(frozen=True)
class MailSettings:
    public_base_url: str
    mail_domain: str
    secret_key: str

    @classmethod
    def from_settings(cls, settings: Settings) -> MailSettings:
        return cls(
            public_base_url=settings.public_base_url,
            mail_domain=settings.mail_domain,
            secret_key=settings.secret_key,
        )

    def ticket_link(self, *, ticket_id: int, customer_id: int) -> str:
        token = make_ticket_token(self.secret_key, ticket_id=ticket_id, customer_id=customer_id)
        return f"{self.public_base_url}/portal/t/{token}"

    def login_link(self, customer_id: int) -> str:
        token = make_login_token(self.secret_key, customer_id)
        return f"{self.public_base_url}/portal/login/{token}"
