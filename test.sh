#!/usr/bin/env bash
# Installs what the tests need, runs every test project, and ends with "N passed, N failed".
# One test: dotnet test tests/Feedback.UnitTests --filter "FullyQualifiedName~QrToken"
set -uo pipefail
cd "$(dirname "$0")"

if [ ! -x node_modules/.bin/azurite ]; then
  npm ci --no-audit --no-fund >/dev/null || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi
if [ -d tests/Feedback.BrowserTests ] && [ ! -x /usr/bin/chromium ]; then
  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || { echo "installing chromium failed"; echo "0 passed, 1 failed"; exit 1; }
fi

dotnet build Feedback.sln -c Release -nologo -v q || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0 failed=0
for project in tests/*/*.csproj; do
  log=$(mktemp)
  dotnet test "$project" -c Release --no-build -nologo 2>&1 | tee "$log"
  summary=$(grep -E '(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+' "$log" | tail -n 1)
  if [ -z "$summary" ]; then
    echo "no test summary from $project: counting it as one failure"
    failed=$((failed + 1))
  else
    failed=$((failed + $(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$summary")))
    passed=$((passed + $(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")))
  fi
  rm -f "$log"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
