"""The organization profile card, shared by the partner's home and the internal partner page (its words in the
reader's language; the values come formatted from the page's state)."""

from __future__ import annotations

import reflex as rx

from prm_app.web.language_state import t


def fact(label: str | rx.Var, value: rx.Var | rx.Component) -> rx.Component:
    """A small grey label over its value: the building block of every facts grid."""
    return rx.box(
        rx.text(label, size="1", color_scheme="gray", weight="medium"),
        value if isinstance(value, rx.Component) else rx.text(value, size="3"),
    )


def profile_card(profile: rx.Var, benefits: rx.Var, subs: rx.Var) -> rx.Component:
    """`profile` is a dict var with the PartnerProfile's text fields."""
    return rx.grid(
        rx.card(
            rx.heading(t("profile.organization"), size="4", as_="h2", margin_bottom="0.75rem"),
            rx.grid(
                fact(t("profile.partner_type"), profile["type_label"]),
                fact(t("profile.tier"), rx.badge(profile["tier"], size="2", color_scheme="indigo", high_contrast=True)),
                fact(t("profile.region"), profile["region"]),
                fact(t("profile.country"), rx.text(profile["city"], ", ", profile["country"])),
                # rx.cond on the value itself: before the page loads the profile is {} (no empty links meanwhile)
                fact(
                    t("profile.website"),
                    rx.cond(profile["website"], rx.link(profile["website"], href=profile["website"], is_external=True)),
                ),
                fact(t("profile.partner_since"), profile["joined"]),
                rx.cond(
                    profile["parent_name"] != "",
                    fact(t("profile.distributor"), profile["parent_name"]),
                ),
                columns={"initial": "1", "sm": "2"},
                spacing="4",
            ),
        ),
        rx.card(
            rx.heading(t("profile.channel_manager"), size="4", as_="h2", margin_bottom="0.75rem"),
            rx.cond(
                profile["manager_name"],
                rx.vstack(
                    rx.text(profile["manager_name"], weight="medium"),
                    rx.link(profile["manager_email"], href="mailto:" + profile["manager_email"].to(str)),
                    spacing="1",
                ),
                rx.text(t("profile.no_manager"), color_scheme="gray"),
            ),
            rx.heading(
                rx.text(t("profile.benefits_before"), profile["tier"], t("profile.benefits_after")),
                size="3",
                as_="h3",
                margin_top="1rem",
                margin_bottom="0.5rem",
            ),
            rx.el.ul(rx.foreach(benefits, lambda b: rx.el.li(b)), padding_left="1.25rem", class_name="benefits"),
        ),
        rx.cond(
            subs.length() > 0,
            rx.card(
                rx.heading(t("profile.sub_partners"), size="4", as_="h2", margin_bottom="0.75rem"),
                rx.el.ul(
                    rx.foreach(subs, lambda s: rx.el.li(s["name"], " (", s["type"], ")")),
                    padding_left="1.25rem",
                ),
            ),
        ),
        columns={"initial": "1", "md": "2"},
        spacing="4",
        width="100%",
    )
