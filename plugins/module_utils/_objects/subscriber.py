# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Subscribers (phone users): v1 object=subscriber, v2 /domains/{domain}/users."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects._type import ObjectType

# v1 subscriber fields as the v1 API returns them (ns-api apidoc ReadSubscriber plus UserLegacy).
V1_FIELDS = (
    'domain', 'user', 'first_name', 'last_name', 'subscriber_login', 'subscriber_pin', 'group', 'site',
    'dir', 'email', 'presence', 'message', 'accept', 'reject', 'screen', 'vmail_provisioned', 'vmail_enabled',
    'vmail_greeting', 'vmail_notify', 'vmail_notify_enabled', 'vmail_annc_time', 'vmail_annc_cid',
    'vmail_sort_lifo', 'vmail_transcribe', 'vmail_fwd_to', 'data_limit', 'call_limit', 'dial_plan', 'dial_policy',
    'area_code', 'callid_name', 'callid_nmbr', 'callid_emgr', 'no_answer_timeout', 'time_zone', 'dir_anc',
    'dir_list', 'date_created', 'last_update', 'scope', 'rej_anony', 'directory_order', 'srv_code',
    'ntfy_missed_call', 'ntfy_data_limit', 'language', 'gauSession', 'account_status', 'rcv_broadcast',
    'privacy', 'address_id', 'hide_call_recordings', 'rmoh', 'moh_interval',
)

# Fields that only one API version has (reference section 3.5): leaving them out keeps a record the
# same whichever version served it, so assertions and reports read the same on every server.
VERSION_SPECIFIC_FIELDS = frozenset(('gauSession', 'sso_ids', 'mfa', 'recording_configuration', 'active_calls_total_current'))

# v2 user field -> v1 field (reference netsapiens-api.md section 3.5), with known spelling variants.
V2_TO_V1 = {
    'domain': 'domain',
    'user': 'user',
    'name-first-name': 'first_name',
    'name-last-name': 'last_name',
    'login-username': 'subscriber_login',
    'email-address': 'email',
    'email': 'email',
    'user-scope': 'scope',
    'department': 'group',
    'site': 'site',
    'time-zone': 'time_zone',
    'voicemail-login-pin': 'subscriber_pin',
    'privacy': 'privacy',
    'dial-plan': 'dial_plan',
    'dial-policy': 'dial_policy',
    'status-message': 'message',
    'user-presence-status': 'presence',
    'directory-name-number-dtmf-mapping': 'dir',
    'voicemail-user-control-enabled': 'vmail_provisioned',
    'phone-numbers-to-allow-enabled': 'accept',
    'phone-numbers-to-reject-enabled': 'reject',
    'call-screening-enabled': 'screen',
    'ring-no-answer-timeout-seconds': 'no_answer_timeout',
    'language-token': 'language',
    'limits-max-data-storage-kilobytes': 'data_limit',
    'limits-max-active-calls-total': 'call_limit',
    'directory-annouce-in-dial-by-name-enabled': 'dir_anc',
    'directory-announce-in-dial-by-name-enabled': 'dir_anc',
    'directory-override-order-duplicate-dtmf-mapping': 'directory_order',
    'voicemail-greeting-index': 'vmail_greeting',
    'voicemail-enabled': 'vmail_enabled',
    'voicemail-receive-broadcast-enabled': 'rcv_broadcast',
    'reject-anonymous-calls-enabled': 'rej_anony',
    'voicemail-playback-announce-datetime-received': 'vmail_annc_time',
    'voicemail-playback-announce-date-time-received': 'vmail_annc_time',
    'voicemail-playback-announce-caller-id': 'vmail_annc_cid',
    'voicemail-playback-sort-newest-to-oldest': 'vmail_sort_lifo',
    'email-send-alert-new-voicemail-cc-list-csv': 'vmail_fwd_to',
    'email-send-alert-new-voicemail-behavior': 'vmail_notify',
    'email-send-alert-new-voicemail-enabled': 'vmail_notify_enabled',
    'email-send-alert-new-missed-call-enabled': 'ntfy_missed_call',
    'email-send-alert-data-storage-limit-reached-enabled': 'ntfy_data_limit',
    'caller-id-number': 'callid_nmbr',
    'caller-id-name': 'callid_name',
    'caller-id-number-emergency': 'callid_emgr',
    'area-code': 'area_code',
    'directory-name-visible-in-list-enabled': 'dir_list',
    'service-code': 'srv_code',
    'voicemail-transcription-enabled': 'vmail_transcribe',
    'emergency-address-id': 'address_id',
    'call-recordings-hide-from-others-enabled': 'hide_call_recordings',
    'music-on-hold-randomized-enabled': 'rmoh',
    'music-on-hold-comfort-message-repeat-interval-seconds': 'moh_interval',
    'account-status': 'account_status',
    'created-datetime': 'date_created',
    'last-modified-datetime': 'last_update',
}

SUBSCRIBER = ObjectType(
    name='subscriber', plural='subscribers', key='user', scope=('domain',),
    example_key='1001', v1_object='subscriber', v2_collection='domains/{domain}/users',
    fields=V1_FIELDS, v2_names=V2_TO_V1, dropped=VERSION_SPECIFIC_FIELDS, sensitive=('subscriber_pin',),
)
