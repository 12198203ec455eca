# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.address import ADDRESS, complete_address, users_by_address
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.subscriber import SUBSCRIBER
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import matches
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._info import InfoAction


class ActionModule(InfoAction):
    """netsapiens.pbx.address_info on the controller: the E911 addresses of each domain, each with the subscribers that
    use it (read from the same domains), filtered after that so that filters may name the derived fields."""

    module = 'address_info'
    kind = ADDRESS

    def perform(self, client, params, prepared):
        domains = client.resolve_domains(params['domain'])
        batches = client.read_domains(ADDRESS, domains, None, params['include_sensitive'])
        # Only domains that have addresses need their subscribers read.
        used = [domain for domain, batch in zip(domains, batches) if batch.records]
        subscribers = dict(zip(used, client.read_domains(SUBSCRIBER, used)))
        records = []
        for domain, batch in zip(domains, batches):
            assigned = users_by_address(subscribers[domain].records) if batch.records else {}
            completed = (complete_address(record, assigned) for record in batch.records)
            records.extend(record for record in completed if matches(record, prepared))
        return {ADDRESS.plural: records, 'api_version': client.api_version}
