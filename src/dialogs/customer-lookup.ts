import type { TurnContext } from 'botbuilder';
import { customerAddressOf, type CustomerProfile, type CustomerProvider } from '../integrations/customer-provider.ts';
import { turnServices } from './turn-services.ts';

const LOOKUP = Symbol('switchboard.customerLookup');

/**
 * The customer writing in this turn, if the business's systems know them
 * (looked up by the conversation's channel address). Never throws and never
 * waits beyond the provider's timeout: a system that does not answer means
 * "not known" here, so a greeting goes out without a name rather than late.
 * Looked up once per turn, however many dialogs ask.
 */
export function knownCustomer(context: TurnContext, customers: CustomerProvider): Promise<CustomerProfile | undefined> {
  const cached = context.turnState.get<Promise<CustomerProfile | undefined> | undefined>(LOOKUP);
  if (cached) return cached;
  const { conversation } = turnServices(context);
  const lookup = customers.findCustomer(customerAddressOf(conversation)).catch(() => undefined);
  context.turnState.set(LOOKUP, lookup);
  return lookup;
}
