"""Matching lines of two texts in bounded time. difflib's SequenceMatcher alone is quadratic on
some inputs (every other line removed from 50,000: minutes), so lines found once in each text
anchor the match first (patience diff: their longest increasing run, O(n log n)), and difflib
matches only the gaps between anchors, each at most GAP_LINES long per side; a longer gap
without anchors counts as replaced (a correct diff, perhaps not the shortest)."""

import bisect
import difflib
from collections import Counter
from collections.abc import Sequence

GAP_LINES = 100  # difflib works on at most 100 × 100 lines at a time: a bounded cost per line

Block = tuple[int, int, int]  # (start in a, start in b, length)


def _anchors(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) of lines unique in both, the longest run increasing in both."""
    count_a, count_b = Counter(a), Counter(b)
    where_b = {line: j for j, line in enumerate(b) if count_b[line] == 1}
    pairs = [
        (i, where_b[line]) for i, line in enumerate(a) if count_a[line] == 1 and line in where_b
    ]
    tails: list[int] = []  # tails[k]: smallest j ending a run of length k + 1
    ends: list[int] = []  # index in pairs of that run's end
    previous = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        previous[index] = ends[k - 1] if k else -1
        tails[k : k + 1], ends[k : k + 1] = [j], [index]
    run, index = [], ends[-1] if ends else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]


def _gap_blocks(a: Sequence[str], b: Sequence[str], i: int, j: int) -> list[Block]:
    if not a or not b or len(a) > GAP_LINES or len(b) > GAP_LINES:
        return []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(i + x, j + y, n) for x, y, n in matcher.get_matching_blocks() if n]


def matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[Block]:
    """Matching runs in order, ending with difflib's sentinel (len(a), len(b), 0)."""
    blocks: list[Block] = []
    i = j = 0
    for x, y in [*_anchors(a, b), (len(a), len(b))]:
        blocks += _gap_blocks(a[i:x], b[j:y], i, j)
        if x < len(a):
            blocks.append((x, y, 1))
        i, j = x + 1, y + 1
    merged: list[Block] = []
    for x, y, n in blocks:  # adjacent runs into one, as difflib gives them
        if merged and merged[-1][0] + merged[-1][2] == x and merged[-1][1] + merged[-1][2] == y:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + n)
        else:
            merged.append((x, y, n))
    return [*merged, (len(a), len(b), 0)]


class _AnchoredMatcher(difflib.SequenceMatcher[str]):
    """difflib's opcodes and grouping over the bounded matching above."""

    def __init__(self, a: Sequence[str], b: Sequence[str]):
        super().__init__(None, a, b, autojunk=False)
        self._blocks = [difflib.Match(*block) for block in matching_blocks(a, b)]

    def get_matching_blocks(self) -> list[difflib.Match]:
        return self._blocks


def grouped_opcodes(
    a: Sequence[str], b: Sequence[str], context: int = 3
) -> list[list[tuple[str, int, int, int, int]]]:
    return list(_AnchoredMatcher(a, b).get_grouped_opcodes(context))
