import type { FieldModel } from '../collections/collection-model.js';
import { fieldShape, optionErrors, plainTextColumn, validateCommonOptions } from './field-common.js';
import { checkRange, err, ozzo } from './field-errors.js';
import type { FieldType } from './field-type.js';

export interface EditorFieldModel extends FieldModel {
  type: 'editor';
  help: string;
  /** Max size in bytes; 0 means the default of 5 MiB. */
  maxSize: number;
  /** A hint for the admin UI's editor (TinyMCE's convert_urls). */
  convertURLs: boolean;
  required: boolean;
}

export const EDITOR_DEFAULT_MAX_SIZE = 5 * 1024 * 1024;

const shape = fieldShape<EditorFieldModel>('editor', {
  convertURLs: ['bool', false],
  maxSize: ['int', 0],
  required: ['bool', false],
});

export function editorMaxSize(field: Pick<EditorFieldModel, 'maxSize'>): number {
  return field.maxSize > 0 ? field.maxSize : EDITOR_DEFAULT_MAX_SIZE;
}

export const editorField: FieldType<EditorFieldModel, string> = {
  type: 'editor',
  ignoresInput: false,
  ...shape,

  validateOptions: (field) =>
    optionErrors(validateCommonOptions(field), {
      maxSize: checkRange(field.maxSize, 0),
    }),

  ...plainTextColumn,

  validateValue(value, field) {
    if (typeof value !== 'string') return err('validation_unsupported_value_type', 'Invalid or unsupported value type.');
    if (field.required && value === '') return ozzo.required();
    const maxSize = editorMaxSize(field);
    if (Buffer.byteLength(value, 'utf8') > maxSize) {
      return err('validation_content_size_limit', `The maximum allowed content size is ${maxSize} bytes.`, { maxSize });
    }
    return null;
  },
};
