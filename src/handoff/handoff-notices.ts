import type { Catalogue } from '../core/catalogue.ts';
import type { QueuePosition } from './agent-queue.ts';

/**
 * What the customer is told during a handoff, in each of the framework's
 * languages (the conversation's locale picks one). Kept together so the
 * wording is consistent and easy to change.
 */
export interface HandoffNotices {
  escalated(position: QueuePosition | undefined): string;
  joined(agentName: string): string;
  takenOver(agentName: string): string;
  transferredToSkill(skill: string, position: QueuePosition | undefined): string;
  left(agentName: string): string;
  agentLost(position: QueuePosition | undefined): string;
  /** After NO_AGENT_TIMEOUT_MS in line (unless NO_AGENT_MESSAGE replaces it in every language). */
  noAgent: string;
}

function waitEstimateEn(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 60_000) return ' (less than a minute)';
  const minutes = Math.ceil(ms / 60_000);
  return ` (about ${minutes} minute${minutes === 1 ? '' : 's'})`;
}

function waitEstimateEs(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 60_000) return ' (menos de un minuto)';
  const minutes = Math.ceil(ms / 60_000);
  return ` (unos ${minutes} minuto${minutes === 1 ? '' : 's'})`;
}

const placeInLineEn = (position: QueuePosition | undefined): string =>
  position ? ` You're number ${position.position} in line${waitEstimateEn(position.estimatedWaitMs)}.` : '';

const placeInLineEs = (position: QueuePosition | undefined): string =>
  position ? ` Eres el número ${position.position} en la cola${waitEstimateEs(position.estimatedWaitMs)}.` : '';

export const NOTICES = {
  en: {
    escalated: (position) => `I'm bringing in a person from our team to help you.${placeInLineEn(position)}`,
    joined: (agentName) => `${agentName} from our team has joined the conversation.`,
    takenOver: (agentName) => `${agentName} from our team has taken over the conversation.`,
    transferredToSkill: (skill, position) => `I'm passing you to our ${skill} team.${placeInLineEn(position)}`,
    left: (agentName) => `${agentName} has left the conversation.`,
    agentLost: (position) =>
      `Sorry, the person helping you was disconnected. You're back at the front of the line.${placeInLineEn(position)}`,
    noAgent:
      "Everyone on our team is busy right now, sorry for the wait. You keep your place in line; if you'd rather not wait, leave your e-mail address or phone number here and we'll get back to you.",
  },
  es: {
    escalated: (position) => `Te paso con una persona de nuestro equipo para que te ayude.${placeInLineEs(position)}`,
    joined: (agentName) => `${agentName}, de nuestro equipo, se ha unido a la conversación.`,
    takenOver: (agentName) => `${agentName}, de nuestro equipo, se ha hecho cargo de la conversación.`,
    transferredToSkill: (skill, position) => `Te paso con nuestro equipo de ${skill}.${placeInLineEs(position)}`,
    left: (agentName) => `${agentName} ha salido de la conversación.`,
    agentLost: (position) =>
      `Lo sentimos, la persona que te atendía se ha desconectado. Vuelves a estar el primero de la cola.${placeInLineEs(position)}`,
    noAgent:
      'Ahora mismo todo nuestro equipo está ocupado, perdona la espera. Mantienes tu lugar en la cola; si prefieres no esperar, déjanos aquí tu correo electrónico o tu teléfono y te contactaremos.',
  },
} satisfies Catalogue<HandoffNotices>;
