"""Command line: `python -m helpdesk serve|migrate|create-agent`."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

import uvicorn
from dotenv import load_dotenv

from helpdesk.db import close_orm, init_orm, migrate_database
from helpdesk.errors import HelpdeskError
from helpdesk.mail.links import MailSettings
from helpdesk.models.enums import AgentRole
from helpdesk.settings import Settings, load_settings


async def _prepare(settings: Settings) -> None:
    await migrate_database(settings.database_url)
    if not settings.seed_demo:
        return
    from helpdesk.seed import seed_demo

    await init_orm(settings.database_url)
    try:
        result = await seed_demo(MailSettings.from_settings(settings))
    finally:
        await close_orm()
    if result is None:
        print("Existing database: log in with your account. Lost the admin password? Run")
        print("  .venv/bin/python -m helpdesk set-password admin@guichet.localhost")
    else:
        print("\n" + "=" * 64)
        print("  Demo data created. Admin login (shown only this once):")
        print(f"    e-mail:   {result.admin_email}")
        print(f"    password: {result.admin_password}")
        print("=" * 64)


def _banner(settings: Settings, host: str, port: int) -> None:
    base = f"http://{host}:{port}"
    print("\nGuichet is starting:")
    print(f"  Agent console    {base}/agent/")
    print(f"  Customer portal  {base}/portal/")
    print(f"  API (OpenAPI)    {base}/api/openapi.json")
    if settings.smtp_url is None:
        print(
            f"  Outgoing mail    caught on smtp://{settings.catcher_host}:{settings.catcher_port}"
            f", readable in the console under 'Mailbox'"
        )
    if settings.intake_port is not None:
        print(
            f"  Support intake   smtp://{settings.intake_host}:{settings.intake_port}"
            f" (send mail to {settings.support_address})"
        )
    print()


def serve(args: argparse.Namespace) -> None:
    settings = load_settings()
    asyncio.run(_prepare(settings))
    _banner(settings, args.host, args.port)
    from app import configure_logging

    configure_logging()
    uvicorn.run(
        "app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        proxy_headers=True,
        log_config=None,
    )


def migrate(args: argparse.Namespace) -> None:
    asyncio.run(migrate_database(load_settings().database_url))
    print("database is up to date")


def create_agent(args: argparse.Namespace) -> None:
    from helpdesk.services.people import create_agent as do_create

    password = getpass.getpass("Password (10+ characters): ")
    settings = load_settings()

    async def run() -> None:
        await init_orm(settings.database_url)
        try:
            await do_create(
                args.email, name=args.name, password=password, role=AgentRole(args.role)
            )
        finally:
            await close_orm()

    asyncio.run(run())
    print(f"agent {args.email} created")


def set_password(args: argparse.Namespace) -> None:
    from helpdesk.services.people import set_agent_password

    password = getpass.getpass("New password (10+ characters): ")
    settings = load_settings()

    async def run() -> None:
        await init_orm(settings.database_url)
        try:
            await set_agent_password(args.email, password)
        finally:
            await close_orm()

    asyncio.run(run())
    print(f"password of {args.email} changed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpdesk")
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="migrate, seed demo data if empty, and serve")
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.set_defaults(func=serve)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=migrate)
    p_agent = sub.add_parser("create-agent", help="create an agent account")
    p_agent.add_argument("email")
    p_agent.add_argument("--name", required=True)
    p_agent.add_argument("--role", choices=[r.value for r in AgentRole], default="agent")
    p_agent.set_defaults(func=create_agent)
    p_password = sub.add_parser("set-password", help="set an agent's password (e.g. the admin's)")
    p_password.add_argument("email")
    p_password.set_defaults(func=set_password)
    args = parser.parse_args(argv)
    # A .env file in the working directory (see .env.example) fills in what the environment
    # does not set; the environment always wins.
    load_dotenv(".env", override=False)
    try:
        args.func(args)
    except HelpdeskError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
