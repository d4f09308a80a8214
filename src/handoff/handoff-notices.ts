import type { QueuePosition } from './agent-queue.ts';

/**
 * What the customer is told during a handoff. Kept together so the wording
 * is consistent and easy to change (and, later, to translate).
 */
export function waitEstimate(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 60_000) return ' (less than a minute)';
  const minutes = Math.ceil(ms / 60_000);
  return ` (about ${minutes} minute${minutes === 1 ? '' : 's'})`;
}

export const placeInLine = (position: QueuePosition | undefined): string =>
  position ? ` You're number ${position.position} in line${waitEstimate(position.estimatedWaitMs)}.` : '';

export const NOTICES = {
  escalated: (position: QueuePosition | undefined) =>
    `I'm bringing in a person from our team to help you.${placeInLine(position)}`,
  joined: (agentName: string) => `${agentName} from our team has joined the conversation.`,
  takenOver: (agentName: string) => `${agentName} from our team has taken over the conversation.`,
  transferredToSkill: (skill: string, position: QueuePosition | undefined) =>
    `I'm passing you to our ${skill} team.${placeInLine(position)}`,
  left: (agentName: string) => `${agentName} has left the conversation.`,
  agentLost: (position: QueuePosition | undefined) =>
    `Sorry, the person helping you was disconnected. You're back at the front of the line.${placeInLine(position)}`,
} as const;
