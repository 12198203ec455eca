# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every *_info module does: read records of one kind per domain, filter them, name what is missing."""

from __future__ import annotations

from ansible_collections.netsapiens.pbx.plugins.module_utils._read import read_records
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import compile_filters, matches
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._action import ControllerAction


class InfoAction(ControllerAction):
    """Subclasses set `module` and `kind` (an ObjectType read per domain); the result is `<kind.plural>`, `api_version`
    and, where the module takes `user`, `missing` (users asked for that do not exist, as user@domain). Results with
    sensitive fields are hidden."""

    kind = None

    def prepare(self, params):
        return compile_filters(params['filters'], self.kind)

    def perform(self, client, params, prepared):
        records = []
        missing = []
        domains = client.resolve_domains(params['domain'])
        batches = self.read_batches(client, domains, params)
        for domain, batch in zip(domains, batches):
            records.extend(record for record in batch.records if matches(record, prepared))
            missing.extend('%s@%s' % (user, domain) for user in batch.missing)
        result = {self.kind.plural: records, 'api_version': client.api_version}
        if 'user' in params:
            result['missing'] = missing
        return result

    def read_batches(self, client, domains, params):
        """One Batch (records, missing users) per domain."""
        return read_records(client, self.kind, domains, params.get('user'), params['include_sensitive'])

    def holds_secrets(self, result):
        return any(self.kind.is_sensitive(name) for record in result.get(self.kind.plural) or [] for name in record)
