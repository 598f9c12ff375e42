"""Signed, expiring tokens for customers: portal login links and per-ticket access links."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

from helpdesk.errors import InvalidToken

LOGIN_LINK_MAX_AGE = 3600
TICKET_LINK_MAX_AGE = 90 * 24 * 3600


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"guichet.{purpose}")


def make_login_token(secret_key: str, customer_id: int) -> str:
    return _serializer(secret_key, "portal-login").dumps({"c": customer_id})


def read_login_token(secret_key: str, token: str) -> int:
    try:
        data = _serializer(secret_key, "portal-login").loads(token, max_age=LOGIN_LINK_MAX_AGE)
    except BadSignature as exc:
        raise InvalidToken() from exc
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        raise InvalidToken()
    return int(data["c"])


def make_ticket_token(secret_key: str, *, ticket_id: int, customer_id: int) -> str:
    return _serializer(secret_key, "ticket-link").dumps({"t": ticket_id, "c": customer_id})


def read_ticket_token(secret_key: str, token: str) -> tuple[int, int]:
    """(ticket_id, customer_id) from a ticket link."""
    try:
        data = _serializer(secret_key, "ticket-link").loads(token, max_age=TICKET_LINK_MAX_AGE)
    except BadSignature as exc:
        raise InvalidToken() from exc
    if not isinstance(data, dict):
        raise InvalidToken()
    ticket_id, customer_id = data.get("t"), data.get("c")
    if not isinstance(ticket_id, int) or not isinstance(customer_id, int):
        raise InvalidToken()
    return ticket_id, customer_id
