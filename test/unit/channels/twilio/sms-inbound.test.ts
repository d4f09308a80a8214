import { describe, expect, it } from 'vitest';
import { toInboundSms } from '../../../../src/channels/twilio/sms-inbound.ts';
import { isOptedOut, smsKeyword, withOptOut } from '../../../../src/channels/twilio/sms-opt-out.ts';
import { parseTwilioParams } from '../../../../src/channels/twilio/twilio-params.ts';
import type { SwitchboardError } from '../../../../src/core/errors.ts';

const SID = 'SM1f0e8ae6ade43cb3c0ce4525424e404f';

describe('inbound SMS normalization', () => {
  it('maps the form fields to the inbound message and the reply address', () => {
    const params = parseTwilioParams(
      `MessageSid=${SID}&AccountSid=AC9a&From=%2B14155550100&To=%2B14155550199&Body=Where+is+my+order%3F&NumMedia=0`,
    );
    expect(toInboundSms(params, 1_700_000_000_000)).toEqual({
      message: {
        channel: 'sms',
        conversationKey: 'sms:+14155550199:+14155550100',
        userId: '+14155550100',
        text: 'Where is my order?',
        attachments: [],
        platformMessageId: SID,
        timestamp: 1_700_000_000_000,
      },
      address: { to: '+14155550100', from: '+14155550199' },
    });
  });

  it('keeps WhatsApp addresses and carries media through', () => {
    const params = parseTwilioParams(
      new URLSearchParams({
        MessageSid: SID,
        From: 'whatsapp:+14155550100',
        To: 'whatsapp:+14155550199',
        Body: '',
        NumMedia: '2',
        MediaUrl0: 'https://api.twilio.com/media/ME1',
        MediaContentType0: 'image/jpeg',
        MediaUrl1: 'https://api.twilio.com/media/ME2',
        MediaContentType1: 'application/pdf',
        ProfileName: 'Zoë',
      }).toString(),
    );
    const { message, address } = toInboundSms(params, 0);
    expect(message.conversationKey).toBe('sms:whatsapp:+14155550199:whatsapp:+14155550100');
    expect(message.attachments).toEqual([
      { contentType: 'image/jpeg', url: 'https://api.twilio.com/media/ME1' },
      { contentType: 'application/pdf', url: 'https://api.twilio.com/media/ME2' },
    ]);
    expect(address).toEqual({ to: 'whatsapp:+14155550100', from: 'whatsapp:+14155550199' });
  });

  it('refuses a body without MessageSid, From or To with invalid_body', () => {
    for (const body of [`From=%2B1&To=%2B2&Body=hi`, `MessageSid=${SID}&To=%2B2`, `MessageSid=${SID}&From=%2B1`, `MessageSid=x&From=1&To=2`]) {
      expect(() => toInboundSms(parseTwilioParams(body), 0), body).toThrow(
        expect.objectContaining({ code: 'invalid_body', status: 400 }) as SwitchboardError,
      );
    }
  });
});

describe('SMS opt-out keywords', () => {
  it('recognizes the opt-out and opt-in words alone, in any case', () => {
    for (const word of ['STOP', 'stop', ' Stop ', 'STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit\n']) {
      expect(smsKeyword(word), word).toBe('opt-out');
    }
    for (const word of ['START', 'start', 'Unstop']) expect(smsKeyword(word), word).toBe('opt-in');
    for (const text of ['stop it', 'please cancel order A1002', 'the end.', 'startup', '']) {
      expect(smsKeyword(text), text).toBeUndefined();
    }
  });

  it('keeps the opt-out on the address, and counts a closed conversation as opted out', () => {
    const address = withOptOut({ to: '+1', from: '+2' }, true);
    expect(address).toEqual({ to: '+1', from: '+2', optedOut: 'true' });
    expect(isOptedOut({ address, status: 'bot' })).toBe(true);
    expect(isOptedOut({ address: withOptOut(address, false), status: 'closed' })).toBe(true);
    expect(isOptedOut({ address: withOptOut(address, false), status: 'bot' })).toBe(false);
    expect(withOptOut(address, false)).toEqual({ to: '+1', from: '+2' });
  });
});
