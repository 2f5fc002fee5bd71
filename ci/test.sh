#!/bin/bash
# Runs the README's test command on a clean checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
make test
