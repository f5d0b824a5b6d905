#!/usr/bin/env bash
# Starts Azurite and the Feedback app locally (standalone triggers), seeds a demo chain once, and
# prints what to open. Ctrl+C stops both. Data persists in .azurite/; local secrets in .local/.
set -euo pipefail
cd "$(dirname "$0")"
PORT="${PORT:-7071}"
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
export AzureWebJobsStorage="UseDevelopmentStorage=true" PublicBaseUrl="$BASE" Triggers__Standalone=true ASPNETCORE_ENVIRONMENT=Development
# Local only: the demo webhook receiver is on loopback, and scores refresh every 30 seconds.
export Webhooks__AllowPrivateTargets=true Scores__Schedule="*/30 * * * * *"
HOOK_PORT="${HOOK_PORT:-8787}"

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
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 > .local/azurite.log 2>&1 &
pids+=($!)
# The app creates its tables and queues at start-up, so Azurite must be listening first.
for _ in $(seq 1 60); do curl -s -o /dev/null http://127.0.0.1:10002/ && break; sleep 0.5; done
dotnet src/Feedback.Functions/bin/Release/net10.0/Feedback.Functions.dll --urls "$BASE" > .local/app.log 2>&1 &
pids+=($!)
# A webhook receiver for the demo: prints each delivery to .local/webhooks.log.
node -e 'require("http").createServer((q,s)=>{let b="";q.on("data",d=>b+=d).on("end",()=>{console.log(new Date().toISOString(),q.headers["webhook-id"],b);s.end()})}).listen(+process.argv[1],"127.0.0.1")' "$HOOK_PORT" > .local/webhooks.log 2>&1 &
pids+=($!)

for _ in $(seq 1 120); do
  curl -fsS "$BASE/api/health" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$BASE/api/health" >/dev/null || { echo "The app did not become healthy; see .local/app.log"; tail -n 30 .local/app.log; exit 1; }

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
# The chain-wide webhook points at this run's receiver (PUT is idempotent).
admin -X PUT "$BASE/api/stores/*/webhooks" -d "{\"url\":\"http://127.0.0.1:$HOOK_PORT/\",\"secret\":\"whsec_$(node -e 'console.log(Buffer.from("local-demo-webhook-secret-0123456").toString("base64"))')\",\"events\":[\"case.opened\",\"alert.burst\",\"device.offline\",\"device.online\"]}" >/dev/null
receipt="R$(date +%s)"
receipt_token=$(admin -X POST "$BASE/api/stores/prague-old-town/tokens" -d "{\"touchpoint\":\"store\",\"receiptId\":\"$receipt\"}" | json token)
browser_token=$(admin -X POST "$BASE/api/stores/prague-old-town/tokens" -d "{\"touchpoint\":\"store\",\"receiptId\":\"${receipt}b\"}" | json token)

cat <<INFO

Feedback is running at $BASE   (app log: .local/app.log, Azurite data: .azurite/)

  Health                $BASE/api/health
  Survey (poster QR)    $DEMO_POSTER_URL
  Survey with a reward  $BASE/s/$browser_token
  Kiosk                 $BASE/kiosk#key=$DEMO_KIOSK_KEY
  Admin key             $Admin__ApiKey        (header X-Admin-Key)
  Kiosk device key      $DEMO_KIOSK_KEY
  POS device key        $DEMO_POS_KEY

Answer with a fresh receipt token ($receipt), then read the status and redeem the reward:
  curl -s -H 'Content-Type: application/json' -d '{"token":"$receipt_token","score":9,"comment":"Great coffee"}' $BASE/api/feedback
  curl -s $BASE<statusUrl from the answer>
  curl -s -X POST -H 'X-Device-Key: $DEMO_POS_KEY' $BASE/api/rewards/<code>/redeem

Kiosk answer:
  curl -s -H 'Content-Type: application/json' -H 'X-Device-Key: $DEMO_KIOSK_KEY' -d '{"score":3,"comment":"Long queue"}' $BASE/api/feedback

Detractor follow-up: the kiosk answer above (score 3) opens a case and a signed webhook lands in .local/webhooks.log:
  curl -s -H 'X-Admin-Key: $Admin__ApiKey' "$BASE/api/cases?storeId=prague-old-town&status=open"

Kiosk health (last heartbeat, version, answers waiting, last error of each device):
  curl -s -H 'X-Admin-Key: $Admin__ApiKey' $BASE/api/stores/prague-old-town/devices

Scores (refreshed every 30 s here), with margins of error:
  curl -s -H 'X-Admin-Key: $Admin__ApiKey' "$BASE/api/scores?scope=chain&period=day&from=$(date -u +%Y-%m-%d)&to=$(date -u +%Y-%m-%d)"
  curl -s -H 'X-Admin-Key: $Admin__ApiKey' "$BASE/api/scores/stores?period=trailing28&date=$(date -u +%Y-%m-%d)"

Press Ctrl+C to stop.
INFO
wait "${pids[1]}"
