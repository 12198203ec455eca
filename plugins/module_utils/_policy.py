# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Audit policies: parse and validate a policy (a dict loaded from YAML) into rules that check records.

Validation happens before any API call and names the rule and the problem. See docs/policy.md.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import math
import re

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError
from ansible_collections.netsapiens.pbx.plugins.module_utils._facts import DEVICE_FACTS, OWNER_FIELDS, SUBSCRIBER_FACTS
from ansible_collections.netsapiens.pbx.plugins.module_utils._fields import DROPPED_FIELDS
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.device import DEVICE
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.subscriber import SUBSCRIBER
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import field_text, to_text_value
from ansible_collections.netsapiens.pbx.plugins.module_utils._safe_regex import backtracking_problem, bounded_search

SEVERITIES = ('info', 'low', 'medium', 'high', 'critical')
SEVERITY_RANK = dict((name, rank) for rank, name in enumerate(SEVERITIES))
OPERATORS = ('equals', 'in', 'not_in', 'regex', 'min', 'max', 'required', 'absent')
SELECTOR_FIELDS = ('domain', 'group', 'site', 'scope', 'srv_code')
RULE_KEYS = frozenset(('id', 'description', 'severity', 'field', 'select', 'object', 'reference', 'reference_url',
                       'remediation') + OPERATORS)
RULE_OBJECTS = ('subscriber', 'device')
SELECT_KEYS = frozenset(SELECTOR_FIELDS + ('include_system_users',))
POLICY_KEYS = frozenset(('name', 'description', 'rules', 'exemptions', 'pack', 'parameters'))
# Policy parameters: name -> (default, smallest, largest).
PARAMETERS = {'pin_min_length': (6, 1, 32)}
EXEMPTION_KEYS = frozenset(('subscriber', 'rule', 'reason', 'expires'))
SYSTEM_PREFIX = 'system-'
# A plain decimal number. Python's float() also takes '1_0_0', 'nan', 'infinity' and non-ASCII digits: none is a number here.
NUMBER = re.compile(r'\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*\Z')


def _fail(where, problem):
    raise NetSapiensConfigError('Invalid policy: %s: %s' % (where, problem))


def _text(value, where, name):
    # An unquoted YAML yes/no arrives as a boolean; records hold the strings 'yes' and 'no'.
    if value is None or isinstance(value, (dict, list)):
        _fail(where, "'%s' must be a string or number, got %s" % (name, 'null' if value is None else type(value).__name__))
    return to_text_value(value)


def _text_list(value, where, name):
    values = value if isinstance(value, (list, tuple)) else [value]
    if not values:
        _fail(where, "'%s' must not be an empty list" % name)
    return frozenset(_text(item, where, name) for item in values)


def parse_number(value):
    """A record value as a finite float, or None when it is not a plain decimal number."""
    if value.__class__ is not str or not NUMBER.match(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def is_system_user(record):
    """Queues, auto attendants, voicemail services...: srv_code starts with 'system-'."""
    return field_text(record.get('srv_code', '')).startswith(SYSTEM_PREFIX)


def _number(value, where, name):
    if isinstance(value, bool):
        _fail(where, "'%s' must be a number, got a boolean" % name)
    text = repr(value) if isinstance(value, (int, float)) else value
    number = parse_number(text)
    if number is None:
        _fail(where, "'%s' must be %s, got '%s'" % (name, 'a finite number' if _is_non_finite(text) else 'a number', value))
    return number


def _is_non_finite(text):
    try:
        return not math.isfinite(float(text))
    except (TypeError, ValueError):
        return False


def _flag(value, where, name):
    if value is not True:
        _fail(where, "'%s' takes the value true (it has no other form)" % name)
    return True


def _checked_field(field, where, kind):
    """A field a rule on records of this kind (SUBSCRIBER or DEVICE) may name: a record field or a fact."""
    if field in (SUBSCRIBER_FACTS if kind is SUBSCRIBER else DEVICE_FACTS):
        return field
    if kind.skipped(False)[field]:
        never = field in DROPPED_FIELDS or field in kind.dropped
        why = 'is never returned by the collection' if never else 'is secret and never read for an audit'
        _fail(where, "field '%s' %s, so the rule could never see its value" % (field, why))
    if field not in kind.fields and not (kind is DEVICE and field in OWNER_FIELDS):
        _fail(where, "unknown %s field '%s'" % (kind.name, field))
    return field


def _url(value, where):
    if not isinstance(value, str) or not re.match(r'^https?://[^\s]+$', value):
        _fail(where, "'reference_url' must be an http:// or https:// address")
    return value


def _regex(text, where):
    if not isinstance(text, str):
        _fail(where, "'regex' must be a string")
    try:
        pattern = re.compile(text)
    except re.error as exc:
        _fail(where, "bad regex '%s': %s" % (text, exc))
    problem = backtracking_problem(pattern)
    if problem:
        _fail(where, "regex '%s' is refused: %s" % (text, problem))
    return pattern


class Rule(object):
    """One compiled rule: which records it selects, and what each selected record must satisfy."""

    def __init__(self, spec, index):
        where = 'rule #%d' % (index + 1)
        if not isinstance(spec, dict):
            _fail(where, 'a rule must be a mapping, got %s' % type(spec).__name__)
        rule_id = spec.get('id')
        if rule_id is None or isinstance(rule_id, (bool, dict, list)) or not str(rule_id).strip():
            _fail(where, "every rule needs an 'id'")
        self.id = str(rule_id).strip()
        where = "rule '%s'" % self.id
        unknown = sorted(set(spec) - RULE_KEYS)
        if unknown:
            _fail(where, 'unknown key(s) %s; a rule has id, description, severity, object, field, select, reference, '
                  'reference_url, remediation and one operator (%s)' % (', '.join("'%s'" % key for key in unknown),
                                                                        ', '.join(OPERATORS)))
        self.description = _text(spec.get('description', self.id), where, 'description')
        severity = spec.get('severity', 'medium')
        if severity not in SEVERITIES:
            _fail(where, "unknown severity '%s'; use one of %s" % (severity, ', '.join(SEVERITIES)))
        self.severity = severity
        self.object = spec.get('object', 'subscriber')
        if self.object not in RULE_OBJECTS:
            _fail(where, "'object' must be one of %s, got '%s'" % (', '.join(RULE_OBJECTS), self.object))
        field = spec.get('field')
        if not isinstance(field, str) or not field:
            _fail(where, "'field' is required: the record field the rule checks")
        self.field = _checked_field(field, where, DEVICE if self.object == 'device' else SUBSCRIBER)
        self.reference = _text(spec['reference'], where, 'reference') if 'reference' in spec else ''
        self.reference_url = _url(spec['reference_url'], where) if 'reference_url' in spec else ''
        self.remediation = _text(spec['remediation'], where, 'remediation') if 'remediation' in spec else ''
        self.pack = ''  # the pack the rule belongs to, set by its policy
        self._compile_operators(spec, where)
        self._compile_selector(spec.get('select'), where)

    def _compile_operators(self, spec, where):
        used = [name for name in OPERATORS if name in spec]
        if not used:
            _fail(where, 'no operator; give one of %s' % ', '.join(OPERATORS))
        if len(used) > 1 and set(used) != set(('min', 'max')):
            _fail(where, 'give one operator per rule (min and max may go together), got %s' % ', '.join(used))
        self.operator = '+'.join(used)
        self.equals = _text(spec['equals'], where, 'equals') if 'equals' in spec else None
        self.allowed = _text_list(spec['in'], where, 'in') if 'in' in spec else None
        self.forbidden = _text_list(spec['not_in'], where, 'not_in') if 'not_in' in spec else None
        self.pattern = _regex(spec['regex'], where) if 'regex' in spec else None
        self.minimum = _number(spec['min'], where, 'min') if 'min' in spec else None
        self.maximum = _number(spec['max'], where, 'max') if 'max' in spec else None
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            _fail(where, "'min' (%g) is greater than 'max' (%g)" % (self.minimum, self.maximum))
        self.required = _flag(spec['required'], where, 'required') if 'required' in spec else False
        self.absent = _flag(spec['absent'], where, 'absent') if 'absent' in spec else False

    def _compile_selector(self, select, where):
        self.selector = {}
        self.include_system_users = False
        if select is None:
            return
        if not isinstance(select, dict):
            _fail(where, "'select' must be a mapping of %s to a value or list" % ', '.join(SELECTOR_FIELDS))
        unknown = sorted(set(select) - SELECT_KEYS)
        if unknown:
            _fail(where, "unknown selector(s) %s; select by %s, and include_system_users"
                  % (', '.join("'%s'" % key for key in unknown), ', '.join(SELECTOR_FIELDS)))
        for name in SELECTOR_FIELDS:
            if name in select:
                self.selector[name] = _text_list(select[name], where, 'select.%s' % name)
        include = select.get('include_system_users', False)
        if not isinstance(include, bool):
            _fail(where, "'select.include_system_users' must be true or false")
        self.include_system_users = include

    def expected(self):
        """What the rule wants, in words."""
        if self.equals is not None:
            return "equals '%s'" % self.equals
        if self.allowed is not None:
            return 'one of %s' % ', '.join(sorted(self.allowed))
        if self.forbidden is not None:
            return 'none of %s' % ', '.join(sorted(self.forbidden))
        if self.pattern is not None:
            return 'matches /%s/' % self.pattern.pattern
        if self.required:
            return 'not empty'
        if self.absent:
            return 'empty'
        parts = []
        if self.minimum is not None:
            parts.append('>= %g' % self.minimum)
        if self.maximum is not None:
            parts.append('<= %g' % self.maximum)
        return 'a number ' + ' and '.join(parts)

    def select_as_dict(self):
        """The selectors as the report shows them: selector -> sorted values, and include_system_users."""
        select = dict((name, sorted(values)) for name, values in self.selector.items())
        select['include_system_users'] = self.include_system_users
        return select

    def applies(self, record):
        if not self.include_system_users and is_system_user(record):
            return False
        return self.selects(record)

    def selects(self, record):
        """True when the record matches the rule's selectors (system users aside)."""
        for name, wanted in self.selector.items():
            value = record.get(name, '')
            if (value if value.__class__ is str else field_text(value)) not in wanted:
                return False
        return True

    def passes(self, value):
        """True when a selected record's field value (text, see field_text) satisfies the rule."""
        if self.equals is not None:
            return value == self.equals
        if self.allowed is not None:
            return value in self.allowed
        if self.forbidden is not None:
            return value not in self.forbidden
        if self.pattern is not None:
            return bounded_search(self.pattern, value)
        if self.required:
            return value != ''
        if self.absent:
            return value == ''
        number = parse_number(value)
        if number is None:
            return False
        if self.minimum is not None and number < self.minimum:
            return False
        return self.maximum is None or number <= self.maximum


class Exemption(object):
    def __init__(self, spec, index, rule_ids):
        where = 'exemption #%d' % (index + 1)
        if not isinstance(spec, dict):
            _fail(where, 'an exemption must be a mapping')
        unknown = sorted(set(spec) - EXEMPTION_KEYS)
        if unknown:
            _fail(where, "unknown key(s) %s; an exemption has subscriber, rule, reason and expires"
                  % ', '.join("'%s'" % key for key in unknown))
        subscriber = spec.get('subscriber')
        if not isinstance(subscriber, str) or '@' not in subscriber.strip('@'):
            _fail(where, "'subscriber' must be user@domain")
        self.user, _at, self.domain = subscriber.rpartition('@')
        self.subscriber = subscriber
        rule = spec.get('rule')
        if rule is None or str(rule) not in rule_ids:
            _fail(where, "'rule' must name a rule of the policy, got '%s'" % rule)
        self.rule = str(rule)
        reason = spec.get('reason')
        if not isinstance(reason, str) or not reason.strip():
            _fail(where, "'reason' is required: say why %s is exempt from %s" % (subscriber, self.rule))
        self.reason = reason.strip()
        self.expires = _date(spec.get('expires'), where) if spec.get('expires') is not None else None

    def as_dict(self):
        return {'subscriber': self.subscriber, 'rule': self.rule, 'reason': self.reason,
                'expires': self.expires.isoformat() if self.expires else ''}


def _date(value, where):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(str(value), '%Y-%m-%d').date()
    except ValueError:
        _fail(where, "'expires' must be a date like 2027-01-31, got '%s'" % value)


class Policy(object):
    """A validated policy (or several packs combined into one: Policy.combine)."""

    def __init__(self, spec, pack=None):
        if not isinstance(spec, dict):
            _fail('policy', 'a policy must be a mapping with rules (and optionally name, description, exemptions)')
        unknown = sorted(set(spec) - POLICY_KEYS)
        if unknown:
            _fail('policy', 'unknown key(s) %s; a policy has name, description, pack, parameters, rules and exemptions'
                  % ', '.join("'%s'" % key for key in unknown))
        self.name = str(spec.get('name') or 'policy')
        self.description = str(spec.get('description') or '')
        self.pack = _text(spec.get('pack') or pack or self.name, 'policy', 'pack')
        rules = spec.get('rules')
        if not isinstance(rules, list) or not rules:
            _fail('policy', "'rules' must be a non-empty list")
        self.rules = [Rule(rule, index) for index, rule in enumerate(rules)]
        seen = set()
        for rule in self.rules:
            if rule.id in seen:
                _fail("rule '%s'" % rule.id, 'the id is used by more than one rule')
            seen.add(rule.id)
            rule.pack = self.pack
        exemptions = spec.get('exemptions') or []
        if not isinstance(exemptions, list):
            _fail('policy', "'exemptions' must be a list")
        self.exemptions = [Exemption(item, index, seen) for index, item in enumerate(exemptions)]
        self.parameters = _parameters(spec.get('parameters'))
        self.given = dict((name, self.parameters[name]) for name in spec.get('parameters') or {})
        self.packs = [{'pack': self.pack, 'name': self.name, 'description': self.description,
                       'rules': [rule.id for rule in self.rules]}]

    @classmethod
    def combine(cls, policies):
        """Several packs audited together: their rules (ids unique across packs), exemptions and parameters (packs
        that give the same parameter must give the same value)."""
        if len(policies) == 1:
            return policies[0]
        combined = cls.__new__(cls)
        combined.name = ' + '.join(policy.name for policy in policies)
        combined.description = ' '.join(policy.description for policy in policies if policy.description)
        combined.pack = ''
        combined.rules, combined.exemptions, combined.packs, combined.given = [], [], [], {}
        owner = {}
        for policy in policies:
            for rule in policy.rules:
                if rule.id in owner:
                    _fail("rule '%s'" % rule.id, "the id is used by the packs '%s' and '%s'" % (owner[rule.id], policy.pack))
                owner[rule.id] = policy.pack
            for name, value in policy.given.items():
                if combined.given.setdefault(name, value) != value:
                    _fail('policy', "the packs disagree on parameter '%s' (%s, and %s in '%s')"
                          % (name, combined.given[name], value, policy.pack))
            combined.rules.extend(policy.rules)
            combined.exemptions.extend(policy.exemptions)
            combined.packs.extend(policy.packs)
        combined.parameters = dict(_parameters(None), **combined.given)
        return combined

    def rules_as_dicts(self):
        return [{'id': rule.id, 'pack': rule.pack, 'object': rule.object, 'description': rule.description,
                 'severity': rule.severity, 'field': rule.field, 'operator': rule.operator, 'expected': rule.expected(),
                 'reference': rule.reference, 'reference_url': rule.reference_url, 'remediation': rule.remediation,
                 'select': rule.select_as_dict()}
                for rule in self.rules]


def _parameters(value):
    """The policy's parameters, each checked, with the defaults of the ones not given."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        _fail('policy', "'parameters' must be a mapping of %s" % ', '.join(sorted(PARAMETERS)))
    unknown = sorted(set(value) - set(PARAMETERS))
    if unknown:
        _fail('policy', "unknown parameter(s) %s; known: %s" % (', '.join(unknown), ', '.join(sorted(PARAMETERS))))
    result = {}
    for name, (default, low, high) in PARAMETERS.items():
        given = value.get(name, default)
        if isinstance(given, bool) or not isinstance(given, int) or not low <= given <= high:
            _fail('policy', "parameter '%s' must be a whole number from %d to %d, got %r" % (name, low, high, given))
        result[name] = given
    return result
