# Copyright: netsapiens.pbx contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark netsapiens.pbx against the NetSapiens emulator with injected latency (`make bench`).

Starts the emulator once per layout (10 domains of about 1,000, 10,000 and 50,000 subscribers in all; msp: 300
domains of 20 users 100 ms away, msp_large: 1,000 domains of 50 users, both with one device, answer rule and DID per
user), runs every scenario of benchmarks/cases.py several times (repetitions interleaved, so drift hits all
scenarios alike), zeroes the emulator's request statistics before each run and keeps them per run (requests by kind,
the peak in flight, the 429s), then writes results.json, results.md, chart.png and concurrency.png (the msp audit's
wall time against max_concurrency, beside the floor's; benchmarks/report.py) and prints the targets. The whole run
takes about three hours, most of it the msp audit and its floor at 1 and 2 requests at once (about 28 and 14 minutes each).

    python benchmarks/run.py [--quick] [--runs 3] [--latency-ms 20] [--api-version v2|auto] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from netsapiens_emulator import auth as emulator_auth
from netsapiens_emulator.config import DEFAULTS as EMULATOR_DEFAULTS
from netsapiens_emulator.process import Emulator

import cases
import measure
import report

LOGS = os.path.join(cases.ROOT, '.build', 'bench-logs')


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true', help='smoke run: small layouts, 20 naive users, one run each')
    parser.add_argument('--runs', type=int, help='repetitions of each scenario (default 3; 1 with --quick); naive and 50k run once')
    parser.add_argument('--latency-ms', type=int, default=20, help='latency the emulator adds to every request (default 20)')
    parser.add_argument('--api-version', choices=('v2', 'auto'), default='v2',
                        help='v2: NETSAPIENS_API_VERSION=v2 and the floor does not probe; auto: both probe /ns-api/v2/version')
    parser.add_argument('--naive-users', type=int, help='users the naive playbook reads (default 1000; 20 with --quick)')
    parser.add_argument('--out', help='results folder (default benchmarks/results; .build/bench-quick with --quick)')
    parser.add_argument('--only', help='comma-separated scenario ids to run (see benchmarks/cases.py); results go to .build/bench-partial')
    parser.add_argument('--logs', default=LOGS, help='folder of the runs\' logs, emptied first (default .build/bench-logs); give '
                        'each of several runs at once its own (benchmarks/merge.py joins their results)')
    parser.add_argument('--strict', action='store_true', help='exit with status 1 when a target fails (always when a run breaks)')
    args = parser.parse_args(argv)
    args.runs = args.runs or (1 if args.quick else 3)
    args.naive_users = args.naive_users or (20 if args.quick else 1000)
    if not args.out:
        partial = 'bench-quick' if args.quick else ('bench-partial' if args.only else None)
        args.out = os.path.join(cases.ROOT, '.build', partial) if partial else os.path.join(cases.HERE, 'results')
    return args


def base_environment(tmp, url, args):
    """The environment of every command: only our ANSIBLE_* and NETSAPIENS_* settings, temp files in tmp."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(('ANSIBLE_', 'NETSAPIENS_'))}
    bindir = os.path.dirname(sys.executable)
    env.update(
        PATH=bindir + os.pathsep + env.get('PATH', ''), ANSIBLE_COLLECTIONS_PATH=os.path.join(tmp, 'collections'),
        ANSIBLE_HOME=os.path.join(tmp, 'ansible-home'), ANSIBLE_LOCAL_TEMP=os.path.join(tmp, 'tmp-local'),
        ANSIBLE_REMOTE_TMP=os.path.join(tmp, 'tmp-remote'), ANSIBLE_NOCOLOR='1', ANSIBLE_RETRY_FILES_ENABLED='0',
        ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0', ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED='1',
        NETSAPIENS_API_URL=url, NETSAPIENS_CLIENT_ID=emulator_auth.CLIENT_ID, NETSAPIENS_CLIENT_SECRET=emulator_auth.CLIENT_SECRET,
        NETSAPIENS_USERNAME=emulator_auth.RESELLER_USER, NETSAPIENS_PASSWORD=emulator_auth.RESELLER_PASSWORD,
    )
    if args.api_version != 'auto':
        env['NETSAPIENS_API_VERSION'] = args.api_version
    return env


def link_collection(tmp):
    """tmp/collections/ansible_collections/netsapiens/pbx -> the repository root."""
    parent = os.path.join(tmp, 'collections', 'ansible_collections', 'netsapiens')
    os.makedirs(parent)
    os.symlink(cases.ROOT, os.path.join(parent, 'pbx'))


def run_once(scenario, ctx, emulator, env, number):
    """One measured run of a scenario: timings, request kinds and whether its output is right."""
    argv, expected = scenario.build(ctx)
    if scenario.emulator:
        emulator.configure(**scenario.emulator)
    emulator.reset()
    log_path = os.path.join(ctx['logs'], '%s-%d.log' % (scenario.ident, number))
    try:
        result = measure.run_measured(argv, dict(env, **scenario.env()), cases.ROOT, log_path)
        stats = measure.settled_stats(emulator)
    finally:
        if scenario.emulator:
            emulator.configure(**dict((name, EMULATOR_DEFAULTS[name]) for name in scenario.emulator))
    result['requests'] = measure.request_kinds(stats)
    result['peak_in_flight'], result['refused_in_flight'] = stats['max_in_flight'], stats['refused_in_flight']
    if scenario.digest:
        result['digest'], result['digest_leaves_out'] = scenario.digest(ctx), list(cases.DIGEST_LEAVES_OUT)
    with open(log_path, encoding='utf-8', errors='replace') as handle:
        produced = scenario.count(handle.read(), ctx)
    problems = []
    if result['rc'] != 0:
        problems.append('exit status %d' % result['rc'])
    if expected is not None and produced != expected:
        problems.append('produced %s records, expected %d' % (produced, expected))
    result['check'] = '; '.join(problems) or 'ok'
    result['records'] = produced
    result['load_1min'] = round(os.getloadavg()[0], 2)
    print('  %-20s run %d: %7.2f s wall %7.2f s CPU %6.1f MB  %-60s %s' % (
        scenario.ident, number, result['wall'], result['cpu'], result['rss_mb'], report.requests_text(result['requests']),
        result['check'] if problems else ''), flush=True)
    if problems:
        print('    see %s' % log_path, flush=True)
    return result


def run_layout(name, switches, selected, args, tmp, results):
    """Start an emulator with this layout and run its scenarios, repetitions interleaved."""
    started = time.monotonic()
    switches = dict({'latency_ms': args.latency_ms}, **switches)
    with Emulator(startup_timeout=600, **switches) as emulator:
        startup = time.monotonic() - started
        counts = emulator.domains()
        domains = sorted(counts)
        ctx = {'domains': domains, 'total': sum(counts.values()), 'users_per_domain': switches['users_per_domain'],
               'naive_users': args.naive_users, 'probe': args.api_version == 'auto', 'python': sys.executable,
               'bin': os.path.dirname(sys.executable) + os.sep, 'tmp': tmp, 'logs': args.logs}
        results['layouts'][name] = {'switches': switches, 'domains': counts, 'subscribers': ctx['total'],
                                    'emulator_startup_s': round(startup, 2)}
        print('layout %s: %d subscribers in %d domains (emulator ready in %.1f s)' % (name, ctx['total'], len(domains), startup), flush=True)
        env = base_environment(tmp, emulator.url, args)
        env['BENCH_DOMAINS'] = ','.join(domains)
        # One untimed floor run: every page of the layout is served once before anything is measured.
        measure.run_measured(cases.floor(ctx)[0], env, cases.ROOT, os.path.join(args.logs, 'warm-up-%s.log' % name))
        runs = {scenario.ident: scenario.runs or args.runs for scenario in selected}
        for number in range(1, max(runs.values()) + 1):
            for scenario in selected:
                if number <= runs[scenario.ident]:
                    entry = results['scenarios'].setdefault(scenario.ident, new_entry(scenario, ctx['total']))
                    entry['runs'].append(run_once(scenario, ctx, emulator, env, number))


def new_entry(scenario, total):
    return {'id': scenario.ident, 'label': scenario.label, 'layout': scenario.layout, 'kind': scenario.kind, 'floor': scenario.floor,
            'subscribers': total, 'concurrency': scenario.concurrency, 'runs': []}


def warm_up(args, tmp):
    """One untimed trivial run and one subscriber_info run, so that no measured run pays for cold caches."""
    with Emulator(domains=2, users_per_domain=10) as emulator:
        env = base_environment(tmp, emulator.url, args)
        ctx = {'domains': sorted(emulator.domains()), 'total': 0, 'bin': os.path.dirname(sys.executable) + os.sep, 'tmp': tmp}
        for build in (cases.trivial, cases.subscriber_info):
            measure.run_measured(build(ctx)[0], env, cases.ROOT, os.path.join(args.logs, 'warm-up.log'))


def code_state():
    """(commit, whether the measured code differs from it, digest of the measured code): plugins/, roles/ and playbooks/."""
    measured = ('plugins', 'roles', 'playbooks')
    digest = hashlib.sha256()
    for top in measured:
        for folder, dirs, files in sorted(os.walk(os.path.join(cases.ROOT, top))):
            dirs[:] = sorted(name for name in dirs if name != '__pycache__')
            for name in sorted(files):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, cases.ROOT).encode('utf-8'))
                with open(path, 'rb') as handle:
                    digest.update(handle.read())

    def git(*words):
        done = subprocess.run(['git', *words], cwd=cases.ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ''
    return git('rev-parse', '--short', 'HEAD'), bool(git('status', '--porcelain', '--', *measured)), digest.hexdigest()[:16]


def metadata(args):
    import ansible.release  # pylint: disable=import-outside-toplevel
    import requests  # pylint: disable=import-outside-toplevel
    cpu = ''
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as handle:
            cpu = next((line.split(':', 1)[1].strip() for line in handle if line.startswith('model name')), '')
    except OSError:
        pass
    return {
        'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'), 'quick': args.quick,
        'latency_ms': args.latency_ms, 'api_version': args.api_version, 'runs': args.runs, 'naive_users': args.naive_users,
        'python': sys.version.split()[0], 'ansible_core': ansible.release.__version__, 'requests': requests.__version__,
        'cpus': os.cpu_count(), 'cpu': cpu, 'platform': sys.platform,
    }


def measure_script(script, summary, *options):
    """A pure-Python measurement (benchmarks/<script>, 5 repetitions, with options) in its own process: its JSON line, or
    None when it fails. summary: the line printed, filled from the measurement."""
    command = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), script), '--repeat', '5']
    completed = subprocess.run(command + list(options), capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        print('%s %s failed: %s' % (script, ' '.join(options), completed.stderr[-2000:]))
        return None
    measured = json.loads(completed.stdout.strip().splitlines()[-1])
    measured['runs'] = 5
    print(summary % measured)
    return measured


def measure_evaluation(*options):
    """benchmarks/evaluation.py: the audit's rule evaluation alone, 10,000 records x 20 rules (with --packs: the compliance
    packs over 10,000 subscribers with their devices and answer rules, facts included)."""
    return measure_script('evaluation.py', 'policy evaluation%s: %%(records)d records x %%(rules)d rules in %%(median_s).3f s (median)'
                          % (' with the packs' if options else ''), *options)


def measure_drift():
    """benchmarks/drift.py: what comparing with an earlier audit adds, two 10,000-subscriber snapshots."""
    return measure_script('drift.py', 'drift: diff of two %(records)d-subscriber snapshots in %(median_s).3f s; with the snapshot '
                                      'written and a baseline compared %(added_median_s).3f s (medians)')


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    inventory = os.path.exists(os.path.join(cases.ROOT, 'plugins', 'inventory', 'subscribers.py'))
    selected = cases.scenarios(with_inventory=inventory)
    if args.only:
        wanted = set(args.only.split(','))
        unknown = wanted - {scenario.ident for scenario in selected}
        if unknown:
            sys.exit('run.py: unknown scenario(s) %s; known: %s' % (', '.join(sorted(unknown)), ', '.join(s.ident for s in selected)))
        selected = [scenario for scenario in selected if scenario.ident in wanted]
    layouts = cases.QUICK_LAYOUTS if args.quick else cases.LAYOUTS
    results = {'meta': metadata(args), 'layouts': {}, 'scenarios': {}}
    commit, dirty, started_digest = code_state()
    results['meta'].update(commit=commit, uncommitted_changes=dirty, code_digest=started_digest)
    tmp = tempfile.mkdtemp(prefix='netsapiens-bench-')
    try:
        link_collection(tmp)
        shutil.rmtree(args.logs, ignore_errors=True)
        os.makedirs(args.logs)
        warm_up(args, tmp)
        for name, switches in layouts.items():
            chosen = [scenario for scenario in selected if scenario.layout == name]
            if chosen:
                run_layout(name, switches, chosen, args, tmp, results)
        results['evaluation'] = measure_evaluation()
        results['drift'] = measure_drift()
        results['evaluation_packs'] = measure_evaluation('--packs')
        results['meta']['code_changed_during_run'] = code_state()[2] != started_digest
        if results['meta']['code_changed_during_run']:
            print('WARNING: plugins/, roles/ or playbooks/ changed during the run: the figures mix two versions of the code.')
        os.makedirs(args.out, exist_ok=True)
        targets = report.write(results, args.out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print('\nresults: %s' % ', '.join(os.path.join(args.out, name) for name in ('results.md', 'results.json', 'chart.png', 'concurrency.png')
                                      if os.path.exists(os.path.join(args.out, name))))
    for target in targets:
        print('%-4s %s: %s' % (target['status'], target['name'], target['measured']))
    broken = [scenario['id'] for scenario in results['scenarios'].values() if any(run['check'] != 'ok' for run in scenario['runs'])]
    if broken:
        print('runs that did not produce the expected result (logs in %s): %s' % (args.logs, ', '.join(broken)))
        return 1
    return 1 if args.strict and any(target['status'] == 'FAIL' for target in targets) else 0


if __name__ == '__main__':
    sys.exit(main())
