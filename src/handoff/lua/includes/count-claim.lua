--[[
  Included by claim-named.lua and claim-next.lua, once a conversation has
  left `skill`'s queue for an agent's held set:

  countClaim(seenKey, agentId, base, skill, now, nowArg, alpha)
    seenKey  agents by last seen         (<prefix>:{handoff}:agents:seen)
    base     base of the area's keys     (<prefix>:{handoff}:)
    now      now (ms since the epoch), a number; nowArg the same as given
    alpha    weight of the newest interval in the claim-rate average (0..1)

  The agent is evidently alive: its lease runs from now (never backwards).

  Claim rate: moving average of the interval between successive claims in
  the skill. An interval counts only when the previous claim left
  conversations waiting (`backlog`): time with an empty queue is idle time,
  not service time, and would inflate every estimate after a quiet spell.
]]
local function countClaim(seenKey, agentId, base, skill, now, nowArg, alpha)
  local seen = tonumber(redis.call('ZSCORE', seenKey, agentId))
  if not seen or seen < now then
    redis.call('ZADD', seenKey, nowArg, agentId)
  end

  local rateKey = base .. 'claim-rate:' .. skill
  local rate = redis.call('HMGET', rateKey, 'lastClaimAt', 'avgIntervalMs', 'backlog')
  local last = tonumber(rate[1])
  local update = {}
  if last and rate[3] == '1' then
    local interval = now - last
    if interval < 0 then
      interval = 0
    end
    local average = tonumber(rate[2])
    if average then
      average = alpha * interval + (1 - alpha) * average
    else
      average = interval
    end
    update[#update + 1] = 'avgIntervalMs'
    update[#update + 1] = string.format('%.17g', average)
  end
  if not last or now > last then
    update[#update + 1] = 'lastClaimAt'
    update[#update + 1] = nowArg
  end
  update[#update + 1] = 'backlog'
  if redis.call('ZCARD', base .. 'queue:' .. skill) > 0 then
    update[#update + 1] = '1'
  else
    update[#update + 1] = '0'
  end
  redis.call('HSET', rateKey, unpack(update))
end
