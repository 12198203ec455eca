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
MSP_RSS_LIMIT_MB = 400.0
# The throttle (plugins/module_utils/_throttle.py): answers per place before one more, and how many times as many beyond
# the ceiling a 429 set.
GROW_AFTER, PROBE_AFTER = 4, 16


def floor_reference(results, layout):
    """Median wall seconds of the floor script of the layout plus the trivial playbook, or None."""
    return floor_plus_trivial(results, 'floor_' + layout)


def floor_plus_trivial(results, floor_id):
    """Median wall seconds of that floor scenario plus the trivial playbook, or None."""
    scenarios = results['scenarios']
    floor, trivial = scenarios.get(floor_id), scenarios.get('trivial')
    if not floor or not trivial:
        return None
    return floor['median']['wall'] + trivial['median']['wall']


def _target(name, limit, measured, passed):
    return {'name': name, 'limit': limit, 'measured': measured, 'status': 'SKIP' if passed is None else ('PASS' if passed else 'FAIL')}


def _ratio_target(results, name, ident, layout, limit):
    """The scenario's median wall time within `limit` times the layout's floor reference."""
    return _within(name, results['scenarios'].get(ident), floor_reference(results, layout), limit)


def _floor_target(results, name, ident, floor_id, limit):
    """The scenario's median wall time within `limit` times its floor's plus the trivial playbook's."""
    return _within(name, results['scenarios'].get(ident), floor_plus_trivial(results, floor_id), limit)


def _within(name, scenario, reference, limit):
    if not scenario or not reference:
        return _target(name, '<= %gx' % limit, 'not measured', None)
    ratio = scenario['median']['wall'] / reference
    return _target(name, '<= %gx' % limit, '%.2fx (%.2f s vs %.2f s)' % (ratio, scenario['median']['wall'], reference), ratio <= limit)


def _rss_target(results, name, ident, limit):
    scenario = results['scenarios'].get(ident)
    if not scenario:
        return _target(name, '< %d MB' % limit, 'not measured', None)
    rss = scenario['median']['rss_mb']
    return _target(name, '< %d MB' % limit, '%.0f MB ({:,} subscribers)'.format(scenario['subscribers']) % rss, rss < limit)


def sequential_speedup(results):
    name = 'msp audit at max_concurrency 8 at least 6x faster than the sequential floor script'
    audit, sequential = results['scenarios'].get('audit_msp'), results['scenarios'].get('floor_msp_sequential')
    if not audit or not sequential:
        return _target(name, '>= 6x', 'not measured', None)
    ratio = sequential['median']['wall'] / audit['median']['wall']
    return _target(name, '>= 6x', '%.1fx (%.1f s vs %.1f s)' % (ratio, sequential['median']['wall'], audit['median']['wall']), ratio >= 6)


def peak_in_flight(results):
    """Every run of a scenario with a max_concurrency: the emulator never saw more requests at once."""
    name = 'peak requests in flight (emulator) <= max_concurrency, every scenario that sets it (msp, msp_large)'
    checked = [scenario for scenario in results['scenarios'].values() if scenario.get('concurrency')]
    over = ['%s: %d > %d' % (scenario['id'], run['peak_in_flight'], scenario['concurrency']) for scenario in checked
            for run in scenario['runs'] if run.get('peak_in_flight', 0) > scenario['concurrency']]
    peaks = ', '.join('%d at %d' % (max(run.get('peak_in_flight', 0) for run in scenario['runs']), scenario['concurrency'])
                      for scenario in checked)
    return _target(name, '<= max_concurrency', ('over: ' + '; '.join(over)) if over else 'peaks ' + peaks, None if not checked else not over)


def identical_results(results):
    """The audit report of every msp run (every max_concurrency, and under max_in_flight 4) is the same. Digests that
    hashed the server's address too (runs before DIGEST_LEAVES_OUT was recorded) compare only within their part of a
    merged run, whose runs share one emulator."""
    name = 'msp audit: the same report at every max_concurrency and against a server that allows 4 at once'
    part_of = dict((ident, part['folder']) for part in results['meta'].get('parts', []) for ident in part['scenarios'])
    digests = {}
    for scenario in results['scenarios'].values():
        if scenario['layout'] != 'msp' or not any('digest' in run for run in scenario['runs']):
            continue
        digests[scenario['id']] = set((None if 'digest_leaves_out' in run else part_of.get(scenario['id']), run.get('digest'))
                                      for run in scenario['runs'])
    if not digests:
        return _target(name, 'identical', 'not measured', None)
    seen = set().union(*digests.values())
    groups = dict((part, set(digest for where, digest in seen if where == part)) for part, _digest in seen)
    same = None not in set(digest for _part, digest in seen) and all(len(found) == 1 for found in groups.values())
    if same:
        measured = '%d scenarios, one report' % len(digests)
        if len(groups) > 1:
            measured += ' within each of %s (each against its own emulator, whose address its digests include)' % ', '.join(
                sorted(str(part) for part in groups))
    else:
        measured = 'differ: ' + '; '.join('%s %s' % (ident, ', '.join(sorted(str(digest) for _part, digest in found)))
                                          for ident, found in digests.items())
    return _target(name, 'identical', measured, same)


def in_flight_limit(results):
    """max_concurrency 16 against a server that refuses more than 4 at once: done, right, and few 429s."""
    name = 'msp audit, max_concurrency 16, server allows 4 at once (429 + Retry-After): completes, 429s bounded'
    scenario = results['scenarios'].get('audit_msp_inflight4')
    if not scenario:
        return _target(name, '', 'not measured', None)
    run = scenario['runs'][0]
    refused, total = run['refused_in_flight'], run['requests']['total']
    # The first burst (16, then 8 places for 4), then one refusal per probe beyond the ceiling.
    bound = (16 - 4) + (8 - 4) + total // (GROW_AFTER * 4 * PROBE_AFTER)
    measured = '%s; %d requests, %d answered 429 (bound %d), %.1f s' % (run['check'], total, refused, bound, run['wall'])
    return _target(name, '429s <= %d' % bound, measured, run['check'] == 'ok' and refused <= bound)


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


def _under_one_second(results, key, name, seconds_key, describe):
    """A pure-Python measurement (results[key]) whose median (measured[seconds_key]) is under one second; describe(measured):
    the measured column."""
    measured = results.get(key)
    if not measured:
        return _target(name, '< 1 s', 'not measured', None)
    return _target(name, '< 1 s', describe(measured), measured[seconds_key] < 1)


def policy_evaluation(results):
    return _under_one_second(
        results, 'evaluation', 'policy evaluation alone: 10,000 records x 20 rules under one second (benchmarks/evaluation.py)',
        'median_s', lambda measured: '%.3f s median of %d runs (%d checks, %d violations)' % (
            measured['median_s'], measured['runs'], measured['checks'], measured['violations']))


def drift_diff(results):
    return _under_one_second(
        results, 'drift', 'drift: the diff of two 10,000-subscriber snapshots, the snapshot written and a baseline compared add under '
                          'one second to the audit (benchmarks/drift.py)',
        'added_median_s', lambda measured: '%.3f s median of %d runs, the diff alone %.3f s (%d records added, %d removed, %d changed)' % (
            measured['added_median_s'], measured['runs'], measured['median_s'], measured['changes']['added'],
            measured['changes']['removed'], measured['changes']['changed']))


def packs_evaluation(results):
    return _under_one_second(
        results, 'evaluation_packs', 'policy evaluation alone with the compliance packs: 10,000 subscribers with their devices and '
                                     'answer rules, facts included, under one second (benchmarks/evaluation.py --packs)',
        'median_s', lambda measured: '%.3f s median of %d runs (facts %.3f s, rules %.3f s; %d subscribers, %d devices, %d answer rules, '
                                     '%d violations)' % (measured['median_s'], measured['runs'], measured['facts_median_s'],
                                                         measured['rules_median_s'], measured['records'], measured['devices'],
                                                         measured['answerrules'], measured['violations']))


def service_provider_targets(results):
    """The targets of issues 14 (packs at 10,000 subscribers) and 16 (service-provider scale, inventory fields)."""
    return [
        packs_evaluation(results),
        _floor_target(results, 'audit with the three compliance packs, 10,000 subscribers, within 2x of its floor + trivial playbook',
                      'audit_packs_10k', 'floor_packs_10k', 2),
        _floor_target(results, 'msp audit (300 domains x 20 users, 100 ms) within 1.5x of the concurrent floor + trivial playbook',
                      'audit_msp', 'floor_msp', 1.5),
        sequential_speedup(results),
        peak_in_flight(results),
        _floor_target(results, 'subscriber_info with domain: all on msp within 2x of its floor + trivial playbook',
                      'subscriber_info_msp', 'floor_msp_subscribers', 2),
        identical_results(results),
        in_flight_limit(results),
        _rss_target(results, 'msp_large audit (50,000 subscribers in 1,000 domains, devices, answer rules) peak RSS under 400 MB',
                    'audit_msp_large', MSP_RSS_LIMIT_MB),
        _rss_target(results, 'inventory --list of 10,000 subscribers keeping 10 fields: peak RSS under 300 MB', 'inventory_fields_10k',
                    RSS_LIMIT_MB),
        _floor_target(results, 'inventory --list of 10,000 subscribers keeping 10 fields within 4x of floor + trivial playbook',
                      'inventory_fields_10k', 'floor_10k', 4),
    ]


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
    ] + service_provider_targets(results)
