--[[
  Reads transcript entries with an id greater than `after`, oldest first.
  Ids in the list are consecutive (each append takes the next id and pushes
  in the same script), so the list index of an id is arithmetic from the
  last id and the list length; reading both in one script keeps them in
  step with concurrent appends and trims.

  Input:
    KEYS[1] conversation record      (<prefix>:{conv:<id>}:record)
    KEYS[2] conversation transcript  (<prefix>:{conv:<id>}:transcript)

    ARGV[1] after: only entries whose id is greater (integer >= 0)
    ARGV[2] limit: at most this many entries; -1 for no limit

  Output:
    array of JSON entries (strings), oldest first; empty when none match.
    Error SB_CONVERSATION_NOT_FOUND when the record does not exist.
]]
local lastId = redis.call('HGET', KEYS[1], 'lastEntryId')
if not lastId then
  return redis.error_reply('SB_CONVERSATION_NOT_FOUND no such conversation record')
end
local after = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
if limit == 0 then
  return {}
end
local length = redis.call('LLEN', KEYS[2])
local firstId = tonumber(lastId) - length + 1
local start = after + 1 - firstId
if start < 0 then
  start = 0
end
if start >= length then
  return {}
end
local stop = -1
if limit > 0 then
  stop = start + limit - 1
end
return redis.call('LRANGE', KEYS[2], start, stop)
