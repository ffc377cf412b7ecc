#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL server for the test suite.
#   scripts/pg.sh start DIR PORT   -> prints the database URL
#   scripts/pg.sh stop DIR
# initdb refuses to run as root, so as root the server runs as the 'postgres' system user. That user may not be
# able to enter DIR (a clone in root's home or in a 0700 `mktemp -d` folder), so then the server's files live in a
# private folder under /tmp owned by 'postgres', and DIR/location records where, for `stop` to find and remove it.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data dir}; port=${3:-54329}

find_bin() {
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(readlink -f "$(command -v initdb)")"; return 0; }
  return 1
}

bin=$(find_bin || true)
if [ -z "$bin" ]; then
  echo "PostgreSQL server not found; installing it from the machine's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
  bin=$(find_bin)
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    home=$dir
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$dir" 2>/dev/null || true
      if ! as_owner test -w "$dir" 2>/dev/null; then
        home=$(mktemp -d /tmp/modq-pg.XXXXXX)
        chown postgres "$home"
        echo "$home" >"$dir/location"
      fi
    fi
    if [ ! -f "$home/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$home/data" -U modq --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_owner "$bin/pg_ctl" -D "$home/data" -l "$home/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$home -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null || { cat "$home/server.log" >&2; exit 1; }
    echo "postgresql://modq@127.0.0.1:$port/postgres"
    ;;
  stop)
    home=$dir
    [ -f "$dir/location" ] && home=$(cat "$dir/location")
    [ -f "$home/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$home/data" -m fast -w stop >/dev/null || true
    if [ "$home" != "$dir" ]; then rm -rf "$home"; rm -f "$dir/location"; fi
    ;;
  *) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
