/**
 * Makes the turns of one conversation run one at a time across hosts. Within
 * a host the TurnRunner's queue already orders them; the lock keeps a second
 * host (which received the next message of the same conversation) waiting.
 */
export interface TurnLock {
  /** Waits until the conversation is free, then holds it; call the result to let go. */
  acquire(conversationId: string): Promise<() => Promise<void>>;
}

/** One host: its own turn queue is all the ordering there is to do. */
export class SingleHostTurnLock implements TurnLock {
  acquire(): Promise<() => Promise<void>> {
    return Promise.resolve(() => Promise.resolve());
  }
}
