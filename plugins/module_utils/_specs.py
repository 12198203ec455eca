# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module's argument spec, in one place: the connection options plus each module's own.

The module files (documentation and this spec) and their action plugins (which do the work on the controller) both read it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import env_fallback

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects import OBJECTS
from ansible_collections.netsapiens.pbx.plugins.module_utils._options import CONNECTION_OPTIONS, env_name


def connection_argument_spec():
    """The connection options as an argument spec, each with its NETSAPIENS_* environment fallback."""
    spec = {}
    for name, option in CONNECTION_OPTIONS.items():
        entry = dict(option)
        entry['fallback'] = (env_fallback, [env_name(name)])
        spec[name] = entry
    return spec


def info_options(kind):
    """The options of a *_info module that reads records of this kind per domain; `user` where records belong to users
    (subscribers are users themselves)."""
    options = {
        'domain': dict(type='list', elements='str', required=True, aliases=['domains']),
        'filters': dict(type='dict'),
        'include_sensitive': dict(type='bool', default=False),
    }
    if kind.per_user or kind.key == 'user':
        options['user'] = dict(type='list', elements='str')
    return options


SEVERITY_CHOICES = ['never', 'info', 'low', 'medium', 'high', 'critical']
REPORT_FORMATS = ['json', 'junit', 'html', 'csv']
REPORT_CHOICES = REPORT_FORMATS + ['snapshot']

AUDIT_OPTIONS = dict(
    domain=dict(type='list', elements='str', required=True, aliases=['domains']),
    policy=dict(type='dict'),
    policy_file=dict(type='path'),
    policies=dict(type='list', elements='raw'),
    report_dir=dict(type='path'),
    report_formats=dict(type='list', elements='str', choices=REPORT_CHOICES, default=REPORT_FORMATS),
    fail_on=dict(type='str', choices=SEVERITY_CHOICES, default='never'),
    audit_date=dict(type='str'),
    max_violations=dict(type='int', default=100),
    baseline=dict(type='path'),
    baseline_snapshot=dict(type='path'),
    fail_on_new_only=dict(type='bool', default=False),
)
AUDIT_MUTUALLY_EXCLUSIVE = [('policy', 'policy_file', 'policies')]
AUDIT_REQUIRED_ONE_OF = [('policy', 'policy_file', 'policies')]

# module name -> (its own options, mutually_exclusive, required_one_of)
MODULE_SPECS = {
    'audit': (AUDIT_OPTIONS, AUDIT_MUTUALLY_EXCLUSIVE, AUDIT_REQUIRED_ONE_OF),
    'domain_info': ({}, [], []),
    'login': ({}, [], []),
}
# Every object but the domain list has its <name>_info module, with the options info_options gives it.
MODULE_SPECS.update(('%s_info' % name, (info_options(kind), [], [])) for name, kind in OBJECTS.items() if name != 'domain')
