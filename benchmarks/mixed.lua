-- wrk's script for the mixed run of benchmarks/run.py (benchmarks/mixed.py builds its list and reads its logs).
--
--   wrk -t16 -c16 -d15s -s mixed.lua http://127.0.0.1:PORT -- requests.tsv logs/ 16
--
-- requests.tsv: one request a line, "METHOD<tab>PATH<tab>COOKIE<tab>BODY" (the body urlencoded).
-- Each thread starts at its own share of the list (thread k of n at k/n of it) and walks on in order,
-- wrapping around at the end, so that the threads together send the list's mix of pages and writes.
-- Each thread writes one line per answer to logs/thread-K.log: "POSITION STATUS MICROSECONDS LOCATION"
-- (POSITION counts from 0; LOCATION is the redirect's target, or "-"). Run it with as many threads as
-- connections: wrk does not tell the script which connection answered, and with one connection a
-- thread's response() always answers its last request(), so the latency measured here is that request's.
-- A request() while one is still unanswered means wrk gave up on that one (a socket error): it is
-- logged with status 0. Before the run, wrk calls the first thread's request() once to check that it
-- is well formed, and never sends it: that call is not counted.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } hromada_timespec;
int clock_gettime(int clock_id, hromada_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("hromada_timespec")

local function microseconds()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000000 + math.floor(tonumber(clock.tv_nsec) / 1000)
end

-- In wrk's main Lua state: number the threads, one state per thread.
local created = 0
function setup(thread)
  thread:set("number", created)
  created = created + 1
end

-- In each thread's own state.
local requests, position, log, pending, started, checked

function init(args)
  local data, folder, threads = args[1], args[2], tonumber(args[3])
  requests = {}
  for line in io.lines(data) do
    local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {}
    if cookie ~= "" then headers["Cookie"] = cookie end
    if method == "POST" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
    requests[#requests + 1] = wrk.format(method, path, headers, method == "POST" and body or nil)
  end
  position = math.floor(number * #requests / threads)
  checked = number ~= 0
  -- Buffered: wrk exits through exit(), which flushes every open file.
  log = assert(io.open(string.format("%s/thread-%d.log", folder, number), "w"))
end

function request()
  if not checked then
    checked = true
    return requests[position % #requests + 1]
  end
  local now = microseconds()
  if pending then
    log:write(pending, " 0 ", now - started, " -\n")
  end
  pending = position % #requests
  position = position + 1
  started = now
  return requests[pending + 1]
end

function response(status, headers, body)
  if pending == nil then
    return
  end
  log:write(pending, " ", status, " ", microseconds() - started, " ", headers["Location"] or "-", "\n")
  pending = nil
end
