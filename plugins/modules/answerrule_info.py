#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: answerrule_info
short_description: Read NetSapiens answer rules (call forwarding, simultaneous ring, do not disturb)
version_added: 1.0.0
description:
  - Reads the answer rules of the users of one or more domains from a NetSapiens PBX, either of named users or of every
    user of each domain. A user has one answer rule per time frame (V(*) is the default rule).
  - Records use the API v1 field names with string values on every server version, so assertions read the same
    everywhere. Each feature of a rule is a pair C(<feature>_control) (V(e) on, V(d) off) and
    C(<feature>_parameters) (its destinations, separated by spaces); API v2's nested
    C({enabled, parameters}) objects are turned into these pairs.
  - Answer rules can only be read user by user, so the users of each domain are listed first and their rules are read
    in parallel, at most O(max_concurrency) requests at once.
author:
  - netsapiens.pbx contributors (@netsapiens-pbx)
extends_documentation_fragment:
  - netsapiens.pbx.connection
  - netsapiens.pbx.attributes
  - netsapiens.pbx.info
  - netsapiens.pbx.info.users
notes:
  - Answer rules have no secret fields of their own.
  - O(user) reads the answer rules of those users; a user without answer rules (a system user, for example) is not
    missing. Filter for example on V(time_frame), V(enable) or V(for_control).
  - The field names follow NetSapiens' v1 answer-rule schema (C(AnswerruleLegacy) in the v45 API specification). Some
    details are inferred rather than confirmed on a real server, and are read defensively.
  - Guessed - which v2 feature object matches which v1 pair. V(sim), V(for), V(fbu), V(fna), V(fnr), V(foa), V(dnd),
    V(scr) are well attested; V(acp) (allowed numbers), V(rej) (rejected numbers), V(fsp) (forward spam calls) and
    V(pna) (forward on do not disturb) less so.
  - Guessed - the v2 name of the priority; both C(order) (the specification) and C(ordinal-priority) (other clients) are
    read as C(priority), and a feature's C(enable) is read like C(enabled). A feature's V(yes)/V(no) becomes V(e)/V(d).
  - Guessed - that a lower C(priority) is evaluated first. C(active) says which rule is in force now; every enabled
    rule can be reached at some time.
  - API v2's C(time_range_data) (the time frame's hours) has no v1 counterpart and is not returned, so that records are
    the same on both versions.
  - A disabled feature may still hold destinations from when it was on; check C(<feature>_control) before its
    C(<feature>_parameters).
"""

EXAMPLES = r"""
- name: Read the answer rules of one user
  netsapiens.pbx.answerrule_info:
    api_url: https://pbx.example.com
    api_key: "{{ netsapiens_api_key }}"
    domain: acme.12345.service
    user: "1001"
  register: result

- name: The default rule rings the user's own devices
  ansible.builtin.assert:
    that:
      - default_rule.sim_control == 'e'
      - "'<OwnDevices>' in default_rule.sim_parameters.split()"
  vars:
    default_rule: "{{ result.answerrules | selectattr('time_frame', 'equalto', '*') | first }}"

- name: Every enabled rule that forwards all calls, in every domain (credentials from NETSAPIENS_* environment variables)
  netsapiens.pbx.answerrule_info:
    domain: all
    filters:
      enable: "yes"
      for_control: e
  register: forwarding

- name: No user forwards all calls to an international number (011..., or + not followed by 1)
  ansible.builtin.assert:
    that: abroad | length == 0
    fail_msg: "Forwarded abroad: {{ abroad | join(', ') }}"
  vars:
    abroad: >-
      {{ forwarding.answerrules | selectattr('for_parameters', 'search', '(^| )(confirm_)?(011|[+][02-9])')
         | map(attribute='user') | list }}

- name: Every answer rule of a domain
  netsapiens.pbx.answerrule_info:
    domain: acme.12345.service
  register: rules

- name: No enabled forward, simultaneous ring or forward-on-condition of an enabled rule reaches an international number
  ansible.builtin.assert:
    that: >-
      item.0[item.1 ~ '_control'] != 'e'
      or item.0[item.1 ~ '_parameters'] is not search('(^| )(confirm_)?(011|[+][02-9])')
    fail_msg: "{{ item.0.user }}@{{ item.0.domain }} ({{ item.0.time_frame }}, {{ item.1 }}): {{ item.0[item.1 ~ '_parameters'] }}"
    quiet: true
  loop: "{{ rules.answerrules | selectattr('enable', 'equalto', 'yes') | product(['sim', 'for', 'fbu', 'fna', 'fnr', 'foa', 'fsp', 'pna']) }}"
  loop_control:
    label: "{{ item.0.user }} {{ item.0.time_frame }} {{ item.1 }}"
"""

RETURN = r"""
answerrules:
  description:
    - The matching answer rules, domain by domain in the order given; within a domain by user (extensions as
      numbers), then C(priority) (as a number), then C(time_frame).
    - Each record is a flat dictionary with v1 field names and string values; a JSON number becomes its digits and a
      JSON boolean (C(active)) becomes V(yes) or V(no).
    - Each feature is a pair C(<feature>_control) (V(e) on, V(d) off, V('') unset) and C(<feature>_parameters) (the
      destinations, separated by spaces, for example V(1001 <OwnDevices>), V(vmail_1001), V(18585550123)).
      V(dnd) (do not disturb) and V(scr) (call screening) have only a control.
    - "Features: V(sim) simultaneous ring, V(for) forward always, V(fbu) forward when busy, V(fna) forward on no answer,
      V(fnr) forward when not registered, V(foa) forward when on an active call, V(fsp) forward spam calls, V(pna) forward
      on do not disturb, V(acp) allowed numbers, V(rej) rejected numbers, V(dnd), V(scr)."
  returned: success
  type: list
  elements: dict
  sample:
    - domain: acme.12345.service
      user: "1001"
      time_frame: "*"
      priority: "1"
      enable: "yes"
      active: "yes"
      sim_control: e
      sim_parameters: 1001 <OwnDevices>
      for_control: d
      for_parameters: ""
      fbu_control: d
      fbu_parameters: ""
      fna_control: e
      fna_parameters: vmail_1001
      fnr_control: d
      fnr_parameters: ""
      foa_control: d
      foa_parameters: ""
      fsp_control: d
      fsp_parameters: ""
      pna_control: d
      pna_parameters: ""
      acp_control: d
      acp_parameters: ""
      rej_control: e
      rej_parameters: anonymous unknown
      dnd_control: d
      scr_control: d
missing:
  description: The requested users that do not exist, as V(user@domain); a user without answer rules is not missing.
  returned: success
  type: list
  elements: str
  sample: ["1999@acme.12345.service"]
api_version:
  description: The API version that served the answer rules.
  returned: success
  type: str
  sample: v2
"""

from ansible_collections.netsapiens.pbx.plugins.module_utils._module import module_main


def main():
    module_main('answerrule_info')


if __name__ == '__main__':
    main()
