"""A message in its recipient's language: the words from the catalogue, days, moments and amounts in the
language's regional format, in the recipient's zone, with plural forms where a count appears."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from prm_app.mail.rules import TEMPLATES, render, shown
from prm_app.platform.i18n import LANGUAGES, Amount, Words, catalogue

INVITE = {
    "name": "Casey",
    "inviter": "Dana",
    "organization": "Northwind",
    "role": Words("mail.role.partner_user"),
    "link": "https://prm.example/invite/abc",
    "expires": datetime(2030, 1, 22, 9, 5, tzinfo=UTC),
}
RESET = {"name": "Kim", "link": "https://prm.example/reset-password/xyz", "minutes": 60}
MOMENT = datetime(2028, 3, 31, 12, 5, tzinfo=UTC)


def test_an_invitation_in_german_with_the_day_in_german_and_the_recipients_zone():
    mail = render("invitation", INVITE, "de", "Europe/Berlin")
    assert mail.subject == "Dana hat Sie zu Northwind auf Open PRM eingeladen"
    assert "Hallo Casey," in mail.text
    assert "Dana hat Sie eingeladen, Northwind auf Open PRM als Partner-Benutzer beizutreten." in mail.text
    assert "bis 22. Januar 2030, 10:05 CET." in mail.text  # 09:05 UTC is 10:05 in Berlin in winter
    assert '<a href="https://prm.example/invite/abc">Einladung annehmen</a>' in mail.html
    assert '<html lang="de">' in mail.html


def test_the_same_invitation_in_english_is_as_it_always_was():
    mail = render("invitation", INVITE)
    assert mail.subject == "Dana invited you to Northwind on Open PRM"
    assert "join Northwind on Open PRM as partner user." in mail.text
    assert "22 Jan 2030, 09:05 UTC" in mail.text and '<html lang="en">' in mail.html


@pytest.mark.parametrize(
    ("language", "subject", "sentence"),
    [
        ("en", "Reset your Open PRM password", "It works once, for 60 minutes."),
        ("de", "Setzen Sie Ihr Open-PRM-Passwort zurück", "Er funktioniert einmal, 60 Minuten lang."),
        ("fr", "Réinitialisez votre mot de passe Open PRM", "Il fonctionne une seule fois, pendant 60 minutes."),
        ("es", "Restablezca su contraseña de Open PRM", "Funciona una sola vez, durante 60 minutos."),
        ("ja", "Open PRM のパスワードの再設定", "リンクは 60 分間、1 回だけ使えます。"),
    ],
)
def test_a_password_reset_in_each_language(language, subject, sentence):
    mail = render("password_reset", RESET, language)
    assert mail.subject == subject
    assert sentence in mail.text and RESET["link"] in mail.text


def test_the_count_picks_the_plural_form():
    assert "for 1 minute." in render("password_reset", {**RESET, "minutes": 1}).text
    assert "1 Minute lang." in render("password_reset", {**RESET, "minutes": 1}, "de").text
    assert "pendant 1 minute." in render("password_reset", {**RESET, "minutes": 1}, "fr").text
    ending = Words("notice.protection_ending", {"customer": "Hooli", "ends": MOMENT}, count=1)
    assert shown(ending, "de").startswith("Der Schutz für Hooli endet in 1 Tag (")
    assert shown(Words("notice.protection_ending", {"customer": "Hooli", "ends": MOMENT}, count=3), "es").startswith(
        "La protección de Hooli termina dentro de 3 días ("
    )


def test_days_moments_and_amounts_follow_the_readers_region():
    amount = Amount(Decimal("1234.56"), "EUR")
    assert shown(amount) == "1,234.56 EUR"
    assert shown(amount, "de") == "1.234,56\xa0€"
    assert shown(amount, "fr") == "1\u202f234,56\xa0€"
    assert shown(date(2028, 3, 31), "de") == "31. März 2028"
    assert shown(date(2028, 3, 31), "ja") == "2028年3月31日"
    assert shown(MOMENT) == "31 Mar 2028, 12:05 UTC"
    assert shown(MOMENT, "de", "Europe/Berlin") == "31. März 2028, 14:05 CEST"
    assert shown(MOMENT, "en", "Asia/Dubai") == "31 Mar 2028, 16:05 UTC+04"  # a zone without letters


def test_a_notice_sentence_is_said_in_the_readers_language_with_its_values():
    approved = Words(
        "notice.deal_approved",
        {"customer": "Hooli", "until": MOMENT, "amount": Amount(Decimal("48500"), "EUR")},
    )
    assert shown(approved) == (
        "Registration for Hooli approved: protected until 31 Mar 2028, 12:05 UTC. Registered value: 48,500.00 EUR."
    )
    assert shown(approved, "de", "Europe/Berlin") == (
        "Registrierung für Hooli genehmigt: geschützt bis 31. März 2028, 14:05 CEST. "
        "Registrierter Wert: 48.500,00\xa0€."
    )
    notice = {"subject": "s", "message": shown(approved, "fr"), "link": "https://prm.example/deals/1"}
    mail = render("notice", {**notice, "name": "Léa", "preferences": "https://prm.example/account"}, "fr")
    assert "Bonjour Léa," in mail.text and "Enregistrement pour Hooli approuvé" in mail.text
    assert "L'ouvrir dans Open PRM" in mail.text and "paramètres de notification" in mail.text


def test_every_template_has_its_words_in_every_language():
    """Each key a template names exists in English (the catalogue's missing-keys test covers the others)."""
    english = catalogue("en").messages
    for template in TEMPLATES.values():
        parts = [*template.paragraphs, "subject"]
        parts += ["action"] if template.action else []
        parts += ["footer"] if template.footer else []
        for part in parts:
            assert template.key(part) in english, template.key(part)
    for language in LANGUAGES:
        assert render("password_reset", RESET, language).text.strip()
