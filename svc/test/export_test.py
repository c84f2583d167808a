"""The log leaves the building: a real log (every action and entity type, tokens included,
numbers kept exactly, non-ASCII text) exported, verified offline by the standalone
verifier under the machine's own python3, then tampered with in each way an auditor must
see caught."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from config_service.audit import verify_export
from config_service.cli import audit
from test.tokens import bearer, issue

VERIFIER = Path(verify_export.__file__)
# The oldest Python the verifier promises to run on, when this machine has it.
PYTHON = shutil.which("python3.11") or shutil.which("python3") or sys.executable
# Sent as text, so that the numbers are spelled as a client spells them.
CONFIG = (
    '{"price": 1.50, "big": 12345678901234567890, "tiny": 1e-7, "thousand": 1e3, "zero": -0.0, '
    '"text": "quote \\" backslash \\\\ newline \\n tab \\t bell \\u0001 café 東京 🙂 \u2028 end", '
    '"nested": {"bb": [1, {"a": null, "ccc": true}], "a": false, "é": "", "ab": []}}'
)


@pytest.fixture
def log(client, database_url):
    """A log with every kind of event; returns the admin headers and the application ids."""
    admin = bearer(issue(database_url, "admin", name="root")["token"])
    http = TestClient(client.app, headers=admin)
    ids = []
    for name in ("björk", "second"):
        app_id = client.post("/api/v1/applications", json={"name": name, "comments": "ünïcode"}).json()["id"]
        body = f'{{"application_id": "{app_id}", "name": "c", "config": {CONFIG}}}'
        conf = client.post("/api/v1/configurations", content=body.encode(), headers={"Content-Type": "application/json"})
        assert conf.status_code == 201, conf.text
        conf_id = conf.json()["id"]
        client.put(f"/api/v1/configurations/{conf_id}", json={"name": "c", "config": {"n": 2}}, headers={"X-Actor": "ann"})
        client.post(f"/api/v1/configurations/{conf_id}/revert", json={"version": 1})
        client.delete(f"/api/v1/configurations/{conf_id}")
        client.post(f"/api/v1/configurations/{conf_id}/restore")
        ids.append(app_id)
    created = http.post("/api/v1/tokens", json={"name": "rotated", "role": "reader"}).json()
    http.post(f"/api/v1/tokens/{created['id']}/rotate", json={"grace_seconds": 5})
    client.delete(f"/api/v1/applications/{ids[1]}?cascade=true")
    return http, ids


def export(database_url, tmp_path, *args) -> Path:
    path = tmp_path / f"export{len(list(tmp_path.iterdir()))}.ndjson"
    assert audit.main(["export", "--output", str(path), *args]) == 0
    return path


def offline(path: Path, *args) -> subprocess.CompletedProcess:
    """The verifier run as an auditor would: a copy of the file, the system's python3, no install."""
    return subprocess.run([PYTHON, str(VERIFIER), str(path), *args], capture_output=True, text=True, timeout=60,
                          cwd=path.parent, env={"PATH": "/usr/bin:/bin"})


@pytest.fixture
def owner(monkeypatch, database_url):
    monkeypatch.setenv("MIGRATION_DATABASE_URL", database_url)
    monkeypatch.delenv("DATABASE_URL", raising=False)


def test_an_export_verifies_offline_and_keeps_every_value(log, owner, database_url, tmp_path, capsys):
    path = export(database_url, tmp_path)
    lines = path.read_text(encoding="utf-8").split("\n")[:-1]  # not splitlines: U+2028 is inside a value
    events = [json.loads(line) for line in lines[1:-1]]
    assert {(e["entity_type"], e["action"]) for e in events} >= {
        ("application", "created"), ("application", "deleted"), ("configuration", "updated"),
        ("configuration", "deleted"), ("configuration", "restored"), ("token", "created"), ("token", "revoked")}
    [stored] = [line for line in lines if '"action": "created"' in line and '"price"' in line][:1]
    assert '"price": 1.50' in stored and '"thousand": 1000' in stored  # numbers as stored
    assert "12345678901234567890" in stored and "0.0000001" in stored and "東京" in stored
    result = offline(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"verify_export: intact: {len(events)} events up to seq {events[-1]['seq']}")
    with open(path, encoding="utf-8") as lines_again:  # the same, in-process
        assert verify_export.verify(lines_again).startswith("intact")
    assert audit.main(["verify-file", str(path)]) == 0


def test_the_rest_export_is_the_same_stream(log, owner, database_url, tmp_path):
    http, _ = log
    response = http.get("/api/v1/audit/export")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-ndjson")
    path = tmp_path / "rest.ndjson"
    path.write_text(response.text, encoding="utf-8")
    assert offline(path).returncode == 0
    cli = export(database_url, tmp_path).read_text(encoding="utf-8").split("\n")
    assert response.text.split("\n")[1:] == cli[1:]  # all but the header's time
    assert http.get("/api/v1/audit/export", headers=bearer(issue(database_url, "writer")["token"])).status_code == 403
    assert http.get("/api/v1/audit/export?after=-1").status_code == 422


def test_a_checkpoint_kept_earlier_is_checked(log, owner, database_url, tmp_path, capsys):
    assert audit.main(["checkpoint"]) == 0
    kept = capsys.readouterr().out.strip().splitlines()[-1]
    http, ids = log
    http.post("/api/v1/applications", json={"name": "later"})
    path = export(database_url, tmp_path)
    assert offline(path, "--checkpoint", kept).returncode == 0
    seq, digest = kept.split(".")
    wrong = f"{seq}.{'0' * 64}"
    result = offline(path, "--checkpoint", wrong)
    assert result.returncode == 1 and "differ from the checkpoint" in result.stdout
    assert offline(path, "--checkpoint", "nonsense").returncode == 2


def test_a_partial_export_verifies_and_says_what_it_is(log, owner, database_url, tmp_path):
    _, ids = log
    for args in (["--application", ids[0].lower()], ["--after", "5"]):
        result = offline(export(database_url, tmp_path, *args))
        assert result.returncode == 0 and "partial export" in result.stdout, result.stdout


def rewrite(path: Path, edit) -> Path:
    lines = [line + "\n" for line in path.read_text(encoding="utf-8").split("\n")[:-1]]
    path.write_text("".join(edit(lines)), encoding="utf-8")
    return path


def forge(line: str) -> str:
    event = json.loads(line, parse_float=verify_export.Decimal)
    event["actor"] = "mallory"
    event["hash"] = verify_export.event_hash(event)  # recomputed: the next link or the closing line tells
    return json.dumps(event, default=str) + "\n"


TAMPERING = {
    "truncated": (lambda lines: lines[:-1] + [lines[-1][:20]], "truncated"),
    "not JSON": (lambda lines: lines[:3] + ["{not json\n"] + lines[4:], "line 4: not JSON"),
    "edited value": (lambda lines: [line.replace('"price": 1.50', '"price": 1.51', 1) for line in lines], "altered"),
    "removed line": (lambda lines: [line for line in lines if '"version": 2' not in line or '"token"' in line],
                     "gapless"),
    "removed only event": (lambda lines: lines[:3] + lines[4:], "lines were removed"),
    "reordered pair": (lambda lines: lines[:2] + [lines[3], lines[2]] + lines[4:], "line 4"),
    "forged with its hash": (lambda lines: lines[:2] + [forge(lines[2])] + lines[3:], "line"),
    "forged newest": (lambda lines: lines[:-2] + [forge(lines[-2]), lines[-1]], "line"),
    "no closing line": (lambda lines: lines[:-1], "truncated"),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_tampering_is_named_by_line(log, owner, database_url, tmp_path, case):
    edit, expected = TAMPERING[case]
    result = offline(rewrite(export(database_url, tmp_path), edit))
    assert result.returncode == 1 and "BROKEN at line" in result.stdout and expected in result.stdout, result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_an_unreadable_file_exits_2(tmp_path):
    assert offline(tmp_path / "missing.ndjson").returncode == 2
    binary = tmp_path / "binary.ndjson"
    binary.write_bytes(b"\xff\xfe\n")
    assert offline(binary).returncode == 2
