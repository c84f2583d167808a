"""A seeded, reproducible generator of hostile HTTP requests, sent over raw sockets."""

import json
import random
import socket
from dataclasses import dataclass

SQL_FRAGMENTS = ["'; DROP TABLE applications; --", "\" OR 1=1 --", "%(id)s", "$$; SELECT pg_sleep(10); $$", "\\x00"]
BAD_UTF8 = [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80"]
CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", ""]


@dataclass
class HostileRequest:
    method: str
    path: str
    headers: list[tuple[bytes, bytes]]
    body: bytes
    chunked: bool = False


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def random_text(rng: random.Random, length: int) -> str:
    """Code points from every plane, never a surrogate (UTF-8 cannot carry one)."""
    out = []
    for _ in range(length):
        plane = rng.choice([0, 0, 0, 1, 2, 3, 14, 15, 16])
        cp = plane * 0x10000 + rng.randrange(0x10000)
        if 0xD800 <= cp <= 0xDFFF:
            cp = 0x41
        out.append(chr(cp))
    return "".join(out)


def json_value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(8 if depth < 3 else 5)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.choice([0, -1, 2**63, -(2**63) - 1, 10**40, 1.5, -0.0, 1e308])
    if kind in (2, 3, 4):
        return random_text(rng, rng.randrange(0, 20))
    if kind in (5, 6):
        return [json_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {random_text(rng, rng.randrange(1, 8)): json_value(rng, depth + 1) for _ in range(rng.randrange(4))}


class Generator:
    def __init__(self, seed: int, app_id: str, config_id: str, max_body: int, authorization: bytes = b"") -> None:
        self.rng = random.Random(seed)
        self.app_id, self.config_id, self.max_body = app_id, config_id, max_body
        self.authorization = authorization  # `Bearer <token>`: sent unless spoiled

    def target(self) -> tuple[str, str, dict]:
        """A write endpoint and a valid body for it, to be spoiled."""
        rng = self.rng
        name = random_text(rng, rng.randrange(1, 30))
        choice = rng.randrange(4)
        if choice == 0:
            return "POST", "/api/v1/applications", {"name": name}
        if choice == 1:
            return "PUT", f"/api/v1/applications/{self.app_id}", {"name": name}
        config = {"k": json_value(rng)}
        if choice == 2:
            return "POST", "/api/v1/configurations", {"application_id": self.app_id, "name": name, "config": config}
        return "PUT", f"/api/v1/configurations/{self.config_id}", {"name": name, "config": config}

    def spoil(self, body: dict) -> bytes | HostileRequest:
        rng = self.rng
        field = rng.choice(sorted(body))
        text = json.dumps(body)
        mutation = rng.randrange(16)
        if mutation == 0:
            body[field] = rng.choice([1, 1.5, True, None, [], {}, ["x"]])
        elif mutation == 1:
            body[field] = random_text(rng, rng.choice([256, 257, 1024, 1025, 5000]))
        elif mutation == 2:
            body["comments"] = random_text(rng, rng.choice([1024, 1025]))
        elif mutation == 3:
            body[field] = "a\u0000b"
        elif mutation == 4:
            return text.replace(json.dumps(body[field]), '"\\ud800x"', 1).encode()
        elif mutation == 5:
            return text[:-1].encode() + b', "extra": ' + rng.choice([b"NaN", b"Infinity", b"-Infinity", b"1e400"]) + b"}"
        elif mutation == 6:
            body[rng.choice(["id", "configuration_ids", "unknown", "application_id"])] = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
        elif mutation == 7:
            return text[:-1].encode() + b', "name": "dup1", "name": "dup2"}'
        elif mutation == 8:
            depth = rng.choice([100, 1000, 10000])
            return text[:-1].encode() + b', "config": ' + b"[" * depth + b"]" * depth + b"}"
        elif mutation == 9:
            raw = text.encode()
            cut = rng.randrange(len(raw) + 1)
            return raw[:cut] + rng.choice(BAD_UTF8) + raw[cut:]
        elif mutation == 10:
            return text.encode()[: rng.randrange(len(text))]
        elif mutation == 11:
            body["config"] = rng.choice([[], "x", 1, None])
        elif mutation == 12:
            body["name"] = rng.choice(SQL_FRAGMENTS) + random_text(rng, 3)
        elif mutation == 13:
            body["name"] = ""
        elif mutation == 14:
            body["application_id"] = rng.choice(["", "x" * 26, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "IIIIIIIIIIIIIIIIIIIIIIIIII"])
        else:
            body[field] = json_value(self.rng)
        return json.dumps(body).encode()

    def request(self) -> HostileRequest:
        rng = self.rng
        method, path, body = self.target()
        spoiled = self.spoil(body)
        headers = [(b"content-type", b"application/json"), (b"authorization", self.authorization)]
        request = HostileRequest(method, path, headers, spoiled)
        extra = rng.randrange(12)
        if extra == 0:
            headers[0] = (b"content-type", rng.choice(CONTENT_TYPES).encode())
        elif extra == 1:
            request.body = b"x" * (self.max_body + rng.choice([1, 1000]))
        elif extra == 2:
            request.chunked = True
            if rng.random() < 0.5:
                request.body = b" " * (self.max_body + 1)
        elif extra == 3:
            headers.append((b"x-request-id", rng.choice([b"a\r\nb", b"r" * 10_000, "é".encode(), b"\x00"])))
        elif extra == 4:
            headers.append((b"x-actor", rng.choice([b"a\r\nX-Injected: 1", b"a" * 10_000, b"\xff\xfe", b"\x00", b"\t"])))
        elif extra == 6:
            token = self.authorization[len(b"Bearer "):]
            spoilt = rng.choice([b"Basic dXNlcjpwYXNz", b"Bearer", b"Bearer " + b"x" * 10_000, b"bearer  " + token + b"x",
                                 b"Bearer " + token[:-4] + b"AAAA", b"Bearer\t" + token, b"Token " + token])
            headers[1] = (b"authorization", spoilt)
            if rng.random() < 0.2:
                headers.append((b"authorization", self.authorization))  # two of them
        elif extra == 5:
            request.path = rng.choice(
                ["/api/v1/applications/%00", "/api/v1/configurations/" + "0" * 27, "/api/v1/applications/..%2F..",
                 "/api/v1/configurations/" + "Z" * 26, "/api/v1/applications/" + "é" * 26]
            )
        return request


def send(port: int, request: HostileRequest, timeout: float = 30) -> Reply:
    head = [f"{request.method} {request.path} HTTP/1.1".encode("utf-8", "surrogateescape"),
            b"host: 127.0.0.1", b"connection: close"]
    head += [name + b": " + value for name, value in request.headers]
    if request.chunked:
        head.append(b"transfer-encoding: chunked")
        payload = b"".join(
            b"%x\r\n%s\r\n" % (len(request.body[i:i + 4096]), request.body[i:i + 4096])
            for i in range(0, len(request.body), 4096)
        ) + b"0\r\n\r\n"
    else:
        head.append(b"content-length: %d" % len(request.body))
        payload = request.body
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(b"\r\n".join(head) + b"\r\n\r\n" + payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer (413) and close before reading everything
        chunks = []
        while True:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            chunks.append(data)
    raw = b"".join(chunks)
    head_raw, _, body = raw.partition(b"\r\n\r\n")
    lines = head_raw.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
    return Reply(status, headers, body)
