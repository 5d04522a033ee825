/**
 * The compatibility check: a snapshot of what the playbook manages on one host (owners, modes,
 * content hashes, the user, the venv's packages, unit states, the database role and owner), so a
 * host converged by ansible-playbook and one converged by acplay can be compared line by line.
 */
import type { Testbed } from '../test/testbed/testbed.js'

// Fixed paths only: no value from outside goes into this script.
const SNAPSHOT = `
paths="/usr/local/airflow /usr/local/airflow/dags /usr/local/airflow/plugins /var/log/airflow
/home/astro/.bashrc /usr/local/airflow/airflow.cfg /etc/systemd/system/astronomer-core@.service
/etc/default/astronomer-core /etc/systemd/system/astronomer-core@scheduler.service.d
/etc/systemd/system/astronomer-core@scheduler.service.d/override.conf
/etc/systemd/system/astronomer-core@webserver.service.d
/etc/systemd/system/astronomer-core@webserver.service.d/override.conf /etc/tmpfiles.d/airflow.conf
/etc/environment /home/astro/airflow-venv /usr/local/airflow/plugins/bench_plugin.py"
for p in $paths /usr/local/airflow/dags/*; do
  if [ -f "$p" ]; then h=$(sha256sum < "$p" | cut -c1-16); else h=-; fi
  echo "path $(stat -c '%n %F %U:%G %a' "$p" 2>&1) $h"
done
echo "passwd $(getent passwd astro)"
echo "group $(getent group astro)"
/home/astro/airflow-venv/bin/python -m pip list --format=freeze 2>/dev/null | sed 's/^/pip /'
for u in postgresql astronomer-core@scheduler astronomer-core@webserver; do
  echo "unit $u $(systemctl is-active $u) $(systemctl is-enabled $u 2>/dev/null)"
done
runuser -u postgres -- psql -Atc "select 'role '||rolname||' login='||rolcanlogin||' super='||rolsuper||' pw='||(rolpassword is not null)
  from pg_authid where rolname='airflow'"
runuser -u postgres -- psql -Atc "select 'db '||datname||' owner='||pg_get_userbyid(datdba) from pg_database where datname='airflow'"
`

export async function snapshot(bed: Testbed, host: string): Promise<string[]> {
  const r = await bed.exec(host, SNAPSHOT)
  return r.stdout.split('\n').filter(Boolean)
}

/** Lines that differ, as "- ansible" / "+ acplay" pairs; empty when the hosts agree. */
export function compare(ansible: string[], acplay: string[]): string[] {
  const a = new Set(ansible)
  const b = new Set(acplay)
  return [...ansible.filter((l) => !b.has(l)).map((l) => `- ansible: ${l}`), ...acplay.filter((l) => !a.has(l)).map((l) => `+ acplay:  ${l}`)]
}
