#!/bin/sh
# tests/lsan-retry.sh COMMAND...
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sanitizer builds only. GCC 12's LeakSanitizer sometimes crashes in its own
# thread tracer at exit ("Tracer caught signal 11", then "LeakSanitizer has
# encountered a fatal error") while reading a worker thread's dynamic TLS
# (librsvg's, which gdk-pixbuf loads with dlopen for the icons). No leak
# check took place, so such a run is made once more. A leak report, or any
# other failure, is passed on as it is. The first run's output is dropped so
# that the TAP stream is one run's.
set -u
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
attempt=1
while :; do
  "$@" >"$out" 2>"$err"
  status=$?
  if [ "$status" -ne 0 ] && [ "$attempt" -eq 1 ] &&
     grep -q 'Tracer caught signal' "$err" &&
     grep -q 'LeakSanitizer has encountered a fatal error' "$err" &&
     ! grep -q 'LeakSanitizer: detected memory leaks' "$err"; then
    echo "lsan-retry: LeakSanitizer's tracer crashed at exit, before any leak check; running once more" >&2
    attempt=2
    continue
  fi
  break
done
cat "$out"
cat "$err" >&2
exit "$status"
