#!/usr/bin/env bash
# Installs the Debian packages the tests need (real sshd, rsync, PostgreSQL, MariaDB, SQLite,
# Docker Engine, a registry, skopeo, Django, Alembic, gunicorn, nginx). Idempotent: packages
# already present are not reinstalled. Fails loudly when something is missing and we cannot install.
set -euo pipefail

PACKAGES=(
  openssh-server openssh-client rsync
  postgresql mariadb-server sqlite3
  docker.io docker-compose docker-registry skopeo busybox-static apache2-utils age python3-aiosmtpd
  python3-django python3-psycopg2 python3-alembic python3-sqlalchemy gunicorn nginx
  zstd gzip procps iproute2 coreutils git openssl
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup-system: missing Debian packages: ${missing[*]}" >&2
    echo "setup-system: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup-system: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's postinst may start system services; the tests run their own on random ports.
for svc in postgresql mariadb nginx ssh docker docker-registry; do
  if command -v service >/dev/null 2>&1; then service "$svc" stop >/dev/null 2>&1 || true; fi
done

for bin in sshd rsync /usr/lib/postgresql/15/bin/initdb mariadb-install-db sqlite3 dockerd docker-registry skopeo busybox gunicorn nginx; do
  if ! command -v "$bin" >/dev/null 2>&1 && [[ ! -x "$bin" && ! -x "/usr/sbin/$bin" ]]; then
    echo "setup-system: $bin is still missing after install" >&2
    exit 1
  fi
done
/usr/bin/python3 -c 'import django, alembic, sqlalchemy, psycopg2' || {
  echo "setup-system: /usr/bin/python3 lacks django/alembic/sqlalchemy/psycopg2" >&2
  exit 1
}
echo "setup-system: all test dependencies present"
