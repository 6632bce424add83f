import type SharpModule from 'sharp';
import type { ThumbMaker } from '../../core/files/file-storage.js';

const SIZE = /^(\d+)x(\d+)(t|b|f)?$/;

let loading: Promise<typeof SharpModule> | null = null;

/** sharp (libvips, ~30 MB resident) is imported on the first thumbnail, not at start-up. */
function loadSharp(): Promise<typeof SharpModule> {
  loading ??= import('sharp').then((m) => m.default, (err: unknown) => {
    loading = null;
    throw err;
  });
  return loading;
}

/**
 * Thumbnails with sharp (libvips, prebuilt in its npm packages), matching PocketBase's sizes:
 * `WxH` crop from the center, `WxHt` from the top, `WxHb` from the bottom, `WxHf` fit inside the
 * box without enlarging, `0xH` / `Wx0` resize keeping the aspect ratio. EXIF orientation is applied,
 * animated images keep their first frame, and the output keeps the input's format.
 */
export class SharpThumbMaker implements ThumbMaker {
  async thumb(input: Uint8Array, size: string): Promise<Uint8Array> {
    const match = SIZE.exec(size);
    if (!match) throw new Error('thumb size must be in WxH, WxHt, WxHb or WxHf format');
    const width = Number(match[1]);
    const height = Number(match[2]);
    const mode = match[3] ?? '';
    if (width === 0 && height === 0) throw new Error('thumb width and height cannot be zero at the same time');
    const sharp = await loadSharp();
    const image = sharp(input, { animated: false, failOn: 'error' }).rotate();
    if (width === 0 || height === 0) {
      image.resize({ width: width || undefined, height: height || undefined });
    } else if (mode === 'f') {
      image.resize({ width, height, fit: 'inside', withoutEnlargement: true });
    } else {
      image.resize({ width, height, fit: 'cover', position: mode === 't' ? 'top' : mode === 'b' ? 'bottom' : 'centre' });
    }
    return image.toBuffer();
  }
}
