#!/usr/bin/env bash
# A throwaway certificate authority and a server certificate it signed, for TLS in tests and local
# development (PostgreSQL and Kafka started by infra/postgres/postgres.sh and infra/kafka/kafka.sh
# with PG_TLS=1 / KAFKA_TLS=1). A deployment uses its own PKI instead.
#
#   make-certs.sh DIR   writes into DIR: ca.pem (the authority's certificate, what clients trust),
#                       server.pem and server.key (PEM, unencrypted, for 127.0.0.1 and localhost),
#                       server.p12 (the key and chain as PKCS#12 for Java, password TLS_STORE_PASSWORD)
#
# Environment:
#   TLS_STORE_PASSWORD   password of server.p12 (default: changeit)
#   TLS_DAYS             validity in days (default 30)
#   TLS_HOSTS            more host names the server certificate is for, space separated (e.g. "postgres kafka")
set -euo pipefail

dir="${1:?usage: make-certs.sh DIR}"
days="${TLS_DAYS:-30}"
password="${TLS_STORE_PASSWORD:-changeit}"
command -v openssl >/dev/null || { echo "[make-certs.sh] ERROR: openssl not found" >&2; exit 1; }
mkdir -p "$dir"
cd "$dir"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days "$days" \
  -subj "/CN=five-bed-linkage test CA $(date +%s%N)" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
names="DNS:localhost,IP:127.0.0.1"
for host in ${TLS_HOSTS:-}; do names="$names,DNS:$host"; done
printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' "$names" >server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days "$days" -extfile server.ext 2>/dev/null
openssl pkcs12 -export -inkey server.key -in server.pem -certfile ca.pem -name server -out server.p12 -passout "pass:$password"
rm -f server.csr server.ext ca.srl
chmod 0644 ca.pem server.pem
echo "[make-certs.sh] CA and server certificate in $dir" >&2
