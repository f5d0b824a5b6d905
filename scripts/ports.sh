# Port checks for run.sh (sourced). A busy port stops the script with its name, so a second emulator or app on
# the same port can never silently serve this one's requests.

# True when something listens on 127.0.0.1:$1 (or on every address).
port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# A port the system has free right now.
free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# require_free_ports VAR "what" [VAR "what"]…: each variable holds a port. A busy one stops the script naming it,
# or with AUTO_PORTS=1 is replaced by a free port, printed.
require_free_ports() {
  local failed=0 taken=" " var what port
  while [ $# -ge 2 ]; do
    var=$1 what=$2
    shift 2
    port=${!var}
    if ! [[ $port =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
      echo "run.sh: $var=$port is not a port number." >&2
      failed=1
      continue
    fi
    if port_in_use "$port" || [[ $taken == *" $port "* ]]; then
      if [ "${AUTO_PORTS:-0}" = 1 ]; then
        local moved
        moved=$(free_port)
        echo "Port $port ($what) is in use; using $moved instead ($var=$moved)."
        printf -v "$var" '%s' "$moved"
        port=$moved
      else
        echo "run.sh: port $port ($what) is already in use by another process." >&2
        echo "        Stop that process, choose another port ($var=<port> ./run.sh), or let the script pick free ones (AUTO_PORTS=1 ./run.sh)." >&2
        failed=1
      fi
    fi
    taken+="$port "
  done
  [ "$failed" = 0 ] || exit 1
}

# True when the process $1 is the one listening on port $2 (unverifiable without ss: then the log check stands).
listening_pid_is() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$2" 2>/dev/null | grep -q "pid=$1,"
}

# wait_for_own_listeners PID LOG NAME VAR…: waits until process PID says in LOG that it listens on each port, and
# is the process holding it; stops the script, with the log, if it exits first (EADDRINUSE) or takes too long.
wait_for_own_listeners() {
  local pid=$1 log=$2 name=$3 var port ready
  shift 3
  for _ in $(seq 1 120); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run.sh: $name exited while starting; its log ($log) says:" >&2
      tail -n 20 "$log" >&2
      exit 1
    fi
    ready=1
    for var in "$@"; do
      grep -q "successfully listening at http://127.0.0.1:${!var}\b" "$log" 2>/dev/null || ready=0
    done
    [ "$ready" = 1 ] && break
    sleep 0.5
  done
  if [ "$ready" != 1 ]; then
    echo "run.sh: $name did not start listening within a minute; see $log" >&2
    exit 1
  fi
  for var in "$@"; do
    port=${!var}
    if ! listening_pid_is "$pid" "$port"; then
      echo "run.sh: port $port answers, but not from the $name this script started (pid $pid); stopping." >&2
      exit 1
    fi
  done
}
