"""The app shell: a header with the signed-in person, navigation by role, and the page's main region."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from prm_app.web.state import AuthState

# A nav entry appears only once its page exists.
PARTNER_NAV = [
    ("Home", "/portal", "house"),
    ("Deals", "/deals", "handshake"),
    ("Leads", "/leads", "inbox"),
    ("Scorecard", "/scorecard", "chart-line"),
    ("Team", "/portal/team", "users"),
]
INTERNAL_NAV = [
    ("Dashboards", "/dashboards", "chart-column"),
    ("Partners", "/partners", "building-2"),
    ("Deal registrations", "/registrations", "clipboard-check"),
    ("Lead queue", "/lead-queue", "list-ordered"),
    ("Partner NPS", "/surveys", "smile"),
]


def _nav_link(label: str, href: str, icon: str) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon(icon, size=16, aria_hidden="true"), rx.text(label), spacing="2", align="center"),
        href=href,
        class_name="nav-link",
        underline="none",
    )


def _nav() -> rx.Component:
    return rx.el.nav(
        rx.cond(
            AuthState.is_partner,
            rx.hstack(*[_nav_link(*n) for n in PARTNER_NAV], spacing="1", wrap="wrap"),
            rx.hstack(*[_nav_link(*n) for n in INTERNAL_NAV], spacing="1", wrap="wrap"),
        ),
        aria_label="Main",
    )


def _header() -> rx.Component:
    return rx.el.header(
        rx.flex(
            rx.link(rx.heading("Open PRM", size="5", as_="p"), href="/", underline="none", color_scheme="indigo"),
            _nav(),
            rx.spacer(),
            rx.hstack(
                rx.box(
                    rx.text(AuthState.user_name, weight="medium", size="2"),
                    rx.text(AuthState.role_label, size="1", color_scheme="gray"),
                    text_align="right",
                ),
                rx.button("Sign out", on_click=AuthState.log_out, variant="soft", size="2"),
                align="center",
                spacing="3",
            ),
            align="center",
            gap="3",
            wrap="wrap",
            padding_x="1rem",
            padding_y="0.75rem",
        ),
        class_name="app-header",
    )


def app_page(title: str, on_load: list) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """Wrap a page body in the shell. `on_load` is stored for the router (see prm_app.py)."""

    def decorate(body: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def page() -> rx.Component:
            return rx.fragment(
                rx.link("Skip to content", href="#main", class_name="skip-link"),
                _header(),
                rx.el.main(
                    rx.heading(title, size="7", as_="h1", margin_bottom="1rem"),
                    body(),
                    id="main",
                    tab_index=-1,
                    class_name="app-main",
                    # "true" once the app is live; tests wait for it before typing into handler-backed inputs.
                    custom_attrs={"data-hydrated": rx.cond(rx.State.is_hydrated, "true", "false")},
                ),
            )

        page.__name__ = body.__name__
        page.title = title  # type: ignore[attr-defined]
        page.on_load = on_load  # type: ignore[attr-defined]
        return page

    return decorate


def public_page(body: rx.Component, title: str) -> rx.Component:
    """A page outside the app (login, invitation): centered card, no navigation."""
    return rx.el.main(
        rx.center(
            rx.card(
                rx.vstack(
                    rx.heading("Open PRM", size="4", as_="p", color_scheme="indigo"),
                    rx.heading(title, size="6", as_="h1"),
                    body,
                    spacing="4",
                    width="100%",
                ),
                width="100%",
                max_width="26rem",
                size="3",
            ),
            min_height="100vh",
            padding="1rem",
        ),
        id="main",
        custom_attrs={"data-hydrated": rx.cond(rx.State.is_hydrated, "true", "false")},
    )
