-- wrk script for SPARQL endpoints: varies the query per request and counts non-2xx.
--
-- usage: wrk -s bench/wrk/sparql.lua URL -- QUERIES_FILE [post|get]
--
-- QUERIES_FILE holds one percent-encoded query per line. Each request takes the next
-- line (each thread starts at its own offset), sent either as POST
-- application/sparql-query (the default) or as GET ?query=..., always asking for
-- application/sparql-results+json. done() prints one line "BENCH {...}" with the
-- counts and the latency percentiles (microseconds) that bench/servers.py reads.

local threads = {}
local requests_list = {}
local next_index = 0
errors = 0

local function decode(text)
  text = text:gsub("+", " ")
  return (text:gsub("%%(%x%x)", function(hex) return string.char(tonumber(hex, 16)) end))
end

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  local path = args[1]
  local method = args[2] or "post"
  local accept = "application/sparql-results+json"
  for line in io.lines(path) do
    if #line > 0 then
      local request
      if method == "get" then
        local sep = wrk.path:find("?", 1, true) and "&" or "?"
        request = wrk.format("GET", wrk.path .. sep .. "query=" .. line, { Accept = accept })
      else
        request = wrk.format("POST", wrk.path, {
          Accept = accept,
          ["Content-Type"] = "application/sparql-query; charset=utf-8",
        }, decode(line))
      end
      table.insert(requests_list, request)
    end
  end
  if #requests_list == 0 then
    error("no query in " .. tostring(path))
  end
  next_index = (offset or 0) % #requests_list
end

function request()
  next_index = next_index % #requests_list + 1
  return requests_list[next_index]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local non2xx = 0
  for _, thread in ipairs(threads) do
    non2xx = non2xx + (thread:get("errors") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, '
      .. '"socket_errors": %d, "timeouts": %d, "mean_us": %.1f, "max_us": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, non2xx,
    e.connect + e.read + e.write, e.timeout, latency.mean, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99)))
end
