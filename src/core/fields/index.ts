/** Public surface of the field types. */
export * from './field-type.js';
export * from './field-registry.js';
export { defaultFieldId, validateCommonOptions } from './field-common.js';
export { sentenize } from './field-errors.js';
export { DATETIME_LAYOUT, formatDateTime, parseDateTime, toDateTimeString, nowDateTime, isDateTimeLayout } from './datetime.js';
export { newRecordId, randomString, randomStringFromPattern, ID_ALPHABET, DEFAULT_ALPHABET, RECORD_ID_LENGTH } from './random.js';
export { compileGoRegex, matchesGoRegex } from './regex.js';
export { toBool, toFloat, toStr, toUniqueStrings } from './cast.js';
export { textField, autogenerateText, DEFAULT_ID_PATTERN, type TextFieldModel } from './text-field.js';
export { numberField, type NumberFieldModel } from './number-field.js';
export { boolField, type BoolFieldModel } from './bool-field.js';
export { emailField, isEmail, type EmailFieldModel } from './email-field.js';
export { urlField, isUrl, type UrlFieldModel } from './url-field.js';
export { editorField, type EditorFieldModel } from './editor-field.js';
export { dateField, type DateFieldModel } from './date-field.js';
export { autodateField, autodateStamp, type AutodateFieldModel } from './autodate-field.js';
export { selectField, type SelectFieldModel } from './select-field.js';
export {
  fileField,
  fileName,
  isUploadedFile,
  toFileList,
  type FileFieldModel,
  type FileItem,
  type FileValue,
  type UploadedFile,
} from './file-field.js';
export { relationField, type RelationFieldModel } from './relation-field.js';
export { jsonField, normalizeJsonInput, type JsonFieldModel } from './json-field.js';
export { passwordField, hashPassword, verifyPassword, isBcryptHash, type PasswordFieldModel } from './password-field.js';
export { geoPointField, toGeoPoint, type GeoPoint, type GeoPointFieldModel } from './geo-point-field.js';
