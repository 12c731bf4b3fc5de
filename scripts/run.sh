#!/usr/bin/env bash
# Set up and start onrecord: Discord or Slack when their tokens are in .env or the
# environment, otherwise the interactive console on the embedded SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/onrecord start "$@"
