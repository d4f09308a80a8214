--[[
  Records that an agent is alive: its last-seen time becomes `now`, unless
  it was already later (hosts' clocks differ; a lease never moves back).

  Input:
    KEYS[1] agents by last seen           (<prefix>:{handoff}:agents:seen)

    ARGV[1] agent id
    ARGV[2] now (ms since the epoch)

  Output:
    the agent's last-seen time after the call (integer).
    Error SBQ_BAD_ARGUMENT when now does not parse.
]]
local now = tonumber(ARGV[2])
if not now then
  return redis.error_reply('SBQ_BAD_ARGUMENT now must be a number')
end
local seen = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]))
if seen and seen >= now then
  return seen
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return now
