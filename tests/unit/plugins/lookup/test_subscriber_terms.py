# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible.errors import AnsibleLookupError

from ansible_collections.netsapiens.pbx.plugins.plugin_utils._lookup import parse_term
from ansible_collections.netsapiens.pbx.plugins.module_utils._errors import NetSapiensConfigError


@pytest.mark.parametrize('term, parsed', [
    ('1001@acme.12345.service', ('acme.12345.service', '1001')),
    ('acme.12345.service', ('acme.12345.service', None)),
    ('first@last@acme', ('acme', 'first@last')),
    (' 1001@acme ', ('acme', '1001')),
])
def test_terms(term, parsed):
    assert parse_term(term) == parsed


def test_user_without_name():
    with pytest.raises(AnsibleLookupError, match="no user before '@'"):
        parse_term('@acme')


@pytest.mark.parametrize('term', ['', '1001@', '1001@ac me'])
def test_bad_domains(term):
    with pytest.raises(NetSapiensConfigError):
        parse_term(term)


def test_non_string_term():
    with pytest.raises(AnsibleLookupError, match='must be a string'):
        parse_term({'user': '1001'})
