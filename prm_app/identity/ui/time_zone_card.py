"""The account page's time zone setting: the zone every time on the person's pages is shown in.

Set from the browser at the first sign-in (login.py hands it to the sign-in endpoint); here the person sees it,
changes it, or takes the zone this browser reports (a laptop that travelled)."""

from __future__ import annotations

import reflex as rx

from prm_app.identity.time_zones import my_time_zone, set_my_time_zone
from prm_app.platform.clock import utcnow
from prm_app.platform.errors import DomainError
from prm_app.platform.zones import DEFAULT_ZONE, current_name, is_zone, zone_choices, zone_label, zone_named
from prm_app.web.components.forms import field_message
from prm_app.web.format import moment
from prm_app.web.language_state import t
from prm_app.web.state import AuthState

ZONE_SELECT = "field-time_zone"
_BROWSER_ZONE = "Intl.DateTimeFormat().resolvedOptions().timeZone || ''"


class TimeZoneState(AuthState):
    saved: str = ""  # the stored zone's name, "" while none is set (times then read in UTC)
    choice: str = DEFAULT_ZONE  # what the select shows
    browser_zone: str = ""  # what this browser reports, when the tz database knows it
    browser_label: str = ""  # its button: "Use this browser's zone (Europe / Berlin)", in the person's language
    # "Every time in the app is shown in this zone. Now there: 6 Dec 2026, 21:05 CET.", in the person's language
    now_sentence: str = ""
    error: str = ""

    def _show(self, saved: str) -> None:
        self.saved = saved
        self.choice = saved or self.browser_zone or DEFAULT_ZONE
        now = moment(utcnow(), zone_named(saved), language=self.language)
        self.now_sentence = self._words().text("tz.now_there", now=now)

    @rx.event
    def load(self):
        self.error = ""
        self._show(self._run(my_time_zone))
        return rx.call_script(_BROWSER_ZONE, callback=TimeZoneState.got_browser_zone)

    @rx.event
    def got_browser_zone(self, name: str):
        """What the browser reported (display only: saving still goes through `save` and its check)."""
        name = current_name(name) if isinstance(name, str) else ""
        self.browser_zone = name if is_zone(name) else ""
        self.browser_label = self._words().text("tz.use_browser", zone=self.browser_zone)
        if not self.saved and self.browser_zone:
            self.choice = self.browser_zone

    @rx.event
    def pick(self, name: str):
        self.choice, self.error = str(name)[:64], ""

    @rx.event
    def save(self):
        return self._save(self.choice)

    @rx.event
    def use_browser_zone(self):
        return self._save(self.browser_zone)

    def _save(self, name: str):
        try:
            saved = self._run(set_my_time_zone, name)
        except DomainError as exc:
            self.error = self._words().text("tz.invalid") if exc.field == "time_zone" else exc.message
            return rx.set_focus(ZONE_SELECT)
        self.error = ""
        self._show(saved)
        return rx.toast.success(self._words().text("tz.saved", zone=zone_label(saved)))


def time_zone_card(then: rx.event.EventType[()]) -> rx.Component:
    """The card; `then` runs after a save (the page's own times, shown again in the new zone)."""
    s = TimeZoneState
    return rx.card(
        rx.heading(t("tz.heading"), size="4", as_="h2", margin_bottom="0.75rem"),
        rx.vstack(
            rx.text(s.now_sentence, size="2", role="status"),
            rx.box(
                rx.el.label(t("tz.heading"), html_for=ZONE_SELECT, class_name="field-label"),
                rx.el.select(
                    *[rx.el.option(zone_label(z), value=z) for z in zone_choices()],
                    id=ZONE_SELECT,
                    name="time_zone",
                    value=s.choice,
                    on_change=s.pick,
                    class_name="native-select",
                    custom_attrs={
                        "aria-invalid": rx.cond(s.error != "", "true", "false"),
                        "aria-describedby": f"{ZONE_SELECT}-error",
                    },
                ),
                field_message(s.error, ZONE_SELECT),
                width="100%",
            ),
            rx.flex(
                rx.button(t("tz.save"), on_click=[s.save, then], disabled=~rx.State.is_hydrated),
                rx.cond(
                    (s.browser_zone != "") & (s.browser_zone != s.saved),
                    rx.button(
                        s.browser_label,
                        variant="soft",
                        on_click=[s.use_browser_zone, then],
                    ),
                ),
                wrap="wrap",
                spacing="3",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
