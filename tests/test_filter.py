"""The filter language (-Y, nl80211dec.query): grammar, errors at the column, names checked, semantics."""

from __future__ import annotations

import pytest

import nl80211dec
from nl80211dec.query import FilterError, compile_filter, select
from nl80211dec.query.grammar import BoolOp, Check, Not, Range, Value, parse, tokens

from .golden_util import CAPTURES

OK = CAPTURES / "iwd-sae-ok" / "nlmon.pcap"


@pytest.fixture(scope="module")
def cap():
    return nl80211dec.open(OK)


def indexes(cap, expr):
    return [m.index for m in select(cap, expr)]


# -- grammar -------------------------------------------------------------------------
def test_precedence_not_binds_tightest_then_and_then_or():
    tree = parse("a or b and not c")
    assert isinstance(tree, BoolOp) and tree.op == "or"
    right = tree.parts[1]
    assert isinstance(right, BoolOp) and right.op == "and" and isinstance(right.parts[1], Not)


def shape(node):
    """The tree without columns."""
    if isinstance(node, BoolOp):
        return (node.op, *map(shape, node.parts))
    if isinstance(node, Not):
        return ("not", shape(node.inner))
    if isinstance(node, Value):
        return node.text
    return (node.field, node.op, *map(shape, node.values))


def test_tshark_spellings_are_the_same_tree():
    assert shape(parse("cmd eq FRAME && ! ifindex ne 3 || seq ge 2")) == \
        shape(parse("cmd == FRAME and not ifindex != 3 or seq >= 2"))


def test_sets_take_commas_or_spaces_and_ranges():
    t = parse("ifindex in {1, 2 3..5}")
    assert isinstance(t, Check) and t.op == "in" and isinstance(t.values[2], Range)
    assert parse("ifindex not in {1 2}").op == "not in"


def test_strings_keep_escapes_and_spaces():
    t = parse(r'ssid == "a \"b\" c"')
    assert t.values[0].text == 'a "b" c' and t.values[0].quoted


def test_a_bare_field_tests_presence():
    t = parse("attr.PMKID")
    assert isinstance(t, Check) and t.op is None


@pytest.mark.parametrize("expr, column, words", [
    ("", 0, "empty"),
    ("cmd ==", 6, "expected a value"),
    ("(cmd == FRAME", 13, "expected ')'"),
    ("cmd == FRAME)", 12, "unmatched ')'"),
    ('ssid == "abc', 8, "not closed"),
    ("ifindex in {}", 12, "the set is empty"),
    ("ifindex in {1", 13, "not closed"),
    ("ifindex in 1", 11, "expected '{'"),
    ("cmd == FRAME ifindex == 3", 13, "expected 'and', 'or'"),
    ("and", 0, "expected a field name"),
    ("cmd == FRAME $", 13, "unexpected character"),
])
def test_syntax_errors_point_at_the_column(expr, column, words):
    with pytest.raises(FilterError) as e:
        compile_filter(expr)
    assert e.value.column == column and words in e.value.message, (str(e.value), e.value.pointer())
    caret = e.value.pointer().splitlines()[1]
    assert caret.index("^") == column + 2


@pytest.mark.parametrize("expr, words", [
    ("attr.STATUS_COD != 0", "did you mean STATUS_CODE?"),
    ("sae.gruop == 19", "did you mean sae.group?"),
    ("AUTH_TYPE == 4", "did you mean attr.AUTH_TYPE?"),
    ("cmd == AUTHENTICAT", "did you mean AUTHENTICATE?"),
    ("verdict == no-peer-comit", "did you mean no-peer-commit?"),
    ("role == requets", "did you mean request?"),
    ("ifindex == wlan0", "is a number"),
    ("time > soon", "needs a number"),
    ("malformed == maybe", "true or false"),
    ('ssid matches "("', "not a regular expression"),
    ("nosuchfield", "unknown field"),
])
def test_names_and_values_are_checked_against_the_tables(expr, words):
    with pytest.raises(FilterError) as e:
        compile_filter(expr)
    assert words in e.value.message, e.value.message


def test_tokens_cover_the_whole_expression():
    toks = tokens('a == "x y" && b in {1..2}')
    assert [t.kind for t in toks][-1] == "end" and toks[2].text == '"x y"'


# -- semantics on a shipped capture ------------------------------------------------------------
def test_command_by_name_number_and_prefix(cap):
    frames = indexes(cap, "cmd == FRAME")
    assert frames and indexes(cap, "cmd == 59") == frames == indexes(cap, "cmd == NL80211_CMD_FRAME")
    assert indexes(cap, "cmd == frame") == frames


def test_and_or_not_and_sets_agree_with_each_other(cap):
    both = set(indexes(cap, "cmd == CONNECT or cmd == AUTHENTICATE"))
    assert both == set(indexes(cap, "cmd in {CONNECT AUTHENTICATE}"))
    every = set(indexes(cap, "index >= 0"))
    assert set(indexes(cap, "not cmd in {CONNECT, AUTHENTICATE}")) == every - both
    assert set(indexes(cap, "ifindex == 3 and cmd == AUTHENTICATE")) <= both


def test_absent_fields_make_comparisons_false(cap):
    with_status = set(indexes(cap, "attr.STATUS_CODE"))
    assert set(indexes(cap, "attr.STATUS_CODE != 0")) <= with_status
    assert not indexes(cap, "attr.STATUS_CODE != 0")  # a connection that worked: every status is 0
    assert set(indexes(cap, "attr.STATUS_CODE == SUCCESS")) == with_status


def test_sae_fields(cap):
    g20 = indexes(cap, "sae.group == 20")
    assert g20 and set(indexes(cap, "sae.status == UNSUPPORTED_FINITE_CYCLIC_GROUP")) <= set(g20)
    assert set(indexes(cap, "sae.status == 77")) == set(indexes(cap, "sae.status == UNSUPPORTED_FINITE_CYCLIC_GROUP"))
    assert indexes(cap, "sae.message == confirm and sae.send_confirm == 1")


def test_attribute_values_by_text_and_number(cap):
    sae = indexes(cap, "attr.AUTH_TYPE == SAE")
    assert sae and sae == indexes(cap, "attr.AUTH_TYPE == 4")
    assert indexes(cap, 'ssid == "lab-sae"') == indexes(cap, "ssid contains lab")
    assert indexes(cap, 'ssid matches "^LAB-"')  # matches ignores case, like tshark
    assert indexes(cap, "mac == 02-00-00-00-01-00") == indexes(cap, "mac == 02:00:00:00:01:00")


def test_ranges_and_times(cap):
    window = indexes(cap, "time >= 14.5 and time < 14.6")
    assert window and window == indexes(cap, f"index in {{{window[0]}..{window[-1]}}}")


def test_attempt_membership(cap):
    attempts = {a.number: a for a in cap.attempts()}
    for number, a in attempts.items():
        members = set(indexes(cap, f"attempt == {number}"))
        cited = {s.index for s in a.steps}
        assert cited <= members, f"attempt {number} misses its own steps"
        assert all(a.start_index <= i for i in members)
    assert set(indexes(cap, "verdict == ok")) == set(indexes(cap, "attempt in {1 2}"))


def test_filter_is_usable_on_messages_directly(cap):
    flt = compile_filter("cmd == AUTHENTICATE and role == request")
    assert sum(1 for m in cap if flt(m)) == 3
    assert not flt.needs_attempts and compile_filter("attempt == 1").needs_attempts
