"""The v1 -> v2 field map (reference netsapiens-api.md section 3.5) and the v2 value types (section 3.3).

Tests may import this module: ``V1_TO_V2`` is the single source of the names the emulator serves on v2.
"""
from __future__ import annotations

ANNOUNCE_V2 = {
    "annouce": "directory-annouce-in-dial-by-name-enabled",   # spelling of 44.x servers (default)
    "announce": "directory-announce-in-dial-by-name-enabled",  # spelling of the v45 spec
}

# v1 name -> v2 name, in the order a v2 user object lists its fields. `dir_anc` maps to the
# "annouce" spelling here; the server swaps in ANNOUNCE_V2[spelling] at run time.
V1_TO_V2 = {
    "domain": "domain",
    "user": "user",
    "first_name": "name-first-name",
    "last_name": "name-last-name",
    "subscriber_login": "login-username",
    "email": "email-address",
    "scope": "user-scope",
    "group": "department",
    "site": "site",
    "time_zone": "time-zone",
    "subscriber_pin": "voicemail-login-pin",
    "privacy": "privacy",
    "dial_plan": "dial-plan",
    "dial_policy": "dial-policy",
    "message": "status-message",
    "presence": "user-presence-status",
    "dir": "directory-name-number-dtmf-mapping",
    "vmail_provisioned": "voicemail-user-control-enabled",
    "accept": "phone-numbers-to-allow-enabled",
    "reject": "phone-numbers-to-reject-enabled",
    "screen": "call-screening-enabled",
    "no_answer_timeout": "ring-no-answer-timeout-seconds",
    "language": "language-token",
    "data_limit": "limits-max-data-storage-kilobytes",
    "call_limit": "limits-max-active-calls-total",
    "dir_anc": ANNOUNCE_V2["annouce"],
    "directory_order": "directory-override-order-duplicate-dtmf-mapping",
    "vmail_greeting": "voicemail-greeting-index",
    "vmail_enabled": "voicemail-enabled",
    "rcv_broadcast": "voicemail-receive-broadcast-enabled",
    "rej_anony": "reject-anonymous-calls-enabled",
    "vmail_annc_time": "voicemail-playback-announce-datetime-received",
    "vmail_annc_cid": "voicemail-playback-announce-caller-id",
    "vmail_sort_lifo": "voicemail-playback-sort-newest-to-oldest",
    "vmail_fwd_to": "email-send-alert-new-voicemail-cc-list-csv",
    "vmail_notify": "email-send-alert-new-voicemail-behavior",
    "vmail_notify_enabled": "email-send-alert-new-voicemail-enabled",
    "ntfy_missed_call": "email-send-alert-new-missed-call-enabled",
    "ntfy_data_limit": "email-send-alert-data-storage-limit-reached-enabled",
    "callid_nmbr": "caller-id-number",
    "callid_name": "caller-id-name",
    "callid_emgr": "caller-id-number-emergency",
    "area_code": "area-code",
    "dir_list": "directory-name-visible-in-list-enabled",
    "srv_code": "service-code",
    "vmail_transcribe": "voicemail-transcription-enabled",
    "address_id": "emergency-address-id",
    "hide_call_recordings": "call-recordings-hide-from-others-enabled",
    "rmoh": "music-on-hold-randomized-enabled",
    "moh_interval": "music-on-hold-comfort-message-repeat-interval-seconds",
    "account_status": "account-status",
    "date_created": "created-datetime",
    "last_update": "last-modified-datetime",
}

# v1 fields that a v2 user object does not carry.
V1_ONLY = ("gauSession", "pwd_hash")

# v2 fields with no v1 name, and the value the emulator serves for them.
V2_ONLY = {"recording-configuration": "no", "active-calls-total-current": 0}

# v2 fields typed as JSON integers (SPEC45). Every other value is a string (null stays null).
V2_INT_FIELDS = frozenset((
    "directory-name-number-dtmf-mapping", "ring-no-answer-timeout-seconds", "limits-max-data-storage-kilobytes",
    "limits-max-active-calls-total", "directory-override-order-duplicate-dtmf-mapping", "voicemail-greeting-index",
    "area-code", "music-on-hold-comfort-message-repeat-interval-seconds", "active-calls-total-current",
))

# v1 domain field -> v2 domain field.
DOMAIN_V1_TO_V2 = {
    "domain": "domain",
    "territory": "reseller",
    "description": "description",
    "dial_plan": "dial-plan",
    "dial_policy": "dial-policy",
    "time_zone": "time-zone",
    "area_code": "area-code",
    "caller_id_name": "caller-id-name",
    "caller_id_number": "caller-id-number",
    "caller_id_number_emergency": "caller-id-number-emergency",
    "language": "language-token",
    "email_sender": "email-send-from-address",
    "moh": "music-on-hold-enabled",
    "mor": "music-on-ring-enabled",
    "mot": "music-on-transfer-enabled",
    "rmoh": "music-on-hold-randomized-enabled",
    "max_user": "limits-max-users",
    "max_call_queue": "limits-max-call-queues",
    "max_aa": "limits-max-auto-attendants",
    "max_conference": "limits-max-conferences",
    "max_department": "limits-max-departments",
    "max_device": "limits-max-devices",
    "max_site": "limits-max-sites",
}
DOMAIN_V2_INT_FIELDS = frozenset(name for name in DOMAIN_V1_TO_V2.values() if name.startswith("limits-"))
DOMAIN_V2_INT_FIELDS |= {"area-code"}

# v2 public user info (GET /domains/{d}/users/list).
V2_PUBLIC_FIELDS = ("user", "domain", "site", "name-first-name", "name-last-name", "department",
                    "directory-name-number-dtmf-mapping")


def _typed(name, value, int_fields):
    if value is None:
        return None
    if name in int_fields:
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    return str(value)


def v2_name(v1_name, spelling="annouce"):
    """The v2 name of a v1 subscriber field (None when v2 has no such field)."""
    if v1_name == "dir_anc":
        return ANNOUNCE_V2[spelling]
    return V1_TO_V2.get(v1_name)


def to_v2_user(record, spelling="annouce"):
    """Convert one stored v1 subscriber record to a v2 User object."""
    result = {}
    for v1_name in V1_TO_V2:
        if v1_name in record:
            name = v2_name(v1_name, spelling)
            result[name] = _typed(name, record[v1_name], V2_INT_FIELDS)
    result.update(V2_ONLY)
    return result


def to_v2_domain(record):
    """Convert one stored v1 domain record to a v2 Domain object."""
    return {v2: _typed(v2, record[v1], DOMAIN_V2_INT_FIELDS) for v1, v2 in DOMAIN_V1_TO_V2.items() if v1 in record}
