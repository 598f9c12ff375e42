"""Mail pages of the console in a real browser: the inbound log and the Mailbox (catcher)."""

from __future__ import annotations

import asyncio
import dataclasses
import smtplib
from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from helpdesk.models import InboundMail, Ticket
from helpdesk.models.enums import AgentRole, InboundOutcome, InboundStatus
from helpdesk.settings import Settings
from tests.browser.conftest import PageWatch, agent_login, open_page, text_of
from tests.factories import make_agent, make_customer, make_ticket
from tests.support.server import LiveServer, start_live_server

pytestmark = pytest.mark.browser


def send_raw(port: int, raw: bytes, *, mail_from: str) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.sendmail(mail_from, ["support@desk.test"], raw)


async def wait_processed(timeout: float = 10.0) -> InboundMail:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        row = await InboundMail.filter(status=InboundStatus.PROCESSED).first()
        if row is not None:
            return row
        assert asyncio.get_running_loop().time() < deadline, "inbound mail not processed"
        await asyncio.sleep(0.05)


async def test_inbound_auto_reply_is_listed_downloadable_and_made_a_ticket(
    page: Page, watch: PageWatch, live_server: LiveServer
) -> None:
    message = EmailMessage()
    message["From"] = "Robot <robot@example.fr>"
    message["To"] = "support@desk.test"
    message["Subject"] = "Absence du bureau <b>jusqu'au 3</b>"
    message["Message-ID"] = "<ooo-1@example.fr>"
    message["Auto-Submitted"] = "auto-replied"
    message.set_content("Je suis absent.\nRéponse automatique.")
    raw = message.as_bytes()
    await asyncio.to_thread(send_raw, live_server.intake_port, raw, mail_from="robot@example.fr")
    inbound = await wait_processed()
    assert inbound.outcome == InboundOutcome.AUTO_REPLY

    agent = await make_agent()
    await agent_login(page, agent)
    await page.get_by_role("link", name="Réception").click()
    row = page.locator("tbody tr")
    await expect(row).to_have_count(1)
    await expect(row.locator("td.subject")).to_have_text("Absence du bureau <b>jusqu'au 3</b>")
    await expect(row).to_contain_text("Réponse automatique")

    async with page.expect_download() as info:
        await page.get_by_role("link", name="Télécharger (.eml)").click()
    download = await info.value
    assert download.suggested_filename == f"inbound-{inbound.id}.eml"
    saved = Path(await download.path())
    assert await asyncio.to_thread(saved.read_bytes) == inbound.raw_bytes

    await page.get_by_role("button", name="En faire un ticket").click()
    await expect(page.locator("main .alert-success")).to_contain_text("créé")
    await inbound.refresh_from_db()
    assert inbound.ticket_id is not None
    ticket = await Ticket.get(id=inbound.ticket_id)
    await expect(page.locator("main .alert-success")).to_have_text(f"Ticket {ticket.number} créé.")
    await expect(row).to_contain_text("Ticket créé")
    await expect(page.get_by_role("button", name="En faire un ticket")).to_have_count(0)
    await page.get_by_role("link", name="Réception").click()
    await page.get_by_label("Résultat").select_option("bounce")
    await expect(page.locator(".empty")).to_have_text("Aucun e-mail reçu.")
    watch.assert_clean()


@pytest.fixture
async def catcher_server(settings: Settings) -> AsyncIterator[LiveServer]:
    """The app with no SMTP server configured: outgoing mail lands in the embedded catcher."""
    server = await start_live_server(dataclasses.replace(settings, smtp_url=None))
    yield server
    await server.stop()


async def test_mailbox_lists_caught_mail_and_reads_one(
    browser: Browser, watch: PageWatch, catcher_server: LiveServer
) -> None:
    customer = await make_customer(email="dora@example.fr")
    subject = "Ma facture d'août 💶 <script>alert(1)</script>"
    ticket = await make_ticket(catcher_server.settings, customer=customer, subject=subject)
    agent = await make_agent(role=AgentRole.ADMIN)

    async with open_page(browser, catcher_server.base_url, watch) as page:
        await agent_login(page, agent)
        await page.get_by_role("link", name="Boîte de test").click()
        link = page.locator("tbody td.subject a")
        await expect(link).to_have_count(1, timeout=10_000)
        await expect(link).to_contain_text(ticket.number)
        await link.click()

        heading = page.locator("h1 .user-text")
        await expect(heading).to_contain_text(subject)
        assert await text_of(heading) == f"[{ticket.number}] {subject}"
        await expect(page.locator(".facts")).to_contain_text("dora@example.fr")
        await expect(page.locator(".mail-text")).to_contain_text(ticket.number)
        await page.get_by_text("Source complète").click()
        await expect(page.locator("pre.raw")).to_contain_text("Subject:")
        assert await page.locator("main script, main img").count() == 0
    watch.assert_clean()
