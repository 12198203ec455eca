# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: subscribers
short_description: NetSapiens subscribers as inventory hosts
version_added: 1.0.0
description:
  - Makes every subscriber (phone user) of the chosen NetSapiens domains an inventory host, named V(user@domain) by default,
    so that playbooks can report on or audit subscribers with the usual host patterns, groups and C(hostvars).
  - Reads a YAML configuration file whose name ends in C(.netsapiens.yml) or C(.netsapiens.yaml) and whose O(plugin) is
    V(netsapiens.pbx.subscribers).
  - Each host gets the whole record in C(netsapiens_subscriber) (API v1 field names, string values, on every server version)
    and the handy variables C(netsapiens_user), C(netsapiens_domain), C(netsapiens_scope), C(netsapiens_site) and
    C(netsapiens_group).
  - Subscribers are not machines. By default every host gets C(ansible_connection=local) and
    C(ansible_python_interpreter={{ ansible_playbook_python }}), so tasks aimed at them run on the controller. Turn this off
    with O(local_connection=false).
  - Every subscriber joins a group named after its domain (see O(domain_group_prefix)); O(compose), O(groups) and
    O(keyed_groups) add more, for example by C(scope), C(site) or C(group).
  - One inventory load authenticates once and reads each domain whole, page by page (a count and then pages of up to 1000
    records); O(domains=all) adds one listing of the domains.
  - The connection options, O(domains) and O(filters) written in the configuration file may be Jinja2 templates, for example
    an O(api_key) read with the C(ansible.builtin.env) lookup (see the examples). Values that come from the E(NETSAPIENS_*)
    environment variables, from extra variables or from the defaults are used as they are and never templated, so a password
    may contain C({{), C({%) or C({#). The values of the connection options are never displayed, at any verbosity.
author:
  - netsapiens.pbx contributors (@netsapiens-pbx)
extends_documentation_fragment:
  - netsapiens.pbx.connection
  - netsapiens.pbx.connection.plugins
  - constructed
  - inventory_cache
options:
  plugin:
    description: Marks the file as a configuration of this plugin.
    type: str
    required: true
    choices: [netsapiens.pbx.subscribers]
  domain:
    description:
      - A list of the domains whose subscribers become hosts, for example V([acme.example.com, globex.example.com]).
      - V(all) means every domain the credentials can read (a count and a page of the domain list).
      - A string (for example rendered from a template) may name several domains separated by commas.
      - The same option as O(netsapiens.pbx.subscriber_info#module:domain); O(domains) is accepted as an alias.
    type: raw
    required: true
    aliases: [domains]
  filters:
    description:
      - Keep only subscribers whose fields equal the given values (field name -> value or list of accepted values), for
        example the key C(scope) with the list V(Basic User), V(Office Manager).
      - An unknown field name is an error.
    type: dict
  include_system_users:
    description:
      - Also make hosts of system users (those whose C(srv_code) starts with C(system-), such as queues, auto attendants and
        voicemail services).
    type: bool
    default: false
  include_sensitive:
    description:
      - Also return C(subscriber_pin) in C(netsapiens_subscriber). C(pwd_hash) is never returned.
      - With O(cache=true) the PINs are written to the inventory cache as well.
    type: bool
    default: false
  attach:
    description:
      - Also read these objects of every subscriber and attach them to its host, as C(netsapiens_devices) (the records of
        M(netsapiens.pbx.device_info)) and C(netsapiens_answerrules) (of M(netsapiens.pbx.answerrule_info)), each a list
        (empty for a user without any), so that O(keyed_groups) and O(compose) can group by phone model or by "has an
        external forward".
      - Each object costs its own reads (per domain on v1 for devices, per user otherwise, at most O(max_concurrency) at
        once).
    type: list
    elements: str
    choices: [devices, answerrules]
    default: []
  record_fields:
    description:
      - The fields of each record that its host keeps in C(netsapiens_subscriber), for example V([user, domain, scope, site,
        email]). Fields the server does not send are left out.
      - By default every field is kept, as before this option. Ansible keeps every variable of every host in memory and
        C(ansible-inventory --list) writes them all, so an inventory of thousands of subscribers loads faster and takes far
        less memory when it keeps only the fields its playbooks use (see the example for large inventories).
      - O(filters), O(hostname), O(compose), O(groups) and O(keyed_groups) still see every field of the record; the handy
        variables C(netsapiens_user), C(netsapiens_domain), C(netsapiens_scope), C(netsapiens_site) and C(netsapiens_group)
        are set whatever the selection.
      - An unknown field name is an error.
    type: list
    elements: str
  hostname:
    description:
      - A Jinja2 expression (no C({{ }})) that makes the host name of a subscriber from its record's fields, which are
        available by name (C(user), C(domain), C(first_name), C(email), ...).
      - For example V(user ~ '.' ~ domain) or V(email).
      - When not set, hosts are named V(user@domain).
      - Every subscriber must get a non-empty and unique name; otherwise the load fails.
    type: str
  local_connection:
    description:
      - Give every host C(ansible_connection=local) and C(ansible_python_interpreter={{ ansible_playbook_python }}), because
        subscribers are not machines Ansible could connect to.
      - Set to V(false) to leave both unset, for example to set them yourself with O(compose).
    type: bool
    default: true
  domain_groups:
    description: Put every subscriber in a group for its domain.
    type: bool
    default: true
  domain_group_prefix:
    description:
      - Prefix of the domain groups' names. The domain V(acme.example.com) gives the group C(netsapiens_acme_example_com) with
        the default prefix (characters that are not allowed in group names become C(_)).
    type: str
    default: netsapiens_
notes:
  - In O(compose), O(groups) and O(keyed_groups) expressions the record's fields are available by name (C(scope), C(site),
    C(group), ...) as well as the host variables (C(netsapiens_subscriber), C(netsapiens_scope), ...).
  - Values that come from the server are never treated as templates.
  - The inventory cache (O(cache=true)) stores the records; a load served from the cache makes no request to the server. The
    cache entry belongs to the configuration file and to a salted digest of O(api_url), the credentials (O(api_key),
    O(access_token), O(client_id), O(client_secret), O(username), O(password)), O(domains) and O(include_sensitive). A load
    with other credentials or another server never reuses it, and the cache file's name shows nothing but the digest. Use
    C(--flush-cache) to read the server again before O(cache_timeout) runs out.
  - The cache holds no credentials and no token, and C(subscriber_pin) only with O(include_sensitive=true). Files of
    file-based cache plugins (such as C(ansible.builtin.jsonfile)) are made readable by their owner only (mode C(0600)), and
    a cache directory created by the load is C(0700).
"""

EXAMPLES = r"""
# acme.netsapiens.yml: every subscriber of one domain, credentials from the NETSAPIENS_* environment variables
plugin: netsapiens.pbx.subscribers
domains:
  - acme.example.com

---
# reseller.netsapiens.yml: every domain of a reseller, API key from the environment, groups by scope and site,
# cached for an hour
plugin: netsapiens.pbx.subscribers
api_url: https://pbx.example.com
api_key: "{{ lookup('ansible.builtin.env', 'PBX_API_KEY') }}"
domains: all
filters:
  account_status: standard
keyed_groups:
  - key: scope
    prefix: scope
  - key: site
    prefix: site
    default_value: no_site
  - key: group
    prefix: group
    default_value: no_group
compose:
  full_name: first_name ~ ' ' ~ last_name
groups:
  voicemail_off: vmail_enabled == 'no'
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/netsapiens-inventory
cache_timeout: 3600

---
# large.netsapiens.yml: a large inventory (tens of thousands of subscribers) that keeps 10 fields per host; groups are
# made from every field all the same, and the records are cached for an hour
plugin: netsapiens.pbx.subscribers
domains: all
record_fields: [user, domain, first_name, last_name, email, scope, site, group, vmail_enabled, dial_policy]
keyed_groups:
  - key: account_status
    prefix: status
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/netsapiens-inventory
cache_timeout: 3600

---
# by-email.netsapiens.yml: hosts named by e-mail address, no local connection settings
plugin: netsapiens.pbx.subscribers
domains: [acme.example.com, globex.example.com]
hostname: email
local_connection: false
"""

import contextlib
import difflib
import hashlib
import json
import os
import time

from ansible import constants as C
from ansible.errors import AnsibleError, AnsibleParserError, AnsibleRequiredOptionError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.template import trust_as_template

from ansible_collections.netsapiens.pbx.plugins.module_utils._options import CONNECTION_OPTIONS, env_name, normalise_api_url
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects import OBJECTS
from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.subscriber import SUBSCRIBER
from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import is_system_user
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import compile_filters, matches
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._plugin import build_client, translated_errors

CONFIG_SUFFIXES = ('.netsapiens.yml', '.netsapiens.yaml')
# Handy top-level host variables: variable -> record field.
HANDY_VARIABLES = (
    ('netsapiens_user', 'user'),
    ('netsapiens_domain', 'domain'),
    ('netsapiens_scope', 'scope'),
    ('netsapiens_site', 'site'),
    ('netsapiens_group', 'group'),
)
RECORD_VARIABLE = 'netsapiens_subscriber'
# attach option value -> the object it reads; each becomes the host variable netsapiens_<value>.
ATTACHABLE = {'devices': 'device', 'answerrules': 'answerrule'}
CACHE_FORMAT = 2
# Options that decide what the server returns, and to whom: a cache entry is only valid for the same values.
CACHE_KEY_OPTIONS = ('api_url', 'api_key', 'access_token', 'client_id', 'client_secret', 'username', 'password', 'domain',
                     'include_sensitive', 'attach')
CACHE_KEY_ITERATIONS = 100000
CACHE_FILE_MODE = 0o600
# Where an option's value came from when the configuration file set it (the config system's origin).
CONFIG_FILE_ORIGIN = 'Direct'
TEMPLATED_OPTIONS = tuple(CONNECTION_OPTIONS) + ('domain', 'filters')
# Options whose templating errors are not shown: Jinja's message may quote part of the value.
SECRET_OPTIONS = ('api_key', 'access_token', 'client_secret', 'password')


def is_config_file_name(path):
    """True for the file names this plugin reads: *.netsapiens.yml or *.netsapiens.yaml."""
    return isinstance(path, str) and path.endswith(CONFIG_SUFFIXES)


def default_hostname(record):
    return '%s@%s' % (record.get('user', ''), record.get('domain', ''))


def domains_option(value):
    """The domains option as a list for client.resolve_domains. Accepts a list, 'all', or comma-separated names (a template
    may render a list as one string)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise AnsibleParserError("netsapiens.pbx.subscribers: option 'domain' must be a list of domain names or 'all', got %s."
                                 % type(value).__name__)
    domains = []
    for item in value:
        parts = [part.strip() for part in item.split(',')] if isinstance(item, str) else [item]
        domains.extend(part for part in parts if part not in ('', None))
    if not domains:
        raise AnsibleParserError("netsapiens.pbx.subscribers: option 'domain' is empty; give domain names or 'all'.")
    return domains


def select_records(records, compiled_filters, include_system_users):
    """The records that become hosts."""
    return [record for record in records
            if (include_system_users or not is_system_user(record)) and matches(record, compiled_filters)]


def record_fields_option(value):
    """The record_fields option checked against the subscriber fields: None (every field) or a list of field names."""
    if value is None:
        return None
    unknown = [name for name in value if name not in SUBSCRIBER.fields]
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(SUBSCRIBER.fields), n=3)
        hint = (' Did you mean %s?' % ', '.join("'%s'" % name for name in close)) if close else ''
        raise AnsibleParserError("netsapiens.pbx.subscribers: option 'record_fields' names an unknown subscriber field '%s'.%s"
                                 % (unknown[0], hint))
    return list(value)


def kept_fields(record, fields):
    """The record as its host keeps it: whole (fields None) or only the named fields it has, in the order named."""
    if fields is None:
        return record
    return dict((name, record[name]) for name in fields if name in record)


def host_variables(record, local_connection=True, fields=None):
    """The variables of one subscriber host."""
    variables = {RECORD_VARIABLE: kept_fields(record, fields)}
    for name, field in HANDY_VARIABLES:
        variables[name] = record.get(field, '')
    if local_connection:
        variables['ansible_connection'] = 'local'
        # Our own template, so trusted; the record's values stay untrusted and are never templated.
        variables['ansible_python_interpreter'] = trust_as_template('{{ ansible_playbook_python }}')
    return variables


def unknown_options_message(unknown, known, path):
    """What to say about options of the configuration file that this plugin does not have."""
    hints = []
    for name in unknown:
        close = difflib.get_close_matches(name, sorted(known), n=1)
        hints.append("'%s'%s" % (name, " (did you mean '%s'?)" % close[0] if close else ''))
    return ('netsapiens.pbx.subscribers: %s has unknown option%s %s. See ansible-doc -t inventory netsapiens.pbx.subscribers '
            'for the options.' % (path, 's' if len(unknown) > 1 else '', ', '.join(hints)))


def domain_group_name(domain, prefix, sanitize):
    return sanitize('%s%s' % (prefix or '', domain))


def template_error_message(name, exc):
    """What to say when an option written in the configuration file does not render."""
    if name in SECRET_OPTIONS:
        detail = ("the error is not shown because it may quote the value. A value that contains '{{', '{%%' or '{#' can be "
                  "written with !unsafe or set in the %s environment variable, which is never templated." % env_name(name))
    else:
        detail = exc.message
    return "netsapiens.pbx.subscribers: could not template option '%s': %s" % (name, detail)


def cache_key_digest(values, salt):
    """A digest of the options that decide what the server returns to whom (a dict). The credentials are among them and
    the digest is part of the cache file's name, so it is salted and slow (PBKDF2) to make guessing a password from it
    impractical."""
    text = json.dumps(values, sort_keys=True, separators=(',', ':'), default=str)
    digest = hashlib.pbkdf2_hmac('sha256', text.encode('utf-8'), salt.encode('utf-8'), CACHE_KEY_ITERATIONS)
    return digest.hex()[:32]


def cache_files(connection, key):
    """The files a file-based cache plugin (jsonfile, yaml, pickle...) keeps `key` in. Ansible adds its own prefixes to the
    name, so they are found by the end of the name (the key ends in a digest)."""
    if not connection:
        return []
    directory = os.path.expanduser(os.path.expandvars(connection))
    try:
        names = os.listdir(directory)
    except OSError:
        return []  # not a file-based cache plugin
    return [os.path.join(directory, name) for name in names if name.endswith(key)]


def make_private(paths):
    """Make cache files readable by their owner only; the jsonfile cache plugin leaves them readable by everyone."""
    for path in paths:
        if os.path.isfile(path):
            os.chmod(path, CACHE_FILE_MODE)


@contextlib.contextmanager
def owner_only_umask():
    """Files and directories created meanwhile (a new cache directory) are for their owner only."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def valid_cache_entry(entry):
    return (isinstance(entry, dict) and entry.get('format') == CACHE_FORMAT and isinstance(entry.get('domains'), list)
            and isinstance(entry.get('records'), list) and isinstance(entry.get('attached'), dict))


def attached_variables(attached, record):
    """netsapiens_<attach> -> the attached records of this subscriber (an empty list when it has none)."""
    owner = default_hostname(record)
    return dict(('netsapiens_%s' % name, by_owner.get(owner, [])) for name, by_owner in attached.items())


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'netsapiens.pbx.subscribers'
    # The key of the cache entry this load wrote, whose file update_cache_if_changed makes private.
    _written_cache_key = None

    def verify_file(self, path):
        """Only *.netsapiens.yml and *.netsapiens.yaml files that exist and are readable."""
        if not is_config_file_name(path):
            self.display.vvv('netsapiens.pbx.subscribers skips %s: the file name does not end in %s' % (path, ' or '.join(CONFIG_SUFFIXES)))
            return False
        return super(InventoryModule, self).verify_file(path)

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._written_cache_key = None  # the plugin object may load several sources
        try:
            with owner_only_umask():  # the cache plugin, loaded here, creates its directory
                config = self._read_config_data(path)
        except AnsibleRequiredOptionError as exc:
            if "'api_url'" in str(exc):
                # The core's message says where the address goes and names NETSAPIENS_API_URL.
                with translated_errors(AnsibleParserError):
                    normalise_api_url(None)
            raise AnsibleParserError('netsapiens.pbx.subscribers: %s' % exc.message) from None
        self._check_unknown_options(config, path)
        self._template_options()

        with translated_errors(AnsibleParserError):
            compiled_filters = compile_filters(self.get_option('filters'), SUBSCRIBER)
        record_fields_option(self.get_option('record_fields'))
        started = time.time()
        data, source = self._load(path, cache)
        read = time.time()
        records = select_records(data['records'], compiled_filters, self.get_option('include_system_users'))
        self._populate(data['domains'], records, data['attached'])
        self.display.vv('netsapiens.pbx.subscribers: %d hosts from %d domains; records read from the %s in %.2f s, hosts added in %.2f s'
                        % (len(records), len(data['domains']), source, read - started, time.time() - read))

    def _check_unknown_options(self, config, path):
        definitions = C.config.get_configuration_definitions('inventory', self._load_name)
        aliases = set(alias for option in definitions.values() for alias in option.get('aliases') or ())
        unknown = sorted(str(name) for name in config if name not in self._options and name not in aliases)
        if unknown:
            raise AnsibleParserError(unknown_options_message(unknown, self._options, path))

    def _template_options(self):
        """Render options written as Jinja2 templates in the configuration file. Values are never displayed.

        Values from anywhere else (environment variables, extra variables, defaults) are used as they are: a password from
        NETSAPIENS_PASSWORD may contain '{{', and a lookup in an environment variable must never run.
        """
        self.templar.available_variables = self._vars or {}
        for name in TEMPLATED_OPTIONS:
            value, origin = self.get_option_and_origin(name)
            if origin != CONFIG_FILE_ORIGIN or not isinstance(value, (str, list, dict)):
                continue
            try:
                rendered = self.templar.template(value)
            except AnsibleError as exc:
                raise AnsibleParserError(template_error_message(name, exc)) from None
            self.set_option(name, rendered)

    def _cache_key(self, path):
        prefix = self.get_cache_key(path)
        return '%s_%s' % (prefix, cache_key_digest({name: self.get_option(name) for name in CACHE_KEY_OPTIONS}, prefix))

    def update_cache_if_changed(self):
        """Write the cache as Ansible does (it calls this after parse), then make the file just written private."""
        super(InventoryModule, self).update_cache_if_changed()
        if not self._written_cache_key:
            return
        try:
            make_private(cache_files(self.get_option('cache_connection'), self._written_cache_key))
        except OSError as exc:
            self.display.warning('netsapiens.pbx.subscribers: could not make the inventory cache file readable by its owner only: %s'
                                 % exc.strerror)

    def _load(self, path, cache):
        """({'domains': [...], 'records': [...]}, where they came from): from the inventory cache or from the server."""
        use_cache = self.get_option('cache')
        key = self._cache_key(path) if use_cache else None
        update_cache = use_cache and not cache
        if use_cache and cache:
            try:
                entry = self._cache[key]
            except KeyError:
                entry = None
            if valid_cache_entry(entry):
                return entry, 'inventory cache'
            update_cache = True
        entry = self._read_server()
        if update_cache:
            self._cache[key] = entry
            self._written_cache_key = key
        return entry, 'server'

    def _read_server(self):
        client = build_client(self, AnsibleParserError)
        include_sensitive = self.get_option('include_sensitive')
        with translated_errors(AnsibleParserError):
            domains = client.resolve_domains(domains_option(self.get_option('domain')))
            records = [record for batch in client.read_domains(SUBSCRIBER, domains, None, include_sensitive)
                       for record in batch.records]
            attached = dict((name, self._read_attached(client, OBJECTS[ATTACHABLE[name]], domains, include_sensitive))
                            for name in self.get_option('attach'))
        return {'format': CACHE_FORMAT, 'domains': domains, 'records': records, 'attached': attached}

    @staticmethod
    def _read_attached(client, kind, domains, include_sensitive):
        """'user@domain' -> that user's records of the kind."""
        by_owner = {}
        for domain, batch in zip(domains, client.read_domains(kind, domains, None, include_sensitive)):
            for record in batch.records:
                by_owner.setdefault('%s@%s' % (record.get(kind.owner, ''), domain), []).append(record)
        return by_owner

    def _hostname(self, record):
        expression = self.get_option('hostname')
        if not expression:
            return default_hostname(record)
        try:
            name = self._compose(expression, dict(record))
        except Exception as exc:  # pylint: disable=broad-exception-caught  # Jinja raises many kinds
            raise AnsibleParserError("netsapiens.pbx.subscribers: the hostname expression failed for subscriber %s: %s"
                                     % (default_hostname(record), exc)) from None
        if name is None or isinstance(name, (dict, list)) or not str(name).strip():
            raise AnsibleParserError("netsapiens.pbx.subscribers: the hostname expression gave no usable name for subscriber %s."
                                     % default_hostname(record))
        return str(name)

    def _populate(self, domains, records, attached):
        strict = self.get_option('strict')
        compose = self.get_option('compose')
        groups = self.get_option('groups')
        keyed_groups = self.get_option('keyed_groups')
        local_connection = self.get_option('local_connection')
        fields = record_fields_option(self.get_option('record_fields'))
        domain_groups = {}
        if self.get_option('domain_groups'):
            prefix = self.get_option('domain_group_prefix')
            for domain in domains:
                domain_groups[domain] = self.inventory.add_group(domain_group_name(domain, prefix, self._sanitize_group_name))
        seen = {}
        for record in records:
            host = self._hostname(record)
            if host in seen:
                raise AnsibleParserError("netsapiens.pbx.subscribers: subscribers %s and %s both get the host name '%s'; "
                                         "change the hostname option so that every name is unique."
                                         % (seen[host], default_hostname(record), host))
            seen[host] = default_hostname(record)
            self.inventory.add_host(host, group=domain_groups.get(record.get('domain')))
            variables = host_variables(record, local_connection, fields)
            variables.update(attached_variables(attached, record))
            for name, value in variables.items():
                self.inventory.set_variable(host, name, value)
            if compose or groups or keyed_groups:
                expression_vars = dict(record)
                expression_vars.update(variables)
                expression_vars[RECORD_VARIABLE] = record
                self._set_composite_vars(compose, expression_vars, host, strict=strict)
                self._add_host_to_composed_groups(groups, expression_vars, host, strict=strict)
                self._add_host_to_keyed_groups(keyed_groups, expression_vars, host, strict=strict)
