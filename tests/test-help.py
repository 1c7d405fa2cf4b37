#!/usr/bin/env python3
# test-help.py
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Mallard help in help/C: every page is well-formed, installed (listed
# in help/meson.build), linked from the index, every xref names a page or
# a section that exists, and every <gui> label it tells the reader to look
# for is a label of the app (a .ui file or a string of ui/).
import os
import re
import sys
import xml.etree.ElementTree as ET

NS = '{http://projectmallard.org/1.0/}'
src = sys.argv[1]
help_dir = os.path.join(src, 'help', 'C')
problems = []

with open(os.path.join(src, 'help', 'meson.build'), encoding='utf-8') as f:
    listed = set(re.findall(r"'([a-z-]+\.page)'", f.read()))
pages = sorted(p for p in os.listdir(help_dir) if p.endswith('.page'))
for p in pages:
    if p not in listed:
        problems.append(f'{p} is not listed in help/meson.build (it would not be installed)')
for p in listed - set(pages):
    problems.append(f'help/meson.build lists {p}, which does not exist')

# What the app shows: labels of the .ui files and strings of the C sources
ui_text = []
for root, _, files in [w for d in ('ui', 'app') for w in os.walk(os.path.join(src, d))]:
    for name in files:
        if name.endswith(('.ui', '.c')):
            with open(os.path.join(root, name), encoding='utf-8') as f:
                ui_text.append(f.read().replace('_', ''))
ui_text = '\n'.join(ui_text)

ids = {}
trees = {}
for p in pages:
    try:
        tree = ET.parse(os.path.join(help_dir, p))
    except ET.ParseError as e:
        problems.append(f'{p}: not well-formed: {e}')
        continue
    root = tree.getroot()
    trees[p] = root
    ids[root.get('id')] = {s.get('id') for s in root.iter(NS + 'section')}
    if root.get('id') + '.page' != p:
        problems.append(f'{p}: its id is {root.get("id")}')

for p, root in trees.items():
    for link in root.iter():
        xref = link.get('xref')
        if xref is None:
            continue
        page, _, section = xref.partition('#')
        if page not in ids or (section and section not in ids[page]):
            problems.append(f'{p}: xref {xref} names nothing')
    if root.get('type') == 'topic':
        if not any(l.get('type') == 'guide' and l.get('xref', '').startswith('index')
                   for l in root.iter(NS + 'link')):
            problems.append(f'{p}: not linked from the index')
    for gui in root.iter(NS + 'gui'):
        label = ''.join(gui.itertext()).strip()
        if label not in ui_text:
            problems.append(f'{p}: <gui>{label}</gui> is not a label of the app')

for problem in problems:
    print(problem, file=sys.stderr)
print(f'{len(pages)} pages, {len(problems)} problems')
sys.exit(1 if problems else 0)
