#!/usr/bin/python3
"""Records what Ansible's own templating gives for each case of test/fixtures/jinja/cases.yml.

Runs every case through ansible.template.Templar (Jinja2 with Ansible's environment, filters,
tests and AnsibleUndefined) and writes test/fixtures/jinja/recorded.json, which
test/unit/vars/jinja-differential.test.ts compares acplay against. Run it with the Python that
has ansible (Debian's ansible: /usr/bin/python3), from the repository root:

    /usr/bin/python3 scripts/record-jinja-cases.py

Modes of a case (exactly one of):
  r: a template file, rendered as the template module does (no backslash escaping) -> the text
  e: a bare expression (when:, assert) -> repr() of its value
  s: a string in a playbook (Ansible's escape_backslashes) -> repr() of the value of a lone
     {{ expr }}, else the text
A case may add `vars` (over the file's shared vars), `templates` (name -> source, for include,
import and extends) and `error` (the case must fail; the text is a fragment acplay's message
must contain, or '' for any message).
"""
import json
import os
import sys
import warnings
from collections.abc import Iterator, MappingView

import yaml

warnings.filterwarnings('ignore')
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.template import Templar  # noqa: E402
from jinja2 import DictLoader  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = os.path.join(ROOT, 'test', 'fixtures', 'jinja', 'cases.yml')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'jinja', 'recorded.json')


def unroll(v):
    """What Ansible's finalize does to a result: iterators and views become lists."""
    if isinstance(v, (Iterator, MappingView, range)):
        return list(v)
    return v


def run(case, shared):
    variables = dict(shared)
    variables.update(case.get('vars') or {})
    variables['vars'] = dict(variables)  # as Ansible's VariableManager provides it
    templar = Templar(loader=DataLoader(), variables=variables)
    templar.environment.loader = DictLoader(case.get('templates') or {})
    captured = []

    def capture(value):
        captured.append(value)
        return ''

    templar.environment.globals['__capture'] = capture
    if 'r' in case:
        return templar.do_template(case['r'], preserve_trailing_newlines=True, escape_backslashes=False)
    if 'e' in case:
        templar.do_template('{{ __capture((%s)) }}' % case['e'], escape_backslashes=False)
        return repr(unroll(captured[0]))
    src = case['s']
    inner = src[2:-2]
    if src.startswith('{{') and src.endswith('}}') and '{{' not in inner and '{%' not in inner:
        templar.do_template('{{ __capture((%s)) }}' % inner, escape_backslashes=True)
        return repr(unroll(captured[0]))
    return templar.do_template(src, preserve_trailing_newlines=True, escape_backslashes=True)


def main():
    with open(CASES) as f:
        doc = yaml.safe_load(f)
    shared = doc.get('vars') or {}
    out = []
    failures = 0
    for i, case in enumerate(doc['cases']):
        mode = next(m for m in ('r', 'e', 's') if m in case)
        rec = {'mode': mode, 'src': case[mode]}
        if case.get('vars'):
            rec['vars'] = case['vars']
        if case.get('templates'):
            rec['templates'] = case['templates']
        try:
            rec['expect'] = run(case, shared)
            if 'error' in case:
                print('case %d (%r) was expected to fail but gave %r' % (i, case[mode], rec['expect']), file=sys.stderr)
                failures += 1
        except Exception as e:  # the case records the failure
            if 'error' not in case:
                print('case %d (%r) failed: %s: %s' % (i, case[mode], type(e).__name__, e), file=sys.stderr)
                failures += 1
            rec['error'] = case.get('error') or ''
            rec['python_error'] = '%s: %s' % (type(e).__name__, str(e).split('\n')[0])
        out.append(rec)
    with open(OUT, 'w') as f:
        json.dump({'generator': 'scripts/record-jinja-cases.py', 'ansible': __import__('ansible').__version__,
                   'jinja2': __import__('jinja2').__version__, 'vars': shared, 'cases': out}, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print('%d cases recorded in %s' % (len(out), os.path.relpath(OUT, ROOT)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
