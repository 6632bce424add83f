import type { FieldModel } from '../collections/collection-model.js';
import { isPlainObject, runeLength, toUniqueStrings } from './cast.js';
import { eachError, fieldShape, optionErrors, validateCommonOptions } from './field-common.js';
import { checkRange, err, ozzo } from './field-errors.js';
import type { FieldType, Modifier } from './field-type.js';
import { isMultipleSelect, LIST_MODIFIERS, listColumn } from './multi-value.js';

export interface FileFieldModel extends FieldModel {
  type: 'file';
  help: string;
  /** Max size of one file in bytes; 0 means the default of 5 MiB. */
  maxSize: number;
  /** > 1 makes the field multiple. */
  maxSelect: number;
  mimeTypes: string[] | null;
  /** Thumb sizes such as `100x100`, `100x0`, `0x50`, `100x100t` (top), `b` (bottom), `f` (fit). */
  thumbs: string[] | null;
  /** Files need a file token to be read. */
  protected: boolean;
  required: boolean;
}

/**
 * A file being uploaded with the request. The files layer builds these; `name` is the final,
 * stored file name (PocketBase's `name_<random>.ext`), `originalName` the client's.
 */
export interface UploadedFile {
  name: string;
  originalName: string;
  size: number;
  /** Detected content type, when known. */
  mimeType?: string;
  /** The content, until it is stored. */
  data?: Uint8Array;
}

/** A stored file name or a new upload. */
export type FileItem = string | UploadedFile;
/** Single: one item or `""`; multiple: a list. */
export type FileValue = FileItem | FileItem[];

export const FILE_DEFAULT_MAX_SIZE = 5 * 1024 * 1024;
export const THUMB_SIZE = /^(\d+)x(\d+)(t|b|f)?$/;
const LOOSE_FILENAME = /^[^./\\][^/\\]+$/;

const shape = fieldShape<FileFieldModel>('file', {
  maxSelect: ['int', 0],
  maxSize: ['int', 0],
  mimeTypes: ['strings?', null],
  protected: ['bool', false],
  required: ['bool', false],
  thumbs: ['strings?', null],
});

export function isUploadedFile(value: unknown): value is UploadedFile {
  return isPlainObject(value) && typeof value.name === 'string' && typeof value.size === 'number';
}

/** Any value → the list of items (names de-duplicated, empty names dropped, uploads kept). */
export function toFileList(raw: unknown): FileItem[] {
  if (isUploadedFile(raw)) return [raw];
  if (!Array.isArray(raw)) return toUniqueStrings(raw);
  const out: FileItem[] = [];
  const seen = new Set<string>();
  for (const item of raw) {
    if (isUploadedFile(item)) out.push(item);
    else
      for (const name of toUniqueStrings(item)) {
        if (seen.has(name)) continue;
        seen.add(name);
        out.push(name);
      }
  }
  return out;
}

export const fileName = (item: FileItem): string => (typeof item === 'string' ? item : item.name);

function shape1(items: FileItem[], field: FileFieldModel): FileValue {
  if (isMultipleSelect(field)) return items;
  return items.length > 0 ? (items[items.length - 1] ?? '') : '';
}

export function fileMaxSize(field: Pick<FileFieldModel, 'maxSize'>): number {
  return field.maxSize > 0 ? field.maxSize : FILE_DEFAULT_MAX_SIZE;
}

function modifyFiles(current: unknown, modifier: Modifier, arg: unknown): FileItem[] {
  const cur = toFileList(current);
  const items = toFileList(arg);
  switch (modifier) {
    case 'append':
      return toFileList([...cur, ...items]);
    case 'prepend':
      return toFileList([...items, ...cur]);
    case 'subtract': {
      const remove = new Set(items.map(fileName));
      return cur.filter((v) => !remove.has(fileName(v)));
    }
    default:
      return cur;
  }
}

export const fileField: FieldType<FileFieldModel, FileValue> = {
  type: 'file',
  ignoresInput: false,
  ...shape,

  validateOptions(field) {
    return optionErrors(validateCommonOptions(field), {
      maxSelect: checkRange(field.maxSelect, 0),
      maxSize: checkRange(field.maxSize, 0),
      thumbs: eachError(field.thumbs, (t) => {
        if (['0x0', '0x0t', '0x0b', '0x0f'].includes(t)) return ozzo.notIn();
        return THUMB_SIZE.test(t) ? null : ozzo.match();
      }),
    });
  },

  columnKind: (field) => (isMultipleSelect(field) ? 'json' : 'text'),
  columnDefault: (field) => listColumn(field),
  isMultiple: (field) => isMultipleSelect(field),

  zeroValue: (field) => (isMultipleSelect(field) ? [] : ''),
  fromDb: (raw, field) => shape1(toFileList(raw), field),
  toDb(value, field) {
    const names = toFileList(value).map(fileName);
    if (isMultipleSelect(field)) return JSON.stringify(names);
    return names.length > 0 ? (names[names.length - 1] ?? '') : '';
  },
  prepareValue: (raw, field) => shape1(toFileList(raw), field),

  supportsModifier: (modifier) => LIST_MODIFIERS.includes(modifier),
  applyModifier: (current, modifier, arg, field) => shape1(modifyFiles(current, modifier, arg), field),

  /**
   * Required, names submitted as plain strings must already belong to the record (new files must
   * be uploads), maxSelect, and for uploads: file name shape, size and declared mime type.
   */
  validateValue(value, field, ctx) {
    const files = toFileList(value);
    if (files.length === 0) return field.required ? ozzo.required() : null;

    const existing = new Set(toFileList(ctx.original?.[field.name]).map(fileName));
    const invalidFiles = files
      .filter((f): f is string => typeof f === 'string' && !existing.has(f))
      .map((f) => (f.length > 250 ? f.slice(0, 250) : f));
    if (invalidFiles.length > 0) {
      return err('validation_invalid_file', `Invalid new files: [${invalidFiles.join(' ')}].`, { invalidFiles });
    }

    const maxSelect = Math.max(field.maxSelect, 1);
    if (files.length > maxSelect) {
      return err('validation_too_many_files', `The maximum allowed files is ${maxSelect}.`, { maxSelect });
    }

    const maxSize = fileMaxSize(field);
    for (const upload of files) {
      if (typeof upload === 'string') continue;
      const len = runeLength(upload.name);
      if (len < 1 || len > 150) return ozzo.lengthOutOfRange(1, 150);
      if (!LOOSE_FILENAME.test(upload.name)) return ozzo.match();
      if (upload.size > maxSize) {
        return err(
          'validation_file_size_limit',
          `Failed to upload ${JSON.stringify(upload.originalName)} - the maximum allowed file size is ${maxSize} bytes.`,
          { file: upload.originalName, maxSize },
        );
      }
      const allowed = field.mimeTypes ?? [];
      if (allowed.length > 0) {
        const type = (upload.mimeType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        if (!allowed.some((t) => t.toLowerCase() === type)) {
          return err('validation_invalid_mime_type', `${JSON.stringify(upload.name)} mime type must be one of: ${allowed.join(', ')}.`);
        }
      }
    }
    return null;
  },
};
