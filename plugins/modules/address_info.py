#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: address_info
short_description: Read NetSapiens E911 (emergency) addresses and the users that use them
version_added: 1.0.0
description:
  - Reads the E911 addresses of one or more domains from a NetSapiens PBX (v1 C(object=address), v2
    C(/domains/{domain}/addresses)), every address of each domain, domain-level ones and users' own.
  - Each record also says whether the address was validated (C(validated)) and which subscribers use it
    (C(assigned_users)), derived the same way on API v1 and v2, so records of one address are identical on both.
  - Records use the API v1 field names with string values on every server version.
  - Each domain is read in pages as large as the server allows and checked against the server's count, then, for
    C(assigned_users), the subscribers of every domain that has addresses are read the same way.
author:
  - netsapiens.pbx contributors (@netsapiens-pbx)
extends_documentation_fragment:
  - netsapiens.pbx.connection
  - netsapiens.pbx.attributes
  - netsapiens.pbx.info
notes:
  - The sensitive (personal) field is C(public_ip), the public IP address a phone used when the address was set;
    personal data rather than a secret, left out unless O(include_sensitive) is true.
  - Filter for example on V(validated), V(city) or V(carrier).
  - C(assigned_users) lists the subscribers whose own C(address_id) names the address. A device's own C(address_id)
    and a domain's or site's default address are not counted, so an address used only
    that way has an empty C(assigned_users).
  - The v2 field C(count-users-configured) is not returned (v1 has no such field); C(assigned_users | length) replaces
    it.
    v2's C(address-formatted-pretty) and C(address-is-default-for-site) are left out for the same reason.
  - Guessed from public sources and unconfirmed on a real server, so read defensively - that a v1 C(object=address) read
    sends
    the field names of v2's create answer (C(address_name), C(callid_nmbr), C(address_line_1), C(city), C(state_code),
    C(zip), C(country_code), C(location), C(carrier), C(public_ip), C(address-formatted-pidflo)); that v2
    C(/domains/{domain}/addresses) lists users' own addresses too and not only domain-level ones; that a present PIDF-LO
    (C(address-formatted-pidflo)) means the carrier validated the address; and the v2 spellings C(caller-name) or
    C(caller-id-number), and C(carrier) or C(address-provisioned-carrier-name).
  - C(callid_nmbr) holds the caller name registered with the address (v2 C(caller-name)), not a number.
"""

EXAMPLES = r"""
- name: Every E911 address of a domain
  netsapiens.pbx.address_info:
    api_url: https://pbx.example.com
    api_key: "{{ netsapiens_api_key }}"
    domain: acme.12345.service
  register: result

- name: Addresses the carrier has not validated (no PIDF-LO), in two domains (credentials from NETSAPIENS_* variables)
  netsapiens.pbx.address_info:
    domain:
      - acme.12345.service
      - globex.23456.service
    filters:
      validated: "no"
  register: unvalidated

- name: Stale addresses that no subscriber uses
  netsapiens.pbx.address_info:
    domain: acme.12345.service
    filters:
      assigned_users: ""
  register: stale

- name: Subscribers whose address_id names no address of the domain (dangling)
  netsapiens.pbx.subscriber_info:
    domain: acme.12345.service
  register: users

- name: Report them
  ansible.builtin.debug:
    msg: "{{ users.subscribers | rejectattr('address_id', 'in', result.addresses | map(attribute='address_id') | list)
             | selectattr('address_id') | map(attribute='user') | list }}"

- name: Every address outside the United States
  netsapiens.pbx.address_info:
    domain: all
  register: everywhere

- name: Show them
  ansible.builtin.debug:
    msg: "{{ everywhere.addresses | rejectattr('country_code', 'equalto', 'US') | map(attribute='address_name') | list }}"
"""

RETURN = r"""
addresses:
  description:
    - The matching E911 address records, domain by domain in the order given, each domain in the server's order.
    - Each record is a flat dictionary with v1 field names and string values (V(null) becomes an empty string), plus
      C(validated) (V(yes) when the server holds a PIDF-LO for the address) and C(assigned_users) (the users, in the
      server's order, whose subscriber C(address_id) is this address; V([]) when none).
    - C(user) is the extension a personal address belongs to, or V(*) for an address of the whole domain.
    - C(public_ip) is present only with O(include_sensitive=true).
  returned: success
  type: list
  elements: dict
  sample:
    - address_id: a-652487faeb24e_4
      domain: acme.12345.service
      user: "1001"
      address_name: Dana Lopez desk
      callid_nmbr: Acme Corp
      address_line_1: 9645 Scranton Rd
      address_line_2: Suite 210
      city: San Diego
      state_code: CA
      zip: 92121-1761
      country_code: US
      location: 2nd floor, east wing
      carrier: bandwidth
      validated: "yes"
      assigned_users: ["1001"]
api_version:
  description: The API version that served the E911 addresses.
  returned: success
  type: str
  sample: v2
"""

from ansible_collections.netsapiens.pbx.plugins.module_utils._module import module_main


def main():
    module_main('address_info')


if __name__ == '__main__':
    main()
