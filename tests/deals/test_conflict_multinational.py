"""Multinational customers in conflict detection (issue #18): one group's country sites (brand.de, brand.co.jp) and
its group and local entities ("Brand Group Corporation", "Brand Deutschland GmbH") are one customer to review;
different companies sharing a word, a generic or short domain label, or a free-mail host are not. Pure rules
first (matching.multinational and rules.assess, reasons word for word), then the database side: brand keys find
the other country's registration, the backfill files existing records under them, the review queue counts them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, delete, select

from prm_app.deals.conflicts import evidence
from prm_app.deals.matching.multinational import brand_key, brand_label, company_core, same_brand, shared_core
from prm_app.deals.matching.queued import lock_keys, rebuild_queued_conflicts
from prm_app.deals.matching.rules import (
    CONFLICT_THRESHOLD,
    REGISTRATION,
    Conflict,
    Existing,
    Subject,
    assess,
    normalize_company_name,
    registrable_domain,
)
from prm_app.deals.matching.store import conflict_keys, reindex_conflict_keys
from prm_app.deals.models import ConflictKey, Deal
from prm_app.deals.queries import review_queue
from tests.deals.factories import make_direct_account, make_world, register

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def subject(name: str, site: str = "", products: tuple[int, ...] = ()) -> Subject:
    return Subject(
        name=name,
        name_norm=normalize_company_name(name),
        domain=registrable_domain(site),
        product_ids=frozenset(products),
        registered_at=NOW,
    )


def existing(name: str, site: str = "", products: tuple[int, ...] = (), protected_until=None) -> Existing:
    return Existing(
        kind=REGISTRATION,
        id=7,
        name=name,
        name_norm=normalize_company_name(name),
        domain=registrable_domain(site),
        product_ids=frozenset(products),
        registered_at=NOW - 3 * DAY,
        protected_until=protected_until,
        same_partner=False,
    )


def core(name: str) -> str:
    return company_core(normalize_company_name(name))


# --- company names: country, region and group words -----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Brand Deutschland GmbH", "Brand Group Corporation", "Brand Japan K.K.", "Brand Nippon KK", "Brand France SAS",
     "Brand UK Ltd", "Brand United Kingdom Limited", "Brand España S.L.", "Brand (Schweiz) AG", "Brand Suisse SA",
     "Brand Svizzera SA", "Brand Österreich GmbH", "Brand Nederland B.V.", "Brand Italia S.p.A.",
     "Brand do Brasil Ltda", "Brand México S.A. de C.V.", "Brand Holdings plc", "Brand International Inc.",
     "Groupe Brand SA",
     "Brand Group Deutschland GmbH & Co. KG", "Brand Asia Pacific Pte Ltd", "Brand EMEA", "Brand USA Inc",
     "Brand Korea, Inc.", "Brand Reino Unido SL", "Brand"],
)  # fmt: skip
def test_a_groups_entities_in_many_countries_share_one_core(name):
    assert core(name) == "brand"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Marca do Brasil Ltda", "marca"), ("Marca de México", "marca"), ("Toyota Motor Europe NV", "toyota motor"),
     ("Grupo Bimbo", "bimbo"),
     # A country word that starts a name is the name; the first word is never dropped.
     ("Deutsche Bank AG", "deutsche bank"), ("Japan Airlines", "japan airlines"), ("Schweiz", "schweiz"),
     ("Air France", "air"), ("Bank of America", "bank"),
     # Given names and words that are also country names stay.
     ("Michael Jordan Inc", "michael jordan"), ("Peter Chad Ltd", "peter chad"), ("Jean Maurice SARL", "jean maurice")],
)  # fmt: skip
def test_what_the_core_keeps(name, expected):
    assert core(name) == expected


@pytest.mark.parametrize(
    ("a", "b", "shared"),
    [("Brand Deutschland GmbH", "Brand Group Corporation", "brand"),  # DE / group
     ("Brand Japan K.K.", "Brand France SAS", "brand"),  # JP / FR
     ("Brand España S.L.", "Brand UK Ltd", "brand"),  # ES / UK
     ("Marca do Brasil Ltda", "Marca Holding S.A.", "marca"),  # BR / group
     ("Brand (Schweiz) AG", "Brand Suisse SA", "brand"),  # CH, German and French
     ("Siemens Schweiz AG", "Siemens AG", "siemens"),  # a country entity and its parent
     ("IBM Deutschland GmbH", "IBM Japan Ltd", "ibm"),  # three letters are enough for a name
     # Different companies that merely share a word:
     ("Acme Deutschland GmbH", "Siemens Deutschland GmbH", ""),
     ("Air France", "Air India", ""), ("Banco do Brasil", "Banco de Mexico", ""),
     ("Bank of America", "Bank of China", ""),
     ("Global Solutions Deutschland", "Global Solutions Japan", ""),  # only generic words left
     ("Delta Air", "Delta Dental", ""),  # no country or group word: today's similarity rules decide
     ("Acme", "ACME Corp.", ""),  # the same name already: nothing new to share
     ("Brand Deutschland", "Brandt Deutschland", "")],  # no fuzzy match on cores: exact only
)  # fmt: skip
def test_shared_core(a, b, shared):
    a_norm, b_norm = normalize_company_name(a), normalize_company_name(b)
    assert shared_core(a_norm, b_norm) == shared_core(b_norm, a_norm) == shared


# --- domains: the brand label across public suffixes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("domain", "label"),
    [("brand.co.jp", "brand"), ("brand.de", "brand"), ("brand.com.br", "brand"), ("brand.com", "brand"),
     ("ibm.de", "ibm"), ("hp.com", ""), ("ge.de", ""),  # two letters: too short
     ("shop.de", ""), ("app.com", ""), ("global.co.uk", ""),  # generic words
     ("yahoo.com.ar", ""), ("gmx.fr", ""),  # free-mail providers' labels, on suffixes the list does not name
     ("acme.github.io", ""), ("acme.myshopify.com", ""),  # under a private suffix: the platform's label
     ("", "")],
)  # fmt: skip
def test_brand_label(domain, label):
    assert brand_label(domain) == label


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("brand.de", "brand.co.jp", True), ("brand.com", "brand.de", True), ("brand.fr", "brand.es", True),
     ("brand.co.uk", "brand.com.br", True), ("brand.ch", "brand.at", True), ("brand.com.co", "brand.com", True),
     ("brand.com", "brand.net", False),  # two global suffixes: no country site among them
     ("acme.com", "acme.io", False), ("acme.de", "acme.ai", False),  # vanity country codes
     ("shop.de", "shop.com", False), ("app.de", "app.co.jp", False), ("hp.de", "hp.com", False),
     ("yahoo.com.ar", "yahoo.de", False), ("acme.github.io", "acme.de", False),
     ("brand.de", "brand.de", False),  # the same domain is another reason
     ("brand.de", "", False), ("brandt.de", "brand.de", False)],
)  # fmt: skip
def test_same_brand(a, b, same):
    assert same_brand(a, b) is same_brand(b, a) is same


def test_the_brand_key_is_shared_by_one_brands_sites_and_absent_for_labels_that_say_too_little():
    assert brand_key("brand.de") == brand_key("brand.co.jp") == brand_key("brand.com") == "b:brand"
    assert [brand_key(d) for d in ("shop.de", "hp.com", "acme.io", "yahoo.com.ar", "")] == ["", "", "", "", ""]
    assert conflict_keys("brand deutschland", "brand.de") == ["b:brand", "p:brandd", "s:brnd", "t:brand"]
    assert conflict_keys("acme", "") == ["p:acme", "t:acme"]
    # Two records that may match lock a key in common, so their queue refreshes never overlap.
    assert set(lock_keys("zenith", "brand.de")) & set(lock_keys("orbit", "brand.co.jp")) == {"b:brand"}


# --- assess: the score and its reasons, word for word ---------------------------------------------------------


def test_a_groups_country_entity_and_its_group_on_two_country_sites_is_a_conflict():
    conflict = assess(
        subject("Brand Deutschland GmbH", "www.brand.de"), existing("Brand Group Corporation", "brand.co.jp"), NOW
    )

    assert conflict == Conflict(
        kind=REGISTRATION,
        id=7,
        score=100,  # 50 + 55, capped
        reasons=(
            "same brand label on brand.de and brand.co.jp",
            "same company name 'brand' without country/group words",
            "registered 3 days earlier by another partner",
        ),
        protected=False,
    )


def test_the_same_brand_label_alone_is_a_conflict_at_the_threshold():
    conflict = assess(subject("Zenith", "https://brand.fr"), existing("Orbit", "info@brand.es"), NOW)

    assert conflict is not None
    assert conflict.score == CONFLICT_THRESHOLD
    assert conflict.reasons == (
        "same brand label on brand.fr and brand.es",
        "registered 3 days earlier by another partner",
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [("Brand Japan K.K.", "Brand France SAS"), ("Brand España S.L.", "Brand UK Ltd"),
     ("Marca do Brasil Ltda", "Marca Holding S.A."), ("Brand (Schweiz) AG", "Brand Suisse SA")],
)  # fmt: skip
def test_the_same_name_without_country_or_group_words_alone_is_a_conflict(a, b):
    conflict = assess(subject(a), existing(b), NOW)

    assert conflict is not None
    assert conflict.score == 55
    expected = normalize_company_name(a).split()[0]
    assert conflict.reasons[0] == f"same company name '{expected}' without country/group words"


def test_products_and_protection_add_to_brand_evidence():
    conflict = assess(
        subject("Zenith", "brand.com.br", (1, 2)), existing("Orbit", "brand.ch", (2,), protected_until=NOW + DAY), NOW
    )

    assert conflict is not None
    assert conflict.score == 50 + 5 + 5
    assert conflict.reasons == (
        "same brand label on brand.com.br and brand.ch",
        "1 of 2 products overlap",
        "registered 3 days earlier by another partner, still protected",
    )


@pytest.mark.parametrize(
    ("a", "a_site", "b", "b_site"),
    [("Acme Deutschland GmbH", "acme.de", "Siemens Deutschland GmbH", "siemens.de"),  # share only "Deutschland"
     ("Acme Deutschland GmbH", "", "Siemens Deutschland GmbH", ""),
     ("Air France", "airfrance.fr", "Air India", "airindia.in"),
     ("Shop Deutschland", "shop.de", "Shop UK", "shop.co.uk"),  # generic label and core
     ("Initech", "hp.de", "Globex", "hp.com"),  # a two-letter label alone
     ("Initech", "shop.de", "Globex", "shop.com"),  # a generic label alone
     ("Initech", "x@yahoo.com.ar", "Globex", "y@yahoo.de"),  # a free-mail host
     ("Initech", "acme.com", "Globex", "acme.io")],  # a vanity suffix
)  # fmt: skip
def test_different_companies_are_no_conflict(a, a_site, b, b_site):
    assert assess(subject(a, a_site, (1,)), existing(b, b_site, (1,)), NOW) is None


def test_delta_air_and_delta_dental_stay_as_the_similarity_rules_say():
    conflict = assess(subject("Delta Air"), existing("Delta Dental"), NOW)
    with_country = assess(subject("Delta Air Deutschland"), existing("Delta Dental Deutschland"), NOW)

    assert conflict is None and with_country is None


def test_country_sites_of_one_brand_lose_no_points_for_different_domains():
    # acme.com and acme.io stay two domains (-20, the rule as before); acme.com and acme.de are one brand.
    vanity = assess(subject("Acme", "acme.com", (1,)), existing("Acme", "acme.io", (1,)), NOW)
    country = assess(subject("Acme", "acme.com", (1,)), existing("Acme", "acme.de", (1,)), NOW)

    assert vanity is None
    assert country is not None and country.score == 100
    assert "different domains acme.com and acme.de" not in country.reasons


def test_more_evidence_never_lowers_the_score():
    def score(name: str, site: str) -> int:
        found = assess(subject("Brand Deutschland GmbH", "brand.de"), existing(name, site), NOW)
        return found.score if found else 0

    assert score("Brand Group", "brand.co.jp") >= score("Brand Group", "other.co.jp")
    assert score("Brand Group", "brand.co.jp") >= score("Orbit", "brand.co.jp")
    assert score("Brand Group", "") >= score("Orbit", "")


# --- the database: brand keys, the backfill, the review queue -------------------------------------------------


@pytest.fixture
def w(session: Session) -> SimpleNamespace:
    return make_world(session)


def test_a_registration_finds_another_partners_registration_on_another_country_site(session, w):
    first = register(session, w.a, w.products, customer_name="Brand Group Corporation", customer_site="brand.co.jp",
                     contact_email="jo@brand.co.jp")  # fmt: skip
    second = register(session, w.b, w.products, customer_name="Brand Deutschland GmbH",
                      customer_site="https://www.brand.de", contact_email="jo@brand.de")  # fmt: skip
    session.commit()

    found = evidence(session, session.get_one(Deal, second), NOW)

    assert [(e.id, e.score) for e in found] == [(first, 100)]
    assert found[0].reasons[:2] == (
        "same brand label on brand.de and brand.co.jp",
        "same company name 'brand' without country/group words",
    )
    queue = {row.id: (row.conflicts, row.top_score) for row in review_queue(session, w.manager, now=NOW).rows}
    assert queue[second] == (1, 100) and queue[first] == (1, 100)


def test_a_direct_account_on_the_brands_global_site_is_found(session, w):
    account = make_direct_account(session, "Orbit Worldwide", "orbit-industries.com")
    deal_id = register(session, w.b, w.products, customer_name="Zenith GmbH", customer_site="orbit-industries.de",
                       contact_email="jo@orbit-industries.de")  # fmt: skip
    session.commit()

    found = evidence(session, session.get_one(Deal, deal_id), NOW)

    assert [(e.id, e.score, e.reasons[0]) for e in found] == [
        (account.id, 50, "same brand label on orbit-industries.de and orbit-industries.com")
    ]


def test_the_backfill_files_existing_records_under_their_brand_keys_and_rescores_the_queue(session, w):
    first = register(session, w.a, w.products, customer_name="Zenith KK", customer_site="brand.co.jp",
                     contact_email="jo@brand.co.jp")  # fmt: skip
    second = register(session, w.b, w.products, customer_name="Orbit GmbH", customer_site="brand.de",
                      contact_email="jo@brand.de")  # fmt: skip
    # As a database written before brand keys: no "b:" key, nothing stored about the pair.
    session.exec(delete(ConflictKey).where(col(ConflictKey.key).like("b:%")))
    rebuild_queued_conflicts(session)
    session.commit()
    assert evidence(session, session.get_one(Deal, second), NOW) == []

    assert reindex_conflict_keys(session) == 2
    rebuild_queued_conflicts(session)
    session.commit()

    keys = session.exec(select(ConflictKey.record_id).where(ConflictKey.key == "b:brand")).all()
    assert sorted(keys) == sorted([first, second])
    assert [e.id for e in evidence(session, session.get_one(Deal, second), NOW)] == [first]
    assert {row.id: row.conflicts for row in review_queue(session, w.manager, now=NOW).rows} == {first: 1, second: 1}


def test_the_re_file_normalizes_stored_names_again_by_todays_rules(session, w):
    """A record stored before Japanese group words were set apart keeps its old name_norm until the re-file."""
    deal_id = register(session, w.a, w.products, customer_name="ブランドジャパン合同会社",
                       customer_site="brand-japan.co.jp", contact_email="jo@brand-japan.co.jp")  # fmt: skip
    session.exec(update(Deal).where(col(Deal.id) == deal_id).values(name_norm="ブランドジャパン"))
    session.exec(delete(ConflictKey).where(col(ConflictKey.record_id) == deal_id))
    session.commit()

    assert reindex_conflict_keys(session) == 1
    session.commit()

    assert session.get_one(Deal, deal_id).name_norm == "ブランド ジャパン"
    filed = session.exec(select(ConflictKey.key).where(ConflictKey.record_id == deal_id)).all()
    assert sorted(filed) == conflict_keys("ブランド ジャパン", "brand-japan.co.jp")


@pytest.fixture
def migrated(empty_engine):
    """A database migrated to head, as a deployment would have it."""
    from alembic import command
    from alembic.config import Config

    from tests.migrations.test_migrations import ROOT

    def migrate(direction: str, revision: str) -> None:
        with empty_engine.begin() as connection:
            config = Config(str(ROOT / "alembic.ini"))
            config.attributes["connection"] = connection
            getattr(command, direction)(config, revision)

    migrate("upgrade", "head")
    return SimpleNamespace(engine=empty_engine, migrate=migrate)


def test_the_migration_files_existing_records_under_brand_keys_and_its_downgrade_removes_them(migrated):
    with Session(migrated.engine, expire_on_commit=False) as session:
        w = make_world(session)
        first = register(session, w.a, w.products, customer_name="Zenith KK", customer_site="brand.co.jp",
                         contact_email="jo@brand.co.jp")  # fmt: skip
        register(session, w.b, w.products, customer_name="Orbit GmbH", customer_site="brand.de",
                 contact_email="jo@brand.de")  # fmt: skip
        session.commit()
    brand_keys = select(ConflictKey.record_id).where(col(ConflictKey.key).like("b:%"))

    migrated.migrate("downgrade", "a3c5e7f9b1d2-1")  # as before brand keys (and the revisions after, if any)
    with Session(migrated.engine) as session:
        assert session.exec(brand_keys).all() == []
        assert session.exec(select(ConflictKey)).all() != []  # the name keys stay

    # The re-file reads deals through today's models: an upgrade that stops where the tables lack today's columns
    # is refused, and the keys wait for the upgrade to head (which re-files once, after its last revision).
    with pytest.raises(RuntimeError, match=r"a3c5e7f9b1d2 re-file the conflict keys .* upgrade to head"):
        migrated.migrate("upgrade", "a3c5e7f9b1d2")
    migrated.migrate("upgrade", "head")
    with Session(migrated.engine) as session:
        assert len(session.exec(brand_keys).all()) == 2
        second = session.exec(select(Deal.id).where(Deal.customer_name == "Orbit GmbH")).one()
        assert [e.id for e in evidence(session, session.get_one(Deal, second), NOW)] == [first]
