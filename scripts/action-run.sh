#!/usr/bin/env bash
# The run step of action.yml (the GitHub Action at the repository root): turns the action's
# inputs, passed as INPUT_* environment variables (never interpolated into the script, so a value
# cannot inject shell), into a `wsconform run` command line; runs it; publishes summary.md as the
# job summary; and hands the exit code and the report folder to the next steps as outputs. It
# exits 0 itself so that the report is uploaded also when the run fails; action.yml's last step
# fails the job with the run's exit code.
#   WSCONFORM_BIN          the wsconform.js to run (the action installs it)
#   WSCONFORM_JWT_SECRET   the secret input, read by wsconform through --jwt-secret-env
set -uo pipefail
bin=${WSCONFORM_BIN:?WSCONFORM_BIN is not set}
out=${INPUT_OUT:-wsconform-report}
args=(run --out "$out")

# targets: one per line, or comma-separated
while IFS= read -r target; do
  target=$(printf '%s' "$target" | tr -d '[:space:]')
  [ -n "$target" ] && args+=(--target "$target")
done < <(printf '%s\n' "${INPUT_TARGET:-}" | tr ',' '\n')
[ -n "${INPUT_PROTOCOL:-}" ] && args+=(--protocol "$INPUT_PROTOCOL")
[ -n "${INPUT_SUITES:-}" ] && args+=(--suite "$(printf '%s' "$INPUT_SUITES" | tr -d '[:space:]')")
[ -n "${WSCONFORM_JWT_SECRET:-}" ] && args+=(--jwt-secret-env WSCONFORM_JWT_SECRET)
[ -n "${INPUT_ORIGIN_ALLOWED:-}" ] && args+=(--origin-allowed "$INPUT_ORIGIN_ALLOWED")
[ -n "${INPUT_EXPECTED_FAILURES:-}" ] && args+=(--expected-failures "$INPUT_EXPECTED_FAILURES")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
case "${INPUT_STRICT:-false}" in
  true) args+=(--strict) ;;
  false | '') ;;
  *)
    echo "::error title=wsconform::input 'strict' takes true or false, got '${INPUT_STRICT}'"
    echo "exit-code=2" >>"${GITHUB_OUTPUT:-/dev/null}"
    exit 0
    ;;
esac
# further flags of `wsconform run`, split on whitespace
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<<"$INPUT_ARGS"
  args+=("${extra[@]}")
fi

echo "wsconform ${args[*]}"
node "$bin" "${args[@]}"
code=$?

case "$out" in
  /*) report_dir=$out ;;
  *) report_dir="$PWD/$out" ;;
esac
{
  echo "exit-code=$code"
  echo "report-dir=$report_dir"
} >>"${GITHUB_OUTPUT:-/dev/null}"
if [ -f "$report_dir/summary.md" ]; then
  cat "$report_dir/summary.md" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
elif [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  printf '# wsconform\n\nThe run ended with exit code %s before writing a report (bad usage or an unreachable target: see the log).\n' "$code" >>"$GITHUB_STEP_SUMMARY"
fi
exit 0
