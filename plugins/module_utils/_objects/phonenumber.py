# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Phone numbers (DIDs) routed to a domain: v1 object=phonenumber (dial rules of the DID Table),
v2 /domains/{domain}/phonenumbers (reference netsapiens-objects.md section 3)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.netsapiens.pbx.plugins.module_utils._objects._type import ObjectType

# The fields a phone number record holds: the ones both API versions fill (reference section 3.2).
FIELDS = (
    'matchrule', 'dest_domain', 'enable', 'responder', 'parameter', 'to_user', 'to_host', 'from_name', 'plan_description',
)

# Dial-rule fields only v1 sends (the v2 number dropped them, D-MIG), and v1's `domain`, which names the owner of the
# dial plan (the system DID Table), not the domain the number is routed to (`dest_domain`). Leaving them out keeps a
# record the same whichever version served it.
V1_ONLY_FIELDS = (
    'domain', 'dialplan', 'match_from', 'dow', 'tod_from', 'tod_to', 'valid_from', 'valid_to', 'to_scheme', 'from_scheme',
    'from_user', 'from_host', 'domain_description', 'domain_owner',
)

V2_TO_V1 = {
    'domain': 'dest_domain',
    'enabled': 'enable',
    'dial-rule-parameter': 'parameter',
    'dial-rule-translation-destination-user': 'to_user',
    'dial-rule-translation-destination-host': 'to_host',
    'dial-rule-translation-source-name': 'from_name',
    'dial-rule-description': 'plan_description',
}

# v2 dial-rule-application -> v1 responder (reference section 3.2, from D-APPMAP). A value not listed is kept as the
# server sent it.
APPLICATION_TO_RESPONDER = {
    'available-number': 'AvailableDID',
    'to-user': 'sip:start@to-user',
    'to-user-residential': 'sip:start@to-user-resi',
    'to-voicemail': 'sip:start@to-vmail',
    'to-voicemail-residential': 'Residential VMail',
    'to-callqueue': 'sip:start@call-queuing',
    'to-callqueue-announce-count-callers-ahead': 'sip:say-que-size@call-queuing',
    'to-callqueue-announce-expected-wait-time': 'sip:say-que-time@call-queuing',
    'to-connection': 'sip:start@to-connection',
    'to-connection-no-timeout': 'sip:no-rna@to-connection',
    'to-connection-block-caller-id': 'sip:privacy@to-connection',
    'to-connection-or-user-no-failover': 'sip:start@one-shot',
    'to-single-device': 'sip:start@to-owned-device',
    'spam-screening': 'SPAM-Screen',
    'hangup': 'Hangup',
    'to-user-notify-of-recording': 'ToUserRecordingNotice',
    'to-user-answer-and-fake-ringback': 'ToUserRingback',
}


def matchrule_of(number):
    """A v2 phone number ('18585551234') as the v1 dial rule that matches it ('sip:18585551234@*')."""
    number = '' if number is None else str(number)
    if not number or number.startswith('sip:'):
        return number
    return 'sip:%s@*' % number


def _matchrule(value):
    return [('matchrule', matchrule_of(value))]


def _responder(value):
    return [('responder', APPLICATION_TO_RESPONDER.get(value, value))]


PHONENUMBER = ObjectType(
    name='phonenumber', plural='phonenumbers', key='matchrule', v2_key='phonenumber', scope=('domain',),
    example_key='sip:18585551234@*', v1_object='phonenumber', v2_collection='domains/{domain}/phonenumbers',
    fields=FIELDS, v2_names=V2_TO_V1, dropped=V1_ONLY_FIELDS,
    # The numbers routed to a domain are the DID Table's rules whose dest_domain is that domain (the v1 read of
    # REVIO, PUB-CREX and the backup tool, which sends no `domain`).
    v1_params=lambda scope: {'dialplan': 'DID Table', 'dest_domain': scope['domain']},
    v2_values={'phonenumber': _matchrule, 'dial-rule-application': _responder},
)
