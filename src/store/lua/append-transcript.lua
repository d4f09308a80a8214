--[[
  Appends one entry to a conversation's transcript: takes the next entry id
  from the record, pushes the entry with that id, trims the list to the cap
  and bumps the record's updatedAt, all or nothing.

  The entry arrives as JSON without its id; the id is spliced in as the
  first member so that Lua never decodes and re-encodes the JSON (cjson
  would round numbers and could turn empty arrays into objects).

  Input:
    KEYS[1] conversation record      (<prefix>:{conv:<id>}:record)
    KEYS[2] conversation transcript  (<prefix>:{conv:<id>}:transcript)

    ARGV[1] the entry as a JSON object without `id` (starts with "{")
    ARGV[2] cap: how many entries the transcript keeps (>= 1)
    ARGV[3] now (ms since the epoch): the record's new updatedAt

  Output:
    the new entry's id (integer, > every earlier id of this conversation).
    Error SB_CONVERSATION_NOT_FOUND when the record does not exist.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return redis.error_reply('SB_CONVERSATION_NOT_FOUND no such conversation record')
end
local id = redis.call('HINCRBY', KEYS[1], 'lastEntryId', 1)
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3])
local entry = '{"id":' .. string.format('%d', id)
if ARGV[1] == '{}' then
  entry = entry .. '}'
else
  entry = entry .. ',' .. string.sub(ARGV[1], 2)
end
redis.call('RPUSH', KEYS[2], entry)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
return id
