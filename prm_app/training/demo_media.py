"""Media for the demo courses, made when seeding (no binary files in the repository): a PDF deployment guide drawn
with fpdf2, and a short MP4 video written in pure Python.

The video is baseline H.264 whose macroblocks are all I_PCM (raw samples, no prediction or entropy coding: the
simplest stream every decoder plays), one intra frame per second, in an MP4 container with the index first so a
browser can start and seek with range requests. Frames are drawn with Pillow: a title, a progress bar and the
second shown, so a person (or a test) can see where the player is."""

from __future__ import annotations

import struct

from fpdf import FPDF
from PIL import Image, ImageDraw

WIDTH, HEIGHT = 128, 96  # 8 x 6 macroblocks


class _Bits:
    def __init__(self) -> None:
        self.bits: list[int] = []

    # Each writer returns the writer, so a header reads as one line of fields: w.u(66, 8), w.ue(0), ...
    def u(self, value: int, width: int) -> _Bits:
        self.bits += [(value >> (width - 1 - i)) & 1 for i in range(width)]
        return self

    def ue(self, value: int) -> _Bits:
        code = value + 1
        self.u(0, code.bit_length() - 1)
        return self.u(code, code.bit_length())

    def align(self) -> _Bits:
        while len(self.bits) % 8:
            self.bits.append(0)
        return self

    def raw(self, data: bytes) -> _Bits:
        assert len(self.bits) % 8 == 0
        self.bits += [(b >> (7 - i)) & 1 for b in data for i in range(8)]
        return self

    def data(self) -> bytes:
        return bytes(int("".join(map(str, self.bits[i : i + 8])), 2) for i in range(0, len(self.bits), 8))


def _nal(header: int, rbsp: bytes) -> bytes:
    """A NAL unit with emulation prevention (no 00 00 0x inside the payload)."""
    out, zeros = bytearray([header]), 0
    for b in rbsp:
        if zeros >= 2 and b <= 3:
            out.append(3)
            zeros = 0
        out.append(b)
        zeros = zeros + 1 if b == 0 else 0
    return bytes(out)


def _sps() -> bytes:
    w = _Bits()
    w.u(66, 8), w.u(0, 8), w.u(30, 8)  # baseline profile, level 3.0
    for value in (0, 0, 0, 0, 1):  # sps id, log2_max_frame_num-4, poc type, log2_max_poc_lsb-4, ref frames
        w.ue(value)
    w.u(0, 1)  # no gaps in frame_num
    w.ue(WIDTH // 16 - 1), w.ue(HEIGHT // 16 - 1)
    w.u(1, 1), w.u(0, 1), w.u(0, 1), w.u(0, 1)  # frames only, direct 8x8, no cropping, no VUI
    w.u(1, 1), w.align()
    return _nal(0x67, w.data())


def _pps() -> bytes:
    w = _Bits()
    w.ue(0), w.ue(0), w.u(0, 1), w.u(0, 1), w.ue(0), w.ue(0), w.ue(0), w.u(0, 1), w.u(0, 2)
    w.ue(0), w.ue(0), w.ue(0)  # se(0) is ue(0): qp, qs and chroma offsets 0
    w.u(0, 1), w.u(0, 1), w.u(0, 1), w.u(1, 1), w.align()
    return _nal(0x68, w.data())


def _frame(image: Image.Image, index: int) -> bytes:
    """One IDR picture of I_PCM macroblocks."""
    y, cb, cr = image.convert("YCbCr").split()
    cb, cr = cb.resize((WIDTH // 2, HEIGHT // 2)), cr.resize((WIDTH // 2, HEIGHT // 2))
    w = _Bits()
    w.ue(0), w.ue(7), w.ue(0), w.u(0, 4), w.ue(index % 2), w.u(0, 4)  # first mb, I slice, pps, frame_num, idr id, poc
    w.u(0, 1), w.u(0, 1), w.ue(0)  # dec_ref_pic_marking, slice_qp_delta
    for my in range(HEIGHT // 16):
        for mx in range(WIDTH // 16):
            w.ue(25)  # I_PCM
            w.align()
            block = bytes(y.crop((mx * 16, my * 16, mx * 16 + 16, my * 16 + 16)).tobytes())
            box = (mx * 8, my * 8, mx * 8 + 8, my * 8 + 8)
            w.raw(block + cb.crop(box).tobytes() + cr.crop(box).tobytes())
    w.u(1, 1), w.align()
    return _nal(0x65, w.data())


def _picture(second: int, seconds: int, title: str) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), (20, 60, 120))
    draw = ImageDraw.Draw(image)
    draw.text((6, 8), title[:20], fill=(255, 255, 255))
    draw.text((6, 40), f"0:{second:02d}", fill=(255, 220, 80))
    draw.rectangle((6, 76, 6 + int(116 * (second + 1) / seconds), 84), fill=(80, 200, 120))
    return image


def _box(kind: bytes, *parts: bytes) -> bytes:
    body = b"".join(parts)
    return struct.pack(">I", 8 + len(body)) + kind + body


def _full(kind: bytes, version_flags: int, *parts: bytes) -> bytes:
    return _box(kind, struct.pack(">I", version_flags), *parts)


def demo_mp4(seconds: int = 30, title: str = "Core Platform tour") -> bytes:
    """A `seconds`-long 128x96 MP4 (H.264 baseline, one frame per second)."""
    sps, pps = _sps(), _pps()
    samples = [struct.pack(">I", len(f)) + f for f in (_frame(_picture(s, seconds, title), s) for s in range(seconds))]
    timescale = 1000
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    avcc = _box(
        b"avcC",
        bytes([1, 66, 0, 30, 0xFF, 0xE1]),
        struct.pack(">H", len(sps)),
        sps,
        b"\x01",
        struct.pack(">H", len(pps)),
        pps,
    )
    avc1 = _box(
        b"avc1",
        bytes(6),
        struct.pack(">H", 1),
        bytes(16),
        struct.pack(">HH", WIDTH, HEIGHT),
        struct.pack(">II", 0x480000, 0x480000),
        bytes(4),
        struct.pack(">H", 1),
        bytes(32),
        struct.pack(">Hh", 0x18, -1),
        avcc,
    )

    def moov(offset: int) -> bytes:
        stbl = _box(
            b"stbl",
            _full(b"stsd", 0, struct.pack(">I", 1), avc1),
            _full(b"stts", 0, struct.pack(">III", 1, seconds, timescale)),
            _full(b"stsc", 0, struct.pack(">IIII", 1, 1, seconds, 1)),
            _full(b"stsz", 0, struct.pack(">II", 0, seconds), *(struct.pack(">I", len(s)) for s in samples)),
            _full(b"stco", 0, struct.pack(">II", 1, offset)),
        )
        minf = _box(
            b"minf",
            _full(b"vmhd", 1, bytes(8)),
            _box(b"dinf", _full(b"dref", 0, struct.pack(">I", 1), _full(b"url ", 1))),
            stbl,
        )
        duration = seconds * timescale
        mdia = _box(
            b"mdia",
            _full(b"mdhd", 0, struct.pack(">IIIIHH", 0, 0, timescale, duration, 0x55C4, 0)),
            _full(b"hdlr", 0, bytes(4), b"vide", bytes(12), b"Video\x00"),
            minf,
        )
        tkhd = _full(
            b"tkhd",
            3,
            struct.pack(">IIIII", 0, 0, 1, 0, duration),
            bytes(8),
            struct.pack(">hhhH", 0, 0, 0, 0),
            matrix,
            struct.pack(">II", WIDTH << 16, HEIGHT << 16),
        )
        mvhd = _full(
            b"mvhd",
            0,
            struct.pack(">IIII", 0, 0, timescale, duration),
            struct.pack(">IH", 0x10000, 0x100),
            bytes(10),
            matrix,
            bytes(24),
            struct.pack(">I", 2),
        )
        return _box(b"moov", mvhd, _box(b"trak", tkhd, mdia))

    ftyp = _box(b"ftyp", b"isom", struct.pack(">I", 512), b"isomiso2avc1mp41")
    size = len(moov(0))
    return ftyp + moov(len(ftyp) + size + 8) + _box(b"mdat", *samples)


def demo_pdf(title: str, sections: list[tuple[str, str]]) -> bytes:
    """A short guide as PDF: a title and headed sections of plain text."""
    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for heading, text in sections:
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())
