#!/usr/bin/env bash
# The whole test suite, exactly what CI runs (.ci/run calls this).
#  1. installs Azurite from the repo's npm lock (npm ci) when it is not installed yet;
#     runs ShellCheck on the azd hook where it is installed (and says so where it is not);
#  2. restores every project of Functions.sln (the function app and its tests included; restore also fetches the Bicep
#     CLI that tests/StartFrame.Deployment.Tests compiles and lints infra/ with);
#  3. builds every project (warnings are errors; the Functions SDK also builds its worker-extensions project);
#  4. runs every test project, saying at least every 4 s how far it is (projects started and finished, tests done of
#     those discovered, failures at once, any test running longer than 5 s), and ends with one line:
#     "tests: N passed, N failed, N skipped".
# Every step writes its log under artifacts/test-run/. A failing step never ends the run silently: it prints the
# step, one line saying what failed, and the tail of that step's log.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

artifacts="artifacts/test-run"
rm -rf "$artifacts" && mkdir -p "$artifacts"
run_started=$SECONDS

# fail <step> <log> <one line>: says what failed and shows the end of the step's log, then exits 1.
fail() {
  local step=$1 log=$2 line=$3
  echo "FAILED: $step — $line"
  if [ -s "$log" ]; then
    echo "---- last 40 lines of $log ----"
    tail -n 40 "$log"
    echo "---- end of $log ----"
  fi
  exit 1
}

# step <name> <log> <command...>: runs a step with its output in <log>, says every 4 s that it is still running (with the
# last line of its log, e.g. the project being built), and says how long it took.
step() {
  local name=$1 log=$2
  shift 2
  local started=$SECONDS said=$SECONDS pid last
  echo "==> $name"
  "$@" >"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if [ $((SECONDS - said)) -ge 4 ] && kill -0 "$pid" 2>/dev/null; then
      last=$(tail -n 1 "$log" 2>/dev/null | tr -d '\r' | cut -c1-120)
      echo "    ... $((SECONDS - started)) s${last:+: $last}"
      said=$SECONDS
    fi
  done
  if wait "$pid"; then
    echo "    done in $((SECONDS - started)) s"
    return 0
  fi
  return 1
}

azurite_dir="src/StartFrame.LocalDev/azurite"
if [ ! -f "$azurite_dir/node_modules/azurite/dist/src/azurite.js" ]; then
  step "npm ci: Azurite, pinned by $azurite_dir/package-lock.json (about a minute the first time)" "$artifacts/npm-ci.log" \
    npm ci --prefix "$azurite_dir" --no-audit --no-fund --loglevel=error \
    || fail "npm ci" "$artifacts/npm-ci.log" "Azurite could not be installed from $azurite_dir/package-lock.json (is the npm registry reachable?)"
fi

# The azd hook runs under `sh` on every developer's machine: check it with ShellCheck where that is installed (Debian
# package "shellcheck"); the suite does not require it, and says so when it is missing.
if command -v shellcheck >/dev/null 2>&1; then
  step "shellcheck infra/hooks/postdeploy.sh tests/run.sh .ci/run" "$artifacts/shellcheck.log" shellcheck infra/hooks/postdeploy.sh tests/run.sh .ci/run \
    || fail "shellcheck" "$artifacts/shellcheck.log" "the shell scripts have shellcheck findings (see the log below)"
else
  echo "==> shellcheck not installed: infra/hooks/postdeploy.sh, tests/run.sh and .ci/run not checked (apt-get install shellcheck to check them)"
fi

# ffmpeg: the simulator renders each task's video from its start frame with it, and one test checks that video with
# ffprobe (Debian package "ffmpeg"). Where it cannot be installed (no apt-get, not root) that one test reports itself
# skipped, never passed, and the simulator serves its sample video instead.
if ! command -v ffmpeg >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    step "apt-get install ffmpeg (the simulator renders videos from start frames with it)" "$artifacts/ffmpeg.log" \
      sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg' \
      || echo "==> ffmpeg could not be installed (see $artifacts/ffmpeg.log): the rendering test will report itself skipped"
  else
    echo "==> ffmpeg not installed and apt-get not usable here: the rendering test will report itself skipped"
  fi
fi

if ! step "dotnet restore Functions.sln" "$artifacts/restore.log" dotnet restore Functions.sln; then
  # One line naming every package NuGet could not restore as pinned (NU1101/NU1102: not found; NU1603: not the pinned
  # version, which is an error here because warnings are errors).
  unrestored=$(grep -oE "(Unable to find package [A-Za-z0-9._-]+( with version \([^)]*\))?|depends on [A-Za-z0-9._-]+ \([^)]*\) but [A-Za-z0-9._-]+ [0-9][^ ]* was not found)" "$artifacts/restore.log" \
    | sed -E 's/^Unable to find package //; s/^depends on ([^ ]+) \(([^)]*)\) but .*/\1 (\2)/' | sort -u | paste -sd ',' - | sed 's/,/, /g')
  fail "dotnet restore" "$artifacts/restore.log" "NuGet could not restore ${unrestored:-the packages in the log below}; pin versions the feed serves (Directory.Packages.props)"
fi

step "dotnet build Functions.sln (Release, warnings are errors)" "$artifacts/build.log" \
  dotnet build Functions.sln -c Release --no-restore -nologo -clp:ErrorsOnly \
  || fail "dotnet build" "$artifacts/build.log" "$(grep -m1 -oE '(error|warning) [A-Z]+[0-9]+: .*' "$artifacts/build.log" | cut -c1-300 || echo 'see the log below')"

# test_progress <log> <pid>: while <pid> runs, says what its test log shows, never more than 4 s apart: each test project
# as it starts (with how many tests it runs) and finishes, each failed test at once, and otherwise how many tests are done
# of those discovered so far and which have been running for more than 5 s (xUnit's long-running test messages).
test_progress() {
  local log=$1 pid=$2 seen=0 total line now passed=0 failed=0 skipped=0 discovered=0 started=0 finished=0 said=$SECONDS
  local running=""
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    total=$(wc -l <"$log") # complete lines only: the one being written has no newline yet
    if [ "$total" -gt "$seen" ]; then
      while IFS= read -r line; do
        case "$line" in
          "  Passed "*) passed=$((passed + 1)) ;;
          "  Skipped "*) skipped=$((skipped + 1)) ;;
          "  Failed "*)
            failed=$((failed + 1))
            echo "    FAILED: ${line#  Failed }"
            said=$SECONDS ;;
          *"Discovered: "*"test cases to be run)"*)
            [[ $line =~ Discovered:\ +([^ ]+)\ \(([0-9]+)\ test ]] || continue
            discovered=$((discovered + BASH_REMATCH[2])) started=$((started + 1))
            echo "    started ${BASH_REMATCH[1]}: ${BASH_REMATCH[2]} tests"
            said=$SECONDS ;;
          *"]   Finished: "*)
            finished=$((finished + 1))
            echo "    finished ${line##* } ($((SECONDS - test_started)) s into the tests)"
            said=$SECONDS ;;
          *"[Long Running Test] '"*)
            [[ $line =~ \[Long\ Running\ Test\]\ \'([^\']+)\',\ Elapsed:\ ([0-9:]+) ]] || continue
            now=${BASH_REMATCH[1]%%(*} # the test without its theory data
            running="$(basename "${now%.*}" | sed 's/.*\.//').${now##*.} (${BASH_REMATCH[2]})" ;; # Class.Method (elapsed)
        esac
      done < <(sed -n "$((seen + 1)),${total}p" "$log")
      seen=$total
    fi
    if [ $((SECONDS - said)) -ge 4 ]; then
      echo "    ... $passed passed, $failed failed, $skipped skipped of $discovered discovered ($finished of $started started projects finished, $((SECONDS - test_started)) s)${running:+; running: $running}"
      running="" said=$SECONDS
    fi
  done
}

echo "==> dotnet test Functions.sln (every test project; Azurite and the simulator start on free loopback ports; log: $artifacts/test.log)"
test_started=$SECONDS
dotnet test Functions.sln -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --results-directory "$artifacts/results" \
  -- xUnit.DiagnosticMessages=true xUnit.LongRunningTestSeconds=5 >"$artifacts/test.log" 2>&1 &
test_pid=$!
test_progress "$artifacts/test.log" "$test_pid"
wait "$test_pid"
status=$?

# Every project ends with its totals ("Total tests: N", then "     Passed: N", "     Failed: N", "    Skipped: N" for those
# not zero); the counts are their sums. Not a count of the per-test lines ("  Passed <test> [time]"): projects run at
# once, and two of their lines now and then land on one, which would undercount.
total_of() { grep -E "^ +$1: [0-9]+\$" "$artifacts/test.log" | awk '{ sum += $2 } END { print sum + 0 }'; }
passed=$(total_of Passed)
failed=$(total_of Failed)
skipped=$(total_of Skipped)
projects=$(grep -c '^Total tests: ' "$artifacts/test.log")
if [ "$failed" -ne 0 ]; then
  echo "---- the failed tests, from $artifacts/test.log ----"
  grep -A 20 '^  Failed ' "$artifacts/test.log" | head -n 200
  echo "---- end of the failed tests ----"
fi

expected=$(dotnet sln Functions.sln list | grep -cE '^tests/[^/]*Tests/[^/]*\.csproj$')
echo "    $projects of $expected test projects reported, in $((SECONDS - test_started)) s (whole run $((SECONDS - run_started)) s)"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "FAILED: dotnet test exited with $status without a failing test (a test host crashed or a project did not run); see $artifacts/test.log"
fi
if [ "$projects" -ne "$expected" ]; then
  echo "FAILED: only $projects of $expected test projects reported results; see $artifacts/test.log"
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ] || [ "$projects" -ne "$expected" ]; then
  exit 1
fi
