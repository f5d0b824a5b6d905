#!/usr/bin/env bash
# Builds the Feedback function app package for Azure Functions (Flex Consumption, Linux).
#
#   scripts/publish.sh
#
# 1. dotnet publish src/Feedback.Functions as a self-contained linux-x64 app to artifacts/publish
#    (the function app runs with functionAppConfig.runtime = custom 1.0, so the package carries
#    its own .NET runtime and host.json starts the Feedback.Functions executable);
# 2. checks the layout the Functions host needs: host.json at the root, one <Function>/function.json
#    per function, and the handler executable with its run bit;
# 3. zips the folder contents (not the folder) to artifacts/feedback-functions.zip, keeping the
#    Unix permissions, with `zip` or, where it is missing, python3.
#
# Environment:
#   CONFIGURATION         build configuration (default Release)
#   RUNTIME_IDENTIFIER    target runtime (default linux-x64; Flex Consumption is Linux x64)
#   READY_TO_RUN          true|false, precompile assemblies to shorten cold starts (default true)
#
# Exit codes: 0 package written; 1 build or packaging failed; 2 the output is not a valid function
# app (host.json or the handler executable missing).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project_dir="$repo_root/src/Feedback.Functions"
artifacts_dir="$repo_root/artifacts"
publish_dir="$artifacts_dir/publish"
zip_path="$artifacts_dir/feedback-functions.zip"

configuration="${CONFIGURATION:-Release}"
runtime_identifier="${RUNTIME_IDENTIFIER:-linux-x64}"
ready_to_run="${READY_TO_RUN:-true}"
handler_name="Feedback.Functions"

say() { printf 'publish: %s\n' "$*"; }
warn() { printf 'publish: warning: %s\n' "$*" >&2; }
fail() {
  local code="$1"
  shift
  printf 'publish: error: %s\n' "$*" >&2
  exit "$code"
}

command -v dotnet >/dev/null 2>&1 || fail 1 "dotnet is not on PATH (the .NET 10 SDK is required)"
[[ -d "$project_dir" ]] || fail 1 "project folder not found: $project_dir"

# --- 1. publish -------------------------------------------------------------------------------
say "dotnet publish ($configuration, $runtime_identifier, self-contained, ReadyToRun=$ready_to_run)"
rm -rf "$publish_dir" "$zip_path"
mkdir -p "$publish_dir"

dotnet publish "$project_dir" \
  --configuration "$configuration" \
  --runtime "$runtime_identifier" \
  --self-contained true \
  --output "$publish_dir" \
  -p:PublishReadyToRun="$ready_to_run" \
  -nologo

# Local settings hold development connection strings; they never go into a package.
if [[ -f "$publish_dir/local.settings.json" ]]; then
  rm -f "$publish_dir/local.settings.json"
  warn "removed local.settings.json from the package"
fi

# --- 2. check the function app layout ---------------------------------------------------------
host_json="$publish_dir/host.json"
if [[ ! -f "$host_json" ]]; then
  fail 2 "host.json is missing from $publish_dir.
  The Functions host needs host.json at the package root: add src/Feedback.Functions/host.json
  to the project and copy it to the output (CopyToOutputDirectory / CopyToPublishDirectory)."
fi
say "host.json present"

# Executable named in host.json (customHandler.description.defaultExecutablePath), when readable.
configured_handler=""
if command -v python3 >/dev/null 2>&1; then
  configured_handler="$(
    python3 - "$host_json" <<'PY' || true
import json, sys
try:
    with open(sys.argv[1], encoding="utf-8-sig") as f:
        host = json.load(f)
    print(host.get("customHandler", {}).get("description", {}).get("defaultExecutablePath", ""))
except Exception as e:  # a malformed host.json is reported by the host itself; only warn here
    print(f"!{e}")
PY
  )"
fi
case "$configured_handler" in
  "!"*) warn "could not read host.json: ${configured_handler#!}" ;;
  "") warn "host.json has no customHandler.description.defaultExecutablePath (expected \"$handler_name\")" ;;
  "$handler_name" | "./$handler_name") ;;
  *) warn "host.json starts \"$configured_handler\"; this package is self-contained and expects \"$handler_name\"" ;;
esac

handler_path="$publish_dir/$handler_name"
[[ -f "$handler_path" ]] || fail 2 "handler executable $handler_name is missing from $publish_dir"
if [[ ! -x "$handler_path" ]]; then
  chmod +x "$handler_path"
  warn "$handler_name had no run bit; set it"
fi
[[ -x "$handler_path" ]] || fail 2 "$handler_name is not executable"
say "handler $handler_name is executable"

# One folder per function, each with its function.json. An app still being written may have
# none yet: that is reported, not an error.
mapfile -t functions < <(
  find "$publish_dir" -mindepth 2 -maxdepth 2 -name function.json -printf '%h\n' |
    xargs -r -n1 basename | sort
)
if [[ ${#functions[@]} -eq 0 ]]; then
  warn "no <Function>/function.json folders in the package; the host will index no functions"
else
  say "${#functions[@]} function(s): ${functions[*]}"
fi

# --- 3. zip -----------------------------------------------------------------------------------
if command -v zip >/dev/null 2>&1; then
  say "zipping with zip"
  (cd "$publish_dir" && zip -q -r -X "$zip_path" .)
elif command -v python3 >/dev/null 2>&1; then
  say "zipping with python3 (zip not found)"
  python3 - "$publish_dir" "$zip_path" <<'PY'
import os, stat, sys, zipfile

root, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            arcname = os.path.relpath(path, root).replace(os.sep, "/")
            info = zipfile.ZipInfo.from_file(path, arcname)
            info.compress_type = zipfile.ZIP_DEFLATED
            # Unix permission bits live in the high 16 bits; mark the entry as made on Unix.
            info.external_attr = (stat.S_IMODE(os.stat(path).st_mode) | stat.S_IFREG) << 16
            info.create_system = 3
            with open(path, "rb") as source:
                archive.writestr(info, source.read())
PY
else
  fail 1 "neither zip nor python3 is available to build $zip_path (apt-get install -y zip)"
fi

# Verify the archive: host.json at the root and the handler still executable.
if command -v python3 >/dev/null 2>&1; then
  python3 - "$zip_path" "$handler_name" <<'PY' || fail 1 "the zip does not have the expected layout"
import stat, sys, zipfile

with zipfile.ZipFile(sys.argv[1]) as archive:
    names = {info.filename: info for info in archive.infolist()}
    assert "host.json" in names, "host.json is not at the root of the zip"
    handler = names.get(sys.argv[2])
    assert handler is not None, f"{sys.argv[2]} is not at the root of the zip"
    mode = handler.external_attr >> 16
    assert mode & stat.S_IXUSR, f"{sys.argv[2]} lost its run bit in the zip"
PY
fi

size="$(du -h "$zip_path" | cut -f1)"
say "wrote ${zip_path#"$repo_root"/} ($size)"
