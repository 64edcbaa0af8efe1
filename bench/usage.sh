#!/usr/bin/env bash
# The Usage page's queries on a year of traffic: see bench/usage/run.sh.
exec "$(dirname "$0")/usage/run.sh" "$@"
