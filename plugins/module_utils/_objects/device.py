# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Devices (SIP registrations of phones and apps): v1 object=device, read for a whole domain or one user;
v2 /domains/{domain}/users/{user}/devices, read per user (44.x has no domain-wide device list)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects._type import ObjectType

# The fields of a device record: v1 names (ns-api apidoc ReadDevice, DeviceLegacy) that API v2 also has.
V1_FIELDS = (
    'aor', 'aor_user', 'subscriber_name', 'subscriber_domain', 'mode', 'user_agent', 'contact', 'received_from',
    'registration_time', 'registration_expires_time', 'expires', 'server', 'hostname', 'authentication_key',
    'auth_user', 'auth_pass', 'mac', 'model', 'transport', 'overrides', 'line', 'callid_emgr', 'address_id',
    'sub_fullname', 'sub_login', 'accept_agent',
)

# v2 device field -> v1 field (reference netsapiens-objects.md section 1.2). The v2 registration state
# (registered/unregistered) is the v1 `mode`: the one vocabulary both serve for a device's state.
V2_TO_V1 = {
    'device': 'aor_user',
    'user': 'subscriber_name',
    'domain': 'subscriber_domain',
    'device-sip-registration-uri': 'aor',
    'device-sip-registration-state': 'mode',
    'device-sip-registration-user-agent': 'user_agent',
    'device-sip-registration-contact': 'contact',
    'device-sip-registration-ip-address': 'received_from',
    'device-sip-registration-datetime': 'registration_time',
    'device-sip-registration-expires-datetime': 'registration_expires_time',
    'device-sip-registration-expiry-seconds': 'expires',
    'device-provisioning-registration-core-server': 'server',
    'device-sip-registration-core-server': 'hostname',
    'core-server': 'hostname',  # what 44.1 servers send instead (a public client reads it), guessed to be the same
    'device-sip-registration-password': 'authentication_key',
    'device-provisioning-username': 'auth_user',
    'device-provisioning-password': 'auth_pass',
    'device-provisioning-mac-address': 'mac',
    'device-models-model': 'model',
    'device-provisioning-sip-transport-protocol': 'transport',
    'device-provisioning-overrides': 'overrides',
    'device-provisioning-line': 'line',
    'caller-id-number-emergency': 'callid_emgr',
    'emergency-address-id': 'address_id',
    'name-full-name': 'sub_fullname',
    'login-username': 'sub_login',
    'device-sip-allowed-user-agent': 'accept_agent',
}

# Fields only one API version has, left out so that a record reads the same whichever version served it.
V1_ONLY_FIELDS = (
    'sub_scope', 'srv_code', 'srvcode', 'address_pretty_print', 'address_ip', 'address_id_source', 'is_endpoint_callid',
    # v2 splits the processing rule into recording toggles; the NDP error is free text on v1, a yes/no flag on v2
    'call_processing_rule', 'ndperror',
    # other spellings of the owner, which subscriber_name and subscriber_domain carry on both versions
    'owner', 'owner_domain', 'domain',
)
V2_ONLY_FIELDS = (
    'error_reading_from_endpoint_module', 'device_level_call_recording_enabled', 'recording_configuration',
    'device_sip_latency_seconds_current', 'device_sip_latency_seconds_average', 'device_push_enabled',
    'device_force_notify_new_voicemails_enabled', 'device_sip_registration_ignore_for_presence_calculation',
    'device_sip_registration_ignore_report_enabled', 'device_sip_no_to_tag_in_cancel', 'auto_answer_enabled',
    'device_sip_auto_answer_enabled', 'device_srtp_enabled', 'device_sip_nat_traversal_enabled', 'device_sip_nat_traversal',
)

# Secret without a secret-looking name: the provisioning user name (half of the credential that downloads the phone's
# configuration) and the configuration overrides (provisioning lines, which can set the phone's admin password).
# authentication_key (the SIP password) and auth_pass are caught by the secret-name rule.
SENSITIVE_FIELDS = ('auth_user', 'overrides')

DEVICE = ObjectType(
    name='device', plural='devices', key='aor', v2_key='device', scope=('domain', 'user'),
    example_key='sip:1001a@acme.12345.service', v1_object='device', v2_collection='domains/{domain}/users/{user}/devices',
    fields=V1_FIELDS, v2_names=V2_TO_V1, dropped=V1_ONLY_FIELDS + V2_ONLY_FIELDS, sensitive=SENSITIVE_FIELDS,
    list_scope={'v1': ('domain',)}, owner='subscriber_name',
)
