# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options shared by every module and plugin, and their validation.

The option table below feeds the modules' argument specs; plugins read the same names through
their documented options. The core only ever sees a plain dict.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re
import ssl

from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError

try:
    from urllib.parse import urlsplit, urlunsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, this keeps the import sanity test quiet
    from urlparse import urlsplit, urlunsplit  # type: ignore

API_VERSIONS = ('auto', 'v1', 'v2')

# The one table of connection options: each option's argument spec. Its environment variable is NETSAPIENS_<NAME>
# and its variable for controller plugins netsapiens_<name> (env_name, var_name); whole-number options have a range.
# The doc fragment (plugins/doc_fragments/connection.py) and the role's argument specs document this table; a unit test
# (tests/unit/plugins/test_option_table.py) proves they agree.
CONNECTION_OPTIONS = {
    'api_url': dict(type='str', required=True),
    'api_key': dict(type='str', no_log=True),
    # A token string or the login token dict. Its secret parts are masked by hand: declaring the
    # whole dict no_log would mask every leaf ('3600', 'v1', ...) wherever it appears in output.
    'access_token': dict(type='raw', no_log=False),
    'client_id': dict(type='str'),
    'client_secret': dict(type='str', no_log=True),
    'username': dict(type='str'),
    'password': dict(type='str', no_log=True),
    'api_version': dict(type='str', default='auto', choices=list(API_VERSIONS)),
    'validate_certs': dict(type='bool', default=True),
    'ca_path': dict(type='path'),
    'timeout': dict(type='int', default=30),
    'retries': dict(type='int', default=3),
    'max_concurrency': dict(type='int', default=8),
}
RANGES = {'timeout': (1, 3600), 'retries': (0, 10), 'max_concurrency': (1, 64)}


def env_name(option):
    return 'NETSAPIENS_' + option.upper()


def var_name(option):
    return 'netsapiens_' + option


def default_of(option):
    return CONNECTION_OPTIONS[option].get('default')


_API_SUFFIX = re.compile(r'/ns-api(/v2)?/*$')
LOOPBACK_HOSTS = ('127.0.0.1', 'localhost', '::1')


def shown_url(text):
    """A URL as a message may show it: without user-info, query string or fragment (any of them may hold a secret)."""
    scheme, separator, rest = text.partition('://')
    if not separator:
        scheme, rest = '', text
    rest = rest.rpartition('@')[2]  # the last '@': a password may itself hold '/', '?' or '#'
    rest = re.split('[?#]', rest, 1)[0]
    return '%s%s%s' % (scheme, separator, rest)


def _split_url(text):
    """urlsplit, and the port checked, with errors that name the problem without echoing the URL."""
    # Any '@': a password holding '/', '?' or '#' moves the user-info out of what urlsplit calls the host part.
    if '@' in text.partition('://')[2]:
        raise NetSapiensConfigError("Option 'api_url' must not carry credentials (a user name or password before '@'); use the "
                                    "authentication options instead. The value is not shown.")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise NetSapiensConfigError("Option 'api_url' is not a valid URL (brackets of an IPv6 address do not match): '%s'."
                                    % shown_url(text))
    try:
        parts.port  # pylint: disable=pointless-statement  # raises ValueError for a port that is not a number or out of range
    except ValueError:
        raise NetSapiensConfigError("Option 'api_url' has an invalid port (a number from 1 to 65535 is expected after the host "
                                    "name): '%s'." % shown_url(text))
    return parts


def normalise_api_url(value):
    """'https://pbx.example.com/ns-api/v2/' -> 'https://pbx.example.com'. Raises on anything unusable.

    Messages never show the user-info, query string or fragment of what was given: they are where secrets end up.
    """
    if not isinstance(value, str) or not value.strip():
        raise NetSapiensConfigError("Option 'api_url' is required: the address of the NetSapiens server, "
                                    "for example https://pbx.example.com (or set NETSAPIENS_API_URL).")
    text = value.strip()
    if '://' not in text.split('?', 1)[0]:
        raise NetSapiensConfigError("Option 'api_url' must start with https:// or http://, got '%s'." % shown_url(text))
    parts = _split_url(text)
    if parts.scheme not in ('http', 'https'):
        raise NetSapiensConfigError("Option 'api_url' must use https:// or http://, not '%s://'." % parts.scheme)
    if not parts.hostname:
        raise NetSapiensConfigError("Option 'api_url' has no host name: '%s'." % shown_url(text))
    if parts.query or parts.fragment:
        raise NetSapiensConfigError("Option 'api_url' must not have a query string or fragment ('%s?...'): pass credentials "
                                    "through the authentication options. The query string is not shown." % shown_url(text))
    path = _API_SUFFIX.sub('', parts.path).rstrip('/')
    if path:
        raise NetSapiensConfigError("Option 'api_url' should be the server address without a path, like https://pbx.example.com "
                                    "(a trailing /ns-api or /ns-api/v2 is accepted), got path '%s'." % parts.path)
    return urlunsplit((parts.scheme, parts.netloc, '', '', ''))


def check_ca_path(path):
    """ca_path as requests needs it, checked before any request: a readable file of PEM certificates.

    Without this, a missing file raises inside requests (a traceback) and a non-PEM file looks like a TLS handshake failure.
    """
    if os.path.isdir(path):
        raise NetSapiensConfigError("Option 'ca_path' is a directory ('%s'): give the file of PEM certificates (CA bundle) that "
                                    "signs the server certificate." % path)
    if not os.path.isfile(path):
        raise NetSapiensConfigError("Option 'ca_path' names a file that does not exist: '%s'." % path)
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=path)
    except ssl.SSLError:
        raise NetSapiensConfigError("Option 'ca_path' ('%s') holds no PEM certificate: give a file with one or more "
                                    "'-----BEGIN CERTIFICATE-----' blocks (convert a DER file with openssl x509 -inform der)." % path)
    except (OSError, ValueError) as exc:
        raise NetSapiensConfigError("Option 'ca_path' ('%s') cannot be read: %s." % (path, getattr(exc, 'strerror', None) or type(exc).__name__))
    return path


def _int_option(options, name):
    """A whole-number option within its range; its default when not given."""
    value = options.get(name)
    if value is None:
        return default_of(name)
    minimum, maximum = RANGES[name]
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NetSapiensConfigError("Option '%s' must be a whole number, got '%s'." % (name, value))
    if number < minimum or number > maximum:
        raise NetSapiensConfigError("Option '%s' must be between %d and %d, got %d." % (name, minimum, maximum, number))
    return number


def _type_name(value):
    """'int', 'list', ... also for Ansible's tagged subclasses (_AnsibleTaggedInt, ...)."""
    for kind in (bool, int, float, list, dict, str):
        if isinstance(value, kind):
            return kind.__name__
    return type(value).__name__


def _header_value(name, value):
    """A value sent in the Authorization header: printable ASCII without spaces, or an error that does not show it."""
    if value is not None and any(ord(ch) < 33 or ord(ch) > 126 for ch in value):
        raise NetSapiensConfigError("Option '%s' contains spaces, line breaks or non-ASCII characters, which an HTTP header cannot "
                                    "carry (a trailing newline from a file or vault?). The value is not shown." % name)
    return value


def _text_option(options, name):
    value = options.get(name)
    if value is None or value == '':
        return None
    if not isinstance(value, str):
        raise NetSapiensConfigError("Option '%s' must be a string." % name)
    # Plain str: Ansible may hand over tagged str subclasses, which do not belong in HTTP headers.
    return str(value)


def _ca_path_option(options, validate_certs):
    path = _text_option(options, 'ca_path')
    # Without certificate checks ca_path is not used: a stale NETSAPIENS_CA_PATH must not stop such a run.
    return check_ca_path(path) if path and validate_certs else path


class ConnectionSettings(object):
    """Validated connection options. Build it with from_options()."""

    def __init__(self, **values):
        """One attribute per connection option; options not given have their default (or None)."""
        for name in CONNECTION_OPTIONS:
            setattr(self, name, values.get(name, default_of(name)))

    @property
    def has_password_grant(self):
        return bool(self.client_id and self.client_secret and self.username and self.password)

    @property
    def is_plain_http(self):
        return self.api_url.startswith('http://')

    @property
    def is_loopback(self):
        return urlsplit(self.api_url).hostname in LOOPBACK_HOSTS

    def secret_values(self):
        """Every secret string in the settings, for masking."""
        values = [self.api_key, self.client_secret, self.password]
        token = self.access_token
        if isinstance(token, dict):
            values.extend([token.get('access_token'), token.get('refresh_token')])
        else:
            values.append(token)
        return [value for value in values if isinstance(value, str) and value]

    @classmethod
    def from_options(cls, options):
        """Validate a dict of option values (module params or plugin options)."""
        api_version = options.get('api_version') or default_of('api_version')
        if api_version not in API_VERSIONS:
            raise NetSapiensConfigError("Option 'api_version' must be one of %s, got '%s'." % (', '.join(API_VERSIONS), api_version))
        access_token = options.get('access_token')
        if access_token in ('', None):
            access_token = None
        elif isinstance(access_token, dict):
            if not isinstance(access_token.get('access_token'), str) or not access_token.get('access_token'):
                raise NetSapiensConfigError("Option 'access_token' is a dictionary without an 'access_token' string; pass the "
                                            "'token' value returned by netsapiens.pbx.login, or a token string.")
            access_token = dict((str(key), str(value) if isinstance(value, str) else value) for key, value in access_token.items())
        elif isinstance(access_token, str):
            access_token = str(access_token)
        else:
            raise NetSapiensConfigError("Option 'access_token' must be a token string or the token dictionary returned by "
                                        "netsapiens.pbx.login, got %s." % _type_name(access_token))
        if access_token is not None:
            _header_value('access_token', access_token if isinstance(access_token, str) else access_token['access_token'])
        validate_certs = options.get('validate_certs')
        if validate_certs is None:
            validate_certs = default_of('validate_certs')
        if not isinstance(validate_certs, bool):
            raise NetSapiensConfigError("Option 'validate_certs' must be true or false.")
        settings = cls(
            api_url=normalise_api_url(options.get('api_url')),
            api_key=_header_value('api_key', _text_option(options, 'api_key')),
            access_token=access_token,
            client_id=_text_option(options, 'client_id'),
            client_secret=_text_option(options, 'client_secret'),
            username=_text_option(options, 'username'),
            password=_text_option(options, 'password'),
            api_version=api_version,
            validate_certs=validate_certs,
            ca_path=_ca_path_option(options, validate_certs),
            timeout=_int_option(options, 'timeout'),
            retries=_int_option(options, 'retries'),
            max_concurrency=_int_option(options, 'max_concurrency'),
        )
        settings.check_auth()
        return settings

    def check_auth(self):
        """Make sure some way to authenticate is given, and name what is missing when it is not."""
        if self.api_key or self.access_token:
            return
        given = [name for name in ('client_id', 'client_secret', 'username', 'password') if getattr(self, name)]
        if len(given) == 4:
            return
        if not given:
            raise NetSapiensConfigError("No credentials given: set 'api_key', or 'access_token', or all of 'client_id', "
                                        "'client_secret', 'username' and 'password' (or their NETSAPIENS_* environment variables).")
        missing = [name for name in ('client_id', 'client_secret', 'username', 'password') if not getattr(self, name)]
        wanted = ', '.join("'%s'" % name for name in missing)
        raise NetSapiensConfigError("The password grant needs %s as well (given: %s)." % (wanted, ', '.join(given)))
