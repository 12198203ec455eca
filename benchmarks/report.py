# Copyright: netsapiens.pbx contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Summaries, the Markdown table and the chart of a benchmark run: results.json, results.md, chart.png.

    python benchmarks/report.py benchmarks/results     # redraw results.md and chart.png from results.json
"""

from __future__ import annotations

import json
import os
import sys

import measure
import targets as targets_module


def requests_text(kinds):
    """'token 1 · count 10 · page 20 = 31'."""
    if not kinds or not kinds.get('total'):
        return 'none'
    parts = ['%s %d' % (kind, count) for kind, count in kinds.items() if kind != 'total']
    return '%s = %d' % (' · '.join(parts), kinds['total'])


def summarise(results):
    """Add median wall/CPU/RSS, the requests of the first run and whether every run made the same requests."""
    for scenario in results['scenarios'].values():
        runs = [run for run in scenario['runs'] if run['check'] == 'ok'] or scenario['runs']
        scenario['median'] = {key: measure.median([run[key] for run in runs]) for key in ('wall', 'cpu', 'rss_mb')}
        scenario['requests'] = scenario['runs'][0]['requests']
        scenario['requests_stable'] = all(run['requests'] == scenario['requests'] for run in scenario['runs'])
        scenario['valid'] = all(run['check'] == 'ok' for run in scenario['runs'])


def _ratio(value, reference):
    return '%.1f' % (value / reference) if value and reference else '–'


def table(results):
    scenarios = results['scenarios']
    naive = scenarios.get('naive_1k')
    lines = ['| scenario | subscribers | runs | wall s | CPU s | peak RSS MB | HTTP requests | floor script\'s requests | '
             '× (floor + trivial) | naive ÷ this |', '|---|---:|---:|---:|---:|---:|---|---|---:|---:|']
    for scenario in scenarios.values():
        median = scenario['median']
        floor = scenarios.get(scenario['floor']) if scenario['floor'] else None
        reference = targets_module.floor_plus_trivial(results, scenario['floor'] or 'floor_' + scenario['layout']) \
            if scenario['kind'] != 'floor' else None
        same_layout_naive = naive and naive['layout'] == scenario['layout'] and scenario['kind'] == 'collection'
        floor_text = '–'
        if floor:
            floor_text = requests_text(floor['requests']) + (' (same)' if floor['requests'] == scenario['requests'] else ' (**differs**)')
        notes = '' if scenario['valid'] else ' ⚠ ' + next(run['check'] for run in scenario['runs'] if run['check'] != 'ok')
        lines.append('| `%s` %s%s | %s | %d | %.2f | %.2f | %.0f | %s | %s | %s | %s |' % (
            scenario['id'], scenario['label'], notes, '{:,}'.format(scenario['runs'][0]['records'] or scenario['subscribers'])
            if scenario['id'] != 'trivial' else '–', len(scenario['runs']), median['wall'], median['cpu'], median['rss_mb'],
            requests_text(scenario['requests']) + ('' if scenario['requests_stable'] else ' (varies)'), floor_text,
            _ratio(median['wall'], reference), _ratio(naive['median']['wall'], median['wall']) if same_layout_naive else '–'))
    return lines


def markdown(results, evaluated):
    meta = results['meta']
    layouts = ', '.join('%s: %s subscribers in %d domains (users_per_domain=%d%s%s)' % (
        name, '{:,}'.format(layout['subscribers']), len(layout['domains']), layout['switches']['users_per_domain'],
        ', one device, answer rule and DID per user' if layout['switches'].get('one_object_per_user') else '',
        ', %d ms latency' % layout['switches']['latency_ms'] if layout['switches'].get('latency_ms', meta['latency_ms']) != meta['latency_ms']
        else '') for name, layout in results['layouts'].items())
    probe = ('collection run with NETSAPIENS_API_VERSION=v2, the floor script does not probe'
             if meta['api_version'] == 'v2' else 'api_version auto: the collection and the floor script both probe /ns-api/v2/version once')
    lines = ['# netsapiens.pbx benchmark%s' % (' (quick smoke run: small layouts, not the real figures)' if meta['quick'] else ''), '',
             'Run `make bench` (benchmarks/run.py). %s, commit %s%s, Python %s, ansible-core %s, requests %s, %s CPUs (%s).' % (
                 meta['date'], meta.get('commit') or '?', ' with uncommitted changes in plugins/, roles/ or playbooks/'
                 if meta.get('uncommitted_changes') else '', meta['python'], meta['ansible_core'], meta['requests'], meta['cpus'],
                 meta['cpu'] or meta['platform']),
             'Emulator latency %d ms per request; %s. Layouts: %s. Medians of %d runs (1 run: naive, 50k, msp_large, the '
             'sequential floor, the max_concurrency sweep and the in-flight limit).' % (
                 meta['latency_ms'], probe, layouts, meta['runs']), '',
             'Wall and CPU seconds and peak RSS are of the whole process tree (os.wait4); HTTP requests are counted by the emulator, '
             'reset before each run. "× (floor + trivial)" divides the wall time by its floor script\'s (whose requests are in the '
             'column before) plus the trivial playbook\'s.', '']
    if meta.get('parts'):
        lines.extend(['Measured by %d runs of benchmarks/run.py at the same time on the same code, joined by benchmarks/merge.py: %s.'
                      % (len(meta['parts']), '; '.join('%s (started %s, medians of %d): %s' % (
                          part['folder'], part['date'], part['runs'], ', '.join(part['scenarios'])) for part in meta['parts'])), ''])
    if meta.get('code_changed_during_run'):
        lines.extend(['**Warning: plugins/, roles/ or playbooks/ changed during this run; the figures mix two versions of the code.**', ''])
    loads = [run['load_1min'] for scenario in results['scenarios'].values() for run in scenario['runs'] if 'load_1min' in run]
    if loads:
        lines.extend(['Load average (1 min) right after each run: %.1f to %.1f, median %.1f, on %s CPUs: other work on the machine '
                      'shares the CPUs with the runs; compare figures within this run only.' % (
                          min(loads), max(loads), measure.median(loads), meta['cpus']), ''])
    lines.extend(table(results))
    lines.extend(['', '## Targets', '', '| status | target | limit | measured |', '|---|---|---|---|'])
    lines.extend('| %s | %s | %s | %s |' % (t['status'], t['name'], t['limit'], t['measured']) for t in evaluated)
    lines.extend(['', '![chart](chart.png)', ''])
    if concurrency_points(results):
        lines.extend(['![wall time against max_concurrency](concurrency.png)', ''])
    return '\n'.join(lines)


def _chart_name(scenario):
    if scenario['id'] == 'trivial':
        return 'trivial'
    records = scenario['runs'][0]['records']
    if records and records != scenario['subscribers']:
        return '%s (%s of %s)' % (scenario['id'], '{:,}'.format(records), '{:,}'.format(scenario['subscribers']))
    return '%s (%s)' % (scenario['id'], '{:,}'.format(scenario['subscribers']))


def chart(results, path):
    import matplotlib  # pylint: disable=import-outside-toplevel
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt  # pylint: disable=import-outside-toplevel

    from matplotlib.patches import Patch  # pylint: disable=import-outside-toplevel

    scenarios = list(results['scenarios'].values())[::-1]
    names = [_chart_name(s) for s in scenarios]
    rows = range(len(scenarios))
    colours = {'floor': '#8c8c8c', 'naive': '#d62728', 'collection': '#1f77b4'}
    figure, (wall, http, memory) = plt.subplots(1, 3, figsize=(17, 0.42 * len(scenarios) + 2.2), sharey=True,
                                                gridspec_kw={'width_ratios': [1.5, 1, 1]})
    wall.barh(rows, [s['median']['wall'] for s in scenarios], color=[colours[s['kind']] for s in scenarios])
    wall.barh(rows, [s['median']['cpu'] for s in scenarios], height=0.3, color='#ff9f1c')
    for row, scenario in zip(rows, scenarios):
        wall.text(scenario['median']['wall'] * 1.08, row, '%.2f s' % scenario['median']['wall'], va='center', fontsize=8)
    wall.set_xscale('log')
    wall.set_xlim(right=max(s['median']['wall'] for s in scenarios) * 3)
    wall.set_xlabel('seconds, median (log scale)')
    wall.set_title('Wall (bar) and CPU (orange) time, %d ms per request' % results['meta']['latency_ms'])
    wall.set_yticks(list(rows), names, fontsize=9)
    wall.legend(handles=[Patch(color=colours['collection'], label='netsapiens.pbx (wall)'), Patch(color=colours['naive'], label='naive uri (wall)'),
                         Patch(color=colours['floor'], label='floor / Ansible start-up (wall)'), Patch(color='#ff9f1c', label='CPU')],
                loc='lower right', fontsize=8)
    nothing = float('nan')
    http.barh([row + 0.2 for row in rows], [s['requests'].get('total') or nothing for s in scenarios], height=0.4,
              color=[colours[s['kind']] for s in scenarios], label='scenario')
    floors = [results['scenarios'][s['floor']]['requests']['total'] if s['floor'] in results['scenarios'] else nothing for s in scenarios]
    http.barh([row - 0.2 for row in rows], floors, height=0.4, color='#c7c7c7', label="its floor script")
    for row, scenario in zip(rows, scenarios):
        if scenario['requests'].get('total'):
            http.text(scenario['requests']['total'] * 1.08, row + 0.2, str(scenario['requests']['total']), va='center', fontsize=8)
    http.set_xscale('log')
    http.set_xlim(1, max(s['requests'].get('total', 0) for s in scenarios) * 3)
    http.set_xlabel('HTTP requests (log scale)')
    http.set_title('HTTP requests vs the floor script')
    http.legend(loc='lower right', fontsize=8)
    memory.barh(rows, [s['median']['rss_mb'] for s in scenarios], color=[colours[s['kind']] for s in scenarios])
    memory.axvline(targets_module.RSS_LIMIT_MB, color='#d62728', linestyle='--', linewidth=1)
    for row, scenario in zip(rows, scenarios):
        memory.text(scenario['median']['rss_mb'] + 8, row, '%.0f' % scenario['median']['rss_mb'], va='center', fontsize=8)
    memory.set_xlim(0, max(s['median']['rss_mb'] for s in scenarios) * 1.15)
    memory.set_xlabel('peak RSS, MB (largest process)')
    memory.set_title('Peak memory (target < %d MB at 50k)' % targets_module.RSS_LIMIT_MB)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def concurrency_points(results):
    """{'collection': [(max_concurrency, wall)], 'floor': [...]} of the msp audit and its floor at each level measured."""
    scenarios = results['scenarios']
    series = {'collection': {8: 'audit_msp', 1: 'audit_msp_c1'}, 'floor': {8: 'floor_msp', 1: 'floor_msp_sequential'}}
    for level in (2, 4, 16, 32):
        series['collection'][level], series['floor'][level] = 'audit_msp_c%d' % level, 'floor_msp_c%d' % level
    points = dict((name, sorted((level, scenarios[ident]['median']['wall']) for level, ident in idents.items() if ident in scenarios))
                  for name, idents in series.items())
    return points if len(points['collection']) > 1 else None


def concurrency_chart(results, path):
    """Wall time of the msp audit against max_concurrency, beside the floor script's at the same concurrency."""
    import matplotlib  # pylint: disable=import-outside-toplevel
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt  # pylint: disable=import-outside-toplevel

    points = concurrency_points(results)
    trivial = results['scenarios'].get('trivial')
    figure, axes = plt.subplots(figsize=(9, 5.5))
    styles = {'collection': ('#1f77b4', 'o', 'audit role, baseline + compliance packs'),
              'floor': ('#8c8c8c', 's', 'floor script, same requests (1: the sequential script)')}
    for name, series in points.items():
        colour, marker, label = styles[name]
        axes.plot([level for level, _wall in series], [wall for _level, wall in series], color=colour, marker=marker, label=label)
        for level, wall in series:
            # The audit's figures above its points, the floor's below, so that they stay apart where the lines meet.
            axes.annotate('%.1f s' % wall, (level, wall), textcoords='offset points', xytext=(6, 6 if name == 'collection' else -12),
                          fontsize=8, color=colour)
    if trivial and points['floor']:
        axes.plot([level for level, _wall in points['floor']], [wall + trivial['median']['wall'] for _level, wall in points['floor']],
                  color='#8c8c8c', linestyle='--', linewidth=1, label='floor + trivial playbook (Ansible start-up)')
    axes.set_xscale('log', base=2)
    axes.set_yscale('log')
    axes.set_xticks([1, 2, 4, 8, 16, 32], ['1', '2', '4', '8', '16', '32'])
    axes.set_xlabel('max_concurrency (requests in flight at once)')
    axes.set_ylabel('wall seconds (log scale)')
    layout = results['layouts'].get('msp', {})
    axes.set_title('msp audit: %s subscribers in %d domains, %d ms per request' % (
        '{:,}'.format(layout.get('subscribers', 0)), len(layout.get('domains', {})), layout.get('switches', {}).get('latency_ms', 0)))
    axes.grid(True, which='both', alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write(results, out):
    """Summarise, evaluate the targets and write results.json, results.md and chart.png into out; return the targets."""
    summarise(results)
    evaluated = targets_module.evaluate(results)
    results['targets'] = evaluated
    with open(os.path.join(out, 'results.json'), 'w', encoding='utf-8') as handle:
        json.dump(results, handle, indent=1)
        handle.write('\n')
    with open(os.path.join(out, 'results.md'), 'w', encoding='utf-8') as handle:
        handle.write(markdown(results, evaluated))
    chart(results, os.path.join(out, 'chart.png'))
    if concurrency_points(results):
        concurrency_chart(results, os.path.join(out, 'concurrency.png'))
    return evaluated


def main(argv):
    out = argv[0] if argv else os.path.join(os.path.dirname(os.path.abspath(__file__)), 'results')
    with open(os.path.join(out, 'results.json'), encoding='utf-8') as handle:
        results = json.load(handle)
    for target in write(results, out):
        print('%-4s %s: %s' % (target['status'], target['name'], target['measured']))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
