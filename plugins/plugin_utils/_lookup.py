# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the record lookups share: the term grammar (user@domain or domain), one authentication per call, domains read
in parallel, on_missing."""

from __future__ import annotations

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.netsapiens.pbx.plugins.module_utils._client import check_domain
from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensNotFoundError
from ansible_collections.netsapiens.pbx.plugins.module_utils._read import read_records
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import compile_filters, matches
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._plugin import build_client, translated_errors, without_omitted

display = Display()


def parse_term(term):
    """'1001@acme' -> ('acme', '1001'); 'acme' -> ('acme', None)."""
    if not isinstance(term, str):
        raise AnsibleLookupError('Each term must be a string like 1001@acme.12345.service or acme.12345.service, got %s.'
                                 % type(term).__name__)
    text = term.strip()
    user, at, domain = text.rpartition('@')
    if not at:
        return check_domain(text), None
    if not user:
        raise AnsibleLookupError("Term '%s' has no user before '@'." % term)
    return check_domain(domain), user


def _wanted_per_domain(parsed):
    """domain -> None (the whole domain) or the users named, in term order."""
    wanted = {}
    for domain, user in parsed:
        if user is None:
            wanted[domain] = None
        elif wanted.setdefault(domain, []) is not None and user not in wanted[domain]:
            wanted[domain].append(user)
    return wanted


class RecordLookup(LookupBase):
    """Subclasses give kind(): the ObjectType the terms read."""

    name = ''

    def kind(self):
        raise NotImplementedError

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=without_omitted(kwargs, variables))
        kind = self.kind()
        with translated_errors(AnsibleLookupError):
            wanted = compile_filters(self.get_option('filters'), kind)
            parsed = [parse_term(term) for term in self._flatten(terms)]
        if any(user is not None for _domain, user in parsed) and not (kind.per_user or kind.key == 'user'):
            raise AnsibleLookupError('netsapiens.pbx.%s: %s records belong to a domain, not to a user; give domain terms.'
                                     % (self.name, kind.name))
        if not parsed:
            return []
        client = build_client(self, AnsibleLookupError)
        with translated_errors(AnsibleLookupError):
            found = self._read(client, kind, parsed)
        results = []
        for domain, user in parsed:
            records = found.get((domain, user))
            if records is None:
                self._missing(kind, domain, user)
                continue
            results.extend(record for record in records if matches(record, wanted))
        return results

    def _read(self, client, kind, parsed):
        """(domain, user or None) -> records, for every term that exists; each domain read once, domains at once."""
        wanted = _wanted_per_domain(parsed)
        include_sensitive = self.get_option('include_sensitive')
        owner = 'user' if kind.key == 'user' else kind.owner

        def read(domain):
            try:
                return read_records(client, kind, [domain], wanted[domain], include_sensitive)[0]
            except NetSapiensNotFoundError:
                return None
        found = {}
        for domain, batch in zip(wanted, client.map(read, list(wanted))):
            if batch is None:
                continue
            found[(domain, None)] = batch.records
            for user in wanted[domain] or []:
                if user not in batch.missing:
                    found[(domain, user)] = [record for record in batch.records if record.get(owner) == user]
        return found

    def _missing(self, kind, domain, user):
        who = 'subscriber' if kind.key == 'user' else 'user'
        what = "%s '%s@%s'" % (who, user, domain) if user is not None else "domain '%s'" % domain
        message = 'netsapiens.pbx.%s: %s does not exist (or the credentials cannot see it).' % (self.name, what)
        on_missing = self.get_option('on_missing')
        if on_missing == 'error':
            raise AnsibleLookupError(message + " Set on_missing='warn' or 'ignore' to skip it.")
        if on_missing == 'warn':
            display.warning(message)
