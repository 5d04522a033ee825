/**
 * The corpus cases (test/compat/corpus/NAME): how each is run and the state script that prints
 * what it manages (fixed text: no value from outside goes into these scripts). `show` is defined
 * by harness.ts.
 */
export interface CompatCase {
  name: string
  playbook?: string
  /** extra command-line arguments, the same for both tools */
  args?: string[]
  /** connect as (default root); deploy uses the plays' become */
  user?: 'root' | 'deploy'
  /** per-host -e values the test provides (local repositories) */
  needs?: ('apt-repo' | 'pip-index')[]
  /** tasks that report changed on every run by design (handlers are not notified on a re-run) */
  rerunChanged?: number
  state: string
}

export const CASES: CompatCase[] = [
  {
    name: 'ntp',
    user: 'deploy',
    state: `show /etc/compat-ntp /var/lib/compat-ntp /etc/systemd/system/compat-ntpd.service
echo "unit $(systemctl is-active compat-ntpd) $(systemctl is-enabled compat-ntpd)"
dpkg-query -W -f='pkg \${Package} \${Status}\\n' tzdata`,
  },
  {
    name: 'keywords',
    state: 'show /srv/compat-keywords',
  },
  {
    name: 'loops',
    state: 'show /srv/compat-loops',
  },
  {
    name: 'handlers',
    state: 'show /srv/compat-handlers',
  },
  {
    name: 'roles',
    state: 'show /srv/compat-roles /etc/logrotate.d/compat-roles',
  },
  {
    name: 'tags',
    args: ['--tags', 'config', '--skip-tags', 'slow'],
    state: 'show /srv/compat-tags',
  },
  {
    name: 'webserver',
    needs: ['apt-repo'],
    state: `show /etc/apt/sources.list.d/compat.list /srv/compat-www /etc/nginx/sites-available /etc/nginx/sites-enabled /usr/share/compat-hello
grep '^worker_processes' /etc/nginx/nginx.conf
dpkg-query -W -f='pkg \${Package} \${Version} \${Status}\\n' nginx compat-hello
echo "user $(getent passwd compat-logs | cut -d: -f1,6,7) groups $(id -Gn compat-logs)"
crontab -l -u root | sed 's/^/cron | /'
echo "unit $(systemctl is-active nginx) $(systemctl is-enabled nginx)"`,
  },
  {
    name: 'hardening',
    user: 'deploy',
    state: `show /etc/sysctl.d/90-compat-hardening.conf /etc/security/limits.d/10-compat-hardening.conf /etc/ssh/sshd_config.d/90-compat-hardening.conf /etc/crontab
for d in /etc/cron.d /etc/cron.daily /etc/cron.hourly /etc/cron.weekly /etc/cron.monthly; do stat -c 'dir %n %U:%G %a' "$d"; done
grep -E '^(PASS_MAX_DAYS|PASS_MIN_DAYS|UMASK)' /etc/login.defs
echo "user $(getent passwd compat-auditor | cut -d: -f1,4,6,7) group $(getent group compat-auditors | cut -d: -f1)"
echo "password hash: $(getent shadow compat-auditor | cut -d: -f2 | cut -c1-3)"
dpkg-query -W -f='pkg \${Package} \${Status}\\n' telnet rsh-client 2>&1 | sort`,
  },
  {
    name: 'airflow',
    user: 'deploy',
    needs: ['pip-index'],
    state: `show /opt/compat-airflow/airflow.cfg /opt/compat-airflow/dags /opt/compat-airflow/logs /opt/compat-airflow/plugins /etc/default/compat-airflow /etc/systemd/system/compat-airflow-scheduler.service /etc/systemd/system/compat-airflow-webserver.service
stat -c 'dir %n %U:%G %a' /opt/compat-airflow /opt/compat-airflow/venv
echo "user $(getent passwd airflow | cut -d: -f1,6,7) group $(getent group airflow | cut -d: -f1)"
/opt/compat-airflow/venv/bin/python -m pip list --format=freeze 2>/dev/null | sed 's/^/pip /'
for u in compat-airflow-scheduler compat-airflow-webserver; do echo "unit $u $(systemctl is-active $u) $(systemctl is-enabled $u)"; done`,
  },
  {
    name: 'pip-packages',
    needs: ['pip-index'],
    state: `show /usr/lib/python3.11/EXTERNALLY-MANAGED
python3 -m pip list --format=freeze 2>/dev/null | grep -iE '^(passlib|pexpect|six|acplay-demo)=' | sed 's/^/system /'
/opt/pytools/bin/python -m pip list --format=freeze 2>/dev/null | sed 's/^/venv /'`,
  },
  {
    name: 'sshd-config',
    state: `show /etc/ssh/sshd_config.d /etc/ssh/compat-sshd-seen
stat -c 'key %n %U:%G %a' /etc/ssh/ssh_host_ed25519_key
ls /tmp | grep -c '^ansible' | sed 's/^/temp dirs left: /'
echo "unit $(systemctl is-active ssh) $(systemctl is-enabled ssh)"`,
  },
]
