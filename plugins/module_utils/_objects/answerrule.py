# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Answer rules (forwarding, simultaneous ring, do not disturb per time frame): v1 object=answerrule&uid=user@domain,
v2 /domains/{domain}/users/{user}/answerrules. One record per user and time frame."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects._type import ObjectType
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import to_text_value

# (v1 prefix, v2 feature object, whether it carries destinations) after SPEC45's AnswerruleLegacy and Answerrule. The
# pairing of v1 prefixes with v2 features is inferred (reference netsapiens-objects.md section 2.1), surest first.
FEATURES = (
    ('sim', 'simultaneous-ring', True),
    ('for', 'forward-always', True),
    ('fbu', 'forward-on-busy', True),
    ('fna', 'forward-no-answer', True),
    ('fnr', 'forward-when-unregistered', True),
    ('foa', 'forward-on-active', True),
    ('dnd', 'do-not-disturb', False),
    ('scr', 'call-screening', False),
    ('acp', 'phone-numbers-to-allow', True),
    ('rej', 'phone-numbers-to-reject', True),
    ('fsp', 'forward-on-spam-call', True),
    ('pna', 'forward-on-dnd', True),
)

V1_FIELDS = ('domain', 'user', 'time_frame', 'priority', 'enable', 'active') + tuple(
    name for prefix, _feature, with_destinations in FEATURES
    for name in (('%s_control' % prefix, '%s_parameters' % prefix) if with_destinations else ('%s_control' % prefix,)))

# v2 field -> v1 field, with the spellings other clients report: `enable` (SPEC45's own example), `ordinal-priority`.
V2_TO_V1 = {
    'time-frame': 'time_frame',
    'enabled': 'enable',
    'enable': 'enable',
    'is-active': 'active',
    'order': 'priority',
    'ordinal-priority': 'priority',
}

# Only v2 has the time frame's ranges (time_range_data, new_time_frame_data) and the write-only new-position; only PM's
# v1 read schema (a copy of the subscriber schema) lists pwd and pwd_hash, which are never returned.
DROPPED = frozenset(('time_range_data', 'new_time_frame_data', 'new_position', 'pwd', 'pwd_hash'))

_ENABLED = frozenset(('yes', 'true', '1', 'on', 'e'))
_DISABLED = frozenset(('no', 'false', '0', 'off', 'd'))


def control_of(enabled):
    """A v2 feature's `enabled` as the v1 control: 'e', 'd', '' when not set, or the server's own word."""
    text = to_text_value(enabled)
    if not isinstance(text, str):
        return ''
    word = text.strip().lower()
    if word in _ENABLED:
        return 'e'
    if word in _DISABLED:
        return 'd'
    return text


def destinations_of(parameters):
    """A v2 feature's `parameters` (strings and JSON numbers) as the v1 space-separated list."""
    if parameters is None:
        return ''
    if not isinstance(parameters, (list, tuple)):
        return to_text_value(parameters)
    texts = (to_text_value(item) for item in parameters)
    return ' '.join(text for text in texts if isinstance(text, str) and text)


def feature_decoder(prefix, with_destinations):
    """The v2_values decoder of one feature: {enabled|enable, parameters} -> <prefix>_control (and _parameters)."""
    def decode(value):
        if isinstance(value, dict):
            enabled = value.get('enabled', value.get('enable'))
            parameters = value.get('parameters')
        else:
            enabled, parameters = value, None
        pairs = [('%s_control' % prefix, control_of(enabled))]
        if with_destinations:
            pairs.append(('%s_parameters' % prefix, destinations_of(parameters)))
        return pairs
    return decode


def v1_params(scope):
    """v1 reads the rules of one user only, named by uid=user@domain (required by the read)."""
    return {'uid': '%s@%s' % (scope['user'], scope['domain'])}


ANSWERRULE = ObjectType(
    name='answerrule', plural='answerrules', key='time_frame', v2_key='time-frame', example_key='*',
    scope=('domain', 'user'), v1_object='answerrule', v2_collection='domains/{domain}/users/{user}/answerrules',
    fields=V1_FIELDS, v2_names=V2_TO_V1, dropped=DROPPED, owner='user', order_by=('user', 'priority', 'time_frame'),
    v1_params=v1_params,
    v2_values=dict((feature, feature_decoder(prefix, with_destinations)) for prefix, feature, with_destinations in FEATURES),
)
