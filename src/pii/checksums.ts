// Check digits that tell real card numbers, IBANs and SSNs apart from look-alike digit runs,
// so the scrubber can be aggressive on shape without filtering every long number.

/** Luhn (mod 10) over a string of ASCII digits; false on anything else or on an empty string. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let doubled = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    if (doubled) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    doubled = !doubled;
  }
  return digits.length > 0 && sum % 10 === 0;
}

// IBAN lengths per country (SWIFT IBAN registry). A length check on top of mod-97 keeps random
// uppercase identifiers from passing by chance (mod-97 alone lets 1 in 97 through).
const IBAN_LENGTHS: ReadonlyMap<string, number> = buildIbanLengths(
  'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 ' +
    'DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 ' +
    'IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 ' +
    'MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 ' +
    'SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30',
);

function buildIbanLengths(spec: string): Map<string, number> {
  return new Map(spec.split(' ').map((entry) => [entry.slice(0, 2), Number(entry.slice(2))]));
}

/** IBAN with optional single spaces: known country, exact length for it, and mod-97 remainder 1. */
export function isIbanValid(iban: string): boolean {
  const compact = iban.replaceAll(' ', '').toUpperCase();
  if (IBAN_LENGTHS.get(compact.slice(0, 2)) !== compact.length) return false;
  // Folding digit by digit keeps the number small; a 34-char IBAN does not fit in a double.
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + (code - 48)) % 97;
    else if (code >= 65 && code <= 90) remainder = (remainder * 100 + (code - 55)) % 97;
    else return false;
  }
  return remainder === 1;
}

/** US SSN `AAA-GG-SSSS` outside the never-issued ranges (area 000, 666, 9xx; group 00; serial 0000). */
export function isSsnValid(ssn: string): boolean {
  const [area, group, serial] = ssn.split('-');
  if (area?.length !== 3 || group?.length !== 2 || serial?.length !== 4) return false;
  return area !== '000' && area !== '666' && !area.startsWith('9') && group !== '00' && serial !== '0000';
}
