"""Server-side prepared statements: PostgreSQL parses and plans each one once per connection.

A write with its event is one statement of several parts; planning it anew on every call
cost more PostgreSQL time than running it (and planning a GET cost as much as running
it). The SQL is written with psycopg2's named placeholders and declared parameter types;
each connection PREPAREs it on first use.
"""

import re

from psycopg2 import errors as pg

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class Prepared:
    def __init__(self, name: str, sql: str, types: dict[str, str]) -> None:
        names = list(dict.fromkeys(_PLACEHOLDER.findall(sql)))
        if set(names) != set(types):
            raise ValueError(f"{name}: placeholders {sorted(names)} but types for {sorted(types)}")
        self.name = name
        self.sql = sql
        position = {placeholder: index for index, placeholder in enumerate(names, start=1)}
        body = _PLACEHOLDER.sub(lambda match: f"${position[match.group(1)]}", sql)
        self.prepare = f"PREPARE {name} ({', '.join(types[n] for n in names)}) AS {body}"
        self.execute = f"EXECUTE {name} ({', '.join(f'%({n})s' for n in names)})"


# An append whose entity's previous version came from a later transaction is refused with
# serialization_failure (migration 0010); run again, it sees that version committed. With
# 16 writers on one row about 1 update in 10 was refused (the transaction id is drawn
# before the row lock is waited for) and 3 attempts let one in CI answer 503; over 1,440
# such updates the most any needed was 5.
ATTEMPTS = 10


class PreparingCursorMixin:
    """`run(statement, params)`: PREPARE on this connection's first use, then EXECUTE.

    The connection keeps the names it has prepared in `prepared` (a set). A PREPARE that
    fails adds nothing; PREPARE outlives transactions, so a failed EXECUTE needs no undo.
    On an autocommit connection a statement is its own transaction: one refused with
    serialization_failure changed nothing and is run again, up to ATTEMPTS times.
    """

    def run(self, statement: Prepared, params: dict) -> None:
        prepared = self.connection.prepared
        if statement.name not in prepared:
            self.execute(statement.prepare)
            prepared.add(statement.name)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                self.execute(statement.execute, params)
                return
            except pg.SerializationFailure:
                if attempt == ATTEMPTS or not self.connection.autocommit:
                    raise
