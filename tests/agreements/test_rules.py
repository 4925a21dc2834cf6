"""The pure rules of agreements: merging, names, what applies, what is owed and when, what changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prm_app.agreements.rendering import to_html
from prm_app.agreements.rules import (
    Segment,
    VersionFacts,
    applies,
    changes,
    check_publish,
    check_template,
    escape_markdown,
    merge,
    requirement,
    same_name,
    unknown_merge_fields,
)

T0 = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)


def v(number: int, requires: bool = True, grace: int = 0, days_after: int = 0) -> VersionFacts:
    return VersionFacts(number * 10, number, requires, grace, T0 + timedelta(days=days_after))


def test_merge_fills_known_fields_and_escapes_values():
    body = "Between {{company_name}} of {{ company_address }}, signed by {{signer_name}} on {{date}}. {{other}}"
    text = merge(
        body, {"company_name": "*Acme* <b>", "company_address": "1 Main St", "signer_name": "Ann", "date": "1"}
    )
    assert text.startswith(r"Between \*Acme\* \<b\> of 1 Main St, signed by Ann on 1.")
    assert text.endswith("{{other}}")  # unknown fields are left for publishing to refuse
    assert unknown_merge_fields(body) == ["other"]


@pytest.mark.parametrize(
    "value", ["[x](javascript:alert(1))", "<script>alert(1)</script>", "# Heading", "1. item", "- x"]
)
def test_a_merged_value_renders_as_its_own_text(value):
    html = to_html(f"Company: {escape_markdown(value)}")
    assert "<script" not in html and "<a" not in html and "<h1" not in html and "<ol" not in html
    assert html.startswith("<p>Company: ")


def test_rendering_drops_raw_html_and_unsafe_links():
    html = to_html("**ok** <img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](https://example.com)")
    assert "<strong>ok</strong>" in html
    assert "<img" not in html and "javascript:" not in html.replace("[a](javascript:", "")
    assert '<a href="https://example.com" rel="noopener noreferrer">b</a>' in html


def test_typed_name_forgives_case_and_spacing_only():
    assert same_name("  jonas   WEBER ", "Jonas Weber")
    assert not same_name("Jonas Webber", "Jonas Weber")
    assert not same_name("", "")


def test_empty_lists_apply_to_everyone():
    assert applies([], [], "msp", "EMEA")
    assert applies(["msp"], [], "msp", "APAC")
    assert not applies(["msp"], [], "var", "APAC")
    assert not applies([], ["EMEA"], "msp", "APAC")


def test_a_first_signature_is_owed_at_once_for_a_new_version_1():
    owed = requirement([v(1, grace=30)], [], joined_at=T0 - timedelta(days=5))
    assert owed is not None and owed.to_sign.number == 1 and owed.signed_number is None
    assert owed.due_at == T0 + timedelta(days=30)  # existing partners get the grace period


def test_a_partner_that_joins_later_gets_no_grace():
    joined = T0 + timedelta(days=100)
    owed = requirement([v(1, grace=30)], [], joined_at=joined)
    assert owed is not None and owed.due_at == joined


def test_a_version_without_reacceptance_keeps_earlier_signatures_valid():
    versions = [v(1), v(2, requires=False, days_after=10)]
    assert requirement(versions, [1], joined_at=T0) is None
    newcomer = requirement(versions, [], joined_at=T0 + timedelta(days=20))
    assert newcomer is not None and newcomer.to_sign.number == 2  # a newcomer signs the latest text


def test_reacceptance_is_owed_after_the_grace_period_and_a_later_signature_counts():
    versions = [v(1), v(2, requires=True, grace=14, days_after=10), v(3, requires=False, days_after=20)]
    owed = requirement(versions, [1], joined_at=T0)
    assert owed is not None
    assert (owed.required.number, owed.to_sign.number, owed.signed_number) == (2, 3, 1)
    assert owed.due_at == T0 + timedelta(days=24)
    assert requirement(versions, [1, 3], joined_at=T0) is None


def test_template_and_publish_checks_name_the_field():
    errors = check_template("", "Hi {{nope}}", ["alien"], ["Mars"], ["msp"], ["EMEA"])
    assert set(errors) == {"name", "body", "partner_types", "regions"}
    assert "{{nope}}" in errors["body"]
    assert check_template("A", "Hi {{company_name}}", ["msp"], [], ["msp"], ["EMEA"]) == {}
    assert set(check_publish("same", "same", 400)) == {"publish", "grace_days"}
    assert check_publish("", None, 0) == {"body": "Write the agreement's text before publishing it."}
    assert check_publish("new", "old", 0) == {}


def test_changes_mark_words_and_collapse_unchanged_paragraphs():
    old = "Intro stays.\n\nNotice of 30 days.\n\nThe end."
    new = "Intro stays.\n\nNotice of 60 days.\n\nThe end.\n\nA new clause."
    out = changes(old, new)
    assert Segment("removed", "30") in out and Segment("added", "60") in out
    assert Segment("skipped", "1 unchanged paragraph") in out
    assert Segment("added", "A new clause.") in out
    assert changes(old, old) == []
