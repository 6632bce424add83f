import { initDefaultFields, newCollection, newField } from '../../core/collections/collection-factory.js';
import type { CollectionModel, FieldModel } from '../../core/collections/collection-model.js';
import { buildIndex } from '../../core/collections/index-parser.js';

const OWNER_RULE = "@request.auth.id != '' && recordRef = @request.auth.id && collectionRef = @request.auth.collectionId";

function text(name: string, extra: Record<string, unknown> = {}): FieldModel {
  return newField({ type: 'text', name, system: true, required: true, ...extra });
}

function autodates(system: boolean): FieldModel[] {
  return [
    newField({ type: 'autodate', name: 'created', system, onCreate: true }),
    newField({ type: 'autodate', name: 'updated', system, onCreate: true, onUpdate: true }),
  ];
}

/** PocketBase's text of an index over plain columns (its canonical form, see buildIndex). */
function index(name: string, unique: boolean, table: string, columns: string[]): string {
  return buildIndex({
    unique, optional: false, schemaName: '', indexName: name, tableName: table, where: '',
    columns: columns.map((column) => ({ name: column, collate: '', sort: '' })),
  });
}

function ownerCollection(name: string, fields: FieldModel[], deletable: boolean, indexes: string[]): CollectionModel {
  const c = newCollection('base', name);
  c.system = true;
  c.listRule = OWNER_RULE;
  c.viewRule = OWNER_RULE;
  if (deletable) c.deleteRule = OWNER_RULE;
  c.fields.push(...fields, ...autodates(true));
  c.indexes = indexes;
  return c;
}

/**
 * The collections of a fresh PocketBase v0.23+ data dir, in the order PocketBase's init migration
 * creates them: `_mfas`, `_otps`, `_externalAuths`, `_authOrigins`, `_superusers`, `users`. Ids,
 * fields, rules and indexes are PocketBase's; auth secrets are fresh for every call.
 */
export function systemCollections(): CollectionModel[] {
  const mfas = ownerCollection('_mfas', [text('collectionRef'), text('recordRef'), text('method')], false, [
    index('idx_mfas_collectionRef_recordRef', false, '_mfas', ['collectionRef', 'recordRef']),
  ]);
  const otps = ownerCollection('_otps', [
    text('collectionRef'), text('recordRef'),
    newField({ type: 'password', name: 'password', system: true, hidden: true, required: true, cost: 8 }),
    text('sentTo', { required: false, hidden: true }),
  ], false, [index('idx_otps_collectionRef_recordRef', false, '_otps', ['collectionRef', 'recordRef'])]);
  const externalAuths = ownerCollection('_externalAuths', [text('collectionRef'), text('recordRef'), text('provider'), text('providerId')], true, [
    index('idx_externalAuths_record_provider', true, '_externalAuths', ['collectionRef', 'recordRef', 'provider']),
    index('idx_externalAuths_collection_provider', true, '_externalAuths', ['collectionRef', 'provider', 'providerId']),
  ]);
  const authOrigins = ownerCollection('_authOrigins', [text('collectionRef'), text('recordRef'), text('fingerprint')], true, [
    index('idx_authOrigins_unique_pairs', true, '_authOrigins', ['collectionRef', 'recordRef', 'fingerprint']),
  ]);

  const superusers = newCollection('auth', '_superusers');
  superusers.system = true;
  superusers.fields.push(...autodates(true));
  (superusers.options.authToken as Record<string, unknown>).duration = 86400;

  const users = newCollection('auth', 'users', '_pb_users_auth_');
  users.indexes = [];
  initDefaultFields(users);
  const owner = 'id = @request.auth.id';
  users.listRule = owner;
  users.viewRule = owner;
  users.createRule = '';
  users.updateRule = owner;
  users.deleteRule = owner;
  users.fields.push(
    newField({ type: 'text', name: 'name', max: 255 }),
    newField({ type: 'file', name: 'avatar', maxSelect: 1, mimeTypes: ['image/jpeg', 'image/png', 'image/svg+xml', 'image/gif', 'image/webp'] }),
    ...autodates(false),
  );
  const oauth2 = users.options.oauth2 as { mappedFields: Record<string, string> };
  oauth2.mappedFields.name = 'name';
  oauth2.mappedFields.avatarURL = 'avatar';

  return [mfas, otps, externalAuths, authOrigins, superusers, users];
}
