"""The partner's notifications (and, at /notifications, a vendor person's own): newest first, paged, all or only
unread; each links to its record (opening it marks it read), can be marked read on its own, or all at once. Done
notices (their record was acted on) say so.

Reached from the bell in the header (web/layout.py); its state extends the header's, so marking read updates
the bell's count in the same event. The bell's count is this page's Badge.
"""

from __future__ import annotations

from datetime import tzinfo

import reflex as rx
from sqlmodel import Session

from prm_app.identity import viewer_zone
from prm_app.notifications import NoticePage, list_notices, mark_all_read, mark_read, open_notice, unread_count
from prm_app.notifications.ui.display import NoticeLine, notice_line
from prm_app.platform.access import Actor
from prm_app.platform.clock import utcnow
from prm_app.web.components.tables import pager
from prm_app.web.header_state import HeaderState
from prm_app.web.language_state import t
from prm_app.web.registry import Audience, Badge, page, url_for

SHOW = ("all", "unread")  # the filter's values; their labels are notifications.show.<value>


def _notice_id(value: object) -> int | None:
    """An id as the browser sent it (a number or its digits); anything else is no id."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return None


class NotificationsState(HeaderState):
    rows: list[NoticeLine] = []
    show: str = "all"
    page: int = 1
    pages: int = 1
    total: int = 0
    unread: int = 0
    unread_text: str = ""  # "3 unread notifications", in the person's language

    def _list(self, session: Session, actor: Actor) -> tuple[NoticePage, tzinfo]:
        """This page of notices, and the zone their times are read in."""
        notices = list_notices(session, actor, unread_only=self.show == "unread", page=self.page)
        return notices, viewer_zone(session, actor)

    def _show_page(self, listed: tuple[NoticePage, tzinfo]) -> None:
        result, zone = listed
        now = utcnow()
        self.rows = [notice_line(n, now, zone, self.language) for n in result.rows]
        self.total, self.page, self.pages, self.unread = result.total, result.page, result.pages, result.unread
        self.unread_text = self._words().plural("notifications.unread_count", result.unread)
        self._set_count("notifications_page", result.unread)  # the bell

    def _then_list(self, use_case, *args) -> None:
        """Run `use_case` and read the page again, in one unit of work."""

        def both(session: Session, actor: Actor) -> tuple[NoticePage, tzinfo]:
            use_case(session, actor, *args)
            return self._list(session, actor)

        self._show_page(self._run(both))

    @rx.event
    def load(self):
        self.show, self.page = "all", 1
        self._show_page(self._run(self._list))

    @rx.event
    def set_show(self, value: str):
        self.show = value if value in SHOW else "all"
        self.page = 1
        self._show_page(self._run(self._list))

    @rx.event
    def go_to(self, page: int):
        self.page = _notice_id(page) or 1
        self._show_page(self._run(self._list))

    @rx.event
    def mark_read(self, notice_id: int):
        if (nid := _notice_id(notice_id)) is None:
            return None
        self._then_list(mark_read, nid)
        # The button is gone: keyboard focus stays on the same notice. (rx.set_focus needs a static id: these are
        # rendered in a foreach, so their ids are dynamic and get no ref.)
        return rx.call_script(f"document.getElementById('notice-{nid}')?.focus()")

    @rx.event
    def mark_all_read(self):
        self._then_list(mark_all_read)
        return rx.toast.success(self._words().text("notifications.all_marked"))

    @rx.event
    def open(self, notice_id: int):
        """Open the notice's record, marking the notice read on the way."""
        if (nid := _notice_id(notice_id)) is None:
            return None
        link = self._run(open_notice, nid)
        if link:
            return rx.redirect(link)
        self._show_page(self._run(self._list))
        return None


def _item(n: rx.Var[NoticeLine]) -> rx.Component:
    unread = n.state == "unread"
    message = rx.cond(
        n.link != "",
        rx.link(
            n.message,
            href=n.link,
            id=f"notice-{n.id}",
            on_click=[rx.prevent_default, NotificationsState.open(n.id)],
            weight=rx.cond(unread, "bold", "regular"),
        ),
        rx.text(n.message, id=f"notice-{n.id}", tab_index=-1, weight=rx.cond(unread, "bold", "regular")),
    )
    return rx.el.li(
        rx.flex(
            rx.box(
                rx.hstack(
                    rx.badge(
                        n.state_label,
                        color_scheme=rx.match(n.state, ("unread", "indigo"), ("done", "green"), "gray"),
                        variant="soft",
                        high_contrast=True,  # the soft green alone is 4.3:1 at this size
                    ),
                    rx.el.time(n.when, date_time=n.at_iso, title=n.at, class_name="notice-time"),
                    spacing="2",
                    align="center",
                ),
                rx.box(message, margin_top="0.25rem"),
                flex="1",
                min_width="0",
            ),
            rx.cond(
                unread,
                rx.button(
                    t("notifications.mark_read"),
                    on_click=NotificationsState.mark_read(n.id),
                    variant="soft",
                    size="2",
                    aria_label=t("notifications.mark_read_of") + n.message,
                ),
            ),
            gap="0.75rem",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        padding_y="0.75rem",
        border_bottom="1px solid var(--gray-5)",
    )


@page(
    "/portal/notifications",
    title="Notifications",
    audience=Audience.PARTNER,
    on_load=NotificationsState.load,
    badge=Badge(unread_count, "unread"),  # shown on the bell (web/layout.py)
)
def notifications_page() -> rx.Component:
    return _notices(partner=True)


@page(
    "/notifications",
    title="Notifications",
    audience=Audience.INTERNAL,
    on_load=NotificationsState.load,
    badge=Badge(unread_count, "unread"),  # the console's bell: notices addressed to the person
)
def console_notifications_page() -> rx.Component:
    return _notices(partner=False)


def _notices(*, partner: bool) -> rx.Component:
    """The list, the same for a partner's person and one of the vendor's people (who have no email settings: their
    notices stay in the app)."""
    s = NotificationsState
    return rx.vstack(
        rx.flex(
            rx.box(
                rx.el.label(t("notifications.show"), html_for="notice-show", class_name="field-label"),
                rx.el.select(
                    *[rx.el.option(t(f"notifications.show.{key}"), value=key) for key in SHOW],
                    id="notice-show",
                    value=s.show,
                    class_name="native-select",
                    on_change=s.set_show,
                ),
                min_width="10rem",
            ),
            rx.flex(
                *(
                    [rx.link(t("notifications.email_settings"), href=url_for("notification_preferences_page"))]
                    if partner
                    else []
                ),
                rx.button(
                    t("notifications.mark_all_read"),
                    on_click=s.mark_all_read,
                    disabled=s.unread == 0,
                    variant="soft",
                    size="3",
                ),
                gap="1rem",
                align="center",
                wrap="wrap",
            ),
            justify="between",
            align="end",
            wrap="wrap",
            gap="0.75rem",
            width="100%",
        ),
        rx.text(s.unread_text, size="2", role="status"),
        rx.cond(
            s.rows.length() > 0,
            rx.el.ul(
                rx.foreach(s.rows, _item),
                aria_label=t("notifications.list"),
                list_style="none",
                padding="0",
                margin="0",
                width="100%",
            ),
            rx.callout(
                rx.cond(
                    s.show == "unread",
                    t("notifications.caught_up"),
                    t("notifications.none_partner" if partner else "notifications.none_console"),
                ),
                icon="bell",
                color_scheme="gray",
                width="100%",
            ),
        ),
        rx.cond(s.pages > 1, pager(s.page, s.pages, s.go_to)),
        spacing="4",
        width="100%",
    )
