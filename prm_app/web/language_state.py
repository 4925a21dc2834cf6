"""The person's language as the pages show it: the words of the signed-in person's language, in state.

Reflex compiles literal strings into the static frontend, so a page's words come from here: `t("shell.sign_out")`
is a Var reading the message from `LanguageState.msgs`, the plain messages of the person's language (English until
the page's guard has said who is signed in; English is also the frontend's initial state, so a page never shows
keys). The guard sets the language from the person's setting on each page opening, but the catalogue (7-9 KB) goes
to the browser only when the language changes: Reflex sends a var only when it changed, so in a tab it travels
once, not with each event. Sentences with a count or a value in them are made on the server by the handler that
prepares the page (`self._words().plural(...)`), and dates and money are formatted there in the person's
language (web/format.py's `language=`).

This state is AuthState's parent (the shell's front door) so every page state reads `self.language`, and signing
out (which resets the tab's whole tree) returns the tab to English.
"""

from __future__ import annotations

import reflex as rx

from prm_app.platform.i18n import DEFAULT_LANGUAGE, Catalogue, catalogue, plain_messages


class LanguageState(rx.State):
    language: str = DEFAULT_LANGUAGE  # a code of platform/i18n.py's LANGUAGES; <html lang> follows it
    msgs: dict[str, str] = plain_messages(DEFAULT_LANGUAGE)

    def _show_language(self, code: str) -> None:
        """Show the pages in `code` (the person's setting, read by the server): the catalogue is only set, and so
        only sent, when the language changes."""
        if code != self.language:
            self.language, self.msgs = code, plain_messages(code)

    def _words(self) -> Catalogue:
        """The person's catalogue, for the sentences a handler makes (counts, values)."""
        return catalogue(self.language)


def t(key: str) -> rx.Var:
    """The plain message `key` in the person's language, as a Var for a component. An unknown key fails when the
    page is built, not blank in the browser."""
    if key not in plain_messages(DEFAULT_LANGUAGE):
        raise KeyError(f"no message {key!r} in the catalogue (or it depends on a count: make it on the server)")
    return LanguageState.msgs[key].to(str)


def has_words(key: str) -> bool:
    """Whether the catalogue has the plain message `key` (a page title or navigation label may not)."""
    return key in plain_messages(DEFAULT_LANGUAGE)
