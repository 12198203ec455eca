# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller-side adapter: plugin options -> core client, core errors -> AnsibleError."""

from __future__ import annotations

import contextlib

from ansible.errors import AnsibleError
from ansible.utils.display import Display

from ansible_collections.netsapiens.pbx.plugins.module_utils._client import NetSapiensClient
from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError, NetSapiensError
from ansible_collections.netsapiens.pbx.plugins.module_utils._http import HAS_REQUESTS
from ansible_collections.netsapiens.pbx.plugins.module_utils._options import CONNECTION_OPTIONS, ConnectionSettings

display = Display()


def connection_options(plugin):
    """The connection options as the plugin's config system resolved them (direct, vars, env, default)."""
    return {name: plugin.get_option(name) for name in CONNECTION_OPTIONS}


def client_from_options(options):
    """A client on the controller from a dict of connection options. Raises core errors.

    Retries and version probes show at -vvv; nothing secret is ever displayed.
    """
    if not HAS_REQUESTS:
        raise NetSapiensConfigError("The netsapiens.pbx plugins need the Python library 'requests' on the controller: "
                                    "pip install requests")
    settings = ConnectionSettings.from_options(options)
    return NetSapiensClient(settings, log=display.vvv, warn=display.warning)


def build_client(plugin, error_class=AnsibleError):
    """A client for one plugin call, from the plugin's resolved options; core errors become error_class."""
    with translated_errors(error_class):
        return client_from_options(connection_options(plugin))


def without_omitted(options, variables=None):
    """Keyword options minus those set to omit, so `access_token=token | default(omit)` means 'not given'."""
    placeholder = (variables or {}).get('omit')
    return {name: value for name, value in options.items()
            if type(value).__name__ != '_OmitType' and not (isinstance(placeholder, str) and value == placeholder)}


@contextlib.contextmanager
def translated_errors(error_class=AnsibleError):
    """A core error becomes error_class with the same message and no traceback."""
    try:
        yield
    except NetSapiensError as exc:
        raise error_class(str(exc)) from None
