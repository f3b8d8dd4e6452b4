#!/usr/bin/env bash
# Builds the test SolrCloud and runs it in the foreground: it prints SOLR_URL=http://127.0.0.1:PORT/solr
# when ready and stops on Ctrl-C or SIGTERM. Arguments go to TestCluster: [nodes, default 2] [working dir],
# or --build-only to build without starting.
# Maven's jars (~140 MB) live in one fixed repository per machine, outside the work tree, so a fresh
# clone (CI clones anew each run) on a machine that has them never downloads them again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
(cd "$here" && mvn -B -q -Dmaven.repo.local="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}" compile) >&2
# --build-only: fetch and compile, then stop (CI builds first, so start-up time is the JVM's alone).
[ "${1:-}" = "--build-only" ] && exit 0
exec java ${SOLR_JAVA_OPTS:--Xms256m -Xmx512m} \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" archive.solr.TestCluster "$@"
