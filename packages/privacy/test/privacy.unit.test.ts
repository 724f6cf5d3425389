import { describe, expect, it } from 'vitest';
import { testSealingKeys } from '@fbl/testing/suite';
import { FieldProtector, generateKey, maskAddress, maskName, maskPhone, Sealer } from '../src/index.js';

// Keys of the run's suite: SM4 seals and HMAC-SM3 hashes under CRYPTO_SUITE=sm (the `sm` test project).
const freshKeys = () => ({ encryptionKey: testSealingKeys(generateKey()), hashKey: generateKey() });
const protector = new FieldProtector(freshKeys());

describe('field protection', () => {
  it('seals a value so that it opens again and never shows in the sealed text', () => {
    const sealed = protector.seal('371702195001011234');
    expect(sealed).not.toContain('371702195001011234');
    expect(protector.seal('371702195001011234')).not.toBe(sealed);
    expect(protector.open(sealed)).toBe('371702195001011234');
  });

  it('refuses a sealed value that was tampered with or sealed under another key', () => {
    const sealed = protector.seal('张三');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => protector.open([...parts.slice(0, 3), flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => new FieldProtector(freshKeys()).open(sealed)).toThrow();
  });

  it('hashes equal values equally after normalising, and differently under another key', () => {
    expect(protector.lookupHash(' 37170219500101123x ')).toBe(protector.lookupHash('37170219500101123X'));
    expect(new FieldProtector(freshKeys()).lookupHash('x')).not.toBe(protector.lookupHash('x'));
  });

  it('indexes a full name blindly: the same name however spaced or typed hashes alike, another name or an ID number of the same text differently', () => {
    const hash = protector.nameHash('张桂兰');
    expect(hash).not.toContain('张');
    for (const same of [' 张桂兰 ', '张 桂兰', '张\u3000桂兰']) expect(protector.nameHash(same), same).toBe(hash);
    expect(protector.nameHash('买买提・艾力')).toBe(protector.nameHash('买买提·艾力'));
    expect(protector.nameHash('买买提.艾力')).toBe(protector.nameHash('买买提·艾力'));
    expect(protector.nameHash('Ｌｉ Ｍｉｎｇ')).toBe(protector.nameHash('li ming'));
    expect(protector.nameHash('张桂')).not.toBe(hash);
    expect(protector.nameHash('37170219500101123X')).not.toBe(protector.lookupHash('37170219500101123X'));
    expect(new FieldProtector(freshKeys()).nameHash('张桂兰')).not.toBe(hash);
  });

  it('seals bytes (a document) so that they open again, and refuses them tampered with or under another key', () => {
    const sealer = new Sealer(testSealingKeys(generateKey()));
    const pdf = Buffer.from('%PDF-1.4 出院小结 discharge summary', 'utf8');
    const sealed = sealer.sealBytes(pdf);
    expect(sealed.includes(Buffer.from('出院小结'))).toBe(false);
    expect(sealer.sealBytes(pdf).equals(sealed)).toBe(false);
    expect(sealer.openBytes(sealed).equals(pdf)).toBe(true);
    expect(sealer.openBytes(new Uint8Array(sealed)).equals(pdf)).toBe(true);
    const flipped = Buffer.from(sealed);
    flipped[40] = flipped[40]! ^ 1;
    expect(() => sealer.openBytes(flipped)).toThrow();
    expect(() => new Sealer(testSealingKeys(generateKey())).openBytes(sealed)).toThrow();
    expect(() => sealer.openBytes(Buffer.from('short'))).toThrow('not sealed bytes');
  });

  it('refuses keys of the wrong size', () => {
    expect(() => new FieldProtector({ encryptionKey: 'c2hvcnQ=', hashKey: generateKey() })).toThrow('32 bytes');
  });
});

describe('masks', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳春花', '欧***'],
    ['王', '*'],
  ])('masks the name %s as %s', (name, masked) => expect(maskName(name)).toBe(masked));

  it('masks a phone number and an address', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskAddress('山东省菏泽市牡丹区东城街道幸福路8号')).toBe('山东省菏泽市…');
  });
});
