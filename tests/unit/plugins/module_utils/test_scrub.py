# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scrubber: every written form of every credential is masked in server text."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus, urlencode

import pytest

from ansible_collections.netsapiens.pbx.plugins.module_utils._scrub import MASK, Scrubber

PASSWORD = 'p@ss w&rd+%/='


def forms_of(secret):
    return [secret, quote(secret), quote(secret, safe=''), quote_plus(secret), quote(secret, safe='').lower(),
            json.dumps(secret)[1:-1], json.dumps(secret)[1:-1].replace('/', '\\/'),
            secret.replace('&', '&amp;')]


@pytest.mark.parametrize('form', forms_of(PASSWORD))
def test_every_written_form_is_masked(form):
    text = Scrubber([PASSWORD]).scrub('<p>you sent %s, wrong</p>' % form)
    assert form not in text and PASSWORD not in text and text == '<p>you sent %s, wrong</p>' % MASK


def test_an_echoed_form_body_keeps_only_what_is_not_secret():
    body = urlencode({'grant_type': 'password', 'client_id': 'cid', 'client_secret': 'cs/+&x', 'username': '1001@acme',
                      'password': PASSWORD})
    text = Scrubber([PASSWORD, 'cs/+&x']).scrub(body)
    assert text == 'grant_type=password&client_id=cid&client_secret=%s&username=1001%%40acme&password=%s' % (MASK, MASK)


def test_the_user_password_pair_in_basic_form_is_masked():
    pair = base64.b64encode(b'1001@acme:' + PASSWORD.encode()).decode()
    scrubber = Scrubber([PASSWORD], pairs=[('1001@acme', PASSWORD)])
    assert scrubber.scrub('Authorization: Basic %s' % pair) == 'Authorization: Basic %s' % MASK


def test_tokens_learnt_later_are_masked_too():
    scrubber = Scrubber()
    assert scrubber.scrub('token abc123def') == 'token abc123def'
    scrubber.remember('abc123def', None, '')
    assert scrubber.scrub('token abc123def') == 'token %s' % MASK
