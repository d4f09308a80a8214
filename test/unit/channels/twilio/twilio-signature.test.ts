import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { parseTwilioParams, type TwilioParams } from '../../../../src/channels/twilio/twilio-params.ts';
import { twilioSignature, verifyTwilioSignature } from '../../../../src/channels/twilio/twilio-signature.ts';

// twilio-node (the `twilio` helper library) is the reference: our signature
// must be the one it computes, and we must accept exactly what it accepts.
const TOKEN = randomBytes(16).toString('hex');

/** The parameters as twilio-node takes them (what express.urlencoded gives it). */
function asObject(params: TwilioParams): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = {};
  for (const [name, values] of params) object[name] = values.length === 1 ? (values[0] ?? '') : [...values];
  return object;
}

const BODIES = [
  'MessageSid=SM1f0e8ae6ade43cb3c0ce4525424e404f&AccountSid=AC9a&From=%2B14155550100&To=%2B14155550199&Body=Where+is+my+order%3F&NumMedia=0&NumSegments=1',
  'Body=%F0%9F%98%80+%3Cb%3Ebold%3C%2Fb%3E+%26+%C3%A9t%C3%A9&From=whatsapp%3A%2B14155550100&ProfileName=Zo%C3%AB',
  'b=2&a=1&a=3&a=2&c=&a=1',
  'MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fmedia%2FME1&MediaContentType0=image%2Fjpeg&NumMedia=1&Body=',
  '',
];
const URLS = [
  'https://sms.example.test/webhooks/twilio',
  'https://sms.example.test:443/webhooks/twilio',
  'https://sms.example.test/webhooks/twilio/status?conversation=0b7c6a1e-2f43-4c4e-9d0a-1b2c3d4e5f60',
  'http://127.0.0.1:8080/webhooks/twilio?x=1&y=a%20b',
];

describe('Twilio signature', () => {
  it("computes twilio-node's signature for every parameter shape", () => {
    for (const body of BODIES) {
      const params = parseTwilioParams(body);
      for (const url of URLS) {
        expect(twilioSignature(TOKEN, url, params), `${url} ${body}`).toBe(
          twilio.getExpectedTwilioSignature(TOKEN, url, asObject(params)),
        );
      }
    }
  });

  it('accepts what twilio-node accepts and refuses what it refuses', () => {
    const variants = [
      'https://sms.example.test/webhooks/twilio',
      'https://sms.example.test:443/webhooks/twilio',
      'https://sms.example.test:8443/webhooks/twilio',
      'http://sms.example.test/webhooks/twilio',
      'https://sms.example.test/webhooks/twilio?a=1',
      'https://other.example.test/webhooks/twilio',
    ];
    for (const body of BODIES) {
      const params = parseTwilioParams(body);
      for (const signedUrl of variants) {
        const signature = twilio.getExpectedTwilioSignature(TOKEN, signedUrl, asObject(params));
        for (const receivedUrl of variants) {
          expect(verifyTwilioSignature(TOKEN, signature, receivedUrl, params), `${signedUrl} → ${receivedUrl}`).toBe(
            twilio.validateRequest(TOKEN, signature, receivedUrl, asObject(params)),
          );
        }
      }
    }
  });

  it('accepts the URL with and without the default port', () => {
    const params = parseTwilioParams(BODIES[0] ?? '');
    const signedWithPort = twilio.getExpectedTwilioSignature(TOKEN, 'https://sms.example.test:443/webhooks/twilio', asObject(params));
    expect(verifyTwilioSignature(TOKEN, signedWithPort, 'https://sms.example.test/webhooks/twilio', params)).toBe(true);
    const signedWithout = twilio.getExpectedTwilioSignature(TOKEN, 'https://sms.example.test/webhooks/twilio', asObject(params));
    expect(verifyTwilioSignature(TOKEN, signedWithout, 'https://sms.example.test:443/webhooks/twilio', params)).toBe(true);
  });

  it('refuses another token, a changed parameter, an added one, and garbage', () => {
    const params = parseTwilioParams(BODIES[0] ?? '');
    const url = URLS[0] ?? '';
    const signature = twilio.getExpectedTwilioSignature(TOKEN, url, asObject(params));
    expect(verifyTwilioSignature(TOKEN, signature, url, params)).toBe(true);
    expect(verifyTwilioSignature('another-token', signature, url, params)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, signature, url, parseTwilioParams(`${BODIES[0] ?? ''}&Extra=1`))).toBe(false);
    expect(verifyTwilioSignature(TOKEN, signature, url, parseTwilioParams((BODIES[0] ?? '').replace('order', 'orders')))).toBe(false);
    for (const garbage of ['', 'x', signature.slice(1), `${signature}=`, 'é'.repeat(28)]) {
      expect(verifyTwilioSignature(TOKEN, garbage, url, params)).toBe(false);
    }
  });
});
