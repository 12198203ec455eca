# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: records
short_description: Read any NetSapiens record (devices, answer rules, phone numbers, ...) from templates and loops
version_added: 1.0.0
description:
  - Returns the records of one kind of object (O(object)) of a NetSapiens PBX, for use in templates, C(loop) and C(assert),
    the same records as the matching C(*_info) module, with the same term grammar as the
    P(netsapiens.pbx.subscriber#lookup) lookup.
  - Each term is V(user@domain) (that user's objects, for objects that belong to users) or V(domain) (every object of the
    kind in the domain). Returns one flat list of records in term order.
  - One call authenticates at most once and reads each domain once; domains are read at once (up to O(max_concurrency)
    requests in flight).
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
    description: V(user@domain) or V(domain) terms. V(user@domain) only for objects that belong to users.
    required: true
    type: list
    elements: str
  object:
    description:
      - The kind of record to read, as the C(*_info) module of the same name returns it (V(device) as
        M(netsapiens.pbx.device_info), V(subscriber) as M(netsapiens.pbx.subscriber_info), ...).
    type: str
    required: true
    choices: [subscriber, device, answerrule, phonenumber, address, dialpolicy]
notes:
  - Use C(query()) (or C(lookup(..., wantlist=true))) to always get a list.
  - The P(netsapiens.pbx.subscriber#lookup) lookup is this one with O(object=subscriber).
"""

EXAMPLES = r"""
- name: Every device of one user, credentials from NETSAPIENS_* environment variables
  ansible.builtin.debug:
    msg: "{{ item.aor }}: {{ item.model }} over {{ item.transport }}"
  loop: "{{ query('netsapiens.pbx.records', '1001@acme.12345.service', object='device') }}"
  loop_control:
    label: "{{ item.aor }}"

- name: No enabled forward-always rule in the domain sends calls to an international number
  ansible.builtin.assert:
    that: not (item.for_parameters | regex_search('(^| )(011|[+][02-9])'))
    fail_msg: "{{ item.user }}@{{ item.domain }} forwards to {{ item.for_parameters }}"
    quiet: true
  loop: "{{ query('netsapiens.pbx.records', 'acme.12345.service', object='answerrule', filters={'for_control': 'e'}) }}"
  loop_control:
    label: "{{ item.user }} {{ item.time_frame }}"

- name: The phone numbers of two domains
  ansible.builtin.set_fact:
    numbers: "{{ query('netsapiens.pbx.records', 'acme.12345.service', 'globex.23456.service', object='phonenumber') }}"
"""

RETURN = r"""
_raw:
  description:
    - Records of the kind named by O(object), one flat list in term order; each a dictionary with v1 field names and
      string values, as the C(*_info) module of that kind returns them.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleLookupError

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects import OBJECTS
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._lookup import RecordLookup


class LookupModule(RecordLookup):

    name = 'records'

    def kind(self):
        name = self.get_option('object')
        if name not in OBJECTS or name == 'domain':
            raise AnsibleLookupError("netsapiens.pbx.records: object '%s' is not one this collection reads." % name)
        return OBJECTS[name]
