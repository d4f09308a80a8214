--[[
  Reads one botbuilder storage item and, when a time to live is configured,
  restarts it: state expires after a conversation has been idle (neither
  read nor written) for that long, not merely unchanged.

  Input:
    KEYS[1] dialog state             (<prefix>:dialog:<storageKey>)

    ARGV[1] time to live in seconds; 0 leaves the expiry alone

  Output:
    { eTag, JSON without eTag } when the item exists, otherwise nil.
]]
local item = redis.call('HMGET', KEYS[1], 'etag', 'data')
if not item[1] or not item[2] then
  return nil
end
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  redis.call('EXPIRE', KEYS[1], ttl)
end
return item
