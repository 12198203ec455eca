# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""E911 (emergency) addresses: v1 object=address, v2 /domains/{domain}/addresses (reference netsapiens-objects.md §4).

Besides the fields the server sends, a record holds two the collection derives the same way on both API versions:
`validated` (the server holds a PIDF-LO for the address) and `assigned_users` (the subscribers whose `address_id` names
it), so that a v1 and a v2 record of one address are identical.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects._type import ObjectType

# v1 address fields: the v1-style names of v2's synchronous create answer (SPEC45 AddressCreateReturn); that v1 reads
# send the same names is inferred (reference §4.1).
V1_FIELDS = (
    'address_id', 'domain', 'user', 'address_name', 'callid_nmbr', 'address_line_1', 'address_line_2', 'city',
    'state_code', 'zip', 'country_code', 'location', 'carrier', 'public_ip',
)
# Fields the collection derives (see complete_address).
VALIDATED = 'validated'
ASSIGNED_USERS = 'assigned_users'

# The PIDF-LO (the civic location as the carrier validated it): an object on v1, an XML string on v2. Records say only
# whether there is one (VALIDATED), so they read the same on both versions.
PIDFLO_NAMES = ('address-formatted-pidflo', 'address_formatted_pidflo')

# v2 Address field -> v1 field (reference §4.2), with the spellings the spec's examples use.
V2_TO_V1 = {
    'emergency-address-id': 'address_id',
    'address-name': 'address_name',
    'caller-name': 'callid_nmbr',
    'caller-id-number': 'callid_nmbr',
    'address-line-1': 'address_line_1',
    'address-line-2': 'address_line_2',
    'address-city': 'city',
    'address-state-province-abbreviation': 'state_code',
    'address-postal-code': 'zip',
    'address-country-abbreviation': 'country_code',
    'address-location-description': 'location',
    'ip-address-public': 'public_ip',
    'address-provisioned-carrier-name': 'carrier',
    'address-formatted-pretty': 'address_pretty_print',
}

# Fields only one API version is known to send: v2's user count (assigned_users replaces it on both versions), its
# site-default flag and its rendering of the address in one text (the parts are returned).
VERSION_SPECIFIC_FIELDS = frozenset(('count_users_configured', 'address_is_default_for_site', 'address_pretty_print'))

ADDRESS = ObjectType(
    name='address', plural='addresses', key='address_id', v2_key='emergency-address-id', scope=('domain',),
    example_key='a-652487faeb24e_4', v1_object='address', v2_collection='domains/{domain}/addresses',
    fields=V1_FIELDS + (VALIDATED, ASSIGNED_USERS), v2_names=V2_TO_V1, dropped=VERSION_SPECIFIC_FIELDS,
    # Personal data (where a remote worker's phone was last seen), not a secret: returned only when asked for.
    sensitive=('public_ip',),
)


def users_by_address(subscribers):
    """address_id -> the users (in the order given) whose subscriber record names that address."""
    found = {}
    for subscriber in subscribers:
        address_id = subscriber.get('address_id')
        if address_id:
            found.setdefault(address_id, []).append(subscriber.get('user', ''))
    return found


def complete_address(record, assigned):
    """The record with VALIDATED and ASSIGNED_USERS (from users_by_address of its domain) instead of the raw PIDF-LO."""
    pidflo = [record.pop(name) for name in PIDFLO_NAMES if name in record]
    record[VALIDATED] = 'yes' if any(value not in ('', [], {}) for value in pidflo) else 'no'
    record[ASSIGNED_USERS] = list(assigned.get(record.get('address_id'), ()))
    return record
