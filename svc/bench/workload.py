"""The benchmark's endpoints: what each request sends, for wrk (Lua) and the Python generator."""

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Workload:
    name: str
    app_ids: list[str]
    configs: list[dict]
    run_tag: str = "r"
    authorization: str | None = None  # the Authorization header's value, sent with every request

    def request(self, n: int) -> tuple[str, str, bytes]:
        """The n-th request: (method, path, body)."""
        if self.name == "GET application":
            return "GET", f"/api/v1/applications/{self.app_ids[n % len(self.app_ids)]}", b""
        if self.name == "GET configuration":
            return "GET", f"/api/v1/configurations/{self.configs[n % len(self.configs)]['id']}", b""
        if self.name.startswith("GET list"):
            return "GET", "/api/v1/applications", b""
        if self.name == "POST application":
            return "POST", "/api/v1/applications", json.dumps({"name": f"bench-{self.run_tag}-{n}"}).encode()
        config = self.configs[n % len(self.configs)]
        body = {"name": config["name"], "config": {"replicas": n, "feature": {"enabled": n % 2 == 0}}}
        return "PUT", f"/api/v1/configurations/{config['id']}", json.dumps(body).encode()

    def lua(self) -> str:
        """A wrk script sending the same requests (threads number their own, tagged apart)."""
        app_ids = ",".join(f'"{i}"' for i in self.app_ids)
        configs = ",".join(f'{{"{c["id"]}","{c["name"]}"}}' for c in self.configs)
        auth = f'["Authorization"] = "{self.authorization}", ' if self.authorization else ""
        return LUA.format(name=self.name, app_ids=app_ids, configs=configs, tag=self.run_tag, auth=auth)


LUA = """
local name = "{name}"
local apps = {{{app_ids}}}
local configs = {{{configs}}}
local n = 0
tid = 0
local headers = {{{auth}["Content-Type"] = "application/json"}}
local count = 0
function setup(thread) thread:set("tid", count); count = count + 1 end
function request()
  n = n + 1
  if name == "GET application" then
    return wrk.format("GET", "/api/v1/applications/" .. apps[(n % #apps) + 1], headers)
  elseif name == "GET configuration" then
    return wrk.format("GET", "/api/v1/configurations/" .. configs[(n % #configs) + 1][1], headers)
  elseif string.sub(name, 1, 8) == "GET list" then
    return wrk.format("GET", "/api/v1/applications", headers)
  elseif name == "POST application" then
    return wrk.format("POST", "/api/v1/applications", headers,
      '{{"name": "bench-{tag}-' .. tid .. '-' .. n .. '"}}')
  else
    local c = configs[(n % #configs) + 1]
    return wrk.format("PUT", "/api/v1/configurations/" .. c[1], headers,
      '{{"name": "' .. c[2] .. '", "config": {{"replicas": ' .. n .. ', "feature": {{"enabled": true}}}}}}')
  end
end
"""
