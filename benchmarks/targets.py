# Copyright: netsapiens.pbx contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark's targets (time against the floor and the naive playbook, requests, memory, growth), evaluated on one
run's results (every ratio from measurements of the same run)."""

from __future__ import annotations

PAGE = 1000


def pages_for(total):
    """Page requests for `total` records: each page after the first starts at the last record of the one before."""
    return 0 if total <= 0 else 1 + max(0, -(-(total - PAGE) // (PAGE - 1)))


RSS_LIMIT_MB = 300.0


def floor_reference(results, layout):
    """Median wall seconds of the floor script of the layout plus the trivial playbook, or None."""
    scenarios = results['scenarios']
    floor, trivial = scenarios.get('floor_' + layout), scenarios.get('trivial')
    if not floor or not trivial:
        return None
    return floor['median']['wall'] + trivial['median']['wall']


def _target(name, limit, measured, passed):
    return {'name': name, 'limit': limit, 'measured': measured, 'status': 'SKIP' if passed is None else ('PASS' if passed else 'FAIL')}


def _ratio_target(results, name, ident, layout, limit):
    scenario, reference = results['scenarios'].get(ident), floor_reference(results, layout)
    if not scenario or not reference:
        return _target(name, '<= %gx' % limit, 'not measured', None)
    ratio = scenario['median']['wall'] / reference
    return _target(name, '<= %gx' % limit, '%.2fx (%.2f s vs %.2f s)' % (ratio, scenario['median']['wall'], reference), ratio <= limit)


def same_requests(results):
    mismatches, compared = [], 0
    for scenario in results['scenarios'].values():
        if scenario['kind'] != 'collection' or scenario['floor'] not in results['scenarios']:
            continue
        compared += 1
        floor = results['scenarios'][scenario['floor']]
        if not scenario['requests_stable'] or scenario['requests'] != floor['requests']:
            mismatches.append('%s %s vs %s' % (scenario['id'], _short(scenario['requests']), _short(floor['requests'])))
    measured = ('%d scenarios equal' % compared) if not mismatches else 'differ: ' + '; '.join(mismatches)
    return _target("HTTP requests equal the floor script's, every scenario", 'equal', measured, None if not compared else not mismatches)


def _short(kinds):
    return ', '.join('%s %d' % item for item in kinds.items())


def naive_speedup(results):
    naive, audit = results['scenarios'].get('naive_1k'), results['scenarios'].get('audit_1k')
    if not naive or not audit:
        return _target('audit at least 100x faster than the naive uri playbook (1,000 users)', '>= 100x', 'not measured', None)
    ratio = naive['median']['wall'] / audit['median']['wall']
    return _target('audit at least 100x faster than the naive uri playbook ({:,} users)'.format(naive['runs'][0]['records']), '>= 100x',
                   '%.0fx (%.1f s vs %.2f s)' % (ratio, naive['median']['wall'], audit['median']['wall']), ratio >= 100)


def lookup_requests(results):
    name = 'lookup of 1,000 terms: <= 1 token request, reads <= one per domain page'
    lookup = results['scenarios'].get('lookup_1000')
    if not lookup:
        return _target(name, '', 'not measured', None)
    counts = results['layouts'][lookup['layout']]['domains']
    pages = sum(pages_for(count) for count in counts.values())
    kinds = lookup['requests']
    reads = sum(kinds.get(kind, 0) for kind in ('page', 'user', 'v1 read'))
    tokens = kinds.get('token', 0)
    measured = '%d token, %d reads (%d pages in %d domains), %d counts' % (tokens, reads, pages, len(counts), kinds.get('count', 0))
    return _target(name, 'token <= 1, reads <= %d' % pages, measured, tokens <= 1 and reads <= pages)


def peak_memory(results):
    audit = results['scenarios'].get('audit_50k')
    name = 'audit peak RSS under %d MB at 50,000 subscribers' % RSS_LIMIT_MB
    if not audit:
        return _target(name, '< %d MB' % RSS_LIMIT_MB, 'not measured', None)
    rss = audit['median']['rss_mb']
    return _target(name, '< %d MB' % RSS_LIMIT_MB, '%.0f MB ({:,} subscribers)'.format(audit['subscribers']) % rss, rss < RSS_LIMIT_MB)


def linear_growth(results):
    small, large = results['scenarios'].get('audit_1k'), results['scenarios'].get('audit_10k')
    name = 'time grows linearly: audit 10k / audit 1k wall <= 12'
    if not small or not large:
        return _target(name, '<= 12', 'not measured', None)
    ratio = large['median']['wall'] / small['median']['wall']
    return _target(name, '<= 12', '%.2f (%.2f s vs %.2f s)' % (ratio, large['median']['wall'], small['median']['wall']), ratio <= 12)


def policy_evaluation(results):
    measured = results.get('evaluation')
    name = 'policy evaluation alone: 10,000 records x 20 rules under one second (benchmarks/evaluation.py)'
    if not measured:
        return _target(name, '< 1 s', 'not measured', None)
    return _target(name, '< 1 s', '%.3f s median of %d runs (%d checks, %d violations)'
                   % (measured['median_s'], measured['runs'], measured['checks'], measured['violations']), measured['median_s'] < 1)


def drift_diff(results):
    measured = results.get('drift')
    name = ('drift: the diff of two 10,000-subscriber snapshots, the snapshot written and a baseline compared add under one second '
            'to the audit (benchmarks/drift.py)')
    if not measured:
        return _target(name, '< 1 s', 'not measured', None)
    return _target(name, '< 1 s', '%.3f s median of %d runs, the diff alone %.3f s (%d records added, %d removed, %d changed)' % (
        measured['added_median_s'], measured['runs'], measured['median_s'], measured['changes']['added'], measured['changes']['removed'],
        measured['changes']['changed']), measured['added_median_s'] < 1)


def evaluate(results):
    return [
        policy_evaluation(results),
        drift_diff(results),
        same_requests(results),
        _ratio_target(results, 'audit of 10,000 subscribers within 2x of floor + trivial playbook', 'audit_10k', '10k', 2),
        _ratio_target(results, 'subscriber_info returning 10,000 records within 3x of floor + trivial playbook', 'subscriber_info_10k', '10k', 3),
        naive_speedup(results),
        lookup_requests(results),
        peak_memory(results),
        linear_growth(results),
    ]
