--[[
  Records a customer message in its conversation's transcript, once: the
  durable half of accepting a message (the inbox stream entry, written
  after this, is the other). With an idempotency key (the platform's
  message id), a second call with the same key records nothing and answers
  with the first call's entry id, so a platform's redelivery, or the retry
  of a webhook whose first attempt died after this script, never adds the
  message twice. Also keeps the record's inbound bookkeeping:

    inboundDone           id of the last customer entry whose turn is complete
                          (set to id - 1 on a record that has none yet, so a
                          conversation older than this field starts here)
    lastCustomerMessageAt when the customer last wrote (never moves back)

  A newly recorded entry is announced here, on the conversation's event bus
  channel, in the same step as its write (announce-entry.lua): one round
  trip less than a PUBLISH of its own, and the message is announced before
  its inbox item exists, so before anything its turn appends.

  Input:
    KEYS[1] conversation record      (<prefix>:{conv:<id>}:record)
    KEYS[2] conversation transcript  (<prefix>:{conv:<id>}:transcript)
    KEYS[3] optional idempotency key (<prefix>:{conv:<id>}:inbound:<key>)

    ARGV[1] the entry as a JSON object without `id` (starts with "{")
    ARGV[2] cap: how many entries the transcript keeps (>= 1)
    ARGV[3] now (ms since the epoch): the record's new updatedAt
    ARGV[4] when the customer wrote (ms since the epoch)
    ARGV[5] how long the idempotency key is kept, in ms (with KEYS[3])
    ARGV[6] the event bus channel of the conversation (<prefix>:events:conversation:<id>)

  Output:
    { entryId, fresh, done }: fresh is 1 when this call recorded the entry,
    0 when the key had recorded it before; done is 1 when that entry's turn
    is already complete (nothing left to schedule). The entry is announced
    on ARGV[6] only when fresh.
    Error SB_CONVERSATION_NOT_FOUND when the record does not exist.
]]
--- @include "announce-entry"

if redis.call('EXISTS', KEYS[1]) == 0 then
  return redis.error_reply('SB_CONVERSATION_NOT_FOUND no such conversation record')
end
local doneField = redis.call('HGET', KEYS[1], 'inboundDone')
if KEYS[3] then
  local existing = redis.call('GET', KEYS[3])
  if existing then
    local existingId = tonumber(existing)
    local done = 0
    if doneField and tonumber(doneField) >= existingId then
      done = 1
    end
    return { existingId, 0, done }
  end
end
local id = redis.call('HINCRBY', KEYS[1], 'lastEntryId', 1)
if not doneField then
  redis.call('HSET', KEYS[1], 'inboundDone', id - 1)
end
local wrote = tonumber(ARGV[4])
local previous = tonumber(redis.call('HGET', KEYS[1], 'lastCustomerMessageAt') or '0')
if wrote > previous then
  redis.call('HSET', KEYS[1], 'lastCustomerMessageAt', ARGV[4])
end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3])
local entry = '{"id":' .. string.format('%d', id)
if ARGV[1] == '{}' then
  entry = entry .. '}'
else
  entry = entry .. ',' .. string.sub(ARGV[1], 2)
end
redis.call('RPUSH', KEYS[2], entry)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
if KEYS[3] then
  redis.call('SET', KEYS[3], id, 'PX', ARGV[5])
end
announceEntry(ARGV[6], ARGV[1], id)
return { id, 1, 0 }
