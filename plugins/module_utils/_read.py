# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one way every plugin reads records of any object: most with NetSapiensClient.read_domains, dial policies in two
steps (_dialpolicies) and E911 addresses joined with the subscribers that use them."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._client import Batch
from ansible_collections.netsapiens.pbx.plugins.module_utils._dialpolicies import read_dialpolicies
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.address import ADDRESS, complete_address, users_by_address
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.dialpolicy import DIALPOLICY
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.subscriber import SUBSCRIBER


def read_addresses(client, domains, include_sensitive=False):
    """The E911 addresses of each domain, each with the users whose address_id names it (assigned_users)."""
    batches = client.read_domains(ADDRESS, domains, None, include_sensitive)
    # Only domains that have addresses need their subscribers read.
    used = [domain for domain, batch in zip(domains, batches) if batch.records]
    subscribers = dict(zip(used, client.read_domains(SUBSCRIBER, used)))
    completed = []
    for domain, batch in zip(domains, batches):
        assigned = users_by_address(subscribers[domain].records) if batch.records else {}
        completed.append(Batch([complete_address(record, assigned) for record in batch.records], batch.missing))
    return completed


def read_records(client, kind, domains, users=None, include_sensitive=False):
    """One Batch (records, missing users) per domain, in order, for records of any kind."""
    if kind is DIALPOLICY:
        return read_dialpolicies(client, domains, include_sensitive)
    if kind is ADDRESS:
        return read_addresses(client, domains, include_sensitive)
    return client.read_domains(kind, domains, users, include_sensitive)
