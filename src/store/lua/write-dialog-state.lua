--[[
  Writes one botbuilder storage item with optimistic concurrency, with the
  semantics of botbuilder's MemoryStorage: the write goes through when the
  item does not exist, when the expected eTag is empty or "*", or when it
  equals the stored eTag; otherwise it is refused.

  Input:
    KEYS[1] dialog state             (<prefix>:dialog:<storageKey>)

    ARGV[1] expected eTag ("" or "*" for an unconditional write)
    ARGV[2] new eTag (unique per write, chosen by the caller)
    ARGV[3] the item as JSON, without its eTag
    ARGV[4] time to live in seconds; 0 keeps the item until deleted

  Output:
    the new eTag.
    Error SB_ETAG_CONFLICT when the stored eTag differs from the expected one.
]]
local expected = ARGV[1]
if expected ~= '' and expected ~= '*' then
  local stored = redis.call('HGET', KEYS[1], 'etag')
  if stored and stored ~= expected then
    return redis.error_reply('SB_ETAG_CONFLICT the stored eTag differs')
  end
end
redis.call('HSET', KEYS[1], 'etag', ARGV[2], 'data', ARGV[3])
local ttl = tonumber(ARGV[4])
if ttl > 0 then
  redis.call('EXPIRE', KEYS[1], ttl)
else
  redis.call('PERSIST', KEYS[1])
end
return ARGV[2]
