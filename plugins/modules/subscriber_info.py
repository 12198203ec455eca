#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: subscriber_info
short_description: Read NetSapiens subscriber (phone user) records
version_added: 1.0.0
description:
  - Reads subscribers of one or more domains from a NetSapiens PBX, either named users or every subscriber of each
    domain.
  - Records use the API v1 field names with string values (V(yes), V(no), V(25)) on every server version, so
    assertions read the same everywhere.
  - A whole domain is read in pages as large as the server allows and checked against the server's count; naming
    many users of one domain reads the domain once instead of one request per user when that is cheaper.
author:
  - netsapiens.pbx contributors (@netsapiens-pbx)
extends_documentation_fragment:
  - netsapiens.pbx.connection
  - netsapiens.pbx.attributes
  - netsapiens.pbx.info
  - netsapiens.pbx.info.users
notes:
  - The secret fields are C(subscriber_pin), the voicemail PIN (with O(include_sensitive)). C(pwd_hash) is never
    returned.
  - Filter on any subscriber field, for example V(scope) or V(vmail_enabled).
"""

EXAMPLES = r"""
- name: Read one subscriber
  netsapiens.pbx.subscriber_info:
    api_url: https://pbx.example.com
    api_key: "{{ netsapiens_api_key }}"
    domain: acme.12345.service
    user: "1001"
  register: result

- name: The subscriber has voicemail on
  ansible.builtin.assert:
    that:
      - result.subscribers | length == 1
      - result.subscribers[0].vmail_enabled == 'yes'

- name: Every Office Manager of two domains (credentials from NETSAPIENS_* environment variables)
  netsapiens.pbx.subscriber_info:
    domain:
      - acme.12345.service
      - globex.23456.service
    filters:
      scope: Office Manager
  register: managers

- name: Users whose voicemail is off or whose no-answer timeout is not 25 seconds
  netsapiens.pbx.subscriber_info:
    domain: acme.12345.service
    filters:
      vmail_enabled: "no"
  register: no_voicemail
"""

RETURN = r"""
subscribers:
  description:
    - The matching subscriber records, domain by domain in the order given, then in the order of O(user) (or the
      server's order for whole domains).
    - Each record is a flat dictionary with v1 field names and string values; a JSON number becomes its digits and
      V(null) becomes an empty string. C(subscriber_pin) is present only with O(include_sensitive=true).
  returned: success
  type: list
  elements: dict
  sample:
    - user: "1001"
      domain: acme.12345.service
      first_name: Dana
      last_name: Lopez
      scope: Basic User
      group: Sales
      site: San Diego
      vmail_enabled: "yes"
      no_answer_timeout: "25"
      time_zone: US/Pacific
      srv_code: ""
missing:
  description: The requested users that do not exist, as V(user@domain).
  returned: success
  type: list
  elements: str
  sample: ["1999@acme.12345.service"]
api_version:
  description: The API version that served the subscribers.
  returned: success
  type: str
  sample: v1
"""

from ansible_collections.netsapiens.pbx.plugins.module_utils._module import module_main


def main():
    module_main('subscriber_info')


if __name__ == '__main__':
    main()
