"""Long polls wake on the notice that their request finished, announced from any thread."""

from __future__ import annotations

import asyncio
import threading

from api.notices import FinishedNotices


def test_an_announcement_from_another_thread_wakes_only_the_polls_of_that_request() -> None:
    async def scenario() -> tuple[bool, bool, int]:
        notices = FinishedNotices(asyncio.get_running_loop())
        with notices.watching("req_a") as first, notices.watching("req_a") as second, \
                notices.watching("req_b") as other:
            threading.Thread(target=notices.announce, args=("req_a",)).start()
            await asyncio.wait_for(asyncio.gather(first.wait(), second.wait()), timeout=5)
            await asyncio.sleep(0)
            woke_other = other.is_set()
        return first.is_set() and second.is_set(), woke_other, len(notices._waiting)

    both_woke, other_woke, still_waiting = asyncio.run(scenario())
    assert both_woke and not other_woke
    assert still_waiting == 0


def test_an_announcement_after_the_loop_closed_is_dropped() -> None:
    loop = asyncio.new_event_loop()
    notices = FinishedNotices(loop)
    loop.close()
    notices.announce("req_a")
