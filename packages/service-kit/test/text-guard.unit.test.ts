import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { unreadableText } from '../src/text-guard.js';

describe('text no database can keep (unreadableText)', () => {
  it('names every string with a NUL or a lone surrogate by its path, at any depth', () => {
    const found = unreadableText({ name: 'a\u0000b', nested: { list: ['ok', '\ud800'] }, fine: '正常文字 😀' }, 'body');
    expect(found.map((f) => [f.field, f.pointer, f.in])).toEqual([
      ['name', '/name', 'body'],
      ['nested.list.1', '/nested/list/1', 'body'],
    ]);
    expect(found[0]!.reason).toContain('NUL');
    expect(found[1]!.reason).toContain('lone surrogate');
  });

  it('checks keys, query strings and path parameters alike, and passes well-formed text and other values', () => {
    expect(unreadableText({ ['k\u0000']: 1 }, 'body').map((f) => f.in)).toEqual(['body']);
    expect(unreadableText({ offset: '1', q: '\udc00x' }, 'query').map((f) => f.field)).toEqual(['q']);
    // Query-string parsers build dictionaries on a prototype of their own that has none.
    function Dictionary() {}
    Dictionary.prototype = Object.create(null) as object;
    const query = Object.assign(new (Dictionary as unknown as new () => object)(), { reference: '\u0000' });
    expect(unreadableText(query, 'query').map((f) => f.field)).toEqual(['reference']);
    expect(unreadableText({ id: 'abc' }, 'params')).toEqual([]);
    expect(unreadableText({ n: 1, b: true, z: null, bytes: new Uint8Array([0]) }, 'body')).toEqual([]);
    expect(unreadableText('plain', 'body')).toEqual([]);
  });

  it('leaves alone what is not parsed text: a stream or any other object with a prototype of its own, cycles and all', () => {
    const stream = new PassThrough();
    Object.assign(stream, { label: 'a\u0000b', self: stream });
    expect(unreadableText(stream, 'body')).toEqual([]);
    expect(unreadableText({ when: new Date(0), body: stream }, 'body')).toEqual([]);
  });
});
