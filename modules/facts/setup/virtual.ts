/**
 * Ansible's Linux virtualization facts (facts/virtual/linux.py), check by check in its order: the
 * first technology found sets virtualization_type/role; every one found is listed in tech_guest/host.
 * Not checked: RHEV hosts (Ansible scans /proc/[0-9]*\/comm for vdsm when /rhev/ exists).
 */
import { type Collector, content, type Facts, lines, splitlines } from './raw.js'

const DMI = '/sys/devices/virtual/dmi/id'

export const virtual: Collector = {
  name: 'virtual',
  factIds: ['virtualization_type', 'virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host'],
  reads: () => [
    { file: '/proc/1/cgroup' },
    { file: '/proc/1/environ' },
    ...['/proc/vz', '/proc/lve', '/proc/bc', '/.dockerenv', '/.dockerinit', '/proc/xen', '/dev/kvm'].map((p) => ({ exists: p })),
    { file: '/run/systemd/container' },
    { file: '/proc/xen/capabilities' },
    ...['product_name', 'sys_vendor', 'product_family', 'bios_vendor'].map((n) => ({ file: `${DMI}/${n}` })),
    { file: '/proc/self/status' },
    { file: '/proc/cpuinfo' },
    { file: '/proc/modules' },
    // lscpu names the hypervisor on IBM Z (which has /proc/sysinfo): not run elsewhere
    { cmd: 'lscpu', argv: ['lscpu'], ifExists: '/proc/sysinfo' },
    { cmd: 'dmidecode_product', argv: ['dmidecode', '-s', 'system-product-name'] },
  ],
  collect(raw) {
    const v: Facts = {}
    let found = false
    const guest = new Set<string>()
    const host = new Set<string>()
    const foundGuest = (type: string, tech = type, role: string | undefined = 'guest') => {
      guest.add(tech)
      if (!found) {
        v.virtualization_type = type
        if (role) v.virtualization_role = role
        found = true
      }
    }
    for (const line of lines(raw, '/proc/1/cgroup')) {
      if (/\/docker(\/|-[0-9a-f]+\.scope)/.test(line)) foundGuest('docker')
      if (/\/lxc\//.test(line) || /\/machine\.slice\/machine-lxc/.test(line)) foundGuest('lxc')
      if (/\/system\.slice\/containerd\.service/.test(line)) foundGuest('containerd')
    }
    const environ = content(raw, '/proc/1/environ')
    for (const line of environ ? environ.replace(/\0+$/, '').split('\0') : []) {
      if (/container=lxc/.test(line)) foundGuest('lxc')
      if (/container=podman/.test(line)) foundGuest('podman')
      if (/^container=./.test(line)) foundGuest('container')
    }
    if (raw.e['/proc/vz'] && !raw.e['/proc/lve']) {
      v.virtualization_type = 'openvz'
      if (raw.e['/proc/bc']) {
        host.add('openvz')
        if (!found) v.virtualization_role = 'host'
      } else {
        guest.add('openvz')
        if (!found) v.virtualization_role = 'guest'
      }
      found = true
    }
    const systemdContainer = content(raw, '/run/systemd/container')
    if (systemdContainer) foundGuest(systemdContainer)
    if (raw.e['/.dockerenv'] || raw.e['/.dockerinit']) foundGuest('docker')
    if (['docker', 'lxc', 'podman', 'openvz', 'containerd'].some((t) => guest.has(t)) || systemdContainer) guest.add('container')
    if (raw.e['/proc/xen']) {
      const isHost = lines(raw, '/proc/xen/capabilities').some((l) => l.includes('control_d'))
      ;(isHost ? host : guest).add('xen')
      if (!found) Object.assign(v, { virtualization_type: 'xen', virtualization_role: isHost ? 'host' : 'guest' })
      found = true
    }
    if (!found) v.virtualization_role = 'guest'
    const product = content(raw, `${DMI}/product_name`)
    const vendor = content(raw, `${DMI}/sys_vendor`)
    const family = content(raw, `${DMI}/product_family`)
    const byDmi = (type: string) => {
      guest.add(type)
      if (!found) {
        v.virtualization_type = type
        found = true
      }
    }
    if (['KVM', 'KVM Server', 'Bochs', 'AHV'].includes(product ?? '')) byDmi('kvm')
    if (vendor === 'oVirt') byDmi('oVirt')
    if (vendor === 'Red Hat') {
      if (family === 'RHV') byDmi('RHV')
      else if (product === 'RHEV Hypervisor') byDmi('RHEV')
    }
    if (product === 'VMware Virtual Platform' || product === 'VMware7,1') byDmi('VMware')
    if (product === 'OpenStack Compute' || product === 'OpenStack Nova') byDmi('openstack')
    const bios = content(raw, `${DMI}/bios_vendor`)
    if (bios === 'Xen') byDmi('xen')
    if (bios === 'innotek GmbH') byDmi('virtualbox')
    if (['Amazon EC2', 'DigitalOcean', 'Hetzner'].includes(bios ?? '')) byDmi('kvm')
    if (['QEMU', 'Amazon EC2', 'DigitalOcean', 'Google', 'Scaleway', 'Nutanix'].includes(vendor ?? '')) byDmi('kvm')
    if (vendor === 'KubeVirt') byDmi('KubeVirt')
    if (vendor === 'Microsoft Corporation') byDmi('VirtualPC')
    if (vendor === 'Parallels Software International Inc.') byDmi('parallels')
    if (vendor === 'OpenStack Foundation') byDmi('openstack')
    if (!found) delete v.virtualization_role
    for (const line of lines(raw, '/proc/self/status')) {
      if (!/^VxID:\s+\d+/.test(line)) continue
      if (!found) v.virtualization_type = 'linux_vserver'
      const isHost = /^VxID:\s+0/.test(line)
      ;(isHost ? host : guest).add('linux_vserver')
      if (!found) v.virtualization_role = isHost ? 'host' : 'guest'
      found = true
    }
    for (const line of lines(raw, '/proc/cpuinfo')) {
      let type: string | undefined
      if (/^model name.*QEMU Virtual CPU/.test(line) || /^machine.*CHRP IBM pSeries .emulated by qemu./.test(line)) type = 'kvm'
      else if (/^vendor_id.*User Mode Linux/.test(line) || /^model name.*UML/.test(line)) type = 'uml'
      else if (/^vendor_id.*PowerVM Lx86/.test(line)) type = 'powervm_lx86'
      else if (/^vendor_id.*IBM\/S390/.test(line)) {
        guest.add('PR/SM')
        if (!found) v.virtualization_type = 'PR/SM'
        const lscpu = raw.c.lscpu
        if (lscpu !== undefined && lscpu !== null) {
          if (lscpu[0] === 0) {
            for (const l of splitlines(lscpu[1])) {
              const [k, val] = [l.split(':')[0]!.trim(), l.slice(l.indexOf(':') + 1).trim()]
              if (k === 'Hypervisor') {
                guest.add(val)
                if (!found) v.virtualization_type = val
              }
            }
          }
        } else {
          guest.add('ibm_systemz')
          if (!found) v.virtualization_type = 'ibm_systemz'
        }
      } else continue
      if (type) {
        guest.add(type)
        if (!found) v.virtualization_type = type
      }
      if (!found) v.virtualization_role = v.virtualization_type === 'PR/SM' ? 'LPAR' : 'guest'
      found = true
    }
    if (raw.f['/proc/modules'] != null) {
      const modules = lines(raw, '/proc/modules').map((l) => l.split(' ')[0])
      if (modules.includes('kvm')) {
        host.add('kvm')
        if (!found) Object.assign(v, { virtualization_type: 'kvm', virtualization_role: 'host' })
        found = true
      }
      if (modules.includes('vboxdrv')) {
        host.add('virtualbox')
        if (!found) Object.assign(v, { virtualization_type: 'virtualbox', virtualization_role: 'host' })
        found = true
      }
      if (modules.includes('virtio')) {
        host.add('kvm')
        if (!found) Object.assign(v, { virtualization_type: 'kvm', virtualization_role: 'guest' })
        found = true
      }
    }
    const dmi = raw.c.dmidecode_product
    if (dmi && dmi[0] === 0) {
      const name = splitlines(dmi[1])
        .filter((l) => !l.startsWith('#'))
        .map((l) => l.trim())
        .join('')
      if (name.startsWith('VMware')) foundGuest('VMware')
      if (dmi[1].includes('BHYVE')) foundGuest('bhyve')
    }
    if (raw.e['/dev/kvm']) {
      host.add('kvm')
      if (!found) Object.assign(v, { virtualization_type: 'kvm', virtualization_role: 'host' })
      found = true
    }
    if (!found) Object.assign(v, { virtualization_type: 'NA', virtualization_role: 'NA' })
    return { ...v, virtualization_tech_guest: [...guest], virtualization_tech_host: [...host] }
  },
}
