#!/usr/bin/env python3
"""Fills docs/BENCHMARKS.md's table placeholders from benchmarks/results/*.json.

Usage: python3 benchmarks/scripts/render_tables.py [template] [output]
Reads e2e-latest.json (final), e2e-before.json (before the profiling fixes), jmh-before-t{1,2,4}.json
(all targets, before) and jmh-t{1,2,4}.json (our appender after the fixes; other targets are taken
from the before files, unchanged code). Drop counts of the JMH runs come from jmh-drops.json.
"""
import json, os, sys

R = 'benchmarks/results'

def load(name):
    with open(os.path.join(R, name)) as f:
        return json.load(f)

def e2e_rows(doc):
    return {(r['contender'], r['bodyBytes']): r for r in doc['rows']}

final = e2e_rows(load('e2e-latest.json'))
before = e2e_rows(load('e2e-before.json'))
bodies = sorted({b for (_, b) in final})
contenders = ['naive', 'seed-batcher', 'sdk-batch-manager', 'raw-limit', 'ours-log4j2', 'ours-logback']

lines = ['| contender | body | events | events/s | client CPU ms / 10k events | requests | billed units | p50 ms | p99 ms | peak heap MiB |',
         '|---|---|---|---|---|---|---|---|---|---|']
for b in bodies:
    for c in contenders:
        r = final[(c, b)]
        lines.append(f"| {c} | {b} B | {r['events']:,} | {r['eventsPerSecond']:,.0f} | {r['cpuMillisPer10kEvents']:,.0f} | "
                     f"{r['requests']:,} | {r['billedUnits']:,} | {r['p50Millis']:,} | {r['p99Millis']:,} | {r['peakHeapBytes'] // 2**20} |")
results = '\n'.join(lines)

def ratio(a, b):
    return a / b if b else float('nan')

t = ['| target | body | ours-log4j2 | ours-logback | met? |', '|---|---|---|---|---|']
for b in bodies:
    raw, seed, sdk, naive = (final[(c, b)] for c in ('raw-limit', 'seed-batcher', 'sdk-batch-manager', 'naive'))
    l4, lb = final[('ours-log4j2', b)], final[('ours-logback', b)]
    checks = [
        ('throughput ≥ 0.95× raw-limit', ratio(l4['eventsPerSecond'], raw['eventsPerSecond']), ratio(lb['eventsPerSecond'], raw['eventsPerSecond']), lambda x: x >= 0.95, '×'),
        ('throughput ≥ 2× seed-batcher', ratio(l4['eventsPerSecond'], seed['eventsPerSecond']), ratio(lb['eventsPerSecond'], seed['eventsPerSecond']), lambda x: x >= 2, '×'),
        ('throughput ≥ 1.5× sdk-batch-manager', ratio(l4['eventsPerSecond'], sdk['eventsPerSecond']), ratio(lb['eventsPerSecond'], sdk['eventsPerSecond']), lambda x: x >= 1.5, '×'),
        ('CPU per event ≤ 1/8 of naive', ratio(l4['cpuMillisPer10kEvents'], naive['cpuMillisPer10kEvents']), ratio(lb['cpuMillisPer10kEvents'], naive['cpuMillisPer10kEvents']), lambda x: x <= 0.125, '× naive'),
    ]
    for name, a, c, ok, unit in checks:
        met = 'yes' if ok(a) and ok(c) else ('log4j2 only' if ok(a) else ('logback only' if ok(c) else 'no'))
        t.append(f"| {name} | {b} B | {a:.2f}{unit} | {c:.2f}{unit} | {met} |")
targets = '\n'.join(t)

ba = ['| contender | body | events/s before → after | client CPU ms / 10k events before → after |', '|---|---|---|---|']
for b in bodies:
    for c in ('raw-limit', 'ours-log4j2', 'ours-logback'):
        x, y = before[(c, b)], final[(c, b)]
        note = ' (raw-limit at 16 in flight before, 32 after)' if c == 'raw-limit' else ' (8 in flight before, 32 after)'
        ba.append(f"| {c}{note} | {b} B | {x['eventsPerSecond']:,.0f} → {y['eventsPerSecond']:,.0f} | "
                  f"{x['cpuMillisPer10kEvents']:,.0f} → {y['cpuMillisPer10kEvents']:,.0f} |")
before_after = '\n'.join(ba)

drops = load('jmh-drops.json')
j = ['| framework | threads | our appender before → after (ns/op) | AsyncAppender | layout only (floor) | ours vs floor (after) | allocation B/op: ours / async / floor | ours dropped (after) |',
     '|---|---|---|---|---|---|---|---|']
for threads in (1, 2, 4):
    bef = {(r['benchmark'].split('.')[-2], r['params']['target']): r for r in load(f'jmh-before-t{threads}.json')}
    aft = {(r['benchmark'].split('.')[-2], r['params']['target']): r for r in load(f'jmh-t{threads}.json')}
    for fw, cls in (('Log4j2', 'Log4j2CallCost'), ('Logback', 'LogbackCallCost')):
        def s(d, tgt):
            m = d[(cls, tgt)]['primaryMetric']
            return f"{m['score']:,.0f} ± {m['scoreError']:,.0f}"
        def a(d, tgt):
            return f"{d[(cls, tgt)]['secondaryMetrics']['gc.alloc.rate.norm']['score']:,.0f}"
        ours_after = aft[(cls, 'sqs')]['primaryMetric']['score']
        floor = bef[(cls, 'layout-only')]['primaryMetric']['score']
        j.append(f"| {fw} | {threads} | {s(bef, 'sqs')} → {s(aft, 'sqs')} | {s(bef, 'async-appender')} | {s(bef, 'layout-only')} | "
                 f"{ours_after / floor:.2f}× | {a(aft, 'sqs')} / {a(bef, 'async-appender')} / {a(bef, 'layout-only')} | {drops[fw][str(threads)]} |")
jmh = '\n'.join(j)

template = sys.argv[1] if len(sys.argv) > 1 else 'docs/BENCHMARKS.md'
out = sys.argv[2] if len(sys.argv) > 2 else template
text = open(template).read()
for key, value in (('RESULTS_TABLE', results), ('TARGETS_TABLE', targets), ('BEFORE_AFTER_TABLE', before_after), ('JMH_TABLE', jmh)):
    text = text.replace(key, value)
open(out, 'w').write(text)
print(results)
print()
print(targets)
