--[[
  What a turn runner must still do in a conversation, up to a given entry:
  the transcript entries after `inboundDone` up to and including `upTo`
  (the caller keeps the customer messages among them and runs their turns in
  order). Reading the watermark and the entries in one script keeps them in
  step with concurrent appends and trims; index arithmetic as in
  read-transcript.lua (ids in the list are consecutive).

  Input:
    KEYS[1] conversation record      (<prefix>:{conv:<id>}:record)
    KEYS[2] conversation transcript  (<prefix>:{conv:<id>}:transcript)

    ARGV[1] upTo: the newest entry id to include (integer >= 1)

  Output:
    { inboundDone, replyInbound, replyOrdinal, replyEntryId, entry JSON, … }:
    the watermarks (append-reply.lua's; 0, -1 and 0 when no reply was ever
    appended) and the entries, oldest first; no entries when everything up
    to `upTo` is done.
    Error SB_CONVERSATION_NOT_FOUND when the record does not exist.
]]
local fields = redis.call('HMGET', KEYS[1], 'lastEntryId', 'inboundDone', 'replyInbound', 'replyOrdinal', 'replyEntryId')
if not fields[1] then
  return redis.error_reply('SB_CONVERSATION_NOT_FOUND no such conversation record')
end
local upTo = tonumber(ARGV[1])
local done = tonumber(fields[2] or (upTo - 1))
local result = { done, tonumber(fields[3] or '0'), tonumber(fields[4] or '-1'), tonumber(fields[5] or '0') }
if done >= upTo then
  return result
end
local lastId = tonumber(fields[1])
local length = redis.call('LLEN', KEYS[2])
local firstId = lastId - length + 1
local start = done + 1 - firstId
if start < 0 then
  start = 0
end
local stop = upTo - firstId
if stop >= length then
  stop = length - 1
end
if start > stop then
  return result
end
for _, entry in ipairs(redis.call('LRANGE', KEYS[2], start, stop)) do
  result[#result + 1] = entry
end
return result
