-- wrk script: requests from a file, one per line (METHOD \t PATH \t TOKEN \t BODY), taken in
-- turn by each thread from its own share of the file (so no line is sent twice before the file
-- is used up: a person is proposed for a stay once); a proposed stay (201 with "status":"proposed") is
-- admitted next by the same thread with ADMIT_TOKEN. done() prints the figures as JSON.

local requests = {}
local threads = {}

local function load_lines(path)
  local lines = {}
  for line in io.lines(path) do
    local method, target, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
    lines[#lines + 1] = { method = method, path = target, token = token, body = body }
  end
  return lines
end

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  requests = load_lines(os.getenv("BENCH_REQUESTS"))
  admit_token = os.getenv("BENCH_ADMIT_TOKEN")
  local threads = tonumber(os.getenv("BENCH_THREADS") or "2")
  counter = id * math.floor(#requests / threads)
  to_admit = {}
end

function request()
  local stay = table.remove(to_admit)
  if stay then
    return wrk.format("POST", "/api/v1/shelter-stays/" .. stay .. "/admit", {
      ["Authorization"] = "Bearer " .. admit_token,
      ["Content-Type"] = "application/json",
    }, "{}")
  end
  counter = counter + 1
  local r = requests[(counter % #requests) + 1]
  local headers = { ["Authorization"] = "Bearer " .. r.token }
  local body = nil
  if r.body ~= nil and r.body ~= "" then
    headers["Content-Type"] = "application/json"
    body = r.body
  end
  return wrk.format(r.method, r.path, headers, body)
end

-- defined only where needed: wrk reads no bodies unless a script asks for them
if os.getenv("BENCH_ADMIT_TOKEN") then
  function response(status, headers, body)
    if status == 201 and body:find('"status":"proposed"', 1, true) then
      local stay = body:match('"id":"([0-9a-f%-]+)"')
      if stay then
        to_admit[#to_admit + 1] = stay
      end
    end
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
