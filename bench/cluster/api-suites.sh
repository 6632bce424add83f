#!/usr/bin/env bash
# The API and conformance suites against clusters: every test server on PostgreSQL (and MySQL) is
# N nodes on the test database and the test Redis behind a round-robin balancer
# (test/helpers/test-cluster.ts). Prints vitest's summary and each failed test's name.
#
#   bash bench/cluster/api-suites.sh [N=3]
set -uo pipefail
cd "$(dirname "$0")/../.."
export PLINTH_TEST_CLUSTER="${1:-3}"
echo "== API suite (test/http) on PostgreSQL, clusters of $PLINTH_TEST_CLUSTER nodes"
npx vitest run test/http --project postgres --reporter=default 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | grep -E '^\s+×|^\s+Tests |Test Files'
echo "== PocketBase conformance (networked: PostgreSQL and MariaDB), clusters of $PLINTH_TEST_CLUSTER nodes"
npx vitest run test/conformance/conformance-networked.test.ts --project sqlite --reporter=default 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | grep -E '^\s+×|Tests:|Test Files|passed'
