--[[
  Creates the conversation record unless it exists; second step of
  getOrCreate. Every caller of getOrCreate runs it, winner and losers of the
  claim alike, so a record whose creation was lost (a crash right after the
  claim) is created lazily by the next caller with the same channel key.

  Input:
    KEYS[1] conversation record      (<prefix>:{conv:<id>}:record)

    ARGV[1] id
    ARGV[2] channel
    ARGV[3] conversationKey
    ARGV[4] userId
    ARGV[5] address (JSON object of strings)
    ARGV[6] status
    ARGV[7] locale
    ARGV[8] now (ms since the epoch): createdAt and updatedAt

  Output:
    { created, fields }: created is 1 when this call created the record,
    0 when it existed; fields is the record as HGETALL returns it.
]]
local created = 0
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1],
    'id', ARGV[1],
    'channel', ARGV[2],
    'conversationKey', ARGV[3],
    'userId', ARGV[4],
    'address', ARGV[5],
    'status', ARGV[6],
    'locale', ARGV[7],
    'createdAt', ARGV[8],
    'updatedAt', ARGV[8],
    'lastEntryId', 0)
  created = 1
end
return { created, redis.call('HGETALL', KEYS[1]) }
