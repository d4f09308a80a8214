--[[
  Included by record-inbound.lua and append-reply.lua, once an entry is in
  the transcript:

  announceEntry(channel, entryJson, id)
    channel    the conversation's event bus channel (<prefix>:events:conversation:<id>)
    entryJson  the entry as the caller gave it: a JSON object without `id`
    id         the id the entry was stored with

  Publishes {"type":"message","entry":<entry with id>}, the ConversationEvent
  a TypeScript publisher would send (src/core/conversation-log.ts): the id is
  spliced in as the last member, where JSON.stringify({ ...entry, id }) puts
  it, so the payload is byte for byte what that publisher wrote. The JSON is
  never decoded here: cjson would round numbers and turn empty arrays into
  objects.
]]
local function announceEntry(channel, entryJson, id)
  local entry
  if entryJson == '{}' then
    entry = '{"id":' .. string.format('%d', id) .. '}'
  else
    entry = string.sub(entryJson, 1, -2) .. ',"id":' .. string.format('%d', id) .. '}'
  end
  redis.call('PUBLISH', channel, '{"type":"message","entry":' .. entry .. '}')
end
