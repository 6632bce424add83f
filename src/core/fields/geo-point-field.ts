import type { FieldModel } from '../collections/collection-model.js';
import { isPlainObject } from './cast.js';
import { fieldShape, optionErrors, validateCommonOptions } from './field-common.js';
import { err, ozzo } from './field-errors.js';
import type { FieldType } from './field-type.js';

export interface GeoPointFieldModel extends FieldModel {
  type: 'geoPoint';
  help: string;
  /** Rejects the zero point (0, 0), "Null Island". */
  required: boolean;
}

export interface GeoPoint {
  lon: number;
  lat: number;
}

const shape = fieldShape<GeoPointFieldModel>('geoPoint', { required: ['bool', false] });

/** Key lookup that, like Go's json.Unmarshal, falls back to a case-insensitive match. */
function pick(obj: Record<string, unknown>, key: string): unknown {
  if (key in obj) return obj[key];
  const found = Object.keys(obj).find((k) => k.toLowerCase() === key);
  return found === undefined ? undefined : obj[found];
}

/**
 * Any value → a point: an object with numeric `lon`/`lat`, or its JSON text. Anything else (and
 * a coordinate that is not a number) reads as 0, as PocketBase's GeoPoint.Scan leaves it.
 */
export function toGeoPoint(raw: unknown): GeoPoint {
  let value = raw;
  if (value instanceof Uint8Array) value = Buffer.from(value).toString('utf8');
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      value = null;
    }
  }
  if (!isPlainObject(value)) return { lon: 0, lat: 0 };
  const lon = pick(value, 'lon');
  const lat = pick(value, 'lat');
  return {
    lon: typeof lon === 'number' && Number.isFinite(lon) ? lon : 0,
    lat: typeof lat === 'number' && Number.isFinite(lat) ? lat : 0,
  };
}

export const geoPointField: FieldType<GeoPointFieldModel, GeoPoint> = {
  type: 'geoPoint',
  ignoresInput: false,
  ...shape,

  validateOptions: (field) => optionErrors(validateCommonOptions(field)),

  columnKind: () => 'json',
  // PocketBase's GeoPointField.ColumnType text (lon first; older fixture tables say lat first)
  columnDefault: () => ({ kind: 'json', notNull: true, defaultValue: '{"lon":0,"lat":0}', primaryKey: false }),
  isMultiple: () => false,

  zeroValue: () => ({ lon: 0, lat: 0 }),
  fromDb: (raw) => toGeoPoint(raw),
  toDb: (value) => JSON.stringify({ lon: value.lon, lat: value.lat }),
  prepareValue: (raw) => toGeoPoint(raw),

  supportsModifier: () => false,
  applyModifier: (current) => toGeoPoint(current),

  validateValue(value, field) {
    if (!isPlainObject(value) || typeof value.lon !== 'number' || typeof value.lat !== 'number') {
      return err('validation_unsupported_value_type', 'Invalid or unsupported value type.');
    }
    if (value.lat === 0 && value.lon === 0) return field.required ? ozzo.required() : null;
    if (!(value.lat >= -90 && value.lat <= 90)) {
      return err('validation_invalid_latitude', 'Latitude must be between -90 and 90 degrees.');
    }
    if (!(value.lon >= -180 && value.lon <= 180)) {
      return err('validation_invalid_longitude', 'Longitude must be between -180 and 180 degrees.');
    }
    return null;
  },
};
