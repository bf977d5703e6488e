-- The LinkBench-derived mix of benchmarks/mix.py, for wrk (LuaJIT). mix.py writes the values
-- of the first block (the graph, the signed query, where to write the results) above this
-- file's text and runs `wrk -s` on the result.
--
-- Every answer is checked (HTTP 200, "ErrorCode":0, no item with a non-zero ResultCode) and
-- timed: each request carries an X-Request-ID, which relchain returns, so the answer finds its
-- request and its send time (clock_gettime through the FFI: wrk gives no per-request times).
-- done() writes per-operation counts, errors and latencies (microseconds) as JSON to OUT.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } mix_timespec;
int clock_gettime(int clk_id, mix_timespec *tp);
]]
local ts = ffi.new("mix_timespec[1]")
local function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts[0].tv_sec) * 1000000 + tonumber(ts[0].tv_nsec) / 1000
end

local threads = {}
local next_tid = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

local cum, total, pending, added
local seq, nadded = 0, 0

function init(args)
  math.randomseed(tid * 7919 + SEED)
  cum = {}
  local s = 0
  for r = 1, USERS do
    s = s + 1 / (r ^ ZIPF)
    cum[r] = s
  end
  total = s
  -- globals, read by done() through thread:get (flat tables only: wrk 4.1 crashes copying
  -- nested ones), so one latency array per operation
  counts, errors, samples = {}, {}, {}
  for _, op in ipairs(OPS) do
    counts[op[1]] = 0
    errors[op[1]] = 0
    _G["lat_" .. op[1]] = {}
  end
  pending, added = {}, {}
end

local function zipf() -- rank 1 is u0000000, the most popular account
  local x = math.random() * total
  local lo, hi = 1, USERS
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cum[mid] < x then lo = mid + 1 else hi = mid end
  end
  return lo - 1
end

local function uniform() return math.random(0, USERS - 1) end
local function uid(i) return string.format("u%07d", i) end
local function other_than(a)
  local b = zipf()
  while b == a do b = zipf() end
  return b
end

local function pick()
  local x = math.random() * OPS_TOTAL
  for _, op in ipairs(OPS) do
    x = x - op[2]
    if x <= 0 then return op[1] end
  end
  return OPS[#OPS][1]
end

local BODIES = {
  follow_get = function()
    return "follow/follow_get", string.format(
      '{"From_Account":"%s","FollowType":%d,"StartCursor":"","WantNum":50}',
      uid(zipf()), math.random(1, 3))
  end,
  portrait_get = function()
    return "profile/portrait_get", string.format(
      '{"To_Account":["%s"],"TagList":["Tag_Profile_IM_Nick"]}', uid(zipf()))
  end,
  follow_add = function()
    local a = uniform()
    return "follow/follow_add", string.format(
      '{"From_Account":"%s","FollowItem":[{"To_Account":"%s"}]}', uid(a), uid(other_than(a)))
  end,
  friend_update = function() -- the ring: every account is a friend of the next one
    local a = uniform()
    return "sns/friend_update", string.format(
      '{"From_Account":"%s","UpdateItem":[{"To_Account":"%s","SnsItem":'
        .. '[{"Tag":"Tag_SNS_IM_Remark","Value":"remark %d"}]}]}',
      uid(a), uid((a + 1) % USERS), seq)
  end,
  portrait_set = function()
    return "profile/portrait_set", string.format(
      '{"From_Account":"%s","ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"nick %d"}]}',
      uid(uniform()), seq)
  end,
  follow_get_info = function()
    local a = uid(zipf())
    return "follow/follow_get_info", string.format(
      '{"From_Account":"%s","To_Account":["%s"]}', a, a)
  end,
  follow_delete = function()
    local a = uniform()
    return "follow/follow_delete", string.format(
      '{"From_Account":"%s","To_Account":["%s"]}', uid(a), uid(other_than(a)))
  end,
  account_import = function()
    nadded = nadded + 1
    local id = string.format("n%d_%d", tid, nadded)
    table.insert(added, id)
    return "im_open_login_svc/account_import", string.format(
      '{"UserID":"%s","Nick":"new %d"}', id, nadded)
  end,
  account_delete = function()
    local id = table.remove(added, 1)
    return "im_open_login_svc/account_delete", string.format(
      '{"DeleteItem":[{"UserID":"%s"}]}', id)
  end,
  follow_check = function()
    local a = zipf()
    local targets = {}
    for i = 1, 10 do targets[i] = '"' .. uid(other_than(a)) .. '"' end
    return "follow/follow_check", string.format(
      '{"From_Account":"%s","To_Account":[%s]}', uid(a), table.concat(targets, ","))
  end,
}

function request()
  seq = seq + 1
  local op = pick()
  if op == "account_delete" and #added == 0 then op = "account_import" end
  local path, body = BODIES[op]()
  local id = string.format("m%d-%d", tid, seq)
  pending[id] = { op, now_us() }
  return wrk.format("POST", "/v4/" .. path .. "?" .. QUERY,
    { ["Content-Type"] = "application/json", ["X-Request-ID"] = id }, body)
end

function response(status, headers, body)
  local id = headers["x-request-id"] or headers["X-Request-ID"]
  local started = id and pending[id]
  if not started then return end
  pending[id] = nil
  local op = started[1]
  local took = now_us() - started[2]
  counts[op] = counts[op] + 1
  local l = _G["lat_" .. op]
  l[#l + 1] = took
  if status ~= 200 or not string.find(body, '"ErrorCode":0', 1, true)
      or string.find(body, '"ResultCode":[1-9]') then
    errors[op] = errors[op] + 1
    if #samples < 5 then samples[#samples + 1] = op .. ": " .. string.sub(body, 1, 300) end
  end
end

local function json_string(s)
  return '"' .. string.gsub(s, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

function done(summary, latency, requests)
  local out = { '{"threads":[' }
  for n, thread in ipairs(threads) do
    local c, e, s = thread:get("counts"), thread:get("errors"), thread:get("samples")
    local parts = {}
    for _, op in ipairs(OPS) do
      local name = op[1]
      local values = {}
      for i, v in ipairs(thread:get("lat_" .. name)) do values[i] = string.format("%.0f", v) end
      parts[#parts + 1] = string.format('"%s":{"count":%d,"errors":%d,"us":[%s]}',
        name, c[name], e[name], table.concat(values, ","))
    end
    local shown = {}
    for i, v in ipairs(s) do shown[i] = json_string(v) end
    out[#out + 1] = (n > 1 and "," or "") .. "{" .. table.concat(parts, ",")
      .. ',"samples":[' .. table.concat(shown, ",") .. "]}"
  end
  local e = summary.errors
  out[#out + 1] = string.format(
    '],"requests":%d,"duration_us":%d,"socket_errors":{"connect":%d,"read":%d,"write":%d,'
      .. '"status":%d,"timeout":%d}}',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout)
  local file = assert(io.open(OUT, "w"))
  file:write(table.concat(out))
  file:close()
end
