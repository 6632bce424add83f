import type { FieldModel } from '../collections/collection-model.js';
import type { FieldError } from '../errors/plinth-error.js';
import { toUniqueStrings } from './cast.js';
import { fieldShape, optionErrors, validateCommonOptions } from './field-common.js';
import { checkMin, err, firstError, ozzo } from './field-errors.js';
import type { FieldOptionsContext, FieldType } from './field-type.js';
import { listValueMembers } from './multi-value.js';

export interface RelationFieldModel extends FieldModel {
  type: 'relation';
  help: string;
  /** The id of the related collection. */
  collectionId: string;
  /** Delete this record when the related record (for a single relation: the last one) is deleted. */
  cascadeDelete: boolean;
  minSelect: number;
  /** > 1 makes the field multiple. */
  maxSelect: number;
  required: boolean;
}

const shape = fieldShape<RelationFieldModel>('relation', {
  cascadeDelete: ['bool', false],
  collectionId: ['string', ''],
  maxSelect: ['int', 0],
  minSelect: ['int', 0],
  required: ['bool', false],
});

function checkCollectionId(field: RelationFieldModel, ctx: FieldOptionsContext): FieldError | null {
  const id = field.collectionId;
  if (id === '') return ozzo.required();
  const oldField = ctx.oldCollection?.fields.find((f) => f.id === field.id && f.type === 'relation');
  if (oldField && oldField.collectionId !== id) {
    return err('validation_field_relation_change', 'The relation collection cannot be changed.');
  }
  // a relation to the collection being saved (self-relation) is accepted even when it is new
  const rel = id === ctx.collection.id ? ctx.collection : ctx.findCollection(id);
  if (!rel || rel.id !== id) {
    return err('validation_field_relation_missing_collection', "The relation collection doesn't exist.");
  }
  if (ctx.collection.type !== 'view' && rel.type === 'view') {
    return err(
      'validation_relation_field_non_view_base_collection',
      'Only view collections are allowed to have relations to other views.',
    );
  }
  return null;
}

export const relationField: FieldType<RelationFieldModel, string | string[]> = {
  type: 'relation',
  ignoresInput: false,
  ...shape,

  validateOptions(field, ctx) {
    return optionErrors(validateCommonOptions(field), {
      collectionId: checkCollectionId(field, ctx),
      minSelect: checkMin(field.minSelect, 0),
      maxSelect: firstError(
        () => (field.minSelect > 0 && field.maxSelect === 0 ? ozzo.required() : null),
        () => checkMin(field.maxSelect, field.minSelect),
      ),
    });
  },

  ...listValueMembers,

  async validateValue(value, field, ctx) {
    const ids = toUniqueStrings(value);
    if (ids.length === 0) return field.required ? ozzo.required() : null;
    if (field.minSelect > 0 && ids.length < field.minSelect) {
      return err('validation_not_enough_values', `Select at least ${field.minSelect}.`, { minSelect: field.minSelect });
    }
    const maxSelect = Math.max(field.maxSelect, 1);
    if (ids.length > maxSelect) {
      return err('validation_too_many_values', `Select no more than ${maxSelect}.`, { maxSelect });
    }
    const rel = field.collectionId === ctx.collection.id ? ctx.collection : ctx.findCollection(field.collectionId);
    if (!rel) return err('validation_missing_rel_collection', 'Relation connection is missing or cannot be accessed.');
    const found = new Set(await ctx.recordsExist(rel.id, ids));
    if (!ids.every((id) => found.has(id))) {
      return err('validation_missing_rel_records', 'Failed to find all relation records with the provided ids.');
    }
    return null;
  },
};
