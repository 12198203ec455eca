# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module adapter: argument spec from the shared option table, core errors -> fail_json."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.netsapiens.pbx.plugins.module_utils._client import NetSapiensClient
from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensError
from ansible_collections.netsapiens.pbx.plugins.module_utils._http import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.netsapiens.pbx.plugins.module_utils._options import CONNECTION_OPTIONS, ConnectionSettings


def connection_argument_spec():
    """The connection options as an argument spec, each with its NETSAPIENS_* environment fallback."""
    spec = {}
    for name, (option, env) in CONNECTION_OPTIONS.items():
        entry = dict(option)
        entry['fallback'] = (env_fallback, [env])
        spec[name] = entry
    return spec


def build_module(argument_spec):
    """An AnsibleModule with the connection options plus the module's own; every module here is read-only."""
    spec = connection_argument_spec()
    spec.update(argument_spec)
    return AnsibleModule(argument_spec=spec, supports_check_mode=True)


def run_module(module, work):
    """Build the client, call work(client) -> result dict, exit; any core error becomes a clean failure."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    failure = None
    result = None
    try:
        settings = ConnectionSettings.from_options(module.params)
        # The token dict is not declared no_log (that would mask all its leaves); mask its secrets here.
        module.no_log_values.update(settings.secret_values())
        client = NetSapiensClient(settings, log=module.debug, warn=module.warn)
        result = work(client)
    except NetSapiensError as exc:
        failure = exc
    if failure is not None:
        module.fail_json(msg=str(failure), **_failure_details(failure))
    result.setdefault('changed', False)
    module.exit_json(**result)


def _failure_details(error):
    return {'status': error.status} if error.status is not None else {}
