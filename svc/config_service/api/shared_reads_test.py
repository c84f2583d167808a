import asyncio
import time

import pytest

from config_service.api.shared_reads import SharedReads


def test_simultaneous_requests_share_one_read_started_after_they_asked():
    async def scenario():
        shared, calls, gate = SharedReads(), [], asyncio.Event()

        async def query():
            calls.append(1)
            await gate.wait()
            return len(calls)

        since = time.monotonic()
        waiting = [asyncio.ensure_future(shared.read("k", since, query)) for _ in range(50)]
        await asyncio.sleep(0)
        gate.set()
        assert await asyncio.gather(*waiting) == [1] * 50 and calls == [1]
        assert shared._reads == {}

    asyncio.run(scenario())


def test_a_read_started_before_a_request_asked_is_not_reused():
    async def scenario():
        shared, gate = SharedReads(), asyncio.Event()
        answers = iter(["old snapshot", "new snapshot"])

        async def query():
            answer = next(answers)
            await gate.wait()
            return answer

        early = asyncio.ensure_future(shared.read("k", time.monotonic(), query))
        await asyncio.sleep(0.01)
        late = asyncio.ensure_future(shared.read("k", time.monotonic(), query))  # woken after the first began
        await asyncio.sleep(0)
        gate.set()
        assert (await early, await late) == ("old snapshot", "new snapshot")

    asyncio.run(scenario())


def test_errors_reach_every_sharer_and_a_cancelled_one_does_not_stop_the_read():
    async def scenario():
        shared, gate = SharedReads(), asyncio.Event()

        async def failing():
            await gate.wait()
            raise RuntimeError("database gone")

        since = time.monotonic()
        first = asyncio.ensure_future(shared.read("k", since, failing))
        second = asyncio.ensure_future(shared.read("k", since, failing))
        await asyncio.sleep(0)
        first.cancel()
        gate.set()
        with pytest.raises(RuntimeError):
            await second
        await asyncio.sleep(0)
        assert shared._reads == {}

    asyncio.run(scenario())
