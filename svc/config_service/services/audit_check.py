"""Checking the log from the API a step at a time, so a client can show progress on a
large log (the web page's integrity check); the last step also checks every row against
its latest event and, when given, a checkpoint kept outside the database."""

from config_service.errors import NotFound

MAX_PROBLEMS = 100  # per step: the first ones say what happened; `audit verify` has them all
LAST_STEP_TIMEOUT_MS = 60_000  # the last step reads every row, whatever the statement timeout


def verify_step(uow, after: int | None, up_to: int | None, limit: int, checkpoint: str | None) -> dict:
    """The problems of the (at most `limit`) events after seq `after` (None: from the
    first) up to the horizon `up_to`: given by the first step (None), which waits for the
    transactions running as it begins, so that no event at or below it can still appear.
    `complete` when the step reached the horizon."""
    with uow:
        if up_to is None:
            up_to = uow.audit_log.settled_seq()
        bounds = uow.audit_log.step_bounds(after, up_to, limit)
        if bounds["events"]:
            to_seq = bounds["to_seq"]
        else:  # nothing left up to the horizon
            to_seq = up_to if after is None else max(after, up_to)
        complete = to_seq >= up_to
        problems = uow.audit_log.step_problems(after, to_seq, complete, checkpoint, MAX_PROBLEMS + 1,
                                               LAST_STEP_TIMEOUT_MS)
    return {"from_seq": after, "to_seq": to_seq, "up_to": up_to, "last_seq": bounds["last_seq"] or 0,
            "events": bounds["events"], "problems": [dict(problem) for problem in problems[:MAX_PROBLEMS]],
            "truncated": len(problems) > MAX_PROBLEMS, "complete": complete}


def latest_checkpoint(uow) -> dict:
    with uow:
        found = uow.audit_log.latest_checkpoint()
    if found is None:
        raise NotFound("No checkpoint has been taken yet: `pipenv run audit checkpoint` takes one.")
    return dict(found)
