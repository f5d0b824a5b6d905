#!/usr/bin/env bash
# Compiles and lints the Bicep templates under infra/ without an Azure login.
#
#   scripts/check-infra.sh
#
# Uses `bicep` from PATH when there is one; otherwise fetches the Bicep CLI from NuGet
# (package Azure.Bicep.CommandLine.linux-x64, version BICEP_VERSION) with `dotnet restore`.
# Writes the compiled ARM template to artifacts/infra/main.json.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bicep_version="${BICEP_VERSION:-0.49.2}"
out_dir="$repo_root/artifacts/infra"

find_bicep() {
  if command -v bicep >/dev/null 2>&1; then
    command -v bicep
    return
  fi
  local packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  local cli="$packages/azure.bicep.commandline.linux-x64/$bicep_version/tools/bicep"
  if [[ ! -f "$cli" ]]; then
    local tmp
    tmp="$(mktemp -d)"
    cat >"$tmp/bicep-cli.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$bicep_version]" />
  </ItemGroup>
</Project>
EOF
    dotnet restore "$tmp/bicep-cli.csproj" -nologo >&2
    rm -rf "$tmp"
  fi
  chmod +x "$cli"
  echo "$cli"
}

bicep="$(find_bicep)"
echo "check-infra: $("$bicep" --version)"

mkdir -p "$out_dir"
"$bicep" build "$repo_root/infra/main.bicep" --outfile "$out_dir/main.json"
for file in "$repo_root"/infra/main.bicep "$repo_root"/infra/modules/*.bicep; do
  "$bicep" lint "$file"
done
echo "check-infra: infra/main.bicep compiles; lint clean"
