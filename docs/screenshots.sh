#!/usr/bin/env bash
# Refreshes the README's screenshots from the E2E journeys (the accessibility and phone journeys save every state
# they check when WORKSPACEAPP_SCREENSHOTS names a folder), then copies the ones the README shows into docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
shots=$(mktemp -d)
dotnet build WorkspaceApp.sln -c Release -nologo -v quiet
WORKSPACEAPP_SCREENSHOTS="$shots" dotnet test WorkspaceApp.E2E -c Release --no-build \
  --filter "FullyQualifiedName~AccessibilityJourney|FullyQualifiedName~PhoneJourney" >"$shots.log" || { cat "$shots.log"; exit 1; }
cp "$shots/billing-with-history-light.png" docs/screenshot-billing.png
cp "$shots/settings-api-keys-with-history-light.png" docs/screenshot-api-keys.png
cp "$shots/billing-with-history-dark.png" docs/screenshot-billing-dark.png
cp "$shots/phone-api-keys.png" docs/screenshot-phone-api-keys.png
cp "$shots/phone-billing.png" docs/screenshot-phone-billing.png
cp "$shots/usage-light.png" docs/screenshot-usage.png
cp "$shots/settings-members-with-an-invitation-light.png" docs/screenshot-members.png
rm -rf "$shots" "$shots.log"
echo "docs/ screenshots refreshed"
