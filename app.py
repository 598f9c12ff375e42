"""Guichet's ASGI application: Starlette routes, lifespan (ORM, mail servers, workers)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from helpdesk import events
from helpdesk.auth.throttle import Throttle
from helpdesk.db import close_orm, init_orm
from helpdesk.mail.catcher import CatcherHandler
from helpdesk.mail.delivery import OutboxWorker
from helpdesk.mail.intake import InboundWorker, IntakeHandler
from helpdesk.mail.smtp_server import bound_port, start_smtp_server
from helpdesk.mail.smtp_url import SMTPTarget, parse_smtp_url
from helpdesk.openapi import build_openapi
from helpdesk.routes import auth as auth_routes
from helpdesk.routes import customers as customer_routes
from helpdesk.routes import mail as mail_routes
from helpdesk.routes import portal as portal_routes
from helpdesk.routes import tickets as ticket_routes
from helpdesk.screening import Screener
from helpdesk.services.inbound import IntakePolicy
from helpdesk.settings import Settings, load_settings
from helpdesk.web import EXCEPTION_HANDLERS, BodySizeLimit, SecurityHeaders

logger = logging.getLogger("guichet")

STATIC_DIR = Path(__file__).resolve().parent / "static"
VERSION = "0.1.0"


def configure_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _page(relative: str) -> Route:
    path = STATIC_DIR / relative

    async def endpoint(request: Request) -> Response:
        return FileResponse(path, media_type="text/html; charset=utf-8")

    return Route("/" + relative.removesuffix("index.html"), endpoint, methods=["GET"])


async def _redirect_home(request: Request) -> Response:
    return RedirectResponse("/agent/", status_code=307)


async def _health(request: Request) -> Response:
    return JSONResponse({"ok": True, "version": VERSION})


def _routes() -> list[BaseRoute]:
    api: list[BaseRoute] = [
        *auth_routes.routes,
        *ticket_routes.routes,
        *customer_routes.routes,
        *mail_routes.routes,
        *portal_routes.routes,
    ]

    async def openapi(request: Request) -> Response:
        return JSONResponse(build_openapi(api, title="Guichet API", version=VERSION))

    return [
        Route("/", _redirect_home, methods=["GET"]),
        Route("/healthz", _health, methods=["GET"]),
        Route("/api/openapi.json", openapi, methods=["GET"]),
        _page("agent/index.html"),
        _page("portal/index.html"),
        *api,
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]


@asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    await init_orm(settings.database_url)
    events.clear_subscribers()
    app.state.throttle = Throttle.from_url(settings.rate_limit_storage_url)
    screener = await asyncio.to_thread(Screener.load, settings.classifier_path)
    app.state.screener = screener
    servers: list[asyncio.AbstractServer] = []
    tasks: list[asyncio.Task[None]] = []
    try:
        if settings.smtp_url:
            target = parse_smtp_url(settings.smtp_url)
        else:
            catcher = await start_smtp_server(
                CatcherHandler(),
                host=settings.catcher_host,
                port=settings.catcher_port,
                data_size_limit=settings.max_mail_bytes,
                ident="Guichet mail catcher",
            )
            servers.append(catcher)
            target = SMTPTarget(host=settings.catcher_host, port=bound_port(catcher))
            app.state.catcher_port = target.port
        outbox = OutboxWorker(
            target,
            mail_from=settings.mail_from,
            reply_to=settings.support_address,
            poll_seconds=settings.worker_poll_seconds,
            max_attempts=settings.outbox_max_attempts,
            backoff_seconds=settings.outbox_backoff_seconds,
        )
        inbound = InboundWorker(
            IntakePolicy.from_settings(settings, screener=screener),
            poll_seconds=settings.worker_poll_seconds,
        )
        app.state.outbox_worker = outbox
        app.state.inbound_worker = inbound
        if settings.intake_port is not None:
            intake = await start_smtp_server(
                IntakeHandler(on_stored=inbound.wake),
                host=settings.intake_host,
                port=settings.intake_port,
                data_size_limit=settings.max_mail_bytes,
                ident="Guichet intake",
            )
            servers.append(intake)
            app.state.intake_port = bound_port(intake)
        if settings.run_workers:

            async def wake_outbox(event: events.DomainEvent) -> None:
                outbox.wake()

            events.subscribe(events.OUTBOX_QUEUED, wake_outbox)
            tasks.append(asyncio.create_task(outbox.run(), name="outbox-worker"))
            tasks.append(asyncio.create_task(inbound.run(), name="inbound-worker"))
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for server in servers:
            server.close()
            await server.wait_closed()
        events.clear_subscribers()
        await close_orm()


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or load_settings()
    app = Starlette(
        routes=_routes(),
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                BodySizeLimit,
                limit=settings.max_body_bytes,
            ),
            Middleware(
                SessionMiddleware,
                secret_key=settings.secret_key,
                session_cookie="guichet_session",
                max_age=settings.session_max_age_seconds,
                same_site="lax",
                https_only=settings.cookie_secure,
            ),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    return app
