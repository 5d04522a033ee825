// Every expected value and error message below was recorded from ansible.utils 2.10.3 (with
// python3-netaddr 0.8.0) on Debian's ansible 2.14, by evaluating the same expression with Ansible's
// own Templar; False, None (null) and '' are told apart as Ansible tells them apart. The short names
// (ipaddr, ipv4, ...) are what ansible-core 2.14 redirects to ansible.netcommon, which redirects to
// ansible.utils; ip4_hex has no short name there, so it is recorded by its FQCN.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AcplayError } from '../../../engine/errors.js'
import { Templar } from '../../../engine/vars/template.js'

const t = new Templar()
const vars = {
  v4list: ['192.168.1.10', '10.0.0.0/8', 'foo', '2001:db8::1', '', 42, '8.8.8.8/24'],
  mixed: ['192.24.2.1', 'host.fqdn', '::1', '', '192.168.32.0/24', 'fe80::100/10', true, '42540766412265424405338506004571095040/64'],
}

/** One test per [expression, what Ansible gave]. */
function check(rows: Array<[string, unknown]>): void {
  for (const [expr, want] of rows) it(expr, () => assert.deepEqual(t.evaluate(expr, vars), want))
}

describe('ipaddr with no query validates: the value back, False when it is no address or network', () => {
  check([
    ["'192.168.1.10' | ipaddr", '192.168.1.10'],
    ["'192.168.1.10/24' | ipaddr", '192.168.1.10/24'],
    ["'foo' | ipaddr", false],
    ["'' | ipaddr", false],
    ["'host.example.com' | ipaddr", false],
    ['42 | ipaddr', '0.0.0.42'],
    ["'42' | ipaddr", '0.0.0.42'],
    ['0 | ipaddr', false],
    ['true | ipaddr', false],
    ['-5 | ipaddr', false],
    ["'10/8' | ipaddr", '10.0.0.0/8'],
    ["'192.168.1' | ipaddr", '192.168.1.0'],
    ["'010.0.0.1' | ipaddr", '10.0.0.1'],
    ["'1.2.3.4.5' | ipaddr", false],
    ["'256.1.1.1' | ipaddr", false],
    ["'192.168.1.0/255.255.255.0' | ipaddr", '192.168.1.0/24'],
    ["'192.168.1.0/0.0.0.255' | ipaddr", '192.168.1.0/24'],
    ["'192.168.1.0/255.0.255.0' | ipaddr", false],
    ["'192.168.1.0/33' | ipaddr", false],
    ["'3232235777' | ipaddr", '192.168.1.1'],
    ["'3232235777/24' | ipaddr", '192.168.1.1/24'],
    ["'4294967296' | ipaddr", '::1:0:0'],
    ["'999999999999999999999999999999999999999999' | ipaddr", false],
    ["'2001:DB8::1' | ipaddr", '2001:db8::1'],
    ["'2001:db8::1%eth0' | ipaddr", false],
    ["'::1:2' | ipaddr", '::0.1.0.2'],
    ["'1:0:0:1:0:0:0:1' | ipaddr", '1:0:0:1::1'],
    ["'1:2:3:4:5:6:7::' | ipaddr", '1:2:3:4:5:6:7:0'],
    ["'1::2::3' | ipaddr", false],
  ])
})

describe('lists are filtered, each item through the same query', () => {
  check([
    ['v4list | ipaddr', ['192.168.1.10', '10.0.0.0/8', '2001:db8::1', '0.0.0.42', '8.8.8.8/24']],
    ["v4list | ipaddr('address')", ['192.168.1.10', '2001:db8::1', '0.0.0.42', '8.8.8.8']],
    ['mixed | ipaddr', ['192.24.2.1', '::1', '192.168.32.0/24', 'fe80::100/10', '2001:db8:32c:faad::/64']],
    ["mixed | ipaddr('network')", ['192.24.2.1', '::1', '192.168.32.0', 'fe80::', '2001:db8:32c:faad::']],
    ['[] | ipaddr', []],
    ["[['1.2.3.4', 'x'], 'y'] | ipaddr", [['1.2.3.4']]],
    ["['10.0.0.1', '0.0.0.0/0', 'x'] | ipaddr('prefix')", [32]],
  ])
})

describe('IPv4 queries', () => {
  check([
    ["'192.168.1.10/24' | ipaddr('address')", '192.168.1.10'],
    ["'192.168.1.10/24' | ipaddr('network')", '192.168.1.0'],
    ["'192.168.1.10/24' | ipaddr('netmask')", '255.255.255.0'],
    ["'192.168.1.10/24' | ipaddr('prefix')", 24],
    ["'192.168.1.10/24' | ipaddr('broadcast')", '192.168.1.255'],
    ["'192.168.1.10/24' | ipaddr('host')", '192.168.1.10/24'],
    ["'192.168.1.10/24' | ipaddr('cidr')", '192.168.1.10/24'],
    ["'192.168.1.10/24' | ipaddr('subnet')", '192.168.1.0/24'],
    ["'192.168.1.10/24' | ipaddr('network/prefix')", '192.168.1.0/24'],
    ["'192.168.1.10/24' | ipaddr('net')", null],
    ["'192.168.1.10/24' | ipaddr('host/prefix')", '192.168.1.10/24'],
    ["'192.168.1.10/24' | ipaddr('address/prefix')", '192.168.1.10/24'],
    ["'192.168.1.10/24' | ipaddr('hostmask')", '0.0.0.255'],
    ["'192.168.1.10/24' | ipaddr('size')", 256],
    ["'192.168.1.10/24' | ipaddr('size_usable')", 254],
    ["'192.168.1.10/24' | ipaddr('first_usable')", '192.168.1.1'],
    ["'192.168.1.10/24' | ipaddr('last_usable')", '192.168.1.254'],
    ["'192.168.1.10/24' | ipaddr('range_usable')", '192.168.1.1-192.168.1.254'],
    ["'192.168.1.10/24' | ipaddr('next_usable')", '192.168.1.11'],
    ["'192.168.1.10/24' | ipaddr('previous_usable')", '192.168.1.9'],
    ["'192.168.1.10/24' | ipaddr('revdns')", '10.1.168.192.in-addr.arpa.'],
    ["'192.168.1.10/24' | ipaddr('int')", '3232235786/24'],
    ["'192.168.1.10' | ipaddr('int')", 3232235786],
    ["'192.168.1.10/24' | ipaddr('bool')", true],
    ["'192.168.1.10/24' | ipaddr('version')", 4],
    ["'192.168.1.10/24' | ipaddr('type')", 'address'],
    ["'192.168.1.10/24' | ipaddr('wrap')", '192.168.1.10/24'],
    ["'192.168.1.10/24' | ipaddr('ip_netmask')", '192.168.1.10 255.255.255.0'],
    ["'192.168.1.10/24' | ipaddr('network_netmask')", '192.168.1.0 255.255.255.0'],
    ["'192.168.1.10/24' | ipaddr('network_wildcard')", '192.168.1.0 0.0.0.255'],
    ["'192.168.1.10/24' | ipaddr('ipv4')", '192.168.1.10/24'],
    ["'192.168.1.10/24' | ipaddr('ipv6')", '::ffff:192.168.1.10/120'],
    ["'192.168.1.10/24' | ipaddr('6to4')", '2002:c0a8:010a::1/48'],
    ["'192.168.1.0/24' | ipaddr('address')", null],
    ["'192.168.1.0/24' | ipaddr('host')", null],
    ["'192.168.1.0/24' | ipaddr('net')", '192.168.1.0/24'],
    ["'192.168.1.0/24' | ipaddr('host/prefix')", false],
    ["'192.168.1.0/24' | ipaddr('type')", 'network'],
    ["'10.0.0.1/31' | ipaddr('address')", '10.0.0.1'],
    ["'10.0.0.1/31' | ipaddr('broadcast')", null],
    ["'10.0.0.0/31' | ipaddr('range_usable')", '10.0.0.0-10.0.0.1'],
    ["'10.0.0.1/31' | ipaddr('peer')", '10.0.0.0'],
    ["'10.0.0.2/30' | ipaddr('peer')", '10.0.0.1'],
    ["'10.0.0.1/32' | ipaddr('net')", null],
    ["'10.0.0.1/32' | ipaddr('first_usable')", null],
    ["'192.168.1.10' | ipaddr('network')", '192.168.1.10'],
    ["'192.168.1.10' | ipaddr('broadcast')", null],
  ])
})

describe('IPv4 address classes: the value back, or None', () => {
  check([
    ["'8.8.8.8' | ipaddr('public')", '8.8.8.8'],
    ["'8.8.8.8' | ipaddr('private')", null],
    ["'10.1.2.3' | ipaddr('private')", '10.1.2.3'],
    ["'172.16.5.4' | ipaddr('private')", '172.16.5.4'],
    ["'172.32.0.1' | ipaddr('private')", null],
    ["'100.64.0.1' | ipaddr('private')", '100.64.0.1'],
    ["'192.168.1.0/24' | ipaddr('private')", '192.168.1.0/24'],
    ["'10.0.0.0/7' | ipaddr('private')", null],
    ["'255.255.255.0' | ipaddr('public')", null],
    ["'127.0.0.1' | ipaddr('loopback')", '127.0.0.1'],
    ["'127.0.0.1' | ipaddr('lo')", '127.0.0.1'],
    ["'8.8.8.8' | ipaddr('lo')", null],
    ["'169.254.1.1' | ipaddr('link-local')", '169.254.1.1'],
    ["'224.0.0.1' | ipaddr('multicast')", '224.0.0.1'],
    ["'224.0.0.1' | ipaddr('unicast')", null],
    ["'8.8.8.8' | ipaddr('unicast')", '8.8.8.8'],
  ])
})

describe('an index query is the nth address of the network', () => {
  check([
    ["'192.168.1.10/24' | ipaddr(5)", '192.168.1.5/24'],
    ["'192.168.1.10/24' | ipaddr('5')", '192.168.1.5/24'],
    ["'192.168.1.10/24' | ipaddr(-1)", '192.168.1.255/24'],
    ["'192.168.1.10/24' | ipaddr(0)", '192.168.1.0/24'],
    ["'192.168.1.10/24' | ipaddr(300)", false],
    ["'192.168.1.10' | ipaddr(5)", '192.168.1.10'],
    ["'192.168.1.10/32' | ipaddr(5)", '192.168.1.10/32'],
    ["'2001:db8::/64' | ipaddr(1)", '2001:db8::1/64'],
    ["'2001:db8::/64' | ipaddr(-1)", '2001:db8::ffff:ffff:ffff:ffff/64'],
  ])
})

describe('a network as the query asks whether the value lies in it', () => {
  check([
    ["'192.168.1.10/24' | ipaddr('192.168.0.0/16')", '192.168.1.10/24'],
    ["'192.168.1.10/24' | ipaddr('10.0.0.0/8')", null],
    ["'192.168.1.10/24' | ipaddr('192.168.1.0/25')", null],
    ["'1.2.3.4' | ipaddr('1.2.3.4')", '1.2.3.4'],
    ["'2001:db8::1' | ipaddr('1.2.3.0/24')", null],
    ["'2001:db8::/64' | ipaddr('2001:db8::/32')", '2001:db8::/64'],
    ["mixed | ipaddr('192.168.0.0/16')", ['192.168.32.0/24']],
    ["42 | ipaddr('0.0.0.0/24')", '0.0.0.42/32'],
  ])
})

describe('IPv6', () => {
  check([
    ["'2001:db8::1/64' | ipaddr('address')", '2001:db8::1'],
    ["'2001:db8::1/64' | ipaddr('network')", '2001:db8::'],
    ["'2001:db8::1/64' | ipaddr('netmask')", 'ffff:ffff:ffff:ffff::'],
    ["'2001:db8::1/64' | ipaddr('prefix')", 64],
    ["'2001:db8::1/64' | ipaddr('broadcast')", '2001:db8::ffff:ffff:ffff:ffff'],
    ["'2001:db8::1/64' | ipaddr('subnet')", '2001:db8::/64'],
    ["'2001:db8::1/64' | ipaddr('host')", '2001:db8::1/64'],
    ["'2001:db8::1/64' | ipaddr('first_usable')", '2001:db8::1'],
    ["'2001:db8::1/64' | ipaddr('last_usable')", '2001:db8::ffff:ffff:ffff:fffe'],
    ["'2001:db8::1/64' | ipaddr('hostmask')", '::ffff:ffff:ffff:ffff'],
    ["'2001:db8::1/64' | ipaddr('wrap')", '[2001:db8::1]/64'],
    ["'2001:db8::1' | ipaddr('wrap')", '[2001:db8::1]'],
    ["'2001:db8::1/64' | ipaddr('version')", 6],
    ["'2001:db8::/64' | ipaddr('address')", '2001:db8::'],
    ["'2001:db8::/64' | ipaddr('host')", null],
    ["'2001:db8::/64' | ipaddr('int')", '42540766411282592856903984951653826560/64'],
    ["'2001:db8::/126' | ipaddr('range_usable')", '2001:db8::1-2001:db8::2'],
    ["'2001:db8::/127' | ipaddr('peer')", '2001:db8::1'],
    ["'2001:db8::1' | ipaddr('revdns')", '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.'],
    ["'2001:db8::1' | ipaddr('public')", '2001:db8::1'],
    ["'::1' | ipaddr('loopback')", '::1'],
    ["'fe80::1' | ipaddr('link-local')", 'fe80::1'],
    ["'fe80::1' | ipaddr('private')", 'fe80::1'],
    ["'fd00::5/8' | ipaddr('private')", 'fd00::5/8'],
    ["'ff02::1' | ipaddr('multicast')", 'ff02::1'],
    ["'2002:c0a8:101::1' | ipaddr('6to4')", '2002:c0a8:101::1'],
    ["'::/64' | ipaddr('first_usable')", '0.0.0.1'],
    ["'::ffff:192.168.1.1' | ipaddr('ipv4')", '192.168.1.1/32'],
    ["'::ffff:192.168.1.1/120' | ipaddr('ipv4')", '192.168.1.1/24'],
    ["'2001:db8::1' | ipaddr('ipv4')", false],
    ["'192.168.1.1' | ipaddr('ipv6')", '::ffff:192.168.1.1/128'],
    ["'::ffff:10.1.2.3' | ipaddr", '::ffff:10.1.2.3'],
  ])
})

describe("ipv4 and ipv6 keep their own version, with ipaddr's queries", () => {
  check([
    ['mixed | ipv4', ['192.24.2.1', '192.168.32.0/24']],
    ['mixed | ipv6', ['::1', 'fe80::100/10', '2001:db8:32c:faad::/64']],
    ["'192.168.1.10/24' | ipv4('address')", '192.168.1.10'],
    ["'192.168.1.10/24' | ipv6('address')", false],
    ["'2001:db8::1/64' | ipv6('address')", '2001:db8::1'],
    ["'2001:db8::1/64' | ipv4('address')", false],
    ["'192.168.1.1/24' | ipv6('ipv4')", false],
    ["'42' | ipv6", '::2a'],
    ['42 | ipv4', '0.0.0.42'],
    ["'4294967296' | ipv4", false],
    ["'192.168.1.10/24' | ansible.utils.ipv6('foo')", false],
    ["mixed | ipv4('private')", ['192.168.32.0/24']],
  ])
})

describe('ipwrap: brackets around IPv6, the rest as it was', () => {
  check([
    ["'2001:db8::1' | ipwrap", '[2001:db8::1]'],
    ["'2001:db8::1/64' | ipwrap", '[2001:db8::1]/64'],
    ["'1.2.3.4' | ipwrap", '1.2.3.4'],
    ["'foo' | ipwrap", 'foo'],
    ['true | ipwrap', true],
    ['mixed | ipwrap', ['192.24.2.1', 'host.fqdn', '[::1]', '', '192.168.32.0/24', '[fe80::100]/10', true, '[2001:db8:32c:faad::]/64']],
    ["'2001:db8::1/64' | ipwrap('address')", '[2001:db8::1]/64'],
    ["'2001:db8::1/64' | ipwrap(query='address')", '[2001:db8::1]'],
  ])
})

describe('ipmath', () => {
  check([
    ["'1.2.3.4' | ipmath(5)", '1.2.3.9'],
    ["'1.2.3.4/24' | ipmath(300)", '1.2.4.48'],
    ["'1.2.3.4' | ipmath(-5)", '1.2.2.255'],
    ["'1.2.3.4' | ipmath('5')", '1.2.3.9'],
    ["'2001:db8::1' | ipmath(255)", '2001:db8::100'],
    ["'2001:db8::1/64' | ipmath(-2)", '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff'],
    ["'10.1' | ipmath(1)", '10.0.0.2'],
    ["'010.0.0.1' | ipmath(0)", '8.0.0.1'],
    ['5 | ipmath(1)', '0.0.0.6'],
  ])
})

describe('ipsubnet', () => {
  check([
    ["'192.168.144.5' | ipsubnet", '192.168.144.5/32'],
    ["'192.168.0.5/16' | ipsubnet", '192.168.0.0/16'],
    ["'192.168.144.5' | ipsubnet(20)", '192.168.144.0/20'],
    ["'192.168.144.5' | ipsubnet(20, 5)", '192.168.144.0/25'],
    ["'192.168.144.5' | ipsubnet(20, -1)", '192.168.144.4/31'],
    ["'192.168.0.0/16' | ipsubnet(20)", '16'],
    ["'192.168.0.0/16' | ipsubnet(33)", false],
    ["'192.168.0.0/16' | ipsubnet(20, 0)", '192.168.0.0/20'],
    ["'192.168.0.0/16' | ipsubnet(20, 15)", '192.168.240.0/20'],
    ["'192.168.0.0/16' | ipsubnet(20, -1)", '192.168.240.0/20'],
    ["'192.168.0.0/16' | ipsubnet(20, 16)", false],
    ["'192.168.144.0/24' | ipsubnet('192.168.0.0/16')", '145'],
    ["'192.168.144.5' | ipsubnet('192.168.0.0/16')", '36870'],
    ["'2001:db8::/32' | ipsubnet(48)", '65536'],
    ["'2001:db8::/32' | ipsubnet(48, 5)", '2001:db8:5::/48'],
    ["'2001:db8::1' | ipsubnet(64)", '2001:db8::/64'],
    ["'foo' | ipsubnet(20)", false],
  ])
})

describe('nthhost, next_nth_usable, previous_nth_usable', () => {
  check([
    ["'10.0.0.0/8' | nthhost(5)", '10.0.0.5'],
    ["'10.0.0.0/8' | nthhost(-1)", '10.255.255.255'],
    ["'10.0.0.0/30' | nthhost(4)", false],
    ["'10.0.0.0/30' | nthhost('x')", false],
    ["'2001:db8::/64' | nthhost(10)", '2001:db8::a'],
    ["'foo' | nthhost(1)", false],
    ["'192.168.122.1/24' | next_nth_usable(2)", '192.168.122.3'],
    ["'192.168.122.1/24' | next_nth_usable(253)", '192.168.122.254'],
    ["'192.168.122.1/24' | next_nth_usable(254)", null],
    ["'192.168.122.1' | next_nth_usable(2)", null],
    ["'foo' | next_nth_usable(1)", false],
    ["'192.168.122.10/24' | previous_nth_usable(2)", '192.168.122.8'],
    ["'192.168.122.10/24' | previous_nth_usable(10)", null],
    ["'192.168.122.1/31' | previous_nth_usable(1)", '192.168.122.0'],
    ["'2001:db8::5/64' | next_nth_usable(4)", '2001:db8::9'],
  ])
})

describe('network_in_usable, network_in_network, reduce_on_network', () => {
  check([
    ["'192.168.0.0/24' | network_in_usable('192.168.0.1')", true],
    ["'192.168.0.0/24' | network_in_usable('192.168.0.0')", false],
    ["'192.168.0.0/24' | network_in_usable('192.168.0.255')", false],
    ["'192.168.0.0/24' | network_in_usable('192.168.0.4/30')", true],
    ["'192.168.0.0/16' | network_in_usable('192.168.0.0/24')", false],
    ["'192.168.0.0/31' | network_in_usable('192.168.0.1')", true],
    ["'192.168.0.0/24' | network_in_usable('foo')", false],
    ["'2001:db8::/64' | network_in_usable('2001:db8::1')", true],
    ["'192.168.0.0/24' | network_in_network('192.168.0.0')", true],
    ["'192.168.0.0/24' | network_in_network('192.168.0.255')", true],
    ["'192.168.0.0/24' | network_in_network('192.168.0.0/23')", false],
    ["'192.168.1.0/31' | network_in_network('192.168.1.1')", false],
    ["'2001:db8::/64' | network_in_network('2001:db8::/80')", true],
    [
      "['192.168.0.0/24', '192.168.1.0/24', '10.0.0.1', '8.8.8.8/32', '192.168.2.0/23'] | reduce_on_network('192.168.0.0/23')",
      ['192.168.0.0/24', '192.168.1.0/24'],
    ],
    ["['192.168.0.1', 5, 'foo'] | reduce_on_network('0.0.0.0/0')", ['192.168.0.1', '5', 'foo']],
    ["'10.0.0.1,10.1.0.1' | reduce_on_network('10.0.0.0/16')", ['10.0.0.1']],
  ])
})

describe('cidr_merge', () => {
  check([
    ["['192.168.0.0/17', '192.168.128.0/17', '192.168.128.1'] | cidr_merge", ['192.168.0.0/16']],
    ["['192.168.0.0/17', '192.168.128.0/17', '192.168.128.1'] | cidr_merge('span')", '192.168.0.0/16'],
    ["['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.6'] | cidr_merge", ['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/32', '10.0.0.6/32']],
    ["['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.6'] | cidr_merge('span')", '10.0.0.0/29'],
    [
      "['10.0.0.0/8', '2001:db8::/32', '10.0.0.0/16', '2001:db8:1::/48', '192.168.1.0/24', '192.168.0.0/24'] | cidr_merge",
      ['10.0.0.0/8', '192.168.0.0/23', '2001:db8::/32'],
    ],
    ["['10.0.0.5/24'] | cidr_merge", ['10.0.0.5/24']],
    ["['10.0.0.5/24', '10.0.0.7'] | cidr_merge", ['10.0.0.0/24']],
    ["['10.0.0.0/24', '10.0.0.0/24'] | cidr_merge('span')", '10.0.0.0/23'],
    ["['192.168.1.5', '192.168.1.130'] | cidr_merge('span')", '192.168.1.0/24'],
    ['[] | cidr_merge', []],
    ["[] | cidr_merge('span')", null],
    ["'10.0.0.1,10.1.0.1' | cidr_merge", ['10.0.0.1/32', '10.1.0.1/32']],
  ])
})

describe('ip4_hex, slaac', () => {
  check([
    ["'192.168.1.5' | ansible.utils.ip4_hex", 'c0a80105'],
    ["'192.168.1.5' | ansible.utils.ip4_hex(':')", 'c0:a8:01:05'],
    ["'10.0.0.300' | ansible.utils.ip4_hex", '0a000012c'],
    ["'2001:db8::/64' | slaac('00:11:22:33:44:55')", '2001:db8::211:22ff:fe33:4455'],
    ["'fdcf:1894:23b5:d38c::/64' | slaac('c2:31:b3:83:bf:2b')", 'fdcf:1894:23b5:d38c:c031:b3ff:fe83:bf2b'],
    ["'2001:db8::/64' | slaac('aabb.ccdd.eeff')", '2001:db8::a8bb:ccff:fedd:eeff'],
    ["'192.168.0.0/24' | slaac('00:11:22:33:44:55')", false],
    ["'2001:db8::/64' | slaac('foo')", false],
  ])
})

describe('hwaddr and macaddr', () => {
  check([
    ["'1a:2b:3c:4d:5e:6f' | hwaddr", '1a:2b:3c:4d:5e:6f'],
    ["'1a:2b:3c:4d:5e:6f' | hwaddr('bare')", '1A2B3C4D5E6F'],
    ["'1a:2b:3c:4d:5e:6f' | hwaddr('cisco')", '1a2b.3c4d.5e6f'],
    ["'1a:2b:3c:4d:5e:6f' | hwaddr('eui48')", '1A-2B-3C-4D-5E-6F'],
    ["'1a:2b:3c:4d:5e:6f' | hwaddr('win')", '1A-2B-3C-4D-5E-6F'],
    ["'01:02:03:0a:0b:0c' | hwaddr('linux')", '01:02:03:0a:0b:0c'],
    ["'01:02:03:0a:0b:0c' | hwaddr('unix')", '1:2:3:a:b:c'],
    ["'01:02:03:0a:0b:0c' | hwaddr('pgsql')", '010203:0a0b0c'],
    ["'01:02:03:0a:0b:0c' | hwaddr('int')", 1108152552204],
    ["'01:02:03:0a:0b:0c' | hwaddr('bool')", true],
    ["'1a2b.3c4d.5e6f' | hwaddr('linux')", '1a:2b:3c:4d:5e:6f'],
    ["'1A-2B-3C-4D-5E-6F' | hwaddr('linux')", '1a:2b:3c:4d:5e:6f'],
    ["'1a2b3c4d5e6f' | hwaddr('linux')", '1a:2b:3c:4d:5e:6f'],
    ["'1:2:3:4:5:6' | hwaddr('linux')", '01:02:03:04:05:06'],
    ["'foo' | hwaddr", null],
    ["'foo' | hwaddr('bool')", null],
    ["'00:11:22:33:44:55:66:77' | hwaddr", '00:11:22:33:44:55:66:77'],
    ["'1a:2b:3c:4d:5e:6f' | ansible.utils.macaddr('cisco')", '1a2b.3c4d.5e6f'],
  ])
})

describe("the FQCNs, ansible.netcommon's redirecting to ansible.utils'", () => {
  check([
    ["'192.168.1.10/24' | ansible.utils.ipaddr('network')", '192.168.1.0'],
    ["'192.168.1.10/24' | ansible.netcommon.ipaddr('address')", '192.168.1.10'],
    ["'192.168.1.10/24' | ansible.utils.ipv4('prefix')", 24],
    ["'192.168.1.10/24' | ansible.netcommon.ipv4('prefix')", 24],
    ["'2001:db8::1/64' | ansible.netcommon.ipv6('network')", '2001:db8::'],
    ["'2001:db8::1' | ansible.netcommon.ipwrap", '[2001:db8::1]'],
    ["'1.2.3.4' | ansible.utils.ipmath(1)", '1.2.3.5'],
    ["'192.168.0.0/16' | ansible.netcommon.ipsubnet(24, 3)", '192.168.3.0/24'],
    ["'10.0.0.0/8' | ansible.netcommon.nthhost(2)", '10.0.0.2'],
    ["['10.0.0.0/25', '10.0.0.128/25'] | ansible.netcommon.cidr_merge", ['10.0.0.0/24']],
    ["'1a:2b:3c:4d:5e:6f' | ansible.netcommon.hwaddr('cisco')", '1a2b.3c4d.5e6f'],
    ["'192.168.1.10/24' | ipaddr(query='netmask')", '255.255.255.0'],
    ["'192.168.1.10/24' | ipaddr('address', version=6)", false],
  ])
})

/** [expression, a part of the message]: Ansible failed on each of these too. */
const ERRORS: Array<[string, string]> = [
  ['none | ipaddr', "Unrecognized type <<class 'NoneType'>> for ipaddr filter <value>"],
  ['{} | ipaddr', "Unrecognized type <<class 'dict'>> for ipaddr filter <value>"],
  ['1.5 | ipaddr', "Unrecognized type <<class 'float'>> for ipaddr filter <value>"],
  ['none | ipv4', "Unrecognized type <<class 'NoneType'>> for ipv4 filter <value>"],
  ['5 | ipwrap', "Unrecognized type <<class 'int'>> for ipwrap filter <value>"],
  ["'192.168.1.1' | ipaddr('first_usable')", 'Not a network address'],
  ["'192.168.1.1' | ipaddr('range_usable')", 'Not a network address'],
  ["'10.0.0.0/30' | ipaddr('peer')", 'Network address of /30 has no peer'],
  ["'192.168.1.10/24' | ipaddr('peer')", 'Not a point-to-point network'],
  ["'192.168.1.10/24' | ansible.utils.ipv4('foo')", 'ipv4: unknown filter type: foo'],
  // Ansible's own message here is a TypeError (its ipaddr has no alias to name); the intent is this one
  ["'192.168.1.10/24' | ipaddr('foo')", 'ipaddr: unknown filter type: foo'],
  ["'foo' | ipmath(1)", 'You must pass a valid IP address; foo is invalid'],
  ["'1.2.3.4' | ipmath('x')", "argument 'amount' is of type <class 'str'> and we were unable to convert to int: <class 'str'> cannot be converted to an int"],
  ["'1.2.3.4' | ipmath", 'You must pass an integer for arithmetic; None is not a valid integer'],
  ["'255.255.255.255' | ipmath(1)", 'result outside valid IP address boundary!'],
  ["'192.168.0.0/16' | ipsubnet(8)", 'Requested subnet size of 8 is invalid'],
  ["'192.168.144.5' | ipsubnet('10.0.0.0/8')", '192.168.144.5/32 is not in the subnet 10.0.0.0/8'],
  ["'192.168.144.5' | ipsubnet('foo')", 'You must pass a valid subnet or IP address; foo is invalid'],
  ["'192.168.144.5' | ipsubnet(32)", 'list index out of range'],
  ["'10.0.0.0/30' | nthhost(-5)", 'index out range for address range size!'],
  [
    "'192.168.122.1/24' | next_nth_usable('x')",
    "argument 'offset' is of type <class 'str'> and we were unable to convert to int: <class 'str'> cannot be converted to an int",
  ],
  ["['10.0.0.0/8', '2001:db8::/32'] | cidr_merge('span')", 'IP sequence cannot contain both IPv4 and IPv6!'],
  ["['10.0.0.0/8', 'foo'] | cidr_merge", 'invalid IPNetwork foo'],
  ["['10.0.0.0/8'] | cidr_merge('bad')", "cidr_merge: invalid action 'bad'"],
  ['none | cidr_merge', 'cidr_merge: expected iterable, got None'],
  ["'10.0.0' | ansible.utils.ip4_hex", 'Replacement index 3 out of range for positional args tuple'],
  ["'a.b.c.d' | ansible.utils.ip4_hex", "invalid literal for int() with base 10: 'a'"],
  ["'foo' | hwaddr('linux')", 'hwaddr: not a hardware address: foo'],
  ["'01:02:03:0a:0b:0c' | hwaddr('foo')", 'hwaddr: unknown filter type: foo'],
  ["'foo' | ansible.utils.macaddr('cisco')", 'macaddr: not a hardware address: foo'],
  ["'00:11:22:33:44:55:66:77' | hwaddr('linux')", "integer out of bounds: '0x11223344556677'!"],
]

describe('errors, where Ansible fails too', () => {
  for (const [expr, text] of ERRORS) {
    it(expr, () =>
      assert.throws(
        () => t.evaluate(expr, vars),
        (err: unknown) => err instanceof AcplayError && err.code === 'E_TEMPLATE' && err.message.includes(text),
      ),
    )
  }
})
