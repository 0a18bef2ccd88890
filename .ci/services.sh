# Start and stop the real PostgreSQL and MinIO that the tests and the benchmarks run against:
# the one way to get them, for CI, benchmarks and local runs alike.
#   source .ci/services.sh; start_services    # .ci/run; by hand: installs, starts, exports
#   bash .ci/services.sh start                # bench/services.py: starts, prints KEY=VALUE
#   bash .ci/services.sh stop DIR             # stops what `start` began in DIR
# Nothing here is an emulator: PostgreSQL comes from Debian's packages, MinIO is built
# from source with `go install` (its community edition ships as source only).

# MinIO's community release tags (RELEASE.…) are not valid Go versions and the Go module proxy
# refuses them; this pseudo-version pins the last commit of github.com/minio/minio.
MINIO_MODULE="github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c"
MINIO_BIN_DIR="${REGISTRY_CI_CACHE:-$HOME/.cache/registry-ci}/bin"
SERVICES_DIR=""

_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

_pg_bindir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/initdb" ] && echo "$dir"; done | sort -V | tail -n 1
}

install_postgres() {
  if [ -z "$(_pg_bindir)" ]; then
    echo "[services] installing PostgreSQL from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
}

install_browser_tools() {
  # Browser journeys drive Debian's Chromium through Playwright (no browser download) and read
  # the printed QR codes with zbarimg, as a phone would.
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  # The approval document's font (Liberation Serif 2 covers Vietnamese) and pdftoppm, which
  # renders the document's first page in the browser journey.
  [ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing+=(fonts-liberation2)
  [ -x /usr/bin/pdftoppm ] || missing+=(poppler-utils)
  [ -x /usr/bin/zbarimg ] || missing+=(zbar-tools)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "[services] installing ${missing[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

install_text_tools() {
  # Reading the text on artwork: Tesseract's Vietnamese (language and script) and Khmer data
  # (the engine comes with the tesserocr wheel), Debian's Vietnamese word list, and fonts with
  # Vietnamese and Khmer letters for the banners the tests and the benchmark draw.
  local missing=() pkg
  for pkg in tesseract-ocr tesseract-ocr-vie tesseract-ocr-script-viet tesseract-ocr-khm \
      hunspell-vi fonts-dejavu-core fonts-noto-core; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "[services] installing ${missing[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

install_signing_tools() {
  # Signing with a key on a PKCS#11 token (a CA's USB token): the tests make a real token with
  # SoftHSM2; opensc's pkcs11-tool lists what a token holds (README, "Ký số bằng USB token").
  local missing=()
  dpkg -s softhsm2 >/dev/null 2>&1 || missing+=(softhsm2)
  dpkg -s opensc >/dev/null 2>&1 || missing+=(opensc)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "[services] installing ${missing[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

install_minio() {
  if [ ! -x "$MINIO_BIN_DIR/minio" ]; then
    echo "[services] building MinIO from source: go install $MINIO_MODULE (once per machine)"
    local started=$SECONDS
    mkdir -p "$MINIO_BIN_DIR"
    GOBIN="$MINIO_BIN_DIR" GOFLAGS=-buildvcs=false go install "$MINIO_MODULE"
    echo "[services] MinIO built in $((SECONDS - started)) s"
  fi
}

start_postgres() {
  local bindir port
  bindir=$(_pg_bindir)
  port=$(_free_port)
  mkdir -p "$SERVICES_DIR/pg"
  chown postgres "$SERVICES_DIR/pg"
  # initdb refuses to run as root: the cluster belongs to the postgres system user.
  runuser -u postgres -- "$bindir/initdb" -D "$SERVICES_DIR/pg/data" -U postgres \
    --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$SERVICES_DIR/pg/initdb.log"
  runuser -u postgres -- "$bindir/pg_ctl" -D "$SERVICES_DIR/pg/data" -l "$SERVICES_DIR/pg/server.log" \
    -o "-p $port -k $SERVICES_DIR/pg -c listen_addresses=127.0.0.1 -c fsync=off" -w start >/dev/null
  "$bindir/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE registry LOGIN SUPERUSER PASSWORD 'registry'" \
    -c "CREATE DATABASE registry_test OWNER registry"
  export REGISTRY_TEST_DATABASE_URL="postgresql+psycopg://registry:registry@127.0.0.1:$port/registry_test"
  echo "[services] PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

start_minio() {
  local port console i
  port=$(_free_port)
  console=$(_free_port)
  mkdir -p "$SERVICES_DIR"/minio/d{1,2,3,4}
  export REGISTRY_TEST_MINIO_ACCESS_KEY=registry-ci
  export REGISTRY_TEST_MINIO_SECRET_KEY="registry-ci-$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
  # Four drives: erasure coding, so versioning and object lock work as in production.
  # MINIO_CI_CD: accept drive folders that sit on the root disk (as on a CI machine).
  MINIO_ROOT_USER=$REGISTRY_TEST_MINIO_ACCESS_KEY MINIO_ROOT_PASSWORD=$REGISTRY_TEST_MINIO_SECRET_KEY \
  MINIO_BROWSER=off MINIO_UPDATE=off MINIO_CI_CD=1 \
    "$MINIO_BIN_DIR/minio" server --quiet --address "127.0.0.1:$port" \
    --console-address "127.0.0.1:$console" "$SERVICES_DIR"/minio/d{1...4} \
    >"$SERVICES_DIR/minio/server.log" 2>&1 &
  echo $! >"$SERVICES_DIR/minio/pid"
  for i in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/minio/health/ready" >/dev/null 2>&1; then
      export REGISTRY_TEST_MINIO_ENDPOINT="127.0.0.1:$port"
      echo "[services] MinIO on 127.0.0.1:$port"
      return 0
    fi
    sleep 0.5
  done
  echo "[services] MinIO did not become ready; its log:" >&2
  cat "$SERVICES_DIR/minio/server.log" >&2
  return 1
}

start_servers() {
  # Both servers (installed already) in a new folder; exports REGISTRY_TEST_* and
  # REGISTRY_SERVICES_DIR, the folder that stop_services removes.
  SERVICES_DIR=$(mktemp -d /tmp/registry-services.XXXXXX)
  chmod 755 "$SERVICES_DIR"
  export REGISTRY_SERVICES_DIR=$SERVICES_DIR
  start_postgres
  start_minio
}

start_services() {
  install_postgres
  install_browser_tools
  install_text_tools
  install_signing_tools
  install_minio
  start_servers
}

stop_services() {
  [ -n "$SERVICES_DIR" ] && [ -d "$SERVICES_DIR" ] || return 0
  if [ -f "$SERVICES_DIR/minio/pid" ]; then
    kill "$(cat "$SERVICES_DIR/minio/pid")" 2>/dev/null || true
  fi
  if [ -d "$SERVICES_DIR/pg/data" ]; then
    runuser -u postgres -- "$(_pg_bindir)/pg_ctl" -D "$SERVICES_DIR/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$SERVICES_DIR"
}

# Run as a command (not sourced): for programs that are no shell script, such as the bench.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -Eeuo pipefail
  case "${1:-}" in
    start)
      trap stop_services ERR
      start_servers >&2
      env | grep -E '^REGISTRY_(TEST_[A-Z_]+|SERVICES_DIR)=' ;;
    stop)
      SERVICES_DIR=${2:?usage: bash .ci/services.sh stop DIR}
      stop_services ;;
    *)
      echo "usage: bash .ci/services.sh start | stop DIR" >&2
      exit 2 ;;
  esac
fi
