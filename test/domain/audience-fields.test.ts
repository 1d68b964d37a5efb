/** Meta's normalisation rules for customer-list fields, before hashing. */
import { normaliseAudienceRow, normaliseEmail, normaliseExternId, normaliseName, normalisePhone } from '../../domain/audience-fields';

test('emails are trimmed and lower-cased; a value that is no address is refused without repeating it', () => {
  expect(normaliseEmail('  John.Doe@Example.COM \t')).toEqual({ ok: true, value: 'john.doe@example.com' });
  const bad = normaliseEmail('john.doe-at-example');
  expect(bad).toEqual({ ok: false, reason: 'not an email address' });
  expect(JSON.stringify(bad)).not.toContain('john');
});

test('phones keep digits only, with the country code and no leading zeros', () => {
  expect(normalisePhone('+1 (650) 555-1212')).toEqual({ ok: true, value: '16505551212' });
  expect(normalisePhone('0049 30 1234567')).toEqual({ ok: true, value: '49301234567' });
  expect(normalisePhone('555-1212').ok).toBe(false);
  expect(normalisePhone('1234567890123456').ok).toBe(false);
});

test('first and last names are lower-cased without punctuation or spaces, accents kept', () => {
  expect(normaliseName(" O'Brien-Smith ")).toEqual({ ok: true, value: 'obriensmith' });
  expect(normaliseName('Zoë')).toEqual({ ok: true, value: 'zoë' });
  expect(normaliseName('Mary Ann')).toEqual({ ok: true, value: 'maryann' });
  expect(normaliseName('...').ok).toBe(false);
});

test('external ids are trimmed and kept as they are', () => {
  expect(normaliseExternId(' CRM-0042 ')).toEqual({ ok: true, value: 'CRM-0042' });
});

test('a row needs one identifier, and one bad field makes it invalid, naming the field', () => {
  expect(normaliseAudienceRow(['EMAIL', 'FN'], ['A@B.co', ''])).toEqual({ ok: true, values: ['a@b.co', ''] });
  expect(normaliseAudienceRow(['EMAIL', 'PHONE'], ['a@b.co', '12'])).toEqual({ ok: false, field: 'PHONE', reason: expect.stringContaining('digits') });
  expect(normaliseAudienceRow(['EMAIL', 'FN'], ['', null])).toEqual({ ok: false, field: null, reason: 'no identifier in the row' });
});
