#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: domain_info
short_description: List the NetSapiens domains the credentials can read
version_added: 1.0.0
description:
  - Returns the domains visible to the credentials (API v1 C(object=domain), API v2 C(/domains)), so a reseller can audit
    all of its domains without listing them by hand.
  - A Super User sees every domain, a Reseller the domains of its territory, an Office Manager its own domain.
author:
  - netsapiens.pbx contributors (@netsapiens-pbx)
extends_documentation_fragment:
  - netsapiens.pbx.connection
  - netsapiens.pbx.attributes
options: {}
"""

EXAMPLES = r"""
- name: Every domain of the reseller
  netsapiens.pbx.domain_info:
    api_url: https://pbx.example.com
    api_key: "{{ netsapiens_api_key }}"
  register: visible

- name: Read the subscribers of all of them
  netsapiens.pbx.subscriber_info:
    api_url: https://pbx.example.com
    api_key: "{{ netsapiens_api_key }}"
    domain: "{{ visible.domains | map(attribute='domain') }}"
  register: everyone
"""

RETURN = r"""
domains:
  description: The readable domains, sorted by name, with the fields every API version has.
  returned: success
  type: list
  elements: dict
  contains:
    domain:
      description: Domain name.
      type: str
      returned: success
      sample: acme.12345.service
    description:
      description: Free-text description, usually the customer's name.
      type: str
      returned: success
      sample: Acme Corporation
    territory:
      description: The reseller (territory) the domain belongs to.
      type: str
      returned: success
      sample: reseller.demo
api_version:
  description: The API version that answered.
  returned: success
  type: str
  sample: v2
"""

from ansible_collections.netsapiens.pbx.plugins.module_utils._module import module_main


def main():
    module_main('domain_info')


if __name__ == '__main__':
    main()
