"""Where commons checks areas: in two worker threads of its own.

The work of checking one area is bounded by its size and the limits (`meent_shared.geo`), and an
import's by its totals (`commons.imports.budget`); it still runs off the event loop, so that an
import of half a million vertices does not hold up `/healthz` or a map for its second or two. The
pool is its own and small: imports queue behind each other, never in the pool that tiles and
everything else `asyncio.to_thread` use (seven slow imports once filled that one).
"""

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from meent_shared.geo import CheckedArea, check_area

GEOMETRY_THREADS = 2
_pool = ThreadPoolExecutor(max_workers=GEOMETRY_THREADS, thread_name_prefix="commons-geometry")

P = ParamSpec("P")
T = TypeVar("T")


async def in_geometry_thread(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool, functools.partial(work, *args, **kwargs))


async def checked_area(geometry: Any, loc: list[str | int]) -> CheckedArea:
    """A site's area, checked within the limits of one area (`AreaLimits`)."""
    return await in_geometry_thread(check_area, geometry, loc=loc)
