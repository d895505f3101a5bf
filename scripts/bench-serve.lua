-- wrk script for scripts/bench-serve.sh: requests PREFIX..VALUE, rotating through
-- the values of FILE (one a line), each of the BENCH_THREADS threads from its own
-- share of them (so a run over more values than it makes requests asks for each
-- at most once); with
-- "escape" the value is percent-encoded (search text). At the end it prints one line
-- the shell script reads:
--   BENCH requests/s p50_ms p99_ms non2xx errors requests
-- Usage: wrk -s scripts/bench-serve.lua URL -- FILE PREFIX [escape]
local values, i, prefix = {}, 0, "/"

local function escape(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local count = 0
function setup(thread)
  thread:set("index", count)
  count = count + 1
end

function init(args)
  local file, esc = args[1], args[3] == "escape"
  prefix = args[2] or "/"
  for line in io.lines(file) do
    if line ~= "" then
      values[#values + 1] = esc and escape(line) or line
    end
  end
  if #values == 0 then
    error("no values in " .. file)
  end
  local n = tonumber(os.getenv("BENCH_THREADS") or "1") or 1
  i = math.floor((index or 0) * #values / n)
end

function request()
  i = i % #values + 1
  return wrk.format("GET", prefix .. values[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %.1f %.2f %.2f %d %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout, summary.requests))
end
