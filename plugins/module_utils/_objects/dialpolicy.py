# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dial policies and their permissions (reference netsapiens-objects.md section 6): v1 object=dialpolicy and
object=permission, v2 /domains/{domain}/dialpolicy[/{policy}/permission] and, for shared system policies (domain '*'),
/dialpolicy[/{policy}/permission]. Every list is small and read in one request. _dialpolicies.py reads them and makes
one record per permission row."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects._type import ObjectType

SHARED_DOMAIN = '*'

# A record: the policy (domain, name, description), then one of its permission rows and the row's place in the policy.
FIELDS = ('domain', 'dialpolicy', 'policy_description', 'order', 'dial_match', 'mode', 'reason')

# v1-only `dialpolicy_id` (PM shows the value "ignore"), v2-only `created-datetime` and `permission-id`.
VERSION_SPECIFIC_FIELDS = ('dialpolicy_id', 'created_datetime', 'permission_id')

# v2 name -> v1 name; dialpolicy and domain are spelt alike (the pairs are inferred, reference section 6.2).
V2_TO_V1 = {
    'description': 'policy_description',
    'permission-match': 'dial_match',
    'permission-mode': 'mode',
    'permission-reason': 'reason',
}


def _kind(name, plural, key, scope, v1_object, v2_collection, v2_key=None):
    return ObjectType(name=name, plural=plural, key=key, v2_key=v2_key, scope=scope, v1_object=v1_object,
                      v2_collection=v2_collection, fields=FIELDS, v2_names=V2_TO_V1, dropped=VERSION_SPECIFIC_FIELDS,
                      example_key='US and Canada', unpaged=True)


# The policies of a domain (v1: with the shared ones, it seems), and the kind of the dialpolicy_info records.
DIALPOLICY = _kind('dialpolicy', 'dialpolicies', 'dialpolicy', ('domain',), 'dialpolicy', 'domains/{domain}/dialpolicy')
# v2 only: every policy the credentials can see, at the system path (shared ones have domain '*').
VISIBLE_DIALPOLICY = _kind('dialpolicy', 'dialpolicies', 'dialpolicy', (), 'dialpolicy', 'dialpolicy')
# The permission rows of one policy, in the server's order; v1 takes domain and dialpolicy as parameters.
PERMISSION = _kind('permission', 'permissions', 'dial_match', ('domain', 'dialpolicy'), 'permission',
                   'domains/{domain}/dialpolicy/{dialpolicy}/permission', v2_key='permission-match')
# v2 only: the permission rows of a shared policy, at the system path.
SHARED_PERMISSION = _kind('permission', 'permissions', 'dial_match', ('dialpolicy',), 'permission',
                          'dialpolicy/{dialpolicy}/permission', v2_key='permission-match')
