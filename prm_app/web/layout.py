"""The app shell: a header with the signed-in person, navigation by role, and the page's main region."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from prm_app.web.components.idle import idle_warning
from prm_app.web.components.native_form import native_form
from prm_app.web.header_state import HeaderState
from prm_app.web.registry import Audience, PageSpec, nav_items, url_for
from prm_app.web.session_cookie import SIGN_OUT_PATH
from prm_app.web.state import AuthState


def tab_token_input() -> rx.Component:
    """The tab's client token in a form that posts to the session endpoints: they reset this tab's state."""
    return rx.el.input(type="hidden", name="tab", value=rx.State.router.session.client_token)


def sign_out_button() -> rx.Component:
    """A native form post: the endpoint ends the session server-side, clears the HttpOnly cookie and resets
    this tab's state (the cookie is out of reach of the page's JavaScript, so no event handler could)."""
    return native_form(
        tab_token_input(),
        rx.button("Sign out", type="submit", variant="soft", size="2", disabled=~rx.State.is_hydrated),
        method="post",
        action=SIGN_OUT_PATH,
        aria_label="Sign out",
    )


def demo_badge() -> rx.Component:
    """Shown on every page while the server runs the demo program (make run), never in production."""
    return rx.cond(
        AuthState.demo_mode,
        rx.badge("Demo mode", color_scheme="amber", variant="solid", size="2", title="Demo data and demo logins"),
    )


def _count_badge(count: rx.Var) -> rx.Component:
    """A small round count, shown only above 0; the link around it says the count in its accessible name."""
    return rx.cond(
        count > 0,
        rx.badge(count, color_scheme="red", variant="solid", radius="full", size="1", aria_hidden="true"),
    )


def _badge_count(page_name: str) -> rx.Var:
    return HeaderState.badges[page_name].to(int)


def _nav_link(spec: PageSpec) -> rx.Component:
    nav = spec.nav
    assert nav is not None  # nav_items lists only pages with a nav entry
    content = [rx.icon(nav.icon, size=16, aria_hidden="true"), rx.text(nav.label)]
    named: dict = {}
    if spec.badge is not None:
        count = _badge_count(spec.name)
        content.append(_count_badge(count))
        named["aria_label"] = rx.cond(count > 0, f"{nav.label}, {count} {spec.badge.label}", nav.label)
    path = rx.State.router.url.path
    here = (path == spec.route) | (path == spec.route + "/")  # the static build may add the trailing slash
    link = rx.link(
        rx.hstack(*content, spacing="2", align="center"),
        href=spec.route,
        class_name="nav-link",
        underline="none",
        aria_current=rx.cond(here, "page", "false"),
        **named,
    )
    if nav.permission is None:
        return link
    return rx.cond(rx.Var.create(nav.roles()).contains(AuthState.user_role), link)


def bell() -> rx.Component:
    """The partner's notifications: an icon link named "Notifications, N unread", the count as a badge."""
    unread = _badge_count("notifications_page")  # the page's badge (prm_app/notifications/ui)
    return rx.link(
        rx.icon("bell", size=20, aria_hidden="true"),
        _count_badge(unread),
        href=url_for("notifications_page"),
        aria_label=f"Notifications, {rx.cond(unread > 0, unread, 0)} unread",
        title="Notifications",
        class_name="nav-link",
        underline="none",
        display="inline-flex",
        align_items="center",
        gap="0.25rem",
    )


def _nav() -> rx.Component:
    return rx.el.nav(
        rx.cond(
            AuthState.is_partner,
            rx.hstack(*[_nav_link(p) for p in nav_items(Audience.PARTNER)], spacing="1", wrap="wrap"),
            rx.hstack(*[_nav_link(p) for p in nav_items(Audience.INTERNAL)], spacing="1", wrap="wrap"),
        ),
        aria_label="Main",
    )


def search_box() -> rx.Component:
    """Search everything this person may see; results on the search page (prm_app/search)."""
    return rx.form(
        rx.el.label("Search", html_for="header-search", class_name="sr-only"),
        rx.input(id="header-search", name="q", type="search", placeholder="Search…", size="2", width="11rem"),
        on_submit=HeaderState.search,
        reset_on_submit=True,
        role="search",
        aria_label="Search this site",
    )


def _header() -> rx.Component:
    return rx.el.header(
        rx.flex(
            rx.link(rx.heading("Open PRM", size="5", as_="p"), href="/", underline="none", color_scheme="indigo"),
            demo_badge(),
            _nav(),
            rx.spacer(),
            rx.hstack(
                search_box(),
                rx.cond(AuthState.is_partner, bell()),
                rx.box(
                    rx.link(
                        AuthState.user_name,
                        href=url_for("account_page"),
                        aria_label="Your account: " + AuthState.user_name.to(str),
                        weight="medium",
                        size="2",
                        display="block",
                    ),
                    rx.text(AuthState.role_label, size="1", color_scheme="gray"),
                    text_align="right",
                ),
                sign_out_button(),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            align="center",
            gap="3",
            wrap="wrap",
            padding_x="1rem",
            padding_y="0.75rem",
        ),
        class_name="app-header",
    )


def app_shell(title: str, body: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
    """A signed-in page: skip link, header with navigation, and the body under the page's h1."""

    def page() -> rx.Component:
        return rx.fragment(
            rx.link("Skip to content", href="#main", class_name="skip-link"),
            idle_warning(),  # before the idle timeout: "You'll be signed out in N minutes", Stay signed in
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
    return page


def public_page(body: rx.Component, title: str) -> rx.Component:
    """A page outside the app (login, invitation): centered card, no navigation."""
    return rx.el.main(
        rx.center(
            rx.card(
                rx.vstack(
                    rx.hstack(
                        rx.heading("Open PRM", size="4", as_="p", color_scheme="indigo"), demo_badge(), align="center"
                    ),
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
