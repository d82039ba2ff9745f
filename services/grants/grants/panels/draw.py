"""The draw by lot of a review panel: a verifiable ranking of pool entries from a secret seed.

When a call opens, the service publishes `seed_commitment(seed)` and `pool_commitment(pool)` and
freezes the pool; at the decision it publishes the seed and the pool-entry ids, and anyone can
re-run the draw (`python -m grants.panels.draw --seed HEX --pool FILE --size N`, or with shell
tools, see services/grants/DRAW.md). A pool entry is a random `uuid.UUID`, never a person's
identity, so publishing the pool reveals nobody.

The canonical forms below are a public contract: changing any of them changes every past draw.

* seed: 32 random bytes from `secrets.token_bytes(32)`, published as 64 lowercase hex characters.
* seed commitment: lowercase hex SHA-256 of the 32 raw seed bytes (not of the hex text).
* pool text: each entry id as `str(uuid)` (lowercase, hyphenated, 36 characters), sorted ascending
  as strings, each followed by "\\n"; so it ends with a newline, and an empty pool is "". UTF-8.
* pool commitment: lowercase hex SHA-256 of the pool text. A duplicated id is refused.
* rank key of an entry: lowercase hex SHA-256 of the seed bytes followed by the UTF-8 bytes of
  `str(entry_id)`.
* rank: the entries ordered by rank key ascending, then by id string (a tie of SHA-256 keys is
  practically impossible; the second key only makes the order total).
* draw of size N: the first N entries of the rank, or all of them if the pool has fewer.
"""

import argparse
import hashlib
import re
import secrets
import sys
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

SEED_BYTES = 32
_SEED_HEX = re.compile(r"[0-9a-fA-F]{64}")


def new_seed() -> bytes:
    """A fresh secret seed for one call's draw."""
    return secrets.token_bytes(SEED_BYTES)


def seed_from_hex(text: str) -> bytes:
    """The seed as published (64 hex characters); anything else is a ValueError."""
    # bytes.fromhex alone would accept spaces and odd lengths: a published seed is exactly 64
    # hex characters, and a near-miss should fail loudly rather than rank differently.
    if not _SEED_HEX.fullmatch(text):
        raise ValueError(f"a seed is exactly {2 * SEED_BYTES} hex characters, got {text!r}")
    return bytes.fromhex(text)


def seed_commitment(seed: bytes) -> str:
    """What is published when the call opens: lowercase hex SHA-256 of the raw seed bytes."""
    _check_seed(seed)
    return hashlib.sha256(seed).hexdigest()


def pool_text(entry_ids: Iterable[uuid.UUID]) -> str:
    """The canonical text of a pool: sorted id strings, one per line, each ending in a newline."""
    return "".join(f"{entry_id}\n" for entry_id in sorted(_id_strings(entry_ids)))


def pool_commitment(entry_ids: Iterable[uuid.UUID]) -> str:
    """What is published when the call opens: lowercase hex SHA-256 of the pool text."""
    return hashlib.sha256(pool_text(entry_ids).encode("utf-8")).hexdigest()


def rank_key(seed: bytes, entry_id: uuid.UUID) -> str:
    """An entry's place in the lot: lowercase hex SHA-256 of seed bytes ‖ str(entry_id)."""
    _check_seed(seed)
    return _rank_key(seed, str(entry_id))


def rank(seed: bytes, entry_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    """Every entry, ordered by rank key ascending (then by id string); input order is irrelevant."""
    _check_seed(seed)
    keyed = sorted((_rank_key(seed, entry_id), entry_id) for entry_id in _id_strings(entry_ids))
    return [uuid.UUID(entry_id) for _, entry_id in keyed]


def draw(seed: bytes, entry_ids: Iterable[uuid.UUID], size: int) -> list[uuid.UUID]:
    """The panel: the first `size` entries of the rank (the whole pool if it is smaller)."""
    if size < 1:
        raise ValueError(f"a panel has at least one member, got size {size}")
    return rank(seed, entry_ids)[:size]


def _check_seed(seed: bytes) -> None:
    # Catches the likeliest slip, hashing the 64-character hex text instead of the 32 bytes: it
    # would give a valid-looking but different draw that nobody could reproduce.
    if len(seed) != SEED_BYTES:
        raise ValueError(f"a seed is {SEED_BYTES} bytes, got {len(seed)}")


def _rank_key(seed: bytes, entry_id: str) -> str:
    return hashlib.sha256(seed + entry_id.encode("utf-8")).hexdigest()


def _id_strings(entry_ids: Iterable[uuid.UUID]) -> list[str]:
    """The ids in canonical str() form; refuses whatever would make the pool ambiguous."""
    strings: list[str] = []
    seen: set[str] = set()
    for entry_id in entry_ids:
        # A str that looks like a uuid would hash as typed (perhaps upper case), not canonically.
        if not isinstance(entry_id, uuid.UUID):
            raise TypeError(f"a pool entry id is a uuid.UUID, got {entry_id!r}")
        text = str(entry_id)
        if text in seen:
            raise ValueError(f"pool entry {text} appears more than once")
        seen.add(text)
        strings.append(text)
    return strings


def read_pool_file(path: Path) -> list[uuid.UUID]:
    """Pool-entry ids from a file, one per line; order, blank lines and surrounding spaces don't
    matter, and any form `uuid.UUID` parses (say, upper case) counts as the same id."""
    lines = path.read_text(encoding="utf-8").splitlines()
    entry_ids: list[uuid.UUID] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                entry_ids.append(uuid.UUID(line.strip()))
            except ValueError:
                raise ValueError(f"{path}:{number}: not a pool-entry id: {line!r}") from None
    return entry_ids


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m grants.panels.draw",
        description="Re-run a review panel's draw from its published seed and pool.",
    )
    parser.add_argument("--seed", required=True, help="the published seed, 64 hex characters")
    parser.add_argument(
        "--pool", required=True, type=Path, help="file of pool-entry ids, one a line"
    )
    parser.add_argument("--size", type=int, help="the panel's size: mark the first N as drawn")
    args = parser.parse_args(argv)
    try:
        # Everything is checked before anything is printed: a half-printed answer could be misread.
        seed = seed_from_hex(args.seed)
        entry_ids = read_pool_file(args.pool)
        report = [
            # Compare these two with what was published when the call opened.
            f"seed commitment: {seed_commitment(seed)}",
            f"pool commitment: {pool_commitment(entry_ids)}",
        ]
        drawn = set(draw(seed, entry_ids, args.size)) if args.size is not None else set()
        for place, entry_id in enumerate(rank(seed, entry_ids), start=1):
            report.append(f"{place} {entry_id}{' drawn' if entry_id in drawn else ''}")
    except (OSError, ValueError) as error:
        parser.error(str(error))
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
