"""Checking the log from the API a step at a time, so a client can show progress on a
large log (the web page's integrity check); the last step also checks every row against
its latest event and, when given, a checkpoint kept outside the database."""

from config_service.errors import NotFound

MAX_PROBLEMS = 100  # per step: the first ones say what happened; `audit verify` has them all


def verify_step(uow, after: int | None, limit: int, checkpoint: str | None) -> dict:
    """The problems of the (at most `limit`) events after seq `after` (None: from the
    first); `complete` when no event followed them as this step began."""
    with uow:
        bounds = uow.audit_log.step_bounds(after, limit)
        start = bounds["from_seq"]
        to_seq = bounds["to_seq"] if bounds["to_seq"] is not None else start
        last_seq = bounds["last_seq"] or 0
        complete = to_seq >= last_seq
        problems = uow.audit_log.step_problems(start, to_seq, complete, checkpoint, MAX_PROBLEMS)
    return {"from_seq": start, "to_seq": to_seq, "last_seq": last_seq, "events": bounds["events"],
            "problems": [dict(problem) for problem in problems], "complete": complete}


def latest_checkpoint(uow) -> dict:
    with uow:
        found = uow.audit_log.latest_checkpoint()
    if found is None:
        raise NotFound("No checkpoint has been taken yet: `pipenv run audit checkpoint` takes one.")
    return dict(found)
