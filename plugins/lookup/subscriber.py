# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: subscriber
short_description: Read NetSapiens subscriber records from templates and loops
version_added: 1.0.0
description:
  - Returns subscriber records of a NetSapiens PBX, for use in templates, C(loop) and C(assert).
  - Each term is either V(user@domain) (that subscriber) or V(domain) (every subscriber of the domain).
  - Returns one flat list of records in term order. Records use the API v1 field names with string values on every
    server version.
  - One call authenticates at most once, reads each domain at most once, and reads a whole domain instead of one
    request per user when that is cheaper.
  - Lookups run on the controller, so C(module_defaults) does not reach them; give the options as keyword arguments,
    as C(netsapiens_*) variables, or as C(NETSAPIENS_*) environment variables of the controller.
author:
  - netsapiens.pbx contributors (@netsapiens-pbx)
extends_documentation_fragment:
  - netsapiens.pbx.connection
  - netsapiens.pbx.connection.plugins
  - netsapiens.pbx.info.lookup
options:
  _terms:
    description: V(user@domain) or V(domain) terms.
    required: true
    type: list
    elements: str
notes:
  - Use C(query()) (or C(lookup(..., wantlist=true))) to always get a list.
  - Lookups are templated lazily; assign the result to a variable with C(set_fact) once when several tasks use it,
    instead of repeating the lookup in each task.
  - Pass the token of M(netsapiens.pbx.login) as O(access_token) to make no token request at all. A task that stores a token
    or sensitive records with C(set_fact) shows them unless it sets C(no_log) to true.
"""

EXAMPLES = r"""
- name: One subscriber, credentials from NETSAPIENS_* environment variables
  ansible.builtin.debug:
    msg: "{{ query('netsapiens.pbx.subscriber', '1001@acme.12345.service') | first }}"

- name: Every subscriber of two domains, with the token from netsapiens.pbx.login
  ansible.builtin.set_fact:
    everyone: >-
      {{ query('netsapiens.pbx.subscriber', 'acme.12345.service', 'globex.23456.service',
               api_url=netsapiens_url, access_token=netsapiens_login.token) }}

- name: Assert every Office Manager has voicemail on
  ansible.builtin.assert:
    that: item.vmail_enabled == 'yes'
    quiet: true
  loop: "{{ query('netsapiens.pbx.subscriber', 'acme.12345.service', filters={'scope': 'Office Manager'}) }}"
  loop_control:
    label: "{{ item.user }}@{{ item.domain }}"

- name: Skip users that do not exist, with a warning
  ansible.builtin.debug:
    msg: "{{ query('netsapiens.pbx.subscriber', '1001@acme.12345.service', '9999@acme.12345.service', on_missing='warn') }}"
"""

RETURN = r"""
_raw:
  description:
    - Subscriber records, one flat list in term order. Each record is a dictionary with v1 field names and string values,
      for example C(user), C(domain), C(first_name), C(last_name), C(scope), C(vmail_enabled), C(no_answer_timeout).
  type: list
  elements: dict
"""

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects.subscriber import SUBSCRIBER
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._lookup import RecordLookup


class LookupModule(RecordLookup):

    name = 'subscriber'

    def kind(self):
        return SUBSCRIBER
