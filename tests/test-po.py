#!/usr/bin/env python3
# tests/test-po.py
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   test-po.py potfiles SRCDIR
#       every source file that marks a string for translation is listed in
#       po/POTFILES.in, and every listed file exists and marks one.
#   test-po.py complete SRCDIR LANG
#       the catalogue extracted from POTFILES.in (as meson's dermis-pot target
#       extracts it) is translated whole in po/LANG.po: nothing untranslated,
#       nothing fuzzy, every format string checked by msgfmt -c.
import os
import re
import subprocess
import sys
import tempfile

C_MARK = re.compile(r'(?<![\w])(_|N_|C_|NC_|Q_|ngettext|g_dngettext|g_dpgettext2)\s*\(')
# imaging/: derm::fail (CODE, "format", ...) and DERM_N_ ("reason"), see po/meson.build
CXX_MARK = re.compile(r'(?<![\w])(fail\s*\(\s*\w+\s*,\s*"|DERM_N_\s*\()')
UI_MARK = re.compile(r'translatable="yes"')
XML_MARK = re.compile(r'<(summary|description|name|p|li)\b')
C_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|/\*.*?\*/|//[^\n]*', re.S)
C_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')

# What meson's glib preset passes to xgettext (mesonbuild/modules/i18n.py),
# plus po/meson.build's own keywords.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--keyword=fail:2', '--keyword=DERM_N_',
]


def marks(path):
    if not path.endswith(('.c', '.h', '.cpp', '.hpp', '.ui', '.in', '.xml')):
        return False
    with open(path, encoding='utf-8') as f:
        text = f.read()
    if path.endswith(('.c', '.h', '.cpp', '.hpp')):
        # Comments out, strings kept (a string never holds a marker we count)
        text = C_TOKEN.sub(lambda m: m.group(0) if m.group(0)[0] in '"\'' else ' ', text)
        bare = C_STRING.sub('""', text)
        if path.endswith(('.cpp', '.hpp')):
            return CXX_MARK.search(text) is not None
        return C_MARK.search(bare) is not None
    if path.endswith('.ui'):
        return UI_MARK.search(text) is not None
    if path.endswith(('.desktop.in', '.metainfo.xml.in', '.gschema.xml')):
        return XML_MARK.search(text) is not None or path.endswith('.desktop.in')
    return False


def listed(srcdir):
    with open(os.path.join(srcdir, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        return [l.strip() for l in f if l.strip() and not l.startswith('#')]


def potfiles(srcdir):
    names = listed(srcdir)
    problems = []
    if len(set(names)) != len(names):
        problems.append('po/POTFILES.in lists a file twice')
    found = set()
    for top in ('app', 'ui', 'imaging', 'resources'):
        for root, dirs, files in os.walk(os.path.join(srcdir, top)):
            for name in files:
                path = os.path.join(root, name)
                rel = os.path.relpath(path, srcdir)
                if marks(path):
                    found.add(rel)
    for rel in sorted(found - set(names)):
        problems.append(f'{rel} marks strings for translation but is not in po/POTFILES.in')
    for rel in names:
        path = os.path.join(srcdir, rel)
        if not os.path.exists(path):
            problems.append(f'po/POTFILES.in lists {rel}, which does not exist')
        elif rel not in found:
            problems.append(f'po/POTFILES.in lists {rel}, which marks nothing for translation')
    return problems


def complete(srcdir, lang):
    po = os.path.join(srcdir, 'po', lang + '.po')
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'dermis.pot')
        merged = os.path.join(tmp, lang + '.po')
        subprocess.run(['xgettext', '--package-name=dermis', '-o', pot, '-D', srcdir,
                        '--files-from=' + os.path.join(srcdir, 'po', 'POTFILES.in')] + XGETTEXT_ARGS,
                       check=True)
        subprocess.run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, po, pot], check=True)
        check = subprocess.run(['msgfmt', '-c', '--statistics', '-o', os.devnull, merged],
                               capture_output=True, text=True)
        problems = [l for l in check.stderr.splitlines() if 'translated message' not in l]
        if check.returncode != 0:
            problems.append(f'msgfmt -c refused po/{lang}.po')
        for what, flag in (('untranslated', '--untranslated'), ('fuzzy', '--only-fuzzy')):
            out = subprocess.run(['msgattrib', flag, '--no-obsolete', merged],
                                 capture_output=True, text=True, check=True).stdout
            ids = [re.sub(r'"\n"', '', m) for m in re.findall(r'^msgid ((?:".*"\n)+)', out, re.M)]
            ids = [i.strip().strip('"') for i in ids if i.strip() != '""']
            for msgid in ids:
                problems.append(f'{what} in po/{lang}.po: "{msgid}"')
        print('# ' + check.stderr.strip().splitlines()[-1] if check.stderr.strip() else '#')
    return problems


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ('potfiles', 'complete'):
        print(__doc__ or 'usage: test-po.py potfiles|complete SRCDIR [LANG]', file=sys.stderr)
        return 2
    if sys.argv[1] == 'potfiles':
        problems = potfiles(sys.argv[2])
    else:
        problems = complete(sys.argv[2], sys.argv[3])
    for p in problems:
        print(p, file=sys.stderr)
    print('ok' if not problems else f'{len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
