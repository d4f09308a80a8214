--[[
  Ends an agent's hold on a conversation (it goes back to the bot): the
  ticket is deleted.

  Input:
    KEYS[1] the conversation's ticket     (<prefix>:{handoff}:ticket:<conversationId>)
    KEYS[2] the agent's held set          (<prefix>:{handoff}:agent:<agentId>:held)

    ARGV[1] conversation id
    ARGV[2] agent id: only the holder may release

  Output:
    1 when released, 0 when the agent does not hold the conversation.
]]
if redis.call('HGET', KEYS[1], 'agentId') ~= ARGV[2] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return 1
