"""Two-tier distribution in Chromium (#18): the channel team keeps a partner's distributors on its page (a loop is
refused beside the field); a reseller registers a deal naming its distributor with "do not share" ticked, and the
distributor's people cannot find it by list, search, URL or API; unticking shows it and notifies the distributor
once; the reseller names another distributor on the deal's page; the distributor registers a deal for its reseller,
who is notified, sees it and owns it (so it counts for the reseller's tier, once); the distributor reads its
resellers' tiers and certifications; it passes a lead to its reseller and gets it back when they decline."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import httpx
from playwright.sync_api import Page, expect
from sqlmodel import col, func, select

from tests.e2e.conftest import BASE_URL, actor_of, assert_accessible, at, log_in
from tests.e2e.test_search import _search

MAYA = "maya.cm@vendor.example"  # the channel manager of Northwind Distribution and its resellers
RESELLER = "sam.carter@bluepeak.example"  # Bluepeak Resellers, below Northwind Distribution
DISTRIBUTOR = "dana.price@northwind-dist.example"  # Northwind Distribution


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(at("/login"))


def _fill_deal(page: Page, company: str, site: str) -> None:
    page.get_by_label("Company name").fill(company)
    page.get_by_label("Website or email domain").fill(site)
    page.get_by_label("Country").select_option("US")
    page.get_by_label("Contact name").fill("Art Vandelay")
    page.get_by_label("Contact email").fill(f"art@{site}")
    page.get_by_label(re.compile("^ ?Core Platform")).check()
    page.get_by_label("Estimated value").fill("30,000")
    page.get_by_label("Expected close date").fill((date.today() + timedelta(days=45)).isoformat())
    page.get_by_label("Stage").select_option("Proposal")


def _org_id(app_db, name: str) -> int:
    from prm_app.partners import Organization

    with app_db() as session:
        return session.exec(select(Organization.id).where(Organization.name == name)).one()


def _api_key(app_db, email: str) -> str:
    from prm_app.integrations.keys import create_api_key
    from prm_app.integrations.rules import KeyInput

    with app_db() as session:
        created = create_api_key(
            session, actor_of(session, email), KeyInput(name=f"e2e {uuid.uuid4().hex[:6]}", scopes=("deals:read",))
        )
        session.commit()
    return created.secret


def _api_deal_ids(api: httpx.Client) -> set[int]:
    """Every deal id GET /api/v1/deals lists for the key, page after page."""
    ids: set[int] = set()
    cursor = ""
    while True:
        answer = api.get("/deals", params={"limit": 100, "cursor": cursor})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        ids |= {d["id"] for d in body["data"]}
        if not body["next_cursor"]:
            return ids
        cursor = body["next_cursor"]


def _notices(app_db, org_id: int, kind: str) -> int:
    from prm_app.notifications.models import Notification

    with app_db() as session:
        return session.exec(
            select(func.count())
            .select_from(Notification)
            .where(col(Notification.organization_id) == org_id, col(Notification.kind) == kind)
        ).one()


def test_the_channel_team_keeps_distributors_and_a_loop_is_refused(page: Page, app_db):
    from prm_app.partners import Organization, PartnerType, add_relation

    token = uuid.uuid4().hex[:6]
    with app_db() as session:  # a sub-distributor below Northwind, in Maya's book
        northwind = session.exec(select(Organization).where(Organization.name == "Northwind Distribution")).one()
        sub = Organization(
            name=f"Subdist {token}", name_lower=f"subdist {token}", partner_type=PartnerType.DISTRIBUTOR,
            tier_id=northwind.tier_id, region="North America", country="US",
            channel_manager_id=northwind.channel_manager_id,
        )  # fmt: skip
        session.add(sub)
        session.flush()
        add_relation(session, actor_of(session, MAYA), sub.id, str(northwind.id), "distributor", "2026-01-01")
        session.commit()
        sub_id, northwind_id = sub.id, northwind.id

    log_in(page, MAYA, expect_path="/partners")
    page.goto(f"/partners/{northwind_id}")
    section = page.get_by_role("region", name="Resellers and agents below")
    expect(section).to_contain_text("Bluepeak Resellers")
    expect(section).to_contain_text(f"Subdist {token}")
    form = page.get_by_role("form", name="Add a distributor or master agent")
    form.get_by_role("button", name="Add relation").click()  # nothing chosen: the message sits by the field
    expect(form.get_by_text("Choose the distributor or master agent above this partner.")).to_be_visible()
    expect(form.get_by_label("Above this partner")).to_have_attribute("aria-invalid", "true")
    form.get_by_label("Above this partner").select_option(label=f"Subdist {token}")  # Northwind is above it
    form.get_by_role("button", name="Add relation").click()
    expect(form.get_by_text(re.compile("That would make a loop"))).to_be_visible()
    expect(form.get_by_label("Above this partner")).to_have_value(str(sub_id))  # what was chosen stays
    assert_accessible(page, phone=True)

    # On the sub-distributor's page: Northwind is above it; a master agent is added, then ended.
    page.goto(f"/partners/{sub_id}")
    above = page.get_by_role("region", name="Distributors above")
    expect(above.get_by_role("row", name=re.compile("Northwind Distribution"))).to_contain_text("Current")
    form = page.get_by_role("form", name="Add a distributor or master agent")
    form.get_by_label("Above this partner").select_option(label="Ganges Tech Distributors")
    form.get_by_label("Kind").select_option(label="Master agent")
    form.get_by_role("button", name="Add relation").click()
    expect(page.get_by_text("Relation added.")).to_be_visible()
    row = above.get_by_role("row", name=re.compile("Ganges Tech Distributors"))
    expect(row).to_contain_text("Master agent")
    row.get_by_role("button", name="End relation with Ganges Tech Distributors").click()
    page.get_by_role("alertdialog").get_by_role("button", name="End relation").click()
    expect(page.get_by_text("Relation ended.")).to_be_visible()
    expect(row).to_contain_text("Ended or not started")


def test_do_not_share_hides_a_deal_from_the_distributor_until_unticked(page: Page, app_db):
    token = uuid.uuid4().hex[:6]
    company, site = f"Quietco {token} Inc", f"quietco{token}.com"
    northwind = _org_id(app_db, "Northwind Distribution")

    log_in(page, RESELLER, expect_path="/portal")
    page.goto("/deals/new")
    _fill_deal(page, company, site)
    page.get_by_label("Distributor that will fulfil this deal").select_option(label="Northwind Distribution")
    page.get_by_label("Do not share this deal with this distributor").check()
    assert_accessible(page, phone=True)
    page.get_by_role("button", name="Submit registration").click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))
    deal_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    hidden = "Northwind Distribution will fulfil this deal. It cannot see this registration."
    expect(page.get_by_text(hidden)).to_be_visible()
    assert _notices(app_db, northwind, "deal_shared_with_distributor") == 0
    _sign_out(page)

    # The distributor's people: not in the list, not found by search, the URL says not found, the API says 404.
    key = _api_key(app_db, DISTRIBUTOR)

    def api() -> httpx.Client:
        return httpx.Client(base_url=f"{BASE_URL}/api/v1", headers={"Authorization": f"Bearer {key}"}, timeout=15)

    log_in(page, DISTRIBUTOR, expect_path="/portal")
    page.goto("/deals/resellers")
    expect(page.get_by_role("heading", name="Resellers' deals")).to_be_visible()
    # The list is in (its count said) before its absence is checked: an empty page proves nothing.
    expect(page.get_by_role("status").filter(has_text=re.compile(r"\d+ shared registrations?"))).to_be_visible()
    expect(page.get_by_role("link", name=company)).to_have_count(0)
    _search(page, company)
    expect(page.get_by_role("status").filter(has_text=f"Nothing matches {company}")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name=company)).to_have_count(0)
    page.goto(f"/deals/{deal_id}")
    expect(page.get_by_text("Deal not found.")).to_be_visible()
    with api() as client:
        assert client.get(f"/deals/{deal_id}").status_code == 404
        assert deal_id not in _api_deal_ids(client)
    _sign_out(page)

    # The reseller unticks it on the deal's page: shared, and Northwind is told once.
    log_in(page, RESELLER, expect_path="/portal")
    page.goto(f"/deals/{deal_id}")
    sharing = page.get_by_role("form", name="Sharing with the distributor")
    sharing.get_by_label("Do not share this deal with Northwind Distribution").uncheck()
    sharing.get_by_role("button", name="Save sharing").click()
    expect(page.get_by_text("Shared with the distributor.")).to_be_visible()
    expect(page.get_by_text("It can see this registration.")).to_be_visible()
    assert _notices(app_db, northwind, "deal_shared_with_distributor") == 1
    sharing.get_by_label("Do not share this deal with Northwind Distribution").check()  # hidden again, then shared
    sharing.get_by_role("button", name="Save sharing").click()
    expect(page.get_by_text("It cannot see this registration.")).to_be_visible()
    assert _notices(app_db, northwind, "deal_shared_with_distributor") == 0  # the notice naming it is taken back
    sharing.get_by_label("Do not share this deal with Northwind Distribution").uncheck()
    sharing.get_by_role("button", name="Save sharing").click()
    expect(page.get_by_text("It can see this registration.")).to_be_visible()
    assert _notices(app_db, northwind, "deal_shared_with_distributor") == 1  # once
    _sign_out(page)

    log_in(page, DISTRIBUTOR, expect_path="/portal")
    page.goto("/deals/resellers")
    row = page.get_by_role("row", name=re.compile(company))
    expect(row).to_contain_text("Bluepeak Resellers")
    assert_accessible(page, phone=True)
    _search(page, company)
    page.get_by_role("main").get_by_role("link", name=company).click()
    page.wait_for_url(at(f"/deals/{deal_id}"))
    expect(page.get_by_text(re.compile("Bluepeak Resellers shared this registration with you"))).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw registration")).to_have_count(0)  # read-only
    assert_accessible(page)
    page.goto("/portal/notifications")
    expect(page.get_by_role("listitem").filter(has_text=company)).to_have_count(1)
    with api() as client:
        assert client.get(f"/deals/{deal_id}").status_code == 200
        assert deal_id in _api_deal_ids(client)


def _notices_about(app_db, org_id: int, subject_id: int, subject: str = "deal") -> int:
    from prm_app.notifications.models import Notification

    with app_db() as session:
        return session.exec(
            select(func.count())
            .select_from(Notification)
            .where(col(Notification.organization_id) == org_id)
            .where(col(Notification.subject_kind) == subject, col(Notification.subject_id) == subject_id)
        ).one()


def test_the_reseller_names_another_distributor_on_the_deals_page(page: Page, app_db):
    from prm_app.partners import add_relation, end_relation

    token = uuid.uuid4().hex[:6]
    company, site = f"Switchco {token} Inc", f"switchco{token}.com"
    bluepeak, northwind = _org_id(app_db, "Bluepeak Resellers"), _org_id(app_db, "Northwind Distribution")
    ganges = _org_id(app_db, "Ganges Tech Distributors")
    with app_db() as session:  # Bluepeak gets a second distributor for this test
        relation = add_relation(session, actor_of(session, MAYA), bluepeak, str(ganges), "distributor", "2026-01-01")
        session.commit()
    try:
        log_in(page, RESELLER, expect_path="/portal")
        page.goto("/deals/new")
        _fill_deal(page, company, site)
        page.get_by_label("Distributor that will fulfil this deal").select_option(label="Northwind Distribution")
        page.get_by_role("button", name="Submit registration").click()
        page.wait_for_url(at(r"/deals/\d+", regex=True))
        deal_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])
        expect(page.get_by_text("Northwind Distribution will fulfil this deal.")).to_be_visible()
        assert _notices_about(app_db, northwind, deal_id) == 1
        page.set_viewport_size({"width": 375, "height": 800})
        form = page.get_by_role("form", name="Change the distributor")
        form.get_by_label("Distributor that will fulfil this deal").select_option(label="Ganges Tech Distributors")
        form.get_by_role("button", name="Change distributor").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Distributor changed.")).to_be_visible()
        expect(page.get_by_text("Ganges Tech Distributors will fulfil this deal.")).to_be_visible()
        expect(form.get_by_label("Distributor that will fulfil this deal")).to_have_value(str(ganges))
        assert_accessible(page, phone=True)
        assert (_notices_about(app_db, northwind, deal_id), _notices_about(app_db, ganges, deal_id)) == (0, 1)
        page.set_viewport_size({"width": 1280, "height": 900})
        _sign_out(page)

        log_in(page, DISTRIBUTOR, expect_path="/portal")  # Northwind no longer finds it
        page.goto(f"/deals/{deal_id}")
        expect(page.get_by_text("Deal not found.")).to_be_visible()
    finally:
        with app_db() as session:
            end_relation(session, actor_of(session, MAYA), relation)
            session.commit()


def test_a_distributor_registers_a_deal_for_its_reseller(page: Page, app_db):
    from prm_app.deals import Deal
    from prm_app.platform.models import EngagementEvent

    token = uuid.uuid4().hex[:6]
    company, site = f"Behalfco {token} Inc", f"behalfco{token}.com"
    bluepeak, northwind = _org_id(app_db, "Bluepeak Resellers"), _org_id(app_db, "Northwind Distribution")
    before = _notices(app_db, bluepeak, "deal_registered_for_you")

    log_in(page, DISTRIBUTOR, expect_path="/portal")
    page.goto("/deals/new")
    _fill_deal(page, company, site)
    page.get_by_label("Register this deal for").select_option(label="Bluepeak Resellers")
    assert_accessible(page)
    page.get_by_role("button", name="Save as draft").click()  # a reseller's deal is submitted at once
    expect(page.get_by_text("A registration for a reseller is submitted at once; drafts are your own.")).to_be_visible()
    expect(page.get_by_label("Company name")).to_have_value(company)
    page.get_by_role("button", name="Submit registration").click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))
    deal_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    expect(page.get_by_text(re.compile("Bluepeak Resellers shared this registration with you"))).to_be_visible()
    page.goto("/deals/resellers")
    expect(page.get_by_role("row", name=re.compile(company))).to_be_visible()
    _sign_out(page)

    log_in(page, RESELLER, expect_path="/portal")
    page.goto("/deals")
    page.get_by_role("link", name=company).click()
    page.wait_for_url(at(f"/deals/{deal_id}"))
    expect(page.get_by_text("Northwind Distribution registered this deal for Bluepeak Resellers.")).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw registration")).to_be_visible()  # the reseller's to act on
    assert _notices(app_db, bluepeak, "deal_registered_for_you") == before + 1

    with app_db() as session:  # it is the reseller's deal (its tier counts it), one row for the program's revenue
        deal = session.get(Deal, deal_id)
        parties = (deal.organization_id, deal.distributor_id, deal.registered_by_org_id)
        assert parties == (bluepeak, northwind, northwind)
        registered = session.exec(
            select(EngagementEvent.organization_id).where(
                col(EngagementEvent.kind) == "deal_registered", col(EngagementEvent.subject_id) == deal_id
            )
        ).all()
        assert registered == [bluepeak]
        assert session.exec(select(func.count()).select_from(Deal).where(col(Deal.customer_name) == company)).one() == 1

    # Approved and won, it shows in Northwind's distributor figures on the exec's dashboard (a view over the deal),
    # while the program's revenue holds the one deal, Bluepeak's.
    from prm_app.analytics.distribution_panel import distribution_panel
    from prm_app.deals import approve_deal, close_deal
    from prm_app.partners import Filters
    from prm_app.platform.clock import utcnow

    with app_db() as session:
        approve_deal(session, actor_of(session, MAYA), deal_id)
        close_deal(session, actor_of(session, RESELLER), deal_id, won=True, final_amount="30000")
        session.commit()
        now = utcnow()
        panel = distribution_panel(session, Filters.last_days(90, now), now)
    assert panel is not None
    expected = next(row for row in panel.tables[0].rows if row[0] == "Northwind Distribution")
    assert "30,000.00 USD" in expected[4] and int(expected[5]) >= 1
    _sign_out(page)
    log_in(page, "erin.exec@vendor.example", expect_path="/dashboards")
    section = page.locator("#panel-distribution")
    heading = section.get_by_role("heading", level=2, name="Two-tier distribution")
    expect(heading).to_be_visible(timeout=30_000)  # the panels load after the page; slow on a busy machine
    table = section.get_by_role("region", name="Distributors")
    row = table.get_by_role("row", name=re.compile("Northwind Distribution"))
    for cell in expected[1:]:
        expect(row).to_contain_text(cell)
    assert_accessible(page)


def test_a_distributor_reads_its_resellers_tiers_and_certifications(page: Page, app_db):
    from prm_app.network import my_resellers
    from prm_app.web.format import day

    with app_db() as session:
        expected = {r.name: r for r in my_resellers(session, actor_of(session, DISTRIBUTOR))}
    assert "Bluepeak Resellers" in expected
    bluepeak = expected["Bluepeak Resellers"]

    log_in(page, DISTRIBUTOR, expect_path="/portal")
    page.goto("/deals")
    link = page.get_by_role("link", name="Your resellers")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(at("/resellers"))
    expect(page.get_by_role("heading", level=1, name="Your resellers")).to_be_visible()
    table = page.get_by_role("region", name="Your resellers and agents")
    row = table.get_by_role("row", name=re.compile("Bluepeak Resellers"))
    expect(row).to_contain_text(f"Reseller since {day(bluepeak.since)}")
    expect(row).to_contain_text(bluepeak.tier)
    people = "person" if bluepeak.certified_people == 1 else "people"
    expect(row).to_contain_text(f"{bluepeak.certified_people} certified {people}")
    expect(page.get_by_role("status").filter(has_text=f"{len(expected)} partner")).to_be_visible()
    assert_accessible(page, phone=True)


def test_a_distributor_passes_a_lead_to_its_reseller_and_gets_it_back_when_declined(page: Page, app_db):
    from prm_app.leads import Lead, accept_lead
    from prm_app.leads.assignment import assign_by_hand
    from prm_app.leads.models import LeadQueue, LeadStatus
    from prm_app.leads.routing_runs import confirm_proposals

    token = uuid.uuid4().hex[:6]
    company = f"Passco {token}"
    northwind, bluepeak = _org_id(app_db, "Northwind Distribution"), _org_id(app_db, "Bluepeak Resellers")
    with app_db() as session:  # a lead Maya sent to Northwind, which accepted it
        queue = session.exec(select(LeadQueue).where(LeadQueue.name == "Americas")).one()
        lead = Lead(queue_id=queue.id, status=LeadStatus.NEW, company=company, contact_email="buyer@example.com",
                    domain=f"passco{token}.example", country="US", city="Austin", vertical="retail")  # fmt: skip
        session.add(lead)
        session.flush()
        assign_by_hand(session, actor_of(session, MAYA), lead.id, northwind)
        assert confirm_proposals(session, actor_of(session, MAYA), [lead.id]) == 1
        accept_lead(session, actor_of(session, DISTRIBUTOR), lead.id)
        session.commit()
        lead_id = lead.id

    log_in(page, DISTRIBUTOR, expect_path="/portal")
    page.goto(f"/leads/{lead_id}")
    form = page.get_by_role("form", name="Pass the lead to a reseller")
    form.get_by_role("button", name="Pass lead").click()  # nothing chosen: the message sits by the field
    expect(form.get_by_text("Choose one of your resellers.")).to_be_visible()
    form.get_by_label("Reseller").select_option(label="Bluepeak Resellers")
    assert_accessible(page, phone=True)
    form.get_by_role("button", name="Pass lead").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("It leaves your leads and is offered to Bluepeak Resellers.")
    dialog.get_by_role("button", name="Pass lead").click()
    page.wait_for_url(at("/leads"))
    expect(page.get_by_text("Lead passed to your reseller.")).to_be_visible()
    expect(page.get_by_role("link", name=company)).to_have_count(0)
    _sign_out(page)

    log_in(page, RESELLER, expect_path="/portal")
    page.goto("/leads")
    page.get_by_role("link", name=company).click()
    page.wait_for_url(at(f"/leads/{lead_id}"))
    expect(page.get_by_role("button", name="Accept lead")).to_be_visible()
    decline = page.get_by_role("form", name="Decline the lead")
    decline.get_by_label("Reason for declining").select_option("No capacity")
    decline.get_by_role("button", name="Decline").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Decline lead").click()
    page.wait_for_url(at("/leads"))
    _sign_out(page)

    with app_db() as session:  # back with Northwind, accepted as it was
        back = session.get(Lead, lead_id)
        assert (back.status, back.partner_id, back.passed_by_id) == (LeadStatus.ACCEPTED, northwind, None)
    assert _notices_about(app_db, northwind, lead_id, "lead") >= 1  # "… is yours again" (and the first offer's notice)
    assert _notices_about(app_db, bluepeak, lead_id, "lead") == 1  # its offer, resolved by the decline
    log_in(page, DISTRIBUTOR, expect_path="/portal")
    page.goto(f"/leads/{lead_id}")
    expect(page.get_by_role("form", name="Pass the lead to a reseller")).to_be_visible()
    expect(page.get_by_role("link", name="Register a deal from this lead")).to_be_visible()


def test_the_channel_team_sets_the_distributors_credit_and_reviews_see_it(page: Page, app_db):
    from prm_app.deals.distribution import set_distributor_credit

    company = f"Creditco {uuid.uuid4().hex[:6]}"
    log_in(page, RESELLER, expect_path="/portal")  # a registration Bluepeak shares with Northwind
    page.goto("/deals/new")
    _fill_deal(page, company, f"{company.lower().replace(' ', '')}.com")
    page.get_by_label("Distributor that will fulfil this deal").select_option(label="Northwind Distribution")
    page.get_by_role("button", name="Submit registration").click()
    page.wait_for_url(at(r"/deals/\d+", regex=True))
    deal_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    _sign_out(page)
    try:
        log_in(page, MAYA, expect_path="/partners")
        page.goto("/registrations")
        form = page.get_by_role("form", name="Distribution setting")
        share = form.get_by_label("Distributor's credit (% of a registration's value)")
        share.fill("150")
        form.get_by_role("button", name="Save setting").click()
        expect(form.get_by_text("Enter a share from 0 to 100, like 100 or 12.5.")).to_be_visible()
        expect(share).to_have_value("150")  # what was typed stays
        expect(share).to_have_attribute("aria-invalid", "true")
        share.fill("12.5")
        share.press("Enter")
        expect(page.get_by_text("Distributors are credited 12.5 % of a registration's value.").first).to_be_visible()
        assert_accessible(page, phone=True)
        page.goto(f"/registrations/{deal_id}")
        named = re.compile(r"Names Northwind Distribution to fulfil it; shared with it\.")
        expect(page.get_by_text(named)).to_be_visible()
        distributor = re.compile(r"Northwind Distribution: distributor \(fulfilment\), 12\.5 % of the value")
        expect(page.get_by_text(distributor)).to_be_visible()
        reseller = re.compile(r"Bluepeak Resellers: reseller \(sourced\), 100 % of the value \(30,000\.00 USD\)")
        expect(page.get_by_text(reseller)).to_be_visible()
        assert_accessible(page)
    finally:
        with app_db() as session:
            set_distributor_credit(session, actor_of(session, MAYA), "100")
            session.commit()
