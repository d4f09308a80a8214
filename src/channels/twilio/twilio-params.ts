/**
 * The parameters of a Twilio webhook, exactly as the form body carried them:
 * every name with all its values in the order received. Nothing is dropped
 * or renamed, because the signature covers every parameter (Twilio adds new
 * ones without notice), and a Map keeps names like `__proto__` harmless.
 */
export type TwilioParams = ReadonlyMap<string, readonly string[]>;

/** Parses an `application/x-www-form-urlencoded` body (`+` is a space, `%XX` UTF-8 bytes). */
export function parseTwilioParams(body: string): TwilioParams {
  const params = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) {
    const values = params.get(name);
    if (values) values.push(value);
    else params.set(name, [value]);
  }
  return params;
}

/** The first value of a parameter, or undefined when it is absent. */
export const param = (params: TwilioParams, name: string): string | undefined => params.get(name)?.[0];
