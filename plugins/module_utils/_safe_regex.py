# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Regular expressions that run on untrusted values: refuse the patterns that can backtrack for minutes.

Python's re engine backtracks. A repeated group that holds another open-ended quantifier ((a+)+, (a*)*,
(\\w+\\s?)*), or whose alternatives can match the same text ((a|a)*, (\\w|\\d)*), tries exponentially many ways
to split a value before it gives up: a 50-character value can take minutes. Backreferences make matching
NP-hard. Those patterns are refused when the policy is validated; what is left is at worst polynomial, and
MAX_INPUT bounds the length of the value it runs on.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

try:
    from re import _parser as sre_parse  # Python 3.11 and later
except ImportError:  # pragma: no cover - older Python
    import sre_parse  # pylint: disable=deprecated-module

# A longer value is never searched (a regex rule then fails): subscriber fields are far shorter.
MAX_INPUT = 1000

_REPEATS = frozenset(getattr(sre_parse, name) for name in ('MAX_REPEAT', 'MIN_REPEAT', 'POSSESSIVE_REPEAT') if hasattr(sre_parse, name))
_BACKREFERENCES = frozenset((sre_parse.GROUPREF, sre_parse.GROUPREF_EXISTS))
_UNBOUNDED = sre_parse.MAXREPEAT
_ANY_CHARACTER = None  # the first character of an alternative is not one of a known set

NESTED = 'a repeated group holds another quantifier, like (a+)+ or (a*)*'
AMBIGUOUS = 'a repeated group has alternatives that can match the same text, like (a|a)*'
BACKREFERENCE = 'it uses a backreference (\\1, (?P=name) or (?(1)...)), which is not allowed in a policy'


def _children(op, argument):
    """The sub-patterns directly inside one parsed item."""
    if op in _REPEATS:
        return [argument[2]]
    if op is sre_parse.SUBPATTERN:
        return [argument[3]]
    if op is sre_parse.BRANCH:
        return list(argument[1])
    if op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
        return [argument[1]]
    if op is getattr(sre_parse, 'ATOMIC_GROUP', object()):
        return [argument]
    return []


def _first_characters(items):
    """The characters a sequence can start with: a frozenset, _ANY_CHARACTER when unknown, empty when it can match ''."""
    for op, argument in items:
        if op is sre_parse.AT:
            continue
        if op is sre_parse.LITERAL:
            return frozenset((argument,))
        if op is sre_parse.IN and all(kind is sre_parse.LITERAL for kind, _value in argument):
            return frozenset(value for _kind, value in argument)
        return _ANY_CHARACTER
    return frozenset()


def _ambiguous(alternatives):
    seen = set()
    can_be_empty = False
    for alternative in alternatives:
        first = _first_characters(alternative)
        if first is _ANY_CHARACTER or (not first and can_be_empty) or (seen & first):
            return True
        can_be_empty = can_be_empty or not first
        seen.update(first)
    return False


def _problem(items, repeated, unbounded):
    """Why a parsed pattern may backtrack catastrophically, or None. repeated: inside a group repeated more than once;
    unbounded: that repetition has no upper limit."""
    for op, argument in items:
        if op in _BACKREFERENCES:
            return BACKREFERENCE
        inner_repeated, inner_unbounded = repeated, unbounded
        if op in _REPEATS:
            low, high = argument[0], argument[1]
            if repeated and high > max(low, 1) and (unbounded or high == _UNBOUNDED):
                return NESTED
            if high > 1:
                inner_repeated, inner_unbounded = True, unbounded or high == _UNBOUNDED
        elif op is sre_parse.BRANCH and repeated and _ambiguous(argument[1]):
            return AMBIGUOUS
        for child in _children(op, argument):
            problem = _problem(child, inner_repeated, inner_unbounded)
            if problem:
                return problem
    return None


def backtracking_problem(compiled):
    """Why a compiled pattern is refused for untrusted values (a sentence), or None when it is safe to run."""
    problem = _problem(sre_parse.parse(compiled.pattern, compiled.flags), False, False)
    if problem is None or problem is BACKREFERENCE:
        return problem
    return 'it could run for minutes on some values: %s; rewrite it with one quantifier per repeated part' % problem


def bounded_search(compiled, value):
    """True when compiled finds a match in value; a value longer than MAX_INPUT never matches."""
    return len(value) <= MAX_INPUT and compiled.search(value) is not None
