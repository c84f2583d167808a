"""Reading the change feed's notifications as a listener of channel config_events gets them."""

import select


def received(conn, count: int) -> list[str]:
    """The payloads that arrived on the LISTEN connection `conn` until there were `count`,
    waiting up to 5 s for each."""
    payloads: list[str] = []
    while len(payloads) < count:
        if not conn.notifies and not select.select([conn], [], [], 5)[0]:
            break
        conn.poll()
        payloads += [n.payload for n in conn.notifies]
        conn.notifies.clear()
    return payloads
