#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1 for the distributed tests: use the running ones,
# start installed ones, or install them from Debian's packages and start them.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG) 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1 || ! pg_up; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  # Trust local TCP connections and create the test database, as on the development machines.
  hba=$(ls /etc/postgresql/"$version"/main/pg_hba.conf)
  if ! grep -q "^host all all 127.0.0.1/32 trust" "$hba"; then
    $SUDO sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
  $SUDO -u postgres psql -qtc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1 \
    || $SUDO -u postgres createdb test
fi
pg_up || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }

if ! redis_up; then
  if ! command -v redis-server >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
  fi
  mkdir -p /tmp/resume-parser-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/resume-parser-redis --logfile /tmp/resume-parser-redis/redis.log
  for _ in $(seq 1 30); do redis_up && break; sleep 0.5; done
fi
redis_up || { echo "Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }
if ! command -v docker-compose >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq docker-compose >/dev/null 2>&1 || echo "docker-compose unavailable: compose validation test will skip"
fi
echo "PostgreSQL and Redis are up"
