"""The classifier's flags in the console: shown in the queue and the thread with the words
behind them, filterable, and cleared by an agent who knows better."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from helpdesk.actors import CustomerActor
from helpdesk.mail.links import MailSettings
from helpdesk.models import Ticket
from helpdesk.models.enums import Channel
from helpdesk.screening import Screener
from helpdesk.services.tickets import NewTicket, open_ticket
from tests.browser.conftest import PageWatch, agent_login
from tests.factories import make_agent, make_customer, make_ticket
from tests.support.server import LiveServer

pytestmark = pytest.mark.browser

INSULT = "Bande d'incapables et de connards, je vous emmerde, vous êtes des nuls."


async def test_flagged_ticket_shows_why_and_the_flag_can_be_cleared(
    page: Page, watch: PageWatch, live_server: LiveServer
) -> None:
    customer = await make_customer()
    body = f"Mon site est encore en panne. {INSULT}"
    flagged = await open_ticket(
        CustomerActor(customer),
        customer,
        NewTicket(subject="Encore en panne", body=body, channel=Channel.WEB),
        mail=MailSettings.from_settings(live_server.settings),
        screening=Screener.load(None).screen(body),
    )
    await make_ticket(live_server.settings, subject="Question sur ma facture")
    agent = await make_agent()
    await agent_login(page, agent)

    await page.get_by_label("Signalement").select_option("any")
    await expect(page.locator("tbody tr")).to_have_count(1)
    await expect(page.locator("tbody tr .badge-flag")).to_have_text("⚑ Harcèlement ?")
    await page.get_by_role("link", name="Encore en panne").click()
    screening = page.locator(".msg-screening")
    await expect(screening).to_contain_text("Mots en cause")
    await expect(screening.locator(".msg-screening-words")).to_contain_text("connard")
    await page.get_by_role("button", name="Retirer le signalement").click()
    await expect(page.locator(".ticket-badges .badge-flag")).to_have_count(0)

    await flagged.refresh_from_db()
    assert flagged.screening_flag is None
    assert await Ticket.filter(screening_flag__isnull=False).count() == 0
    watch.assert_clean()
