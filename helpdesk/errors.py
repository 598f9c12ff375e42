"""Domain errors. One Starlette handler turns them into {"code", "message"} replies."""

from __future__ import annotations

from typing import Any


class HelpdeskError(Exception):
    code = "bad_request"
    status = 400
    default_message = "The request could not be processed."

    def __init__(
        self, message: str | None = None, *, code: str | None = None, **details: Any
    ) -> None:
        """`code` names a specific case of this error (the UI translates by code)."""
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        if code is not None:
            self.code = code
        self.details = details


class ConfigurationError(HelpdeskError):
    code = "configuration_error"
    status = 500
    default_message = "Guichet is misconfigured."


class ValidationFailed(HelpdeskError):
    code = "validation_error"
    status = 422
    default_message = "Some fields are invalid."


class MalformedJSON(HelpdeskError):
    code = "malformed_json"
    status = 400
    default_message = "The request body is not valid JSON."


class BodyTooLarge(HelpdeskError):
    code = "body_too_large"
    status = 413
    default_message = "The request body is too large."


class NotAuthenticated(HelpdeskError):
    code = "not_authenticated"
    status = 401
    default_message = "Please log in."


class InvalidCredentials(HelpdeskError):
    code = "invalid_credentials"
    status = 401
    default_message = "Wrong e-mail or password."


class PermissionDenied(HelpdeskError):
    code = "permission_denied"
    status = 403
    default_message = "You are not allowed to do this."


class CSRFFailed(HelpdeskError):
    code = "csrf_failed"
    status = 403
    default_message = "Missing or wrong CSRF token; reload the page."


class RateLimited(HelpdeskError):
    code = "rate_limited"
    status = 429
    default_message = "Too many requests; try again later."


class NotFound(HelpdeskError):
    code = "not_found"
    status = 404
    default_message = "Not found."


class TicketNotFound(NotFound):
    code = "ticket_not_found"
    default_message = "No such ticket."


class CustomerNotFound(NotFound):
    code = "customer_not_found"
    default_message = "No such customer."


class AgentNotFound(NotFound):
    code = "agent_not_found"
    default_message = "No such agent."


class ServiceNotFound(NotFound):
    code = "service_not_found"
    default_message = "No such service."


class MailNotFound(NotFound):
    code = "mail_not_found"
    default_message = "No such mail."


class InvalidTransition(HelpdeskError):
    code = "invalid_transition"
    status = 409
    default_message = "This change is not allowed in the ticket's current state."


class Conflict(HelpdeskError):
    code = "conflict"
    status = 409
    default_message = "The request conflicts with the current state."


class InvalidToken(HelpdeskError):
    code = "invalid_token"
    status = 400
    default_message = "This link is invalid or has expired."


class UnsupportedMediaType(HelpdeskError):
    code = "unsupported_media_type"
    status = 415
    default_message = "Send the body as application/json."
