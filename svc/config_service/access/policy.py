"""Who may do what: the one place that decides, for every route, by role and scope.

Routes name no role: each /api/v1 route's name maps to an operation here, and a route
without one cannot be built (api/guarded_route.py). Scope (a token's application_ids)
is applied by the services: an entity outside it is answered as one that does not exist.
"""

from dataclasses import dataclass
from enum import StrEnum

from config_service.errors import Forbidden

ROLES = ("reader", "writer", "auditor", "admin")


class Operation(StrEnum):
    READ = "read applications, configurations, their history and the feed"
    WRITE = "change, delete or restore applications and configurations"
    CREATE_APPLICATION = "create applications"
    READ_TOKENS = "read tokens"
    MANAGE_TOKENS = "manage tokens"
    OWN_TOKEN = "read its own token"
    EXPORT_LOG = "export the audit log"
    CHECK_LOG = "check the audit log"


ALLOWED = {
    Operation.READ: {"reader", "writer", "auditor", "admin"},
    Operation.WRITE: {"writer", "admin"},
    Operation.CREATE_APPLICATION: {"writer", "admin"},
    Operation.READ_TOKENS: {"auditor", "admin"},
    Operation.MANAGE_TOKENS: {"admin"},
    Operation.OWN_TOKEN: set(ROLES),
    Operation.EXPORT_LOG: {"auditor", "admin"},
    Operation.CHECK_LOG: {"auditor", "admin"},
}

ROUTE_OPERATIONS = {
    "list_applications": Operation.READ,
    "get_application": Operation.READ,
    "create_application": Operation.CREATE_APPLICATION,
    "update_application": Operation.WRITE,
    "get_configuration": Operation.READ,
    "create_configuration": Operation.WRITE,
    "update_configuration": Operation.WRITE,
    **{f"{kind}_{what}": Operation.READ for kind in ("application", "configuration")
       for what in ("history", "version", "diff")},
    "application_revert": Operation.WRITE,
    "configuration_revert": Operation.WRITE,
    "delete_application": Operation.WRITE,
    "delete_configuration": Operation.WRITE,
    "application_restore": Operation.WRITE,
    "configuration_restore": Operation.WRITE,
    "list_events": Operation.READ,
    "stream_events": Operation.READ,
    "list_tokens": Operation.READ_TOKENS,
    "get_token": Operation.READ_TOKENS,
    "get_own_token": Operation.OWN_TOKEN,
    "create_token": Operation.MANAGE_TOKENS,
    "revoke_token": Operation.MANAGE_TOKENS,
    "rotate_token": Operation.MANAGE_TOKENS,
    "export_audit_log": Operation.EXPORT_LOG,
    "verify_audit_log": Operation.CHECK_LOG,
    "latest_checkpoint": Operation.CHECK_LOG,
}


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: its token's id, name, role and scope."""

    token_id: str | None
    name: str | None
    role: str
    application_ids: frozenset[str] | None = None  # None: every application
    acts_for_others: bool = False

    def may(self, operation: Operation) -> bool:
        if self.role not in ALLOWED[operation]:
            return False
        # Creating an application widens any scope: only a writer for all may.
        return operation is not Operation.CREATE_APPLICATION or self.application_ids is None

    @property
    def sees_token_events(self) -> bool:
        return self.role in ("auditor", "admin")


# AUTH=off: no identity at all, and everything allowed (API.md §11, local experiments only).
NOBODY = Principal(token_id=None, name=None, role="admin", acts_for_others=True)


def operation_of(route_name: str) -> Operation:
    """The operation a route performs; KeyError for a route the policy does not know."""
    return ROUTE_OPERATIONS[route_name]


def authorize(principal: Principal, operation: Operation) -> None:
    if not principal.may(operation):
        scoped = " limited to some applications" if principal.role in ALLOWED[operation] else ""
        raise Forbidden(f"A {principal.role} token{scoped} may not {operation.value}.")


def check_acting_for_others(principal: Principal) -> None:
    """Forbidden unless the principal may name the actor of its requests (X-Actor)."""
    if not principal.acts_for_others:
        raise Forbidden("X-Actor is only accepted from a token allowed to act for others (acts_for_others).")


def actor_of(principal: Principal, claimed: str | None) -> str | None:
    """The event's actor: the X-Actor a principal acting for others sent, else its name."""
    if claimed is None:
        return principal.name
    check_acting_for_others(principal)
    return claimed
