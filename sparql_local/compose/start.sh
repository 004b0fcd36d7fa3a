#!/bin/sh
# Entry point of the Fuseki container (Dockerfile.fuseki): the realm file from the secret in
# the environment, then Fuseki with the same configuration `mskg sparql start` generates.
set -eu
: "${FUSEKI_PASSWORD:?set MSKG_SPARQL_PASSWORD to a strong secret}"
umask 077
printf 'mskg: %s, mskg\n' "$FUSEKI_PASSWORD" > /tmp/passwd
exec java ${JAVA_OPTIONS:--Xmx1g} -XX:+UseG1GC -Dfile.encoding=UTF-8 \
  -Dlog4j.configurationFile=/opt/fuseki/conf/log4j2.properties \
  -cp '/opt/fuseki/lib/*' org.apache.jena.fuseki.main.cmds.FusekiMainCmd \
  --port=3030 --config=/opt/fuseki/conf/config.ttl --passwd=/tmp/passwd --auth=basic --ping
