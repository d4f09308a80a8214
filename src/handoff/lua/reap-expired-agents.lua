--[[
  Agents last seen before the cutoff lose what they hold: each conversation
  goes back to the head of its skill's queue (before every other ticket of
  its priority, after every ticket of a higher one), entering it now, and
  the agent is forgotten (its held set and its last-seen entry go). Atomic,
  so hosts running it at once each reap a given agent at most once: the
  first takes it, the others no longer see it.

  Input:
    KEYS[1] agents by last seen           (<prefix>:{handoff}:agents:seen)

    ARGV[1] base of the area's keys       (<prefix>:{handoff}:), for the
            held sets, tickets and queues of the agents reaped
    ARGV[2] cutoff (ms): agents last seen strictly before it expire
    ARGV[3] now (ms since the epoch): the requeued tickets' enqueuedAt
    ARGV[4] MAX_PRIORITY
    ARGV[5] width of a priority's band of scores (2^42)

  Output:
    one entry per expired agent, earliest seen first:
    { agentId, { <ticket as HGETALL gives it>, ... } } with the tickets
    requeued (possibly none).
    Error SBQ_BAD_ARGUMENT when a number does not parse.
]]
local base = ARGV[1]
local cutoff = tonumber(ARGV[2])
local maxPriority = tonumber(ARGV[4])
local band = tonumber(ARGV[5])
if not cutoff or not tonumber(ARGV[3]) or not maxPriority or not band then
  return redis.error_reply('SBQ_BAD_ARGUMENT cutoff, now, max priority and band must be numbers')
end

local result = {}
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
for _, agentId in ipairs(expired) do
  local heldKey = base .. 'agent:' .. agentId .. ':held'
  local requeued = {}
  for _, id in ipairs(redis.call('SMEMBERS', heldKey)) do
    local ticketKey = base .. 'ticket:' .. id
    local current = redis.call('HMGET', ticketKey, 'skill', 'priority', 'agentId')
    local skill, priority = current[1], tonumber(current[2])
    -- Only what the ticket says this agent holds (the set and the ticket
    -- change together, so anything else would be a foreign write).
    if skill and priority and current[3] == agentId then
      redis.call('HDEL', ticketKey, 'agentId', 'assignedAt')
      redis.call('HSET', ticketKey, 'enqueuedAt', ARGV[3])
      redis.call('ZADD', base .. 'queue:' .. skill, string.format('%.17g', (maxPriority - priority) * band), id)
      requeued[#requeued + 1] = redis.call('HGETALL', ticketKey)
    end
  end
  redis.call('DEL', heldKey)
  redis.call('ZREM', KEYS[1], agentId)
  result[#result + 1] = { agentId, requeued }
end
return result
