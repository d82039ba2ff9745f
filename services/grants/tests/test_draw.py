"""The draw by lot of a review panel: known answers computed with shell tools, so the module is
checked against the public contract rather than against itself, and the CLI anyone can re-run."""

import random
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from grants.panels.draw import (
    draw,
    new_seed,
    pool_commitment,
    pool_text,
    rank,
    rank_key,
    seed_commitment,
    seed_from_hex,
)

# Generated once with `openssl rand -hex 32` (twice) and `cat /proc/sys/kernel/random/uuid`.
SEED_A_HEX = "77bb96b3495c5cf3c89db85e94dc535a370580ba734c0412c0b9272a76d83f0b"
SEED_B_HEX = "e9168715500026124953a42a21a2bf6e52658640e4a91ebefa0d7738fbee391a"
SEED_A = bytes.fromhex(SEED_A_HEX)
SEED_B = bytes.fromhex(SEED_B_HEX)
POOL_LINES = [  # in the order they were generated, i.e. unsorted; saved as pool.txt below
    "dee0a844-49da-4bf0-882f-bf3b0bc2ed31",
    "6cf9af53-94c4-40a8-a616-e92e547e870f",
    "eb190dbc-6f30-4de4-a4b7-55b4056e0cbc",
    "cf9fa116-5e48-4be7-8a04-abd76059ae43",
    "9eda99ea-2c5f-4fce-a869-2253e72f16e2",
    "47dfb69f-4166-428c-877d-03b5d6697de7",
    "d60803b4-135a-44fe-a9f6-fb722116b929",
]
POOL = [uuid.UUID(line) for line in POOL_LINES]
EXTRA_ID = uuid.UUID("1ee9b433-3da6-4d27-bb27-1e60a2f7baf0")

# printf '%s' "$SEED_A_HEX" | xxd -r -p | sha256sum
SEED_A_COMMITMENT = "da3d4a3d35b2cc9aa0a0787373ac9b47cc5b7241963f061060d22bddb1ee5b58"
# printf '%s' "$SEED_B_HEX" | xxd -r -p | sha256sum
SEED_B_COMMITMENT = "bdee976882c12899f2803439a32ccfc3e728e991004786db56ddc4c689fc4011"
# LC_ALL=C sort pool.txt | sha256sum
POOL_COMMITMENT = "962ae27388ec92196c5813e20b499e130f9da0e18d03e647b7abe5af086cdd2f"
# { cat pool.txt; echo 1ee9b433-3da6-4d27-bb27-1e60a2f7baf0; } | LC_ALL=C sort | sha256sum
POOL_PLUS_EXTRA_COMMITMENT = "0a7c04341a82a0c3fa5607fa5b0e5e1a5e12a17ac33740f2a71f569ee96cbd82"
# printf '' | sha256sum
EMPTY_POOL_COMMITMENT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

# The rank under seed A, each line computed as
#   { printf '%s' "$SEED_A_HEX" | xxd -r -p; printf '%s' "$id"; } | sha256sum
# for every id of pool.txt, printed as "key id", then `LC_ALL=C sort`.
RANK_A_TABLE = [
    (
        "1ae9d0bf30ec78df261408ee7f1e798973ad5dd54092a552d77741e6cbb31e57",
        "d60803b4-135a-44fe-a9f6-fb722116b929",
    ),
    (
        "2e090b4b4d3d1209c435c4ecbbf6d04f0f7437e3c7327de1ba3dfe1334250aa1",
        "6cf9af53-94c4-40a8-a616-e92e547e870f",
    ),
    (
        "4aea98468d144c83b96143ec875dbb0637f750acb6d08392ba3a46e199a21060",
        "47dfb69f-4166-428c-877d-03b5d6697de7",
    ),
    (
        "52a779d31c2bd63720d8ea8e756ee2a4a1d1380648f15d2897e3d95273e1bd18",
        "eb190dbc-6f30-4de4-a4b7-55b4056e0cbc",
    ),
    (
        "771296e1a255d60a0f1faf1a03c8ab719d4e899c63eaa175cf4f73398819c8f0",
        "cf9fa116-5e48-4be7-8a04-abd76059ae43",
    ),
    (
        "8a4a38269bcc2fe32e7d3c288cca48a7758b51ccf38de788488786996dde90c3",
        "dee0a844-49da-4bf0-882f-bf3b0bc2ed31",
    ),
    (
        "cee763dc645941925b7cdb4561ebc8f561a73e3d07c9c98c16d66aa899679418",
        "9eda99ea-2c5f-4fce-a869-2253e72f16e2",
    ),
]
RANK_A = [uuid.UUID(entry_id) for _, entry_id in RANK_A_TABLE]
# The same shell loop with "$SEED_B_HEX".
RANK_B = [
    uuid.UUID(entry_id)
    for entry_id in [
        "9eda99ea-2c5f-4fce-a869-2253e72f16e2",
        "dee0a844-49da-4bf0-882f-bf3b0bc2ed31",
        "eb190dbc-6f30-4de4-a4b7-55b4056e0cbc",
        "6cf9af53-94c4-40a8-a616-e92e547e870f",
        "cf9fa116-5e48-4be7-8a04-abd76059ae43",
        "d60803b4-135a-44fe-a9f6-fb722116b929",
        "47dfb69f-4166-428c-877d-03b5d6697de7",
    ]
]


def test_the_seed_commitment_is_sha256sum_of_the_raw_seed_bytes() -> None:
    assert seed_commitment(SEED_A) == SEED_A_COMMITMENT
    assert seed_commitment(SEED_B) == SEED_B_COMMITMENT


def test_the_pool_text_is_the_sorted_ids_each_on_its_own_line() -> None:
    text = pool_text(POOL)
    assert text == "".join(f"{line}\n" for line in sorted(POOL_LINES))
    assert text.startswith("47dfb69f-4166-428c-877d-03b5d6697de7\n6cf9af53-")
    assert text.endswith("eb190dbc-6f30-4de4-a4b7-55b4056e0cbc\n")
    assert pool_text([]) == ""


def test_the_pool_commitment_is_sort_then_sha256sum() -> None:
    assert pool_commitment(POOL) == POOL_COMMITMENT
    assert pool_commitment(reversed(POOL)) == POOL_COMMITMENT
    assert pool_commitment([]) == EMPTY_POOL_COMMITMENT


def test_the_pool_commitment_changes_when_one_id_is_added() -> None:
    assert pool_commitment([*POOL, EXTRA_ID]) == POOL_PLUS_EXTRA_COMMITMENT
    assert POOL_PLUS_EXTRA_COMMITMENT != POOL_COMMITMENT


def test_each_rank_key_is_sha256sum_of_the_seed_then_the_id() -> None:
    for key, entry_id in RANK_A_TABLE:
        assert rank_key(SEED_A, uuid.UUID(entry_id)) == key


def test_the_rank_is_the_one_the_shell_computed() -> None:
    assert rank(SEED_A, POOL) == RANK_A
    assert rank(SEED_B, POOL) == RANK_B


def test_the_rank_does_not_depend_on_the_order_the_pool_comes_in() -> None:
    shuffler = random.Random(20270110)
    for _ in range(20):
        shuffled = shuffler.sample(POOL, k=len(POOL))
        assert rank(SEED_A, shuffled) == RANK_A
    assert rank(SEED_A, (entry_id for entry_id in reversed(POOL))) == RANK_A


def test_a_changed_seed_changes_the_order() -> None:
    assert RANK_A != RANK_B
    one_bit_flipped = bytes([SEED_A[0] ^ 1]) + SEED_A[1:]
    assert rank(one_bit_flipped, POOL) != RANK_A
    assert sorted(rank(one_bit_flipped, POOL)) == sorted(POOL)  # the same people, in another order


def test_the_draw_is_the_top_of_the_rank() -> None:
    assert draw(SEED_A, POOL, 1) == RANK_A[:1]
    assert draw(SEED_A, POOL, 3) == RANK_A[:3]
    assert draw(SEED_B, POOL, 3) == RANK_B[:3]
    assert draw(SEED_A, POOL, len(POOL)) == RANK_A
    assert draw(SEED_A, POOL, 50) == RANK_A  # a pool smaller than the panel: all of it
    assert draw(SEED_A, [], 3) == []
    # Growing the pool may push someone out, but never reorders those who stay.
    grown = rank(SEED_A, [*POOL, EXTRA_ID])
    assert [entry_id for entry_id in grown if entry_id != EXTRA_ID] == RANK_A


@pytest.mark.parametrize("size", [0, -1])
def test_a_panel_of_no_one_is_refused(size: int) -> None:
    with pytest.raises(ValueError, match="at least one"):
        draw(SEED_A, POOL, size)


def test_a_published_seed_reads_back_as_its_bytes() -> None:
    assert seed_from_hex(SEED_A_HEX) == SEED_A
    assert seed_from_hex(SEED_A_HEX.upper()) == SEED_A


@pytest.mark.parametrize(
    "text",
    [
        "",
        SEED_A_HEX[:-1],  # 63 characters
        SEED_A_HEX + "0",  # 65 characters
        SEED_A_HEX[:-2],  # 31 bytes
        "g" + SEED_A_HEX[1:],
        "0x" + SEED_A_HEX[2:],
        SEED_A_HEX + "\n",  # as pasted from a terminal
        " " + SEED_A_HEX[1:],
        SEED_A_HEX[:32] + " " + SEED_A_HEX[33:],
    ],
)
def test_a_malformed_seed_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="64 hex characters"):
        seed_from_hex(text)


@pytest.mark.parametrize("seed", [b"", SEED_A[:31], SEED_A + b"\x00", SEED_A_HEX.encode()])
def test_a_seed_of_the_wrong_length_is_refused(seed: bytes) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        seed_commitment(seed)
    with pytest.raises(ValueError, match="32 bytes"):
        rank(seed, POOL)
    with pytest.raises(ValueError, match="32 bytes"):
        draw(seed, POOL, 3)


def test_a_new_seed_is_32_fresh_bytes_that_survive_publishing() -> None:
    seed = new_seed()
    assert len(seed) == 32
    assert seed != new_seed()
    assert seed_from_hex(seed.hex()) == seed


def test_a_duplicated_id_is_refused() -> None:
    with_duplicate = [*POOL, POOL[3]]
    for refused in (
        lambda: pool_text(with_duplicate),
        lambda: pool_commitment(with_duplicate),
        lambda: rank(SEED_A, with_duplicate),
        lambda: draw(SEED_A, with_duplicate, 3),
    ):
        with pytest.raises(ValueError, match=f"{POOL[3]} appears more than once"):
            refused()


def test_an_id_given_as_text_is_refused() -> None:
    # Upper-case text would hash differently from the canonical str(uuid): only UUIDs go in.
    as_text: list[object] = [*POOL[:3], POOL_LINES[3].upper()]
    with pytest.raises(TypeError, match="uuid.UUID"):
        pool_commitment(as_text)  # type: ignore[arg-type]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # From an unrelated directory: the package is installed, the user need not be in the repo.
    command = [sys.executable, "-m", "grants.panels.draw", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60)


def test_the_cli_reproduces_the_draw_from_a_messy_pool_file(tmp_path: Path) -> None:
    # Another order, blank lines, stray spaces and one id in upper case: the same pool.
    messy = ["", *reversed(POOL_LINES[1:]), "  ", f"  {POOL_LINES[0].upper()}  ", ""]
    pool_file = tmp_path / "pool.txt"
    pool_file.write_text("\n".join(messy), encoding="utf-8")

    result = run_cli("--seed", SEED_A_HEX, "--pool", str(pool_file), "--size", "3", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"seed commitment: {SEED_A_COMMITMENT}"
    assert lines[1] == f"pool commitment: {POOL_COMMITMENT}"
    assert lines[2:] == [
        f"{place} {entry_id}{' drawn' if place <= 3 else ''}"
        for place, entry_id in enumerate(rank(SEED_A, POOL), start=1)
    ]
    drawn = [uuid.UUID(line.split()[1]) for line in lines[2:] if line.endswith(" drawn")]
    assert drawn == draw(SEED_A, POOL, 3) == RANK_A[:3]


def test_the_cli_without_a_size_ranks_the_pool_and_marks_no_one(tmp_path: Path) -> None:
    pool_file = tmp_path / "pool.txt"
    pool_file.write_text(pool_text(POOL), encoding="utf-8")

    result = run_cli("--seed", SEED_B_HEX, "--pool", str(pool_file), cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        f"seed commitment: {SEED_B_COMMITMENT}",
        f"pool commitment: {POOL_COMMITMENT}",
    ]
    assert [uuid.UUID(line.split()[1]) for line in lines[2:]] == RANK_B
    assert not any("drawn" in line for line in lines)


@pytest.mark.parametrize(
    ("seed", "pool_lines", "size", "complaint"),
    [
        (SEED_A_HEX[:-1], POOL_LINES, "3", "64 hex characters"),
        (SEED_A_HEX, [*POOL_LINES, POOL_LINES[0]], "3", "appears more than once"),
        (SEED_A_HEX, [*POOL_LINES, "not-an-id"], "3", "pool.txt:8: not a pool-entry id"),
        (SEED_A_HEX, [*POOL_LINES, POOL_LINES[0]], None, "appears more than once"),
        (SEED_A_HEX, POOL_LINES, "0", "at least one"),
    ],
)
def test_the_cli_refuses_bad_input_and_prints_nothing_else(
    tmp_path: Path, seed: str, pool_lines: list[str], size: str | None, complaint: str
) -> None:
    pool_file = tmp_path / "pool.txt"
    pool_file.write_text("\n".join(pool_lines) + "\n", encoding="utf-8")
    size_args = ["--size", size] if size is not None else []

    result = run_cli("--seed", seed, "--pool", str(pool_file), *size_args, cwd=tmp_path)

    assert result.returncode == 2
    assert complaint in result.stderr
    assert result.stdout == ""
