"""Transport helpers shared by every package's routes: JSON in and out, errors, body limits,
authenticated endpoints, and the route metadata the OpenAPI document is built from."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from tortoise.exceptions import IntegrityError

from helpdesk.actors import AgentActor, CustomerActor
from helpdesk.auth.sessions import check_csrf, session_agent, session_customer
from helpdesk.errors import (
    BodyTooLarge,
    HelpdeskError,
    MalformedJSON,
    PermissionDenied,
    UnsupportedMediaType,
    ValidationFailed,
)
from helpdesk.models.enums import AgentRole

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


def json_response(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def error_body(code: str, message: str, **details: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    body.update(details)
    return body


async def helpdesk_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HelpdeskError)
    if exc.status >= 500:
        logger.error("%s on %s %s", exc.code, request.method, request.url.path)
    return json_response(error_body(exc.code, exc.message, **exc.details), exc.status)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    codes = {404: "not_found", 405: "method_not_allowed"}
    code = codes.get(exc.status_code, "http_error")
    if exc.status_code in (204, 304):
        return Response(status_code=exc.status_code)
    return json_response(error_body(code, str(exc.detail)), exc.status_code)


async def integrity_error_handler(request: Request, exc: Exception) -> Response:
    logger.warning("integrity error on %s %s: %s", request.method, request.url.path, exc)
    return json_response(
        error_body("conflict", "The change conflicts with another one; reload and retry."), 409
    )


async def unexpected_error_handler(request: Request, exc: Exception) -> Response:
    logger.exception("unexpected error on %s %s", request.method, request.url.path)
    return json_response(error_body("internal_error", "Something went wrong on our side."), 500)


EXCEPTION_HANDLERS: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
    HelpdeskError: helpdesk_error_handler,
    HTTPException: http_error_handler,
    IntegrityError: integrity_error_handler,
    Exception: unexpected_error_handler,
}


def _pydantic_errors(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {"field": ".".join(str(p) for p in err["loc"]) or "body", "message": err["msg"]}
        for err in exc.errors(include_url=False, include_input=False)
    ]


async def parse_json(request: Request, model: type[M]) -> M:
    """The request body validated against `model`; a clear 4xx otherwise."""
    content_type = request.headers.get("content-type", "")
    raw = await request.body()
    if not content_type.startswith("application/json"):
        raise UnsupportedMediaType()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedJSON("The request body is not valid UTF-8.") from exc
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise MalformedJSON() from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(errors=_pydantic_errors(exc)) from exc


def parse_query(request: Request, model: type[M], *, lists: Sequence[str] = ()) -> M:
    data: dict[str, Any] = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        data[key] = values if key in lists else values[-1]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(errors=_pydantic_errors(exc)) from exc


def path_int(request: Request, name: str) -> int:
    value = request.path_params[name]
    if isinstance(value, int):
        return value
    raise ValidationFailed(f"{name} must be an integer")


class BodySizeLimit:
    """Refuse bodies over `limit` bytes with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, *, limit: int, overrides: dict[str, int] | None = None):
        self.app = app
        self.limit = limit
        self.overrides = overrides or {}

    def _limit_for(self, path: str) -> int:
        for prefix, limit in self.overrides.items():
            if path.startswith(prefix):
                return limit
        return self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope["path"])
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = False
                if too_big:
                    response = json_response(
                        error_body(BodyTooLarge.code, f"The body is over {limit} bytes."), 413
                    )
                    await response(scope, receive, send)
                    return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(f"The body is over {limit} bytes.")
            return message

        await self.app(scope, limited_receive, send)


class SecurityHeaders:
    """Conservative headers on every HTTP response."""

    HEADERS: ClassVar[list[tuple[bytes, bytes]]] = [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
    ]
    CSP = (
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # The embeddable widget script is served to other sites: no frame/CSP restrictions there.
        is_widget = scope["path"].startswith("/static/widget")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(self.HEADERS if not is_widget else self.HEADERS[:2])
                if not is_widget:
                    headers.append((b"content-security-policy", self.CSP))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


# ---- Route metadata for the OpenAPI document ------------------------------------------------

AgentEndpoint = Callable[[Request, AgentActor], Awaitable[Response]]
CustomerEndpoint = Callable[[Request, CustomerActor], Awaitable[Response]]
PublicEndpoint = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class ApiDoc:
    summary: str
    auth: str  # "agent", "customer" or "public"
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    roles: tuple[AgentRole, ...] = ()
    success_status: int = 200


class ApiRoute(Route):
    """A Starlette Route that also carries its OpenAPI description."""

    def __init__(
        self, path: str, endpoint: PublicEndpoint, *, methods: list[str], doc: ApiDoc
    ) -> None:
        super().__init__(path, endpoint, methods=methods)
        self.doc = doc


def agent_route(
    path: str,
    endpoint: AgentEndpoint,
    *,
    method: str,
    summary: str,
    tag: str,
    roles: tuple[AgentRole, ...] = (),
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    success_status: int = 200,
) -> ApiRoute:
    """An authenticated, role-checked, CSRF-checked agent endpoint."""

    async def wrapper(request: Request) -> Response:
        actor = await session_agent(request)
        if roles and not actor.has_role(*roles):
            raise PermissionDenied()
        check_csrf(request)
        return await endpoint(request, actor)

    doc = ApiDoc(summary, "agent", tag, body, query, roles, success_status)
    return ApiRoute(path, wrapper, methods=[method], doc=doc)


def customer_route(
    path: str,
    endpoint: CustomerEndpoint,
    *,
    method: str,
    summary: str,
    tag: str,
    body: type[BaseModel] | None = None,
    success_status: int = 200,
) -> ApiRoute:
    async def wrapper(request: Request) -> Response:
        actor = await session_customer(request)
        check_csrf(request)
        return await endpoint(request, actor)

    doc = ApiDoc(summary, "customer", tag, body, None, (), success_status)
    return ApiRoute(path, wrapper, methods=[method], doc=doc)


def public_route(
    path: str,
    endpoint: PublicEndpoint,
    *,
    method: str,
    summary: str,
    tag: str,
    body: type[BaseModel] | None = None,
    success_status: int = 200,
) -> ApiRoute:
    doc = ApiDoc(summary, "public", tag, body, None, (), success_status)
    return ApiRoute(path, endpoint, methods=[method], doc=doc)
