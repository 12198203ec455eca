# -*- coding: utf-8 -*-
# Copyright: netsapiens.pbx contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Join the results of several benchmarks/run.py runs of the same code (each with --only, its own --out and --logs, run
at the same time) into one report: results.json, results.md and the charts, with every target evaluated.

    python benchmarks/merge.py --out benchmarks/results .build/bench-a .build/bench-b

The scenarios of each part are kept as measured; the pure-Python measurements (evaluation, drift) come from the last
part. Parts must measure the same code (commit and code digest) and no scenario twice."""

from __future__ import annotations

import argparse
import json
import os
import sys

import cases
import report

PURE_PYTHON = ('evaluation', 'drift', 'evaluation_packs')


def load(folder):
    with open(os.path.join(folder, 'results.json'), encoding='utf-8') as handle:
        return json.load(handle)


def merge(parts):
    """(one results dict of every part, in the scenarios' and layouts' usual order) or exit with the reason."""
    first = parts[0][1]
    code = (first['meta'].get('commit'), first['meta'].get('code_digest'))
    scenarios, layouts, merged = {}, {}, dict(first, meta=dict(first['meta'], parts=[]))
    for folder, part in parts:
        meta = part['meta']
        if (meta.get('commit'), meta.get('code_digest')) != code:
            sys.exit('merge.py: %s measured commit %s (code %s), not %s (code %s)' % (folder, meta.get('commit'),
                                                                                      meta.get('code_digest'), *code))
        twice = set(scenarios) & set(part['scenarios'])
        if twice:
            sys.exit('merge.py: %s measured %s again' % (folder, ', '.join(sorted(twice))))
        scenarios.update(part['scenarios'])
        layouts.update(part['layouts'])
        for name in PURE_PYTHON:
            if part.get(name):
                merged[name] = part[name]
        merged['meta']['parts'].append({'folder': os.path.basename(os.path.normpath(folder)), 'date': meta['date'],
                                        'runs': meta['runs'], 'scenarios': sorted(part['scenarios'])})
        merged['meta']['code_changed_during_run'] = merged['meta'].get('code_changed_during_run') or meta.get('code_changed_during_run')
    order = [scenario.ident for scenario in cases.scenarios()]
    merged['scenarios'] = dict((ident, scenarios[ident]) for ident in sorted(scenarios, key=lambda ident: order.index(ident)
                                                                             if ident in order else len(order)))
    merged['layouts'] = dict((name, layouts[name]) for name in list(cases.LAYOUTS) + sorted(set(layouts) - set(cases.LAYOUTS))
                             if name in layouts)
    merged.pop('targets', None)
    return merged


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', required=True, help='folder of the joined report')
    parser.add_argument('parts', nargs='+', help='results folders of the runs to join')
    args = parser.parse_args(argv)
    merged = merge([(folder, load(folder)) for folder in args.parts])
    os.makedirs(args.out, exist_ok=True)
    for target in report.write(merged, args.out):
        print('%-4s %s: %s' % (target['status'], target['name'], target['measured']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
