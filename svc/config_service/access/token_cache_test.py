from config_service.access.token_cache import MISSING, TokenCache


class Listener:
    """The part of db/listener.ChangeListener the cache uses."""

    def __init__(self) -> None:
        self.connected = True
        self.callbacks = []

    def on_change(self, callback) -> None:
        self.callbacks.append(callback)

    def hint(self, hint) -> None:
        for callback in self.callbacks:
            callback(hint)


def test_entries_live_until_a_token_event_or_a_listener_blink():
    listener = Listener()
    cache = TokenCache(listener)
    cache.put("t", "row", cache.reading())
    assert cache.get("t") == "row"
    listener.hint({"entity_type": "configuration"})
    assert cache.get("t") == "row"
    listener.hint({"entity_type": "token", "entity_id": "other"})
    assert cache.get("t") is MISSING
    cache.put("t", "row", cache.reading())
    listener.hint(None)  # hints may have been missed
    assert cache.get("t") is MISSING


def test_a_read_overtaken_by_a_token_event_is_not_kept():
    listener = Listener()
    cache = TokenCache(listener)
    reading = cache.reading()
    listener.hint({"entity_type": "token"})  # a revocation committed while the row was read
    cache.put("t", "stale", reading)
    assert cache.get("t") is MISSING


def test_nothing_is_trusted_while_the_listener_is_down_and_entries_expire():
    listener = Listener()
    cache = TokenCache(listener, ttl=0.0, max_entries=1)
    cache.put("t", None, cache.reading())
    assert cache.get("t") is MISSING  # expired at once
    cache = TokenCache(listener, max_entries=1)
    cache.put("a", 1, cache.reading())
    cache.put("b", None, cache.reading())  # full: starts over
    assert (cache.get("a"), cache.get("b")) == (MISSING, None)
    listener.connected = False
    assert cache.reading() is None and cache.get("b") is MISSING
    cache.put("c", 1, None)
    listener.connected = True
    assert cache.get("c") is MISSING
