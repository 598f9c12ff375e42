"""What routes take from the application state."""

from __future__ import annotations

from starlette.requests import Request

from helpdesk.auth.throttle import Throttle
from helpdesk.mail.links import MailSettings
from helpdesk.screening import Screener
from helpdesk.services.inbound import IntakePolicy
from helpdesk.settings import Settings


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def mail_settings_of(request: Request) -> MailSettings:
    return MailSettings.from_settings(settings_of(request))


def throttle_of(request: Request) -> Throttle:
    throttle: Throttle = request.app.state.throttle
    return throttle


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def screener_of(request: Request) -> Screener:
    screener: Screener = request.app.state.screener
    return screener


def intake_policy_of(request: Request) -> IntakePolicy:
    return IntakePolicy.from_settings(settings_of(request), screener=screener_of(request))
