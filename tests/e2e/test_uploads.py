"""Uploads are bounded before they are parsed (issue #9 item 6), against the real prod server: an anonymous or
unauthorized POST to Reflex's upload endpoint is refused before its body is sent; a signed-in manager's oversize
upload is cut off while it streams and the message shows next to the field with nothing stored; a normal import still
works (also tests/e2e/test_leads.py)."""

from __future__ import annotations

import select
import socket
import time
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import BASE_URL, PORT, ROOT, assert_accessible, log_in, wait_live

MANAGER = "maya.cm@vendor.example"
PARTNER = "dana.price@northwind-dist.example"
STORED = ROOT / "uploads" / "record-imports"  # where the e2e server (cwd ROOT) keeps uploads between runs
JOB_WAIT_MS = 60_000  # a job consumer polling an idle queue backs off to 10 s between looks
TOO_BIG = "That file is over 5 MB; split it into smaller files."
HEADER = "company,domain,contact_name,contact_email,country,city,postcode,vertical,products,estimated_size,source\n"


def preview_handler() -> str:
    from prm_app.dataio.ui.import_state import DataImportState

    return f"{DataImportState.get_full_name()}.upload_leads"  # the lead import's own upload handler


def stored() -> set[str]:
    return {p.name for p in STORED.glob("*")} if STORED.is_dir() else set()


def post_upload(
    *, declared: int, cookie: str = "", tab: str = "", send_up_to: int = 0, timeout: float = 20
) -> tuple[int, int]:
    """POST a multipart upload declaring `declared` body bytes, sending at most `send_up_to` of them, as fast as the
    server takes them, until it answers or closes. Returns (HTTP status or 0 when closed unanswered, bytes sent)."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode() + HEADER.encode()
    lines = [
        "POST /_upload HTTP/1.1",
        f"Host: localhost:{PORT}",
        f"Origin: {BASE_URL}",
        f"Content-Type: multipart/form-data; boundary={boundary}",
        f"Content-Length: {declared}",
        f"Reflex-Client-Token: {tab or uuid.uuid4()}",
        f"Reflex-Event-Handler: {preview_handler()}",
    ]
    if cookie:
        lines.append(f"Cookie: prm_session={cookie}")
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=timeout)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)  # so "sent" is close to "read by the server"
    sent = 0
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        body = head + b"x" * (send_up_to - len(head)) if send_up_to else b""
        deadline = time.time() + timeout
        while sent < len(body) and time.time() < deadline:
            readable, writable, _ = select.select([sock], [sock], [], 1)
            if readable:
                break  # the server answered (or closed) before taking the whole body
            if writable:
                try:
                    sent += sock.send(body[sent : sent + 64 * 1024])
                except (BrokenPipeError, ConnectionResetError):
                    break
        answer = b""
        try:
            while b"\r\n" not in answer:
                piece = sock.recv(4096)
                if not piece:
                    break
                answer += piece
        except (ConnectionResetError, TimeoutError):
            pass
    finally:
        sock.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    return status, sent


def session_of(page: Page) -> tuple[str, str]:
    """(the session cookie, the tab's Reflex client token) of a signed-in page."""
    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "prm_session")
    return cookie, page.evaluate("window.sessionStorage.getItem('token')")


def test_an_anonymous_upload_is_refused_before_its_body_is_read(app_server):
    before = stored()
    # 50 MB declared, not a byte of it sent: only a server that decides from the headers answers at all.
    status, _ = post_upload(declared=50_000_000, timeout=15)
    assert status == 401
    status, _ = post_upload(declared=50_000_000, cookie="forged-or-expired-token", timeout=15)
    assert status == 401
    assert stored() == before


def test_a_partner_cannot_upload_lead_imports(page: Page):
    log_in(page, PARTNER, expect_path="/portal")
    cookie, tab = session_of(page)
    status, _ = post_upload(declared=50_000_000, cookie=cookie, tab=tab, timeout=15)
    assert status == 403


def test_a_manager_upload_past_the_cap_is_cut_off_while_it_streams(page: Page):
    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/data/import?kind=leads")
    cookie, tab = session_of(page)
    before = stored()

    status, sent = post_upload(declared=60_000_000, cookie=cookie, tab=tab, send_up_to=60_000_000, timeout=60)

    assert sent < 12_000_000, f"the server took {sent:,} bytes of a 60 MB upload past a 5 MB cap"
    assert status in (0, 400, 413)
    expect(page.get_by_role("alert").filter(has_text=TOO_BIG)).to_be_visible()  # told in the tab it came from
    assert stored() == before


def test_an_oversize_file_shows_the_message_next_to_the_field_and_the_next_one_imports(page: Page, tmp_path: Path):
    big = tmp_path / "big-leads.csv"
    row = "Rio Foods,riofoods.com,Ana Lima,ana@riofoods.com,BR,São Paulo,,retail,PRM-CORE,20000,event\n"
    big.write_text(HEADER + row * (6 * 1024 * 1024 // len(row) + 1), encoding="utf-8")
    small = tmp_path / "few-leads.csv"
    small.write_text(HEADER + "Lagoa Labs,lagoalabs.pt,Rui Sá,rui@lagoalabs.pt,PT,Porto,,retail,PRM-CORE,9000,event\n")
    log_in(page, MANAGER, expect_path="/partners")
    page.goto("/data/import?kind=leads")
    wait_live(page)  # a file chosen before the page is live reaches no handler
    before = stored()

    page.locator('input[type="file"]').set_input_files(str(big))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert").filter(has_text=TOO_BIG)).to_be_visible()
    assert stored() == before
    assert_accessible(page)

    page.locator('input[type="file"]').set_input_files(str(small))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("few-leads.csv: 1 rows.")).to_be_visible()
    expect(page.get_by_text(TOO_BIG)).to_have_count(0)
    assert len(stored() - before) == 1
    page.get_by_role("button", name="Dry run").click()
    expect(page.get_by_text("Dry run, nothing written: 1 added, 0 updated, 0 skipped, 0 failed.")).to_be_visible(
        timeout=JOB_WAIT_MS
    )
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported: 1 added, 0 updated, 0 skipped, 0 failed.")).to_be_visible(timeout=JOB_WAIT_MS)
    assert stored() == before  # the import discards its file
