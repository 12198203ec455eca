#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: device_info
short_description: Read NetSapiens device (SIP registration) records
version_added: 1.0.0
description:
  - Reads the devices (desk phones, soft phones, mobile apps; one SIP address of record each) of one or more domains
    from a
    NetSapiens PBX, either every device of each domain or the devices of named users.
  - Records use the API v1 field names with string values (V(registered), V(tls), V(3600)) on every server version, so
    assertions read the same everywhere. Records are sorted by owner (C(subscriber_name)), then by C(aor).
  - On API v1 a whole domain is read in pages as large as the server allows (C(object=device)) and checked against the
    server's count. API v2 lists devices only per user on 44.x servers, so there the users of each domain are listed
    first and each user's devices are read with one request (several at once, up to O(max_concurrency)).
author:
  - netsapiens.pbx contributors (@netsapiens-pbx)
extends_documentation_fragment:
  - netsapiens.pbx.connection
  - netsapiens.pbx.attributes
  - netsapiens.pbx.info
  - netsapiens.pbx.info.users
notes:
  - The secret fields are C(authentication_key) (the SIP password), C(auth_user) and C(auth_pass) (the provisioning user
    name and password) and C(overrides) (provisioning configuration lines, which can set the phone's admin password).
  - O(user) reads the devices of those users; a user without devices is not missing. Filter for example on V(transport),
    V(mode) or V(model).
  - Records hold the fields that API v1 and v2 both have. Left out are v1's C(sub_scope), C(srv_code),
    C(address_pretty_print),
    C(address_ip), C(address_id_source), C(is_endpoint_callid), C(call_processing_rule) and C(ndperror), and v2's SRTP, NAT,
    push, latency and recording settings.
  - Unconfirmed on real servers, read defensively. C(mode) is the v2 C(device-sip-registration-state) (V(registered) or
    V(unregistered)); v1 documents C(mode) as free text, and a v1 server's other values are returned as it sends them.
    C(expires), C(hostname), C(server), C(auth_user), C(auth_pass) and C(accept_agent) are matched to their v2 names with
    medium confidence, and a v2 C(core-server) field (44.1 servers) is read as C(hostname).
  - Registration times are returned as the server sends them; v1 sends C(YYYY-MM-DD HH:MM:SS) without a time zone, a v2
    server may send ISO 8601 with an offset. C(callid_emgr) V([*]) means the device does not override the user's emergency
    caller ID; an empty C(address_id) means the device has no E911 address of its own.
  - A v1 domain read returns every device of the domain; a v2 read reaches only the devices of the domain's users.
    Some 44.x servers may leave the provisioning fields (C(mac), C(model), C(transport), C(line)) out of v2 device objects.
"""

EXAMPLES = r"""
- name: Every device of a domain that is registered over TLS
  netsapiens.pbx.device_info:
    api_url: https://pbx.example.com
    api_key: "{{ netsapiens_api_key }}"
    domain: acme.12345.service
    filters:
      mode: registered
      transport: tls
  register: tls_devices

- name: Devices that are registered over UDP or TCP (credentials from NETSAPIENS_* environment variables)
  netsapiens.pbx.device_info:
    domain: acme.12345.service
    filters:
      mode: registered
      transport: [udp, tcp]
  register: plain_sip

- name: No device sends its SIP traffic unencrypted
  ansible.builtin.assert:
    that: plain_sip.devices | length == 0
    fail_msg: "Unencrypted SIP: {{ plain_sip.devices | map(attribute='aor') | join(', ') }}"

- name: The devices of two users, and the phone models in use
  netsapiens.pbx.device_info:
    domain: acme.12345.service
    user: ["1001", "1002"]
  register: desk

- name: Show the model of each (aor -> model)
  ansible.builtin.debug:
    msg: "{{ desk.devices | items2dict(key_name='aor', value_name='model') }}"

- name: Devices that override the emergency caller ID, in every domain of the reseller
  netsapiens.pbx.device_info:
    domain: all
  register: every_device

- name: List them
  ansible.builtin.debug:
    msg: "{{ every_device.devices | rejectattr('callid_emgr', 'in', ['[*]', '']) | map(attribute='aor') }}"
"""

RETURN = r"""
devices:
  description:
    - The matching device records, domain by domain in the order given, and within a domain sorted by owner
      (C(subscriber_name)), then by C(aor).
    - Each record is a flat dictionary with v1 field names and string values; a JSON number becomes its digits and
      V(null) becomes an empty string. C(authentication_key), C(auth_user), C(auth_pass) and C(overrides) are present
      only with O(include_sensitive=true).
  returned: success
  type: list
  elements: dict
  sample:
    - aor: sip:1001a@acme.12345.service
      aor_user: 1001a
      subscriber_name: "1001"
      subscriber_domain: acme.12345.service
      mode: registered
      user_agent: Yealink SIP-T54W 96.86.0.70
      contact: sip:1001a@192.168.20.31:5061;transport=tls
      received_from: 198.51.100.23:33860
      registration_time: "2024-05-02 09:14:37"
      registration_expires_time: "2024-05-02 10:14:37"
      expires: "3600"
      server: core1-sd.example.net
      hostname: core1-sd.example.net
      mac: 805EC04A1B2C
      model: Yealink T54W
      transport: tls
      line: "1"
      callid_emgr: "[*]"
      address_id: ""
      sub_fullname: Dana Lopez
      sub_login: 1001@acme.12345.service
      accept_agent: ""
missing:
  description: The requested users that do not exist, as V(user@domain); a user without devices is not missing.
  returned: success
  type: list
  elements: str
  sample: ["1999@acme.12345.service"]
api_version:
  description: The API version that served the devices.
  returned: success
  type: str
  sample: v1
"""

from ansible_collections.netsapiens.pbx.plugins.module_utils._module import module_main


def main():
    module_main('device_info')


if __name__ == '__main__':
    main()
