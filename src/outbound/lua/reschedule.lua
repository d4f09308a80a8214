--[[
  Puts a delivery back in the schedule for another attempt, with its record
  updated, unless it was completed meanwhile (then nothing changes).

  Input:
    KEYS[1] schedule     (<prefix>:{webhooks}:due, zset: delivery id -> due time ms)
    KEYS[2] deliveries   (<prefix>:{webhooks}:deliveries, hash: delivery id -> JSON)

    ARGV[1] delivery id
    ARGV[2] the updated JSON record
    ARGV[3] next due time (ms)

  Output:
    1 when rescheduled, 0 when the delivery no longer exists.
]]
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
