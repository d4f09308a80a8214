import { describe, expect, it } from 'vitest';
import { SMS_BODY_LIMIT, measureSms, smsEncoding, smsUnits, splitSms } from '../../../../src/channels/twilio/sms-encoding.ts';

describe('SMS encoding', () => {
  it('keeps the GSM-7 basic set in GSM-7, one unit each', () => {
    const basic = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà';
    expect(smsEncoding(basic)).toBe('GSM-7');
    expect(smsUnits(basic)).toBe(basic.length); // all in the BMP: one UTF-16 unit each
  });

  it('counts the extension table as two units, still GSM-7', () => {
    const extension = '€[]{}\\^~|\f';
    expect(smsEncoding(extension)).toBe('GSM-7');
    expect(smsUnits(extension)).toBe(20);
    expect(smsUnits('Price: 5€')).toBe(10);
  });

  it('switches to UCS-2 for any other character, counting UTF-16 units', () => {
    for (const text of ['smile 😀', 'Monday–Friday', '“quoted”', 'ç', 'Привет', '中文']) {
      expect(smsEncoding(text), text).toBe('UCS-2');
    }
    expect(smsUnits('hi 😀')).toBe(5); // the emoji is a surrogate pair
    expect(smsUnits('€ 😀')).toBe(4); // in UCS-2 the euro sign is one unit
  });

  it('counts segments: 160/70 alone, 153/67 when concatenated', () => {
    expect(measureSms('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(measureSms('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(measureSms('a'.repeat(306)).segments).toBe(2);
    expect(measureSms('a'.repeat(307)).segments).toBe(3);
    expect(measureSms('ж'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(measureSms('ж'.repeat(71)).segments).toBe(2);
    expect(measureSms('ж'.repeat(134)).segments).toBe(2);
    expect(measureSms('ж'.repeat(135)).segments).toBe(3);
  });

  it('never splits an escaped GSM-7 pair or a surrogate pair across segments', () => {
    // 152 basic units then "€" (2 units): the pair does not fit in the first 153.
    expect(measureSms(`${'a'.repeat(152)}€${'a'.repeat(10)}`).segments).toBe(2);
    expect(measureSms(`${'a'.repeat(152)}€${'a'.repeat(152)}`).segments).toBe(3);
    // 66 units then an emoji (2 units): it moves to the second segment.
    expect(measureSms(`${'ж'.repeat(66)}😀${'ж'.repeat(66)}`).segments).toBe(3);
  });
});

describe('splitSms', () => {
  it('leaves a body within 1,600 units whole', () => {
    const text = 'a'.repeat(1600);
    expect(splitSms(text)).toEqual([text]);
  });

  it('splits a long GSM-7 reply at word boundaries, each part within 1,600 units', () => {
    const text = Array.from({ length: 400 }, (_, index) => `word${index}`).join(' ');
    const parts = splitSms(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(smsUnits(part)).toBeLessThanOrEqual(SMS_BODY_LIMIT);
    expect(parts.join(' ')).toBe(text);
  });

  it('counts extension characters double when splitting', () => {
    const text = '{'.repeat(1000);
    const parts = splitSms(text);
    expect(parts.map((part) => part.length)).toEqual([800, 200]);
  });

  it('measures UCS-2 parts in UTF-16 units and never cuts an emoji', () => {
    const text = '😀'.repeat(1000); // 2,000 UTF-16 units
    const parts = splitSms(text);
    expect(parts.map((part) => part.length)).toEqual([1600, 400]);
    expect(parts.join('')).toBe(text);
  });

  it('measures each part in its own encoding', () => {
    const gsm = 'a'.repeat(1500);
    const parts = splitSms(`${gsm}\n\n${'ж'.repeat(500)}`);
    expect(parts).toEqual([gsm, 'ж'.repeat(500)]);
  });

  it('splits at a smaller limit when asked', () => {
    expect(splitSms('one two three four', 9)).toEqual(['one two', 'three', 'four']);
  });
});
