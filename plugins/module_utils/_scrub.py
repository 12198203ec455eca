# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Masks credentials in text a server sent back before it goes into a message.

A server may echo what it received: a token endpoint's error page can hold the whole form body
(`grant_type=password&...&password=p%40ss`), a JSON answer the password with `\\/` escapes. Every way
a credential can be written on the wire is masked, not only the raw value.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import json
import re

try:
    from urllib.parse import quote, quote_plus
except ImportError:  # pragma: no cover - Python 2 is not supported, this keeps the import sanity test quiet
    from urllib import quote, quote_plus  # type: ignore

MASK = '********'
_PERCENT_ESCAPE = re.compile('%[0-9A-F]{2}')
_HTML_ENTITIES = (('&', '&amp;'), ('<', '&lt;'), ('>', '&gt;'), ('"', '&quot;'), ("'", '&#x27;'))


def html_escaped(text, quotes=True):
    """text as an HTML page shows it (with or without quotes escaped)."""
    for character, entity in _HTML_ENTITIES if quotes else _HTML_ENTITIES[:3]:
        text = text.replace(character, entity)
    return text


def _lower_hex(text):
    """'p%40ss' stays, 'p%2Fx' -> 'p%2fx': servers re-encode with either case."""
    return _PERCENT_ESCAPE.sub(lambda match: match.group(0).lower(), text)


def written_forms(secret):
    """Every spelling of a secret that a server may echo: raw, URL- and form-encoded, JSON- and HTML-escaped."""
    json_text = json.dumps(secret)[1:-1]
    url_forms = set([quote(secret), quote(secret, safe=''), quote_plus(secret), quote_plus(secret, safe='/')])
    url_forms.update([_lower_hex(form) for form in url_forms])
    return url_forms | set([secret, json_text, json_text.replace('/', '\\/'), json.dumps(secret, ensure_ascii=False)[1:-1],
                            html_escaped(secret), html_escaped(secret, quotes=False), html_escaped(secret).replace('&#x27;', '&#39;')])


def basic_pair(name, secret):
    """'name:secret' in Base64, as an HTTP Basic Authorization header carries the pair."""
    return base64.b64encode(('%s:%s' % (name, secret)).encode('utf-8')).decode('ascii')


class Scrubber(object):
    """Knows every credential of a run and replaces each of its written forms with ********."""

    def __init__(self, secrets=(), pairs=()):
        self._forms = set()
        self._pattern = None
        self.remember(*secrets)
        for name, secret in pairs:
            if name and secret:
                self._add_forms([basic_pair(name, secret)])

    @classmethod
    def for_settings(cls, settings):
        """A scrubber for the secrets of ConnectionSettings and the user/client pairs they authenticate with."""
        return cls(settings.secret_values(), [(settings.username, settings.password), (settings.client_id, settings.client_secret)])

    def remember(self, *secrets):
        """Add secrets learnt during the run (tokens the server issued)."""
        for secret in secrets:
            if isinstance(secret, str) and secret:
                self._add_forms(written_forms(secret))

    def _add_forms(self, forms):
        new = set(form for form in forms if form) - self._forms
        if new:
            self._forms.update(new)
            # Longest first, so a form that contains another one is masked whole.
            ordered = sorted(self._forms, key=len, reverse=True)
            self._pattern = re.compile('|'.join(re.escape(form) for form in ordered))

    def scrub(self, text):
        """text with every written form of every known secret replaced by ********."""
        if not text or self._pattern is None:
            return text
        return self._pattern.sub(MASK, text)
