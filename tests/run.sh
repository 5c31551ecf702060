#!/usr/bin/env bash
# The whole test suite, exactly what CI runs (.ci/run calls this).
#  1. installs Azurite from the repo's npm lock (npm ci) when it is not installed yet;
#  2. finds out whether the Azure Functions projects can be restored here (their worker packages are
#     missing from some NuGet mirrors) and, if not, skips them with one line saying why;
#  3. builds every other project (warnings are errors) and runs every test project;
#  4. ends with one line: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

artifacts="artifacts/test-run"
rm -rf "$artifacts" && mkdir -p "$artifacts"

azurite_dir="src/StartFrame.LocalDev/azurite"
if [ ! -f "$azurite_dir/node_modules/azurite/dist/src/azurite.js" ]; then
  echo "==> npm ci (Azurite, pinned by $azurite_dir/package-lock.json)"
  npm ci --prefix "$azurite_dir" --no-audit --no-fund --loglevel=error
fi

functions_projects=(src/StartFrame.Functions/StartFrame.Functions.csproj tests/StartFrame.Functions.Tests/StartFrame.Functions.Tests.csproj)
skip_line=""
echo "==> Can the Azure Functions projects be restored here?"
if timeout 600 dotnet restore "${functions_projects[1]}" >"$artifacts/functions-restore.log" 2>&1; then
  echo "    yes: they are built and tested too"
  projects=$(dotnet sln Functions.sln list | grep -E '\.csproj$')
else
  missing=$(grep -oE 'Unable to find package [A-Za-z0-9.]+( with version \([^)]*\))?' "$artifacts/functions-restore.log" \
    | sed 's/Unable to find package //; s/\.$//' | sort -u | paste -sd ',' - | sed 's/,/, /g')
  reason=${missing:+NuGet cannot find $missing}
  reason=${reason:-$(grep -m1 -oE 'error NU[0-9]+: [^[]*' "$artifacts/functions-restore.log" || tail -n 1 "$artifacts/functions-restore.log")}
  skip_line="SKIPPED: src/StartFrame.Functions, tests/StartFrame.Functions.Tests — restore failed: ${reason% } (full log: $artifacts/functions-restore.log). They build and test where the Azure Functions worker packages are reachable."
  echo "    $skip_line"
  projects=$(dotnet sln Functions.sln list | grep -E '\.csproj$' | grep -v 'StartFrame\.Functions')
fi

# A solution filter of what can be built here, so one build and one test run cover all of it.
{
  printf '{\n  "solution": {\n    "path": "../../Functions.sln",\n    "projects": [\n'
  printf '%s\n' "$projects" | sed 's#/#\\\\#g; s#^#      "#; s#$#",#' | sed '$ s/,$//'
  printf '    ]\n  }\n}\n'
} >"$artifacts/restorable.slnf"

echo "==> dotnet build (warnings are errors)"
dotnet build "$artifacts/restorable.slnf" -c Release -nologo -clp:ErrorsOnly

echo "==> dotnet test"
status=0
dotnet test "$artifacts/restorable.slnf" -c Release --no-build -nologo \
  --logger "console;verbosity=minimal" --results-directory "$artifacts/results" 2>&1 | tee "$artifacts/test.log" || status=$?

passed=0 failed=0 skipped=0
while read -r f p s; do
  failed=$((failed + f)) passed=$((passed + p)) skipped=$((skipped + s))
done < <(grep -oE 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$artifacts/test.log" | sed -E 's/[^0-9]+/ /g')

[ -n "$skip_line" ] && echo "$skip_line"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
