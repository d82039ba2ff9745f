"""File names as people give them, made safe to keep and to send back in a header."""

import unicodedata
from urllib.parse import quote

MAX_FILENAME_CHARS = 255


def sanitise_filename(given: str) -> str:
    """The last path part, without control or format characters (a right-to-left override
    can make `gnp.exe` read as `exe.png`), NFC, no leading dots, at most 255 characters (the
    ending kept). Empty when nothing is left."""
    name = given.replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c)[0] not in ("C",))
    name = " ".join(name.split()).lstrip(".").strip()
    if len(name) > MAX_FILENAME_CHARS:
        stem, dot, ending = name.rpartition(".")
        if dot and len(ending) <= 16:
            name = stem[: MAX_FILENAME_CHARS - len(ending) - 1].rstrip() + "." + ending
        else:
            name = name[:MAX_FILENAME_CHARS]
    return name


def content_disposition(filename: str, *, inline: bool) -> str:
    """RFC 6266: an ASCII fallback and the exact name as RFC 5987 UTF-8."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\%;' else "_" for c in filename
    )
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
