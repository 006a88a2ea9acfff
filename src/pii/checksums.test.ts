import { describe, it, expect } from 'vitest';
import { isIbanValid, isLuhnValid, isSsnValid } from './checksums.js';

describe('isLuhnValid', () => {
  it('accepts well-known test card numbers', () => {
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('5555555555554444')).toBe(true);
    expect(isLuhnValid('378282246310005')).toBe(true);
  });

  it('rejects a number whose check digit is off by one', () => {
    expect(isLuhnValid('4111111111111112')).toBe(false);
    expect(isLuhnValid('5555555555554445')).toBe(false);
  });

  it('rejects empty strings and non-digits', () => {
    expect(isLuhnValid('')).toBe(false);
    expect(isLuhnValid('4111 1111 1111 1111')).toBe(false);
  });
});

describe('isIbanValid', () => {
  it('accepts valid IBANs with or without grouping spaces', () => {
    expect(isIbanValid('FR76 3000 6000 0112 3456 7890 189')).toBe(true);
    expect(isIbanValid('DE89370400440532013000')).toBe(true);
    expect(isIbanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isIbanValid('NL91ABNA0417164300')).toBe(true);
  });

  it('rejects a wrong check digit', () => {
    expect(isIbanValid('GB82 WEST 1234 5698 7654 33')).toBe(false);
    expect(isIbanValid('FR77 3000 6000 0112 3456 7890 189')).toBe(false);
  });

  it('rejects a length that does not belong to the country', () => {
    expect(isIbanValid('DE89 3704 0044 0532 0130 0')).toBe(false);
  });

  it('rejects unknown country codes even when mod-97 passes', () => {
    // Same BBAN and check digits as the GB example, under a country code that has no IBAN.
    expect(isIbanValid('ZZ82 WEST 1234 5698 7654 32')).toBe(false);
  });
});

describe('isSsnValid', () => {
  it('accepts an ordinary SSN', () => {
    expect(isSsnValid('123-45-6789')).toBe(true);
    expect(isSsnValid('078-05-1120')).toBe(true);
  });

  it('rejects the never-issued areas 000, 666 and 9xx', () => {
    expect(isSsnValid('000-12-3456')).toBe(false);
    expect(isSsnValid('666-12-3456')).toBe(false);
    expect(isSsnValid('912-34-5678')).toBe(false);
  });

  it('rejects group 00 and serial 0000', () => {
    expect(isSsnValid('123-00-4567')).toBe(false);
    expect(isSsnValid('123-45-0000')).toBe(false);
  });
});
