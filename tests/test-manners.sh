#!/usr/bin/env bash
# tests/test-manners.sh DERMIS DERMIS_CLI SOURCE_DIR
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The programs' manners: dermis --version and --help answer without opening
# a window; every command "dermis-cli --help" lists is in the man page; the
# bash completion offers the commands, a group's subcommands and a
# command's options. TAP output.
set -u
dermis="$1"
cli="$2"
src="$3"
n=0
failed=0
check() {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=1; fi
}
echo "1..7"

version="$("$cli" --version | awk '{print $2}')"
out="$("$dermis" --version 2>&1)"; status=$?
[ $status -eq 0 ] && [ "$out" = "dermis $version" ]
check $? "dermis --version prints 'dermis $version' ($out)"

out="$("$dermis" --help 2>&1)"; status=$?
[ $status -eq 0 ] && grep -q -- '--data-dir' <<<"$out" && grep -q -- '--version' <<<"$out"
check $? "dermis --help lists --data-dir and --version"

missing=""
while read -r group sub; do
  command="$group${sub:+ $sub}"
  grep -q -- "^$(sed 's/-/\\\\-/g' <<<"$command")\( \|$\)" "$src/resources/dermis-cli.1" || missing+=" [$command]"
done < <("$cli" --help | sed -n 's/^  \([a-z][a-z-]*\)\( [a-z][a-z-]*\)\{0,1\}  .*/\1\2/p')
[ -z "$missing" ] && grep -q "^.TH DERMIS\\\\-CLI 1 .*\"Dermis $version\"" "$src/resources/dermis-cli.1"
check $? "the man page has every command of dermis-cli --help and version $version (missing:${missing:- none})"

complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _dermis_cli; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$src/resources/dermis-cli.bash-completion" "$@"
}
out="$(complete_words "$cli" "")"
grep -qx client <<<"$out" && grep -qx photo <<<"$out" && grep -qx analyze <<<"$out"
check $? "completion offers the commands"
out="$(complete_words "$cli" --json photo "")"
grep -qx import <<<"$out" && grep -qx verify <<<"$out" && ! grep -qx client <<<"$out"
check $? "completion offers a group's subcommands"
out="$(complete_words "$cli" plan create 5 --p)"
grep -qx -- --protocol <<<"$out" && grep -qx -- --practitioner <<<"$out"
check $? "completion offers a command's options"
out="$(complete_words "$cli" plan book 5 --)"
grep -qx -- --at <<<"$out" && grep -qx -- --kind <<<"$out" && grep -qx -- --yes <<<"$out"
check $? "completion offers plan book's options"
exit $failed
