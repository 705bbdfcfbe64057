#!/bin/sh
# The official postgres image's contract, as far as the compose file uses it: on an empty
# $PGDATA, create the cluster with POSTGRES_USER as superuser (password POSTGRES_PASSWORD,
# required over TCP) and the database POSTGRES_DB; then run the server on every address.
set -eu

: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"

if [ $# -eq 0 ] || [ "$1" = postgres ]; then
    server=yes
    [ $# -gt 0 ] && shift
else
    server=no
fi

if [ "$server" = yes ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
    password_file=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" > "$password_file"
    initdb --pgdata="$PGDATA" --username="$POSTGRES_USER" --pwfile="$password_file" \
        --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$password_file"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    # A server on a private socket only: the health check (pg_isready on the usual socket)
    # stays red until the database exists and the real server listens.
    init_socket=$(mktemp -d)
    pg_ctl --pgdata="$PGDATA" --wait --silent \
        --options="-c listen_addresses='' -c unix_socket_directories=$init_socket" start
    if [ "$POSTGRES_DB" != postgres ]; then
        createdb --host="$init_socket" --username="$POSTGRES_USER" "$POSTGRES_DB"
    fi
    pg_ctl --pgdata="$PGDATA" --wait --silent stop
    rmdir "$init_socket"
    echo "initialised $PGDATA: user $POSTGRES_USER, database $POSTGRES_DB"
fi

if [ "$server" = yes ]; then
    exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$@"
