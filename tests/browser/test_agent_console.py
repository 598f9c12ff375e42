"""The agent console in a real browser: log in, work a ticket, hostile text, languages, mail."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from helpdesk.models import Message, OutboxMail
from helpdesk.models.enums import Language, OutboxStatus, TicketStatus, Visibility
from helpdesk.services import people
from tests.browser.conftest import PageWatch, agent_login, text_of
from tests.factories import PASSWORD, make_agent, make_customer, make_service, make_ticket
from tests.support.server import LiveServer
from tests.support.smtp import SMTPSink

pytestmark = pytest.mark.browser


async def test_agent_replies_from_the_queue_and_the_customer_gets_the_mail(
    page: Page, watch: PageWatch, live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    agent = await make_agent(name="Camille")
    customer = await make_customer(email="alice@example.fr", name="Alice Dupont")
    ticket = await make_ticket(live_server.settings, customer=customer, subject="Site en panne")
    await smtp_sink.wait_for(1)  # the acknowledgement

    await agent_login(page, agent)
    await page.get_by_role("link", name="Site en panne").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(ticket.number)
    reply = "Bonjour Alice,\nle site répond de nouveau. Bonne journée !"
    await page.get_by_label("Réponse (envoyée par e-mail au client)").fill(reply)
    await page.get_by_role("button", name="Envoyer", exact=True).click()

    mails = await smtp_sink.wait_for(2)
    assert mails[-1].rcpt_tos == ["alice@example.fr"]
    assert "le site répond de nouveau" in mails[-1].text
    shown = page.locator("li[data-kind='agent'] .msg-body")
    await expect(shown).to_have_count(1)
    assert await text_of(shown) == reply
    assert await page.get_by_label("Réponse (envoyée par e-mail au client)").input_value() == ""
    watch.assert_clean()


HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> "
    "\u202eevil.exe\u202c \u200bzero\u200bwidth \U0001f600\U0001f1eb\U0001f1f7 "
    "\x07bell \x1b[31mred\x1b[0m \x7fdel & &amp; \"quotes\" 'apos'"
)


async def test_hostile_strings_show_as_text_in_the_queue_and_the_thread(
    page: Page, watch: PageWatch, live_server: LiveServer
) -> None:
    agent = await make_agent()
    body = HOSTILE + "\r\nsecond line\n\tindented </textarea><b>bold</b>"
    ticket = await make_ticket(live_server.settings, subject=HOSTILE, body=body)
    [stored] = await Message.filter(ticket_id=ticket.id)

    await agent_login(page, agent)
    row_link = page.locator(f"a[href='#/tickets/{ticket.id}'] .user-text")
    assert await text_of(row_link) == HOSTILE
    await row_link.click()

    subject = page.locator("h1 .ticket-subject")
    await expect(subject).to_be_visible()
    assert await text_of(subject) == HOSTILE
    shown = page.locator("li[data-kind='customer'] .msg-body")
    assert await text_of(shown) == stored.body == body
    assert await page.locator("main img, main script, main b").count() == 0
    white_space = await shown.evaluate("node => getComputedStyle(node).whiteSpace")
    assert white_space == "pre-wrap"

    # The same strings typed by an agent as an internal note come back as text too.
    await page.get_by_role("radio", name="Note interne").check()
    await page.get_by_label("Note interne (jamais visible du client)").fill(HOSTILE)
    await page.get_by_role("button", name="Ajouter la note").click()
    note = page.locator("li[data-kind='internal'] .msg-body")
    await expect(note).to_have_count(1)
    assert await text_of(note) == HOSTILE
    assert await page.locator("main img, main script").count() == 0
    watch.assert_clean()


async def test_ticket_properties_tags_and_note_from_the_sidebar(
    page: Page, watch: PageWatch, live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    agent = await make_agent(name="Dominique")
    ticket = await make_ticket(live_server.settings, subject="Facture en double")
    await smtp_sink.wait_for(1)
    await agent_login(page, agent)
    await page.goto(f"/agent/#/tickets/{ticket.id}")

    await page.get_by_label("Priorité").select_option("urgent")
    await expect(page.locator(".ticket-badges .badge-priority-urgent")).to_be_visible()
    await page.get_by_role("button", name="M'assigner").click()
    await expect(page.get_by_label("Assigné à")).to_have_value(str(agent.id))
    await page.get_by_label("Nouvelle étiquette").fill("Facturation")
    await page.get_by_role("button", name="Ajouter", exact=True).click()
    await expect(page.locator(".tag-list .tag")).to_have_text(["facturation×"])
    await page.get_by_role("radio", name="Note interne").check()
    await page.get_by_label("Note interne (jamais visible du client)").fill("Vu avec la compta.")
    await page.get_by_role("button", name="Ajouter la note").click()
    await expect(page.locator("li[data-kind='internal'] .msg-body")).to_have_text(
        "Vu avec la compta."
    )
    await page.get_by_label("Réponse (envoyée par e-mail au client)").count()
    await page.get_by_role("radio", name="Réponse au client").check()
    await page.get_by_label("Réponse (envoyée par e-mail au client)").fill("C'est corrigé.")
    await page.get_by_role("button", name="Envoyer et résoudre").click()
    await expect(page.locator(".ticket-badges .badge-status-resolved")).to_be_visible()

    await page.locator("details.audit summary").click()
    await expect(page.locator(".audit-list")).to_contain_text("Ticket modifié")

    await ticket.refresh_from_db()
    await ticket.fetch_related("tags")
    assert ticket.status == TicketStatus.RESOLVED
    assert ticket.assignee_id == agent.id
    assert [t.name for t in ticket.tags] == ["facturation"]
    notes = await Message.filter(ticket_id=ticket.id, visibility=Visibility.INTERNAL)
    assert [n.body for n in notes] == ["Vu avec la compta."]
    mails = await smtp_sink.wait_for(2)
    assert "Vu avec la compta" not in "".join(m.text for m in mails)
    watch.assert_clean()


async def test_api_error_message_is_shown_when_a_merge_is_refused(
    page: Page, watch: PageWatch, live_server: LiveServer
) -> None:
    agent = await make_agent()
    ticket = await make_ticket(live_server.settings, subject="Premier")
    other = await make_ticket(live_server.settings, subject="D'un autre client")
    await agent_login(page, agent)
    await page.goto(f"/agent/#/tickets/{ticket.id}")

    await page.get_by_label("Fusionner dans le ticket").fill(other.number)
    await page.get_by_role("button", name="Fusionner", exact=True).click()
    await page.get_by_role("button", name="Confirmer").click()

    await expect(page.locator("main .alert-error")).to_have_text(
        "Seuls les tickets d'un même client peuvent être fusionnés."
    )
    await ticket.refresh_from_db()
    assert ticket.merged_into_id is None
    watch.assert_clean()


async def test_merge_by_number_moves_to_the_target_ticket(
    page: Page, watch: PageWatch, live_server: LiveServer
) -> None:
    agent = await make_agent()
    customer = await make_customer()
    source = await make_ticket(live_server.settings, customer=customer, subject="Doublon")
    target = await make_ticket(live_server.settings, customer=customer, subject="Original")
    await agent_login(page, agent)
    await page.goto(f"/agent/#/tickets/{source.id}")

    await page.get_by_label("Fusionner dans le ticket").fill(target.number)
    await page.get_by_role("button", name="Fusionner", exact=True).click()
    await page.get_by_role("button", name="Confirmer").click()

    await expect(page.locator("h1 .ticket-subject")).to_have_text("Original")
    await expect(page.locator("li[data-kind='system'] .msg-body")).to_contain_text(source.number)
    await source.refresh_from_db()
    assert source.merged_into_id == target.id
    watch.assert_clean()


async def test_language_defaults_to_the_agents_and_the_switch_is_remembered(
    page: Page, watch: PageWatch, live_server: LiveServer
) -> None:
    agent = await people.create_agent(
        "jo@desk.test", name="Jo", password=PASSWORD, language=Language.EN
    )
    await make_ticket(live_server.settings, subject="Bonjour")
    await page.goto("/agent/")
    await page.get_by_label("Adresse e-mail").fill(agent.email)
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()

    heading = page.get_by_role("heading", level=1)
    await expect(heading).to_have_text("Ticket queue")  # the agent's language
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_role("link", name="Customers")).to_be_visible()

    await page.get_by_role("button", name="FR", exact=True).click()
    await expect(heading).to_have_text("File des tickets")
    await expect(page.locator("html")).to_have_attribute("lang", "fr")
    await expect(page.get_by_role("button", name="FR", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    await expect(page.locator("tbody .badge-status-new")).to_have_text("Nouveau")

    await page.reload()
    await expect(heading).to_have_text("File des tickets")  # the choice is remembered
    await page.get_by_role("button", name="EN", exact=True).click()
    await expect(heading).to_have_text("Ticket queue")
    watch.assert_clean()


async def test_queue_filters_search_and_counts(
    page: Page, watch: PageWatch, live_server: LiveServer
) -> None:
    agent = await make_agent()
    await make_ticket(live_server.settings, subject="Certificat SSL expiré")
    await make_ticket(live_server.settings, subject="Base de données lente")
    await agent_login(page, agent)
    await expect(page.locator(".queue-count")).to_have_text("2 ticket(s)")

    await page.get_by_label("Recherche").fill("SSL")
    await page.get_by_label("Recherche").press("Enter")
    await expect(page.locator("tbody tr")).to_have_count(1)
    await expect(page.locator("tbody td.subject")).to_have_text("Certificat SSL expiré")
    assert "q=SSL" in page.url

    await page.get_by_role("button", name="Réinitialiser").click()
    await expect(page.locator("tbody tr")).to_have_count(2)
    await page.get_by_label("Assigné à").select_option("me")
    await expect(page.locator(".empty")).to_have_text("Aucun ticket ne correspond à ces filtres.")
    await expect(page.locator(".filter-status label", has_text="Nouveau")).to_contain_text("(0)")
    watch.assert_clean()


async def test_failed_mail_is_flagged_in_the_nav_and_can_be_retried(
    page: Page, watch: PageWatch, live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    smtp_sink.reply = "550 mailbox unavailable"
    agent = await make_agent()
    await make_ticket(live_server.settings, subject="Accusé qui échoue")
    for _ in range(100):
        if await OutboxMail.filter(status=OutboxStatus.FAILED).exists():
            break
        await page.wait_for_timeout(50)
    smtp_sink.reply = "250 OK"

    await agent_login(page, agent)
    badge = page.locator("#failed-badge")
    await expect(badge).to_have_text("1")
    await expect(badge).to_have_attribute("aria-label", "1 e-mail(s) en échec")
    await expect(page.locator("#failed-banner")).to_be_visible()

    await page.get_by_role("link", name="Voir les envois en échec").click()
    await expect(page.locator("tbody tr")).to_have_count(1)
    await expect(page.locator("tbody")).to_contain_text("550")
    await page.get_by_role("button", name="Renvoyer").click()
    await expect(page.locator("main .alert-success")).to_have_text("E-mail remis en file d'envoi.")
    [mail] = await smtp_sink.wait_for(1)
    assert "Accusé qui échoue" in mail.message["Subject"]
    await expect(badge).to_be_hidden()
    watch.assert_clean()


async def test_logout_returns_to_the_login_form(
    page: Page, watch: PageWatch, live_server: LiveServer
) -> None:
    agent = await make_agent()
    await agent_login(page, agent)
    await page.get_by_role("button", name="Déconnexion").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à la console")
    await page.goto("/agent/#/customers")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à la console")
    watch.assert_clean()


async def test_wrong_password_shows_the_apis_message(
    page: Page, watch: PageWatch, live_server: LiveServer
) -> None:
    agent = await make_agent()
    await page.goto("/agent/")
    await page.get_by_label("Adresse e-mail").fill(agent.email)
    await page.get_by_label("Mot de passe").fill("not the password")
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page.get_by_role("alert")).to_have_text("E-mail ou mot de passe incorrect.")
    watch.assert_clean()


async def test_customer_search_shows_services_and_opens_a_ticket_for_them(
    page: Page, watch: PageWatch, live_server: LiveServer, smtp_sink: SMTPSink
) -> None:
    agent = await make_agent()
    customer = await make_customer(email="eve@example.fr", name="Ève Martin")
    await make_service(customer, domain="eve-martin.fr", ip="192.0.2.10")
    await make_customer(email="zoe@example.com", name="Zoé Petit")
    await agent_login(page, agent)

    await page.get_by_role("link", name="Clients").click()
    await page.get_by_label("Nom, e-mail ou société").fill("martin")
    await page.get_by_label("Nom, e-mail ou société").press("Enter")
    await expect(page.locator("tbody tr")).to_have_count(1)
    await page.get_by_role("link", name="Ève Martin").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ève Martin")
    await expect(page.locator("table").first).to_contain_text("eve-martin.fr")
    await expect(page.locator("table").first).to_contain_text("Hébergement mutualisé")

    await page.get_by_role("link", name="Nouveau ticket").last.click()
    await expect(page.get_by_label("E-mail du client")).to_have_value("eve@example.fr")
    await page.get_by_label("Sujet").fill("   ")
    await page.get_by_label("Message du client").fill("Appel de 10h.")
    await page.get_by_role("button", name="Ouvrir le ticket").click()
    await expect(page.get_by_role("alert")).to_contain_text("subject")
    await expect(page.get_by_label("Sujet")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("Sujet")).to_be_focused()

    await page.get_by_label("Sujet").fill("Appel : migration de la base")
    await page.get_by_label("Message du client").fill("Appel de 10h.\nMigration MySQL 8.")
    await page.get_by_label("Priorité").select_option("high")
    await page.get_by_role("button", name="Ouvrir le ticket").click()

    await expect(page.locator("h1 .ticket-subject")).to_have_text("Appel : migration de la base")
    await expect(page.locator(".ticket-badges")).to_contain_text("Téléphone")
    await expect(page.locator(".ticket-badges .badge-priority-high")).to_be_visible()
    watch.assert_clean()
