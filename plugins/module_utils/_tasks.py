# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What each module does with a client, written once for the module and for its controller-side action plugin."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.subscriber import SUBSCRIBER
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import compile_filters, matches

SUBSCRIBER_INFO_OPTIONS = dict(
    domain=dict(type='list', elements='str', required=True),
    user=dict(type='list', elements='str'),
    filters=dict(type='dict'),
    include_sensitive=dict(type='bool', default=False),
)


def subscriber_info(client, params):
    """Records of the domains (and users) asked for, filtered; missing users named."""
    wanted = compile_filters(params['filters'], SUBSCRIBER)
    subscribers = []
    missing = []
    for domain in params['domain']:
        batch = client.read_subscribers(domain, params['user'], params['include_sensitive'])
        subscribers.extend(record for record in batch.records if matches(record, wanted))
        missing.extend('%s@%s' % (user, domain) for user in batch.missing)
    return {'subscribers': subscribers, 'missing': missing, 'api_version': client.api_version}


def login(client, params):  # pylint: disable=unused-argument
    return {'token': client.login()}


def domain_info(client, params):  # pylint: disable=unused-argument
    return {'domains': client.list_domains(), 'api_version': client.api_version}
