"""Headless Chromium (Debian's /usr/bin/chromium) driving the real pages over a real uvicorn.

One browser per test: Playwright objects belong to the event loop that made them, and every
test (and the live server) runs on its own loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.async_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Locator,
    Page,
    async_playwright,
    expect,
)

from helpdesk.models import Agent
from tests.factories import PASSWORD
from tests.support.server import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class PageWatch:
    """What the page did that a test must see: script errors, CSP violations, dialogs."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"
        assert self.errors == [], f"page errors: {self.errors}"


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt install chromium)")
    return CHROMIUM


@pytest.fixture
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@asynccontextmanager
async def open_page(browser: Browser, base_url: str, watch: PageWatch) -> AsyncIterator[Page]:
    """A fresh browser context on `base_url` (French locale) that reports into `watch`."""
    context = await browser.new_context(
        base_url=base_url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = await context.new_page()
    page.on("pageerror", lambda error: watch.errors.append(str(error)))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            watch.errors.append(message.text)

    async def on_dialog(dialog: Dialog) -> None:
        watch.dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("console", on_console)
    page.on("dialog", on_dialog)
    try:
        yield page
    finally:
        await context.close()


@pytest.fixture
async def page(browser: Browser, live_server: LiveServer, watch: PageWatch) -> AsyncIterator[Page]:
    async with open_page(browser, live_server.base_url, watch) as page:
        yield page


async def agent_login(page: Page, agent: Agent) -> None:
    """Log in through the console's form (French labels: the default)."""
    await page.goto("/agent/")
    await page.get_by_label("Adresse e-mail").fill(agent.email)
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("File des tickets")


async def text_of(locator: Locator) -> str:
    """The exact DOM textContent (no whitespace normalisation)."""
    value = await locator.evaluate("node => node.textContent")
    assert isinstance(value, str)
    return value
