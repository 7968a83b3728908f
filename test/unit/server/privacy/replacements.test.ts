import { describe, expect, it } from 'vitest';
import { Replacements } from '../../../../server/modules/privacy/rectify/replacements';

describe('rectification replacements', () => {
  const rules = new Replacements([
    { field: 'name', from: 'Jon Smith', to: 'John Smith' },
    { field: 'email', from: 'jon@example.com', to: 'john@example.org' },
    { field: 'phone', from: '+44 20 7946 0000', to: '+44 20 7946 0999' },
    { field: 'text', from: 'teh', to: 'the' },
  ]);

  it('replaces a contact field only when it is the value: the name exactly, the e-mail ignoring case', () => {
    expect(rules.name('Jon Smith')).toBe('John Smith');
    expect(rules.name('jon smith')).toBe('jon smith');
    expect(rules.name(null)).toBeNull();
    expect(rules.email('JON@Example.COM')).toBe('john@example.org');
    expect(rules.email('jonny@example.com')).toBe('jonny@example.com');
  });

  it('replaces whole words in text, every occurrence, the e-mail in any case', () => {
    expect(rules.text('Jon Smith wrote teh note; teh end. Jon Smithers is someone else; tehran stays.')).toBe('John Smith wrote the note; the end. Jon Smithers is someone else; tehran stays.');
    expect(rules.text('Mail JON@EXAMPLE.COM or call +44 20 7946 0000.')).toBe('Mail john@example.org or call +44 20 7946 0999.');
    expect(rules.text('(+44 20 7946 0000)')).toBe('(+44 20 7946 0999)');
  });

  it('takes the new value literally, and an empty one clears a field', () => {
    const odd = new Replacements([
      { field: 'text', from: 'price', to: '$& $1 costs' },
      { field: 'name', from: 'Ann (test)', to: '' },
    ]);
    expect(odd.text('the price is')).toBe('the $& $1 costs is');
    expect(odd.name('Ann (test)')).toBeNull();
    expect(odd.text('by Ann (test).')).toBe('by .');
  });
});
