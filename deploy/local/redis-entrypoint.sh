#!/bin/sh
# As the official redis image's entrypoint does: a redis-server given no protected-mode option
# runs with protected mode off, since it listens on the container's own network (which is the
# boundary), where protected mode would refuse every other container.
set -eu
if [ "${1:-}" = redis-server ]; then
    case " $* " in
        *" --protected-mode "*) ;;
        *) set -- "$@" --protected-mode no ;;
    esac
fi
exec "$@"
