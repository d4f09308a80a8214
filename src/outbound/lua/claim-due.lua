--[[
  Claims the deliveries that are due: each is pushed to the end of its lease
  in the schedule (so no other host claims it meanwhile) and returned. An id
  in the schedule without a record (completed by another host) is dropped.

  Input:
    KEYS[1] schedule     (<prefix>:{webhooks}:due, zset: delivery id -> due time ms)
    KEYS[2] deliveries   (<prefix>:{webhooks}:deliveries, hash: delivery id -> JSON)

    ARGV[1] now (ms)
    ARGV[2] lease end (ms)
    ARGV[3] at most this many

  Output:
    the JSON records of the claimed deliveries, soonest due first.
]]
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local claimed = {}
for _, id in ipairs(ids) do
  local record = redis.call('HGET', KEYS[2], id)
  if record then
    redis.call('ZADD', KEYS[1], ARGV[2], id)
    claimed[#claimed + 1] = record
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return claimed
