#!/bin/sh
# Run shellcheck on uringctl's shell: the bash completion, the VM test and its
# staging script, and these tests.
# shellcheck source=tests/cli/lib.sh
. "${srcdir:-.}/lib.sh"

need_tool shellcheck shellcheck
cd "$top_srcdir" || exit 1
for f in cli/completion/uringctl tests/vm/cli/t_uringctl tests/vm/cli/stage \
	tests/vm/cli/t_uringctl_drivers tests/vm/cli/t_uringctl_watch \
	tests/cli/lib.sh tests/cli/test-usage.sh tests/cli/test-run.sh \
	tests/cli/test-json-output.sh tests/cli/test-docs.sh \
	tests/cli/test-shellcheck.sh tests/cli/test-completion.bash; do
	if [ ! -f "$f" ]; then
		not_ok "shellcheck-$f" "missing"
	elif msg=$(shellcheck -x -P tests/cli "$f" 2>&1); then
		ok "shellcheck-$f"
	else
		not_ok "shellcheck-$f" "$(printf '%s' "$msg" | head -n 20)"
	fi
done
uc_done
