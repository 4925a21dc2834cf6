"""The app shell: a header with the signed-in person, navigation by role, and the page's main region."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex.experimental.client_state import ClientStateVar
from reflex.vars import FunctionVar

from prm_app.web.components.idle import idle_warning
from prm_app.web.components.native_form import native_form
from prm_app.web.header_state import HeaderState
from prm_app.web.language_state import LanguageState, has_words, t
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
        rx.button(t("shell.sign_out"), type="submit", variant="soft", size="2", disabled=~rx.State.is_hydrated),
        method="post",
        action=SIGN_OUT_PATH,
        aria_label=t("shell.sign_out"),
    )


def demo_badge() -> rx.Component:
    """Shown on every page while the server runs the demo program (make run), never in production."""
    return rx.cond(
        AuthState.demo_mode,
        rx.badge(t("shell.demo_mode"), color_scheme="amber", variant="solid", size="2", title=t("shell.demo_title")),
    )


def _count_badge(count: rx.Var) -> rx.Component:
    """A small round count, shown only above 0; the link around it says the count in its accessible name."""
    return rx.cond(
        count > 0,
        rx.badge(
            count, color_scheme="red", variant="solid", high_contrast=True, radius="full", size="1", aria_hidden="true"
        ),
    )


def _badge_count(page_name: str) -> rx.Var:
    return HeaderState.badges[page_name].to(int)


def _words_or(key: str, text: str) -> rx.Var | str:
    """The message `key` in the person's language, or `text` as it is when the catalogue has no such key."""
    return t(key) if has_words(key) else text


def _nav_link(spec: PageSpec) -> rx.Component:
    nav = spec.nav
    assert nav is not None  # nav_items lists only pages with a nav entry
    label = _words_or(f"nav.{spec.name}", nav.label)
    content = [rx.icon(nav.icon, size=16, aria_hidden="true"), rx.text(label)]
    named: dict = {}
    if spec.badge is not None:
        count = _badge_count(spec.name)
        content.append(_count_badge(count))
        counted = _words_or(f"badge.{spec.badge.label}", spec.badge.label)
        named["aria_label"] = rx.cond(count > 0, f"{label}, {count} {counted}", label)
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


def bell(page_name: str = "notifications_page") -> rx.Component:
    """The person's notifications (the partner's, or on the console a vendor person's own): an icon link named
    "Notifications, N unread", the count as a badge."""
    unread = _badge_count(page_name)  # the page's badge (prm_app/notifications/ui)
    return rx.link(
        rx.icon("bell", size=20, aria_hidden="true"),
        _count_badge(unread),
        href=url_for(page_name),
        aria_label=f"{t('shell.notifications')}, {rx.cond(unread > 0, unread, 0)} {t('shell.unread')}",
        title=t("shell.notifications"),
        class_name="nav-link",
        underline="none",
        display="inline-flex",
        align_items="center",
        gap="0.25rem",
    )


def _nav() -> rx.Component:
    """The person's own navigation, drawn once the page's guard has said who they are: before that a tab knows no
    role, and a partner's page showed the vendor's entries (Dashboards, Partners, Registrations...) while it loaded."""
    return rx.el.nav(
        rx.cond(
            AuthState.user_role == "",
            rx.fragment(),
            rx.cond(
                AuthState.is_partner,
                rx.el.div(*[_nav_link(p) for p in nav_items(Audience.PARTNER)], class_name="nav-list"),
                rx.el.div(*[_nav_link(p) for p in nav_items(Audience.INTERNAL)], class_name="nav-list"),
            ),
        ),
        aria_label=t("shell.main_nav"),
    )


def search_box() -> rx.Component:
    """Search everything this person may see; results on the search page (prm_app/search)."""
    return rx.form(
        rx.el.label(t("shell.search"), html_for="header-search", class_name="sr-only"),
        rx.input(
            id="header-search",
            name="q",
            type="search",
            placeholder=t("shell.search_placeholder"),
            size="2",
            width="100%",
        ),
        on_submit=HeaderState.search,
        reset_on_submit=True,
        role="search",
        aria_label=t("shell.search_site"),
        class_name="header-search",
    )


# Whether the phone menu is open: the browser's own state (React's useState), so opening it costs no round trip
# to the server and nothing in the tab's server state. It outlives a page, so _AppMain closes it on arrival.
_menu_open = ClientStateVar.create("header_menu_open", default=False)
MENU_ID = "site-menu"


def _menu_button() -> rx.Component:
    """Under ~600 px (assets/app.css) the navigation, search and account fold away behind this button."""
    return rx.el.button(
        # Two icons, not one whose name is a var: a var name makes Reflex ship a lazy-import map of every lucide
        # icon (~650 KB of JavaScript) in the shell that every page loads and parses.
        rx.cond(
            _menu_open.value, rx.icon("x", size=18, aria_hidden="true"), rx.icon("menu", size=18, aria_hidden="true")
        ),
        t("shell.menu"),
        type="button",
        class_name="menu-toggle",
        aria_expanded=rx.cond(_menu_open.value, "true", "false"),
        aria_controls=MENU_ID,
        on_click=_menu_open.set_value(~_menu_open.value),
    )


def _account() -> rx.Component:
    return rx.box(
        rx.link(
            AuthState.user_name,
            href=url_for("account_page"),
            aria_label=t("shell.your_account") + ": " + AuthState.user_name.to(str),
            weight="medium",
            size="2",
            display="block",
        ),
        rx.text(AuthState.role_label, size="1", color_scheme="gray"),
        class_name="header-account",
    )


def gate_banner() -> rx.Component:
    """A registered gate's notice (web/state.py), e.g. "The Partner Program Agreement must be signed by 14 Dec
    2026.", with a link to the page that lifts it; nothing when there is none."""
    return rx.cond(
        AuthState.gate_notice != "",
        rx.callout(
            rx.text(
                AuthState.gate_notice,
                " ",
                rx.link("Read and sign it", href=AuthState.gate_link, weight="medium"),
            ),
            icon="triangle_alert",
            color_scheme="amber",
            role="status",
            width="100%",
            margin_bottom="1rem",
            id="gate-notice",
        ),
    )


def _header() -> rx.Component:
    # The logo is a paragraph, not a heading: each page has exactly one h1, its own title. (Radix's Heading
    # renders any `as_` other than h1-h6 as an h1, so the logo cannot be an rx.heading.)
    return rx.el.header(
        rx.el.div(
            rx.el.div(
                rx.link(
                    rx.text("Open PRM", size="5", weight="bold", as_="p"),
                    href="/",
                    underline="none",
                    color_scheme="indigo",
                ),
                demo_badge(),
                rx.cond(AuthState.is_partner, bell(), bell("console_notifications_page")),
                _menu_button(),
                class_name="app-bar",
            ),
            rx.el.div(
                _nav(),
                rx.el.div(search_box(), _account(), sign_out_button(), class_name="header-tools"),
                id=MENU_ID,
                class_name="app-menu",
                custom_attrs={"data-open": rx.cond(_menu_open.value, "true", "false")},
            ),
            class_name="app-header-inner",
        ),
        class_name="app-header",
    )


class _AppMain(rx.el.Main):
    """The page's main region. After an in-app navigation the link just used is gone, so the browser would leave
    focus on the page's body (a screen reader hears nothing): focus moves to the new page's h1 instead. A full page
    load leaves focus at the top, where the skip link comes first."""

    def add_imports(self) -> dict:
        return {"react": ["useEffect"], "react-router": ["useLocation"]}

    def add_hooks(self) -> list[str | rx.Var]:
        close_menu = _menu_open.set_value(False)  # the phone menu's open state outlives the page: close it
        arrived = f"""useEffect(() => {{
    if (window.__prmShownPath !== undefined && window.__prmShownPath !== prmLocation.pathname) {{
        ({close_menu})();
        (document.querySelector("main h1") ?? document.getElementById("main"))?.focus();
    }}
    window.__prmShownPath = prmLocation.pathname;
}}, [prmLocation.pathname]);"""
        # <html lang> follows the person's language (the static page says "en"), for screen readers and hyphenation.
        language = LanguageState.language
        lang = f"useEffect(() => {{ document.documentElement.lang = {language}; }}, [{language}]);"
        return [
            "const prmLocation = useLocation();",
            rx.Var(arrived, _var_data=close_menu._get_all_var_data()),
            rx.Var(lang, _var_data=language._get_all_var_data()),
        ]


# In the browser, no round trip: the next Tab after the skip link is the page's first control.
_FOCUS_MAIN = rx.Var("((event) => { event.preventDefault(); document.getElementById('main')?.focus(); })").to(
    FunctionVar
)


def record_page(body: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
    """Mark a page body that draws its own breadcrumbs and h1 (`record_heading`): the shell then adds no h1."""
    body.draws_own_heading = True  # type: ignore[attr-defined]
    return body


def record_heading(name: rx.Var, trail: list[tuple[str, Any]], fallback: str) -> rx.Component:
    """Breadcrumbs (`trail`: (label, href) of the pages above the record) and the record's name as the page's h1;
    `fallback` (the page's title) while the name is empty: loading, or not found."""
    crumbs = [rx.el.li(rx.link(label, href=href)) for label, href in trail]
    here = rx.cond(name, name, fallback)  # "" or not there yet: the title
    return rx.fragment(
        rx.el.nav(
            rx.el.ol(*crumbs, rx.el.li(here, aria_current="page"), class_name="breadcrumbs"),
            aria_label="Breadcrumb",
        ),
        page_title(here),
    )


def page_title(text: rx.Var | str) -> rx.Component:
    """The page's one h1; focusable from script only (in-app navigation moves focus here)."""
    return rx.heading(text, size="7", as_="h1", margin_bottom="1rem", tab_index=-1, class_name="page-title")


def app_shell(title: str, body: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
    """A signed-in page: skip link, header with navigation, and the body under the page's h1."""
    own_heading = getattr(body, "draws_own_heading", False)
    heading = _words_or(f"page.{body.__name__}", title)  # the title in the person's language where it has words

    def page() -> rx.Component:
        return rx.fragment(
            # A plain anchor (a router link would only change the address); browsers scroll to #main but leave
            # focus where it was, so the click moves it there itself (main is focusable by script, tabindex -1).
            rx.el.a(t("shell.skip"), href="#main", class_name="skip-link", on_click=_FOCUS_MAIN),
            idle_warning(),  # before the idle timeout: "You'll be signed out in N minutes", Stay signed in
            _header(),
            _AppMain.create(
                gate_banner(),
                *([] if own_heading else [page_title(heading)]),
                body(),
                id="main",
                tab_index=-1,
                class_name="app-main",
                # "true" once the app is live; tests wait for it before typing into handler-backed inputs.
                custom_attrs={"data-hydrated": rx.cond(rx.State.is_hydrated, "true", "false")},
            ),
        )

    page.__name__ = body.__name__
    # Reflex compiles a page's memoized parts into a module named after the page function's module: named after
    # this one, every page's parts went into one shell module (800 KB) that every page loaded and parsed. Named
    # after the page's own module, each page loads its own parts (the shell's few repeat in each).
    page.__module__ = body.__module__
    return page


def public_page(body: rx.Component, title: str | rx.Var) -> rx.Component:
    """A page outside the app (login, invitation): centered card, no navigation."""
    return rx.el.main(
        rx.center(
            rx.card(
                rx.vstack(
                    rx.hstack(
                        rx.text("Open PRM", size="4", weight="bold", as_="p", color_scheme="indigo"),
                        demo_badge(),
                        align="center",
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
