# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dial policies as flat records, one per permission row: the one object read in two steps (the policies a domain can
use, then each policy's permissions), so it has its own read instead of NetSapiensClient.read_domains.

Which policies a domain can use: v1 object=dialpolicy&domain=<d> (the domain's own and, it seems, the shared ones); v2
/domains/{d}/dialpolicy plus the shared ones (domain '*') of /dialpolicy, which lists every policy the credentials can
see. Shared policies whose permissions the credentials may not read (403) are left out; every other failure fails.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64

from ansible_collections.netsapiens.pbx.plugins.module_utils._client import Batch, check_domain, natural_key
from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensScopeError
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.dialpolicy import (
    DIALPOLICY, PERMISSION, SHARED_DOMAIN, SHARED_PERMISSION, VISIBLE_DIALPOLICY)

# The permission fields of the one record of a policy that has no permission rows, so that the policy still shows.
NO_PERMISSION = {'order': '', 'dial_match': '', 'mode': '', 'reason': ''}


def read_dialpolicies(client, domains, include_sensitive=False):
    """One Batch per domain, in order: a record per permission row of each policy the domain can use (its own policies
    first, then the shared ones, each by name; rows in the server's order, numbered from 1 in `order`)."""
    domains = [check_domain(domain) for domain in domains]
    reader = client.reader()
    visible = _visible_policies(client, reader, include_sensitive) if client.api_version == 'v2' else []
    policies = client.map(lambda domain: _policies_of(reader, domain, visible, include_sensitive), domains)
    # A shared policy shows in every domain: its permissions are read once.
    unique = dict((_identity(policy), policy) for found in policies for policy in found)
    rows = dict(zip(unique, client.map(lambda policy: _permissions_of(client, reader, policy, include_sensitive),
                                       list(unique.values()))))
    return [Batch([record for policy in found for record in _records(policy, rows[_identity(policy)])], [])
            for found in policies]


def _identity(policy):
    return (policy.get('domain', ''), policy.get('dialpolicy', ''))


def _visible_policies(client, reader, include_sensitive):
    """v2: every policy the credentials can see (the shared ones among them); none when they may not list them."""
    try:
        raws = reader.read_all(VISIBLE_DIALPOLICY, {})
    except NetSapiensScopeError as exc:
        client.log('Shared dial policies are left out: %s' % exc)
        return []
    return [reader.normalise(VISIBLE_DIALPOLICY, raw, include_sensitive) for raw in raws]


def _policies_of(reader, domain, visible, include_sensitive):
    """The policies of the domain and the shared ones, each once, the domain's own first, then by name."""
    own = [reader.normalise(DIALPOLICY, raw, include_sensitive) for raw in reader.read_all(DIALPOLICY, {'domain': domain})]
    for policy in own:
        policy['domain'] = policy.get('domain') or domain
    found = {}
    for policy in own + visible:
        if policy['domain'] in (domain, SHARED_DOMAIN) and policy.get('dialpolicy'):
            found.setdefault(_identity(policy), policy)
    return sorted(found.values(), key=lambda policy: (policy['domain'] == SHARED_DOMAIN, natural_key(policy['dialpolicy'])))


def _permissions_of(client, reader, policy, include_sensitive):
    """The permission records of a policy in server order; None for a shared policy the credentials may not read."""
    shared = policy['domain'] == SHARED_DOMAIN
    if shared and client.api_version == 'v2':
        kind, scope = SHARED_PERMISSION, {'dialpolicy': policy['dialpolicy']}
    else:
        kind, scope = PERMISSION, {'domain': policy['domain'], 'dialpolicy': policy['dialpolicy']}
    try:
        raws = reader.read_all(kind, scope)
    except NetSapiensScopeError as exc:
        if not shared:
            raise
        client.log("Shared dial policy '%s' is left out: %s" % (policy['dialpolicy'], exc))
        return None
    return [reader.normalise(kind, with_match(raw), include_sensitive) for raw in raws]


def with_match(raw):
    """A v2 permission row without its match, with the match taken from permission-id (its base64, reference section 9)."""
    if raw.get('permission-match') or raw.get('dial_match') or not raw.get('permission-id'):
        return raw
    try:
        match = base64.b64decode(str(raw['permission-id']), validate=True).decode('utf-8')
    except ValueError:  # not base64, or not UTF-8 text once decoded
        return raw
    return dict(raw, **{'permission-match': match})


def _records(policy, rows):
    """The records of one policy: one per permission row, or one without a row when it has none."""
    if rows is None:
        return []
    if not rows:
        return [dict(NO_PERMISSION, **policy)]
    records = []
    for order, row in enumerate(rows, 1):
        record = dict(row)
        record.update(policy)
        record['order'] = str(order)
        records.append(record)
    return records
