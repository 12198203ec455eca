# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options of the audit module, shared by its documentation stub and its action plugin."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

SEVERITY_CHOICES = ['never', 'info', 'low', 'medium', 'high', 'critical']
REPORT_FORMATS = ['json', 'junit', 'html', 'csv']

AUDIT_OPTIONS = dict(
    domains=dict(type='list', elements='str', required=True),
    policy=dict(type='dict'),
    policy_file=dict(type='path'),
    report_dir=dict(type='path'),
    report_formats=dict(type='list', elements='str', choices=REPORT_FORMATS, default=REPORT_FORMATS),
    fail_on=dict(type='str', choices=SEVERITY_CHOICES, default='never'),
    audit_date=dict(type='str'),
    max_violations=dict(type='int', default=100),
)
AUDIT_MUTUALLY_EXCLUSIVE = [('policy', 'policy_file')]
AUDIT_REQUIRED_ONE_OF = [('policy', 'policy_file')]
