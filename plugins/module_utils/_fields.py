# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which record fields are secret or never returned: the rule for every object the collection reads."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

# Never returned, whatever the options: password hashes.
DROPPED_FIELDS = frozenset(('pwd_hash',))

# The secret-name rule (DESIGN.md, Records): a field is secret when its name, in either API's spelling, holds one of
# these. Long words count anywhere in the name ('sippassword'); short ones only as a whole word, so that
# 'directory-name-number-dtmf-mapping' (p-i-n) or 'keypad' are not caught.
SECRET_SUBSTRINGS = ('password', 'passwd', 'passcode', 'secret')
SECRET_WORDS = frozenset(('pin', 'pins', 'pwd', 'pass', 'hash', 'token', 'tokens', 'key', 'keys', 'apikey'))
_WORD_SPLIT = re.compile(r'[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])')


def is_secret_name(name):
    """True when a field name looks secret by the rule above (for every object, whatever a server adds)."""
    text = str(name)
    lowered = text.lower()
    if any(word in lowered for word in SECRET_SUBSTRINGS):
        return True
    return any(word.lower() in SECRET_WORDS for word in _WORD_SPLIT.split(text) if word)


def is_sensitive_field(name):
    """Returned only with include_sensitive (and then hidden from output)."""
    return is_secret_name(name)


def is_returned_field(name, include_sensitive=False):
    """Whether a record field (its v1 name) can ever reach a record with these options."""
    if name in DROPPED_FIELDS:
        return False
    return include_sensitive or not is_sensitive_field(name)
