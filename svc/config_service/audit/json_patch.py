"""RFC 6902 JSON Patch between two snapshots, using only add, remove and replace.

Objects are compared key by key, recursively, keys in code-point order, each key's
removal, replacement or addition in that order; arrays and values of different JSON
types are replaced whole (1 -> true is a change, see exact_json.same). Paths are RFC 6901
pointers (`~` written `~0`, `/` written `~1`). Applying the patch to `before` gives `after`.
"""

from config_service import exact_json


def pointer_token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def diff(before, after, path: str = "") -> list[dict]:
    if isinstance(before, dict) and isinstance(after, dict):
        operations: list[dict] = []
        for key in sorted(before.keys() | after.keys()):
            where = f"{path}/{pointer_token(key)}"
            if key not in after:
                operations.append({"op": "remove", "path": where})
            elif key not in before:
                operations.append({"op": "add", "path": where, "value": after[key]})
            else:
                operations.extend(diff(before[key], after[key], where))
        return operations
    if exact_json.same(before, after):
        return []
    return [{"op": "replace", "path": path, "value": after}]
