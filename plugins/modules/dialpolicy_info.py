#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: dialpolicy_info
short_description: Read NetSapiens dial policies and their permissions
version_added: 1.0.0
description:
  - Reads the dial policies (dialing permissions) one or more domains of a NetSapiens PBX can use, the domain's own and
    the shared system policies, with every permission row of each policy.
  - Returns one flat record per permission row, which says what a user of that policy may dial (C(dial_match),
    C(mode) V(permit) or V(deny)), so that playbooks can check, for example, that every policy permits 911 and that
    no policy but the international one permits V(011).
  - Records use the API v1 field names with string values on every server version, so assertions read the same
    everywhere. A record is told apart by C(domain), C(dialpolicy) and C(order).
author:
  - netsapiens.pbx contributors (@netsapiens-pbx)
extends_documentation_fragment:
  - netsapiens.pbx.connection
  - netsapiens.pbx.attributes
  - netsapiens.pbx.info
notes:
  - Dial policies have no known secret field. Filter for example on V(dialpolicy), V(dial_match) or V(mode).
  - "Reads: on API v1 C(object=dialpolicy) with C(domain) lists the policies, then C(object=permission) with C(domain)
    and C(dialpolicy) reads each policy's rows (C(domain=*) for a shared policy). On API v2 C(/domains/{domain}/dialpolicy)
    and C(/dialpolicy) (every policy the credentials can see, of which the domain's and the shared ones are kept)
    list the policies, and C(/domains/{domain}/dialpolicy/{policy}/permission) or C(/dialpolicy/{policy}/permission)
    the rows. Each list is read in one request; a list as long as the largest page (1000) fails rather than be
    returned incomplete. A shared policy's permissions are read once for all domains."
  - "Shared system policies have C(domain) V(*). Those whose permissions the credentials may not read (HTTP 403, for
    example an Office Manager) are left out, which -vvv reports; any other failure fails the task."
  - "A policy without any permission row still gives one record, whose C(order), C(dial_match), C(mode) and C(reason)
    are empty."
  - "API v2 serves dial policies from server version 45, where NetSapiens marks them as still being developed; on older
    servers use O(api_version=v1). Guessed, to confirm on a real server: that v1 lists the shared policies with the
    domain's, that v1 reads a shared policy's rows with C(domain=*), the v2 route C(/domains/{domain}/dialpolicy) (not
    in the spec; the same policies are also taken from C(/dialpolicy)), and the v2 to v1 names C(description) =
    C(policy_description), C(permission-match) = C(dial_match), C(permission-mode) = C(mode), C(permission-reason) =
    C(reason). A v2 row without C(permission-match) gets it from C(permission-id), its base64."
  - "C(order) is the row's place in the policy as the server lists it; how the PBX evaluates the rows (first match,
    longest match, chained policies) is not documented, and the syntax of C(dial_match) is the server's own."
  - The fields only one version has (v1 C(dialpolicy_id), v2 C(created-datetime) and C(permission-id)) are left out.
"""

EXAMPLES = r"""
- name: Dial policies of a domain
  netsapiens.pbx.dialpolicy_info:
    api_url: https://pbx.example.com
    api_key: "{{ netsapiens_api_key }}"
    domain: acme.12345.service
  register: policies

- name: Every policy permits emergency calls
  ansible.builtin.assert:
    that:
      - policies.dialpolicies | map(attribute='dialpolicy') | unique | difference(emergency | map(attribute='dialpolicy')) == []
  vars:
    emergency: "{{ policies.dialpolicies | selectattr('dial_match', 'equalto', '911') | selectattr('mode', 'equalto', 'permit') }}"

- name: The policies that permit international calls (011), in every domain (credentials from NETSAPIENS_* variables)
  netsapiens.pbx.dialpolicy_info:
    domain: all
    filters:
      dial_match: "011*"
      mode: permit
  register: international

- name: Only the international policy permits them
  ansible.builtin.assert:
    that:
      - international.dialpolicies | map(attribute='dialpolicy') | unique == ['Permit All (International)']

- name: One user
  netsapiens.pbx.subscriber_info:
    domain: acme.12345.service
    user: "1016"
  register: user

- name: The rows of that user's policy, in order
  netsapiens.pbx.dialpolicy_info:
    domain: acme.12345.service
    filters:
      dialpolicy: "{{ user.subscribers[0].dial_policy }}"
  register: user_policy
"""

RETURN = r"""
dialpolicies:
  description:
    - One record per permission row, domain by domain in the order given; within a domain the domain's own policies
      first, then the shared ones, each by name, and each policy's rows in the server's order.
    - Each record is a flat dictionary with v1 field names and string values.
  returned: success
  type: list
  elements: dict
  contains:
    domain:
      description: The domain the policy belongs to, or V(*) for a shared system policy.
      type: str
    dialpolicy:
      description: The policy's name, as subscribers name it in C(dial_policy).
      type: str
    policy_description:
      description: The policy's description.
      type: str
    order:
      description: The row's place in the policy, from V(1); empty for a policy without rows.
      type: str
    dial_match:
      description: The numbers the row is about, in the server's pattern syntax, for example V(911) or V(011*).
      type: str
    mode:
      description: V(permit) or V(deny).
      type: str
    reason:
      description: The row's description.
      type: str
  sample:
    - domain: "*"
      dialpolicy: US and Canada
      policy_description: Calls within the US and Canada
      order: "1"
      dial_match: "911"
      mode: permit
      reason: Emergency
api_version:
  description: The API version that served the dial policies.
  returned: success
  type: str
  sample: v1
"""

from ansible_collections.netsapiens.pbx.plugins.module_utils._module import module_main


def main():
    module_main('dialpolicy_info')


if __name__ == '__main__':
    main()
