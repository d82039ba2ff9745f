"""What a file is, from its bytes: magic numbers for the binary types, strict UTF-8 for text.

The name only has to agree: `plan.png` whose bytes are HTML is a disguised type (415). Decided:
- SVG is accepted, as a download-only type: plans and drawings come as SVG, and an SVG is a
  document that may carry script, so it is never shown inline; downloads carry
  `Content-Disposition: attachment` and `Content-Security-Policy: sandbox` (scripts never run).
- HTML (and other XML) is refused: no project needs to attach a web page, and it is the type
  that does the most harm should anything between us and a browser drop those headers.
"""

import codecs
import re
from dataclasses import dataclass, field

SVG = "image/svg+xml"
HTML = "text/html"
XML = "application/xml"
# Shown in the page: raster images only. Everything else is a download.
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
# The allow-list: media type -> the file name endings that may carry it.
ALLOWED = {
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
    SVG: (".svg",),
    "text/plain": (".txt", ".text"),
    "text/markdown": (".md", ".markdown"),
    "text/csv": (".csv",),
}
TEXT_TYPES = ("text/plain", "text/markdown", "text/csv")
HEAD_BYTES = 1024  # what the sniffing looks at

MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)
# The WHATWG MIME sniffing standard's HTML signatures (a tag name, then space or ">").
_HTML_START = re.compile(
    rb"<(!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)"
    rb"[\s>]",
    re.IGNORECASE,
)
_SVG_TAG = re.compile(rb"<svg[\s>/]", re.IGNORECASE)
# Text may hold tabs, line breaks and form feeds, not other control characters (nor NUL).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass
class Sniffer:
    """Fed the bytes as they stream in; knows what they were once they end."""

    head: bytearray = field(default_factory=bytearray)
    is_text: bool = True
    _decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")("strict")
    )

    def feed(self, chunk: bytes) -> None:
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]
        if self.is_text:
            self._check_text(chunk, final=False)

    def _check_text(self, chunk: bytes, *, final: bool) -> None:
        try:
            text = self._decoder.decode(chunk, final=final)
        except UnicodeDecodeError:
            self.is_text = False
            return
        if _CONTROL.search(text):
            self.is_text = False

    def media_type(self) -> str | None:
        """The detected type (maybe one that is refused), or None when it is none we know."""
        if self.is_text:
            self._check_text(b"", final=True)
        head = bytes(self.head)
        for magic, media_type in MAGIC:
            if head.startswith(magic):
                return media_type
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return "image/webp"
        if not self.is_text:
            return None
        return _markup_type(head.removeprefix(codecs.BOM_UTF8).lstrip()) or "text/plain"


def _markup_type(start: bytes) -> str | None:
    if _SVG_TAG.match(start):
        return SVG
    if _HTML_START.match(start):
        return HTML
    if start.startswith(b"<?xml") or start.lower().startswith(b"<!doctype"):
        return SVG if _SVG_TAG.search(start) else XML
    return None


def type_for_name(detected: str, filename: str) -> str:
    """The type to store: the detected one, told apart among text types by the name's ending.
    Raises ValueError (with the reason) when the bytes and the name disagree."""
    ending = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    candidates = TEXT_TYPES if detected == "text/plain" else (detected,)
    for media_type in candidates:
        if ending in ALLOWED[media_type]:
            return media_type
    endings = ", ".join(e for t in candidates for e in ALLOWED[t])
    raise ValueError(
        f"The file's bytes are {detected}, but its name ends in {ending or 'nothing'}: "
        f"name it with one of {endings}"
    )
