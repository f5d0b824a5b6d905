#!/usr/bin/env bash
# Starts Azurite and the Feedback app locally (standalone triggers), seeds a demo chain once, and
# prints what to open. Ctrl+C stops both. Data persists in .azurite/; local secrets in .local/.
set -euo pipefail
cd "$(dirname "$0")"
# The ports this needs, each overridable; AUTO_PORTS=1 moves any busy one to a free port instead of stopping.
PORT="${PORT:-7071}"
AZURITE_BLOB_PORT="${AZURITE_BLOB_PORT:-10000}"
AZURITE_QUEUE_PORT="${AZURITE_QUEUE_PORT:-10001}"
AZURITE_TABLE_PORT="${AZURITE_TABLE_PORT:-10002}"
HOOK_PORT="${HOOK_PORT:-8787}"
# shellcheck source=scripts/ports.sh
source scripts/ports.sh
require_free_ports PORT "the app" AZURITE_BLOB_PORT "Azurite's blob service" AZURITE_QUEUE_PORT "Azurite's queue service" \
  AZURITE_TABLE_PORT "Azurite's table service" HOOK_PORT "the demo webhook receiver"
BASE="http://127.0.0.1:$PORT"

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund
dotnet build src/Feedback.Functions -c Release -nologo -v q

mkdir -p .azurite .local
if [ ! -f .local/settings.env ]; then
  # Fresh random secrets for this machine only; never committed.
  cat > .local/settings.env <<SETTINGS
export Admin__ApiKey=$(openssl rand -hex 24 2>/dev/null || node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')
export Tokens__ActiveKeyId=local1
export Tokens__Keys__local1=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')
SETTINGS
fi
# shellcheck disable=SC1091
source .local/settings.env
# Azurite's well-known development account (public, not a secret), on this run's ports.
AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$AZURITE_BLOB_PORT/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$AZURITE_QUEUE_PORT/devstoreaccount1;TableEndpoint=http://127.0.0.1:$AZURITE_TABLE_PORT/devstoreaccount1;"
export AzureWebJobsStorage PublicBaseUrl="$BASE" Triggers__Standalone=true ASPNETCORE_ENVIRONMENT=Development
# Local only: the demo webhook receiver is on loopback, and scores refresh every 30 seconds.
export Webhooks__AllowPrivateTargets=true Scores__Schedule="*/30 * * * * *"

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# --skipApiVersionCheck: the SDKs send storage API versions newer than Azurite 3.37 knows.
node node_modules/azurite/dist/src/azurite.js --location .azurite --silent --disableTelemetry --skipApiVersionCheck \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$AZURITE_BLOB_PORT" --queuePort "$AZURITE_QUEUE_PORT" --tablePort "$AZURITE_TABLE_PORT" > .local/azurite.log 2>&1 &
azurite_pid=$!
pids+=("$azurite_pid")
# The app creates its tables and queues at start-up, so Azurite must be listening first, and it must be this
# Azurite: another process that took a port meanwhile would serve the app someone else's data.
wait_for_own_listeners "$azurite_pid" .local/azurite.log "Azurite" AZURITE_BLOB_PORT AZURITE_QUEUE_PORT AZURITE_TABLE_PORT
dotnet src/Feedback.Functions/bin/Release/net10.0/Feedback.Functions.dll --urls "$BASE" > .local/app.log 2>&1 &
app_pid=$!
pids+=("$app_pid")
# A webhook receiver for the demo: prints each delivery to .local/webhooks.log.
node -e 'require("http").createServer((q,s)=>{let b="";q.on("data",d=>b+=d).on("end",()=>{console.log(new Date().toISOString(),q.headers["webhook-id"],b);s.end()})}).listen(+process.argv[1],"127.0.0.1")' "$HOOK_PORT" > .local/webhooks.log 2>&1 &
hook_pid=$!
pids+=("$hook_pid")

for _ in $(seq 1 120); do
  curl -fsS "$BASE/api/health" >/dev/null 2>&1 && break
  kill -0 "$app_pid" 2>/dev/null || break
  sleep 0.5
done
if ! kill -0 "$app_pid" 2>/dev/null || ! curl -fsS "$BASE/api/health" >/dev/null; then
  echo "The app did not become healthy; see .local/app.log" >&2
  tail -n 30 .local/app.log >&2
  exit 1
fi
listening_pid_is "$app_pid" "$PORT" || { echo "Port $PORT answers, but not from the app this script started; stopping." >&2; exit 1; }
kill -0 "$hook_pid" 2>/dev/null || { echo "The demo webhook receiver on port $HOOK_PORT did not start; see .local/webhooks.log" >&2; exit 1; }

admin() { curl -fsS -H "X-Admin-Key: $Admin__ApiKey" -H 'Content-Type: application/json' "$@"; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }

if [ ! -f .local/demo.env ]; then
  echo "Seeding the demo chain…"
  reward='{"title":{"cs":"Ledový čaj o 20 % levněji","sk":"Ľadový čaj o 20 % lacnejšie","pl":"Mrożona herbata 20% taniej","en":"20% off iced tea"},"validDays":30,"dailyCap":200,"eligible":["receipt","kiosk"]}'
  admin -X PUT "$BASE/api/stores/prague-old-town" -d "{\"name\":\"Café Old Town\",\"region\":\"prague\",\"timeZone\":\"Europe/Prague\",\"languages\":[\"cs\",\"en\"],\"reward\":$reward}" >/dev/null
  admin -X PUT "$BASE/api/stores/prague-karlin" -d "{\"name\":\"Café Karlín\",\"region\":\"prague\",\"timeZone\":\"Europe/Prague\",\"languages\":[\"cs\",\"en\"],\"reward\":$reward}" >/dev/null
  admin -X PUT "$BASE/api/stores/bratislava-centrum" -d "{\"name\":\"Kaviareň Centrum\",\"region\":\"bratislava\",\"timeZone\":\"Europe/Bratislava\",\"languages\":[\"sk\",\"en\"],\"reward\":$reward}" >/dev/null
  admin -X PUT "$BASE/api/stores/krakow-rynek" -d "{\"name\":\"Kawiarnia Rynek\",\"region\":\"krakow\",\"timeZone\":\"Europe/Warsaw\",\"languages\":[\"pl\",\"en\"],\"reward\":$reward}" >/dev/null
  kiosk=$(admin -X POST "$BASE/api/stores/prague-old-town/devices" -d '{"name":"Kiosk by the door","kind":"kiosk"}' | json deviceKey)
  pos=$(admin -X POST "$BASE/api/stores/prague-old-town/devices" -d '{"name":"Till 1","kind":"pos"}' | json deviceKey)
  poster=$(admin -X POST "$BASE/api/stores/prague-old-town/tokens" -d '{"touchpoint":"store"}' | json url)
  {
    echo "DEMO_KIOSK_KEY=$kiosk"
    echo "DEMO_POS_KEY=$pos"
    echo "DEMO_POSTER_URL=$poster"
  } > .local/demo.env
fi
# shellcheck disable=SC1091
source .local/demo.env
# A dashboard key for the demo store's manager, local to this machine (.local/demo.env, never committed): made once,
# and made again only when the one kept no longer works (revoked, or Azurite's data was wiped).
if [ -z "${DEMO_MANAGER_KEY:-}" ] || ! curl -fsS -o /dev/null -H "Authorization: Bearer $DEMO_MANAGER_KEY" "$BASE/api/access-keys/current"; then
  DEMO_MANAGER_KEY=$(admin -X POST "$BASE/api/access-keys" -d '{"name":"Demo manager, Café Old Town (local)","scope":"store:prague-old-town","role":"manager"}' | json key)
  { grep -v '^DEMO_MANAGER_KEY=' .local/demo.env || true; echo "DEMO_MANAGER_KEY=$DEMO_MANAGER_KEY"; } > .local/demo.env.new
  mv .local/demo.env.new .local/demo.env
fi
# The chain-wide webhook points at this run's receiver (PUT is idempotent).
admin -X PUT "$BASE/api/stores/*/webhooks" -d "{\"url\":\"http://127.0.0.1:$HOOK_PORT/\",\"secret\":\"whsec_$(node -e 'console.log(Buffer.from("local-demo-webhook-secret-0123456").toString("base64"))')\",\"events\":[\"case.opened\",\"alert.burst\",\"device.offline\",\"device.online\"]}" >/dev/null
receipt="R$(date +%s)"
receipt_token=$(admin -X POST "$BASE/api/stores/prague-old-town/tokens" -d "{\"touchpoint\":\"store\",\"receiptId\":\"$receipt\"}" | json token)
browser_token=$(admin -X POST "$BASE/api/stores/prague-old-town/tokens" -d "{\"touchpoint\":\"store\",\"receiptId\":\"${receipt}b\"}" | json token)

# The request files' variables for this run (git-ignored: they hold this machine's keys).
http_env=$(cat <<ENV
{
  "local": {
    "baseUrl": "$BASE",
    "adminKey": "$Admin__ApiKey",
    "managerKey": "$DEMO_MANAGER_KEY",
    "kioskKey": "$DEMO_KIOSK_KEY",
    "posKey": "$DEMO_POS_KEY",
    "storeId": "prague-old-town",
    "receiptToken": "$receipt_token",
    "today": "$(date -u +%Y-%m-%d)"
  }
}
ENV
)
printf '%s\n' "$http_env" > requests/http-client.private.env.json
printf '%s\n' "$http_env" > requests/http-client.env.json.user
# VS Code's REST Client reads environments from the workspace settings only: merge "local" in, keep the rest.
mkdir -p .vscode
HTTP_ENV="$http_env" node -e '
  const fs = require("fs"), file = ".vscode/settings.json";
  let settings = {};
  try { settings = JSON.parse(fs.readFileSync(file, "utf8")); } catch { if (fs.existsSync(file)) process.exit(0); }
  settings["rest-client.environmentVariables"] = { ...(settings["rest-client.environmentVariables"] || {}), ...JSON.parse(process.env.HTTP_ENV) };
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + "\n");'

cat <<INFO

Feedback is running at $BASE   (app log: .local/app.log, Azurite data: .azurite/)

  Health                $BASE/api/health
  Survey (poster QR)    $DEMO_POSTER_URL
  Survey with a reward  $BASE/s/$browser_token
  Kiosk                 $BASE/kiosk#key=$DEMO_KIOSK_KEY
  Dashboard             $BASE/dashboard#key=$DEMO_MANAGER_KEY
                        (signed in as the demo manager of prague-old-town; the key is local to this machine)

Requests for every main flow are in requests/*.http (answer, redeem, cases, scores, operations), for
Visual Studio, Rider and VS Code (REST Client): pick the "local" environment. This run's variables,
written for each (requests/http-client.env.json.user, requests/http-client.private.env.json, .vscode/settings.json):
  baseUrl       $BASE
  adminKey      $Admin__ApiKey
  managerKey    $DEMO_MANAGER_KEY   (access key: manager of prague-old-town)
  kioskKey      $DEMO_KIOSK_KEY
  posKey        $DEMO_POS_KEY
  storeId       prague-old-town
  receiptToken  $receipt_token   (receipt $receipt)

API reference   $BASE/scalar/v1   (OpenAPI document: $BASE/openapi/v1.json)
Ports           app $PORT, Azurite $AZURITE_BLOB_PORT/$AZURITE_QUEUE_PORT/$AZURITE_TABLE_PORT, webhook receiver $HOOK_PORT
Kiosk health    $BASE/api/stores/prague-old-town/devices (admin key; also in requests/operations.http)

Press Ctrl+C to stop.
INFO
wait "${pids[1]}"
