#!/usr/bin/env python3
"""Verify an exported audit log (NDJSON) without the database: `python3 verify_export.py FILE
[--checkpoint C]`. One file, the standard library only, Python 3.11 or newer: copy it to
any machine.

Every event's hash is recomputed from the exported content (the database's formula:
SHA-256 of the jsonb text of an array of the event's columns, see auditing.md), every
link checked (each entity's chain, and the single chain of events from before per-entity
chains), versions gapless per entity, seq increasing, and the closing line's checkpoint
recomputed from the events; with --checkpoint, a checkpoint kept from earlier too.
Exit 0 with a one-line summary, 1 naming the first bad line and why, 2 when the file
cannot be read.
"""

import argparse
import hashlib
import json
import sys
from decimal import Decimal

COLUMNS = ("seq", "id", "occurred_at", "entity_type", "entity_id", "application_id", "action", "version",
           "before", "after", "changed_fields", "actor", "request_id", "restored_from", "prev_hash")


class Broken(Exception):
    def __init__(self, line: int, why: str) -> None:
        super().__init__(f"line {line}: {why}")


def jsonb_text(value) -> str:
    """A JSON value as PostgreSQL's jsonb prints it: keys by length then bytes, `", "` and
    `": "` between items, numbers as numeric prints them (never an exponent)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.lstrip("-") if value == 0 else text
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(jsonb_text(item) for item in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: (len(key.encode("utf-8")), key.encode("utf-8")))
        return "{" + ", ".join(f"{jsonb_text(key)}: {jsonb_text(value[key])}" for key in keys) + "}"
    raise TypeError(f"not a JSON value: {value!r}")


def event_hash(event: dict) -> str:
    """The hash the database computes for an event (migrations 0004, 0010 and 0011)."""
    values = [event[column] for column in COLUMNS]
    if event["txid"] != 0:  # chained per entity (0010): txid too
        values.append(event["txid"])
    if event.get("token_id") is not None:  # written with a token (0011)
        values.append(event["token_id"])
    return hashlib.sha256(jsonb_text(values).encode("utf-8")).hexdigest()


def heads_digest(heads: dict) -> str:
    """A checkpoint's digest: SHA-256 of every chain's newest hash, joined by commas in
    (entity_type, entity_id) byte order."""
    ordered = sorted(heads, key=lambda key: (key[0].encode(), key[1].encode()))
    return hashlib.sha256(",".join(heads[key][1] for key in ordered).encode("utf-8")).hexdigest()


def parse_checkpoint(text: str) -> tuple[int, str]:
    seq, dot, digest = text.partition(".")
    if not (dot and seq.isdigit() and len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)):
        raise ValueError(f"not a checkpoint: {text!r}")
    return int(seq), digest


class Verifier:
    def __init__(self, checkpoint: str | None = None) -> None:
        self.kept = parse_checkpoint(checkpoint) if checkpoint else None
        self.kept_checked = False
        self.heads: dict[tuple[str, str], tuple[int, str]] = {}  # entity -> (version, hash)
        self.single_chain: str | None = None  # the newest event from before per-entity chains
        self.last_seq: int | None = None
        self.events = 0
        self.after = 0  # the export starts after this seq: earlier events are not in the file
        self.application_id: str | None = None  # the export holds this application's events only
        self.closed = False

    @property
    def partial(self) -> bool:
        return bool(self.after or self.application_id)

    def header(self, number: int, record: dict) -> None:
        export = record.get("export")
        if not isinstance(export, dict):
            raise Broken(number, "the first line is not the export's header")
        self.after, self.application_id = export.get("after") or 0, export.get("application_id")

    def event(self, number: int, event: dict) -> None:
        missing = [c for c in (*COLUMNS, "txid", "hash") if c not in event]
        if missing:
            raise Broken(number, f"not an event: {', '.join(missing)} missing")
        seq = event["seq"]
        if self.kept and not self.kept_checked and seq > self.kept[0]:
            self.check_kept(number)
        if (self.last_seq is not None and seq <= self.last_seq) or seq <= self.after:
            raise Broken(number, f"seq {seq} does not follow {self.last_seq or self.after}: events were reordered "
                                 "or repeated")
        if event_hash(event) != event["hash"]:
            raise Broken(number, f"seq {seq}: the hash does not match the event's content: it was altered")
        key = (event["entity_type"], event["entity_id"])
        previous = self.heads.get(key)
        if previous is None and event["version"] != 1 and not self.after:
            raise Broken(number, f"seq {seq}: version {event['version']} of {key[0]} {key[1]} has no earlier "
                                 "version in the file: events were removed")
        if previous is not None and event["version"] != previous[0] + 1:
            raise Broken(number, f"seq {seq}: version {event['version']} follows {previous[0]}: versions must be "
                                 "gapless (an event was removed or inserted)")
        if event["txid"] == 0:  # the single chain in seq order, before migration 0010
            expected, unknown = self.single_chain, self.application_id is not None or (
                self.after and self.single_chain is None)
            self.single_chain = event["hash"]
        elif previous is not None:
            expected, unknown = previous[1], False
        else:  # version 1 starts a chain; a later one links to an event before the export
            expected, unknown = None, event["version"] != 1
        if not unknown and event["prev_hash"] != expected:
            raise Broken(number, f"seq {seq}: prev_hash is not the hash of the event before it in its chain: an "
                                 "event was removed, inserted or reordered")
        self.heads[key] = (event["version"], event["hash"])
        self.last_seq = seq
        self.events += 1

    def check_kept(self, number: int) -> None:
        seq, digest = self.kept
        self.kept_checked = True
        if self.partial:
            raise Broken(number, "a partial export cannot be checked against a checkpoint of the whole log")
        if heads_digest(self.heads) != digest:
            raise Broken(number, f"the events up to seq {seq} differ from the checkpoint given: one it covered "
                                 "was edited, removed, inserted or reordered")

    def close(self, number: int, closing: dict) -> str:
        self.closed = True
        if self.kept and not self.kept_checked:
            self.check_kept(number)
        if closing.get("events") != self.events:
            raise Broken(number, f"the closing line counts {closing.get('events')} events, the file holds "
                                 f"{self.events}: lines were removed or added")
        if closing.get("heads") != heads_digest(self.heads):
            raise Broken(number, "the closing line's digest of the chains' newest events does not match them")
        seq, digest = parse_checkpoint(closing.get("checkpoint") or "")
        if self.partial:
            return (f"intact: {self.events} events of a partial export (after seq {self.after}"
                    f"{', application ' + self.application_id if self.application_id else ''}) up to seq {seq}")
        if seq != (self.last_seq or 0) or digest != heads_digest(self.heads):
            raise Broken(number, "the closing checkpoint does not match the events: the file was edited")
        return f"intact: {self.events} events up to seq {seq}, checkpoint {closing['checkpoint'][:24]}..."


def verify(lines, checkpoint: str | None = None) -> str:
    """The summary of an intact export; Broken naming the first bad line."""
    verifier, summary, number = Verifier(checkpoint), None, 0
    for number, raw in enumerate(lines, start=1):
        if verifier.closed:
            raise Broken(number, "a line after the closing line")
        if not raw.endswith("\n"):
            raise Broken(number, "the line is cut short: the file is truncated")
        try:
            record = json.loads(raw, parse_float=Decimal)
        except ValueError as exc:
            raise Broken(number, f"not JSON ({getattr(exc, 'msg', exc)})") from None
        if not isinstance(record, dict):
            raise Broken(number, "not a JSON object")
        try:
            if number == 1:
                verifier.header(number, record)
            elif "closing" in record:
                summary = verifier.close(number, record["closing"])
            else:
                verifier.event(number, record)
        except (TypeError, KeyError, AttributeError, ValueError) as exc:
            raise Broken(number, f"not an event or closing line ({exc})") from None
    if summary is None:
        raise Broken(number + 1, "the file ends before its closing line: it is truncated")
    return summary


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="verify_export", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="an export made by `audit export` or GET /api/v1/audit/export")
    parser.add_argument("--checkpoint", help="a checkpoint kept from earlier (`audit checkpoint`)")
    args = parser.parse_args(argv)
    try:
        with open(args.file, encoding="utf-8", newline="") as lines:
            print(f"verify_export: {verify(lines, args.checkpoint)}")
            return 0
    except Broken as exc:
        print(f"verify_export: BROKEN at {exc}")
        return 1
    except ValueError as exc:  # a malformed --checkpoint, or text that is not UTF-8
        print(f"verify_export: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"verify_export: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
