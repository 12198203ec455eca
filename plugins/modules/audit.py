#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: audit
short_description: Audit NetSapiens subscribers against a policy and write reports
version_added: 1.0.0
description:
  - Reads every subscriber of the given domains, checks each against the rules of a policy, writes reports (JSON,
    JUnit XML, HTML and CSV) and returns a summary.
  - Runs entirely on the controller (it is an action plugin), in one pass over all records, so thousands of
    subscribers are audited in seconds without one task per user.
  - The policy is validated before any request is made; an invalid policy fails with a message naming the rule and
    the problem. The policy format is described in the collection's C(docs/policy.md).
  - The role P(netsapiens.pbx.subscriber_audit#role) wraps this module with a login and a summary.
author:
  - netsapiens.pbx contributors (@netsapiens-pbx)
extends_documentation_fragment:
  - netsapiens.pbx.connection
  - netsapiens.pbx.attributes
attributes:
  check_mode:
    details: In check mode the audit runs but no report file is written.
options:
  domain:
    description:
      - The domains to audit, or V(all) for every domain the credentials can read.
      - The same option as O(netsapiens.pbx.subscriber_info#module:domain); O(domains) is accepted as an alias.
    type: list
    elements: str
    required: true
    aliases: [domains]
  policy:
    description:
      - The policy as a dictionary with C(name), C(description), C(rules) and C(exemptions).
      - Give exactly one of O(policy), O(policy_file) and O(policies).
    type: dict
  policy_file:
    description:
      - A YAML file holding the policy, on the controller.
    type: path
  policies:
    description:
      - Several policies (packs) audited at once, each with its own summary in the reports. Each entry is the name of a
        pack shipped in the collection's C(playbooks/policies/) (V(baseline), V(e911), V(toll_fraud), V(voicemail_pin),
        V(device_security), V(security)), a YAML policy file on the controller, or a policy as a dictionary.
      - Rule ids must be unique across the packs. The packs and their rules are described in the collection's
        C(docs/compliance.md).
      - The audit reads only the objects the rules need (answer rules, dial policies, phone numbers, devices, E911
        addresses) besides the subscribers. Voicemail PINs and SIP passwords are read only for the facts derived from
        them and never appear in results or reports.
    type: list
    elements: raw
  report_dir:
    description:
      - Directory on the controller to write the reports to. Created if missing. Without it no file is written.
    type: path
  report_formats:
    description:
      - Which reports to write into O(report_dir) - V(json) (C(audit-report.json)), V(junit) (C(audit-junit.xml), a
        test case per subscriber and rule), V(html) (C(audit-report.html), self-contained) and V(csv)
        (C(audit-subscribers.csv), every audited subscriber).
      - V(snapshot) (C(audit-snapshot.json)) is written only when asked for - the records the audit read, without any
        secret field, as stable JSON (sorted keys, one field per line) that diffs well in git; a later audit compares its
        records with it through O(baseline_snapshot).
    type: list
    elements: str
    choices: [json, junit, html, csv, snapshot]
    default: [json, junit, html, csv]
  fail_on:
    description:
      - Fail the task when there is at least one violation of this severity or higher. V(never) only reports.
      - With O(fail_on_new_only) and a O(baseline), only new violations count.
      - Reports are written before the task fails.
    type: str
    choices: [never, info, low, medium, high, critical]
    default: never
  fail_on_new_only:
    description:
      - Count only new violations (not in the O(baseline)) against O(fail_on), so that a CI job fails on what got worse,
        not on what was already there.
      - Without O(baseline) it has no effect - every violation counts, as without this option.
    type: bool
    default: false
  baseline:
    description:
      - The JSON report (C(audit-report.json)) of an earlier audit with the same policy, on the controller. A relative path
        is relative to the current directory, like O(report_dir).
      - Each violation is then marked V(new) or V(unchanged) (RV(violations[].status)) and the baseline's violations that
        are gone are listed as resolved (RV(resolved_violations)). Violations are matched by rule, subscriber (and
        device) and actual value, not by position.
      - A baseline of another policy (its name) or another server (O(api_url)), or a file that is not such a report, fails
        the task before any request. Violations of rules that check differently now, or of domains only one of the two
        audits read, are not compared, with a warning - never counted as resolved. See the collection's C(docs/drift.md).
    type: path
  baseline_snapshot:
    description:
      - The snapshot (C(audit-snapshot.json), see O(report_formats)) of an earlier audit of the same server. The reports
        then list the records added, removed and changed since, with every changed field's old and new value
        (RV(changes)).
      - A snapshot of another server, or a file that is not a snapshot, fails the task before any request.
    type: path
  audit_date:
    description:
      - The date exemption expiry is judged against, as V(YYYY-MM-DD). Defaults to today in UTC (the date of the reports' timestamps).
    type: str
  max_violations:
    description:
      - How many violations to return in RV(violations); the reports always hold all of them.
    type: int
    default: 100
notes:
  - Records are read with the same connection options and the same cost as M(netsapiens.pbx.subscriber_info), one
    request per page of each domain. C(subscriber_pin) is never read for an audit.
  - Comparing with a baseline and a baseline snapshot makes no request; the collection's C(docs/drift.md) describes the
    comparison and C(docs/docsite/rst/ci.rst) complete CI pipelines that keep the baseline between runs.
"""

EXAMPLES = r"""
- name: Audit two domains and fail on high or critical violations
  netsapiens.pbx.audit:
    api_url: https://pbx.example.com
    api_key: "{{ netsapiens_api_key }}"
    domain:
      - acme.12345.service
      - globex.23456.service
    policy_file: policies/baseline.yml
    report_dir: reports/
    fail_on: high
  register: audit

- name: Check E911, toll fraud and voicemail PINs with the shipped packs; fail on critical findings
  netsapiens.pbx.audit:
    domain: all
    policies: [e911, toll_fraud, voicemail_pin]
    report_dir: reports/
    fail_on: critical

- name: Audit every readable domain against an inline policy, reports only
  netsapiens.pbx.audit:
    domain: all
    policy:
      name: Voicemail
      rules:
        - id: VM-001
          description: Voicemail is enabled
          severity: high
          field: vmail_enabled
          equals: "yes"
    report_dir: reports/
    report_formats: [json, html]

- name: Show the summary
  ansible.builtin.debug:
    msg: "{{ audit.summary.violations }} violations in {{ audit.summary.subscribers }} subscribers"

- name: In CI, fail only on high or critical violations that are new since the last run, and show what changed
  netsapiens.pbx.audit:
    domain: all
    policy_file: policies/baseline.yml
    report_dir: audit-reports/
    report_formats: [json, junit, html, csv, snapshot]
    baseline: audit-baseline/audit-report.json
    baseline_snapshot: audit-baseline/audit-snapshot.json
    fail_on: high
    fail_on_new_only: true
"""

RETURN = r"""
summary:
  description: Counts of the audit, as in the JSON report's C(summary).
  returned: success
  type: dict
  sample:
    policy: Baseline subscriber policy
    subscribers: 172
    domains: 4
    rules: 8
    checks: 1240
    violations: 96
    violating_subscribers: 70
    by_severity: {info: 0, low: 40, medium: 30, high: 20, critical: 6}
    by_rule: {VM-001: 20, E911-001: 6}
    by_domain: {acme.12345.service: 30}
    exempted: 1
    expired_exemptions: 1
    fail_on: high
    failing_violations: 26
    passed: false
    by_pack:
      baseline: {name: Baseline subscriber policy, rules: 8, checks: 1240, violations: 96, failing_violations: 26}
    devices: 230
    new_violations: 2
    unchanged_violations: 94
    resolved_violations: 1
    fail_on_new_only: true
  contains:
    failing_violations:
      description: Violations at or above O(fail_on); with O(fail_on_new_only) and a O(baseline) only the new ones.
      type: int
    new_violations:
      description: Violations not in the O(baseline).
      returned: when O(baseline) is given
      type: int
    unchanged_violations:
      description: Violations also in the O(baseline).
      returned: when O(baseline) is given
      type: int
    resolved_violations:
      description: Violations of the O(baseline) that are gone.
      returned: when O(baseline) is given
      type: int
    fail_on_new_only:
      description: Whether only new violations counted against O(fail_on).
      returned: when O(baseline) is given
      type: bool
violations:
  description: The first O(max_violations) violations.
  returned: success
  type: list
  elements: dict
  sample:
    - rule: VM-001
      severity: high
      user: "1003"
      domain: acme.12345.service
      field: vmail_enabled
      actual: "no"
      expected: equals 'yes'
      description: Voicemail is enabled
      status: new
  contains:
    status:
      description: V(new) (not in the O(baseline)) or V(unchanged).
      returned: when O(baseline) is given
      type: str
resolved_violations:
  description: The first O(max_violations) violations of the O(baseline) that are gone (fixed, exempted, or their subscriber
    removed), with the keys of RV(violations) and RV(violations[].status) V(resolved).
  returned: when O(baseline) is given
  type: list
  elements: dict
changes:
  description:
    - How many records were added, removed and changed since the O(baseline_snapshot), per kind of record, and how many
      fields changed; C(since) is when that snapshot was taken. The changes themselves are in the JSON report.
  returned: when O(baseline_snapshot) is given
  type: dict
  sample:
    since: "2026-11-27T06:00:00Z"
    subscribers: {added: 1, removed: 1, changed: 2, fields: 3}
violations_truncated:
  description: Whether RV(violations) holds fewer violations than were found.
  returned: success
  type: bool
expired_exemptions:
  description: Exemptions whose expiry date has passed; they no longer apply.
  returned: success
  type: list
  elements: dict
reports:
  description: Format -> path of each report written (and of the snapshot).
  returned: success
  type: dict
  sample: {json: /srv/audit/audit-report.json, html: /srv/audit/audit-report.html}
api_version:
  description: The API version that served the records.
  returned: success
  type: str
  sample: v2
"""

from ansible_collections.netsapiens.pbx.plugins.module_utils._module import module_main


def main():
    module_main('audit')


if __name__ == '__main__':
    main()
