"""The customer portal in a real browser: sign-in links, my own tickets only, writing."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from helpdesk.mail.links import MailSettings
from helpdesk.models import Customer, Message, Ticket
from helpdesk.models.enums import AuthorKind, Language
from helpdesk.settings import Settings
from tests.browser.conftest import PageWatch, text_of
from tests.factories import make_customer, make_service, make_ticket
from tests.support.server import LiveServer
from tests.support.smtp import SMTPSink

pytestmark = pytest.mark.browser


def local_link(link: str, settings: Settings, live_server: LiveServer) -> str:
    assert link.startswith(settings.public_base_url), link
    return live_server.base_url + link.removeprefix(settings.public_base_url)


async def test_customer_signs_in_by_link_sees_only_their_tickets_and_writes(
    page: Page, watch: PageWatch, live_server: LiveServer, settings: Settings
) -> None:
    customer = await make_customer(email="bea@example.fr")
    other = await make_customer(email="other@example.fr")
    mine = await make_ticket(settings, customer=customer, subject="Mon site est lent")
    await make_ticket(settings, customer=other, subject="Secret d'un autre client")
    link = MailSettings.from_settings(settings).login_link(customer.id)

    await page.goto(local_link(link, settings, live_server))

    await expect(page.get_by_role("heading", level=1)).to_have_text("Mes demandes")
    await expect(page.locator(".request")).to_have_count(1)
    await expect(page.locator(".request-subject")).to_have_text("Mon site est lent")
    await expect(page.get_by_text("Secret d'un autre client")).to_have_count(0)
    await expect(page.locator("#whoami")).to_have_text("bea@example.fr")

    await page.get_by_role("link", name=re.compile("Mon site est lent")).click()
    await expect(page.locator("li[data-kind='customer'] .msg-body")).to_have_text(
        "Bonjour, mon site ne répond plus."
    )
    message = "Toujours lent ce matin.\nMerci de regarder."
    await page.get_by_label("Votre message").fill(message)
    await page.get_by_role("button", name="Envoyer", exact=True).click()
    shown = page.locator("li[data-kind='customer'] .msg-body")
    await expect(shown).to_have_count(2)
    assert await text_of(shown.nth(1)) == message
    stored = await Message.filter(ticket_id=mine.id, author_kind=AuthorKind.CUSTOMER).order_by("id")
    assert [m.body for m in stored][-1] == message

    await page.get_by_role("button", name="Se déconnecter").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Accéder à vos demandes")
    await page.goto(f"/portal/#/tickets/{mine.id}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Accéder à vos demandes")
    watch.assert_clean()


async def test_another_customers_ticket_is_not_shown(
    page: Page, watch: PageWatch, live_server: LiveServer, settings: Settings
) -> None:
    customer = await make_customer()
    theirs = await make_ticket(settings, subject="Pas à vous")
    link = MailSettings.from_settings(settings).login_link(customer.id)
    await page.goto(local_link(link, settings, live_server))
    await expect(page.locator(".empty")).to_have_text("Vous n'avez encore aucune demande.")

    await page.goto(f"/portal/#/tickets/{theirs.id}")
    await expect(page.get_by_role("alert")).to_have_text("Ticket introuvable.")
    await expect(page.get_by_text("Pas à vous")).to_have_count(0)
    watch.assert_clean()


async def test_sign_in_link_requested_from_the_page_arrives_and_works(
    page: Page,
    watch: PageWatch,
    live_server: LiveServer,
    settings: Settings,
    smtp_sink: SMTPSink,
) -> None:
    await make_customer(email="chloe@example.fr")
    await page.goto("/portal/")
    await page.get_by_label("Adresse e-mail").fill("chloe@example.fr")
    await page.get_by_role("button", name="Recevoir un lien de connexion").click()
    await expect(page.locator(".alert-success")).to_contain_text("C'est envoyé.")

    [mail] = await smtp_sink.wait_for(1)
    assert mail.rcpt_tos == ["chloe@example.fr"]
    found = re.search(re.escape(settings.public_base_url) + r"/portal/login/\S+", mail.text)
    assert found, mail.text
    await page.goto(local_link(found.group(0), settings, live_server))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mes demandes")

    await page.get_by_role("link", name="Nouvelle demande").click()
    await page.get_by_label("Sujet", exact=True).fill("Nom de domaine à transférer")
    await page.get_by_label("Votre message").fill("Bonjour,\nje souhaite transférer mon domaine.")
    await page.get_by_role("button", name="Envoyer la demande").click()
    await expect(page.locator("h1")).to_contain_text("Nom de domaine à transférer")
    await expect(page.locator(".badge-status-new")).to_have_text("Reçue")
    chloe = await Customer.get(email="chloe@example.fr")
    assert await chloe.tickets.all().count() == 1  # type: ignore[attr-defined]
    watch.assert_clean()


async def test_bad_link_explains_and_offers_a_new_one(
    page: Page, watch: PageWatch, live_server: LiveServer
) -> None:
    await page.goto("/portal/login/not-a-real-token")
    await expect(page.get_by_role("alert")).to_contain_text("invalide ou a expiré")
    assert "error=" not in page.url
    watch.assert_clean()


async def test_portal_language_follows_the_customer_and_can_be_switched(
    page: Page, watch: PageWatch, live_server: LiveServer, settings: Settings
) -> None:
    customer = await make_customer(language=Language.EN)
    await make_ticket(settings, customer=customer, subject="Hello")
    link = MailSettings.from_settings(settings).login_link(customer.id)
    await page.goto(local_link(link, settings, live_server))

    await expect(page.get_by_role("heading", level=1)).to_have_text("My requests")
    await expect(page.locator(".badge-status-new")).to_have_text("Received")
    await page.get_by_role("button", name="FR", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mes demandes")
    await expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    await page.reload()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mes demandes")
    watch.assert_clean()


async def test_hostile_strings_show_as_text_in_the_portal(
    page: Page, watch: PageWatch, live_server: LiveServer, settings: Settings
) -> None:
    hostile = (
        "<script>alert(1)</script><img src=x onerror=alert(1)> \u202eevil\u202c "
        "\u200b\U0001f600 \x07\x1b[0m"
    )
    customer = await make_customer()
    ticket = await make_ticket(settings, customer=customer, subject=hostile, body=hostile + "\n2")
    link = MailSettings.from_settings(settings).login_link(customer.id)
    await page.goto(local_link(link, settings, live_server))

    subject = page.locator(".request-subject")
    await expect(subject).to_have_count(1)
    assert await text_of(subject) == hostile
    await page.goto(f"/portal/#/tickets/{ticket.id}")
    body = page.locator("li[data-kind='customer'] .msg-body")
    await expect(body).to_have_count(1)
    assert await text_of(body) == hostile + "\n2"
    assert await page.locator("main img, main script").count() == 0
    watch.assert_clean()


async def test_new_request_can_name_the_service_concerned(
    page: Page, watch: PageWatch, live_server: LiveServer, settings: Settings
) -> None:
    customer = await make_customer(email="hugo@example.fr")
    service = await make_service(customer, domain="hugo-photo.example.fr")
    link = MailSettings.from_settings(settings).login_link(customer.id)
    await page.goto(local_link(link, settings, live_server))

    await page.get_by_role("link", name="Nouvelle demande").click()
    await page.get_by_label("Service concerné").select_option(str(service.id))
    await page.get_by_label("Sujet", exact=True).fill("Certificat expiré")
    await page.get_by_label("Votre message").fill("Le certificat de mon site a expiré.")
    await page.get_by_role("button", name="Envoyer la demande").click()
    await expect(page.locator(".badge-status-new")).to_have_text("Reçue")

    ticket = await Ticket.get(customer_id=customer.id)
    assert ticket.service_id == service.id
    watch.assert_clean()
