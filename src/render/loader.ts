/**
 * Vega's loader for untrusted specs. vega-frames supplies all data rows itself, so Vega's
 * loader fetches no data. Image marks may show local images inside the spec's folder (the
 * same rule as data files, links followed); anything else is refused, and the refusal is
 * reported after the frame renders rather than leaving a silent gap. Images are read here,
 * through the policy, and handed to the renderer as bytes: nothing else opens them.
 */
import * as vega from 'vega';
import path from 'node:path';
import {
  type DataAccess,
  DataAccessError,
  readLocalFile,
  resolveLocalUrl,
} from '../data/access.js';
import { DEFAULT_LIMITS, LimitError } from '../spec/limits.js';
import { Image } from 'canvas';
import { DRAWN_FORMATS, imageHeader } from './image-size.js';
import { renderMessage } from './messages.js';

export interface CheckedLoader {
  loader: unknown;
  /** Throws the first refusal since the last check. */
  check(): void;
  /**
   * How images reach the renderer: as bytes for the canvas (PNG, GIF, video, PDF), or as
   * data: URLs for SVG markup, which writes each image's URL into the file.
   */
  imagesAs(form: 'bytes' | 'data-url'): void;
}

type Sanitize = (uri: string, options?: { context?: string }) => Promise<{ href: unknown }>;

/** An image URL that is itself the image: drawn as it is, nothing read. */
export const isImageDataUrl = (uri: string): boolean => /^data:image\//i.test(uri);

/**
 * A local image's bytes by the data access rule (inside the allowed folders once links are
 * followed, a regular file, at most maxFileBytes, decoding to at most maxImagePixels). Throws a DataAccessError or LimitError
 * whose message begins `image "URI"`, as every output reports it.
 */
export async function readLocalImage(uri: string, access: DataAccess | undefined): Promise<Buffer> {
  try {
    if (!access) throw new DataAccessError(renderMessage.imagesNotLoaded(uri));
    const bytes = checkImageSize(uri, await readLocalFile(uri, access, 'image'), access);
    await checkDecodes(uri, bytes);
    return bytes;
  } catch (e) {
    if (e instanceof LimitError || e instanceof ImageError) throw e; // it names the image
    if (e instanceof DataAccessError)
      throw new DataAccessError(renderMessage.imageAccess(e.message));
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataAccessError(
      code === 'ENOENT'
        ? renderMessage.imageNotFound(uri, path.dirname(resolveLocalUrl(uri, access!)))
        : renderMessage.imageUnreadable(uri, (e as Error).message),
    );
  }
}

/** A data: URL's bytes (base64 or percent-encoded). */
function dataUrlBytes(uri: string): Buffer {
  const comma = uri.indexOf(',');
  const body = uri.slice(comma + 1);
  if (/;base64$/i.test(uri.slice(0, comma))) return Buffer.from(body, 'base64');
  try {
    return Buffer.from(decodeURIComponent(body), 'latin1');
  } catch {
    throw new DataAccessError(renderMessage.dataUrlMalformed(uri));
  }
}

/** An image that cannot be drawn, its message naming it. */
export class ImageError extends DataAccessError {}

/**
 * Refuses an image whose header declares more pixels than a frame may have, before the
 * canvas decodes it (a small file of one colour can declare gigabytes of pixels), and an
 * image whose size cannot be read from its header or that is no format the canvas draws:
 * handed to the canvas, either would be decoded blind.
 */
export function checkImageSize(uri: string, bytes: Buffer, access: DataAccess | undefined): Buffer {
  const header = imageHeader(bytes);
  if (!header) throw new ImageError(renderMessage.notAnImage(uri, DRAWN_FORMATS));
  const size = header.size;
  if (!size) throw new ImageError(renderMessage.imageSizeUnread(uri, header.format));
  const most = access?.maxImagePixels ?? DEFAULT_LIMITS.maxPixels;
  if (size.width * size.height > most) {
    throw new LimitError(renderMessage.imagePixels(uri, size.width, size.height, most));
  }
  return bytes;
}

/**
 * Refuses an image the canvas cannot decode (a JPEG cut short, a CUR cursor), which Vega
 * would otherwise leave as a silent gap: its renderer ignores a failed decode. The image is
 * decoded once here, after its size is checked.
 */
export function checkDecodes(uri: string, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve();
    image.onerror = (e) => reject(new ImageError(renderMessage.imageNotDecoded(uri, e.message)));
    image.src = bytes;
  });
}

/** An image's bytes as a data: URL (its type from its first bytes; browsers need SVG's). */
export function imageDataUrl(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts = (magic: string, at = 0) =>
    b.subarray(at, at + magic.length).toString('latin1') === magic;
  const type = starts('\x89PNG')
    ? 'image/png'
    : starts('\xff\xd8\xff')
      ? 'image/jpeg'
      : starts('GIF8')
        ? 'image/gif'
        : starts('RIFF') && starts('WEBP', 8)
          ? 'image/webp'
          : starts('BM')
            ? 'image/bmp'
            : /<svg[\s>]/i.test(b.subarray(0, 4096).toString('utf8'))
              ? 'image/svg+xml'
              : 'application/octet-stream';
  return `data:${type};base64,${b.toString('base64')}`;
}

export function refusingLoader(access?: DataAccess): CheckedLoader {
  const loader = vega.loader() as unknown as Record<string, unknown>;
  const vegaSanitize = (loader.sanitize as Sanitize).bind(loader);
  const refusals: Error[] = [];
  const refuse = async (uri: string) => {
    const message = renderMessage.vegaMayNotLoad(uri);
    refusals.push(new DataAccessError(message));
    throw new Error(message);
  };
  loader.load = refuse;
  loader.file = refuse;
  loader.http = refuse;
  // Each image is read once per render, however many frames show it.
  const images = new Map<string, Promise<Buffer>>();
  const dataUrls = new Map<string, Promise<void>>();
  let form: 'bytes' | 'data-url' = 'bytes';
  // Images: data: URLs, and local files by the data access rule.
  loader.sanitize = (async (uri, options) => {
    // A link (the href channel, in SVG output) is not read: Vega's own rule for links,
    // which refuses script URLs. The refusal is reported; the null href keeps Vega's SVG
    // writer from failing on it meanwhile.
    if (options?.context === 'href') {
      return vegaSanitize(uri, options).catch(() => {
        refusals.push(new DataAccessError(renderMessage.linkRefused(uri)));
        return { href: null };
      });
    }
    if (typeof uri !== 'string' || uri === '') throw new Error(renderMessage.imageWithoutUrl());
    if (isImageDataUrl(uri)) {
      let checked = dataUrls.get(uri);
      if (!checked) {
        const name = uri.slice(0, 40);
        checked = Promise.resolve().then(() =>
          checkDecodes(name, checkImageSize(name, dataUrlBytes(uri), access)),
        );
        dataUrls.set(uri, checked);
      }
      try {
        await checked;
      } catch (e) {
        refusals.push(e as Error);
        throw e;
      }
      return { href: uri };
    }
    let read = images.get(uri);
    if (!read) images.set(uri, (read = readLocalImage(uri, access)));
    try {
      const bytes = await read;
      return { href: form === 'bytes' ? bytes : imageDataUrl(bytes) };
    } catch (e) {
      refusals.push(e as Error);
      throw e;
    }
  }) satisfies Sanitize;
  return {
    loader,
    check() {
      if (refusals.length === 0) return;
      const first = refusals[0];
      refusals.length = 0;
      throw first;
    },
    imagesAs(f) {
      form = f;
    },
  };
}
