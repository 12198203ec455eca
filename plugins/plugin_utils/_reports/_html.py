# -*- coding: utf-8 -*-
# Copyright: Contributors to the netsapiens.pbx collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""audit-report.html: one self-contained page (inline CSS, JS and SVG; no external asset) for people.

Every value from the records or the policy goes through html.escape. The violations table shows at most
MAX_ROWS rows, the most severe first; the JSON and CSV reports hold everything. Compared with a baseline (or an
earlier snapshot), a "Changes since" section shows the new and resolved violations and the record changes.
"""

from __future__ import annotations

import html

from ansible_collections.netsapiens.pbx.plugins.module_utils._audit import NEW, RESOLVED, UNCHANGED
from ansible_collections.netsapiens.pbx.plugins.module_utils._policy import SEVERITIES, SEVERITY_RANK
from ansible_collections.netsapiens.pbx.plugins.module_utils._records import field_text
from ansible_collections.netsapiens.pbx.plugins.module_utils._snapshot import KIND_NAMES, change_counts
from ansible_collections.netsapiens.pbx.plugins.plugin_utils._reports._html_assets import (
    CONTENT_SECURITY_POLICY, CSS, JS, SEVERITY_COLOURS)

FILENAME = 'audit-report.html'
ENCODING = 'utf-8'
MAX_ROWS = 5000
MAX_CHART_BARS = 25
CHART_WIDTH, LABEL_WIDTH, BAR_X, BAR_WIDTH, ROW_HEIGHT, BAR_HEIGHT = 920, 292, 300, 540, 28, 18
LABEL_CHARS = 34
MOST_SEVERE_FIRST = tuple(reversed(SEVERITIES))
VIOLATION_COLUMNS = (('severity', 'Severity'), ('rule', 'Rule'), ('user', 'User'), ('domain', 'Domain'), ('name', 'Name'),
                     ('field', 'Field'), ('actual', 'Actual'), ('expected', 'Expected'))
# The last column of the violations table when the audit was compared with a baseline.
STATUS_COLUMN = ('status', 'Status')
# After the domain, when rules on devices found violations.
DEVICE_COLUMN = ('device', 'Device')


def esc(value):
    return html.escape(value if isinstance(value, str) else str(value), quote=True)


def number(value):
    return '{:,}'.format(value)


def noun(count, word):
    return word if count == 1 else word + 's'


def plural(count, word):
    return '%s %s' % (number(count), noun(count, word))


def badge(severity):
    return '<span class="sev sev-%s">%s</span>' % (esc(severity), esc(severity))


def value_cell(value):
    if value == '':
        return '<td class="value"><span class="empty">(empty)</span></td>'
    return '<td class="value">%s</td>' % esc(value)


def bar_chart(title, bars):
    """An inline SVG horizontal bar chart. bars: (label, tooltip, [(severity, count), ...]) per bar."""
    height = len(bars) * ROW_HEIGHT + 12
    scale = max([sum(count for _severity, count in segments) for _label, _tip, segments in bars] + [1])
    parts = ['<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="%d" height="%d" viewBox="0 0 %d %d" '
             'aria-label="%s">' % (CHART_WIDTH, height, CHART_WIDTH, height, esc(title))]
    for index, (label, tooltip, segments) in enumerate(bars):
        top = 6 + index * ROW_HEIGHT
        baseline = top + BAR_HEIGHT - 5
        short = label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + '\u2026'
        total = sum(count for _severity, count in segments)
        parts.append('<g class="bar" data-count="%d"><title>%s</title>' % (total, esc(tooltip)))
        parts.append('<text class="label" x="%d" y="%d" text-anchor="end">%s</text>' % (LABEL_WIDTH, baseline, esc(short)))
        parts.append('<rect class="track" x="%d" y="%d" width="%d" height="%d" rx="3" fill="#eef1f5"/>' % (BAR_X, top, BAR_WIDTH, BAR_HEIGHT))
        left = float(BAR_X)
        for severity, count in segments:
            if count:
                width = max(count * BAR_WIDTH / scale, 2.0)
                parts.append('<rect class="seg" x="%.1f" y="%d" width="%.1f" height="%d" fill="%s" data-severity="%s"/>'
                             % (left, top, width, BAR_HEIGHT, SEVERITY_COLOURS[severity], esc(severity)))
                left += width
        parts.append('<text class="count" x="%.1f" y="%d">%s</text></g>' % (left + 6, baseline, number(total)))
    parts.append('</svg>')
    return ''.join(parts)


def _rule_chart(result, by_rule):
    bars = [('%s %s' % (rule.id, rule.description), '%s (%s): %s. %s of %s'
             % (rule.id, rule.severity, rule.description, plural(by_rule.get(rule.id, 0), 'violation'),
                plural(result.checks.get(rule.id, 0), 'check')), [(rule.severity, by_rule.get(rule.id, 0))])
            for rule in result.policy.rules]
    return bar_chart('Violations per rule', bars)


def _domain_chart(result, by_domain):
    per_domain = {}
    for violation in result.violations:
        counts = per_domain.setdefault(violation['domain'], dict((name, 0) for name in SEVERITIES))
        counts[violation['severity']] += 1
    ranked = sorted(by_domain, key=lambda name: (-by_domain[name], name))
    bars = []
    for domain in ranked[:MAX_CHART_BARS]:
        counts = per_domain.get(domain, {})
        segments = [(name, counts.get(name, 0)) for name in MOST_SEVERE_FIRST]
        detail = ', '.join('%s %s' % (number(count), name) for name, count in segments if count) or 'none'
        bars.append((domain or '(no domain)', '%s: %s (%s)' % (domain, plural(by_domain[domain], 'violation'), detail), segments))
    note = ''
    if len(ranked) > MAX_CHART_BARS:
        rest = ranked[MAX_CHART_BARS:]
        note = ('<p class="muted">The %s with the most violations are shown; %s more (%s) are in audit-report.json.</p>'
                % (plural(MAX_CHART_BARS, 'domain'), plural(len(rest), 'domain'),
                   plural(sum(by_domain[name] for name in rest), 'violation')))
    legend = '<div class="legend">%s</div>' % ''.join(badge(name) for name in MOST_SEVERE_FIRST)
    return legend + bar_chart('Violations per domain', bars) + note


def _verdict(summary):
    fail_on = summary['fail_on']
    total = summary['violations']
    if fail_on == 'never':
        return ('<section class="verdict neutral">Report only <span>(fail_on: never): %s</span></section>'
                % plural(total, 'violation'))
    if summary.get('fail_on_new_only'):
        return _new_only_verdict(summary)
    if summary['passed']:
        lower = ', %s of lower severity' % plural(total, 'violation') if total else ''
        return ('<section class="verdict pass">PASSED <span>no violation at or above severity %s%s</span></section>'
                % (esc(fail_on), lower))
    return ('<section class="verdict fail">FAILED <span>%s at or above severity %s (of %s in all)</span></section>'
            % (plural(summary['failing_violations'], 'violation'), esc(fail_on), number(total)))


def _new_only_verdict(summary):
    """The verdict when only new violations count (fail_on_new_only with a baseline)."""
    if summary['passed']:
        return ('<section class="verdict pass">PASSED <span>no new violation at or above severity %s since the baseline '
                '(%s in all, %s new)</span></section>'
                % (esc(summary['fail_on']), plural(summary['violations'], 'violation'), number(summary['new_violations'])))
    return ('<section class="verdict fail">FAILED <span>%s at or above severity %s since the baseline (of %s in all)</span></section>'
            % (plural(summary['failing_violations'], 'new violation'), esc(summary['fail_on']), number(summary['violations'])))


def mark(status):
    """A violation's status against the baseline, as a small label."""
    return '<span class="mark mark-%s">%s</span>' % (esc(status), esc(status))


def _violation_table(table_id, violations):
    """A plain table of violations (new or resolved ones), at most MAX_ROWS rows; a Device column when any has a device."""
    parts = []
    if len(violations) > MAX_ROWS:
        parts.append('<p class="note">The first %s of %s; all are in audit-report.json.</p>' % (number(MAX_ROWS), number(len(violations))))
    devices = any(violation.get('device') for violation in violations)
    parts.append('<div class="table-wrap"><table id="%s"><thead><tr><th>Severity</th><th>Rule</th><th>User</th><th>Domain</th>%s'
                 '<th>Field</th><th>Actual</th><th>Expected</th></tr></thead><tbody>' % (table_id, '<th>Device</th>' if devices else ''))
    parts.extend('<tr><td>%s</td><td class="id" title="%s">%s</td><td class="text">%s</td><td class="text">%s</td>%s'
                 '<td>%s</td>%s<td>%s</td></tr>'
                 % (badge(violation['severity']), esc(violation.get('description', '')), esc(violation['rule']), esc(violation['user']),
                    esc(violation['domain']), '<td class="text">%s</td>' % esc(violation.get('device', '')) if devices else '',
                    esc(violation.get('field', '')), value_cell(violation.get('actual', '')), esc(violation.get('expected', '')))
                 for violation in violations[:MAX_ROWS])
    parts.append('</tbody></table></div>')
    return ''.join(parts)


def _record_change_rows(changes):
    """(kind, record key, change, field, old, new) for every record added, removed or changed, kind by kind."""
    for kind in KIND_NAMES:
        if kind not in changes:
            continue
        for change in ('added', 'removed'):
            for key in changes[kind][change]:
                yield kind, key, change, None
        for entry in changes[kind]['changed']:
            for field in entry['fields']:
                yield kind, entry['key'], 'changed', field


def _record_changes_table(changes):
    rows = list(_record_change_rows(changes))
    parts = []
    if len(rows) > MAX_ROWS:
        parts.append('<p class="note">The first %s of %s changes; all are in audit-report.json.</p>' % (number(MAX_ROWS), number(len(rows))))
    parts.append('<div class="table-wrap"><table id="record-changes"><thead><tr><th>Kind</th><th>Record</th><th>Change</th>'
                 '<th>Field</th><th>Old</th><th>New</th></tr></thead><tbody>')
    for kind, key, change, field in rows[:MAX_ROWS]:
        old, new = ('', '') if field is None else (field['old'], field['new'])
        parts.append('<tr><td>%s</td><td class="text">%s</td><td>%s</td><td>%s</td>%s%s</tr>'
                     % (esc(kind), esc(key), mark(change), esc(field['field'] if field else ''),
                        _change_value(old, field is not None), _change_value(new, field is not None)))
    parts.append('</tbody></table></div>')
    return ''.join(parts)


def _change_value(value, shown):
    if not shown:
        return '<td></td>'
    if value is None:
        return '<td class="value"><span class="empty">(no such field)</span></td>'
    return value_cell(value if isinstance(value, str) else field_text(value))


def _change_counts(result):
    """(key, count, label) of the changes section's header."""
    counts = []
    if result.drift is not None:
        counts.extend((status, result.drift.counts[status], status) for status in (NEW, RESOLVED, UNCHANGED))
    if result.changes is not None:
        totals = change_counts(result.changes).values()
        for key, word, verb in (('added', 'record', ' added'), ('removed', 'record', ' removed'), ('changed', 'record', ' changed'),
                                ('fields', 'field change', '')):
            count = sum(total[key] for total in totals)
            counts.append((key, count, noun(count, word) + verb))
    return counts


def _changes(result):
    """The "Changes since <baseline date>" section: new and resolved violations and record changes, with counts in its
    header; empty without a baseline."""
    drift, changes = result.drift, result.changes
    if drift is None and changes is None:
        return ''
    since = drift.baseline.generated_at if drift is not None else changes['since']
    counts = ''.join('<span class="chg" data-count="%s"><b>%s</b> %s</span>' % (key, number(count), esc(label))
                     for key, count, label in _change_counts(result))
    parts = ['<section id="changes"><h2>Changes since %s <span class="chg-counts">%s</span></h2>' % (esc(since), counts)]
    warnings = (drift.warnings if drift is not None else []) + (changes['warnings'] if changes is not None else [])
    parts.extend('<p class="warn">%s</p>' % esc(warning) for warning in warnings)
    if drift is not None:
        parts.append('<h3>New violations</h3>')
        new = [violation for violation in result.violations if violation.get('status') == NEW]
        parts.append(_violation_table('new-violations', new) if new else '<p class="muted">None.</p>')
        parts.append('<h3>Resolved violations</h3>')
        parts.append(_violation_table('resolved-violations', drift.resolved) if drift.resolved else '<p class="muted">None.</p>')
    if changes is not None:
        parts.append('<h3>Record changes%s</h3>' % ('' if changes['since'] == since else ' since %s' % esc(changes['since'])))
        parts.append(_record_changes_table(changes) if any(_record_change_rows(changes)) else '<p class="muted">None.</p>')
    parts.append('</section>')
    return ''.join(parts)


def _summary(summary):
    cards = (('subscribers', 'subscribers audited'), ('domains', 'domains'), ('rules', 'rules'), ('checks', 'checks'),
             ('violations', 'violations'), ('violating_subscribers', 'subscribers with violations'),
             ('exempted', 'exempted checks'), ('expired_exemptions', 'expired exemptions'))
    parts = ['<section><h2>Summary</h2><div class="cards">']
    parts.extend('<div class="card" data-key="%s"><b>%s</b><span>%s</span></div>' % (key, number(summary[key]), label)
                 for key, label in cards)
    parts.append('</div><div class="severities">')
    parts.extend('%s <span>%s</span>' % (badge(name), number(summary['by_severity'].get(name, 0))) for name in MOST_SEVERE_FIRST)
    parts.append('</div></section>')
    return ''.join(parts)


def _reference(rule):
    """The rule's reference as a link (or text), for the rules table."""
    if rule.reference_url:
        return '<a href="%s" rel="noopener noreferrer">%s</a>' % (esc(rule.reference_url), esc(rule.reference or rule.reference_url))
    return esc(rule.reference)


def _rule_row(rule, result, by_rule, exempted, packs):
    checks, violations = result.checks.get(rule.id, 0), by_rule.get(rule.id, 0)
    compliant = '%.1f%%' % (100.0 * (checks - violations) / checks) if checks else '\u2014'
    remediation = '<div class="fix">%s</div>' % esc(rule.remediation) if rule.remediation else ''
    return ('<tr><td class="id">%s</td>%s<td>%s</td><td>%s%s</td><td>%s</td><td class="value">%s</td><td class="num">%s</td>'
            '<td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td class="ref">%s</td></tr>'
            % (esc(rule.id), '<td>%s</td>' % esc(rule.pack) if packs else '', badge(rule.severity), esc(rule.description),
               remediation, esc(('%s: ' % rule.object if rule.object != 'subscriber' else '') + rule.field), esc(rule.expected()),
               number(checks), number(violations), number(exempted.get(rule.id, 0)), compliant, _reference(rule)))


def _rules_table(result, by_rule):
    exempted = {}
    for item in result.exempted:
        exempted[item['rule']] = exempted.get(item['rule'], 0) + 1
    packs = len(result.policy.packs) > 1
    rows = ''.join(_rule_row(rule, result, by_rule, exempted, packs) for rule in result.policy.rules)
    return ('<section><h2>Rules</h2><div class="table-wrap"><table id="rules"><thead><tr><th>Rule</th>%s<th>Severity</th>'
            '<th>Description</th><th>Field</th><th>Expected</th><th class="num">Checked</th><th class="num">Violations</th>'
            '<th class="num">Exempted</th><th class="num">Compliant</th><th>Reference</th></tr></thead><tbody>%s</tbody></table>'
            '</div></section>' % ('<th>Pack</th>' if packs else '', rows))


def _packs_table(summary):
    """One row per pack when several were audited: its checks, violations and failing violations."""
    packs = summary.get('by_pack') or {}
    if len(packs) < 2:
        return ''
    rows = ''.join('<tr><td class="id">%s</td><td>%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td>'
                   '<td class="num">%s</td></tr>' % (esc(pack), esc(counts['name']), number(counts['rules']),
                                                     number(counts['checks']), number(counts['violations']),
                                                     number(counts['failing_violations']))
                   for pack, counts in packs.items())
    return ('<section><h2>Packs</h2><div class="table-wrap"><table id="packs"><thead><tr><th>Pack</th><th>Policy</th>'
            '<th class="num">Rules</th><th class="num">Checked</th><th class="num">Violations</th>'
            '<th class="num">Failing</th></tr></thead><tbody>%s</tbody></table></div></section>' % rows)


def _violations_table(result):
    order = dict((rule.id, index) for index, rule in enumerate(result.policy.rules))
    names = {}
    for record in result.records:
        full = ' '.join(part for part in (record.get('first_name', ''), record.get('last_name', '')) if isinstance(part, str) and part)
        names[(record.get('user', ''), record.get('domain', ''))] = full
    ranked = sorted(result.violations, key=lambda v: (-SEVERITY_RANK[v['severity']], order.get(v['rule'], 0), v['domain'], v['user']))
    total = len(ranked)
    parts = ['<section><h2>Violations</h2>']
    if total > MAX_ROWS:
        parts.append('<p class="note">This table shows the %s most severe of %s violations. Every violation is in '
                     'audit-report.json, and every subscriber with its violated rules in audit-subscribers.csv.</p>'
                     % (number(MAX_ROWS), number(total)))
    if not total:
        parts.append('<p class="muted">No violations.</p>')
    parts.append('<div class="tools"><input type="search" id="filter" placeholder="Filter: user, domain, rule, value\u2026" '
                 'aria-label="Filter violations"><span id="shown" class="muted">%s</span></div>' % plural(min(total, MAX_ROWS), 'row'))
    marked = result.drift is not None
    devices = any(violation.get('device') for violation in ranked)
    columns = VIOLATION_COLUMNS[:4] + ((DEVICE_COLUMN,) if devices else ()) + VIOLATION_COLUMNS[4:]
    headers = ''.join('<th data-key="%s"%s><button type="button">%s</button></th>'
                      % (key, ' aria-sort="descending"' if key == 'severity' else '', label)
                      for key, label in columns + ((STATUS_COLUMN,) if marked else ()))
    parts.append('<div class="table-wrap"><table id="violations"><thead><tr>%s</tr></thead><tbody>' % headers)
    for violation in ranked[:MAX_ROWS]:
        parts.append('<tr><td data-sort="%d">%s</td><td class="id" title="%s">%s</td><td class="text">%s</td><td class="text">%s</td>'
                     '%s<td class="text">%s</td><td>%s</td>%s<td>%s</td>%s</tr>'
                     % (SEVERITY_RANK[violation['severity']], badge(violation['severity']), esc(violation['description']),
                        esc(violation['rule']), esc(violation['user']), esc(violation['domain']),
                        '<td class="text">%s</td>' % esc(violation.get('device', '')) if devices else '',
                        esc(names.get((violation['user'], violation['domain']), '')), esc(violation['field']),
                        value_cell(violation['actual']), esc(violation['expected']),
                        '<td>%s</td>' % mark(violation['status']) if marked else ''))
    parts.append('</tbody></table></div></section>')
    return ''.join(parts)


def _exemptions(result):
    parts = ['<section><h2>Exemptions</h2><h3>Expired exemptions</h3>']
    if result.expired_exemptions:
        parts.append('<p class="warn">These exemptions have expired and no longer apply: renew or remove them.</p>'
                     '<table id="expired"><thead><tr><th>Subscriber</th><th>Rule</th><th>Reason</th><th>Expired</th></tr></thead><tbody>')
        parts.extend('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>'
                     % (esc(item['subscriber']), esc(item['rule']), esc(item['reason']), esc(item['expires']))
                     for item in result.expired_exemptions)
        parts.append('</tbody></table>')
    else:
        parts.append('<p class="muted">None.</p>')
    parts.append('<h3>Applied exemptions</h3>')
    if result.exempted:
        if len(result.exempted) > MAX_ROWS:
            parts.append('<p class="note">The first %s of %s exempted checks; all are in audit-report.json.</p>'
                         % (number(MAX_ROWS), number(len(result.exempted))))
        parts.append('<table id="exempted"><thead><tr><th>Subscriber</th><th>Rule</th><th>Reason</th><th>Expires</th>'
                     '<th>Actual</th></tr></thead><tbody>')
        parts.extend('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>%s</tr>'
                     % (esc(item['subscriber']), esc(item['rule']), esc(item['reason']), esc(item['expires'] or 'never'),
                        value_cell(item.get('actual', ''))) for item in result.exempted[:MAX_ROWS])
        parts.append('</tbody></table>')
    else:
        parts.append('<p class="muted">None.</p>')
    parts.append('</section>')
    return ''.join(parts)


def write(stream, result, fail_on, generated_at):
    summary = result.summary(fail_on)
    by_rule, by_domain = summary['by_rule'], summary['by_domain']
    policy = result.policy
    title = 'Subscriber audit: %s' % policy.name
    stream.write(''.join((
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="%s">' % esc(CONTENT_SECURITY_POLICY),
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<title>%s (%s)</title><style>%s</style></head>\n<body><main>' % (esc(title), esc(result.today.isoformat()), CSS),
        '<header><h1>%s</h1>' % esc(title),
        '<p>%s</p>' % esc(policy.description) if policy.description else '',
        '<p class="muted">Audit date %s \u00b7 generated %s \u00b7 %s \u00b7 %s</p></header>'
        % (esc(result.today.isoformat()), esc(generated_at), plural(summary['subscribers'], 'subscriber'),
           plural(summary['domains'], 'domain')),
        _verdict(summary),
        _changes(result),
        _summary(summary),
        _packs_table(summary),
        '<section><h2>Violations per rule</h2>%s</section>' % _rule_chart(result, by_rule),
        '<section><h2>Violations per domain</h2>%s</section>' % _domain_chart(result, by_domain),
        _rules_table(result, by_rule),
        _violations_table(result),
        _exemptions(result),
        '<footer>netsapiens.pbx audit report \u00b7 machine-readable: audit-report.json, audit-junit.xml, audit-subscribers.csv</footer>',
        '</main><script>%s</script></body></html>\n' % JS,
    )))
