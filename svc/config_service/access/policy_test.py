import pytest

from config_service.access import policy
from config_service.access.policy import Operation, Principal
from config_service.errors import Forbidden


def principal(role: str, scope=None, acts_for_others=False) -> Principal:
    return Principal("01ARZ3NDEKTSV4RRFFQ69G5FA1", role, role, scope, acts_for_others)


def test_roles_allow_what_the_contract_says():
    allowed = {role: {op for op in Operation if principal(role).may(op)} for role in policy.ROLES}
    assert allowed["reader"] == {Operation.READ, Operation.OWN_TOKEN}
    assert allowed["writer"] == {Operation.READ, Operation.WRITE, Operation.CREATE_APPLICATION, Operation.OWN_TOKEN}
    assert allowed["auditor"] == {Operation.READ, Operation.READ_TOKENS, Operation.OWN_TOKEN, Operation.EXPORT_LOG,
                                  Operation.CHECK_LOG}
    assert allowed["admin"] == set(Operation)


def test_a_scoped_writer_writes_but_creates_no_application():
    scoped = principal("writer", frozenset({"A"}))
    assert scoped.may(Operation.WRITE) and not scoped.may(Operation.CREATE_APPLICATION)
    with pytest.raises(Forbidden, match="limited to some applications"):
        policy.authorize(scoped, Operation.CREATE_APPLICATION)
    with pytest.raises(Forbidden, match="A reader token may not manage tokens"):
        policy.authorize(principal("reader"), Operation.MANAGE_TOKENS)


def test_every_route_has_an_operation_and_unknown_ones_none():
    assert policy.operation_of("get_application") is Operation.READ
    with pytest.raises(KeyError):
        policy.operation_of("a_route_nobody_classified")


def test_the_actor_is_the_token_unless_it_acts_for_others():
    assert policy.actor_of(principal("writer"), None) == "writer"
    with pytest.raises(Forbidden, match="acts_for_others"):
        policy.actor_of(principal("writer"), "the-cfo")
    assert policy.actor_of(principal("writer", acts_for_others=True), "alice") == "alice"
    assert policy.NOBODY.may(Operation.MANAGE_TOKENS) and policy.actor_of(policy.NOBODY, None) is None
    assert principal("auditor").sees_token_events and not principal("writer").sees_token_events
