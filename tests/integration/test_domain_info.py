# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""netsapiens.pbx.domain_info on both API versions and for different scopes."""

from __future__ import annotations

from harness import emulator_auth


def test_reseller_sees_every_domain(run_playbook, emulator, api, domains):
    result = run_playbook('domain_info.yml')
    assert result.rc == 0, result
    data = result.artifact('result.json')
    assert [d['domain'] for d in data['domains']] == sorted(domains)
    assert all(d['territory'] == 'reseller.demo' and d['description'] for d in data['domains'])
    assert data['api_version'] == api


def test_office_manager_sees_its_own_domain(run_playbook, emulator, domains):
    env = {'NETSAPIENS_USERNAME': '1001@%s' % domains[0], 'NETSAPIENS_PASSWORD': emulator_auth.OFFICE_MANAGER_PASSWORD}
    result = run_playbook('domain_info.yml', env=env)
    assert result.rc == 0, result
    assert [d['domain'] for d in result.artifact('result.json')['domains']] == [domains[0]]
