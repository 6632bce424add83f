import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { extractExtension, normalizeFileName, snakecase } from '../../../src/core/files/file-names.js';
import { sniffContentType } from '../../../src/core/files/file-sniff.js';
import { parseRange } from '../../../src/http/rest/files.js';

describe('file names (PocketBase normalisation)', () => {
  it.each([
    ['300_UhLKX91HVb', '300_uh_lkx91_hvb'],
    ['logo_vcfJJG5TAh', 'logo_vcf_jjg5_tah'],
    ['myTestDB', 'my_test_db'],
    ['Hello World!', 'hello_world'],
    ['  --a__b--  ', 'a_b'],
    ['ünïcode', 'n_code'],
    ['', ''],
  ])('snakecase(%j) = %j', (input, expected) => {
    expect(snakecase(input)).toBe(expected);
  });

  it.each([
    ['test.txt', '.txt'],
    ['test.tar.gz', '.tar.gz'],
    ['test.a.tar.gz', '.tar.gz'],
    ['noext', ''],
  ])('extractExtension(%j) = %j', (input, expected) => {
    expect(extractExtension(input)).toBe(expected);
  });

  it('keeps the fixture naming scheme: snake-cased base, 10 random chars, cleaned extension', () => {
    expect(normalizeFileName('300_UhLKX91HVb.png')).toMatch(/^300_uh_lkx91_hvb_[a-z0-9]{10}\.png$/);
    expect(normalizeFileName('a.txt')).toMatch(/^a[a-z0-9]{10}_[a-z0-9]{10}\.txt$/);
    expect(normalizeFileName('x'.repeat(300) + '.txt')).toMatch(/^x{100}_[a-z0-9]{10}\.txt$/);
    expect(normalizeFileName('photo', '.png')).toMatch(/^photo_[a-z0-9]{10}\.png$/);
    expect(normalizeFileName('evil.p h/p')).toMatch(/^evil_[a-z0-9]{10}\.php$/);
    expect(normalizeFileName('../../etc/passwd')).toMatch(/^[a-z0-9]{10}_[a-z0-9]{10}\.\.etcpasswd$/); // as PocketBase: no separator survives
    expect(normalizeFileName('a.txt')).not.toBe(normalizeFileName('a.txt'));
  });
});

describe('content sniffing (never the name)', () => {
  it.each([
    ['<!DOCTYPE html><html></html>', 'text/html; charset=utf-8'],
    ['<svg xmlns="http://www.w3.org/2000/svg"></svg>', 'image/svg+xml'],
    ['<?xml version="1.0"?><svg></svg>', 'image/svg+xml'],
    ['<?xml version="1.0"?><note/>', 'text/xml; charset=utf-8'],
    ['{"a":1}', 'application/json'],
    ['hello', 'text/plain; charset=utf-8'],
    ['%PDF-1.4\n', 'application/pdf'],
  ])('%j → %s', async (content, expected) => {
    expect((await sniffContentType(Buffer.from(content))).contentType).toBe(expected);
  });

  it('detects images by their bytes and binary data as octet-stream', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } }).png().toBuffer();
    expect(await sniffContentType(png)).toEqual({ contentType: 'image/png', extension: '.png' });
    expect((await sniffContentType(Buffer.from([0, 1, 2, 3, 255]))).contentType).toBe('application/octet-stream');
  });
});

describe('HTTP Range parsing', () => {
  it.each([
    ['bytes=0-4', 10, { start: 0, end: 4 }],
    ['bytes=5-', 10, { start: 5, end: 9 }],
    ['bytes=-3', 10, { start: 7, end: 9 }],
    ['bytes=-30', 10, { start: 0, end: 9 }],
    ['bytes=2-100', 10, { start: 2, end: 9 }],
    ['bytes=10-', 10, 'unsatisfiable'],
    ['bytes=5-2', 10, null],
    ['items=0-1', 10, null],
    [undefined, 10, null],
  ])('%s of %i bytes', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});
