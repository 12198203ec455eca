#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: phonenumber_info
short_description: Read the phone numbers (DIDs) routed to NetSapiens domains
version_added: 1.0.0
description:
  - Reads every phone number (DID) routed to one or more domains of a NetSapiens PBX, with where each number sends its
    calls (the application and the destination user or host).
  - On API v1 a phone number is a dial rule of the system dial plan C(DID Table) whose C(dest_domain) is the domain
    (C(object=phonenumber) with C(dialplan=DID Table) and C(dest_domain)); on API v2 it is an item of
    C(/domains/{domain}/phonenumbers).
  - Records use the API v1 field names with string values on every server version, so assertions read the same
    everywhere. Fields only one version has are left out.
  - Each domain is read in pages as large as the server allows and checked against the server's count; the read fails
    rather than return an incomplete list.
author:
  - netsapiens.pbx contributors (@netsapiens-pbx)
extends_documentation_fragment:
  - netsapiens.pbx.connection
  - netsapiens.pbx.attributes
  - netsapiens.pbx.info
notes:
  - Phone numbers have no known secret field. Filter for example on V(to_user), V(responder) or V(enable).
  - "Field mapping (reference: NetSapiens' v2 OpenAPI spec and its application-mapping page). C(matchrule) is the v1
    dial rule that matches the number, V(sip:18585551234@*); on v2 it is made from C(phonenumber) the same way.
    C(responder) is the v1 application; on v2 C(dial-rule-application) is turned into it (V(to-user) becomes
    V(sip:start@to-user), V(to-user-notify-of-recording) becomes V(ToUserRecordingNotice), ...), and an application the
    table does not know is kept as the server sent it."
  - "Guessed, to confirm on a real server: that v2 C(domain) is v1 C(dest_domain), that C(phonenumber) is C(matchrule)
    without C(sip:) and C(@*) for every number (numbers with wildcards may differ), and that v1 reads honour C(start)
    and C(limit) (if they do not, a domain with more numbers than one page fails with an error saying so)."
  - The v1 dial-rule fields the v2 number does not have (C(match_from), C(dow), C(tod_from), C(tod_to), C(valid_from),
    C(valid_to), C(to_scheme), C(from_scheme), C(from_user), C(from_host), C(dialplan)) and v1 C(domain) (the owner of
    the dial plan, not of the number) are left out.
"""

EXAMPLES = r"""
- name: Every number of a domain
  netsapiens.pbx.phonenumber_info:
    api_url: https://pbx.example.com
    api_key: "{{ netsapiens_api_key }}"
    domain: acme.12345.service
  register: numbers

- name: The main number reaches the auto attendant
  ansible.builtin.assert:
    that:
      - numbers.phonenumbers | selectattr('matchrule', 'equalto', 'sip:18585550100@*') | map(attribute='to_user') | list == ['8001']

- name: Numbers that are routed nowhere (available) or switched off, in two domains
  netsapiens.pbx.phonenumber_info:
    domain:
      - acme.12345.service
      - globex.23456.service
  register: all_numbers

- name: List them
  ansible.builtin.debug:
    msg: "{{ all_numbers.phonenumbers | selectattr('responder', 'equalto', 'AvailableDID') | map(attribute='matchrule') | list
             + all_numbers.phonenumbers | selectattr('enable', 'equalto', 'no') | map(attribute='matchrule') | list }}"

- name: Numbers whose callers hear that the call is recorded
  netsapiens.pbx.phonenumber_info:
    domain: all
    filters:
      responder: ToUserRecordingNotice
  register: recorded

- name: Every user has a direct number (credentials from NETSAPIENS_* environment variables)
  netsapiens.pbx.phonenumber_info:
    domain: acme.12345.service
    filters:
      to_user: ["1001", "1002", "1003"]
  register: direct
"""

RETURN = r"""
phonenumbers:
  description:
    - The matching phone numbers, domain by domain in the order given, each domain's in the server's order (by number).
    - Each record is a flat dictionary with v1 field names and string values.
  returned: success
  type: list
  elements: dict
  contains:
    matchrule:
      description: The number as the v1 dial rule that matches it, V(sip:) + digits + V(@*). The record's key.
      type: str
    dest_domain:
      description: The domain the number is routed to.
      type: str
    enable:
      description: V(yes) when the number takes calls, V(no) when it is switched off.
      type: str
    responder:
      description: The application that answers, as v1 names it, for example V(sip:start@to-user) (a user),
        V(sip:start@call-queuing) (a call queue), V(sip:start@to-vmail) (voicemail), V(ToUserRecordingNotice) (a user,
        after a recording notice) or V(AvailableDID) (not in use).
      type: str
    to_user:
      description: The destination user (extension, queue, ...) or number; V([*]) when the number is not assigned.
      type: str
    to_host:
      description: The destination domain or connection; V([*]) keeps the one the call has.
      type: str
    parameter:
      description: The application's parameter (a header, a connection parameter), often empty.
      type: str
    from_name:
      description: The caller ID name rewrite; V([*]) keeps the caller's.
      type: str
    plan_description:
      description: The number's description.
      type: str
  sample:
    - matchrule: "sip:18585551002@*"
      dest_domain: acme.12345.service
      enable: "yes"
      responder: "sip:start@to-user"
      to_user: "1002"
      to_host: acme.12345.service
      parameter: ""
      from_name: "[*]"
      plan_description: "Direct line of Alex Smith"
api_version:
  description: The API version that served the phone numbers.
  returned: success
  type: str
  sample: v2
"""

from ansible_collections.netsapiens.pbx.plugins.module_utils._module import module_main


def main():
    module_main('phonenumber_info')


if __name__ == '__main__':
    main()
