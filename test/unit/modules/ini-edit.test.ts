/**
 * ini_file's editing (modules/files/ini.ts) against community.general.ini_file 6.6.2 (Debian's
 * ansible): each case's file, arguments and result (the file after, changed, msg) were recorded by
 * running Ansible's module on the case (ansible localhost -c local -m community.general.ini_file).
 * "text": null is a missing file; "want.text" null: Ansible left no file.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { editIni } from '../../../modules/files/ini.js'

interface Case {
  name: string
  text: string | null
  args: {
    section?: string
    option?: string
    value?: string
    values?: string[]
    state?: string
    exclusive?: boolean
    no_extra_spaces?: boolean
    allow_no_value?: boolean
  }
  want: { text: string | null; changed: boolean; msg: string }
}

const CASES: Case[] = [
  {
    name: 'a missing file gets a blank first line, the section and the option',
    text: null,
    args: { section: 'drinks', option: 'fav', value: 'lemonade' },
    want: { text: '\n[drinks]\nfav = lemonade\n', changed: true, msg: 'section and option added' },
  },
  {
    name: 'a value changed in place',
    text: '[drinks]\nfav = water\nbeer = yes\n',
    args: { section: 'drinks', option: 'fav', value: 'lemonade' },
    want: { text: '[drinks]\nfav = lemonade\nbeer = yes\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'the same value: OK',
    text: '[drinks]\nfav = lemonade\n',
    args: { section: 'drinks', option: 'fav', value: 'lemonade' },
    want: { text: '[drinks]\nfav = lemonade\n', changed: false, msg: 'OK' },
  },
  {
    name: 'a value with trailing blanks is rewritten',
    text: '[drinks]\nfav = lemonade  \n',
    args: { section: 'drinks', option: 'fav', value: 'lemonade' },
    want: { text: '[drinks]\nfav = lemonade\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'a commented-out option is taken back',
    text: '[drinks]\n#fav = lemonade\nbeer = yes\n',
    args: { section: 'drinks', option: 'fav', value: 'lemonade' },
    want: { text: '[drinks]\nfav = lemonade\nbeer = yes\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'exclusive: other lines of the option go, commented ones too',
    text: '[d]\nfav = b\nfav = a\n; fav = c\nother = 1\n',
    args: { section: 'd', option: 'fav', value: 'a' },
    want: { text: '[d]\nfav = a\nother = 1\n', changed: true, msg: 'option changed' },
  },
  {
    name: "not exclusive: values added after the section's last setting",
    text: '[d]\nfav = a\n\n# trailing comment\n\n[e]\nx = 1\n',
    args: { section: 'd', option: 'fav', values: ['x', 'y'], exclusive: false },
    want: { text: '[d]\nfav = a\nfav = x\nfav = y\n\n# trailing comment\n\n[e]\nx = 1\n', changed: true, msg: 'option added' },
  },
  {
    name: "exclusive values take the option's lines in order, the rest go",
    text: '[d]\nfav = c\nfav = d\nfav = e\n',
    args: { section: 'd', option: 'fav', values: ['a', 'b'] },
    want: { text: '[d]\nfav = a\nfav = b\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'values already there in another order: OK',
    text: '[d]\nfav = b\nfav = a\n',
    args: { section: 'd', option: 'fav', values: ['a', 'b', 'a'] },
    want: { text: '[d]\nfav = b\nfav = a\n', changed: false, msg: 'OK' },
  },
  {
    name: 'absent: every active line of the option goes, comments stay',
    text: '[d]\nfav = a\n#fav = b\nfav=c\n',
    args: { section: 'd', option: 'fav', state: 'absent' },
    want: { text: '[d]\n#fav = b\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'absent, not exclusive: only the given values go',
    text: '[d]\nfav = a\nfav = b\n',
    args: { section: 'd', option: 'fav', values: ['a'], state: 'absent', exclusive: false },
    want: { text: '[d]\nfav = b\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'absent, not exclusive, no values: nothing',
    text: '[d]\nfav = a\n',
    args: { section: 'd', option: 'fav', state: 'absent', exclusive: false },
    want: { text: '[d]\nfav = a\n', changed: false, msg: 'OK' },
  },
  {
    name: 'a whole section removed',
    text: 'top = 1\n[a]\nx = 1\n\n[b]\ny = 2\n',
    args: { section: 'a', state: 'absent' },
    want: { text: 'top = 1\n[b]\ny = 2\n', changed: true, msg: 'section removed' },
  },
  {
    name: 'a missing section: absent is OK',
    text: '[b]\ny = 2\n',
    args: { section: 'a', state: 'absent' },
    want: { text: '[b]\ny = 2\n', changed: false, msg: 'OK' },
  },
  {
    name: 'no section: the option before the first section',
    text: 'a=1\n[s]\na = 9\n',
    args: { option: 'a', value: '2' },
    want: { text: 'a = 2\n[s]\na = 9\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'no section in a file without sections: added at the end',
    text: 'x = 1\n# end\n',
    args: { option: 'y', value: '2' },
    want: { text: 'x = 1\ny = 2\n# end\n', changed: true, msg: 'option added' },
  },
  {
    name: 'an empty section name is no section',
    text: '[s]\nk = v\n',
    args: { section: '', option: 'top', value: '1' },
    want: { text: 'top = 1\n[s]\nk = v\n', changed: true, msg: 'option added' },
  },
  {
    name: 'no_extra_spaces',
    text: '[s]\nk = v\n',
    args: { section: 's', option: 'k', value: 'w', no_extra_spaces: true },
    want: { text: '[s]\nk=w\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'no_extra_spaces leaves a spaced line with the same value alone? no: rewritten',
    text: '[s]\nk = v\n',
    args: { section: 's', option: 'k', value: 'v', no_extra_spaces: true },
    want: { text: '[s]\nk=v\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'allow_no_value: a bare option kept',
    text: '[mysqld]\nskip-name-resolve\n',
    args: { section: 'mysqld', option: 'skip-name-resolve', allow_no_value: true },
    want: { text: '[mysqld]\nskip-name-resolve\n', changed: false, msg: 'OK' },
  },
  {
    name: 'allow_no_value: a bare option added',
    text: '[mysqld]\nport = 3306\n',
    args: { section: 'mysqld', option: 'skip-name-resolve', allow_no_value: true },
    want: { text: '[mysqld]\nport = 3306\nskip-name-resolve\n', changed: true, msg: 'option added' },
  },
  {
    name: 'allow_no_value: an option with a value becomes bare',
    text: '[mysqld]\nskip-name-resolve = 1\n',
    args: { section: 'mysqld', option: 'skip-name-resolve', allow_no_value: true },
    want: { text: '[mysqld]\nskip-name-resolve\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'allow_no_value with a value',
    text: '[mysqld]\nport = 3306\n',
    args: { section: 'mysqld', option: 'port', value: '3307', allow_no_value: true },
    want: { text: '[mysqld]\nport = 3306\nport = 3307\n', changed: true, msg: 'option added' },
  },
  {
    name: 'a bare option given a value',
    text: '[s]\nfav\n',
    args: { section: 's', option: 'fav', value: 'x' },
    want: { text: '[s]\nfav = x\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'a last line without newline gets one: changed, msg OK',
    text: '[s]\nk = v',
    args: { section: 's', option: 'k', value: 'v' },
    want: { text: '[s]\nk = v\n', changed: true, msg: 'OK' },
  },
  {
    name: 'CRLF, nothing to do: left as it is',
    text: '[s]\r\nk = v\r\n',
    args: { section: 's', option: 'k', value: 'v' },
    want: { text: '[s]\r\nk = v\r\n', changed: false, msg: 'OK' },
  },
  {
    name: 'CRLF with a change: written back with LF',
    text: '[s]\r\nk = v\r\nj = 1\r\n',
    args: { section: 's', option: 'k', value: 'w' },
    want: { text: '[s]\nk = w\nj = 1\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'a BOM is dropped when the file changes',
    text: '\ufeff[s]\nk = v\n',
    args: { section: 's', option: 'k', value: 'w' },
    want: { text: '[s]\nk = w\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'only a section added',
    text: '[a]\nx = 1\n',
    args: { section: 'b', allow_no_value: true },
    want: { text: '[a]\nx = 1\n[b]\n', changed: true, msg: 'only section added' },
  },
  {
    name: 'a section already there, no option: OK',
    text: '[a]\nx = 1\n',
    args: { section: 'a', allow_no_value: true },
    want: { text: '[a]\nx = 1\n', changed: false, msg: 'OK' },
  },
  {
    name: 'the first of two sections of that name is not the one edited when they follow each other',
    text: '[a]\n[a]\nx = 1\n[b]\n',
    args: { section: 'a', option: 'y', value: '2' },
    want: { text: '[a]\n[a]\nx = 1\ny = 2\n[b]\n', changed: true, msg: 'option added' },
  },
  {
    name: 'two separate sections of that name: the first',
    text: '[a]\nx = 1\n[b]\n[a]\nx = 3\n',
    args: { section: 'a', option: 'x', value: '2' },
    want: { text: '[a]\nx = 2\n[b]\n[a]\nx = 3\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'a header with a trailing comment',
    text: '[drinks] ; cold ones\nfav = water\n',
    args: { section: 'drinks', option: 'fav', value: 'tea' },
    want: { text: '[drinks] ; cold ones\nfav = tea\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'an empty value',
    text: '[s]\n',
    args: { section: 's', option: 'empty', value: '' },
    want: { text: '[s]\nempty = \n', changed: true, msg: 'option added' },
  },
  {
    name: 'an existing empty file',
    text: '',
    args: { section: 's', option: 'o', value: 'v' },
    want: { text: '\n[s]\no = v\n', changed: true, msg: 'section and option added' },
  },
  {
    name: 'regex characters in the option are literal',
    text: '[s]\naXb = 1\n',
    args: { section: 's', option: 'a.b', value: '2' },
    want: { text: '[s]\naXb = 1\na.b = 2\n', changed: true, msg: 'option added' },
  },
  {
    name: 'tabs around =',
    text: '[s]\nfav\t=\tx\n',
    args: { section: 's', option: 'fav', value: 'x' },
    want: { text: '[s]\nfav = x\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'a longer option name is another option',
    text: '[s]\nfavorite = x\n',
    args: { section: 's', option: 'fav', value: 'y' },
    want: { text: '[s]\nfavorite = x\nfav = y\n', changed: true, msg: 'option added' },
  },
  {
    name: 'indented option line',
    text: '[s]\n  fav = x\n',
    args: { section: 's', option: 'fav', value: 'x' },
    want: { text: '[s]\nfav = x\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'a value with = and spaces',
    text: '[s]\nopts = a=1 b=2\n',
    args: { section: 's', option: 'opts', value: 'a=1 b=3' },
    want: { text: '[s]\nopts = a=1 b=3\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'section names are not patterns',
    text: '[a.b]\nx = 1\n[aXb]\nx = 2\n',
    args: { section: 'aXb', option: 'x', value: '5' },
    want: { text: '[a.b]\nx = 1\n[aXb]\nx = 5\n', changed: true, msg: 'option changed' },
  },
  {
    name: 'absent without section and option removes the lines before the first section',
    text: 'top = 1\n[a]\nx = 1\n',
    args: { state: 'absent' },
    want: { text: 'x = 1\n', changed: true, msg: 'section removed' },
  },
]

for (const c of CASES) {
  it(c.name, () => {
    const a = c.args
    const edit = editIni(c.text ?? undefined, {
      section: a.section,
      option: a.option,
      values: a.value !== undefined ? [a.value] : (a.values ?? []),
      present: (a.state ?? 'present') === 'present',
      exclusive: a.exclusive ?? true,
      noExtraSpaces: a.no_extra_spaces ?? false,
      allowNoValue: a.allow_no_value ?? false,
    })
    assert.equal(edit.changed, c.want.changed)
    assert.equal(edit.msg, c.want.msg)
    // the module writes only a changed edit
    const after = edit.changed ? edit.text : c.text
    assert.equal(after, c.want.text)
  })
}
