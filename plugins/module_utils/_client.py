# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client every module and plugin uses: options -> auth -> version -> reader -> records."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
import time

from ansible_collections.netsapiens.pbx.plugins.module_utils._api import ApiSession
from ansible_collections.netsapiens.pbx.plugins.module_utils._auth import Authenticator
from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError
from ansible_collections.netsapiens.pbx.plugins.module_utils._http import Transport
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.domain import DOMAIN, DOMAIN_FIELDS
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.subscriber import SUBSCRIBER
from ansible_collections.netsapiens.pbx.plugins.module_utils._pool import ordered_map
from ansible_collections.netsapiens.pbx.plugins.module_utils._v1 import V1Reader
from ansible_collections.netsapiens.pbx.plugins.module_utils._v2 import V2Reader, speaks_v2

# The one place that knows which API versions exist: each version's reader carries its token endpoint.
READERS = {'v1': V1Reader, 'v2': V2Reader}
_BAD_NAME_CHARACTERS = frozenset('/?#&=%*\\')
_DIGIT_RUNS = re.compile(r'\d+|\D+')


def check_domain(domain):
    """A domain name as the API knows it, or a clear error."""
    if not isinstance(domain, str) or not domain.strip():
        raise NetSapiensConfigError('A domain name is empty; give names like acme.12345.service.')
    if set(domain) <= set('.'):
        raise NetSapiensConfigError("'%s' is not a valid domain name." % domain)
    if domain != domain.strip() or any(ch.isspace() or ord(ch) < 32 or ch in _BAD_NAME_CHARACTERS for ch in domain):
        raise NetSapiensConfigError("'%s' is not a valid domain name: it contains spaces or one of / ? # & = %% * \\." % domain)
    return domain


def check_key(kind, key):
    """A key (a user's extension, a device's AOR, ...): any non-empty text; numbers from YAML are accepted as their digits."""
    if isinstance(key, bool) or key is None:
        raise NetSapiensConfigError('A %s name is empty or not text: %r.' % (kind.key, key))
    if isinstance(key, int):
        key = str(key)
    if not isinstance(key, str) or not key:
        raise NetSapiensConfigError('A %s name is empty; give %s names like %s.' % (kind.key, kind.key, kind.example_key))
    return key


def natural_key(text):
    """'1010' after '999', 'a2' before 'a10': digits compare as numbers, so records sort the same on every server."""
    return tuple((0, int(part), '') if part.isdigit() else (1, 0, part) for part in _DIGIT_RUNS.findall(str(text)))


def _unique(items):
    seen = set()
    result = []
    for item in items:
        if item not in seen:
            seen.add(item)
            result.append(item)
    return result


class Batch(object):
    """Records read for one scope, in the order asked, and the keys that were asked for but do not exist."""

    def __init__(self, records, missing):
        self.records = records
        self.missing = missing


class NetSapiensClient(object):
    """One server, one session, one authentication for the whole run.

    choose_version() settles the API version (the option, a login token's version, or one probe) and with it the reader
    and the token endpoint; every read calls it first, and it does its work once.
    """

    def __init__(self, settings, log=None, warn=None, session=None, clock=time.time, sleep=time.sleep):
        self.settings = settings
        self.log = log or (lambda message: None)
        self.transport = Transport(settings, log=self.log, warn=warn, sleep=sleep, session=session)
        self.auth = Authenticator(settings, self.transport, clock=clock, log=self.log)
        self.api = ApiSession(self.transport, self.auth)
        self.api_version = None
        self._reader = None

    def choose_version(self):
        """'v1' or 'v2', chosen once; sets the reader and the endpoint tokens come from."""
        if self.api_version is None:
            version = self.settings.api_version
            token = self.settings.access_token
            if version == 'auto' and isinstance(token, dict) and token.get('api_version') in READERS:
                version = token['api_version']
            elif version == 'auto':
                version = 'v2' if speaks_v2(self.transport, self.log) else 'v1'
            reader_class = READERS[version]
            self._reader = reader_class(self.api, log=self.log, workers=self.settings.max_concurrency)
            # v2 servers without /tokens fall back to the v1 endpoint (see _v2.V2TokenEndpoint).
            self.auth.token_endpoint = reader_class.token_endpoint()
            self.api_version = version
        return self.api_version

    def reader(self):
        self.choose_version()
        return self._reader

    def login(self):
        """A token dict, for the login module."""
        version = self.choose_version()
        token = self.auth.login()
        token['api_version'] = version
        return token

    def list_domains(self):
        """Summaries of every domain the credentials can read (domain, description, territory), sorted by name."""
        reader = self.reader()
        records = reader.read_all(DOMAIN, {}, convert=lambda raw: reader.normalise(DOMAIN, raw))
        summaries = [dict((name, record.get(name, '')) for name in DOMAIN_FIELDS) for record in records]
        return sorted((summary for summary in summaries if summary['domain']), key=lambda summary: summary['domain'])

    def resolve_domains(self, domains):
        """A domains option: a list of names, or 'all' (or ['all']) for every readable domain."""
        if domains in ('all', ['all']):
            return [summary['domain'] for summary in self.list_domains()]
        return [check_domain(domain) for domain in _unique(domains)]

    def read(self, kind, scope, keys=None, include_sensitive=False):
        """Records of a whole scope (keys None) or of the named keys in it, with the cheapest reads."""
        reader = self.reader()
        if keys is None:
            return Batch(reader.read_all(kind, scope, convert=lambda raw: reader.normalise(kind, raw, include_sensitive)), [])
        wanted = _unique([check_key(kind, key) for key in keys])
        found = {}
        # A whole read costs a count plus a page at least: never cheaper than reading two objects one by one.
        if len(wanted) > 2:
            total = reader.count(kind, scope)
            if -(-total // reader.page_size) < len(wanted):
                found = dict((reader.key_of(kind, raw), raw) for raw in reader.read_all(kind, scope, total=total))
            else:
                found = self._read_each(reader, kind, scope, wanted)
        elif wanted:
            found = self._read_each(reader, kind, scope, wanted)
        records = [reader.normalise(kind, found[key], include_sensitive) for key in wanted if key in found]
        return Batch(records, [key for key in wanted if key not in found])

    def read_subscribers(self, domain, users=None, include_sensitive=False):
        """Subscriber records of a domain: every one (users None) or the named users."""
        return self.read(SUBSCRIBER, {'domain': check_domain(domain)}, users, include_sensitive)

    def map(self, function, items):
        """[function(item) for item in items] with up to max_concurrency requests in flight, results in item order."""
        self.choose_version()
        return ordered_map(function, items, self.settings.max_concurrency)

    def read_domains(self, kind, domains, users=None, include_sensitive=False, known_users=None):
        """One Batch per domain, in order: every object of the kind in the domain, or only those of the named users
        (the subscribers themselves for kind SUBSCRIBER). Domains, and the users of per-user objects, are read at once.
        known_users (domain -> every user name of it, already read) spares per-user reads the list of the users."""
        domains = [check_domain(domain) for domain in domains]
        if not kind.per_user:
            return self.map(lambda domain: self.read(kind, {'domain': domain}, users, include_sensitive), domains)
        reader = self.reader()
        if users is None and 'user' not in kind.list_scope(self.api_version):
            batches = self.map(lambda domain: self.read(kind, {'domain': domain}, None, include_sensitive), domains)
            return [Batch(self._in_order(kind, batch.records), []) for batch in batches]
        if known_users is not None and users is None:
            owners = [Batch(list(known_users[domain]), []) for domain in domains]
        else:
            owners = self.map(lambda domain: self._users_of(domain, users), domains)
        pairs = [(domain, user) for domain, batch in zip(domains, owners) for user in batch.records]
        # Each list is made records as soon as it arrives: the raw answers of thousands of users are never all kept.
        lists = self.map(lambda pair: reader.read_all(kind, {'domain': pair[0], 'user': pair[1]},
                                                      convert=lambda raw: reader.normalise(kind, raw, include_sensitive)), pairs)
        records = dict((domain, []) for domain in domains)
        for (domain, _user), found in zip(pairs, lists):
            records[domain].extend(found)
        return [Batch(self._in_order(kind, records[domain]), batch.missing) for domain, batch in zip(domains, owners)]

    def _users_of(self, domain, users):
        """Batch of the user names of a domain that exist (all of them when users is None) and of those that do not."""
        reader = self.reader()
        if users is None:
            return Batch(reader.read_all(SUBSCRIBER, {'domain': domain}, convert=lambda raw: reader.key_of(SUBSCRIBER, raw)), [])
        batch = self.read(SUBSCRIBER, {'domain': domain}, users)
        return Batch([record['user'] for record in batch.records], batch.missing)

    @staticmethod
    def _in_order(kind, records):
        """Objects of a domain sorted by their owner and key, so that a domain-wide read (v1) and reads per user (v2)
        give the same list."""
        return sorted(records, key=lambda record: tuple(natural_key(record.get(name, '')) for name in kind.order_by))

    @staticmethod
    def _read_each(reader, kind, scope, keys):
        found = {}
        for key in keys:
            raw = reader.read_one(kind, scope, key)
            if raw is not None:
                found[key] = raw
        return found
