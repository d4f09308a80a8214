import type { TurnContext } from 'botbuilder';
import { entityValue } from '../src/dialogs/turn-services.ts';
import type { OrderContact } from '../src/integrations/order-provider.ts';

/** The corpus's names of the entities a customer identifies themself with (intents/<locale>/entities.json). */
export const EMAIL_ENTITY = 'email';
export const PHONE_ENTITY = 'phoneNumber';

/** The e-mail address or phone number in this message (the e-mail first), as the order lookup takes it. */
export function contactIn(context: TurnContext): OrderContact | undefined {
  const email = entityValue(context, EMAIL_ENTITY);
  if (email) return { email };
  const phone = entityValue(context, PHONE_ENTITY);
  return phone ? { phone } : undefined;
}

/** How the customer's own contact detail is written back to them. */
export const describeContact = (contact: OrderContact): string => ('email' in contact ? contact.email : contact.phone);
